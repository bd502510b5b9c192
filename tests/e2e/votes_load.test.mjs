// 100 members over real HTTP and SSE (issue 5): a vote opens and every
// member's stream shows it; 100 ballots at once with duplicates and retries;
// late ballots after the close are refused; every ballot is counted exactly
// once and the result equals the test's own tally from its ledger of
// acknowledged ballots; every stream sees each voter's ballot once and the
// same result.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startDemo, stopAll, signIn, signInMany, demoIds, DEMO, expectError, createMeeting, openSSE,
  percentile, ok, DEMO_MEMBERS,
} from './lib.mjs';

after(stopAll);

const MEMBERS = DEMO_MEMBERS;
const CHOICES = ['yes', 'no', 'abstain'];

/** Collects the stream's events of a vote until vote.closed. */
async function collect(s, voteId, ms) {
  const end = Date.now() + ms;
  const got = { opened: null, openedAt: 0, ballots: [], closed: null };
  while (!got.closed) {
    const ev = await s.next(Math.max(1, end - Date.now()));
    if (!ev) throw new Error('stream ended before vote.closed');
    const p = ev.data.payload;
    if (!p || p.vote_id !== voteId) continue;
    if (ev.event === 'vote.opened') [got.opened, got.openedAt] = [p, performance.now()];
    if (ev.event === 'vote.ballot') got.ballots.push(p);
    if (ev.event === 'vote.closed') got.closed = p;
  }
  return got;
}

test('100 members: vote on every screen, concurrent ballots with duplicates and retries counted once, late ones refused, result equals the ledger', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const extra = Array.from({ length: 85 }, (_, i) => `glosujacy${String(i + 1).padStart(3, '0')}@${DEMO.domain}`);
  const csv = ['name,email,role', ...extra.map((e, i) => `Głosujący Numer${i + 1},${e},member`)].join('\n') + '\n';
  await ok(op.post(`/api/bodies/${bodyId}/members/import`, csv, { headers: { 'content-type': 'text/csv' } }), 'import');
  const people = await signInMany(srv, [...MEMBERS, ...extra], { concurrency: 20 });
  assert.equal(people.length, 100);

  const m = await createMeeting(op, bodyId, { title: 'Sesja stu radnych' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  await Promise.all(people.map((p) => ok(p.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  const seq0 = (await ok(op.get(`${P}/state`), 'state')).seq;
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała budżetowa', duration_s: 120 }), 'create');
  const V = `/api/votes/${v.id}`;

  const streams = await Promise.all(people.map(async (p) => {
    const s = await openSSE(`${srv.url}${P}/events`, { lastEventId: seq0, headers: { cookie: `obrady_session=${p.cookie}` }, timeoutMs: 20000 });
    assert.equal(s.status, 200, s.text);
    return s;
  }));
  t.after(() => Promise.all(streams.map((s) => s.close())));
  const collected = streams.map((s) => collect(s, v.id, 30000));
  const sent = performance.now();
  const opened = await ok(op.post(`${V}/open`, {}), 'open');
  assert.equal(opened.eligible_count, 100);

  // The ledger: 90 vote (each ballot sent 1..3 times at once, some as a
  // retry after the first answer); 10 do not vote before the close.
  const voters = people.slice(0, 90).map((c, i) => ({ c, choice: CHOICES[(i * 7) % 3], id: crypto.randomUUID(), acks: [] }));
  const send = (x) => x.c.post(`${V}/ballots`, { ballot_id: x.id, choice: x.choice }).then((r) => { x.acks.push(r); return r; });
  await Promise.all(voters.map(async (x, i) => {
    await Promise.all(Array.from({ length: 1 + (i % 3) }, () => send(x)));
    if (i % 5 === 0) await send(x); // a retry after an answer
  }));
  for (const x of voters) {
    for (const r of x.acks) assert.ok(r.status === 201 || r.status === 200, `${x.c.email}: ${r.status} ${r.text}`);
    assert.equal(x.acks.filter((r) => r.status === 201).length, 1, `${x.c.email}: exactly one first acceptance`);
  }
  const live = await ok(op.get(V), 'live');
  assert.deepEqual(live.live, { cast: 90, eligible: 100 });

  const closed = await ok(op.post(`${V}/close`, {}), 'close');
  // Late: the 10 who did not vote, at once, after the close.
  const late = await Promise.all(people.slice(90).map((c) => c.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' })));
  late.forEach((r) => expectError(r, 409, 'vote_closed'));

  const tally = { yes: 0, no: 0, abstain: 0 };
  for (const x of voters) tally[x.choice]++;
  const res = closed.result;
  assert.deepEqual([res.yes, res.no, res.abstain, res.cast, res.not_voted, res.eligible], [tally.yes, tally.no, tally.abstain, 90, 10, 100]);
  assert.equal(res.outcome, tally.yes > tally.no ? 'adopted' : 'rejected');
  const final = await ok(op.get(V), 'final');
  assert.deepEqual(final.result, res, 'late ballots changed nothing');

  const all = await Promise.all(collected);
  const lat = all.map((g) => g.openedAt - sent);
  t.diagnostic(`vote.opened on 100 streams: p50 ${percentile(lat, 50).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`);
  for (const [i, g] of all.entries()) {
    assert.equal(g.opened.eligible_count, 100, `stream ${i}: vote.opened`);
    const per = new Map();
    for (const b of g.ballots) per.set(b.user_id, (per.get(b.user_id) ?? 0) + 1);
    assert.equal(g.ballots.length, 90, `stream ${i}: one vote.ballot per voter`);
    assert.equal(per.size, 90);
    assert.equal(Math.max(...g.ballots.map((b) => b.cast)), 90);
    assert.deepEqual(g.closed.result, res, `stream ${i}: the same result`);
  }
});
