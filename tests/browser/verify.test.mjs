// The public board verifier (/verify) in Chromium against the real server: a
// board built by the same JS modules verifies in a Web Worker with progress
// and the result; a board with one altered byte shows the exact failure; the
// tracker lookup; Polish and English; axe-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, stopAll } from '../e2e/lib.mjs';
import { launchBrowser, newContext, watchPage, runAxe, formatViolations, screenshot, txt } from './browser.mjs';

const F = await import('../crypto/fixture.mjs');

let browser;
let srv;
let boardText;
let boardObj;

before(async () => {
  browser = await launchBrowser();
  srv = await startServer();
  const setup = F.makeSetup({ groups: [[1, 1], [2, 3]] });
  boardObj = F.makeBoard(setup, [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]], { present: [null, [1, 3]] });
  boardText = F.board.boardJson(boardObj);
});

after(async () => {
  await browser?.close();
  await stopAll();
});

async function openVerify(t, lang = 'pl') {
  const ctx = await newContext(browser, { locale: lang === 'pl' ? 'pl-PL' : 'en-GB' });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await page.goto(`${srv.url}/verify`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10000 });
  if (lang === 'en') await page.click('[data-lang="en"]');
  await page.waitForFunction((h) => document.querySelector('h1')?.textContent === h, txt(lang, 'verify.heading'));
  return { page, watch };
}

async function verifyText(page, text) {
  await page.fill('textarea[name="board-text"]', text);
  await page.click('form[data-form="verify"] button[type="submit"]');
  await page.waitForSelector('[data-verify="ok"], [data-verify="failed"]', { timeout: 60000 });
}

test('a correct board verifies in the browser: result, facts, tracker found; accessible', async (t) => {
  const { page, watch } = await openVerify(t, 'pl');
  await verifyText(page, boardText);
  assert.equal(await page.locator('[data-verify="ok"] h2').innerText(), txt('pl', 'verify.ok.heading'));
  const rows = await page.locator('[data-verify="result"] tbody tr').allInnerTexts();
  assert.deepEqual(rows.map((r) => r.replace(/\s+/g, ' ').trim()), ['za 3', 'przeciw 2', 'wstrzymuję się 1']);
  assert.equal(await page.locator('[data-fact="ballots"]').innerText(), '6');
  const status = await page.locator('.verify-status').innerText();
  assert.match(status, /tablica jest poprawna/);
  // The voter's short tracker is found; a made-up one is not.
  const tr = boardObj.ballots[2].tracker;
  await page.fill('input[name="tracker"]', F.ballot.shortTracker(tr));
  await page.click('form[data-form="tracker"] button[type="submit"]');
  assert.equal(await page.locator('.tracker-status').innerText(), txt('pl', 'verify.tracker.found', { tracker: tr }));
  await page.fill('input[name="tracker"]', 'ffff-ffff-fff0');
  await page.click('form[data-form="tracker"] button[type="submit"]');
  assert.equal(await page.locator('.tracker-status').innerText(), txt('pl', 'verify.tracker.notFound'));
  const v = await runAxe(page);
  assert.deepEqual(v, [], formatViolations(v));
  await screenshot(page, 'verify-ok-pl');
  assert.deepEqual(watch.csp, []);
  assert.deepEqual(watch.errors, []);
});

test('one altered byte: the page names the ballot, the option and the failed proof (English)', async (t) => {
  const { page, watch } = await openVerify(t, 'en');
  const victim = boardObj.ballots[3];
  const s = victim.choices[1].proof.responses[0];
  const altered = boardText.replace(s, (s[0] === '0' ? '1' : '0') + s.slice(1));
  assert.notEqual(altered, boardText);
  await verifyText(page, altered);
  assert.equal(await page.locator('[data-verify="failed"] h2').innerText(), txt('en', 'verify.failed.heading'));
  assert.equal(await page.locator('[data-verify="failed"]').getAttribute('data-code'), 'bad_01_proof');
  assert.equal(await page.locator('[data-verify="where"]').innerText(), `ballot ${victim.tracker} option 1`);
  const v = await runAxe(page);
  assert.deepEqual(v, [], formatViolations(v));
  await screenshot(page, 'verify-failed-en');
  // Not JSON at all.
  await verifyText(page, '{"election":');
  assert.equal(await page.locator('[data-verify="failed"]').getAttribute('data-code'), 'bad_json');
  assert.deepEqual(watch.csp, []);
  assert.deepEqual(watch.errors, []);
});

test('the evote modules run in the page: trustee keys, sealed shares, key file, ballot and audit', async (t) => {
  const { page, watch } = await openVerify(t, 'pl');
  const out = await page.evaluate(async () => {
    const { ready } = await import('/js/evote/sodium.js');
    await ready();
    const B = await import('/js/evote/board.js');
    const T = await import('/js/evote/trustee.js');
    const E = await import('/js/evote/election.js');
    const BL = await import('/js/evote/ballot.js');
    const { group, trustees } = B.runGroupKeygen('vote-page', 2, [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
    const file = T.sealKeyFile({ ...trustees[0].secret, share: trustees[0].x }, 'hasło do klucza');
    const back = T.openKeyFile(JSON.parse(JSON.stringify(file)), 'hasło do klucza');
    let wrong = '';
    try {
      T.openKeyFile(file, 'złe hasło!!');
    } catch (e) {
      wrong = e.code;
    }
    const el = B.makeElection({ voteId: 'vote-page', meetingId: 'm-page', options: ['za', 'przeciw', 'wstrzymuję się'], min: 1, max: 1, groups: [group] });
    const ctx = E.parseElection(el);
    const box = new BL.BallotBox(ctx);
    box.prepare([0, 0, 1]);
    const audited = BL.checkAudit(ctx, box.audit());
    return { same: back.share === trustees[0].x, wrong, audited, format: file.format };
  });
  assert.deepEqual(out, { same: true, wrong: 'bad_passphrase', audited: [0, 0, 1], format: 'obrady-trustee-key' });
  assert.deepEqual(watch.errors, []);
});

test('/verify?vote=ID fetches /api/votes/ID/board and verifies it; a missing board says so', async (t) => {
  const ctx = await newContext(browser);
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  // The board endpoint is the server's (another branch); here the page's request is answered directly.
  await page.route('**/api/votes/v-42/board', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: boardText }));
  await page.goto(`${srv.url}/verify?vote=v-42`);
  await page.waitForSelector('[data-verify="ok"]', { timeout: 60000 });
  assert.equal(await page.locator('[data-fact="ballots"]').innerText(), '6');
  assert.match(await page.locator('.notice').first().innerText(), /v-42/);
  await page.route('**/api/votes/v-43/board', (route) => route.fulfill({ status: 404, contentType: 'application/json', body: '{"error":{"code":"not_found","message":"no"}}' }));
  await page.goto(`${srv.url}/verify?vote=v-43`);
  await page.waitForSelector('[data-verify="failed"]', { timeout: 20000 });
  assert.equal(await page.locator('[data-verify="failed"]').getAttribute('data-code'), 'load_failed');
  watch.errors = watch.errors.filter((e) => !/404/.test(e));
  assert.deepEqual(watch.errors, []);
});
