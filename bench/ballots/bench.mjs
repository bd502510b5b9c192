// bench.mjs — sustained open ballots per second into obrady over keep-alive
// HTTP (acknowledged = 201 = the ballot's transaction committed with SQLite
// WAL and synchronous=FULL), beside nginx answering a fixed 200 of the same
// body size (the ceiling for HTTP handling on this machine). Started by
// bench/ballots/run, which builds everything.
//
// Set-up: `obrady serve --demo`, 185 more members by CSV import (200 voters),
// each signed in and present; one open vote (yes/no/abstain, changes
// allowed, so every voter can send ballot after ballot with fresh ids).
// After the run the stored ballots are counted: every acknowledged ballot
// must be there. Then the reads (GET the meeting state, GET the vote) run
// on their own for min(SECONDS, 5) s each, and the server CPU of the 200
// sign-ins of the set-up is printed per sign-in.
//
// With OBRADY_E2E_PG (bench/ballots/run-pg: a durable throw-away cluster)
// obrady keeps its store in PostgreSQL (201 = committed and its WAL flushed).
//
// Usage: node bench/ballots/bench.mjs [SECONDS] [CONNS]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemo, stopAll, signIn, signInMany, freeTmpDir, sql, sqlq, REPO, sleep, PG_BASE,
} from '../../tests/e2e/lib.mjs';
import { cpuSeconds, runLoadgen, ballotCouncil, freePort, waitPort } from '../lib/obrady.mjs';

const LOADGEN = path.join(REPO, 'build', 'bench', 'ballots');
const SECONDS = Number(process.argv[2] || 10);
const CONNS = Number(process.argv[3] || 64);
const READ_SECONDS = Math.min(SECONDS, 5);

/** Runs the load generator; measures the server's CPU time over the run. */
async function runMeasured(args, pid, seconds = SECONDS) {
  const c0 = cpuSeconds(pid);
  const r = await run(args);
  const cpu = cpuSeconds(pid) - c0;
  return { ...r, cpuUsPerReq: (cpu * 1e6) / Math.max(1, r.answered), cpuCores: cpu / (seconds + 1) };
}

function run(args) {
  return runLoadgen(LOADGEN, args, { timeoutMs: (SECONDS + 60) * 1000, echo: true });
}

async function benchObrady(dir) {
  const srv = await startDemo({ timeoutMs: 20000 });
  try {
    let signInCpuUs = 0;
    const { voters, vote, sample, meeting: m } = await ballotCouncil({
      signIn: (email) => signIn(srv, email, { via: 'stdout' }),
      signInMany: async (emails) => {
        const c0 = cpuSeconds(srv.proc.pid);
        const got = await signInMany(srv, emails, { concurrency: 16 });
        signInCpuUs = ((cpuSeconds(srv.proc.pid) - c0) * 1e6) / emails.length;
        return got;
      },
    });
    const file = path.join(dir, 'voters.txt');
    fs.writeFileSync(file, voters.map((v) => v.cookie).join('\n') + '\n');
    // BALLOTS_PERF=FILE: perf record -g of the server during the measured window.
    const perf = process.env.BALLOTS_PERF
      ? spawn('perf', ['record', '-F', '499', ...(process.env.BALLOTS_PERF_DWARF ? ['--call-graph', 'dwarf,16384'] : ['-g']), '-p', String(srv.proc.pid), '-o', process.env.BALLOTS_PERF, '--', 'sleep', String(SECONDS)], { stdio: 'ignore' })
      : null;
    const r = await runMeasured(['obrady', String(srv.port), String(SECONDS), String(CONNS), vote.id, file], srv.proc.pid);
    if (perf && perf.exitCode === null) await new Promise((res) => perf.on('close', res));
    // The reads beside the ballots, each on its own after them (so each
    // figure is that request's own CPU): the meeting state and the vote.
    const reads = [];
    for (const [what, p] of [['meeting state', `/api/meetings/${m.id}/state`], ['vote', `/api/votes/${vote.id}`]]) {
      // BALLOTS_PERF_READS=PREFIX: perf record -g of each read into PREFIX.<what>.
      const rp = process.env.BALLOTS_PERF_READS
        ? spawn('perf', ['record', '-F', '499', '--call-graph', 'dwarf,16384', '-p', String(srv.proc.pid), '-o', `${process.env.BALLOTS_PERF_READS}.${what.split(' ').pop()}`, '--', 'sleep', String(READ_SECONDS)], { stdio: 'ignore' })
        : null;
      const rr = await runMeasured(['get', String(srv.port), String(READ_SECONDS), String(CONNS), p, file], srv.proc.pid, READ_SECONDS);
      if (rp && rp.exitCode === null) await new Promise((res) => rp.on('close', res));
      reads.push({ what: `GET ${p.replace(m.id, '{id}').replace(vote.id, '{id}')} (${what})`, ...rr });
    }
    await sleep(500);
    const stored = Number((await sql(srv, `SELECT count(*) FROM ballots WHERE vote_id = ${sqlq(vote.id)}`)).trim()) - 1;
    return { ...r, stored, bodyBytes: Buffer.byteLength(sample.text), signInCpuUs, signIns: voters.length, reads };
  } finally {
    await srv.stop();
  }
}

async function benchNginx(dir, bodyBytes) {
  const port = await freePort();
  const prefix = path.join(dir, 'nginx');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const conf = path.join(prefix, 'nginx.conf');
  const body = `{"ok":"${'x'.repeat(Math.max(0, bodyBytes - 9))}"}`;
  fs.writeFileSync(conf, `
worker_processes 2;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 4096; use epoll; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:${port};
    location = /ballot { default_type application/json; return 200 '${body}'; }
  }
}
`);
  const ng = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], { stdio: 'ignore' });
  try {
    await waitPort(port);
    return await runMeasured(['static', String(port), String(SECONDS), String(CONNS)], ng.pid);
  } finally {
    ng.kill('SIGTERM');
    await new Promise((r) => (ng.exitCode !== null ? r() : ng.on('close', r)));
  }
}

const dir = freeTmpDir('obrady-ballots-');
try {
  const o = await benchObrady(dir);
  process.stderr.write(`obrady: ${JSON.stringify(o)}\n`);
  const n = await benchNginx(dir, o.bodyBytes);
  process.stderr.write(`nginx: ${JSON.stringify(n)}\n`);
  const f = (x) => x.toFixed(2);
  console.log(`\nOpen ballots over keep-alive HTTP/1.1: ${CONNS} connections, ${SECONDS} s measured after 1 s warm-up, 127.0.0.1`);
  console.log(`load average when done: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()} (2 cores shared with other work: per-request CPU is the stable figure)`);
  console.log('| server | answered | acknowledged | errors | per s | p50 ms | p90 ms | p99 ms | max ms | server CPU µs/request | server cores used |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const store = PG_BASE ? 'PostgreSQL, WAL flushed before the answer, group commit' : 'WAL, synchronous=FULL';
  console.log(`| obrady (201 = stored, ${store}) | ${o.answered} | ${o.acked} | ${o.errors} | ${o.per_s} | ${f(o.p50_ms)} | ${f(o.p90_ms)} | ${f(o.p99_ms)} | ${f(o.max_ms)} | ${o.cpuUsPerReq.toFixed(0)} | ${o.cpuCores.toFixed(2)} |`);
  console.log(`| nginx static 200, ${o.bodyBytes}-byte body | ${n.answered} | ${n.acked} | ${n.errors} | ${n.per_s} | ${f(n.p50_ms)} | ${f(n.p90_ms)} | ${f(n.p99_ms)} | ${f(n.max_ms)} | ${n.cpuUsPerReq.toFixed(0)} | ${n.cpuCores.toFixed(2)} |`);
  console.log(`| ratio obrady/nginx | | | | ${(o.per_s / n.per_s).toFixed(3)} | ${(o.p50_ms / n.p50_ms).toFixed(1)} | ${(o.p90_ms / n.p90_ms).toFixed(1)} | ${(o.p99_ms / n.p99_ms).toFixed(1)} | | ${(o.cpuUsPerReq / n.cpuUsPerReq).toFixed(1)} | |`);
  console.log(`CPU-bound ceiling on 2 free cores: obrady ${(2e6 / o.cpuUsPerReq).toFixed(0)} ballots/s, nginx ${(2e6 / n.cpuUsPerReq).toFixed(0)} requests/s`);
  console.log(`ballots stored after the run: ${o.stored} (acknowledged in the window: ${o.acked}; the rest were answered during warm-up or in flight at the end)`);
  if (o.first_error) console.log(`first error: ${o.first_error}`);
  console.log(`\nReads and sign-in, same obrady, after the ballots (${READ_SECONDS} s each, ${CONNS} connections; CPU ratio to nginx's static 200 above)`);
  console.log('| request | answered | 200 | errors | per s | p50 ms | p99 ms | server CPU µs/request | CPU ratio to nginx |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of o.reads) {
    console.log(`| ${r.what} | ${r.answered} | ${r.acked} | ${r.errors} | ${r.per_s} | ${f(r.p50_ms)} | ${f(r.p99_ms)} | ${r.cpuUsPerReq.toFixed(0)} | ${(r.cpuUsPerReq / n.cpuUsPerReq).toFixed(1)} |`);
    if (r.first_error) console.log(`first error: ${r.first_error}`);
  }
  console.log(`| sign-in (POST /api/auth/code + POST /api/auth/session, code mailed; set-up, 16 at a time) | ${o.signIns} | ${o.signIns} | 0 | | | | ${o.signInCpuUs.toFixed(0)} | ${(o.signInCpuUs / n.cpuUsPerReq).toFixed(1)} |`);
  console.log(`goal >= 10000 acknowledged ballots/s -> ${o.per_s >= 10000 ? 'MET' : 'MISSED'}`);
} finally {
  await stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
}
