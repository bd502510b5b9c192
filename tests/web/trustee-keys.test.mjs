// The trustee page's key work (web/js/trustee-keys.js) under node: a
// committee of three runs the ceremony with the evote module, each opens and
// combines the shares sealed to it (a share from the wrong sender or for
// another member is refused), the key file round-trips under its passphrase
// (refused with a wrong one or for another vote), and two of three partial
// decryptions of an election's aggregate give the right counts, while a key
// that does not belong to the election is refused before anything is sent.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ready } from '../../web/js/evote/sodium.js';
import { bytesToHex, mulG, add, IDENTITY, bytesEqual, parsePoint } from '../../web/js/evote/group.js';
import { parseElection } from '../../web/js/evote/election.js';
import { encryptBallot, verifyBallot } from '../../web/js/evote/ballot.js';
import { generateTrustee, sealShares } from '../../web/js/evote/trustee.js';
import { aggregate, combineFactors, decryptCounts } from '../../web/js/evote/tally.js';
import {
  verificationKey, combineMyShares, makeKeyFile, readKeyFile, decryptAggregate,
} from '../../web/js/trustee-keys.js';

const VOTE = 'v0test0vote0id00001';
const IDS = ['u1aaaaaaaaaaaaaaaaa', 'u2bbbbbbbbbbbbbbbbb', 'u3ccccccccccccccccc'];
let gens;
let members; // as GET /trustees lists them
let sealed; // every share, as the server relays them

before(async () => {
  await ready();
  gens = IDS.map((id, i) => generateTrustee({ voteId: VOTE, memberId: id, name: `Członek ${i + 1}`, index: i + 1, threshold: 2 }));
  members = gens.map((g, i) => ({ index: i + 1, user_id: IDS[i], name: `Członek ${i + 1}`, member: g.public.member, box_public_key: g.public.box_public_key, shares_sent: 2 }));
  const recipients = members.map((m) => ({ index: m.index, box_public_key: m.box_public_key }));
  sealed = gens.flatMap((g) => sealShares(g.secret, recipients));
});

const trFor = (index, shares = sealed) => ({ threshold: 2, members, my_index: index, shares_for_me: shares.filter((s) => s.to === index) });

test('each trustee combines the shares sealed to it into a key matching its verification key', async () => {
  for (const g of gens) {
    const x = await combineMyShares(g.secret, trFor(g.secret.index));
    assert.ok(bytesEqual(mulG(Buffer.from(x, 'hex')), verificationKey(members, g.secret.index)));
  }
});

test('a share sealed for another member, or claiming another sender, is refused', async () => {
  const g = gens[0];
  const mine = sealed.filter((s) => s.to === 1);
  const forOther = sealed.find((s) => s.to === 2 && s.from === 3);
  await assert.rejects(combineMyShares(g.secret, { ...trFor(1), shares_for_me: [mine[0], { ...forOther, to: 1 }] }), (e) => e.code === 'bad_share');
  const relabelled = mine.map((s) => ({ ...s, from: s.from === 2 ? 3 : 2 }));
  await assert.rejects(combineMyShares(g.secret, { ...trFor(1), shares_for_me: relabelled }), (e) => e.code === 'bad_share');
});

test('the key file opens with its passphrase only, and only for its vote', async () => {
  const g = gens[1];
  const x = await combineMyShares(g.secret, trFor(2));
  const file = await makeKeyFile(g.secret, x, 1, 'hasło komisji 2031');
  assert.equal(file.vote_id, VOTE);
  assert.doesNotMatch(JSON.stringify(file), new RegExp(x), 'the share is not in clear');
  const back = await readKeyFile(VOTE, JSON.parse(JSON.stringify(file)), 'hasło komisji 2031');
  assert.equal(back.share, x);
  assert.equal(back.index, 2);
  await assert.rejects(readKeyFile(VOTE, file, 'inne hasło'), (e) => e.code === 'bad_passphrase');
  await assert.rejects(readKeyFile('another0vote0000001', file, 'hasło komisji 2031'), (e) => e.code === 'wrong_vote');
  await assert.rejects(makeKeyFile(g.secret, x, 1, 'krótkie'), (e) => e.code === 'weak_passphrase');
});

test('two of three partial decryptions of the aggregate give the counts; a foreign key is refused', async () => {
  let Y = IDENTITY;
  for (const m of members) Y = add(Y, parsePoint(m.member.coefficients[0], 'C0'));
  const election = {
    version: 1, vote_id: VOTE, meeting_id: 'm0test0meeting00001', title: 'Uchwała', question: 'Czy przyjąć?', options: ['za', 'przeciw', 'wstrzymuję się'], min: 1, max: 1,
    trustee_groups: [{ threshold: 2, members: members.map((m) => m.member) }], public_key: bytesToHex(Y),
  };
  const ctx = parseElection(election);
  const picks = [0, 0, 1, 2, 0, 1, 0];
  const ballots = picks.map((k) => encryptBallot(ctx, [0, 1, 2].map((j) => (j === k ? 1 : 0))).ballot);
  const agg = aggregate(3, ballots.map((b) => verifyBallot(ctx, b)));
  const board = { election, aggregate: agg.alphas.map((a, j) => ({ alpha: bytesToHex(a), beta: bytesToHex(agg.betas[j]) })) };
  const keys = await Promise.all(gens.map((g) => combineMyShares(g.secret, trFor(g.secret.index))));
  const d1 = await decryptAggregate(board, IDS[0], 1, keys[0]);
  const d3 = await decryptAggregate(board, IDS[2], 3, keys[2]);
  assert.equal(d1.group, 0);
  const Ds = [0, 1, 2].map((j) => combineFactors([{ index: 1, D: parsePoint(d1.factors[j], 'D') }, { index: 3, D: parsePoint(d3.factors[j], 'D') }]));
  assert.deepEqual(decryptCounts(agg.betas, Ds, picks.length), [4, 2, 1]);
  await assert.rejects(decryptAggregate(board, IDS[1], 2, keys[0]), (e) => e.code === 'wrong_key');
  await assert.rejects(decryptAggregate(board, 'nobody0000000000001', 2, keys[1]), (e) => e.code === 'not_trustee');
});
