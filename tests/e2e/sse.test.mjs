// GET /api/live (the instance log over SSE) and /api/meetings/{id}/events.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, stopAll, api, openSSE, expectError, freeTmpDir } from './lib.mjs';

after(stopAll);

/** Checks one event's frame and JSON against the contract. */
function checkEvent(ev, { seq, type }) {
  assert.ok(ev, `expected ${type} #${seq}, the stream ended`);
  assert.equal(ev.event, type, `event: field of #${seq}`);
  assert.equal(ev.id, String(seq), 'id: field is the seq');
  const d = ev.data;
  assert.equal(typeof d, 'object', `data is JSON: ${ev.dataText}`);
  assert.deepEqual(Object.keys(d).sort(), ['actor', 'hash', 'payload', 'seq', 'ts', 'type']);
  assert.equal(d.seq, seq);
  assert.equal(d.type, type);
  assert.equal(typeof d.actor, 'string');
  assert.ok(d.actor.length > 0);
  assert.ok(Number.isInteger(d.ts) && Math.abs(d.ts - Date.now()) < 10 * 60 * 1000, `ts in ms: ${d.ts}`);
  assert.match(d.hash, /^[0-9a-f]{64}$/);
  assert.equal(typeof d.payload, 'object');
  assert.ok(d.payload && !Array.isArray(d.payload));
  assert.ok(!ev.dataText.includes('\n'), 'data is one line');
}

test('/api/live: retry first, then server.started with seq and hash', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const s = await openSSE(`${srv.url}/api/live`);
  t.after(() => s.close());
  assert.equal(s.status, 200);
  assert.match(s.headers['content-type'], /^text\/event-stream\b/);
  const ev = await s.next(3000);
  assert.ok(s.raw.startsWith('retry: 3000\n\n'), `first bytes: ${JSON.stringify(s.raw.slice(0, 40))}`);
  assert.equal(s.retry, 3000);
  checkEvent(ev, { seq: 1, type: 'server.started' });
  assert.equal(typeof ev.data.payload.version, 'string');
  assert.ok(ev.data.payload.version.length > 0);
  assert.match(s.raw, /id: 1\nevent: server\.started\ndata: \{.*\}\n\n/, 'frame layout');
  // Nothing else is pending.
  await assert.rejects(s.next(300), /no event/);
});

test('SIGTERM with a stream open: server.stopping, clean end, exit 0; resume after restart', async (t) => {
  const dir = freeTmpDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = await startServer({ dataDir: dir });
  t.after(() => a.stop());
  const s = await openSSE(`${a.url}/api/live`);
  t.after(() => s.close());
  const started = await s.next(3000);
  checkEvent(started, { seq: 1, type: 'server.started' });

  const exit = await a.stop('SIGTERM');
  assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
  const stopping = await s.next(1000);
  checkEvent(stopping, { seq: 2, type: 'server.stopping' });
  const end = await s.ended;
  assert.equal(end.error, null, `stream ended cleanly (not reset): ${end.error}`);
  assert.equal(await s.next(100), null, 'nothing after server.stopping');
  assert.ok(a.logs().some((l) => /obrady stopped/.test(l)));

  // Restart: the log now holds started(1), stopping(2), started(3).
  const b = await startServer({ dataDir: dir });
  t.after(() => b.stop());
  const r = await openSSE(`${b.url}/api/live`, { lastEventId: stopping.id });
  t.after(() => r.close());
  const again = await r.next(3000);
  checkEvent(again, { seq: 3, type: 'server.started' });
  assert.notEqual(again.data.hash, started.data.hash);
  await assert.rejects(r.next(500), /no event/, 'nothing repeated or extra after seq 3');

  // ?since=N is the same as Last-Event-ID: N.
  const q = await openSSE(`${b.url}/api/live?since=2`);
  t.after(() => q.close());
  checkEvent(await q.next(3000), { seq: 3, type: 'server.started' });
  await assert.rejects(q.next(300), /no event/);

  // ?since=0 replays everything, in order, with the same hashes as live.
  const all = await openSSE(`${b.url}/api/live?since=0`);
  t.after(() => all.close());
  const e1 = await all.next(3000);
  const e2 = await all.next(3000);
  const e3 = await all.next(3000);
  checkEvent(e1, { seq: 1, type: 'server.started' });
  checkEvent(e2, { seq: 2, type: 'server.stopping' });
  checkEvent(e3, { seq: 3, type: 'server.started' });
  assert.equal(e1.data.hash, started.data.hash, 'replayed event 1 is the one seen live');
  assert.equal(e2.data.hash, stopping.data.hash, 'replayed event 2 is the one seen live');
  assert.deepEqual(e1.data, started.data);
  await assert.rejects(all.next(300), /no event/);

  // ?since=1 → 2, 3.
  const from1 = await openSSE(`${b.url}/api/live?since=1`);
  t.after(() => from1.close());
  assert.equal((await from1.next(3000)).data.seq, 2);
  assert.equal((await from1.next(3000)).data.seq, 3);
});

test('a stream resumed past the head waits for new events without error', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const s = await openSSE(`${srv.url}/api/live`, { lastEventId: 1 });
  t.after(() => s.close());
  assert.equal(s.status, 200);
  await assert.rejects(s.next(400), /no event/);
  assert.equal(s.retry, 3000, 'retry was still sent');
  const far = await openSSE(`${srv.url}/api/live?since=999`);
  t.after(() => far.close());
  assert.equal(far.status, 200);
  await assert.rejects(far.next(300), /no event/);
  // Both get server.stopping when the server shuts down.
  await srv.stop();
  assert.equal((await s.next(1000))?.event, 'server.stopping');
  assert.equal((await s.ended).error, null);
});

test('several streams all see the same events', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const streams = await Promise.all(Array.from({ length: 5 }, () => openSSE(`${srv.url}/api/live?since=0`)));
  t.after(() => Promise.all(streams.map((s) => s.close())));
  const first = await Promise.all(streams.map((s) => s.next(3000)));
  for (const e of first) checkEvent(e, { seq: 1, type: 'server.started' });
  assert.equal(new Set(first.map((e) => e.data.hash)).size, 1);
  await srv.stop();
  const last = await Promise.all(streams.map((s) => s.next(2000)));
  for (const e of last) checkEvent(e, { seq: 2, type: 'server.stopping' });
  for (const s of streams) assert.equal((await s.ended).error, null);
});

test('a malformed Last-Event-ID or since is refused with 400', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  expectError(await api(srv, 'GET', '/api/live?since=abc'), 400, 'bad_parameter', 'since');
  const s = await openSSE(`${srv.url}/api/live?since=abc`);
  assert.equal(s.status, 400);
  assert.equal(JSON.parse(s.text).error.code, 'bad_parameter');
  const h = await api(srv, 'GET', '/api/live', undefined, { headers: { 'last-event-id': 'abc' } });
  expectError(h, 400, 'bad_parameter');
});

test('meeting streams: unknown meeting → 404, malformed id → 404 or 400', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  expectError(await api(srv, 'GET', '/api/meetings/aaaaaaaaaaaaaaaaaaaa/events'), 404, 'not_found');
  for (const id of ['x', 'AAAAAAAAAAAAAAAAAAAA', 'iiiiiiiiiiiiiiiiiiii', 'aaaaaaaaaaaaaaaaaaaa1', '..%2f..%2finstance', 'instance%00']) {
    const r = await api(srv, 'GET', `/api/meetings/${id}/events`);
    assert.ok(r.status === 404 || r.status === 400, `${id}: ${r.status}`);
    expectError(r, r.status, r.status === 404 ? 'not_found' : 'bad_parameter');
  }
  // The instance log is not reachable as a "meeting".
  const inst = await api(srv, 'GET', '/api/meetings/instance/events');
  assert.ok(inst.status === 404 || inst.status === 400, `instance as a meeting id: ${inst.status}`);
});

test('on reconnect, Last-Event-ID wins over a ?since= left in the URL', async (t) => {
  // Both forms mean "events with seq > N"; a reconnecting EventSource sends
  // the header, so the header must work on a URL that also carries since=0.
  const dir = freeTmpDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = await startServer({ dataDir: dir });
  await a.stop();
  const b = await startServer({ dataDir: dir });
  t.after(() => b.stop());
  const s = await openSSE(`${b.url}/api/live?since=0`, { lastEventId: 2 });
  t.after(() => s.close());
  const ev = await s.next(3000);
  assert.equal(ev.data.seq, 3, 'Last-Event-ID (the reconnect) wins over the since= of the original URL');
});
