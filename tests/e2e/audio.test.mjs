// The audio API without a browser: who may broadcast, listen and download;
// packet batches (resend is idempotent, bad or oversized packets refused
// while the stream goes on); a listener gets the Ogg Opus headers first and
// then whole pages; the index of a recording. Packets here are valid Opus
// framing (20 ms CELT frames) with arbitrary payload: the server never
// decodes them; the browser test (tests/browser/audio.test.mjs) sends real audio.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  startServer, stopAll, signIn, demoIds, createMeeting, ok, anonymous, expectError, freeTmpDir, runCli, DEMO, audioBatch,
} from './lib.mjs';

let srv;
before(async () => {
  srv = await startServer({ args: ['--demo'] });
});
after(stopAll);

const batch = audioBatch;

const send = (c, P, source, body, type = 'application/octet-stream') =>
  c.api('POST', `${P}/audio/packets?source=${source}`, body, { headers: { 'content-type': type }, raw: true });

/** Reads the live stream for ms → the bytes received. */
function readStream(url, cookie, ms) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: cookie ? { cookie: `obrady_session=${cookie}` } : {} }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      setTimeout(() => {
        req.destroy();
        resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(chunks) });
      }, ms);
    });
    req.on('error', reject);
  });
}

test('a private meeting: operators broadcast, participants listen, the public does not; batches are idempotent and checked', async () => {
  const [op, member] = await Promise.all([signIn(srv, DEMO.operator), signIn(srv, DEMO.member(5))]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja niejawna', public: false });
  const P = `/api/meetings/${m.id}`;
  const SRC = 'source-test-0000000001';
  // Not before the meeting is under way.
  expectError(await op.post(`${P}/audio/source`, { source_id: SRC }), 409, 'meeting_not_ready');
  await ok(op.post(`${P}/start`, {}), 'start');
  expectError(await member.post(`${P}/audio/source`, { source_id: SRC }), 403, 'forbidden');
  expectError(await op.post(`${P}/audio/source`, { source_id: 'short' }), 422, 'out_of_range', 'source_id');
  const started = await op.post(`${P}/audio/source`, { source_id: SRC });
  assert.equal(started.status, 201, started.text);
  assert.equal(started.json.offset_ms, 0);

  let r = await send(op, P, SRC, batch(0, 25));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.next_seq, 25);
  // Listeners: a participant yes, the public no (the meeting is not public).
  const pub = anonymous(srv);
  assert.ok([401, 404].includes((await pub.get(`${P}/audio`)).status));
  const listening = readStream(`${srv.url}${P}/audio`, member.cookie, 1500);
  await new Promise((res) => setTimeout(res, 300));
  r = await send(op, P, SRC, batch(0, 50)); // half of it a resend
  assert.equal(r.json.next_seq, 50);
  // Bad input is refused; the stream continues.
  expectError(await send(op, P, SRC, batch(50, 1, { plen: 1501 })), 413, 'audio_packet_too_large');
  expectError(await send(op, P, SRC, batch(50, 1, { plen: 4, first: 0xf9 })), 400, 'audio_packet_invalid');
  expectError(await send(op, P, SRC, Buffer.from('OBA1\x00\x00')), 400, 'audio_packet_invalid');
  expectError(await send(op, P, SRC, batch(50, 1), 'application/json'), 415, 'unsupported_media_type');
  expectError(await send(op, P, 'source-not-the-one-0001', batch(50, 1)), 409, 'audio_not_source');
  r = await send(op, P, SRC, batch(50, 25));
  assert.equal(r.json.next_seq, 75);
  const got = await listening;
  assert.equal(got.status, 200);
  assert.match(got.type, /^audio\/ogg/);
  assert.equal(got.body.subarray(0, 4).toString(), 'OggS');
  assert.equal(got.body.subarray(28, 36).toString(), 'OpusHead');
  assert.ok(got.body.indexOf('OpusTags') > 0);
  // Whole pages after the headers: every "OggS" capture is at a page start.
  let pages = 0;
  for (let i = 0; i + 27 <= got.body.length;) {
    assert.equal(got.body.subarray(i, i + 4).toString(), 'OggS', `page boundary at ${i}`);
    const nseg = got.body[i + 26];
    let len = 27 + nseg;
    for (let k = 0; k < nseg; k++) len += got.body[i + 27 + k];
    i += len;
    pages++;
  }
  assert.ok(pages >= 4, `${pages} pages`);

  const st = await ok(op.get(`${P}/audio/status`), 'status');
  assert.equal(st.is_live, true);
  assert.equal(st.broadcaster.user_id, op.user.id);
  assert.equal(st.live_ms, 1500);
  assert.equal(st.duplicates, 25);
  const mst = await ok(member.get(`${P}/audio/status`), 'member status');
  assert.equal(mst.broadcaster, undefined, 'only staff see who broadcasts and the counters');

  await ok(op.post(`${P}/audio/source/stop`, { source_id: SRC }), 'stop');
  expectError(await op.post(`${P}/audio/source/stop`, { source_id: SRC }), 409, 'audio_not_source');
  // The recording: staff only for a private meeting.
  expectError(await member.get(`${P}/audio/recording.opus`), 403, 'forbidden');
  const dl = await op.api('GET', `${P}/audio/recording.opus`, undefined, { raw: true });
  assert.equal(dl.status, 200);
  assert.match(dl.headers['content-disposition'], /attachment/);
  // #14: HTTP ranges (a player seeking to an item, a resumed download).
  const full = dl.body;
  const N = full.length;
  assert.ok(N > 300, `a recording of ${N} bytes`);
  assert.equal(dl.headers['accept-ranges'], 'bytes');
  const ranged = (range, extra = {}) => op.api('GET', `${P}/audio/recording.opus`, undefined, { raw: true, headers: { range, ...extra } });
  for (const [range, from, to] of [['bytes=0-99', 0, 100], ['bytes=100-', 100, N], ['bytes=-50', N - 50, N], [`bytes=${N - 10}-${N + 500}`, N - 10, N]]) {
    const r = await ranged(range);
    assert.equal(r.status, 206, `${range}: ${r.status}`);
    assert.equal(r.headers['content-range'], `bytes ${from}-${to - 1}/${N}`, range);
    assert.equal(Number(r.headers['content-length']), to - from, range);
    assert.ok(r.body.equals(full.subarray(from, to)), `${range}: the same bytes as the whole file's`);
  }
  const past = await ranged(`bytes=${N}-`);
  assert.equal(past.status, 416);
  assert.equal(past.headers['content-range'], `bytes */${N}`);
  assert.equal(JSON.parse(past.body.toString()).error.code, 'range_not_satisfiable');
  for (const [range, extra] of [['bytes=0-1,5-6', {}], ['items=0-5', {}], ['bytes=9-3', {}], ['bytes=0-99', { 'if-range': '"x"' }]]) {
    const r = await ranged(range, extra);
    assert.equal(r.status, 200, `${range} ${JSON.stringify(extra)}: the whole file`);
    assert.ok(r.body.equals(full), range);
  }
  expectError(await member.api('GET', `${P}/audio/recording.opus`, undefined, { headers: { range: 'bytes=0-9' } }), 403, 'forbidden');
  const idx = await ok(op.get(`${P}/audio/index`), 'index');
  assert.deepEqual(idx.gaps, []);

  // Closed and archived: the recording goes into the bundle, byte for byte.
  await ok(op.post(`${P}/close`, {}), 'close');
  expectError(await op.post(`${P}/audio/source`, { source_id: SRC }), 409, 'meeting_closed');
  const out = freeTmpDir('obrady-audio-archive-');
  const run = await runCli(['archive', 'run', '--data', srv.dataDir, '--to', out, '--meeting', m.id], { timeoutMs: 60000 });
  assert.equal(run.code, 0, run.stderr);
  const zip = path.join(out, `obrady-archive-${m.id}.zip`);
  const inZip = execFileSync('python3', ['-c', 'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read("audio.opus"))', zip]);
  assert.ok(inZip.equals(fs.readFileSync(path.join(srv.dataDir, 'audio', `${m.id}.opus`))), 'audio.opus in the archive');
  const v = await runCli(['archive', 'verify', zip], { timeoutMs: 60000 });
  assert.equal(v.code, 0, v.stderr);
});

test('archive run --public-origin: the protocol\'s recording links and the bundle\'s page links are absolute', { timeout: 120000 }, async () => {
  const op = await signIn(srv, DEMO.operator);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja do archiwum', public: true });
  const P = `/api/meetings/${m.id}`;
  const item = (await ok(op.post(`${P}/agenda`, { title: 'Otwarcie sesji' }), 'agenda')).item_id;
  await ok(op.post(`${P}/convene`, {}), 'convene');
  await ok(op.post(`${P}/start`, {}), 'start');
  const SRC = 'source-archive-000001';
  await ok(op.post(`${P}/audio/source`, { source_id: SRC }), 'audio');
  assert.equal((await send(op, P, SRC, batch(0, 50))).status, 200);
  await ok(op.post(`${P}/current-item`, { item_id: item }), 'item');
  assert.equal((await send(op, P, SRC, batch(50, 50))).status, 200);
  await ok(op.post(`${P}/audio/source/stop`, { source_id: SRC }), 'stop');
  await ok(op.post(`${P}/close`, {}), 'close');
  const read = (zip, name) => execFileSync('python3', ['-c', 'import sys,zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))', zip, name]);
  const ORIGIN = 'https://rada.example.pl';

  const out = freeTmpDir('obrady-archive-origin-');
  const run = await runCli(['archive', 'run', '--data', srv.dataDir, '--to', out, '--meeting', m.id, '--public-origin', `${ORIGIN}/`], { timeoutMs: 60000 });
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /warning/);
  const zip = path.join(out, `obrady-archive-${m.id}.zip`);
  const pdfFile = path.join(out, 'protocol.pdf');
  fs.writeFileSync(pdfFile, read(zip, 'protocol.pdf'));
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  assert.ok(text.includes(`${ORIGIN}/meetings/${m.id}/listen?t=`), `an absolute recording link: ${text.slice(0, 1500)}`);
  const model = JSON.parse(read(zip, 'meeting.json').toString());
  assert.equal(model.meeting.page, `${ORIGIN}/public/meetings/${m.id}`);
  assert.equal(model.links.protocol_pdf, `${ORIGIN}/api/meetings/${m.id}/protocol.pdf`);

  // Without one: a warning, and the links are relative; a bad one refused.
  const out2 = freeTmpDir('obrady-archive-origin-');
  const rel = await runCli(['archive', 'run', '--data', srv.dataDir, '--to', out2, '--meeting', m.id], { timeoutMs: 60000 });
  assert.equal(rel.code, 0, rel.stderr);
  assert.match(rel.stderr, /warning: no public_origin/);
  assert.equal(JSON.parse(read(path.join(out2, `obrady-archive-${m.id}.zip`), 'meeting.json').toString()).meeting.page, `/public/meetings/${m.id}`);
  for (const bad of ['ftp://rada.example.pl', 'https://rada.example.pl/sub', 'rada.example.pl']) {
    const r = await runCli(['archive', 'run', '--data', srv.dataDir, '--to', out2, '--meeting', m.id, '--public-origin', bad], { timeoutMs: 60000 });
    assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /public origin/);
  }
});
