// An open (named) vote in real Chromium against `obrady serve --demo`: the
// meeting runs with eight members present (quorum of fifteen); the operator
// prepares a vote on the console (on an agenda item with a draft
// resolution) and opens it; FIVE members, each in their own browser context
// on a phone, see the buttons appear by themselves with the motion and the
// document, a countdown and the live count, vote and see the confirmation
// of their choice; one of them loses the network for the first attempts and
// the ballot is retried with the same ballot id until it is confirmed; a
// member who is not present sees why they cannot vote; the console and the
// projector show who voted how live; the operator extends and closes the
// vote; the projector shows the result with the rule in words and the
// named list; a ballot after the close is clearly reported as not counted;
// the public view shows the result; a repeat ("reasumpcja") is created. Then
// an election (two of three, one member excluded, early close) where one
// phone is offline when its member votes and the ballot goes when the link
// is back; the projector shows the candidates' votes and the named list. axe on the member voting screen, the
// console and the projector; no console errors or CSP violations;
// screenshots in test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, stopAll, sleep, signInMany, demoIds, createMeeting, DEMO, SESSION_COOKIE, eventually,
} from '../e2e/lib.mjs';
import {
  PHONE, DESKTOP, txt, launchBrowser, newContext, watchPage, screenshot, openReady, assertAxeClean,
} from './browser.mjs';

const PRESENT = [DEMO.chair, ...Array.from({ length: 7 }, (_, i) => DEMO.member(i + 1))]; // 8 of 15: quorum
const VOTERS = PRESENT.slice(1, 6); // five members with browsers
const ABSENT = DEMO.member(12);
const CHOICES = ['yes', 'yes', 'no', 'abstain', 'yes'];
const TITLE = 'Uchwała w sprawie budżetu na 2031 rok';
const MOTION = 'Rada Gminy uchwala budżet gminy na rok 2031.\n§ 1. Dochody ustala się w wysokości 12 000 000 zł.';

let browser;
let srv;
const pages = [];

before(async () => {
  browser = await launchBrowser();
  srv = await startServer({ args: ['--demo-bare'] });
});

after(async () => {
  await browser?.close();
  await stopAll();
});

async function ok(resP, what) {
  const r = await resP;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

async function contextFor(client, { viewport = DESKTOP } = {}) {
  const ctx = await newContext(browser, { viewport });
  await ctx.addCookies([{ name: SESSION_COOKIE, value: client.cookie, url: srv.url }]);
  await ctx.addInitScript(() => {
    try {
      window.localStorage.setItem('obrady.signedIn', '1');
    } catch {
      /* no storage */
    }
  });
  return ctx;
}

async function watched(ctx, label, { pauseOn = null } = {}) {
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  pages.push({ page, watch, label, pauseOn });
  return page;
}

const open = (page, p) => openReady(page, srv.url + p);
const axeClean = assertAxeClean;

test('an open vote: buttons appear by themselves on five phones, ballots confirmed (one over a failing link), named result on the projector', { timeout: 180000 }, async () => {
  const t0 = Date.now();
  const [op, ...people] = await signInMany(srv, [DEMO.operator, ...PRESENT, ABSENT]);
  const client = Object.fromEntries([...PRESENT, ABSENT].map((e, i) => [e, people[i]]));
  const { bodyId } = await demoIds(op);

  // A meeting with an agenda item and its draft resolution, started, eight present.
  const m = await createMeeting(op, bodyId, { title: 'Sesja budżetowa', number: 'XXX', public: true });
  const P = `/api/meetings/${m.id}`;
  const item = await ok(op.post(`${P}/agenda`, { title: 'Projekt uchwały budżetowej' }), 'agenda item');
  const itemId = item.id || item.item_id || (item.agenda && item.agenda[0].id);
  assert.ok(itemId, `agenda item id in ${JSON.stringify(item)}`);
  await ok(op.api('POST', `${P}/documents?item=${itemId}&draft_resolution=1`, Buffer.from('%PDF-1.4\n% projekt budżetu\n%%EOF\n'),
    { headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('projekt uchwały budżetowej.pdf') }, raw: true }), 'document');
  await ok(op.post(`${P}/start`, {}), 'start');
  await ok(op.post(`${P}/current-item`, { item_id: itemId }), 'current item');
  const check = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'attendance check');
  await Promise.all(PRESENT.map((e) => ok(client[e].post(`${P}/attendance-checks/${check.check_id}/present`, {}), `present ${e}`)));
  await eventually(async () => {
    const st = (await op.get(`${P}/state`)).json;
    assert.equal(st.attendance.is_check_open, false);
    assert.equal(st.attendance.present_count, PRESENT.length);
    return true;
  }, 5000);

  // ---------------------------------------------------------------- members wait on their phones
  const members = await Promise.all(VOTERS.map(async (email, i) => {
    const ctx = await contextFor(client[email], { viewport: PHONE });
    const page = await watched(ctx, email, { pauseOn: i === 1 || i === 2 ? 'offline' : null });
    await open(page, `/meetings/${m.id}`);
    await page.locator('[data-conn][data-state="connected"]').waitFor();
    await page.locator('[data-region="vote-head"] [data-no-vote]').waitFor();
    return { email, ctx, page, name: client[email].user.name };
  }));
  const absentCtx = await contextFor(client[ABSENT], { viewport: PHONE });
  const absent = await watched(absentCtx, ABSENT);
  await open(absent, `/meetings/${m.id}`);
  await absent.locator('[data-conn][data-state="connected"]').waitFor();
  for (const { page } of members) assert.equal(await page.locator('[data-choice]').count(), 0, 'no buttons before a vote opens');

  // One member's link fails: the first two ballot requests never reach the server.
  const flaky = members[2];
  const sentIds = [];
  let dropped = 0;
  await flaky.page.route('**/api/votes/*/ballots', async (route) => {
    sentIds.push(JSON.parse(route.request().postData()).ballot_id);
    if (dropped < 2) {
      dropped++;
      await route.abort('internetdisconnected');
    } else await route.continue();
  });

  // ---------------------------------------------------------------- the console prepares and opens
  const opCtx = await contextFor(op);
  const con = await watched(opCtx, 'console');
  await open(con, `/meetings/${m.id}/console`);
  await con.locator('[data-conn][data-state="connected"]').waitFor();
  await con.locator('[data-disclosure="new-vote"] summary').click();
  const form = con.locator('form[data-form="new-vote"]');
  await form.getByLabel(txt('pl', 'vote.titleField')).fill(TITLE);
  await form.getByLabel(txt('pl', 'vote.motionField')).fill(MOTION);
  assert.equal(await form.getByLabel(txt('pl', 'vote.itemField')).inputValue(), itemId, 'the current item is preselected');
  await form.getByLabel(txt('pl', 'vote.majorityField')).selectOption('simple');
  await form.getByLabel(txt('pl', 'vote.durationField')).fill('120');
  await form.getByLabel(txt('pl', 'vote.allowChange')).check();
  await form.getByRole('button', { name: txt('pl', 'vote.create') }).click();
  const row = con.locator('[data-list="votes"] li', { hasText: TITLE });
  await row.locator('[data-vote-status="draft"]').waitFor();
  const voteId = await row.getAttribute('data-vote-id');
  assert.equal(await members[0].page.locator('[data-choice]').count(), 0, 'a prepared vote shows no buttons');

  const proj = await watched(opCtx, 'projector');
  await open(proj, `/meetings/${m.id}/projector`);
  await proj.locator('[data-conn][data-state="connected"]').waitFor();

  await row.getByRole('button', { name: txt('pl', 'vote.open') }).click();
  await con.locator(`[data-region="votes-open"] .vote-open[data-vote-id="${voteId}"]`).waitFor();

  // ---------------------------------------------------------------- the buttons appear by themselves
  await Promise.all(members.map(async ({ page }) => {
    for (const c of ['yes', 'no', 'abstain']) {
      await page.getByRole('button', { name: txt('pl', `vote.choice.${c}`), exact: true }).waitFor({ timeout: 10000 });
    }
  }));
  const first = members[0].page;
  assert.match(await first.locator('[data-region="vote-head"] [data-motion]').innerText(), /Dochody ustala się/);
  await first.locator('[data-region="vote-head"] a.doc-link', { hasText: 'projekt uchwały budżetowej.pdf' }).waitFor();
  assert.match(await first.locator('[data-region="vote-live"] .countdown').innerText(), /^(1:[0-5]\d|2:00)$/);
  assert.equal(await first.locator('[data-region="vote-live"] [data-cast]').getAttribute('data-cast'), '0');
  assert.equal(await first.locator('[data-region="vote-live"] [data-eligible]').getAttribute('data-eligible'), '15');
  // The absent member sees why not, and no buttons.
  await absent.locator('[data-blocked="not-present"]').waitFor();
  assert.equal(await absent.locator('[data-choice]').count(), 0);
  // The projector counts down.
  await proj.locator(`[data-region="vote"][data-vote-status="open"] .countdown`).waitFor();
  await axeClean(first, 'member voting screen, phone (pl)');
  await screenshot(first, 'vote-member-buttons-phone');
  // Touch targets of a phone.
  const small = await first.evaluate(() => Array.from(document.querySelectorAll('[data-region="ballot"] button'))
    .map((b) => b.getBoundingClientRect()).filter((r) => r.height < 44 || r.width < 44).length);
  assert.equal(small, 0, 'ballot buttons of at least 44 px');
  // 360 px wide: nothing spills sideways.
  await first.setViewportSize({ width: 360, height: 740 });
  assert.equal(await first.evaluate(() => document.documentElement.scrollWidth <= 361), true, 'no horizontal scrolling at 360 px');
  await first.setViewportSize(PHONE);

  // ---------------------------------------------------------------- five members vote
  const choose = (page, c) => page.getByRole('button', { name: txt('pl', `vote.choice.${c}`), exact: true });
  await Promise.all(members.map(async ({ page }, i) => {
    if (i === 1) { // one votes with the keyboard
      await choose(page, CHOICES[i]).focus();
      await page.keyboard.press('Enter');
    } else if (i === 3) { // one changes their mind (the vote allows it): the last ballot counts
      await choose(page, 'yes').click();
      await page.locator('[data-ballot-status][data-state="confirmed"]', { hasText: txt('pl', 'vote.choiceUpper.yes') }).waitFor({ timeout: 10000 });
      assert.equal(await choose(page, 'yes').getAttribute('aria-pressed'), 'true');
      await choose(page, CHOICES[i]).click();
    } else await choose(page, CHOICES[i]).click();
  }));
  // The flaky link: the member is told the ballot waits, then it goes through with the same id.
  await flaky.page.locator('[data-ballot-status][data-state="retrying"]').waitFor({ timeout: 10000 });
  await Promise.all(members.map(async ({ page }, i) => {
    const status = page.locator('[data-ballot-status][data-state="confirmed"]');
    await status.waitFor({ timeout: 20000 });
    assert.equal(await status.innerText(), txt('pl', 'vote.confirmed', { choice: txt('pl', `vote.choiceUpper.${CHOICES[i]}`) }));
    assert.equal(await status.getAttribute('role'), 'status');
    // Changes are allowed: the buttons stay, the counted choice pressed.
    await page.locator(`[data-region="ballot"] [data-choice="${CHOICES[i]}"][aria-pressed="true"]`).waitFor();
    assert.equal(await page.locator('[data-region="ballot"] [aria-pressed="true"]').count(), 1);
  }));
  assert.ok(sentIds.length >= 3, `the ballot was sent ${sentIds.length} times`);
  assert.equal(new Set(sentIds).size, 1, 'every retry carried the same ballot_id');
  assert.match(sentIds[0], /^[A-Za-z0-9_-]{8,64}$/);
  assert.equal(await flaky.page.evaluate(() => sessionStorage.getItem('obrady.pendingBallots')), null, 'nothing left pending after the confirmation');

  // The live count everywhere; who voted how on the console and the projector.
  for (const p of [...members.map((x) => x.page), con, proj]) {
    await p.waitForFunction(() => document.querySelector('[data-region="vote-live"] [data-cast], [data-region="vote"] [data-cast]')?.dataset.cast === '5');
  }
  for (const p of [con, proj]) {
    for (let i = 0; i < members.length; i++) {
      await p.locator(`[data-list="named"] tr:has-text("${members[i].name}") [data-choice="${CHOICES[i]}"]`).waitFor();
    }
  }
  await axeClean(proj, 'projector, open vote (pl)');
  await screenshot(proj, 'vote-projector-open');

  // A reload keeps the confirmation (from the server: my_choice).
  await members[4].page.reload();
  await members[4].page.waitForSelector('html[data-ready="true"]');
  await members[4].page.locator('[data-ballot-status][data-state="confirmed"]').waitFor();

  // ---------------------------------------------------------------- extend, then close
  const before_ = Number(await con.locator('[data-region="votes-open"] [data-ends-at]').getAttribute('data-ends-at'));
  await con.getByRole('button', { name: txt('pl', 'vote.extend', { minutes: 1 }) }).click();
  await first.waitForFunction((b) => Number(document.querySelector('[data-region="vote-live"] [data-ends-at]')?.dataset.endsAt) >= b + 59000, before_);
  await axeClean(con, 'console with an open vote (pl)');
  await screenshot(con, 'vote-console-open');
  await con.getByRole('button', { name: txt('pl', 'vote.close') }).click();
  await con.getByRole('button', { name: txt('pl', 'vote.closeYes') }).click();

  // ---------------------------------------------------------------- the result
  await proj.locator(`[data-region="vote"][data-vote-status="closed"] [data-result]`).waitFor();
  const counts = await proj.$$eval('[data-list="result-counts"] tr[data-count]', (trs) => Object.fromEntries(trs.map((tr) => [tr.dataset.count, tr.querySelector('td').textContent])));
  assert.deepEqual(counts, { yes: '3', no: '1', abstain: '1', 'not-voted': '10' });
  assert.equal(await proj.locator('[data-result]').getAttribute('data-result'), 'adopted');
  const api = await ok(op.get(`/api/votes/${voteId}`), 'the closed vote');
  assert.equal(await proj.locator('[data-verdict]').innerText(), api.result.verdict.pl);
  // A motion's outcome is said once: the badge in the heading carries the verdict's words,
  // and neither the verdict nor the outcome word comes again on a line of its own.
  assert.equal(await proj.locator('.vote-result-heading [data-verdict][data-outcome="adopted"]').count(), 1, 'the verdict is the outcome badge');
  const resultText = await proj.locator('.vote-result').innerText();
  assert.equal(resultText.split(api.result.verdict.pl).length - 1, 1, `"${api.result.verdict.pl}" once in:\n${resultText}`);
  assert.ok(!/przyjęto|odrzucono/.test(resultText), `the outcome not repeated in other words:\n${resultText}`);
  // Lists word a motion's outcome as its verdict does (the public pages, PDFs, CSV: "podjęta").
  assert.equal(txt('pl', 'vote.outcome.adopted'), api.result.verdict.pl);
  assert.equal(txt('en', 'vote.outcome.adopted'), api.result.verdict.en);
  assert.match(await proj.locator('.vote-result-heading').innerText(), new RegExp(`^${txt('pl', 'vote.result')}\\s+${api.result.verdict.pl}$`));
  assert.match(await proj.locator('.vote-result .vote-rule').innerText(), new RegExp(api.result.rule_text.pl.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // The named list: everyone eligible, in the server's (Polish alphabetical) order, with their choice, "did not vote" (present) or "absent".
  const named = await proj.$$eval('[data-list="named"] tbody tr', (trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('[data-choice]')?.dataset.choice]));
  assert.equal(named.length, 15);
  assert.deepEqual(named.map((n) => n[0]), api.result.named.map((n) => n.name));
  for (let i = 0; i < members.length; i++) assert.deepEqual(named.find((n) => n[0] === members[i].name), [members[i].name, CHOICES[i]]);
  assert.equal(named.filter((n) => n[1] === 'none').length, 3, 'present, did not vote');
  assert.equal(named.filter((n) => n[1] === 'absent').length, 7, 'absent');
  await axeClean(proj, 'projector, result (pl)');
  await screenshot(proj, 'vote-projector-result');
  // Members see the result.
  await Promise.all(members.map(({ page }) => page.locator('[data-region="ballot"] [data-result="adopted"]').waitFor()));
  await axeClean(first, 'member screen with the result, phone (pl)');
  await screenshot(first, 'vote-member-result-phone');

  // A ballot after the close (a sixth present member who had not voted): NOT counted, said plainly.
  const late = client[PRESENT[7]];
  const lateCtx = await contextFor(late, { viewport: PHONE });
  const latePage = await watched(lateCtx, 'late voter');
  await latePage.addInitScript(({ v }) => {
    sessionStorage.setItem('obrady.pendingBallots', JSON.stringify({ [v]: { ballot_id: 'late0000ballot', choice: 'yes' } }));
  }, { v: voteId });
  await open(latePage, `/meetings/${m.id}`);
  const refused = latePage.locator('[data-ballot-refused][data-state="refused"]');
  await refused.waitFor({ timeout: 10000 });
  assert.match(await refused.innerText(), /NIE został policzony/);
  assert.equal(await refused.getAttribute('role'), 'alert');

  // The public view shows the result with the named list.
  const pubCtx = await newContext(browser, { viewport: PHONE });
  const pub = await watched(pubCtx, 'public');
  await open(pub, `/meetings/${m.id}/public`);
  await pub.locator(`[data-vote-id="${voteId}"] [data-result="adopted"]`).waitFor();
  assert.equal(await pub.locator('[data-list="named"] tbody tr').count(), 15);
  await axeClean(pub, 'public view with a result (pl)');

  // The console can repeat it (reasumpcja): a new draft linked to the old one.
  await con.locator(`[data-disclosure="repeat-${voteId}"] summary`).click();
  const rform = con.locator(`form[data-form="repeat"][data-vote-id="${voteId}"]`);
  await rform.getByLabel(txt('pl', 'vote.repeatReasonField')).fill('Awaria czytnika kart jednego z radnych.');
  await rform.getByRole('button', { name: txt('pl', 'vote.repeat') }).click();
  await con.locator('[data-list="votes"] li[data-vote-status="draft"]', { hasText: TITLE }).waitFor();
  const list = await ok(op.get(`${P}/votes`), 'votes');
  assert.equal(list.votes.length, 2);

  // ---------------------------------------------------------------- an election, one member excluded, closing early
  const CANDS = ['Jan Kowalski', 'Ewa Nowak', 'Piotr Zieliński'];
  const excluded = members[4];
  await form.getByLabel(txt('pl', 'vote.titleField')).fill('Wybór dwóch członków komisji rewizyjnej');
  await form.getByLabel(txt('pl', 'vote.methodField')).selectOption('election');
  assert.equal(await form.getByLabel(txt('pl', 'vote.majorityField')).isVisible(), false, 'no majority for an election');
  await form.getByLabel(txt('pl', 'vote.candidatesField')).fill(CANDS.join('\n'));
  await form.getByLabel(txt('pl', 'vote.seatsField')).fill('2');
  await form.getByLabel(txt('pl', 'vote.electionRuleField')).selectOption('most_votes');
  await form.getByLabel(txt('pl', 'vote.earlyClose')).check();
  await form.getByLabel(txt('pl', 'vote.allowChange')).uncheck();
  await form.locator('[data-list="exclude"]').getByLabel(excluded.name, { exact: true }).check();
  await form.getByRole('button', { name: txt('pl', 'vote.create') }).click();
  const erow = con.locator('[data-list="votes"] li', { hasText: 'Wybór dwóch członków' });
  await erow.locator('[data-vote-status="draft"]').waitFor();
  const electionId = await erow.getAttribute('data-vote-id');
  await erow.getByRole('button', { name: txt('pl', 'vote.open') }).click();
  await excluded.page.locator('[data-blocked="not-eligible"]').waitFor({ timeout: 10000 });
  assert.equal(await excluded.page.locator('[data-candidate]').count(), 0);
  const picks = [[0, 1], [0], [1, 2], []];
  await Promise.all(members.slice(0, 4).map(async ({ page, ctx }, i) => {
    const ballot = page.locator(`form[data-ballot="${electionId}"]`);
    await ballot.waitFor({ timeout: 10000 });
    for (const k of picks[i]) await ballot.getByLabel(CANDS[k], { exact: true }).check();
    if (i === 0) assert.equal(await ballot.getByLabel(CANDS[2], { exact: true }).isDisabled(), true, 'no more than two may be ticked');
    if (i === 1) { // this phone is offline when its member votes: the ballot waits, and goes when the link is back
      await ctx.setOffline(true);
      await ballot.getByRole('button', { name: txt('pl', 'vote.castElection') }).click();
      await page.locator('[data-ballot-status][data-state="retrying"]').waitFor({ timeout: 10000 });
      assert.match(await page.evaluate(() => sessionStorage.getItem('obrady.pendingBallots')), new RegExp(electionId), 'the ballot is kept while offline');
      await sleep(1500);
      await ctx.setOffline(false);
    } else await ballot.getByRole('button', { name: txt('pl', 'vote.castElection') }).click();
    // A blank ballot is confirmed first (issue 20, point 9).
    if (!picks[i].length) await ballot.getByRole('button', { name: txt('pl', 'vote.blankYes') }).click();
    const words = picks[i].length ? picks[i].map((k) => CANDS[k]).join(', ') : txt('pl', 'vote.blankWords');
    await page.locator('[data-ballot-status][data-state="confirmed"]', { hasText: words }).waitFor({ timeout: 10000 });
    await page.waitForFunction((id) => !document.querySelector(`form[data-ballot="${id}"]`), electionId);
  }));
  await axeClean(members[0].page, 'member screen after an election ballot, phone (pl)');
  // The three present members without browsers vote over the API; then everyone present and eligible has voted.
  const rest = [PRESENT[0], PRESENT[6], PRESENT[7]];
  for (const e of rest) await ok(client[e].post(`/api/votes/${electionId}/ballots`, { ballot_id: `api-${e.slice(0, 8).replace(/[^a-z0-9]/g, '')}-ballot`, choices: [0] }), `election ballot of ${e}`);
  // Early close: nobody presses "close".
  await proj.locator(`[data-region="vote"][data-vote-id="${electionId}"][data-vote-status="closed"] [data-result]`, { timeout: 10000 }).waitFor();
  const votesOf = await proj.$$eval('[data-list="result-counts"] tr[data-candidate]', (trs) => trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent, tr.dataset.elected]));
  assert.deepEqual(votesOf, [['Jan Kowalski', '5', 'yes'], ['Ewa Nowak', '2', 'yes'], ['Piotr Zieliński', '1', 'no']]);
  assert.equal(await proj.locator('[data-list="named"] tbody tr').count(), 14, 'the excluded member is not on the list');
  await screenshot(proj, 'vote-projector-election');
  // An election's badge says "rozstrzygnięte" (its verdict names who), never a motion's word.
  assert.equal(await proj.locator('.vote-result-heading .vote-outcome').innerText(), txt('pl', 'vote.electionOutcome.adopted'));
  // The lists of votes (console, public view) word each outcome as the results do.
  // (the console's row: its title line; the row's result block has a badge of its own)
  const badgeOf = (page, id) => page.locator(`[data-list="votes"] li[data-vote-id="${id}"] .vote-outcome`).first();
  await badgeOf(con, electionId).waitFor({ timeout: 10000 });
  assert.equal(await badgeOf(con, voteId).innerText(), txt('pl', 'vote.outcome.adopted'));
  assert.equal(await badgeOf(con, electionId).innerText(), txt('pl', 'vote.electionOutcome.adopted'));
  await badgeOf(pub, voteId).waitFor({ timeout: 10000 });
  assert.equal(await badgeOf(pub, voteId).innerText(), 'podjęta');
  await pub.evaluate(() => window.localStorage.setItem('obrady.lang', 'en'));
  await pub.reload();
  await pub.waitForSelector('html[data-ready="true"]');
  await badgeOf(pub, voteId).waitFor({ timeout: 10000 });
  assert.equal(await badgeOf(pub, voteId).innerText(), 'adopted');
  await axeClean(pub, 'public view with the list of votes (en)');
  await members[0].page.locator(`[data-region="ballot"] [data-vote-id="${electionId}"][data-result]`).waitFor();

  // English on the projector: the rule and verdict follow the language.
  await proj.evaluate(() => window.localStorage.setItem('obrady.lang', 'en'));
  await proj.reload();
  await proj.waitForSelector('html[data-ready="true"]');
  await proj.locator('[data-region="vote"] [data-verdict]').waitFor();
  const eapi = await ok(op.get(`/api/votes/${electionId}`), 'the election');
  assert.equal(await proj.locator('[data-verdict]').innerText(), eapi.result.verdict.en);
  assert.equal(await proj.locator('.vote-result-heading .vote-outcome').innerText(), 'decided');
  await axeClean(proj, 'projector, result (en)');

  for (const { watch, label, pauseOn } of pages) {
    assert.deepEqual(watch.csp, [], `${label}: no CSP violations`);
    // The flaky phone logs its two failed requests (Chromium's net errors) and nothing else.
    const errors = pauseOn === 'offline' ? watch.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)) : watch.errors;
    // The late voter's refused ballot is a 409 in the console (the browser's own log line).
    const errs = label === 'late voter' ? errors.filter((e) => !/status of 409/.test(e)) : errors;
    assert.deepEqual(errs, [], `${label}: no console errors`);
  }
  console.log(`votes browser test took ${Math.round((Date.now() - t0) / 1000)} s`);
  await sleep(10);
});
