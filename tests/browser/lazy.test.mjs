// The secret ballot's crypto is loaded only when needed (issue 21): a member
// page in a meeting without secret votes requests no libsodium file and none
// of the ballot's crypto modules; once a secret vote is on the agenda the
// files are fetched while the member is idle, and when it opens the ballot
// shows and works from them. The built front end is served (build/web), so
// its files come from /v/<version>/ with a Content-Encoding.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, stopAll, signIn, demoIds, createMeeting, ok, DEMO, SESSION_COOKIE } from '../e2e/lib.mjs';
import { PHONE, launchBrowser, newContext, watchPage, runAxe, formatViolations } from './browser.mjs';

const T = 30000;
const CRYPTO = /\/vendor\/|libsodium|\/js\/evote\/|\/js\/vote-secret\.js|\/js\/secret-election\.js/;
let browser;
let srv;
const contexts = [];

before(async () => {
  browser = await launchBrowser();
  srv = await startServer({ args: ['--demo'] });
});
after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await stopAll();
});

test('no libsodium until a secret vote is on the agenda; prefetched then; the ballot works when it opens', async () => {
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const member = await signIn(srv, DEMO.member(3), { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja bez głosowań tajnych' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  await ok(member.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present');
  const open = await ok(op.post(`${P}/votes`, { title: 'Porządek obrad', kind: 'open', duration_s: 600 }), 'open vote');
  await ok(op.post(`/api/votes/${open.id}/open`, {}), 'open it');

  const ctx = await newContext(browser, { viewport: PHONE });
  contexts.push(ctx);
  await ctx.addCookies([{ name: SESSION_COOKIE, value: member.cookie, url: srv.url }]);
  await ctx.addInitScript(() => window.localStorage.setItem('obrady.signedIn', '1'));
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const encodings = new Map();
  page.on('response', async (r) => encodings.set(r.url(), (await r.allHeaders())['content-encoding']));

  await page.goto(`${srv.url}/meetings/${m.id}`);
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: T });
  await page.locator(`[data-vote-id="${open.id}"], [data-panel="vote"] button`).first().waitFor({ timeout: T });
  // Idle for a while: nothing of the secret ballot may come.
  await page.waitForTimeout(3000);
  const early = requested.filter((u) => CRYPTO.test(u));
  assert.deepEqual(early, [], 'no crypto file for a meeting without secret votes');
  const assets = requested.filter((u) => /\/v\/[0-9a-f]{16}\/js\/app\.js$/.test(u));
  assert.equal(assets.length, 1, `the app comes from a versioned URL: ${requested.filter((u) => /\.js$/.test(u)).slice(0, 3)}`);
  assert.ok(['br', 'gzip'].includes(encodings.get(assets[0])), `compressed: ${encodings.get(assets[0])}`);

  // A secret vote on the agenda (not open yet): its files come while the member is idle.
  await ok(op.post(`/api/votes/${open.id}/close`, {}), 'close the open vote');
  const secret = await ok(op.post(`${P}/votes`, { title: 'Wybór skarbnika', motion: 'Czy powołać skarbnika?', kind: 'secret', duration_s: 600 }), 'secret vote');
  const deadline = Date.now() + T;
  while (!requested.some((u) => /libsodium-sumo\.mjs$/.test(u)) && Date.now() < deadline) await page.waitForTimeout(200);
  assert.ok(requested.some((u) => /\/v\/[0-9a-f]{16}\/vendor\/libsodium-sumo\.mjs$/.test(u)), 'libsodium prefetched from its versioned URL');
  assert.ok(requested.some((u) => /\/js\/vote-secret\.js$/.test(u)), 'the ballot module prefetched');

  // Opened: the encrypting ballot shows by itself and encrypts.
  await ok(op.post(`/api/votes/${secret.id}/open`, {}), 'open the secret vote');
  const box = page.locator(`[data-secret-vote="${secret.id}"]`);
  await box.locator('input[data-option="0"]').check({ timeout: T });
  await box.locator('[data-action="encrypt"]').click();
  await box.locator('[data-secret="review"]').waitFor({ timeout: T });
  const v = await runAxe(page);
  assert.equal(v.length, 0, formatViolations(v));
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.csp, []);
});
