// Weights on the screens (web/js/weights.js, vote-state.js) under node: the
// decimal strings the server sends are summed exactly in millionths (no
// float: 0.1 + 0.2 is 0.3), and the weights frozen in vote.opened reach the
// live named list, so the live shares follow the ballots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMicro, fromMicro, liveShares } from '../../web/js/weights.js';
import { createVotes, applyVoteEvent } from '../../web/js/vote-state.js';

test('decimal weights round-trip through millionths exactly', () => {
  assert.equal(toMicro('0.0473'), 47300n);
  assert.equal(toMicro('125'), 125000000n);
  assert.equal(toMicro('1000000'), 1000000000000n);
  for (const bad of ['', '-1', '1,5', '1e3', '.5', '0.0000001', 'abc', null, undefined]) assert.equal(toMicro(bad), null, String(bad));
  assert.equal(fromMicro(47300n), '0.0473');
  assert.equal(fromMicro(0n), '0');
  assert.equal(fromMicro(toMicro('0.1') + toMicro('0.2')), '0.3', 'no floating point');
});

test('the live shares follow the ballots with the weights frozen at opening', () => {
  let seq = 0;
  const ev = (type, payload) => ({ seq: ++seq, ts: 1, type, actor: 'x', payload });
  const vs = createVotes({ meId: 'u1' });
  applyVoteEvent(vs, ev('vote.opened', {
    vote_id: 'v1', title: 'Uchwała', kind: 'open', method: 'yes_no_abstain', majority: 'shares_all',
    eligible: ['u1', 'u2', 'u3'], eligible_count: 3, present: 3, quorum_required: 0, opened_at: 1, deadline: 2,
    weights: { u1: '0.1', u2: '0.2', u3: '0.7' },
  }), { nameOf: () => '' });
  const v = vs.byId.get('v1');
  assert.deepEqual(v.named.map((r) => r.weight), ['0.1', '0.2', '0.7']);
  assert.deepEqual(liveShares(v.named), { cast: '0', eligible: '1' });
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 'v1', user_id: 'u1', choice: 'yes' }));
  applyVoteEvent(vs, ev('vote.ballot', { vote_id: 'v1', user_id: 'u2', choice: 'no' }));
  assert.deepEqual(liveShares(v.named), { cast: '0.3', eligible: '1' });
  // Without weights (a body that does not use them): nothing to show.
  assert.equal(liveShares([{ user_id: 'a', choice: 'yes' }]), null);
});
