// Drill (long, `make drills`): slow clients and idle attackers. From one
// address, 2 000 connections that never send a request; from another, 200
// event streams that never read while the meeting's chat pushes ~0.6 MB to
// each. Meanwhile 30 real members, each from their own address, follow the
// meeting; a vote opens and must reach every one of them within the target
// (DESIGN.md: p99 < 100 ms; asserted at 1 s on this shared machine, the
// measured figures are printed).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startDemo, stopAll, sleep, percentile, getMetrics, sumMetric } from '../e2e/lib.mjs';
import { councilInSession, ok } from './council.mjs';

after(stopAll);

/** A raw HTTP/1.1 event stream from localAddress; onEvent(type) per frame. */
function rawStream(srv, path, cookie, localAddress, { onEvent = null, paused = false } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port: srv.port, localAddress }, () => {
      sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nAccept: text/event-stream\r\nCookie: obrady_session=${cookie}\r\n\r\n`);
      if (paused) {
        sock.pause(); // never reads: the server's writes pile up
        resolve(sock);
      }
    });
    sock.on('error', reject);
    if (paused) return;
    let buf = '';
    let isHead = true;
    sock.setEncoding('utf8');
    sock.on('data', (d) => {
      buf += d;
      if (isHead) {
        const i = buf.indexOf('\r\n\r\n');
        if (i < 0) return;
        if (!buf.startsWith('HTTP/1.1 200')) reject(new Error(`stream: ${buf.slice(0, 200)}`));
        isHead = false;
        buf = buf.slice(i + 4);
        resolve(sock);
      }
      for (const m of buf.matchAll(/^event: ([\w.]+)$/gm)) onEvent && onEvent(m[1]);
      buf = buf.slice(buf.lastIndexOf('\n') + 1);
    });
  });
}

test('2 000 idle connections and 200 streams that never read do not delay a vote reaching the members', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const { op, voters, meeting } = await councilInSession(srv, 30);
  const P = `/api/meetings/${meeting.id}`;

  // The attackers: 2 000 idle sockets from 127.0.0.2 (past the per-address limit).
  const idle = [];
  let refused = 0;
  let closedByServer = 0;
  await Promise.all(Array.from({ length: 2000 }, () => new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port: srv.port, localAddress: '127.0.0.2' }, () => resolve());
    s.on('error', () => { refused++; resolve(); });
    s.on('close', () => { closedByServer++; });
    idle.push(s);
  })));
  t.after(() => idle.forEach((s) => s.destroy()));
  // 200 readers from 127.0.0.3 that never read, following everything (staff view).
  const stuck = await Promise.all(Array.from({ length: 200 }, () => rawStream(srv, `${P}/events`, op.cookie, '127.0.0.3', { paused: true })));
  t.after(() => stuck.forEach((s) => s.destroy()));

  // The members, each from their own address, from the log's head on.
  const seq = (await ok(op.get(`${P}/state`), 'state')).seq;
  const arrivals = new Map();
  const members = await Promise.all(voters.map((v, i) => rawStream(srv, `${P}/events?since=${seq}`, v.cookie, `127.0.1.${i + 1}`, {
    onEvent: (type) => { if (type === 'vote.opened' && !arrivals.has(i)) arrivals.set(i, performance.now()); },
  })));
  t.after(() => members.forEach((s) => s.destroy()));

  // ~0.6 MB of chat for every stuck reader to not read.
  const text = 'Uwaga porządkowa. '.repeat(110).slice(0, 2000);
  for (let i = 0; i < 300; i++) await ok(op.post(`${P}/chat`, { text, to: 'all' }), `chat ${i}`);
  await sleep(500);
  const open = sumMetric(await getMetrics(srv), 'obrady_sse_streams_open');
  t.diagnostic(`idle sockets: ${refused} refused, ${closedByServer} closed by the server (per-address limit); SSE streams open: ${open}`);

  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała pod obciążeniem', kind: 'open', method: 'yes_no_abstain', majority: 'simple', duration_s: 600 }), 'create vote');
  const t0 = performance.now();
  await ok(op.post(`/api/votes/${v.id}/open`), 'open vote');
  const end = Date.now() + 5000;
  while (arrivals.size < voters.length && Date.now() < end) await sleep(10);
  const lat = [...arrivals.values()].map((a) => a - t0);
  const summary = `vote.opened reached ${lat.length}/${voters.length} members: p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`;
  t.diagnostic(summary);
  assert.equal(lat.length, voters.length, summary);
  assert.ok(percentile(lat, 99) < 1000, summary);
});
