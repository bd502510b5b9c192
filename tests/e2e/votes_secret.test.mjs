// Secret votes over HTTP (issue 6): the election fixed at opening, ballots
// encrypted by the same JS module the member's browser uses, verified by the
// server (a bad or copied ballot refused, nothing stored), voters and
// ballots apart, the tally at close equal to the test's own ledger, and the
// board checked by `obrady verify` — while one altered byte makes it fail.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, expectError, createMeeting, readEvents, runCli,
  freeTmpDir, sql, ok, DEMO_MEMBERS, PG_BASE,
} from './lib.mjs';
import { ready } from '../../web/js/evote/sodium.js';
import { parseElection } from '../../web/js/evote/election.js';
import { checkBoard } from '../../web/js/evote/verify.js';
import { registerVoterKeys, ballotOf } from './voter_keys.mjs';

after(stopAll);

const MEMBERS = DEMO_MEMBERS;
const ballotId = () => crypto.randomUUID();

test('secret vote: encrypted ballots verified, counted once, tallied at close; the board verifies and a tampered one does not', async (t) => {
  await ready();
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...MEMBERS]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja z głosowaniem tajnym' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  const present = members.slice(0, 12);
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  await registerVoterKeys(members); // each member's device registers its voting key before the vote

  expectError(await op.post(`${P}/votes`, { title: 'x', kind: 'secret', allow_change: true }), 422, 'out_of_range', 'allow_change');
  const v = await ok(op.post(`${P}/votes`, { title: 'Wybór skarbnika', motion: 'Czy powołać Jana Żółcia na skarbnika?', kind: 'secret', duration_s: 300 }), 'create');
  const V = `/api/votes/${v.id}`;
  await ok(op.post(`${V}/open`, {}), 'open');
  const opened = (await readEvents(op, m.id, { since: 0, untilType: 'vote.opened' })).find((e) => e.type === 'vote.opened');
  const election = opened.payload.election;
  assert.ok(election && opened.payload.election_hash, 'vote.opened carries the election');
  const ctx = parseElection(election);
  assert.deepEqual(election.options, ['za', 'przeciw', 'wstrzymuję się']);

  // Ledger: 10 of 12 vote.
  const picks = [0, 0, 1, 0, 2, 0, 1, 0, 2, 0];
  const made = picks.map((k, i) => ballotOf(ctx, present[i], [0, 1, 2].map((j) => (j === k ? 1 : 0))));
  const voters = present.slice(0, 10).map((c, i) => ({ c, made: made[i], id: ballotId() }));

  // Bad ballots: a flipped proof byte, a copy of someone else's ballot, an
  // open-vote choice, no ballot — each refused, nothing stored.
  const bad = structuredClone(made[0].ballot);
  const s0 = bad.choices[1].proof.responses[0];
  bad.choices[1].proof.responses[0] = (s0[0] === '0' ? '1' : '0') + s0.slice(1);
  const r1 = await present[11].post(`${V}/ballots`, { ballot_id: ballotId(), ballot: bad });
  expectError(r1, 422, 'bad_ballot', 'ballot');
  assert.match(r1.json.error.reason, /option 1|choices\[1\]|proof/i, r1.text);
  expectError(await present[11].post(`${V}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 422, 'missing_field', 'ballot');
  expectError(await present[11].post(`${V}/ballots`, { ballot_id: ballotId(), ballot: { credential: 'x' } }), 422, 'bad_ballot', 'ballot');

  const answers = await Promise.all(voters.flatMap((x) => [0, 1].map(() => x.c.post(`${V}/ballots`, { ballot_id: x.id, ballot: x.made.ballot }))));
  answers.forEach((r) => assert.ok(r.status === 200 || r.status === 201, `${r.status} ${r.text}`));
  for (const x of voters) {
    const first = answers.filter((r) => r.json.ballot_id === x.id && r.status === 201);
    assert.equal(first.length, 1);
    assert.equal(first[0].json.tracker, x.made.tracker, 'the server computes the same tracker');
  }
  // A copy of voter 0's ballot by someone else; a second ballot of voter 1.
  expectError(await present[11].post(`${V}/ballots`, { ballot_id: ballotId(), ballot: made[0].ballot }), 409, 'duplicate_ballot');
  expectError(await present[1].post(`${V}/ballots`, { ballot_id: ballotId(), ballot: ballotOf(ctx, present[1], [1, 0, 0]).ballot }), 409, 'already_voted');
  expectError(await members[13].post(`${V}/ballots`, { ballot_id: ballotId(), ballot: ballotOf(ctx, members[13], [1, 0, 0]).ballot }), 409, 'not_present');

  const mine = await ok(present[0].get(V), 'my view');
  assert.equal(mine.has_voted, true);
  assert.equal(mine.named, undefined, 'no named list for a secret vote');
  assert.deepEqual(mine.live, { cast: 10, eligible: 15 });

  // Nothing in the store links a voter to a ballot: no rowid order, no times.
  const cols = await sql(srv, PG_BASE
    ? "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'secret_ballots'"
    : "SELECT group_concat(name) FROM pragma_table_info('secret_ballots')");
  assert.equal(cols, 'vote_id,tracker,credential,ballot');
  assert.equal(await sql(srv, `SELECT COUNT(*) FROM secret_ballots WHERE vote_id = '${v.id}'`), '10');
  assert.equal(await sql(srv, `SELECT COUNT(*) FROM ballots WHERE vote_id = '${v.id}'`), '0');

  const closed = await ok(op.post(`${V}/close`, {}), 'close');
  const res = closed.result;
  const tally = [0, 0, 0];
  for (const k of picks) tally[k]++;
  assert.deepEqual([res.yes, res.no, res.abstain, res.cast, res.ballots_cast, res.eligible], [...tally, 10, 10, 15]);
  assert.equal(res.outcome, tally[0] > tally[1] ? 'adopted' : 'rejected');
  assert.equal(res.named, undefined);
  assert.equal(res.voters.length, 10);
  assert.match(res.board_hash, /^[0-9a-f]{64}$/);
  assert.deepEqual(res.trustees, ['Serwer obrady']);

  // The ballot events say who voted and how many, never how.
  const evs = await readEvents(op, m.id, { since: 0, untilType: 'vote.closed' });
  const bev = evs.filter((e) => e.type === 'vote.ballot');
  assert.equal(bev.length, 10);
  for (const e of bev) assert.deepEqual(Object.keys(e.payload).sort(), ['cast', 'eligible', 'name', 'user_id', 'vote_id']);

  // The board: every tracker is on it; obrady verify passes; one byte off fails.
  const board = await ok(op.get(`${V}/board`), 'board');
  assert.deepEqual(board.result, tally);
  const trackers = board.ballots.map((b) => b.tracker);
  assert.deepEqual(trackers, [...trackers].sort(), 'sorted by tracker, not in casting order');
  for (const x of voters) assert.ok(trackers.includes(x.made.tracker), 'each voter finds the tracker');
  const dir = freeTmpDir('obrady-board-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'board.json');
  fs.writeFileSync(file, JSON.stringify(board));
  const good = await runCli(['verify', file]);
  assert.equal(good.code, 0, good.stdout + good.stderr);
  const tampered = structuredClone(board);
  const beta = tampered.ballots[3].choices[0].beta;
  tampered.ballots[3].choices[0].beta = beta.slice(0, 10) + (beta[10] === 'a' ? 'b' : 'a') + beta.slice(11);
  fs.writeFileSync(file, JSON.stringify(tampered));
  const badRun = await runCli(['verify', file]);
  assert.equal(badRun.code, 1, badRun.stdout + badRun.stderr);
  assert.match(badRun.stdout + badRun.stderr, new RegExp(tampered.ballots[3].tracker.slice(0, 12)));
  // The same board in the browser's verifier (web/js/evote/verify.js): same answer, same failing ballot.
  const js = checkBoard(board);
  assert.equal(js.ok, true, `${js.where}: ${js.message}`);
  assert.deepEqual(js.result, tally);
  const jsBad = checkBoard(tampered);
  assert.equal(jsBad.ok, false);
  // An invalid point encoding, or (when the altered bytes still decode) the 0/1 proof of that option.
  assert.ok(jsBad.where.startsWith(`ballot ${tampered.ballots[3].tracker} option 0`), jsBad.where);
});
