// The browser's vote fold (web/js/vote-state.js) under node: events of
// docs/events.md in order, seeds from the API racing the events (applied
// twice, out of order), elections, the viewer's own choice and the
// selection of what a screen shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createVotes, seedList, seedVote, applyVoteEvent, currentVote, openVote, lastClosed, isEligible, myChoice,
  liveCount, allVotes, VOTE_EVENT_TYPES,
} from '../../web/js/vote-state.js';

const people = { u1: 'Anna Adamska', u2: 'Bartosz Bąk', u3: 'Celina Czech' };
const nameOf = (id) => people[id] || '';
let seq = 0;
const ev = (type, payload) => ({ seq: ++seq, ts: Date.now(), type, actor: 'x', payload });

function opened(id, extra = {}) {
  return ev('vote.opened', {
    vote_id: id, title: 'Uchwała', motion: 'Rada uchwala.', kind: 'open', method: 'yes_no_abstain', majority: 'simple',
    allow_change: false, eligible: ['u1', 'u2', 'u3'], eligible_count: 3, present: 3, quorum_required: 2, has_quorum: true,
    opened_at: 1000, deadline: 61000, duration_s: 60, rule_text: { pl: 'zwykła', en: 'simple' }, ...extra,
  });
}

test('created → opened → ballots → extended → closed', () => {
  const vs = createVotes({ meId: 'u2' });
  assert.equal(applyVoteEvent(vs, ev('vote.created', { vote_id: 'v1', title: 'Uchwała', motion: 'Rada uchwala.', kind: 'open', method: 'yes_no_abstain', majority: 'simple', duration_s: 60, allow_change: false })), true);
  assert.equal(vs.byId.get('v1').status, 'draft');
  assert.equal(currentVote(vs), null, 'a draft is not shown to members');
  applyVoteEvent(vs, opened('v1'), { nameOf });
  const v = vs.byId.get('v1');
  assert.equal(v.status, 'open');
  assert.equal(v.deadline, 61000);
  assert.deepEqual(v.named.map((n) => [n.name, n.choice]), [['Anna Adamska', null], ['Bartosz Bąk', null], ['Celina Czech', null]]);
  assert.deepEqual(liveCount(v), { cast: 0, eligible: 3 });
  assert.equal(isEligible(v, 'u1'), true);
  assert.equal(isEligible(v, 'u9'), false);
  assert.equal(currentVote(vs), v);

  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 'v1', ballot_id: 'b1xxxxxx', user_id: 'u1', name: 'Anna Adamska', choice: 'yes', is_change: false, cast: 1, eligible: 3 }));
  const mine = ev('vote.ballot', { vote_id: 'v1', ballot_id: 'b2xxxxxx', user_id: 'u2', name: 'Bartosz Bąk', choice: 'no', is_change: false, cast: 2, eligible: 3 });
  applyVoteEvent(vs, mine);
  assert.equal(myChoice(v), 'no', 'the viewer\'s own ballot');
  assert.deepEqual(liveCount(v), { cast: 2, eligible: 3 });
  // The same event again (a replay over a seed) changes nothing.
  applyVoteEvent(vs, mine);
  assert.deepEqual(liveCount(v), { cast: 2, eligible: 3 });
  assert.deepEqual(v.named.map((n) => n.choice), ['yes', 'no', null]);

  applyVoteEvent(vs, ev('vote.extended', { vote_id: 'v1', deadline: 121000, extended_by_s: 60 }));
  assert.equal(v.deadline, 121000);

  const result = {
    method: 'yes_no_abstain', yes: 1, no: 1, abstain: 0, cast: 2, not_voted: 1, eligible: 3, present: 3, outcome: 'rejected', is_tie: true,
    verdict: { pl: 'Odrzucono', en: 'Rejected' }, rule_text: { pl: 'r', en: 'r' },
    named: [{ user_id: 'u1', name: 'Anna Adamska', choice: 'yes' }, { user_id: 'u2', name: 'Bartosz Bąk', choice: 'no' }, { user_id: 'u3', name: 'Celina Czech', choice: null }],
  };
  applyVoteEvent(vs, ev('vote.closed', { vote_id: 'v1', closed_at: 5000, result }));
  assert.equal(v.status, 'closed');
  assert.equal(v.result.outcome, 'rejected');
  assert.equal(v.live, null);
  assert.deepEqual(liveCount(v), { cast: 2, eligible: 3 });
  assert.equal(openVote(vs), null);
  assert.equal(lastClosed(vs), v);
  assert.equal(currentVote(vs), v, 'after the close a screen shows the result');
  // A late ballot event after the close does not touch the final list.
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 'v1', ballot_id: 'b3xxxxxx', user_id: 'u3', name: 'Celina Czech', choice: 'yes', cast: 3, eligible: 3 }));
  assert.equal(v.named[2].choice, null);
  // Reopening is not a thing: a stray vote.opened after the close is ignored.
  applyVoteEvent(vs, opened('v1'), { nameOf });
  assert.equal(v.status, 'closed');
});

test('a seed from the API and the events that raced it give the same state', () => {
  const vs = createVotes({ meId: 'u3' });
  const o = opened('v2', { allow_change: true });
  const b1 = ev('vote.ballot', { vote_id: 'v2', ballot_id: 'x1xxxxxx', user_id: 'u1', name: 'Anna Adamska', choice: 'abstain', is_change: false, cast: 1, eligible: 3 });
  const b2 = ev('vote.ballot', { vote_id: 'v2', ballot_id: 'x2xxxxxx', user_id: 'u3', name: 'Celina Czech', choice: 'yes', is_change: false, cast: 2, eligible: 3 });
  const b3 = ev('vote.ballot', { vote_id: 'v2', ballot_id: 'x3xxxxxx', user_id: 'u3', name: 'Celina Czech', choice: 'no', is_change: true, cast: 2, eligible: 3 });
  // The list says draft (read before the opening), the events say open.
  seedList(vs, [{ id: 'v2', title: 'Uchwała', kind: 'open', method: 'yes_no_abstain', majority: 'simple', status: 'draft', outcome: null }]);
  for (const e of [o, b1, b2]) applyVoteEvent(vs, e, { nameOf });
  // GET /api/votes/v2 answered with the state after b1 only (older than b2)...
  seedVote(vs, {
    id: 'v2', status: 'open', title: 'Uchwała', motion: 'Rada uchwala.', kind: 'open', method: 'yes_no_abstain', majority: 'simple',
    allow_change: true, deadline: 61000, opened_at: 1000, live: { cast: 1, eligible: 3 }, my_choice: null,
    named: [{ user_id: 'u1', name: 'Anna Adamska', choice: 'abstain' }, { user_id: 'u2', name: 'Bartosz Bąk', choice: null }, { user_id: 'u3', name: 'Celina Czech', choice: null }],
  });
  // ...so the events after its request are applied again (what meeting-votes.js does), then b3 arrives.
  for (const e of [b1, b2, b3]) applyVoteEvent(vs, e, { nameOf });
  const v = vs.byId.get('v2');
  assert.equal(v.status, 'open');
  assert.deepEqual(liveCount(v), { cast: 2, eligible: 3 });
  assert.equal(myChoice(v), 'no', 'the last ballot counts');
  assert.deepEqual(v.named.map((n) => n.choice), ['abstain', null, 'no']);
  // A stale list never moves the vote back to draft.
  seedList(vs, [{ id: 'v2', title: 'Uchwała', status: 'draft' }]);
  assert.equal(v.status, 'open');
  // A stale GET of a draft does not either.
  seedVote(vs, { id: 'v2', status: 'draft', title: 'Uchwała' });
  assert.equal(v.status, 'open');
});

test('elections: choices, blank ballots, the viewer\'s choices, the result', () => {
  const vs = createVotes({ meId: 'u1' });
  applyVoteEvent(vs, opened('e1', { method: 'election', candidates: ['Ewa', 'Jan', 'Piotr'], seats: 2, election_rule: 'most_votes' }), { nameOf });
  const v = vs.byId.get('e1');
  assert.deepEqual(v.named[0], { user_id: 'u1', name: 'Anna Adamska', choices: null });
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 'e1', ballot_id: 'e1xxxxxx', user_id: 'u1', name: 'Anna Adamska', choices: [0, 2], is_change: false, cast: 1, eligible: 3 }));
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 'e1', ballot_id: 'e2xxxxxx', user_id: 'u2', name: 'Bartosz Bąk', choices: [], is_change: false, cast: 2, eligible: 3 }));
  assert.deepEqual(myChoice(v), [0, 2]);
  assert.deepEqual(v.named.map((n) => n.choices), [[0, 2], [], null]);
  assert.equal(liveCount(v).cast, 2);
  applyVoteEvent(vs, ev('vote.closed', { vote_id: 'e1', closed_at: 9, result: { method: 'election', candidates: [{ index: 0, name: 'Ewa', votes: 1, elected: true, tied: false }], cast: 2, blank: 1, eligible: 3, outcome: 'adopted', named: [] } }));
  assert.equal(v.result.blank, 1);
  assert.equal(v.method, 'election');
});

test('ballot events without a count (older servers, secret votes later) still count', () => {
  const vs = createVotes();
  applyVoteEvent(vs, opened('s1', { kind: 'secret', eligible: undefined, eligible_count: 4 }));
  const v = vs.byId.get('s1');
  assert.equal(v.named, null, 'no named list for a secret vote');
  assert.equal(isEligible(v, 'u1'), null, 'unknown without the electorate');
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 's1', ballot_id: 'zzzzzzzz' }));
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 's1', ballot_id: 'yyyyyyyy', cast: 2, eligible: 4 }));
  assert.deepEqual(liveCount(v), { cast: 2, eligible: 4 });
});

test('non-vote events and malformed ones are ignored; the open vote opened last is current', () => {
  const vs = createVotes();
  assert.equal(applyVoteEvent(vs, ev('chat.message', { vote_id: 'v' })), false);
  assert.equal(applyVoteEvent(vs, ev('vote.opened', {})), false);
  assert.equal(applyVoteEvent(vs, null), false);
  assert.equal(allVotes(vs).length, 0);
  applyVoteEvent(vs, opened('a', { opened_at: 10 }));
  applyVoteEvent(vs, opened('b', { opened_at: 20 }));
  assert.equal(currentVote(vs).id, 'b');
  assert.deepEqual(VOTE_EVENT_TYPES.slice().sort(), ['vote.ballot', 'vote.closed', 'vote.confirmation', 'vote.confirming', 'vote.counting', 'vote.created', 'vote.extended', 'vote.opened']);
});

test('awaiting the scrutiny committee: confirming shuts the box, confirmations add up, closed brings the result; a hand entry is marked', () => {
  const vs = createVotes();
  applyVoteEvent(vs, { type: 'vote.opened', seq: 1, payload: { vote_id: 'c', kind: 'open', eligible: ['u1', 'u2'], eligible_count: 2, opened_at: 1 } }, { nameOf });
  applyVoteEvent(vs, { type: 'vote.ballot', seq: 2, payload: { vote_id: 'c', user_id: 'u1', choice: 'no', by_hand: true, entered_by_name: 'Ewa Biurowa', cast: 1 } });
  const v = vs.byId.get('c');
  assert.equal(v.named.find((n) => n.user_id === 'u1').by_hand, true);
  assert.equal(v.named.find((n) => n.user_id === 'u1').entered_by, 'Ewa Biurowa');
  applyVoteEvent(vs, { type: 'vote.confirming', seq: 3, payload: { vote_id: 'c', closed_at: 5 } });
  assert.equal(v.status, 'confirming');
  assert.equal(lastClosed(vs).id, 'c', 'shown as the latest (awaiting) result');
  applyVoteEvent(vs, { type: 'vote.ballot', seq: 4, payload: { vote_id: 'c', user_id: 'u2', choice: 'yes', cast: 2 } });
  assert.equal(v.named.find((n) => n.user_id === 'u2').choice ?? null, null, 'no ballot after the close');
  seedVote(vs, { id: 'c', status: 'confirming', result: null, pending_result: { yes: 0, no: 1 }, confirmations: [] });
  applyVoteEvent(vs, { type: 'vote.confirmation', seq: 5, payload: { vote_id: 'c', user_id: 'k1', name: 'Łucja', objection: null } });
  applyVoteEvent(vs, { type: 'vote.confirmation', seq: 6, payload: { vote_id: 'c', user_id: 'k1', name: 'Łucja', objection: null } });
  assert.equal(v.confirmations.length, 1);
  applyVoteEvent(vs, { type: 'vote.closed', seq: 7, payload: { vote_id: 'c', closed_at: 5, result: { no: 1, outcome: 'rejected', named: [] } } });
  assert.equal(v.status, 'closed');
  assert.equal(v.result.outcome, 'rejected');
  assert.equal(v.pending_result, undefined);
  seedVote(vs, { id: 'c', status: 'confirming' });
  assert.equal(v.status, 'closed', 'an older answer does not undo the announcement');
});

test('a secret vote: counting after the close, then the result; ballots after the close are ignored', () => {
  const vs = createVotes();
  applyVoteEvent(vs, opened('s2', { kind: 'secret', eligible_count: 3 }));
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 's2', user_id: 'u1', name: 'Anna Adamska', cast: 1, eligible: 3 }));
  const v = vs.byId.get('s2');
  assert.equal(v.named, null, 'no named list: how anyone voted stays unknown');
  assert.equal(liveCount(v).cast, 1);
  applyVoteEvent(vs, ev('vote.counting', { vote_id: 's2', closed_at: 7, aggregate: [], ballots_cast: 1 }));
  assert.equal(v.status, 'counting');
  assert.equal(currentVote(vs), v);
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 's2', user_id: 'u2', cast: 2, eligible: 3 }));
  assert.equal(liveCount(v).cast, 1);
  seedVote(vs, { id: 's2', status: 'open', title: 'x' });
  assert.equal(v.status, 'counting', 'an older read does not reopen it');
  applyVoteEvent(vs, ev('vote.closed', { vote_id: 's2', closed_at: 8, result: { outcome: 'adopted', yes: 1, cast: 1, eligible: 3 } }));
  assert.equal(v.status, 'closed');
});
