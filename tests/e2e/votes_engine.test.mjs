// The voting engine beyond the plain motion (issue 5): elections (k of n,
// blank ballots, ties), electorates (a named group, guests, exclusions),
// the early close when every present voter has voted, extending the
// deadline, closing open votes when the meeting closes, live counts in
// vote.ballot events and the named list in Polish alphabetical order by
// surname. Each refusal is a specific 4xx that changes nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startDemo, stopAll, signIn, signInMany, demoIds, DEMO, expectError, createMeeting, readEvents,
  runCli, eventually, sleep, ok, DEMO_MEMBERS,
} from './lib.mjs';

after(stopAll);

const MEMBERS = DEMO_MEMBERS;
const ballotId = () => crypto.randomUUID();
const polish = new Intl.Collator('pl');
const surname = (n) => n.trim().split(/\s+/).at(-1);
const byPolishSurname = (a, b) => polish.compare(surname(a), surname(b)) || polish.compare(a, b);

/** Starts the meeting and runs a 1 s attendance check in which `present` press "present". */
async function startWithPresent(op, m, present) {
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'attendance check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), `present ${x.email}`)));
  await eventually(async () => {
    const st = (await op.get(`${P}/state`)).json;
    assert.equal(st.attendance.is_check_open, false);
    assert.equal(st.attendance.present_count, present.filter((x) => !x.isGuest).length);
    return true;
  }, 4000);
}

test('elections, electorates, early close, extension and the meeting closing its open votes', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...MEMBERS]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja wyborcza' });
  const P = `/api/meetings/${m.id}`;
  const guestEmail = `ekspert@${DEMO.domain}`;
  await ok(op.post(`${P}/participants`, { email: guestEmail, name: 'Ignacy Ękspert' }), 'add guest');
  const guest = await signIn(srv, guestEmail, { via: 'stdout' });
  guest.isGuest = true;
  const present = [...members.slice(0, 10), guest]; // chair, radny01..radny09 and the guest
  const absent = members.slice(10);
  await startWithPresent(op, m, present);

  // ---- bad definitions: each refused, nothing created ----
  const before = (await ok(op.get(`${P}/votes`), 'list')).votes.length;
  const E = { title: 'Wybór komisji', method: 'election', candidates: ['Anna Żak', 'Łukasz Ćwik', 'Piotr Nowak'] };
  expectError(await op.post(`${P}/votes`, { ...E, seats: 4 }), 422, 'out_of_range', 'seats');
  expectError(await op.post(`${P}/votes`, { ...E, candidates: ['A', 'A'] }), 422, 'out_of_range', 'candidates');
  expectError(await op.post(`${P}/votes`, { ...E, candidates: [] }), 422, 'out_of_range', 'candidates');
  expectError(await op.post(`${P}/votes`, { ...E, election_rule: 'loudest' }), 422, 'out_of_range', 'election_rule');
  expectError(await op.post(`${P}/votes`, { title: 'x', seats: 2 }), 422, 'out_of_range', 'seats');
  expectError(await op.post(`${P}/votes`, { ...E, electorate: { everyone: true } }), 422, 'unknown_field', 'electorate');
  expectError(await op.post(`${P}/votes`, { ...E, electorate: { group: 'Zła Grupa!' } }), 422, 'out_of_range', 'electorate');
  // A member is not a guest of the meeting; an outsider does not take part.
  expectError(await op.post(`${P}/votes`, { ...E, electorate: { guests: [members[1].user.id] } }), 422, 'out_of_range', 'electorate');
  expectError(await op.post(`${P}/votes`, { ...E, electorate: { exclude: [op.user.id] } }), 422, 'out_of_range', 'electorate');
  assert.equal((await ok(op.get(`${P}/votes`), 'list')).votes.length, before, 'nothing created by a bad definition');

  // ---- an election: 2 of 3, the guest votes too, radny09 is excluded ----
  const excluded = present[9];
  const el = await ok(op.post(`${P}/votes`, { ...E, seats: 2, election_rule: 'most_votes', electorate: { guests: [guest.user.id], exclude: [excluded.user.id] } }), 'create election');
  assert.deepEqual([el.method, el.seats, el.election_rule, el.candidates.length], ['election', 2, 'most_votes', 3]);
  const EV = `/api/votes/${el.id}`;
  const opened = await ok(op.post(`${EV}/open`, {}), 'open election');
  assert.equal(opened.eligible_count, 15, '15 members − 1 excluded + 1 guest');

  expectError(await present[0].post(`${EV}/ballots`, { ballot_id: ballotId(), choices: [0, 1, 2] }), 422, 'too_many_choices', 'choices');
  expectError(await present[0].post(`${EV}/ballots`, { ballot_id: ballotId(), choices: [3] }), 422, 'out_of_range', 'choices');
  expectError(await present[0].post(`${EV}/ballots`, { ballot_id: ballotId(), choices: [1, 1] }), 422, 'out_of_range', 'choices');
  expectError(await present[0].post(`${EV}/ballots`, { ballot_id: ballotId(), choices: ['0'] }), 422, 'out_of_range', 'choices');
  expectError(await present[0].post(`${EV}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 422, 'missing_field', 'choices');
  expectError(await present[0].post(`${EV}/ballots`, { ballot_id: ballotId(), choice: 'yes', choices: [0] }), 422, 'out_of_range', 'choice');
  expectError(await excluded.post(`${EV}/ballots`, { ballot_id: ballotId(), choices: [0] }), 403, 'not_eligible');
  expectError(await absent[0].post(`${EV}/ballots`, { ballot_id: ballotId(), choices: [0] }), 409, 'not_present');

  // The ledger: 9 members and the guest; one blank ballot.
  const picks = [[0, 1], [0], [1, 2], [0, 2], [], [2, 0], [1], [0, 1], [2], [0]];
  const voters = [...present.slice(0, 9), guest].map((c, i) => ({ c, choices: picks[i], id: ballotId() }));
  const answers = await Promise.all(voters.flatMap((x) => [0, 1].map(() => x.c.post(`${EV}/ballots`, { ballot_id: x.id, choices: x.choices }))));
  answers.forEach((r) => assert.ok(r.status === 200 || r.status === 201, `${r.status} ${r.text}`));
  const mine = await ok(voters[5].c.get(EV), 'my view');
  assert.deepEqual(mine.my_choices, [0, 2], 'stored in candidate order');
  assert.deepEqual(mine.live, { cast: 10, eligible: 15 });
  const res = (await ok(op.post(`${EV}/close`, {}), 'close election')).result;
  const votes = [0, 0, 0];
  for (const x of voters) for (const k of x.choices) votes[k]++;
  assert.deepEqual(res.candidates.map((c) => c.votes), votes);
  const order = [0, 1, 2].sort((a, b) => votes[b] - votes[a] || a - b);
  const expectElected = votes[order[1]] > votes[order[2]] ? order.slice(0, 2).sort() : order.filter((k) => votes[k] > votes[order[1]]).sort();
  assert.deepEqual(res.candidates.filter((c) => c.elected).map((c) => c.index).sort(), expectElected);
  assert.deepEqual([res.method, res.cast, res.blank, res.not_voted, res.eligible, res.seats], ['election', 10, 1, 5, 15, 2]);
  assert.equal(res.outcome, 'adopted');
  assert.match(res.verdict.pl, /wybrani: /);
  assert.match(res.verdict.en, /elected: /);
  assert.ok(res.rule_text.pl && res.rule_text.en);
  const names = res.named.map((n) => n.name);
  assert.deepEqual(names, [...names].sort(byPolishSurname), 'named list in Polish order by surname');
  assert.deepEqual(res.named.find((n) => n.user_id === guest.user.id).choices, [0]);
  assert.equal(res.named.find((n) => n.user_id === excluded.user.id), undefined, 'the excluded member is not on the list');

  // ---- a tie for the only seat is reported, nobody elected at random ----
  const tie = await ok(op.post(`${P}/votes`, { title: 'Wybór przewodniczącego komisji', method: 'election', candidates: ['Jan Kowal', 'Ewa Lis'], seats: 1 }), 'create tie');
  await ok(op.post(`/api/votes/${tie.id}/open`, {}), 'open tie');
  await Promise.all(present.slice(0, 4).map((c, i) => ok(c.post(`/api/votes/${tie.id}/ballots`, { ballot_id: ballotId(), choices: [i % 2] }), 'tie ballot')));
  const tr = (await ok(op.post(`/api/votes/${tie.id}/close`, {}), 'close tie')).result;
  assert.equal(tr.is_tie, true);
  assert.deepEqual(tr.candidates.map((c) => [c.elected, c.tied]), [[false, true], [false, true]]);
  assert.match(tr.verdict.pl, /remis: Jan Kowal, Ewa Lis/);

  // ---- a group electorate with the early close ----
  const grp = await ok(op.post(`${P}/votes`, { title: 'Opinia komisji budżetowej', electorate: { group: 'komisja-budzetowa' }, early_close: true }), 'create group vote');
  const go = await ok(op.post(`/api/votes/${grp.id}/open`, {}), 'open group vote');
  assert.equal(go.eligible_count, 3, 'radny01..radny03 are on the budget committee');
  expectError(await present[0].post(`/api/votes/${grp.id}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 403, 'not_eligible');
  const committee = present.slice(1, 4);
  for (const [i, c] of committee.entries()) {
    await ok(c.post(`/api/votes/${grp.id}/ballots`, { ballot_id: ballotId(), choice: i === 2 ? 'no' : 'yes' }), 'committee ballot');
    const g = await ok(op.get(`/api/votes/${grp.id}`), 'group vote');
    assert.equal(g.status, i < 2 ? 'open' : 'closed', `after ${i + 1} of 3 ballots`);
  }
  const gr = (await ok(op.get(`/api/votes/${grp.id}`), 'group result')).result;
  assert.deepEqual([gr.yes, gr.no, gr.eligible, gr.outcome], [2, 1, 3, 'adopted']);
  const evs = await readEvents(op, m.id, { since: 0 });
  const counts = evs.filter((e) => e.type === 'vote.ballot' && e.payload.vote_id === grp.id).map((e) => [e.payload.cast, e.payload.eligible]);
  assert.deepEqual(counts, [[1, 3], [2, 3], [3, 3]], 'live counts in vote.ballot');
  const early = evs.find((e) => e.type === 'vote.closed' && e.payload.vote_id === grp.id);
  assert.equal(early.actor, 'system');

  // ---- nobody present entitled: refused at opening ----
  const none = await ok(op.post(`${P}/votes`, { title: 'Pusta grupa', electorate: { group: 'nikt-taki' } }), 'create empty');
  expectError(await op.post(`/api/votes/${none.id}/open`, {}), 409, 'empty_electorate');

  // ---- extension: the old deadline passes, the vote stays open ----
  const ext = await ok(op.post(`${P}/votes`, { title: 'Wniosek o przedłużenie', duration_s: 2 }), 'create ext');
  const eo = await ok(op.post(`/api/votes/${ext.id}/open`, {}), 'open ext');
  expectError(await present[2].post(`/api/votes/${ext.id}/extend`, { seconds: 60 }), 403, 'forbidden');
  expectError(await op.post(`/api/votes/${ext.id}/extend`, { seconds: 5 }), 422, 'out_of_range', 'seconds');
  expectError(await op.post(`/api/votes/${none.id}/extend`, { seconds: 60 }), 409, 'vote_not_open');
  const extended = await ok(op.post(`/api/votes/${ext.id}/extend`, { seconds: 60 }), 'extend');
  assert.equal(extended.deadline, eo.deadline + 60000);
  await sleep(Math.max(0, eo.deadline - Date.now()) + 700);
  assert.equal((await ok(op.get(`/api/votes/${ext.id}`), 'after the old deadline')).status, 'open');
  await ok(present[0].post(`/api/votes/${ext.id}/ballots`, { ballot_id: ballotId(), choice: 'yes' }), 'ballot after the old deadline');

  // ---- closing the meeting closes the open vote first ----
  await ok(op.post(`${P}/close`, {}), 'close meeting');
  const xr = await ok(op.get(`/api/votes/${ext.id}`), 'ext after meeting close');
  assert.equal(xr.status, 'closed');
  assert.equal(xr.result.yes, 1);
  expectError(await op.post(`/api/votes/${ext.id}/extend`, { seconds: 60 }), 409, 'vote_closed');
  const tail = await readEvents(op, m.id, { since: 0, untilType: 'meeting.closed' });
  const iClosed = tail.findIndex((e) => e.type === 'vote.closed' && e.payload.vote_id === ext.id);
  const iMeeting = tail.findIndex((e) => e.type === 'meeting.closed');
  assert.ok(iClosed >= 0 && iClosed < iMeeting, 'vote.closed before meeting.closed');
  assert.equal(tail[iClosed].actor, 'system');
  assert.ok(tail.some((e) => e.type === 'vote.extended' && e.payload.extended_by_s === 60));

  const v = await runCli(['log', 'verify', m.id, '--data', srv.dataDir]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
});
