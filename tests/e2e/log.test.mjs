// `obrady log verify`: the instance log's hash chain, whole and tampered with.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, stopAll, openSSE, runCli, freeTmpDir } from './lib.mjs';

after(stopAll);

const sql = (dir, q) => execFileSync('sqlite3', [path.join(dir, 'obrady.db'), q], { encoding: 'utf8' }).trim();

/** Runs the server twice on a fresh dir: instance log = started, stopping, started, stopping. */
async function twoRuns(t) {
  const dir = freeTmpDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let last = null;
  for (let i = 0; i < 2; i++) {
    const srv = await startServer({ dataDir: dir });
    const s = await openSSE(`${srv.url}/api/live?since=0`);
    const res = await srv.stop();
    assert.equal(res.code, 0);
    for (let ev; (ev = await s.next(2000));) last = ev;
  }
  assert.equal(last.data.seq, 4);
  assert.equal(last.event, 'server.stopping');
  return { dir, head: last.data.hash };
}

const verify = (dir, id = 'instance') => runCli(['log', 'verify', id, '--data', dir]);
const out = (r) => r.stdout + r.stderr;

test('log verify: a whole chain → exit 0 "ok: N events, head <hex>" matching the live head', async (t) => {
  const { dir, head } = await twoRuns(t);
  const r = await verify(dir);
  assert.equal(r.code, 0, out(r));
  const m = /ok: (\d+) events, head ([0-9a-f]{64})/.exec(out(r));
  assert.ok(m, `prints ok line: ${out(r)}`);
  assert.equal(Number(m[1]), 4);
  assert.equal(m[2], head, 'head is the hash of the last event as streamed');
  assert.equal(sql(dir, "SELECT hash FROM events WHERE meeting_id='instance' ORDER BY seq DESC LIMIT 1"), head);
});

test('log verify works while the server is running', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const r = await verify(srv.dataDir);
  assert.equal(r.code, 0, out(r));
  assert.match(out(r), /ok: 1 events?, head [0-9a-f]{64}/);
});

test('log verify: one flipped payload byte → exit 1 "broken at seq N"', async (t) => {
  const { dir } = await twoRuns(t);
  const before = sql(dir, "SELECT payload FROM events WHERE meeting_id='instance' AND seq=3");
  assert.match(before, /"version"/);
  // Flip the case of one letter of the key: one byte changed, still valid JSON.
  sql(dir, "UPDATE events SET payload = replace(payload, '\"version\"', '\"versioN\"') WHERE meeting_id='instance' AND seq=3");
  const after = sql(dir, "SELECT payload FROM events WHERE meeting_id='instance' AND seq=3");
  assert.equal(after.length, before.length);
  assert.equal([...after].filter((c, i) => c !== before[i]).length, 1, 'exactly one byte differs');
  const r = await verify(dir);
  assert.equal(r.code, 1, out(r));
  assert.match(out(r), /broken at seq 3: \S/);
  assert.doesNotMatch(out(r), /^ok:/m);
});

test('log verify: a changed actor, type or timestamp is caught too', async (t) => {
  const { dir } = await twoRuns(t);
  const db = path.join(dir, 'obrady.db');
  const copy = path.join(dir, 'pristine.db');
  execFileSync('sqlite3', [db, `.backup '${copy}'`]); // consistent even if a WAL is left
  const tampers = [
    ["UPDATE events SET ts_ms = ts_ms + 1 WHERE meeting_id='instance' AND seq=2", 2],
    ["UPDATE events SET type = 'server.stoppinG' WHERE meeting_id='instance' AND seq=2", 2],
    ["UPDATE events SET actor = actor || 'x' WHERE meeting_id='instance' AND seq=1", 1],
    ["UPDATE events SET visibility = 1 WHERE meeting_id='instance' AND seq=4", 4],
    // A wrong stored hash (each hash is recomputed by the verifier).
    ["UPDATE events SET hash = replace(hash, substr(hash,1,1), CASE substr(hash,1,1) WHEN 'a' THEN 'b' ELSE 'a' END) WHERE meeting_id='instance' AND seq=2", 2],
  ];
  for (const [q, seq] of tampers) {
    fs.copyFileSync(copy, db);
    for (const ext of ['-wal', '-shm']) fs.rmSync(db + ext, { force: true });
    sql(dir, q);
    const r = await verify(dir);
    assert.equal(r.code, 1, `${q}: ${out(r)}`);
    assert.match(out(r), new RegExp(`broken at seq ${seq}: \\S`), q);
  }
});

test('log verify: a deleted event in the middle is a break', async (t) => {
  const { dir } = await twoRuns(t);
  sql(dir, "DELETE FROM events WHERE meeting_id='instance' AND seq=2");
  const r = await verify(dir);
  assert.equal(r.code, 1, out(r));
  // The gap may be reported at the missing seq or at the first event after it.
  assert.match(out(r), /broken at seq [23]: \S/);
});

test('log verify: an empty log → exit 1 "no such log"', async (t) => {
  const { dir } = await twoRuns(t);
  const r = await verify(dir, 'aaaaaaaaaaaaaaaaaaaa');
  assert.equal(r.code, 1, out(r));
  assert.match(out(r), /no such log/);
});

test('log verify --help exits 0', async () => {
  const r = await runCli(['log', 'verify', '--help']);
  assert.equal(r.code, 0, out(r));
  assert.match(r.stdout, /usage/i);
});
