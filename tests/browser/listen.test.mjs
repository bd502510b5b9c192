// "Listen from item N" (issue 14): a public meeting broadcasts while the chair
// moves through two agenda items; the protocol PDF (pdftotext) prints for each
// item a link to the player at the item's offset in the recording, the
// server-rendered public page links the same offsets, and the player page
// (real Chromium, anonymous, phone, pl and en) starts at ?t=, lists the items
// with the offsets of GET …/audio/index and moves the player when one is
// chosen; after the close the app's public view links the player. axe-clean;
// no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, stopAll, signIn, demoIds, createMeeting, ok, DEMO, audioBatch,
} from '../e2e/lib.mjs';
import {
  PHONE, txt, launchBrowser, newContext, watchPage, openReady, assertAxeClean,
} from './browser.mjs';

let browser;
let srv;
before(async () => {
  browser = await launchBrowser();
  srv = await startServer({ args: ['--demo'] });
});
after(async () => {
  await browser?.close();
  await stopAll();
});

const batch = audioBatch;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('listen from an item: the protocol, the public page and the player agree with the recording index', { timeout: 120000 }, async () => {
  const op = await signIn(srv, DEMO.operator);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja z nagraniem', public: true });
  const P = `/api/meetings/${m.id}`;
  const items = [];
  for (const title of ['Otwarcie sesji', 'Budżet gminy']) items.push((await ok(op.post(`${P}/agenda`, { title }), 'agenda')).item_id);
  await ok(op.post(`${P}/convene`, {}), 'convene');
  await ok(op.post(`${P}/start`, {}), 'start');
  const SRC = 'source-listen-00000001';
  await ok(op.post(`${P}/audio/source`, { source_id: SRC }), 'audio');
  const send = (seq0, n) => op.api('POST', `${P}/audio/packets?source=${SRC}`, batch(seq0, n), { headers: { 'content-type': 'application/octet-stream' }, raw: true });
  assert.equal((await send(0, 50)).status, 200);
  await sleep(1200);
  await ok(op.post(`${P}/current-item`, { item_id: items[0] }), 'item 1');
  assert.equal((await send(50, 50)).status, 200);
  await sleep(1500);
  await ok(op.post(`${P}/current-item`, { item_id: items[1] }), 'item 2');
  assert.equal((await send(100, 50)).status, 200);
  await ok(op.post(`${P}/audio/source/stop`, { source_id: SRC }), 'stop');

  const idx = await ok(op.get(`${P}/audio/index`), 'index');
  const secs = items.map((id) => Math.floor(idx.marks.find((x) => x.kind === 'item' && x.id === id).offset_ms / 1000));
  assert.ok(secs[0] >= 1 && secs[1] > secs[0], `offsets ${secs}`);

  // The protocol: a link per item at its offset.
  const pdf = await op.get(`${P}/protocol.pdf`);
  assert.equal(pdf.status, 200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obrady-listen-'));
  fs.writeFileSync(path.join(dir, 'p.pdf'), pdf.body);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'p.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  fs.rmSync(dir, { recursive: true, force: true });
  for (const s of secs) assert.ok(text.includes(`${srv.url}/meetings/${m.id}/listen?t=${s}`.replace(/\s+/g, '')), `the protocol links t=${s}: ${text.slice(0, 2000)}`);
  assert.ok(text.includes('Nagranieodtegopunktu'), 'the protocol says what the link is');

  // The server-rendered public page: the same offsets.
  const page = await fetch(`${srv.url}/public/meetings/${m.id}`);
  const html = await page.text();
  const links = [...html.matchAll(/href="(\/meetings\/[^"]+\/listen\?t=(\d+))"[^>]*data-listen-from/g)].map((x) => Number(x[2]));
  assert.deepEqual(links, secs, html);

  // The player, anonymous on a phone, from the second item's link.
  const ctx = await newContext(browser, { viewport: PHONE });
  const pg = await ctx.newPage();
  const watch = await watchPage(pg);
  await openReady(pg, `${srv.url}/meetings/${m.id}/listen?t=${secs[1]}`);
  const audio = pg.locator('audio');
  assert.match(await audio.getAttribute('src'), new RegExp(`/api/meetings/${m.id}/audio/recording\\.opus#t=${secs[1]}$`));
  assert.deepEqual(await pg.locator('[data-seek]').evaluateAll((bs) => bs.map((b) => Number(b.dataset.seek))), secs);
  assert.ok((await pg.locator('[data-list="listen-items"]').innerText()).includes('Budżet gminy'));
  await pg.locator('[data-seek]').first().click();
  await pg.waitForFunction((t) => Math.abs(document.querySelector('audio').currentTime - t) < 1.5, secs[0], { timeout: 10000 });
  await assertAxeClean(pg, 'listen page (pl, phone)');
  await pg.click('#menu-toggle').catch(() => {});
  await pg.locator('[data-lang="en"]').click();
  await pg.locator('[data-seek]').first().filter({ hasText: txt('en', 'listen.from', { at: `0:${String(secs[0]).padStart(2, '0')}` }) }).waitFor();
  await assertAxeClean(pg, 'listen page (en, phone)');
  // After the close, the app's public view leads to the player.
  await ok(op.post(`${P}/close`, {}), 'close');
  await openReady(pg, `${srv.url}/meetings/${m.id}/public`);
  const toPlayer = pg.locator('a[data-action="listen-page"]');
  await toPlayer.waitFor({ timeout: 10000 });
  await toPlayer.click();
  await pg.waitForURL(`${srv.url}/meetings/${m.id}/listen`);
  await pg.locator('[data-seek]').first().waitFor({ timeout: 10000 });
  assert.deepEqual(watch.errors, [], 'no console errors');
  assert.deepEqual(watch.csp, [], 'no CSP violations');
  await ctx.close();
});
