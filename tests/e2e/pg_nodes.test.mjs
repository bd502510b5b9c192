// pg_nodes.test.mjs — two obrady nodes on one PostgreSQL database (issue 12
// items 2, 3 and the "PostgreSQL restarted during a meeting" fault): events
// written through one node reach subscribers on the other in seq order, once
// each, also while the LISTEN connection's backend is being killed
// (pg_terminate_backend) and after a deaf period; Last-Event-ID on the other
// node gives exactly what a subscriber missed; a PostgreSQL restart is 503 +
// Retry-After on both nodes, then they reconnect by themselves, nothing
// acknowledged is lost and the streams resume. /healthz reports the database
// and the LISTEN connection. PostgreSQL mode only (make test-e2e-pg).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

import {
  PG_BASE, pgCluster, DEMO, startServer, stopAll, freeTmpDir, signIn, eventually, demoIds, createMeeting,
  makeClient, openSSE, pgDatabaseFor, sleep, api,
} from './lib.mjs';

after(stopAll);
const skip = PG_BASE ? false : 'PostgreSQL mode only (make test-e2e-pg)';
const cluster = pgCluster;

/** psql -c statement → its rows (async, so the event loop keeps reading streams). */
function psql(url, statement) {
  return new Promise((resolve, reject) => {
    const p = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', statement]);
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    p.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    p.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`psql ${statement}: ${err}`))));
  });
}

const KILL_LISTEN = "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'obrady-listen' AND datname = current_database()";

/** A meeting stream that keeps every event and reconnects with Last-Event-ID when it ends. */
async function follow(client, meetingId) {
  const headers = { cookie: `obrady_session=${client.cookie}` };
  const f = { seqs: [], stopped: false, reopened: 0 };
  const url = `${client.srv.url}/api/meetings/${meetingId}/events`;
  let s = await openSSE(url, { lastEventId: 0, headers });
  assert.equal(s.status, 200, `stream: ${s.status} ${s.text}`);
  f.done = (async () => {
    while (!f.stopped) {
      let ev = null;
      try {
        ev = await s.next(1000);
      } catch {
        continue; // quiet
      }
      if (ev) {
        f.seqs.push(ev.data.seq);
        continue;
      }
      if (f.stopped) break;
      // The stream ended (its node could not read the store): come back as a browser does.
      await sleep(500);
      try {
        const last = f.seqs.length ? f.seqs[f.seqs.length - 1] : 0;
        const again = await openSSE(url, { lastEventId: last, headers });
        if (again.status === 200) {
          s = again;
          f.reopened++;
        }
      } catch {
        /* still away */
      }
    }
    await s.close();
  })();
  f.stop = async () => {
    f.stopped = true;
    await f.done;
  };
  return f;
}

/** Every seq from 1 to head exactly once, in order. */
function assertWhole(seqs, head, who) {
  const want = Array.from({ length: head }, (_, i) => i + 1);
  assert.deepEqual(seqs, want, `${who}: ${seqs.length} events, expected 1..${head}`);
}

async function head(url, meetingId) {
  return Number(await psql(url, `SELECT max(seq) FROM events WHERE meeting_id = '${meetingId}'`));
}

async function twoNodes(env = {}) {
  const data = freeTmpDir(); // shared: one secret.key, so a session works on both nodes
  const a = await startServer({ dataDir: data, args: ['--demo'], env });
  const b = await startServer({ dataDir: data, env });
  const op = await signIn(a, DEMO.operator);
  return { a, b, op, opB: makeClient(b, op.cookie, op.user), url: env.OBRADY_DATABASE || pgDatabaseFor(data) };
}

test('two nodes: events written through either node reach both nodes\' subscribers in order, once, across killed LISTEN backends; Last-Event-ID on the other node gives exactly what was missed', { skip, timeout: 120000 }, async (t) => {
  const { a, b, op, opB, url } = await twoNodes();
  t.after(() => Promise.all([a.stop(), b.stop()]));
  const hz = await api(b, 'GET', '/healthz');
  assert.equal(hz.status, 200, hz.text);
  assert.equal(hz.json.database, 'ok');
  assert.equal(hz.json.backend, 'postgresql');
  assert.equal(hz.json.listen.state, 'up');

  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja na dwóch węzłach' });
  const onB = await follow(opB, m.id);
  const onA = await follow(op, m.id);
  const P = `/api/meetings/${m.id}/agenda`;
  for (let i = 1; i <= 5; i++) assert.equal((await op.post(P, { title: `Punkt A${i}` })).status, 201);
  let h = await head(url, m.id);
  await eventually(() => onB.seqs.length >= h, 10000, 50);
  assertWhole(onB.seqs, h, 'node B, written through A');

  // Kill both nodes' LISTEN backends again and again while writing through both.
  let killing = true;
  let kills = 0;
  const killer = (async () => {
    while (killing) {
      kills += Number(await psql(url, KILL_LISTEN));
      await sleep(40);
    }
  })();
  for (let i = 1; i <= 12; i++) {
    const c = i % 3 ? op : opB;
    assert.equal((await c.post(P, { title: `Punkt ${i % 3 ? 'A' : 'B'}${i}` })).status, 201);
  }
  killing = false;
  await killer;
  assert.ok(kills >= 2, `LISTEN backends killed: ${kills}`);
  h = await head(url, m.id);
  await eventually(() => onB.seqs.length >= h && onA.seqs.length >= h, 15000, 50);
  await sleep(500); // a duplicate would arrive now
  assertWhole(onB.seqs, h, 'node B');
  assertWhole(onA.seqs, h, 'node A');
  await eventually(async () => {
    const r = await api(b, 'GET', '/healthz');
    assert.equal(r.json.listen.state, 'up');
    assert.ok(r.json.listen.reconnects >= 1, JSON.stringify(r.json));
    return true;
  }, 10000, 100);

  // Node B's subscriber goes away (its node dies); three events happen; it
  // comes back through node A with Last-Event-ID.
  await onB.stop();
  const last = onB.seqs[onB.seqs.length - 1];
  await b.stop('SIGKILL');
  for (let i = 1; i <= 3; i++) assert.equal((await op.post(P, { title: `Po awarii ${i}` })).status, 201);
  const s = await openSSE(`${a.url}/api/meetings/${m.id}/events`, { lastEventId: last, headers: { cookie: `obrady_session=${op.cookie}` } });
  assert.equal(s.status, 200);
  const got = [];
  for (;;) {
    let ev;
    try {
      ev = await s.next(800);
    } catch {
      break;
    }
    if (!ev) break;
    got.push(ev.data.seq);
  }
  await s.close();
  assert.deepEqual(got, [last + 1, last + 2, last + 3], 'exactly what was missed');
  await onA.stop();
});

test('PostgreSQL restarted during a meeting: 503 with Retry-After on both nodes while away, both reconnect by themselves, nothing acknowledged is lost, streams resume', { skip, timeout: 150000 }, async (t) => {
  const [dir, base] = cluster('start');
  t.after(() => cluster('stop', dir));
  const url = `${base}/postgres`;
  const { a, b, op, opB } = await twoNodes({ OBRADY_DATABASE: url });
  t.after(() => Promise.all([a.stop(), b.stop()]));
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja z restartem bazy' });
  const onB = await follow(opB, m.id);
  const P = `/api/meetings/${m.id}/agenda`;
  const acked = [];
  for (let i = 1; i <= 3; i++) {
    const r = await op.post(P, { title: `Przed restartem ${i}` });
    assert.equal(r.status, 201);
    acked.push(r.json.item_id);
  }

  cluster('pause', dir);
  for (const [srv, c] of [[a, op], [b, opB]]) {
    const r = await c.post(P, { title: 'Nie zapisany' });
    assert.equal(r.status, 503, `while PostgreSQL is away: ${r.status} ${r.text}`);
    assert.match(r.headers['retry-after'] || '', /^\d+$/);
    const hz = await api(srv, 'GET', '/healthz');
    assert.equal(hz.status, 503);
    assert.equal(hz.json.database, 'unavailable');
    assert.match(hz.headers['retry-after'] || '', /^\d+$/);
  }
  assert.equal(a.exitCode ?? null, null);

  cluster('resume', dir);
  for (const c of [op, opB]) {
    await eventually(async () => {
      const r = await c.post(P, { title: `Po restarcie przez ${c === op ? 'A' : 'B'}` });
      assert.equal(r.status, 201, `after the restart: ${r.status} ${r.text}`);
      acked.push(r.json.item_id);
      return true;
    }, 30000, 250);
  }
  for (const srv of [a, b]) {
    await eventually(async () => {
      const r = await api(srv, 'GET', '/healthz');
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.listen.state, 'up');
      assert.ok(r.json.listen.reconnects >= 1);
      return true;
    }, 20000, 200);
  }
  // Written through A, read live on B: only B's LISTEN connection, back after
  // the restart, can bring these.
  for (let i = 1; i <= 3; i++) assert.equal((await op.post(P, { title: `Na żywo ${i}` })).status, 201);
  const h = await head(url, m.id);
  await eventually(() => onB.seqs.length >= h, 20000, 100);
  await sleep(400);
  await onB.stop();
  assertWhole(onB.seqs, h, 'the stream on node B');
  const st = await op.get(`/api/meetings/${m.id}`);
  assert.equal(st.status, 200);
  const items = (st.json.agenda || st.json.items || []).map((it) => it.id);
  for (const id of acked) assert.ok(items.includes(id), `acknowledged item ${id} is stored`);
  assert.ok(!(st.json.agenda || []).some((it) => it.title === 'Nie zapisany'), 'a refused request changed nothing');
});
