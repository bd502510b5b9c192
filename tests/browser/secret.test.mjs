// Secret votes in a real Chromium against `obrady serve --demo` (issue 6):
// members vote from their own browser contexts — the choice is encrypted in
// the page, only the ballot goes out — and each gets a tracker they then
// find on the vote's board; one member audits a ballot first (cast-or-
// audit: the audited ballot is checked and never sent). With the scrutiny
// committee as trustees (2 of 3, one absent at the count) the three run the
// key ceremony from their browsers and save their key files; after the
// close two decrypt (one with the key still in the page, one from the key
// file) and the result shows on every member screen, the projector and the
// public view. `obrady verify` passes on the board and fails with one
// altered byte. A secret election: ticks up to the seats (or none) and the
// counts per candidate. axe on the voting screens (phone), the audit, the
// receipt and the trustee page; no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, stopAll, signIn, signInMany, demoIds, createMeeting, runCli, freeTmpDir, DEMO, SESSION_COOKIE,
} from '../e2e/lib.mjs';
import {
  PHONE, DESKTOP, txt, launchBrowser, newContext, watchPage, runAxe, formatViolations, screenshot,
} from './browser.mjs';

const MEMBERS = [DEMO.chair, ...Array.from({ length: 14 }, (_, i) => DEMO.member(i + 1))];
const PASSPHRASE = 'komisja-skrutacyjna-2031';
const T = 60000; // generous waits: 2 cores shared with other workers, argon2id with 64 MiB

let browser;
let srv;
let op;
let members; // clients in MEMBERS order
let bodyId;
const watched = []; // {page, watch, label}
const contexts = [];

before(async () => {
  browser = await launchBrowser();
  srv = await startServer({ args: ['--demo-bare'] });
  [op, ...members] = await signInMany(srv, [DEMO.operator, ...MEMBERS]);
  ({ bodyId } = await demoIds(op));
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

/** A page in a fresh context signed in as client (null: anonymous). */
async function pageFor(client, label, { viewport = DESKTOP, acceptDownloads = false, lang = null } = {}) {
  const ctx = await newContext(browser, { viewport, acceptDownloads });
  contexts.push(ctx);
  if (client) {
    await ctx.addCookies([{ name: SESSION_COOKIE, value: client.cookie, url: srv.url }]);
    await ctx.addInitScript((l) => {
      try {
        window.localStorage.setItem('obrady.signedIn', '1');
        if (l) window.localStorage.setItem('obrady.lang', l);
      } catch {
        /* no storage */
      }
    }, lang);
  }
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  watched.push({ page, watch, label });
  return page;
}

async function open(page, p) {
  await page.goto(srv.url + p);
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: T });
}

async function axeClean(page, label) {
  const v = await runAxe(page);
  assert.equal(v.length, 0, `${label}:\n${formatViolations(v)}`);
}

/** A started meeting with the first `presentCount` members present. */
async function liveMeeting(title, presentCount) {
  const m = await createMeeting(op, bodyId, { title, public: true });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  await Promise.all(members.slice(0, presentCount).map((c) => ok(c.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  return m;
}

/**
 * In a member page showing an open secret vote: taps option j (0 yes,
 * 1 no, 2 abstain) — one tap encrypts and casts (issue 20.8); returns
 * {short, tracker} from the receipt.
 */
async function voteIn(page, voteId, j) {
  const box = page.locator(`[data-secret-vote="${voteId}"]`);
  await box.locator(`button[data-option="${j}"]`).click({ timeout: T });
  const receipt = box.locator('[data-secret="receipt"]');
  await receipt.waitFor({ timeout: T });
  return { short: await receipt.getAttribute('data-tracker-short'), tracker: await receipt.locator('[data-tracker]').getAttribute('data-tracker') };
}

/** Writes board (and a one-byte-altered copy) and runs `obrady verify` on both. */
async function verifyBoard(t, board) {
  const dir = freeTmpDir('obrady-board-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'board.json');
  const text = JSON.stringify(board);
  fs.writeFileSync(file, text);
  const good = await runCli(['verify', file]);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  // One byte of one ballot's ciphertext, inside the hex (stays valid JSON).
  const beta = board.ballots[Math.min(3, board.ballots.length - 1)].choices[0].beta;
  const at = text.indexOf(beta) + 10;
  const altered = text.slice(0, at) + (text[at] === 'a' ? 'b' : 'a') + text.slice(at + 1);
  assert.equal(altered.length, text.length);
  fs.writeFileSync(file, altered);
  const bad = await runCli(['verify', file]);
  assert.notEqual(bad.code, 0, `a board with one altered byte must fail:\n${bad.stdout}${bad.stderr}`);
}

/**
 * Each [label, page] shows the closed secret vote's counts (expect: {yes,
 * no, abstain}), the ballots cast, the board hash, and no named list.
 */
async function expectResult(pagesWithLabels, voteId, expect) {
  const cast = Object.values(expect).reduce((a, b) => a + b, 0);
  for (const [label, page] of pagesWithLabels) {
    const extras = page.locator(`[data-secret-result="closed"][data-vote-id="${voteId}"]`);
    await extras.waitFor({ timeout: T });
    assert.equal(await extras.getAttribute('data-ballots-cast'), String(cast), label);
    assert.match(await extras.locator('[data-board-hash]').getAttribute('data-board-hash'), /^[0-9a-f]{64}$/, label);
    const res = page.locator(`.vote-result[data-vote-id="${voteId}"]`);
    for (const [k, n] of Object.entries(expect)) {
      assert.equal((await res.locator(`[data-count="${k}"] td`).innerText()).trim(), String(n), `${label}: ${k}`);
    }
    assert.equal(await page.locator('[data-list="named"]').count(), 0, `${label}: no named list for a secret vote`);
  }
}

/** On failure: what each watched page shows and logged (for the test's output). */
async function dumpPages() {
  for (const { page, watch, label } of watched) {
    const text = await page.locator('#view').innerText({ timeout: 2000 }).catch((e) => `(${e.message.split('\n')[0]})`);
    console.log(`--- ${label} ${page.url()}\n${text.slice(0, 2500)}\n${watch.errors.join('\n')}`);
  }
}

function assertClean() {
  for (const { watch, label, flaky } of watched) {
    assert.deepEqual(watch.csp, [], `${label}: CSP violations`);
    // A page whose link we cut logs the failed request, nothing else.
    const errors = flaky ? watch.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)) : watch.errors;
    assert.deepEqual(errors, [], `${label}: console errors`);
  }
}

/** fn(t), and on failure the pages' state in the output. */
const withDump = (fn) => async (t) => {
  try {
    await fn(t);
  } catch (err) {
    await dumpPages();
    throw err;
  }
};

test('secret vote with the server trustee: encrypted in the browser, audit, trackers on the board, result everywhere, obrady verify', withDump(async (t) => {
  const m = await liveMeeting('Sesja z głosowaniem tajnym', 12);
  const voters = members.slice(0, 10);
  const picks = [0, 0, 1, 0, 2, 0, 1, 0, 2, 0];
  // The pages are open before the vote: the ballot must appear by itself.
  const pages = [];
  for (const [i, c] of voters.entries()) {
    const page = await pageFor(c, `member ${i}`, { viewport: i % 2 ? DESKTOP : PHONE, lang: i === 3 ? 'en' : null });
    await open(page, `/meetings/${m.id}`);
    pages.push(page);
  }
  const projector = await pageFor(op, 'projector');
  await open(projector, `/meetings/${m.id}/projector`);
  const pub = await pageFor(null, 'public');
  await open(pub, `/meetings/${m.id}/public`);

  const v = await ok(op.post(`/api/meetings/${m.id}/votes`, { title: 'Wybór skarbnika', motion: 'Czy powołać Jana Żółcia na skarbnika?', kind: 'secret', duration_s: 600 }), 'create');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  await Promise.all(pages.map((p) => p.locator(`[data-secret-vote="${v.id}"] button[data-option="0"]`).waitFor({ timeout: T })));
  await projector.locator('.vote-count[data-cast="0"][data-eligible="15"]').waitFor({ timeout: T });

  // Nothing but the ballot leaves the page: record what the first member sends.
  const sent = [];
  pages[0].on('request', (rq) => {
    if (rq.method() === 'POST' && rq.url().endsWith(`/api/votes/${v.id}/ballots`)) sent.push(rq.postDataJSON());
  });

  // Member 0 turns on "check first" and audits a ballot: the audit checks and is not cast.
  const box0 = pages[0].locator(`[data-secret-vote="${v.id}"]`);
  await axeClean(pages[0], 'secret ballot (phone)');
  await box0.locator('[data-action="audit-mode"]').click();
  assert.equal(await box0.locator('[data-action="audit-mode"]').getAttribute('aria-pressed'), 'true');
  await box0.locator('button[data-option="1"]').click();
  const review = box0.locator('[data-secret="review"]');
  await review.waitFor({ timeout: T });
  const auditedShort = await review.getAttribute('data-tracker-short');
  await box0.getByRole('button', { name: txt('pl', 'secret.audit') }).click();
  const audit = box0.locator('[data-secret="audit"]');
  await audit.waitFor({ timeout: T });
  assert.equal(await audit.getAttribute('data-audit'), 'ok');
  assert.equal(await audit.locator('[data-marked="1"]').count(), 1, 'the audit reveals one marked option');
  await axeClean(pages[0], 'audit');
  await screenshot(pages[0], 'secret-audit-phone');
  assert.equal(sent.length, 0, 'an audited ballot is never sent');
  await box0.locator('[data-action="again"]').click();
  await box0.locator('[data-action="audit-mode"]').click(); // back to one tap

  // The last member's link fails twice: the same ballot goes out again.
  const sentLast = [];
  watched.find((w) => w.page === pages[9]).flaky = true;
  await pages[9].route(`**/api/votes/${v.id}/ballots`, async (route) => {
    sentLast.push(route.request().postDataJSON());
    if (sentLast.length <= 2) await route.abort('internetdisconnected');
    else await route.continue();
  });

  // Five at a time: the machine is shared.
  const receipts = [];
  for (let i = 0; i < pages.length; i += 5) receipts.push(...await Promise.all(pages.slice(i, i + 5).map((p, k) => voteIn(p, v.id, picks[i + k]))));
  assert.equal(sent.length, 1);
  assert.deepEqual(Object.keys(sent[0]).sort(), ['ballot', 'ballot_id'], 'only the ballot and its id are sent');
  // Spec v2: the ballot carries the device's public voting key and its signature, nothing else.
  assert.deepEqual(Object.keys(sent[0].ballot).sort(), ['choices', 'signature', 'sum_proof', 'voter_key'], 'no choice, no randomness');
  assert.notEqual(receipts[0].short, auditedShort, 'the cast ballot is a fresh one');
  assert.equal(sentLast.length, 3, 'the last member\'s ballot went out three times');
  assert.equal(new Set(sentLast.map((x) => x.ballot_id)).size, 1, 'with the same ballot id');
  assert.equal(new Set(sentLast.map((x) => JSON.stringify(x.ballot))).size, 1, 'and the same ciphertext');
  for (const r of receipts) assert.match(r.short, /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
  await pages[0].locator('.secret-tracker').first().waitFor();
  assert.ok((await pages[0].locator('[data-secret="receipt"]').innerText()).includes(txt('pl', 'secret.trackerIs')));
  assert.ok((await pages[3].locator('[data-secret="receipt"]').innerText()).includes(txt('en', 'secret.trackerIs')), 'in English too');
  await axeClean(pages[3], 'receipt (English)');
  await axeClean(pages[0], 'receipt');
  await screenshot(pages[0], 'secret-receipt-phone');
  await projector.locator('.vote-count[data-cast="10"][data-eligible="15"]').waitFor({ timeout: T });

  // A reload keeps the receipt; a member who voted elsewhere is told so.
  await pages[1].reload();
  await pages[1].locator(`[data-secret-vote="${v.id}"] [data-secret="receipt"][data-tracker-short="${receipts[1].short}"]`).waitFor({ timeout: T });

  // Each voter finds the tracker on the board (every voter, by the short form too).
  const board = await ok(op.get(`/api/votes/${v.id}/board`), 'board');
  const trackers = board.ballots.map((b) => b.tracker);
  assert.equal(trackers.length, 10);
  for (const r of receipts) {
    assert.ok(trackers.includes(r.tracker), `tracker ${r.short} on the board`);
    assert.equal(trackers.filter((x) => x.startsWith(r.short.replaceAll('-', ''))).length, 1);
  }
  assert.ok(!trackers.some((x) => x.startsWith(auditedShort.replaceAll('-', ''))), 'the audited ballot is not on the board');

  await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');
  const expect = { yes: 6, no: 2, abstain: 2 };
  await expectResult([['member', pages[3]], ['member (phone)', pages[4]], ['projector', projector], ['public', pub]], v.id, expect);
  assert.equal(await pages[3].locator('[data-link="verify"]').count() > 0, true, 'a link to the verification page');
  await screenshot(projector, 'secret-result-projector');
  const final = await ok(op.get(`/api/votes/${v.id}/board`), 'board');
  assert.deepEqual(final.result, [6, 2, 2]);
  await verifyBoard(t, final);

  // The member's voting key: its fingerprint on the account page, the same
  // key next to their name in the board's electorate, and the verification
  // page marks the one ballot signed with it (their receipt's tracker).
  const acct = await pages[0].context().newPage();
  watched.push({ page: acct, watch: await watchPage(acct), label: 'member 0 account' });
  await open(acct, '/account');
  const fp = await acct.locator('[data-voter-key="registered"]').innerText({ timeout: T });
  assert.match(fp, /^[0-9a-f]{4}(-[0-9a-f]{4}){4}$/, 'a fingerprint in groups of four');
  assert.equal(await acct.locator('[data-voter-key="device"]').innerText(), fp, 'the registered key is this device\'s');
  assert.equal(await acct.locator('[data-voter-key-state="this-device"]').count(), 1);
  await axeClean(acct, 'account with the voting key');
  const myKey = sent[0].ballot.voter_key;
  const fpOf = (hex) => crypto.createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex').slice(0, 20).match(/.{4}/g).join('-');
  assert.equal(fpOf(myKey), fp, 'the account shows the fingerprint of the key the ballot was signed with');
  const me0 = final.election.electorate.find((e) => e.key === myKey);
  assert.ok(me0, 'the member\'s key is on the board\'s electorate');
  assert.equal(me0.name, (await ok(voters[0].get('/api/me'), 'me')).user.name, 'under their name');
  await open(acct, `/verify?vote=${v.id}`);
  const mine = acct.locator('[data-verify="mine"]');
  await mine.waitFor({ timeout: T });
  assert.equal(await mine.getAttribute('data-key'), fp);
  assert.equal(await mine.getAttribute('data-ballots'), '1');
  assert.equal(await mine.locator('[data-mine="in-electorate"]').count(), 1);
  assert.deepEqual(await mine.locator('[data-my-tracker]').evaluateAll((els) => els.map((e) => e.dataset.myTracker)), [receipts[0].tracker]);
  await axeClean(acct, 'verify page with the member\'s ballot');
  assertClean();
}));

/** The trustee page's step n reaches state (todo, waiting, done, blocked). */
function stepIn(page, n, state) {
  return page.locator(`[data-step="${n}"][data-state="${state}"]`).waitFor({ timeout: T });
}

test('secret vote with the scrutiny committee as trustees (2 of 3, one absent): key ceremony and decryption in the trustees\' browsers, result everywhere', withDump(async (t) => {
  const m = await createMeeting(op, bodyId, { title: 'Posiedzenie z komisją skrutacyjną', public: true });
  const P = `/api/meetings/${m.id}`;
  const committee = [];
  for (const [i, name] of ['Łucja Śliwińska', 'Grzegorz Żądło', 'Ewa Ćmielewska'].entries()) {
    const email = `komisja-b${i + 1}@${DEMO.domain}`;
    await ok(op.post(`${P}/participants`, { email, name, is_scrutiny: true }), 'add a committee member');
    committee.push(await signIn(srv, email, { via: 'stdout' }));
  }
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  const voters = members.slice(0, 10);
  await Promise.all(voters.map((c) => ok(c.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  // The office prepares the vote in the console: secret, with the committee, 2 of 3.
  const TITLE = 'Wybór rektora — głosowanie tajne';
  const con = await pageFor(op, 'console');
  await open(con, `/meetings/${m.id}/console`);
  await con.locator('[data-disclosure="new-vote"] summary').click();
  const form = con.locator('form[data-form="new-vote"]');
  await form.getByLabel(txt('pl', 'vote.titleField')).fill(TITLE);
  await form.getByLabel(txt('pl', 'vote.durationField')).fill('900');
  await form.getByLabel(txt('pl', 'secret.console.kind')).selectOption('secret');
  await form.getByLabel(txt('pl', 'secret.console.trustees')).selectOption('committee');
  await form.getByLabel(txt('pl', 'secret.console.threshold')).fill('2');
  await axeClean(con, 'console with the secret vote fields');
  await form.getByRole('button', { name: txt('pl', 'vote.create') }).click();
  const row = con.locator('[data-list="votes"] li', { hasText: TITLE });
  await row.locator('[data-vote-status="draft"]').waitFor({ timeout: T });
  const v = await ok(op.get(`/api/votes/${await row.getAttribute('data-vote-id')}`), 'the vote');
  assert.equal(v.kind, 'secret');
  assert.equal(v.allow_change, false);
  const tr0 = await ok(committee[0].get(`/api/votes/${v.id}/trustees`), 'trustees');
  assert.equal(tr0.mode, 'committee');
  assert.equal(tr0.threshold, 2);

  // The key ceremony, each trustee in their own browser: one follows the
  // mail's link (/#/votes/…/trustee), two the call on their meeting screen.
  const dir = freeTmpDir('obrady-keys-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const tpages = [];
  for (const [i, c] of committee.entries()) {
    const page = await pageFor(c, `trustee ${i}`, { viewport: i === 1 ? PHONE : DESKTOP, acceptDownloads: true, lang: i === 1 ? 'en' : null });
    if (i === 0) await open(page, `/#/votes/${v.id}/trustee`);
    else {
      await open(page, `/meetings/${m.id}`);
      await page.locator('[data-link="trustee"]').click({ timeout: T });
    }
    await stepIn(page, 1, 'todo');
    tpages.push(page);
  }
  await axeClean(tpages[0], 'trustee page');
  for (const page of tpages) {
    await page.locator('[data-action="generate"]').click();
    await stepIn(page, 1, 'done');
  }
  await screenshot(tpages[2], 'secret-trustee-keys');
  for (const page of tpages) {
    await stepIn(page, 2, 'todo'); // every key is in: the page noticed by itself
    await page.locator('[data-action="shares"]').click();
    await stepIn(page, 2, 'done');
  }
  const keyFiles = [];
  for (const [i, page] of tpages.entries()) {
    await stepIn(page, 3, 'todo');
    const lang = i === 1 ? 'en' : 'pl';
    await page.getByLabel(txt(lang, 'trustee.passphrase'), { exact: true }).fill(PASSPHRASE);
    await page.getByLabel(txt(lang, 'trustee.passphraseAgain')).fill(PASSPHRASE);
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.locator('[data-action="save-key"]').click()]);
    const file = path.join(dir, `trustee-${i}.json`);
    await dl.saveAs(file);
    keyFiles.push(file);
    await page.locator('[data-key-file="saved"]').waitFor({ timeout: T });
    const kf = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(kf.format, 'obrady-trustee-key');
    assert.equal(kf.vote_id, v.id);
    assert.doesNotMatch(JSON.stringify(kf), /polynomial|share|box_secret/, 'the key file holds its secrets encrypted only');
  }
  await tpages[0].locator('[data-ceremony="ready"]').waitFor({ timeout: T });
  await axeClean(tpages[1], 'trustee page after the ceremony (phone, English)');
  await screenshot(tpages[1], 'secret-trustee-ceremony-phone');

  // Voting: ten members from their own contexts.
  const projector = await pageFor(op, 'projector (committee)');
  await open(projector, `/meetings/${m.id}/projector`);
  const pub = await pageFor(null, 'public (committee)');
  await open(pub, `/meetings/${m.id}/public`);
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  const picks = [0, 1, 0, 0, 2, 0, 1, 0, 0, 1];
  const pages = [];
  for (const [i, c] of voters.entries()) {
    const page = await pageFor(c, `voter ${i}`, { viewport: i % 2 ? PHONE : DESKTOP });
    await open(page, `/meetings/${m.id}`);
    pages.push(page);
  }
  const receipts = [];
  for (let i = 0; i < pages.length; i += 5) receipts.push(...await Promise.all(pages.slice(i, i + 5).map((p, k) => voteIn(p, v.id, picks[i + k]))));
  const during = await ok(op.get(`/api/votes/${v.id}/board`), 'board');
  const trackers = during.ballots.map((b) => b.tracker);
  for (const r of receipts) assert.ok(trackers.includes(r.tracker), `tracker ${r.short} on the board`);

  // The close: counting until the committee decrypts; the third member is absent.
  const counting = await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');
  assert.equal(counting.status, 'counting');
  await pages[2].locator(`[data-secret-result="counting"][data-vote-id="${v.id}"]`).waitFor({ timeout: T });
  await tpages[2].context().close();
  // Trustee 0 decrypts with the key still in the page.
  await stepIn(tpages[0], 4, 'todo');
  await tpages[0].locator('[data-action="decrypt"]').click();
  await tpages[0].locator('[data-decrypted="yes"]').waitFor({ timeout: T });
  assert.equal((await ok(op.get(`/api/votes/${v.id}`), 'vote')).status, 'counting', 'one of two is not enough');
  // Trustee 1 comes back later: the key is gone from the page, the key file brings it.
  await tpages[1].reload();
  await tpages[1].waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: T });
  await stepIn(tpages[1], 4, 'todo');
  await tpages[1].getByLabel(txt('en', 'trustee.keyFile'), { exact: true }).setInputFiles(keyFiles[1]);
  await tpages[1].getByLabel(txt('en', 'trustee.passphrase'), { exact: true }).fill('to nie jest hasło');
  await tpages[1].locator('[data-action="decrypt-file"]').click();
  await tpages[1].locator('[data-trustee-error][data-i18n="trustee.err.passphrase"]').waitFor({ timeout: T });
  await tpages[1].getByLabel(txt('en', 'trustee.keyFile'), { exact: true }).setInputFiles(keyFiles[1]);
  await tpages[1].getByLabel(txt('en', 'trustee.passphrase'), { exact: true }).fill(PASSPHRASE);
  await tpages[1].locator('[data-action="decrypt-file"]').click();
  await tpages[1].locator('[data-decrypted="yes"]').waitFor({ timeout: T });

  const tally = { yes: 0, no: 0, abstain: 0 };
  picks.forEach((k) => { tally[['yes', 'no', 'abstain'][k]]++; });
  await expectResult([['voter', pages[0]], ['voter (phone)', pages[1]], ['projector', projector], ['public', pub]], v.id, tally);
  await Promise.all(pages.map((p) => p.locator(`[data-secret-result="closed"][data-vote-id="${v.id}"]`).waitFor({ timeout: T })));
  await screenshot(projector, 'secret-committee-result-projector');
  const board = await ok(op.get(`/api/votes/${v.id}/board`), 'board');
  assert.deepEqual(board.result, [tally.yes, tally.no, tally.abstain]);
  assert.equal(board.decryptions.length, 3, 'the server and two of the three trustees');
  for (const r of receipts) assert.ok(board.ballots.some((b) => b.tracker === r.tracker), `tracker ${r.short} on the final board`);
  await verifyBoard(t, board);
  assertClean();
}));

test('secret election: candidates ticked up to the seats (or none), encrypted in the page, counts per candidate', withDump(async () => {
  const m = await liveMeeting('Sesja — wybory tajne', 4);
  const v = await ok(op.post(`/api/meetings/${m.id}/votes`, {
    title: 'Wybór dwóch wiceprzewodniczących', kind: 'secret', method: 'election', candidates: ['Anna Ąbecka', 'Bogdan Łęcki', 'Celina Źrebna'], seats: 2, duration_s: 600,
  }), 'create');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  const picks = [[0, 2], [2], [], [0, 2]];
  const pages = [];
  for (const [i, c] of members.slice(0, 4).entries()) {
    const page = await pageFor(c, `elector ${i}`, { viewport: PHONE });
    await open(page, `/meetings/${m.id}`);
    pages.push(page);
  }
  const box0 = pages[0].locator(`[data-secret-vote="${v.id}"]`);
  await box0.locator('input[data-option="0"]').waitFor({ timeout: T });
  assert.equal(await box0.locator('input[type="checkbox"]').count(), 3, 'a box per candidate');
  assert.ok((await box0.innerText()).includes('Bogdan Łęcki'));
  // Three ticks for two seats cannot be encrypted.
  for (const j of [0, 1, 2]) await box0.locator(`input[data-option="${j}"]`).check();
  assert.equal(await box0.locator('[data-action="encrypt"]').isDisabled(), true, 'more than the seats: no ballot');
  await box0.locator('input[data-option="1"]').uncheck();
  await axeClean(pages[0], 'secret election ballot (phone)');
  for (const [i, page] of pages.entries()) {
    const box = page.locator(`[data-secret-vote="${v.id}"]`);
    await box.locator('input[data-option="0"]').waitFor({ timeout: T });
    if (i > 0) for (const j of picks[i]) await box.locator(`input[data-option="${j}"]`).check();
    await box.locator('[data-action="encrypt"]').click();
    if (!picks[i].length) {
      // #20.9: a blank secret election ballot asks first, like the open one; cancelling casts nothing.
      const q = box.locator('.confirm-question');
      await q.waitFor({ timeout: T });
      assert.equal(await q.innerText(), txt('pl', 'vote.blankConfirm'));
      await page.waitForTimeout(300);
      assert.equal(await box.locator('[data-secret="receipt"]').count(), 0, 'nothing cast while the question is open');
      assert.equal((await ok(members[i].get(`/api/votes/${v.id}`), 'vote')).has_voted, false, 'the server has no ballot yet');
      await axeClean(page, 'blank secret election ballot question (phone)');
      await box.getByRole('button', { name: txt('pl', 'common.cancel') }).click();
      await box.locator('[data-action="encrypt"]').click();
      await box.getByRole('button', { name: txt('pl', 'vote.blankYes') }).click();
    }
    await box.locator('[data-secret="receipt"]').waitFor({ timeout: T });
  }
  const closed = await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');
  assert.deepEqual(closed.result.candidates.map((c) => c.votes), [2, 0, 3]);
  const res = pages[2].locator(`.vote-result[data-vote-id="${v.id}"]`);
  await res.waitFor({ timeout: T });
  assert.deepEqual(await res.locator('[data-candidate] td.num').allInnerTexts(), ['2', '0', '3']);
  await pages[2].locator(`[data-secret-result="closed"][data-vote-id="${v.id}"][data-ballots-cast="4"]`).waitFor({ timeout: T });
  assertClean();
}));
