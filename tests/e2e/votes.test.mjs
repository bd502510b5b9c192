// Open (named) votes (issue 5): create, open (electorate and quorum fixed),
// ballots concurrently with duplicates and retries counted exactly once,
// refusals (not present, not eligible, unknown choice, after close), close by
// the chair and auto-close at the deadline (also across a restart), the
// result under the rule against the test's own tally, the repeat
// ("reasumpcja"), and the log verifies with `obrady log verify`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import {
  startDemo, stopAll, signIn, signInMany, makeClient, newUser, demoIds, DEMO, expectError,
  createMeeting, readEvents, runCli, eventually, sleep, freeTmpDir, ok, DEMO_MEMBERS,
} from './lib.mjs';

after(stopAll);

const MEMBERS = DEMO_MEMBERS;

async function verifyLog(srv, meetingId) {
  const r = await runCli(['log', 'verify', meetingId, '--data', srv.dataDir]);
  assert.equal(r.code, 0, `obrady log verify ${meetingId}: exit ${r.code}\n${r.stdout}${r.stderr}`);
}

const ballotId = () => crypto.randomUUID();

/** Starts the meeting and runs a 1 s attendance check in which `present` press "present". */
async function startWithPresent(op, bodyId, present, title) {
  const m = await createMeeting(op, bodyId, { title });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'attendance check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), `present ${x.email}`)));
  await eventually(async () => {
    const st = (await op.get(`${P}/state`)).json;
    assert.equal(st.attendance.is_check_open, false);
    assert.equal(st.attendance.present_count, present.length);
    return true;
  }, 4000);
  return m;
}

test('open vote: concurrent ballots with duplicates and retries counted once, refusals, close, result, repeat; the log verifies', async (t) => {
  const t0 = Date.now();
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...MEMBERS]);
  const { bodyId } = await demoIds(op);
  await newUser(srv, 'x@other.example', { name: 'Osoba Postronna' });
  const outsider = await signIn(srv, 'x@other.example', { via: 'stdout' });

  const present = members.slice(0, 10); // chair + radny01..radny09
  const absent = members.slice(10);
  const m = await startWithPresent(op, bodyId, present, 'Sesja z głosowaniem');
  const P = `/api/meetings/${m.id}`;

  // Create: members may not; a committee of trustees needs a committee (and a secret vote); an election needs candidates; bad majority.
  expectError(await members[3].post(`${P}/votes`, { title: 'x' }), 403, 'forbidden');
  expectError(await op.post(`${P}/votes`, { title: 'x', kind: 'secret', trustees: 'committee' }), 422, 'no_committee', 'threshold');
  expectError(await op.post(`${P}/votes`, { title: 'x', trustees: 'committee' }), 422, 'out_of_range', 'trustees');
  expectError(await op.post(`${P}/votes`, { title: 'x', method: 'election' }), 422, 'missing_field', 'candidates');
  expectError(await op.post(`${P}/votes`, { title: 'x', majority: 'most' }), 422, 'out_of_range', 'majority');
  const created = await op.post(`${P}/votes`, { title: 'Uchwała w sprawie budżetu', motion: 'Rada uchwala budżet.', kind: 'open', method: 'yes_no_abstain', majority: 'simple', duration_s: 60 });
  assert.equal(created.status, 201, created.text);
  const v = created.json;
  assert.equal(v.status, 'draft');
  assert.equal(v.majority, 'simple');
  assert.equal(v.duration_s, 60);
  assert.ok(v.rule_text.pl && v.rule_text.en, 'rule text in both languages');
  const V = `/api/votes/${v.id}`;
  const dflt = await ok(op.post(`${P}/votes`, { title: 'Domyślny czas' }), 'create with defaults');
  const body = await ok(op.get(`/api/bodies/${bodyId}`), 'body');
  assert.equal(dflt.duration_s, body.vote_duration_s ?? body.body?.vote_duration_s, 'the body default (vote_duration_s)');

  expectError(await present[1].post(`${V}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 409, 'vote_not_open');
  expectError(await present[3].post(`${V}/open`, {}), 403, 'forbidden');
  const opened = await ok(op.post(`${V}/open`, {}), 'open');
  assert.equal(opened.status, 'open');
  assert.equal(opened.eligible_count, 15);
  assert.equal(opened.present_at_open, 10);
  assert.equal(opened.quorum_required, 8);
  assert.ok(opened.deadline > Date.now());
  expectError(await op.post(`${V}/open`, {}), 409, 'vote_not_draft');

  // The ledger: 9 of the 10 present vote (present[9] does not).
  const choices = ['yes', 'yes', 'no', 'yes', 'abstain', 'yes', 'no', 'yes', 'abstain'];
  const voters = present.slice(0, 9).map((c, i) => ({ c, choice: choices[i], id: ballotId() }));
  // Each ballot is sent three times at once (duplicates and retries).
  const sends = voters.flatMap((x) => [0, 1, 2].map(() => x.c.post(`${V}/ballots`, { ballot_id: x.id, choice: x.choice }).then((r) => ({ x, r }))));
  const answers = await Promise.all(sends);
  for (const x of voters) {
    const mine = answers.filter((a) => a.x === x).map((a) => a.r);
    for (const r of mine) {
      assert.ok(r.status === 200 || r.status === 201, `ballot of ${x.c.email}: ${r.status} ${r.text}`);
      assert.equal(r.json.choice, x.choice);
      assert.equal(r.json.counted, true);
    }
    assert.equal(mine.filter((r) => r.status === 201).length, 1, `one first acceptance for ${x.c.email}`);
  }
  // A different ballot for the same voter: refused (the body does not allow changes).
  expectError(await voters[0].c.post(`${V}/ballots`, { ballot_id: ballotId(), choice: 'no' }), 409, 'already_voted');
  // Someone else's ballot id.
  expectError(await present[9].post(`${V}/ballots`, { ballot_id: voters[0].id, choice: 'no' }), 409, 'ballot_id_taken');
  // Not present, not a member, unknown choice.
  expectError(await absent[0].post(`${V}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 409, 'not_present');
  const o = await outsider.post(`${V}/ballots`, { ballot_id: ballotId(), choice: 'yes' });
  assert.ok(o.status === 403, `an outsider's ballot: ${o.status} ${o.text}`);
  expectError(await present[9].post(`${V}/ballots`, { ballot_id: ballotId(), choice: 'maybe' }), 422, 'out_of_range', 'choice');

  // Live view: cast of eligible, named list, my choice.
  const live = await ok(present[0].get(V), 'get open vote');
  assert.deepEqual(live.live, { cast: 9, eligible: 15 });
  assert.equal(live.my_choice, 'yes');
  assert.equal(live.named.filter((n) => n.choice).length, 9);

  expectError(await present[3].post(`${V}/close`, {}), 403, 'forbidden');
  const closed = await ok(op.post(`${V}/close`, {}), 'close');
  assert.equal(closed.status, 'closed');
  const tally = { yes: 0, no: 0, abstain: 0 };
  for (const x of voters) tally[x.choice]++;
  const res = closed.result;
  assert.equal(res.yes, tally.yes);
  assert.equal(res.no, tally.no);
  assert.equal(res.abstain, tally.abstain);
  assert.equal(res.not_voted, 15 - voters.length);
  assert.equal(res.eligible, 15);
  assert.equal(res.present, 10);
  assert.equal(res.outcome, tally.yes > tally.no ? 'adopted' : 'rejected');
  assert.ok(res.rule_text.pl && res.rule_text.en);
  assert.equal(res.named.length, 15);
  const names = res.named.map((n) => n.name);
  const polish = new Intl.Collator('pl');
  const surname = (n) => n.trim().split(/\s+/).at(-1);
  assert.deepEqual(names, [...names].sort((a, b) => polish.compare(surname(a), surname(b)) || polish.compare(a, b)), 'named list in Polish order by surname');
  for (const x of voters) assert.equal(res.named.find((n) => n.user_id === x.c.user.id).choice, x.choice);
  assert.equal(res.named.find((n) => n.user_id === present[9].user.id).choice, null);

  // After close: late ballots refused, close again refused, a retry of an acknowledged ballot still answers.
  expectError(await present[9].post(`${V}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 409, 'vote_closed');
  expectError(await op.post(`${V}/close`, {}), 409, 'vote_closed');
  const retry = await present[0].post(`${V}/ballots`, { ballot_id: voters[0].id, choice: voters[0].choice });
  assert.equal(retry.status, 200, `retry after close: ${retry.text}`);
  assert.deepEqual((await ok(anonGet(op, V), 'get closed')).result.yes, tally.yes);

  // Exactly one vote.ballot event per accepted ballot.
  const evs = await readEvents(op, m.id, { since: 0, untilType: 'vote.closed' });
  const ballotsEv = evs.filter((e) => e.type === 'vote.ballot' && e.payload.vote_id === v.id);
  assert.equal(ballotsEv.length, voters.length, 'one vote.ballot per voter');
  const closedEv = evs.find((e) => e.type === 'vote.closed');
  assert.equal(closedEv.payload.result.outcome, res.outcome);
  assert.equal(evs.find((e) => e.type === 'vote.opened').payload.eligible.length, 15);

  // Reasumpcja: a new draft linked to the old; the old untouched.
  expectError(await op.post(`/api/votes/${dflt.id}/repeat`, { reason: 'x' }), 409, 'vote_not_closed');
  const rep = await op.post(`${V}/repeat`, { reason: 'Błąd w liczeniu głosów' });
  assert.equal(rep.status, 201, rep.text);
  assert.equal(rep.json.repeat_of, v.id);
  assert.equal(rep.json.status, 'draft');
  assert.equal(rep.json.repeat_reason, 'Błąd w liczeniu głosów');
  const old = await ok(op.get(V), 'old vote');
  assert.equal(old.status, 'closed');
  assert.deepEqual(old.result, res);

  // Unknown vote.
  expectError(await present[0].post('/api/votes/aaaaaaaaaaaaaaaaaaaa/ballots', { ballot_id: ballotId(), choice: 'yes' }), 404, 'not_found');
  expectError(await op.get('/api/votes/aaaaaaaaaaaaaaaaaaaa'), 404, 'not_found');

  // allow_change: the last ballot counts, every one is in the log.
  const v3 = await ok(op.post(`${P}/votes`, { title: 'Zmiana głosu', allow_change: true, majority: 'absolute' }), 'create v3');
  await ok(op.post(`/api/votes/${v3.id}/open`, {}), 'open v3');
  await ok(present[2].post(`/api/votes/${v3.id}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 'first choice');
  const changed = await ok(present[2].post(`/api/votes/${v3.id}/ballots`, { ballot_id: ballotId(), choice: 'no' }), 'changed choice');
  assert.equal(changed.choice, 'no');
  const r3 = (await ok(op.post(`/api/votes/${v3.id}/close`, {}), 'close v3')).result;
  assert.deepEqual([r3.yes, r3.no, r3.abstain, r3.outcome], [0, 1, 0, 'rejected']);

  // Auto-close at a 2 s deadline; a ballot after it is refused.
  const v2 = await ok(op.post(`${P}/votes`, { title: 'Wniosek formalny', duration_s: 2 }), 'create v2');
  const o2 = await ok(op.post(`/api/votes/${v2.id}/open`, {}), 'open v2');
  await ok(present[0].post(`/api/votes/${v2.id}/ballots`, { ballot_id: ballotId(), choice: 'no' }), 'ballot v2');
  await sleep(Math.max(0, o2.deadline - Date.now()) + 1);
  expectError(await present[1].post(`/api/votes/${v2.id}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 409, 'vote_closed');
  const c2 = await eventually(async () => {
    const g = await ok(op.get(`/api/votes/${v2.id}`), 'get v2');
    assert.equal(g.status, 'closed');
    return g;
  }, 3000);
  assert.equal(c2.result.no, 1);
  assert.equal(c2.result.outcome, 'rejected');
  const sysEv = (await readEvents(op, m.id, { since: 0 })).filter((e) => e.type === 'vote.closed' && e.payload.vote_id === v2.id);
  assert.equal(sysEv.length, 1);
  assert.equal(sysEv[0].actor, 'system');

  await verifyLog(srv, m.id);
  assert.ok(Date.now() - t0 < 20000, `took ${Date.now() - t0} ms`);
});

function anonGet(client, p) {
  return client.get(p);
}

test('a vote whose deadline passes while the server is down closes at the next start', async (t) => {
  const dir = freeTmpDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = await startDemo({ dataDir: dir });
  t.after(() => a.stop());
  const [op, ...ms] = await signInMany(a, [DEMO.operator, ...MEMBERS.slice(0, 9)]);
  const { bodyId } = await demoIds(op);
  const m = await startWithPresent(op, bodyId, ms, 'Sesja z restartem');
  const v = await ok(op.post(`/api/meetings/${m.id}/votes`, { title: 'Uchwała', duration_s: 2 }), 'create');
  const o = await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  await Promise.all(ms.slice(0, 5).map((c) => ok(c.post(`/api/votes/${v.id}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 'ballot')));
  await a.kill();
  assert.ok(Date.now() < o.deadline, 'killed before the deadline');
  await sleep(Math.max(0, o.deadline - Date.now()) + 200);

  const b = await startDemo({ dataDir: dir });
  t.after(() => b.stop());
  const op2 = makeClient(b, op.cookie, op.user);
  const g = await eventually(async () => {
    const r = await ok(op2.get(`/api/votes/${v.id}`), 'get');
    assert.equal(r.status, 'closed');
    return r;
  }, 4000);
  assert.equal(g.result.yes, 5);
  assert.equal(g.result.present, 9);
  assert.equal(g.result.outcome, 'adopted');
  await b.stop();
  await verifyLog(b, m.id);
});
