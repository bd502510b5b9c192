// Live audio end to end (issue 14): a headless Chromium operator with the
// fake capture device broadcasts for 20 s from the console on
// http://127.0.0.1 (WebCodecs Opus, 32 kbps); a member (phone) and an
// anonymous listener of the public view press "Listen" and play it (their
// currentTime advances, no media error); a second source is refused with 409
// naming who broadcasts; the recording is valid Ogg Opus (opusinfo) lasting
// 20 s ± 1 s. Then the operator's page vanishes for 5 s: the server ends the
// source as lost, a new start marks the gap (audio.stopped "lost", a gap in
// the index, silence in the file), and the file stays valid. axe on the
// audio parts; no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  startServer, stopAll, sleep, signIn, demoIds, createMeeting, ok, anonymous, readEvents, DEMO, SESSION_COOKIE,
} from '../e2e/lib.mjs';
import { PHONE, DESKTOP, launchBrowser, newContext, watchPage, runAxe, formatViolations } from './browser.mjs';

let browser;
let srv;

before(async () => {
  browser = await launchBrowser({
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
  srv = await startServer({ args: ['--demo'] });
});

after(async () => {
  await browser?.close();
  await stopAll();
});

async function contextFor(client, viewport = DESKTOP) {
  const ctx = await newContext(browser, { viewport });
  if (client) {
    await ctx.addCookies([{ name: SESSION_COOKIE, value: client.cookie, url: srv.url }]);
    await ctx.addInitScript(() => window.localStorage.setItem('obrady.signedIn', '1'));
  }
  await ctx.grantPermissions(['microphone'], { origin: srv.url });
  return ctx;
}

async function open(ctx, p) {
  const page = await ctx.newPage();
  const watch = await watchPage(page);
  await page.goto(srv.url + p);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 15000 });
  return { page, watch };
}

async function startAudio(page) {
  await page.click('[data-action="audio-start"]');
  await page.waitForSelector('[data-panel="audio"][data-state="live"]', { timeout: 15000 });
}

/** Checks file with opusinfo and decodes it whole with opusdec → its length in s.
 * The one warning allowed is the missing end-of-stream flag: the recording of a
 * meeting is a live stream, appended to whenever the broadcast resumes. */
function opusLength(file) {
  let out;
  try {
    out = execFileSync('opusinfo', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    out = `${err.stdout}${err.stderr}`;
    assert.equal(err.status, 1, out);
  }
  const warnings = out.split('\n').filter((l) => /WARNING|ERROR|corrupt|hole|gap/i.test(l));
  assert.deepEqual(warnings, ['WARNING: EOS not set on stream 1 (normal for live streams)'], out);
  const wav = `${file}.wav`;
  execFileSync('opusdec', ['--quiet', file, wav], { stdio: ['ignore', 'pipe', 'pipe'] });
  const decodedS = (fs.statSync(wav).size - 44) / 2 / 48000; // 16-bit mono at 48 kHz
  fs.unlinkSync(wav);
  const m = out.match(/Playback length:\s*(\d+)m:([\d.]+)s/);
  assert.ok(m, out);
  const len = Number(m[1]) * 60 + Number(m[2]);
  assert.ok(Math.abs(decodedS - len) < 0.1, `opusdec decoded ${decodedS} s of ${len} s`);
  return len;
}

async function listen(page) {
  await page.click('[data-action="listen"]');
  await page.waitForFunction(() => {
    const a = document.querySelector('.listen-panel audio');
    return a && a.currentTime > 0.5;
  }, null, { timeout: 20000 });
  return page.evaluate(() => document.querySelector('.listen-panel audio').currentTime);
}

test('broadcast 20 s, two listeners, 409 for a second source, a 20 s recording; a 5 s drop is a marked gap', async () => {
  const [op, member] = await Promise.all([signIn(srv, DEMO.operator), signIn(srv, DEMO.chair)]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja z dźwiękiem', public: true });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const pub = anonymous(srv);
  assert.equal((await pub.get(`${P}/audio`)).status, 404, 'nothing live yet');

  const opCtx = await contextFor(op);
  const opView = await open(opCtx, `/meetings/${m.id}/console`);
  await startAudio(opView.page);
  const t0 = Date.now();

  // A second source is refused, naming who broadcasts.
  const second = await op.post(`${P}/audio/source`, { source_id: 'another-browser-0001' });
  assert.equal(second.status, 409, second.text);
  assert.equal(second.json.error.code, 'audio_busy');
  assert.ok(second.json.error.broadcaster.name, second.text);
  // Bad input: garbage and an oversized packet are refused; the stream goes on.
  const bad = await op.api('POST', `${P}/audio/packets?source=another-browser-0001`, Buffer.from('OBA1xx'), { headers: { 'content-type': 'application/octet-stream' }, raw: true });
  assert.equal(bad.status, 400, bad.text);

  const memCtx = await contextFor(member, PHONE);
  const memView = await open(memCtx, `/meetings/${m.id}`);
  const pubCtx = await contextFor(null, PHONE);
  const pubView = await open(pubCtx, `/meetings/${m.id}/public`);
  const [c1, c2] = await Promise.all([listen(memView.page), listen(pubView.page)]);
  await sleep(3000);
  for (const [v, c] of [[memView, c1], [pubView, c2]]) {
    const st = await v.page.evaluate(() => {
      const a = document.querySelector('.listen-panel audio');
      return { t: a.currentTime, err: a.error && a.error.code, status: document.querySelector('[data-region="listen-status"]').textContent };
    });
    assert.equal(st.err, null, 'no media error');
    assert.ok(st.t > c + 1.5, `currentTime advances: ${c} → ${st.t}`);
  }
  const status = await ok(op.get(`${P}/audio/status`), 'status');
  assert.equal(status.is_live, true);
  assert.equal(status.listeners, 2);
  for (const v of [memView, pubView]) {
    const axe = await runAxe(v.page, { include: '[data-panel="listen"]' });
    assert.deepEqual(axe, [], formatViolations(axe));
  }
  const axe = await runAxe(opView.page, { include: '[data-panel="audio"]' });
  assert.deepEqual(axe, [], formatViolations(axe));

  await sleep(Math.max(0, 20000 - (Date.now() - t0)));
  // Pressed from inside the page: no actionability waits on a loaded machine.
  await opView.page.evaluate(() => document.querySelector('[data-action="audio-stop"]').click());
  await opView.page.waitForSelector('[data-panel="audio"][data-state="stopped"]', { timeout: 10000 });
  const file = path.join(srv.dataDir, 'audio', `${m.id}.opus`);
  const len = opusLength(file);
  assert.ok(Math.abs(len - 20) <= 1, `recording lasts ${len} s`);
  // The listeners see the interruption.
  await memView.page.waitForFunction(() => /przerwana|interrupted/i.test(document.querySelector('[data-region="listen-status"]').textContent), null, { timeout: 10000 });

  // The drop: the operator's page vanishes mid-broadcast for 5 s.
  await startAudio(opView.page);
  await sleep(2000);
  await opView.page.close();
  await sleep(5000);
  const again = await open(opCtx, `/meetings/${m.id}/console`);
  await startAudio(again.page);
  await sleep(2000);
  await again.page.click('[data-action="audio-stop"]');
  await again.page.waitForSelector('[data-panel="audio"][data-state="stopped"]', { timeout: 10000 });

  const index = await ok(pub.get(`${P}/audio/index`), 'index');
  const drop = index.gaps.find((g) => g.length_ms >= 5000 && g.offset_ms > 20000);
  assert.ok(drop, `a gap of ≥ 5 s after the first 20 s: ${JSON.stringify(index.gaps)}`);
  const events = (await readEvents(pub, m.id)).filter((e) => e.type.startsWith('audio.'));
  assert.deepEqual(events.map((e) => `${e.type}${e.payload.reason ? `:${e.payload.reason}` : ''}`),
    ['audio.started', 'audio.stopped:stopped', 'audio.started', 'audio.stopped:lost', 'audio.started', 'audio.stopped:stopped']);
  assert.ok(events[4].payload.gap_ms >= 5000, `the gap after the drop: ${JSON.stringify(events[4].payload)}`);
  const after = await ok(op.get(`${P}/audio/status`), 'status after');
  const total = opusLength(file);
  assert.ok(Math.abs(total - after.recorded_ms / 1000) <= 0.5, `file ${total} s, server ${after.recorded_ms} ms`);
  assert.ok(total >= 20 + 5 + 2 + 2 - 1, `the gap is in the file as silence: ${total} s`);
  // The recording is published for a public meeting.
  const dl = await pub.get(`${P}/audio/recording.opus`);
  assert.equal(dl.status, 200);
  for (const v of [opView, memView, pubView, again]) {
    assert.deepEqual(v.watch.errors.filter((e) => !/Failed to load resource.*404|net::ERR/.test(e)), []);
    assert.deepEqual(v.watch.csp, []);
  }
  await Promise.all([opCtx.close(), memCtx.close(), pubCtx.close()]);
});
