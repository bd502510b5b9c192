// The secret ballot's crypto is loaded only when needed (issue 21): the
// member page shows without any libsodium file or crypto module; the one use
// outside a secret vote, registering this device's voting key (once per
// device, voter-key-sync.js), waits until the page is up; once registered, a
// visit to a meeting without secret votes requests none of them at all. With
// a secret vote on the agenda the files are fetched while the member is idle,
// and when it opens the ballot shows and works. The built front end is served
// (build/web): files come from /v/<version>/ with a Content-Encoding.
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
  srv = await startServer({ args: ['--demo-bare'] });
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
  await ctx.addInitScript(() => {
    window.localStorage.setItem('obrady.signedIn', '1');
    // When the app says its first view is up (html[data-ready]).
    document.addEventListener('DOMContentLoaded', () => {
      new MutationObserver(() => {
        if (document.documentElement.dataset.ready === 'true' && window.readyAt === undefined) window.readyAt = performance.now();
      }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-ready'] });
    });
  });
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const encodings = new Map();
  page.on('response', async (r) => encodings.set(r.url(), (await r.allHeaders())['content-encoding']));

  // First visit from this device: the page shows without crypto; the voting key is registered afterwards.
  await page.goto(`${srv.url}/meetings/${m.id}`);
  await page.locator('[data-action="present"], [data-present="confirmed"]').first().waitFor({ timeout: T });
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: T });
  const { readyAt, before } = await page.evaluate((src) => {
    const re = new RegExp(src);
    const early = performance.getEntriesByType('resource').filter((e) => re.test(e.name) && e.startTime < window.readyAt);
    return { readyAt: window.readyAt, before: early.map((e) => e.name) };
  }, CRYPTO.source);
  assert.equal(typeof readyAt, 'number', 'the moment the page was up is known');
  assert.deepEqual(before, [], 'no crypto file before the page is up');
  const assets = requested.filter((u) => /\/v\/[0-9a-f]{16}\/js\/app\.js$/.test(u));
  assert.equal(assets.length, 1, `the app comes from a versioned URL: ${requested.filter((u) => /\.js$/.test(u)).slice(0, 3)}`);
  assert.ok(['br', 'gzip'].includes(encodings.get(assets[0])), `compressed: ${encodings.get(assets[0])}`);
  await page.waitForFunction((uid) => Boolean(localStorage.getItem(`obrady.voterKeyRegistered.${uid}`)), member.user.id, { timeout: T });

  // Any later visit: no crypto at all in a meeting without secret votes, even when idle.
  requested.length = 0;
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: T });
  await page.locator(`[data-panel="vote"] button`).first().waitFor({ timeout: T });
  await page.waitForTimeout(3000);
  assert.deepEqual(requested.filter((u) => CRYPTO.test(u)), [], 'no crypto file for a meeting without secret votes');

  // A secret vote on the agenda (not open yet): its files come while the member is idle.
  await ok(op.post(`/api/votes/${open.id}/close`, {}), 'close the open vote');
  const secret = await ok(op.post(`${P}/votes`, { title: 'Wybór skarbnika', motion: 'Czy powołać skarbnika?', kind: 'secret', duration_s: 600 }), 'secret vote');
  const deadline = Date.now() + T;
  while (!requested.some((u) => /libsodium-sumo\.mjs$/.test(u)) && Date.now() < deadline) await page.waitForTimeout(200);
  assert.ok(requested.some((u) => /\/v\/[0-9a-f]{16}\/vendor\/libsodium-sumo\.mjs$/.test(u)), 'libsodium prefetched from its versioned URL');
  assert.ok(requested.some((u) => /\/js\/vote-secret\.js$/.test(u)), 'the ballot module prefetched');

  // Opened: the encrypting ballot shows by itself; one tap encrypts and casts (issue 20.8).
  await ok(op.post(`/api/votes/${secret.id}/open`, {}), 'open the secret vote');
  const box = page.locator(`[data-secret-vote="${secret.id}"]`);
  await box.locator('button[data-option="0"]').click({ timeout: T });
  await box.locator('[data-secret="receipt"]').waitFor({ timeout: T });
  const v = await runAxe(page);
  assert.equal(v.length, 0, formatViolations(v));
  assert.deepEqual(watch.errors, []);
  assert.deepEqual(watch.csp, []);
});
