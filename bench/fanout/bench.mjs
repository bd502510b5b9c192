// bench.mjs — runs the SSE fan-out load generator (fanout.c) against obrady
// and against nginx + nchan, size by size, and prints one table with both
// and their ratio. Started by bench/fanout/run, which builds everything.
//
// obrady: a fresh `obrady serve --demo`; the operator creates K public
// meetings with two agenda items each and starts them; subscribers follow
// GET /api/meetings/{m}/events anonymously (the public view); each round the
// operator changes every meeting's current item (item.current, a public
// event). nchan: nginx with the nchan module, K channels, subscribers on
// /sub/{id} (EventSource), each round one POST /pub/{id} per channel.
// Memory: proportional set size (Pss) of the server's processes with every
// subscriber connected, minus before, per subscriber.
//
// Usage: node bench/fanout/bench.mjs [SIZES] where SIZES is like
// "1000/1,10000/500,18000/900" (subscribers/meetings).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startDemo, stopAll, signIn, freeTmpDir, REPO, sleep } from '../../tests/e2e/lib.mjs';
import { pssKb, runLoadgen, fanoutMeetings, freePort, waitPort } from '../lib/obrady.mjs';

const FANOUT = path.join(REPO, 'build', 'bench', 'fanout');
const ROUNDS = Number(process.env.FANOUT_ROUNDS || 3);
const PROCS = Number(process.env.FANOUT_PROCS || 4);
const sizes = (process.argv[2] || '1000/1,10000/500,18000/900').split(',').map((s) => s.split('/').map(Number));

/** FANOUT_SMAPS=dir: keeps the server's /proc/PID/smaps at each Pss sample
 * (bench/fanout/smaps_report.py sums them by mapping kind). */
function dumpSmaps(pid, tag) {
  const dir = process.env.FANOUT_SMAPS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  try { fs.writeFileSync(path.join(dir, `${pid}-${tag}.txt`), fs.readFileSync(`/proc/${pid}/smaps`)); } catch { /* gone */ }
}

/** Runs fanout; samples the server's memory once every subscriber is connected. */
async function runFanout(args, serverPid) {
  let pssConnected = 0;
  const r = await runLoadgen(FANOUT, args, {
    timeoutMs: 300000,
    echo: true,
    onStderr: (err) => {
      if (!pssConnected && /subscribers connected/.test(err)) {
        pssConnected = pssKb(serverPid);
        dumpSmaps(serverPid, 'connected');
        if (process.env.FANOUT_SMAPS_TRIM) {
          // Diagnosis only: how much of the growth is memory malloc holds free.
          spawnSync('gdb', ['-p', String(serverPid), '-batch', '-ex', 'call (int)malloc_trim(0)'], { stdio: 'ignore' });
          dumpSmaps(serverPid, 'trimmed');
        }
      }
    },
  });
  return { ...r, pssConnected };
}

async function benchObrady(subs, meetings, dir) {
  const threads = process.env.FANOUT_OBRADY_THREADS;
  const srv = await startDemo({ timeoutMs: 20000, ...(threads ? { config: { threads } } : {}) });
  try {
    const op = await signIn(srv, 'biuro@przykladowo.example', { via: 'stdout' });
    const lines = await fanoutMeetings(op, meetings);
    const file = path.join(dir, 'obrady-channels.txt');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await sleep(500);
    const pss0 = pssKb(srv.proc.pid);
    dumpSmaps(srv.proc.pid, 'before');
    const r = await runFanout(['obrady', String(srv.port), file, String(subs), String(PROCS), String(ROUNDS), op.cookie], srv.proc.pid);
    return { ...r, pss0, perSubKb: (r.pssConnected - pss0) / Math.max(1, r.connected) };
  } finally {
    await srv.stop();
  }
}

async function benchNchan(subs, channels, dir) {
  const port = await freePort();
  const prefix = path.join(dir, 'nginx');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  fs.mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, `
load_module /usr/lib/nginx/modules/ngx_nchan_module.so;
worker_processes 2;
worker_rlimit_nofile 20000;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 20000; use epoll; multi_accept on; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location ~ ^/sub/(\\w+)$ { nchan_subscriber eventsource; nchan_channel_id $1; }
    location ~ ^/pub/(\\w+)$ { nchan_publisher; nchan_channel_id $1; }
  }
}
`);
  const ng = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let ngErr = '';
  ng.stderr.on('data', (d) => { ngErr += d; });
  try {
    await waitPort(port);
    const lines = Array.from({ length: channels }, (_, i) => `c${i} 0`);
    const file = path.join(dir, 'nchan-channels.txt');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    await sleep(300);
    const pss0 = pssKb(ng.pid);
    const r = await runFanout(['nchan', String(port), file, String(subs), String(PROCS), String(ROUNDS)], ng.pid);
    return { ...r, pss0, perSubKb: (r.pssConnected - pss0) / Math.max(1, r.connected) };
  } catch (e) {
    throw new Error(`${e.message}\nnginx: ${ngErr}`);
  } finally {
    ng.kill('SIGTERM');
    await new Promise((r) => (ng.exitCode !== null ? r() : ng.on('close', r)));
  }
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : '-');

const dir = freeTmpDir('obrady-fanout-');
const rows = [];
try {
  for (const [subs, k] of sizes) {
    const o = await benchObrady(subs, k, dir);
    process.stderr.write(`obrady ${subs}/${k}: ${JSON.stringify(o)}\n`);
    const n = process.env.FANOUT_SKIP_NCHAN ? o : await benchNchan(subs, k, dir);
    process.stderr.write(`nchan  ${subs}/${k}: ${JSON.stringify(n)}\n`);
    rows.push({ subs, k, o, n });
  }
} finally {
  await stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`\nSSE fan-out, ${ROUNDS} rounds, ${PROCS} load-generator processes, 127.0.0.1; latency = publish request sent -> event read by the subscriber; "after answer" = from the publish request's answer (the fan-out alone; obrady answers after the commit is durable)`);
console.log(`load average: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
console.log('| subscribers/meetings | server | connected | lost | p50 ms | p90 ms | p99 ms | max ms | after answer p50 ms | after answer p99 ms | kB/subscriber |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const { subs, k, o, n } of rows) {
  for (const [name, r] of [['obrady', o], ['nginx+nchan', n]]) {
    console.log(`| ${subs}/${k} | ${name} | ${r.connected} | ${r.lost} | ${fmt(r.p50_ms)} | ${fmt(r.p90_ms)} | ${fmt(r.p99_ms)} | ${fmt(r.max_ms)} | ${fmt(r.ack_p50_ms)} | ${fmt(r.ack_p99_ms)} | ${fmt(r.perSubKb)} |`);
  }
  console.log(`| ${subs}/${k} | ratio obrady/nchan | | | ${ratio(o.p50_ms, n.p50_ms)} | ${ratio(o.p90_ms, n.p90_ms)} | ${ratio(o.p99_ms, n.p99_ms)} | ${ratio(o.max_ms, n.max_ms)} | ${ratio(o.ack_p50_ms, n.ack_p50_ms)} | ${ratio(o.ack_p99_ms, n.ack_p99_ms)} | ${ratio(o.perSubKb, n.perSubKb)} |`);
}
