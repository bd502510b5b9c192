// web/js/meeting-votes.js under node with a stand-in meeting stream and a
// stubbed fetch: a slow read of a vote never rolls back the events that
// arrived while it was under way, an opening triggers a full read, and a
// reconnect reads everything again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeetingVotes } from '../../web/js/meeting-votes.js';
import { liveCount, myChoice } from '../../web/js/vote-state.js';

/** A stand-in MeetingLive: the views' interface (id, state, onEvent, onState). */
function fakeLive() {
  const ev = new Set();
  const st = new Set();
  const ch = new Set();
  return {
    id: 'm1',
    state: { people: [{ user_id: 'u1', name: 'Anna Adamska' }, { user_id: 'u2', name: 'Bartosz Bąk' }] },
    onChange: (fn) => { ch.add(fn); return () => ch.delete(fn); },
    changed: () => { for (const fn of ch) fn(); },
    onEvent: (fn) => { ev.add(fn); return () => ev.delete(fn); },
    onState: (fn) => { st.add(fn); fn('connecting'); return () => st.delete(fn); },
    emit: (e) => { for (const fn of ev) fn(e); },
    state_: (s) => { for (const fn of st) fn(s); },
  };
}

/** fetch answering path → JSON from routes; a route may be a function returning a promise (to hold the answer). */
function stubFetch(routes, calls) {
  globalThis.fetch = async (url) => {
    const path = String(url);
    calls.push(path);
    const r = routes[path];
    if (r === undefined) return new Response('{"error":{"code":"not_found","message":"x"}}', { status: 404, headers: { 'Content-Type': 'application/json' } });
    const body = typeof r === 'function' ? await r() : r;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
}

const deferred = () => {
  let resolve;
  const p = new Promise((r) => { resolve = r; });
  return { p, resolve };
};
const tick = () => new Promise((r) => setTimeout(r, 0));

const openVote = (cast, named) => ({
  id: 'v1', status: 'open', title: 'Uchwała', kind: 'open', method: 'yes_no_abstain', majority: 'simple', allow_change: false,
  deadline: 99000, opened_at: 1000, live: { cast, eligible: 2 }, named, my_choice: null,
});

test('a read that started before some events is topped up with them; an opening reads the vote in full', async () => {
  const calls = [];
  const slow = deferred();
  stubFetch({
    '/api/meetings/m1/votes': { votes: [{ id: 'v1', title: 'Uchwała', kind: 'open', method: 'yes_no_abstain', majority: 'simple', status: 'open', outcome: null }] },
    '/api/votes/v1': () => slow.p,
  }, calls);
  const live = fakeLive();
  const mv = new MeetingVotes(live, { meId: 'u2' });
  mv.start();
  const loading = mv.load();
  await tick();
  // While GET /api/votes/v1 is under way, u2's ballot arrives on the stream.
  live.emit({ seq: 10, type: 'vote.ballot', payload: { vote_id: 'v1', ballot_id: 'aaaaaaaa', user_id: 'u2', name: 'Bartosz Bąk', choice: 'no', is_change: false, cast: 1, eligible: 2 } });
  // The read answers with the state before that ballot.
  slow.resolve(openVote(0, [{ user_id: 'u1', name: 'Anna Adamska', choice: null }, { user_id: 'u2', name: 'Bartosz Bąk', choice: null }]));
  await loading;
  const v = mv.vs.byId.get('v1');
  assert.deepEqual(liveCount(v), { cast: 1, eligible: 2 }, 'the ballot seen on the stream survives the older read');
  assert.equal(myChoice(v), 'no');
  assert.deepEqual(v.named.map((n) => n.choice), [null, 'no']);

  // A new vote opens: shown at once from the event, then read in full.
  routes2(calls);
  live.emit({ seq: 11, type: 'vote.opened', payload: { vote_id: 'v2', title: 'Druga', kind: 'open', method: 'yes_no_abstain', eligible: ['u1', 'u2'], eligible_count: 2, opened_at: 2000, deadline: 62000 } });
  assert.equal(mv.openVote().id, 'v2');
  assert.equal(mv.vs.byId.get('v2').named[0].name, 'Anna Adamska', 'names from the meeting\'s people until the read answers');
  await tick();
  await tick();
  assert.ok(calls.includes('/api/votes/v2'), 'the opened vote is read in full');
  mv.close();
});

function routes2(calls) {
  stubFetch({
    '/api/votes/v2': { id: 'v2', status: 'open', title: 'Druga', kind: 'open', method: 'yes_no_abstain', live: { cast: 0, eligible: 2 }, named: [], my_choice: null },
  }, calls);
}

test('after a gap in the stream everything is read again', async () => {
  const calls = [];
  stubFetch({ '/api/meetings/m1/votes': { votes: [] } }, calls);
  const live = fakeLive();
  const mv = new MeetingVotes(live);
  await mv.load();
  mv.start();
  live.state_('open');
  assert.equal(calls.filter((c) => c.endsWith('/votes')).length, 1, 'the first connection reads nothing more');
  live.state_('connecting');
  live.state_('open');
  await tick();
  assert.equal(calls.filter((c) => c.endsWith('/votes')).length, 2, 'a reconnect reads the list again');
  let changed = 0;
  mv.onChange(() => changed++);
  live.emit({ seq: 3, type: 'chat.message', payload: {} });
  assert.equal(changed, 0, 'other events do not touch the votes');
  mv.close();
});

test('#20.4: while a vote is open, a member the attendance shows as not present is absent, not "did not vote", and follows presence', async () => {
  const calls = [];
  stubFetch({
    '/api/meetings/m1/votes': { votes: [] },
  }, calls);
  const live = fakeLive();
  live.state.people[0].is_present = true; // u1 present, u2 not
  const mv = new MeetingVotes(live, { meId: 'u1' });
  mv.start();
  await mv.load();
  let seen = 0;
  mv.onChange(() => { seen += 1; });
  live.emit({ seq: 5, type: 'vote.opened', payload: { vote_id: 'v9', title: 'X', kind: 'open', method: 'yes_no_abstain', eligible: ['u1', 'u2'], eligible_count: 2, opened_at: 1, deadline: 99 } });
  const v = mv.vs.byId.get('v9');
  const absentOf = () => Object.fromEntries(v.named.map((n) => [n.user_id, !!n.absent]));
  assert.deepEqual(absentOf(), { u1: false, u2: true }, 'the absent member is marked while the vote is open');
  // u2 comes back: no longer absent, only "did not vote"; the views hear of it.
  const before = seen;
  live.state.people[1].is_present = true;
  live.changed();
  assert.deepEqual(absentOf(), { u1: false, u2: false });
  assert.ok(seen > before, 'a presence change re-renders the list');
  // u1 votes, then leaves: a counted ballot is never "absent".
  live.emit({ seq: 6, type: 'vote.ballot', payload: { vote_id: 'v9', ballot_id: 'bbbbbbbb', user_id: 'u1', name: 'Anna Adamska', choice: 'yes', is_change: false, cast: 1, eligible: 2 } });
  live.state.people[0].is_present = false;
  live.changed();
  assert.deepEqual(absentOf(), { u1: false, u2: false });
  live.state.people[1].is_present = false;
  live.changed();
  assert.deepEqual(absentOf(), { u1: false, u2: true });
  mv.close();
});
