// Whole elections in JS: random elections verify with the right result,
// threshold 2 of 3 with one trustee absent, cast-or-audit, and any altered
// byte of the verifiable part of a board fails verification.
import test from 'node:test';
import assert from 'node:assert/strict';
import { makeSetup, makeBoard, castAll, prng, randomChoices, protectedByteRanges, verify, ballot, election, board as B, group as G } from './fixture.mjs';

const expected = (votes) => votes.reduce((acc, c) => acc.map((x, j) => x + c[j]), votes[0].map(() => 0));

test('random elections (options, bounds, trustee groups) verify and count right', () => {
  const rand = prng(20261123);
  const shapes = [
    { options: ['za', 'przeciw', 'wstrzymuję się'], min: 1, max: 1, groups: [[1, 1]] },
    { options: ['A', 'B', 'C', 'D'], min: 0, max: 2, groups: [[1, 1], [2, 3]] },
    { options: ['Kowalska', 'Nowak'], min: 1, max: 2, groups: [[2, 2]] },
    { options: ['jedyna'], min: 0, max: 1, groups: [[3, 4]] },
  ];
  for (const [si, shape] of shapes.entries()) {
    const setup = makeSetup({ voteId: `vote-${si}`, ...shape });
    const votes = Array.from({ length: 3 + Math.floor(rand() * 5) }, () => randomChoices(rand, shape.options.length, shape.min, shape.max));
    const bd = makeBoard(setup, votes);
    const r = verify.checkBoard(bd);
    assert.equal(r.ok, true, `${si}: ${r.message}`);
    assert.deepEqual(r.result, expected(votes));
    assert.deepEqual(bd.result, expected(votes));
    // Through JSON, as a downloaded board.
    assert.equal(verify.checkBoard(JSON.parse(B.boardJson(bd))).ok, true);
  }
});

test('an empty board verifies with zero counts (identity aggregate)', () => {
  const setup = makeSetup({ groups: [[1, 1], [2, 3]] });
  const bd = B.buildBoard(setup.election, [], { voters: [], eligibleCount: 5, decryptors: [{ group: 0, index: 1, x: setup.keys[0].trustees[0].x }, { group: 1, index: 2, x: setup.keys[1].trustees[1].x }, { group: 1, index: 3, x: setup.keys[1].trustees[2].x }] });
  assert.deepEqual(bd.aggregate[0], { alpha: '00'.repeat(32), beta: '00'.repeat(32) });
  const r = verify.checkBoard(bd);
  assert.equal(r.ok, true, r.message);
  assert.deepEqual(r.result, [0, 0, 0]);
});

test('threshold 2 of 3: any two trustees decrypt; one alone is not enough', () => {
  const setup = makeSetup({ groups: [[1, 1], [2, 3]] });
  const votes = [[1, 0, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1], [1, 0, 0]];
  for (const present of [[1, 2], [1, 3], [2, 3], [1, 2, 3]]) {
    const bd = makeBoard(setup, votes, { present: [null, present] });
    const r = verify.checkBoard(bd);
    assert.equal(r.ok, true, `${present}: ${r.message}`);
    assert.deepEqual(r.result, [3, 1, 1]);
  }
  const lone = makeBoard(setup, votes, { present: [null, [2]] });
  const r = verify.checkBoard(lone);
  assert.equal(r.ok, false);
  assert.equal(r.code, 'missing_decryptions');
  assert.match(r.where, /trustee group 1/);
});

test('failures name the item: bad 0/1 proof, duplicate credential, wrong result, wrong decryption, voter count', () => {
  const setup = makeSetup({ groups: [[1, 1], [2, 3]] });
  const bd = makeBoard(setup, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const clone = () => JSON.parse(JSON.stringify(bd));

  let b = clone();
  const victim = b.ballots[1];
  [victim.choices[2].proof.responses[0], victim.choices[2].proof.responses[1]] = [victim.choices[2].proof.responses[1], victim.choices[2].proof.responses[0]];
  victim.tracker = ballot.ballotTracker(victim);
  b.ballots.sort((x, y) => (x.tracker < y.tracker ? -1 : 1));
  let r = verify.checkBoard(b);
  assert.equal(r.code, 'bad_01_proof');
  assert.equal(r.where, `ballot ${victim.tracker} option 2`);

  b = clone();
  b.result[0] += 1;
  r = verify.checkBoard(b);
  assert.equal(r.code, 'bad_result');
  assert.equal(r.where, 'result option 0');

  b = clone();
  [b.decryptions[1].factors[0], b.decryptions[2].factors[0]] = [b.decryptions[2].factors[0], b.decryptions[1].factors[0]];
  r = verify.checkBoard(b);
  assert.equal(r.code, 'bad_dleq_proof');
  assert.match(r.where, /trustee g1m1 \(group 1, index 1\) option 0/);

  b = clone();
  b.voters.pop();
  assert.equal(verify.checkBoard(b).code, 'voter_count_mismatch');
  b = clone();
  b.eligible_count = 2;
  assert.equal(verify.checkBoard(b).code, 'too_many_ballots');
  b = clone();
  b.ballots.reverse();
  assert.equal(verify.checkBoard(b).code, 'ballots_not_sorted');
  b = clone();
  b.election.trustee_groups[1].members[0].pok.response = b.election.trustee_groups[1].members[1].pok.response;
  b.election_hash = G.bytesToHex(election.electionHash(b.election));
  r = verify.checkBoard(b);
  assert.equal(r.code, 'bad_pok');
  assert.match(r.where, /g1m1/);
});

test('the same credential twice on a board is refused', () => {
  const setup = makeSetup();
  const cred = 'ab'.repeat(32);
  const ballots = [[1, 0, 0], [0, 1, 0]].map((c) => {
    const m = ballot.encryptBallot(setup.ctx, c, { credential: cred });
    return { ...m.ballot, tracker: m.tracker };
  });
  const bd = B.buildBoard(setup.election, ballots, { voters: [{ name: 'a' }, { name: 'b' }], eligibleCount: 2, decryptors: [{ group: 0, index: 1, x: setup.keys[0].trustees[0].x }] });
  const r = verify.checkBoard(bd);
  assert.equal(r.code, 'duplicate_credential');
});

test('cast-or-audit: an audit reveals choices that check; a lying audit is caught', () => {
  const setup = makeSetup({ options: ['A', 'B', 'C'], min: 0, max: 2 });
  const made = ballot.encryptBallot(setup.ctx, [1, 0, 1]);
  const audit = ballot.auditBallot(made);
  assert.deepEqual(ballot.checkAudit(setup.ctx, JSON.parse(JSON.stringify(audit))), [1, 0, 1]);
  assert.throws(() => ballot.checkAudit(setup.ctx, { ...audit, choices: [0, 1, 1] }), (e) => e.code === 'bad_audit');
  const other = ballot.encryptBallot(setup.ctx, [1, 0, 1]);
  assert.throws(() => ballot.checkAudit(setup.ctx, { ...audit, randomness: other.secret.randomness }), (e) => e.code === 'bad_audit');
  assert.match(ballot.shortTracker(made.tracker), /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
  assert.equal(made.tracker, ballot.ballotTracker(made.ballot));
});

test('encryption refuses choices outside [min, max]', () => {
  const setup = makeSetup();
  assert.throws(() => ballot.encryptBallot(setup.ctx, [1, 1, 0]), RangeError);
  assert.throws(() => ballot.encryptBallot(setup.ctx, [0, 0, 0]), RangeError);
  assert.throws(() => ballot.encryptBallot(setup.ctx, [2, 0, 0]), RangeError);
});

test('flipping any byte of the election, ballots, aggregate, decryptions or result fails verification', () => {
  const setup = makeSetup({ groups: [[1, 1], [2, 3]] });
  const bd = makeBoard(setup, [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  const text = B.boardJson(bd);
  const bytes = new TextEncoder().encode(text);
  const ranges = protectedByteRanges(text);
  const rand = prng(7);
  const dec = new TextDecoder('utf-8', { fatal: true });
  let tried = 0;
  for (const [lo, hi] of ranges) {
    for (let k = 0; k < 12; k++) {
      const pos = lo + Math.floor(rand() * (hi - lo));
      const mask = 1 + Math.floor(rand() * 255);
      const copy = bytes.slice();
      copy[pos] ^= mask;
      let parsed;
      try {
        parsed = JSON.parse(dec.decode(copy));
      } catch {
        tried++;
        continue; // not even JSON: refused before any check
      }
      const r = verify.checkBoard(parsed);
      assert.equal(r.ok, false, `byte ${pos} ^ ${mask} accepted`);
      tried++;
    }
  }
  assert.equal(tried, ranges.length * 12);
  // A hex digit changed into another hex digit keeps valid JSON: the crypto must catch it.
  for (let k = 0; k < 20; k++) {
    const [lo, hi] = ranges[Math.floor(rand() * ranges.length)];
    let pos;
    do pos = lo + Math.floor(rand() * (hi - lo)); while (!/[0-9a-f]/.test(String.fromCharCode(bytes[pos])));
    const copy = bytes.slice();
    copy[pos] = bytes[pos] === 0x30 ? 0x31 : 0x30;
    const r = verify.checkBoard(JSON.parse(new TextDecoder().decode(copy)));
    assert.equal(r.ok, false, `hex digit at ${pos} accepted`);
  }
});

test('castAll ballots are distinct and trackers unique', () => {
  const setup = makeSetup();
  const bs = castAll(setup.ctx, [[1, 0, 0], [1, 0, 0]]);
  assert.notEqual(bs[0].tracker, bs[1].tracker);
  assert.notEqual(bs[0].credential, bs[1].credential);
});

test('a board before the tally (result null) verifies its ballots and the decryptions so far', () => {
  const setup = makeSetup({ groups: [[1, 1], [2, 3]] });
  const bd = makeBoard(setup, [[1, 0, 0], [0, 1, 0]], { present: [[1], [2]] });
  bd.result = null;
  const r = verify.checkBoard(bd);
  assert.equal(r.ok, true, r.message);
  assert.equal(r.tallied, false);
  bd.decryptions[1].factors[0] = bd.decryptions[0].factors[0];
  assert.equal(verify.checkBoard(bd).code, 'bad_dleq_proof');
});

test('BallotBox: an audited ballot is never cast; a fresh one is prepared and cast', () => {
  const setup = makeSetup();
  const box = new ballot.BallotBox(setup.ctx);
  const first = box.prepare([0, 1, 0]);
  assert.match(first.short, /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/);
  const audit = box.audit();
  assert.equal(audit.tracker, first.tracker);
  assert.deepEqual(ballot.checkAudit(setup.ctx, audit), [0, 1, 0]);
  assert.throws(() => box.cast(), (e) => e.code === 'no_ballot');
  const second = box.prepare([0, 1, 0]);
  assert.notEqual(second.tracker, first.tracker);
  const cast = box.cast();
  assert.equal(cast.tracker, second.tracker);
  assert.deepEqual(Object.keys(cast.ballot).sort(), ['choices', 'credential', 'sum_proof']);
  assert.ok(!box.audited.has(cast.tracker));
  assert.throws(() => box.cast(), (e) => e.code === 'no_ballot');
});
