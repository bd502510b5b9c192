// Group commit of ballots (src/api/vote_batch.c) with the early close: all
// 15 members of a meeting cast at once, each ballot sent twice at once, so
// one transaction holds several ballots of the same meeting, duplicates
// among them, and the one that completes the electorate closes the vote.
// The log must read as if the ballots had come one by one: live counts
// 1..15 in order, one vote.closed by "system" after the last ballot, every
// voter acknowledged once, the result equal to the test's ledger, and a
// later ballot refused as closed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startDemo, stopAll, signIn, signInMany, demoIds, DEMO, expectError, createMeeting, ok, readEvents, DEMO_MEMBERS,
  openSSE, sql, sqlq,
} from './lib.mjs';

after(stopAll);

/** A started meeting of the 15 demo members, all present, and a vote of
 * the given fields, not yet open → {srv, op, people, P, V, v}. */
async function councilWithVote(t, meetingTitle, voteFields) {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const people = await signInMany(srv, DEMO_MEMBERS, { concurrency: 8 });
  const m = await createMeeting(op, bodyId, { title: meetingTitle });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  await Promise.all(people.map((p) => ok(p.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  const v = await ok(op.post(`${P}/votes`, { duration_s: 600, ...voteFields }), 'create');
  return { srv, op, people, m, P, v, V: `/api/votes/${v.id}` };
}

test('concurrent ballots with the early close: counts in order, one close after the last ballot, result equals the ledger', async (t) => {
  const { op, people, m, v, V } = await councilWithVote(t, 'Sesja wsadowa', { title: 'Uchwała wsadowa', early_close: true });
  const opened = await ok(op.post(`${V}/open`, {}), 'open');
  assert.equal(opened.eligible_count, people.length);

  const choices = ['yes', 'no', 'abstain'];
  const ledger = people.map((c, i) => ({ c, id: crypto.randomUUID(), choice: choices[i % 3] }));
  const answers = await Promise.all(ledger.flatMap((x) => [0, 1].map(() => x.c.post(`${V}/ballots`, { ballot_id: x.id, choice: x.choice }))));
  for (const [k, x] of ledger.entries()) {
    const mine = answers.slice(2 * k, 2 * k + 2);
    for (const r of mine) assert.ok(r.status === 201 || r.status === 200, `${x.c.email}: ${r.status} ${r.text}`);
    assert.equal(mine.filter((r) => r.status === 201).length, 1, `${x.c.email}: acknowledged once`);
  }

  const evs = await readEvents(op, m.id, { since: 0, untilType: 'vote.closed', timeoutMs: 20000 });
  const mine = evs.filter((e) => e.payload && e.payload.vote_id === v.id);
  const ballots = mine.filter((e) => e.type === 'vote.ballot');
  assert.deepEqual(ballots.map((e) => e.payload.cast), people.map((_, i) => i + 1), 'live counts 1..15 in log order');
  assert.equal(new Set(ballots.map((e) => e.payload.ballot_id)).size, people.length, 'one vote.ballot per voter');
  const closes = mine.filter((e) => e.type === 'vote.closed');
  assert.equal(closes.length, 1);
  assert.equal(closes[0].actor, 'system');
  assert.ok(closes[0].seq > Math.max(...ballots.map((e) => e.seq)), 'closed after the last ballot');
  const seqs = evs.map((e) => e.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), 'seqs without gaps');

  const res = (await ok(op.get(V), 'vote')).result;
  const want = (c) => ledger.filter((x) => x.choice === c).length;
  assert.deepEqual([res.yes, res.no, res.abstain], [want('yes'), want('no'), want('abstain')]);
  expectError(await people[0].post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'no' }), 409, 'vote_closed');
});

// Many batches in a row (src/api/vote_batch.c keeps a transaction open while
// the syncer is busy, and lets each request go once its part ran): 15 voters
// change their ballot 8 times each, all at once. A stream opened before the
// first ballot must get the events in seq order without a gap, every
// acknowledged ballot exactly once, and each reply only after its event is
// durable: a ballot's 201 never comes before the stream could have it (the
// log read right after each 201 already holds that ballot).
test('ballots over many batches: a live stream gets every acknowledged ballot once, in seq order; each 201 is already in the log', async (t) => {
  const { srv, op, people, P, V } = await councilWithVote(t, 'Sesja wielu partii', { title: 'Uchwała zmienna', allow_change: true });
  await ok(op.post(`${V}/open`, {}), 'open');
  const head = (await ok(op.get(`${P}/state`), 'state')).seq;
  assert.ok(Number.isInteger(head), `state has its seq: ${head}`);
  const live = await openSSE(`${srv.url}${P}/events`, { lastEventId: head, headers: { cookie: `obrady_session=${op.cookie}` } });
  assert.equal(live.status, 200);

  const ROUNDS = 8;
  const acked = [];
  const lateInLog = [];
  await Promise.all(people.map(async (p, k) => {
    for (let i = 0; i < ROUNDS; i++) {
      const id = crypto.randomUUID();
      const r = await p.post(`${V}/ballots`, { ballot_id: id, choice: ['yes', 'no', 'abstain'][(k + i) % 3] });
      assert.equal(r.status, 201, `${p.email} round ${i}: ${r.status} ${r.text}`);
      acked.push(id);
      // Durable and committed before the reply: any reader sees it now.
      const stored = await sql(srv, `SELECT count(*) FROM ballots WHERE ballot_id = ${sqlq(id)}`);
      if (stored !== '1') lateInLog.push(id);
    }
  }));
  assert.deepEqual(lateInLog, [], 'every acknowledged ballot is in the store when its 201 arrives');
  assert.equal(acked.length, people.length * ROUNDS);

  const got = [];
  const end = Date.now() + 30000;
  const want = new Set(acked);
  const seen = new Map();
  try {
    while (seen.size < want.size && Date.now() < end) {
      const ev = await live.next(end - Date.now());
      if (!ev) break;
      const e = ev.data;
      got.push(e);
      if (e.type === 'vote.ballot' && e.payload && want.has(e.payload.ballot_id))
        seen.set(e.payload.ballot_id, (seen.get(e.payload.ballot_id) || 0) + 1);
    }
  } finally {
    live.close();
  }
  assert.equal(seen.size, want.size, `the stream got ${seen.size} of ${want.size} acknowledged ballots`);
  assert.ok([...seen.values()].every((n) => n === 1), 'each acknowledged ballot once');
  const seqs = got.map((e) => e.seq);
  assert.equal(seqs[0], head + 1, 'the stream starts right after the head');
  assert.deepEqual(seqs, seqs.map((_, i) => head + 1 + i), 'seq order without a gap');
});
