// Connections spread over the HTTP workers (issue 16): one acceptor thread
// hands each to libmicrohttpd, which picks the worker by socket number. Left
// to MHD 0.9.75, the first worker to wake took up to eleven connections in a
// row, so 32 connections opened at once were served by about three of eight
// workers. Each worker's voluntary context switches while the 32 keep-alive
// connections send requests show which workers serve them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { startServer, stopAll } from './lib.mjs';

after(stopAll);

const WORKERS = 8;
const CONNS = 32;
const REQUESTS = 40;

/** tid → voluntary context switches of the server's MHD worker threads. */
function workerSwitches(pid) {
  const out = new Map();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      if (fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() !== 'MHD-worker') continue;
      const m = /voluntary_ctxt_switches:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'));
      out.set(tid, Number(m[1]));
    } catch { /* thread gone */ }
  }
  return out;
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

/** Sends n GET /healthz one after another on socket s (keep-alive). */
async function requests(s, n) {
  let buf = '';
  for (let i = 0; i < n; i++) {
    s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await new Promise((resolve, reject) => {
      const onClose = () => reject(new Error('closed'));
      const onData = (d) => {
        buf += d.toString('latin1');
        const end = buf.indexOf('\r\n\r\n');
        const len = /content-length:\s*(\d+)/i.exec(buf);
        if (end >= 0 && len && buf.length >= end + 4 + Number(len[1])) {
          assert.match(buf, /^HTTP\/1\.1 200 /);
          buf = buf.slice(end + 4 + Number(len[1]));
          s.off('data', onData);
          s.off('close', onClose);
          resolve();
        }
      };
      s.on('data', onData);
      s.once('close', onClose);
    });
  }
}

test('32 connections opened at once are served by all eight workers', async (t) => {
  const srv = await startServer({ config: { threads: WORKERS } });
  t.after(() => srv.stop());
  const socks = await Promise.all(Array.from({ length: CONNS }, () => connect(srv.port)));
  t.after(() => socks.forEach((s) => s.destroy()));
  const before = workerSwitches(srv.proc.pid);
  assert.equal(before.size, WORKERS, 'one MHD-worker thread per configured thread');
  await Promise.all(socks.map((s) => requests(s, REQUESTS)));
  const after = workerSwitches(srv.proc.pid);
  const deltas = [...before].map(([tid, n]) => (after.get(tid) ?? n) - n);
  // Four connections each: at least one wake-up per request of one of them
  // (a worker may take its connections' requests together).
  const busy = deltas.filter((d) => d >= REQUESTS / 2);
  assert.equal(busy.length, WORKERS, `workers that served requests: ${busy.length} of ${WORKERS} (wake-ups ${deltas.join(' ')})`);
});
