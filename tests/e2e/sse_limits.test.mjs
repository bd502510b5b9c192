// Event streams handed from libmicrohttpd to the epoll writer (src/http/
// sse_writer.c) still count against per_ip_connections and max_connections:
// MHD forgets a stream's connection once the writer owns its socket, so
// without the writer's own accounting a client could hold any number.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import {
  startServer, startDemo, stopAll, sleep, eventually, signInMany, demoIds, createMeeting, openSSE, ok, DEMO,
} from './lib.mjs';

after(stopAll);

/** User + system CPU seconds a process has used (Linux /proc). */
function cpuSeconds(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

/** A raw /api/live stream; resolves once server.started has arrived. */
function liveStream(port, localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    s.text = '';
    s.on('data', (d) => {
      s.text += d.toString('latin1');
      if (/event: server\.started/.test(s.text)) resolve(s);
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error(`closed before server.started: ${JSON.stringify(s.text.slice(0, 200))}`)));
    s.write('GET /api/live?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
  });
}

/** Connects, asks for /api/health, → 'answered' or 'refused' (closed without a byte). */
function tryRequest(port, localAddress = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    let got = '';
    const timer = setTimeout(() => { s.destroy(); resolve('timeout'); }, 5000);
    s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    s.on('data', (d) => { got += d; });
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(timer); resolve(got.startsWith('HTTP/1.1') ? 'answered' : 'refused'); });
  });
}

test('streams held by the writer count against per_ip_connections', async (t) => {
  const srv = await startServer({ config: { per_ip_connections: 5 } });
  t.after(() => srv.stop());
  const streams = [];
  for (let i = 0; i < 5; i++) streams.push(await liveStream(srv.port));
  t.after(() => streams.forEach((s) => s.destroy()));
  await sleep(300); // every stream handed over; MHD no longer counts them
  assert.equal(await tryRequest(srv.port), 'refused', 'a sixth connection from the same address');
  assert.equal(await tryRequest(srv.port, '127.0.0.2'), 'answered', 'another address is not affected');
  // A stream that hangs up frees its place.
  streams.shift().destroy();
  await eventually(async () => (await tryRequest(srv.port)) === 'answered', 8000, 200);
  // The streams still held go on receiving events, and end cleanly at shutdown.
  await srv.stop();
  for (const s of streams) {
    await eventually(() => /event: server\.stopping/.test(s.text), 5000);
    await eventually(() => s.text.endsWith('\r\n0\r\n\r\n'), 5000);
  }
});

test('streams held by the writer count against max_connections', async (t) => {
  const MAX = 12;
  const srv = await startServer({ config: { max_connections: MAX } });
  t.after(() => srv.stop());
  const streams = [];
  t.after(() => streams.forEach((s) => s.destroy()));
  // Open streams from distinct addresses until the server refuses one (a
  // few of the MAX places may still be held by the start-up checks).
  let refusedAt = -1;
  for (let i = 0; i < MAX + 5 && refusedAt < 0; i++) {
    try {
      streams.push(await liveStream(srv.port, `127.0.0.${10 + i}`));
      await sleep(50);
    } catch {
      refusedAt = i;
    }
  }
  assert.ok(refusedAt >= MAX - 4 && refusedAt <= MAX, `refused the stream number ${refusedAt + 1} of at most ${MAX}`);
  await sleep(300);
  assert.equal(await tryRequest(srv.port, '127.0.0.60'), 'refused', 'the server is full');
  streams.pop().destroy();
  await eventually(async () => (await tryRequest(srv.port, '127.0.0.60')) === 'answered', 8000, 200);
});

test('a writer-held stream steps past events its reader may not see (the participants’ chat on a public stream) and gets the next one', async () => {
  const srv = await startDemo();
  const [op, mem] = await signInMany(srv, [DEMO.operator, DEMO.member(1)]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Widoczność', public: true });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/agenda`, { title: 'a' }), 'item a');
  await ok(op.post(`${P}/start`, {}), 'start');
  const s = await openSSE(`${srv.url}${P}/events?since=3`); // anonymous: the public view
  try {
    await sleep(300); // caught up: the writer holds it now
    await ok(mem.post(`${P}/chat`, { text: 'tylko dla uczestników', to: 'all' }), 'chat (participants only)');
    // Nothing the stream may see is due: the writer must idle, not refetch
    // the invisible event in a loop (it once did, burning a core).
    const cpu0 = cpuSeconds(srv.proc.pid);
    await sleep(1500);
    const spent = cpuSeconds(srv.proc.pid) - cpu0;
    assert.ok(spent < 0.75, `the server idles after an invisible event (${spent.toFixed(2)} s of CPU in 1.5 s)`);
    await ok(op.post(`${P}/agenda`, { title: 'b' }), 'item b');
    const ev = await s.next(8000);
    assert.ok(ev, 'the public stream receives the item added after the chat message');
    assert.equal(ev.event, 'agenda.item_added');
    assert.equal(ev.data.payload.title, 'b');
  } finally {
    s.close();
  }
  // The writer thread is not stuck: a second stream still gets events.
  const s2 = await openSSE(`${srv.url}${P}/events?since=5`);
  try {
    await sleep(300);
    await ok(op.post(`${P}/agenda`, { title: 'c' }), 'item c');
    const ev = await s2.next(8000);
    assert.equal(ev?.data?.payload?.title, 'c');
  } finally {
    s2.close();
  }
});
