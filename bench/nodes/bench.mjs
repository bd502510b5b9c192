// bench.mjs — one installation on one SQLite node, one PostgreSQL node and
// two PostgreSQL nodes behind nginx (issue 12), in one run: durable ballots
// per second (the bench/ballots load generator: 201 = committed and flushed)
// and SSE fan-out latency (the bench/fanout load generator: publish through
// one node, subscribers spread over the nodes by nginx, so the two-node
// figure includes the trip through PostgreSQL's NOTIFY to the other node).
// The PostgreSQL cluster is a throw-away one with fsync on (cluster.sh
// --durable); each setup gets a fresh database. Started by bench/nodes/run.
//
// Usage: node bench/nodes/bench.mjs [SECONDS] [CONNS] [SUBSCRIBERS/MEETINGS]
import fs from 'node:fs';
import path from 'node:path';

import { startDemo, stopAll, signIn, signInMany, freeTmpDir, sql, sqlq, REPO, sleep } from '../../tests/e2e/lib.mjs';
import { startCluster, startInstallation, signInVia, signInManyVia, psqlRows } from '../../tests/pg/nodes.mjs';
import { cpuSeconds, runLoadgen, ballotCouncil, fanoutMeetings } from '../lib/obrady.mjs';

const BALLOTS = path.join(REPO, 'build', 'bench', 'ballots');
const FANOUT = path.join(REPO, 'build', 'bench', 'fanout');
const SECONDS = Number(process.argv[2] || 10);
const CONNS = Number(process.argv[3] || 64);
const [SUBS, MEETINGS] = (process.argv[4] || '2000/100').split('/').map(Number);
const ROUNDS = Number(process.env.FANOUT_ROUNDS || 3);
const PROCS = Number(process.env.FANOUT_PROCS || 4);

/** Runs both workloads against entry (a node or the balancer) → figures. */
async function measure(name, { entry, pids, signInOne, signInAll, countStored }) {
  const dir = freeTmpDir('obrady-nodes-');
  try {
    const { op, voters, vote } = await ballotCouncil({ signIn: signInOne, signInMany: signInAll });
    const file = path.join(dir, 'voters.txt');
    fs.writeFileSync(file, voters.map((v) => v.cookie).join('\n') + '\n');
    const c0 = cpuSeconds(...pids);
    const b = await runLoadgen(BALLOTS, ['obrady', String(entry.port), String(SECONDS), String(CONNS), vote.id, file],
      { timeoutMs: (SECONDS + 60) * 1000 });
    const cpu = cpuSeconds(...pids) - c0;
    await sleep(500);
    const stored = (await countStored(vote.id)) - 1; // less the sample ballot
    process.stderr.write(`${name} ballots: ${JSON.stringify(b)}\n`);

    const lines = await fanoutMeetings(op, MEETINGS);
    const chans = path.join(dir, 'channels.txt');
    fs.writeFileSync(chans, lines.join('\n') + '\n');
    await sleep(500);
    const f = await runLoadgen(FANOUT, ['obrady', String(entry.port), chans, String(SUBS), String(PROCS), String(ROUNDS), op.cookie],
      { timeoutMs: 300000 });
    process.stderr.write(`${name} fan-out: ${JSON.stringify(f)}\n`);
    return { name, b, f, stored, cpuUsPerBallot: (cpu * 1e6) / Math.max(1, b.answered) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function onSqlite() {
  const srv = await startDemo({ timeoutMs: 20000 });
  try {
    return await measure('1 SQLite node', {
      entry: srv,
      pids: [srv.proc.pid],
      signInOne: (email) => signIn(srv, email, { via: 'stdout' }),
      signInAll: (emails) => signInMany(srv, emails, { concurrency: 16 }),
      countStored: async (id) => Number(await sql(srv, `SELECT count(*) FROM ballots WHERE vote_id = ${sqlq(id)}`)),
    });
  } finally {
    await srv.stop();
  }
}

async function onPostgres(cluster, n) {
  const inst = await startInstallation({ nodes: n, cluster, balancer: n > 1, streams: SUBS + 1024 });
  try {
    const entry = inst.lb || inst.nodes[0];
    return await measure(n > 1 ? `${n} PostgreSQL nodes behind nginx` : '1 PostgreSQL node', {
      entry,
      pids: [...inst.nodes.map((x) => x.proc.pid), ...(inst.lb ? [inst.lb.pid] : []), postmaster(cluster)],
      signInOne: (email) => signInVia(entry, inst.nodes, email),
      signInAll: (emails) => signInManyVia(entry, inst.nodes, emails, { concurrency: 16 }),
      countStored: async (id) => Number(psqlRows(inst.database, `SELECT count(*) FROM ballots WHERE vote_id = ${sqlq(id)}`)[0][0]),
    });
  } finally {
    await inst.stop();
  }
}

/** The PostgreSQL server's pid (its backends are its children). */
function postmaster(c) {
  return Number(fs.readFileSync(path.join(c.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

const rows = [];
const cluster = startCluster({ durable: true });
try {
  rows.push(await onSqlite());
  rows.push(await onPostgres(cluster, 1));
  rows.push(await onPostgres(cluster, 2));
} finally {
  await stopAll();
  cluster.stop();
}

const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
console.log(`\nOne installation on 1 SQLite node, 1 PostgreSQL node, 2 PostgreSQL nodes behind nginx; 127.0.0.1, everything on this machine's cores`);
console.log(`ballots: ${CONNS} keep-alive connections, ${SECONDS} s after 1 s warm-up, open vote of 200 members, 201 = durable (SQLite WAL synchronous=FULL; PostgreSQL fsync on, synchronous_commit on)`);
console.log(`fan-out: ${SUBS} subscribers over ${MEETINGS} public meetings, ${ROUNDS} rounds, ${PROCS} load-generator processes; latency = publish sent -> event read`);
console.log(`load average when done: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
console.log('| setup | ballots/s | p50 ms | p99 ms | errors | stored/acknowledged | CPU µs/ballot (obrady, nginx, PostgreSQL) | fan-out connected | lost | p50 ms | p99 ms | max ms |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const { name, b, f, stored, cpuUsPerBallot } of rows) {
  console.log(`| ${name} | ${b.per_s} | ${fmt(b.p50_ms)} | ${fmt(b.p99_ms)} | ${b.errors} | ${stored}/${b.acked} | ${cpuUsPerBallot.toFixed(0)} | ${f.connected}/${f.subs} | ${f.lost} | ${fmt(f.p50_ms)} | ${fmt(f.p99_ms)} | ${fmt(f.max_ms)} |`);
}
const [lite, pg1, pg2] = rows;
const verdict = (ok) => (ok ? 'MET' : 'MISSED');
console.log(`goal: 2 PostgreSQL nodes >= 1 SQLite node in ballots/s: ${pg2.b.per_s} vs ${lite.b.per_s} (ratio ${(pg2.b.per_s / lite.b.per_s).toFixed(2)}) -> ${verdict(pg2.b.per_s >= lite.b.per_s)}`);
console.log(`goal: fan-out p99 over 2 nodes no worse than on 1 (PostgreSQL): ${fmt(pg2.f.p99_ms)} vs ${fmt(pg1.f.p99_ms)} ms (ratio ${(pg2.f.p99_ms / pg1.f.p99_ms).toFixed(2)}) -> ${verdict(pg2.f.p99_ms <= pg1.f.p99_ms && pg2.f.lost === 0)}` +
  `${SUBS < 10000 ? ` — at ${SUBS} subscribers; the goal is stated at 10 000: bench/nodes/run ${SECONDS} ${CONNS} 10000/500` : ''}`);
console.log(`(against 1 SQLite node: ${fmt(pg2.f.p99_ms)} vs ${fmt(lite.f.p99_ms)} ms, ratio ${(pg2.f.p99_ms / lite.f.p99_ms).toFixed(2)})`);
const short = rows.filter((r) => r.stored < r.b.acked).map((r) => r.name);
if (short.length) console.log(`LOST ACKNOWLEDGED BALLOTS on: ${short.join(', ')}`);
