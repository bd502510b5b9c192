// bench/audio/bench.mjs LISTENERS SECONDS — see ./run. obrady: a source posts
// a batch of 25 Opus packets (20 ms, 80 bytes: 32 kbps) every 500 ms, as the
// console does; LISTENERS clients read GET /api/meetings/{id}/audio and parse
// its pages; a page's granule names its batch, so the delay obrady adds is
// arrival − the moment that batch's POST was sent. nginx: the recording
// obrady made, served as a static file to as many clients, each paced at
// the live stream's byte rate (limit_rate), so both serve the same bytes at
// the same rate. CPU: utime+stime of the server process(es) over the window.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startDemo, signIn, demoIds, createMeeting, sleep } from '../../tests/e2e/lib.mjs';
import { cpuSeconds, freePort } from '../lib/obrady.mjs';

const N = Number(process.argv[2] || 1000);
const SECONDS = Number(process.argv[3] || 20);
const PACKETS = 25;
const PLEN = 80;

/** CPU µs used so far by pid and its children (nginx workers). */
const cpuUs = (pid) => cpuSeconds(pid) * 1e6;

function batch(seq0) {
  const parts = [Buffer.from('OBA1')];
  for (let k = 0; k < PACKETS; k++) {
    const h = Buffer.alloc(14);
    h.writeUInt32BE(seq0 + k, 0);
    h.writeBigUInt64BE(BigInt((seq0 + k) * 20000), 4);
    h.writeUInt16BE(PLEN, 12);
    const p = Buffer.alloc(PLEN, (seq0 + k) & 0xff);
    p[0] = 0xf8;
    parts.push(h, p);
  }
  return Buffer.concat(parts);
}

const pct = (a, p) => (a.length ? a[Math.min(a.length - 1, Math.floor((a.length * p) / 100))] : NaN);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function post(srv, p, body, cookie, type) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${srv.url}${p}`, {
      method: 'POST', agent,
      headers: { cookie: `obrady_session=${cookie}`, origin: srv.url, 'content-type': type, 'content-length': body.length },
    }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(body);
  });
}

/** A listener: counts bytes; for obrady, parses pages and records each page's granule arrival. */
function listener(url, onPage) {
  const st = { bytes: 0, ttfb: null, t0: performance.now(), ok: false, req: null };
  let buf = Buffer.alloc(0);
  st.req = http.get(url, { agent: false }, (res) => {
    st.ok = res.statusCode === 200;
    res.on('data', (d) => {
      if (st.ttfb === null) st.ttfb = performance.now() - st.t0;
      st.bytes += d.length;
      if (!onPage) return;
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      for (;;) {
        if (buf.length < 27) break;
        const nseg = buf[26];
        if (buf.length < 27 + nseg) break;
        let len = 27 + nseg;
        for (let i = 0; i < nseg; i++) len += buf[27 + i];
        if (buf.length < len) break;
        onPage(Number(buf.readBigInt64LE(6)), performance.now());
        buf = buf.subarray(len);
      }
    });
    res.on('error', () => {});
  });
  st.req.on('error', () => {});
  return st;
}

async function benchObrady(dir) {
  const srv = await startDemo({ timeoutMs: 20000, config: { max_connections: N + 200, per_ip_connections: N + 200 } });
  try {
    const op = await signIn(srv, 'biuro@przykladowo.example', { via: 'stdout' });
    const { bodyId } = await demoIds(op);
    const m = await createMeeting(op, bodyId, { title: 'Sesja z dźwiękiem', public: true });
    const P = `/api/meetings/${m.id}`;
    const s = await op.post(`${P}/start`);
    if (s.status !== 200) throw new Error(`start: ${s.status} ${s.text}`);
    const SRC = 'bench-source-000000001';
    const r = await op.post(`${P}/audio/source`, { source_id: SRC });
    if (r.status !== 201) throw new Error(`source: ${r.status} ${r.text}`);
    const sent = new Map(); // granule at the batch's end → when its POST was sent
    let seq = 0;
    const feed = async () => {
      const granule = 312 + (seq + PACKETS) * 960;
      sent.set(granule, performance.now());
      const code = await post(srv, `${P}/audio/packets?source=${SRC}`, batch(seq), op.cookie, 'application/octet-stream');
      if (code !== 200) throw new Error(`packets: ${code}`);
      seq += PACKETS;
    };
    await feed();
    let feeding = setInterval(() => feed().catch((e) => console.error(e.message)), 500);
    const delays = [];
    let measuring = false;
    const ls = [];
    for (let i = 0; i < N; i++) {
      ls.push(listener(`${srv.url}${P}/audio`, (g, at) => {
        if (measuring && sent.has(g)) delays.push(at - sent.get(g));
      }));
      if (i % 100 === 99) await sleep(50);
    }
    await sleep(3000);
    const b0 = ls.map((l) => l.bytes);
    const c0 = cpuUs(srv.proc.pid);
    const t0 = performance.now();
    measuring = true;
    await sleep(SECONDS * 1000);
    measuring = false;
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuUs(srv.proc.pid) - c0;
    const connected = ls.filter((l) => l.ok).length;
    const bytes = ls.reduce((a, l, i) => a + (l.bytes - b0[i]), 0);
    clearInterval(feeding);
    feeding = null;
    ls.forEach((l) => l.req.destroy());
    await post(srv, `${P}/audio/source/stop`, Buffer.from(JSON.stringify({ source_id: SRC })), op.cookie, 'application/json');
    const file = path.join(dir, 'recording.opus');
    fs.copyFileSync(path.join(srv.dataDir, 'audio', `${m.id}.opus`), file);
    delays.sort((a, b) => a - b);
    return {
      connected, bytesPerListenerS: bytes / Math.max(1, connected) / wall, cpuPerListenerUsS: cpu / wall / Math.max(1, connected),
      cores: cpu / 1e6 / wall, p50: pct(delays, 50), p99: pct(delays, 99), samples: delays.length, file,
    };
  } finally {
    await srv.stop();
  }
}

async function benchNginx(dir, file, rate) {
  const port = await freePort();
  const prefix = path.join(dir, 'nginx');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  fs.mkdirSync(path.join(prefix, 'www'), { recursive: true });
  fs.copyFileSync(file, path.join(prefix, 'www', 'a.opus'));
  for (const p of [prefix, path.join(prefix, 'www'), path.join(prefix, 'www', 'a.opus')]) fs.chmodSync(p, 0o755);
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, `
worker_processes 2;
worker_rlimit_nofile 20000;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 20000; use epoll; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  types { audio/ogg opus; }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    root ${prefix}/www;
    location / { limit_rate ${Math.round(rate)}; sendfile off; }
  }
}
`);
  const ng = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  ng.stderr.on('data', (d) => { err += d; });
  try {
    await sleep(700);
    const ls = [];
    for (let i = 0; i < N; i++) {
      ls.push(listener(`http://127.0.0.1:${port}/a.opus`, null));
      if (i % 100 === 99) await sleep(50);
    }
    await sleep(3000);
    const b0 = ls.map((l) => l.bytes);
    const c0 = cpuUs(ng.pid);
    const t0 = performance.now();
    await sleep(SECONDS * 1000);
    const wall = (performance.now() - t0) / 1000;
    const cpu = cpuUs(ng.pid) - c0;
    const connected = ls.filter((l) => l.ok).length;
    const bytes = ls.reduce((a, l, i) => a + (l.bytes - b0[i]), 0);
    const ttfb = ls.map((l) => l.ttfb).filter((x) => x !== null).sort((a, b) => a - b);
    ls.forEach((l) => l.req.destroy());
    return { connected, bytesPerListenerS: bytes / Math.max(1, connected) / wall, cpuPerListenerUsS: cpu / wall / Math.max(1, connected), cores: cpu / 1e6 / wall, ttfbP99: pct(ttfb, 99) };
  } catch (e) {
    throw new Error(`${e.message}\nnginx: ${err}`);
  } finally {
    ng.kill('SIGTERM');
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obrady-bench-audio-'));
fs.chmodSync(dir, 0o755); // nginx's workers run as another user
try {
  const o = await benchObrady(dir);
  const n = await benchNginx(dir, o.file, o.bytesPerListenerS);
  const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '—');
  console.log(`load average: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
  console.log(`${N} listeners, ${SECONDS} s measured; source 32 kbps (25 × 80-byte packets per 0.5 s batch)`);
  console.log('| server | connected | bytes/s per listener | CPU µs per listener-second | cores used | added delay p50 / p99 ms |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| obrady live | ${o.connected} | ${f(o.bytesPerListenerS)} | ${f(o.cpuPerListenerUsS, 1)} | ${f(o.cores, 3)} | ${f(o.p50)} / ${f(o.p99)} (${o.samples} pages) |`);
  console.log(`| nginx static, limit_rate | ${n.connected} | ${f(n.bytesPerListenerS)} | ${f(n.cpuPerListenerUsS, 1)} | ${f(n.cores, 3)} | first byte p99 ${f(n.ttfbP99)} |`);
  console.log(`ratio obrady/nginx CPU per listener: ${f(o.cpuPerListenerUsS / n.cpuPerListenerUsS, 2)}; bytes/s per listener goal ≤ 5000: ${o.bytesPerListenerS <= 5000 ? 'met' : 'missed'}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
