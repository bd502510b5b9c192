// Trustees in the browser: dealer-less key generation through sealed shares
// checked against the senders' coefficients, the passphrase-protected key
// file, and partial decryption with a DLEQ proof.
import test from 'node:test';
import assert from 'node:assert/strict';
import { trustee as T, election as E, board as B, group as G, tally, sodium } from './fixture.mjs';

function threeMembers(voteId = 'vote-k') {
  return [1, 2, 3].map((i) => T.generateTrustee({ voteId, memberId: `m${i}`, name: `M${i}`, index: i, threshold: 2 }));
}

test('sealed shares open only for their recipient and match the sender\'s coefficients (Feldman)', () => {
  const ts = threeMembers();
  const recipients = ts.map((t) => ({ index: t.secret.index, box_public_key: t.public.box_public_key }));
  const from1 = T.sealShares(ts[0].secret, recipients);
  assert.deepEqual(from1.map((s) => s.to), [2, 3]);
  const toTwo = from1.find((s) => s.to === 2);
  const share = T.openShare(ts[1].secret, toTwo, ts[0].public.member.coefficients);
  assert.deepEqual(G.mulG(share), E.evalCommitments(ts[0].public.member.coefficients.map((c) => G.parsePoint(c, 'c')), 2));
  // Member 3 cannot open member 2's share.
  assert.throws(() => T.openShare(ts[2].secret, toTwo, ts[0].public.member.coefficients), (e) => e.code === 'bad_share');
  // A share checked against someone else's coefficients is refused.
  assert.throws(() => T.openShare(ts[1].secret, toTwo, ts[2].public.member.coefficients), (e) => e.code === 'bad_share' && /coefficients/.test(e.message));
  // A dishonest sender: a share sealed correctly but not f_1(2).
  const forged = sodium.S.crypto_box_seal(new TextEncoder().encode(G.canonicalJson({ vote_id: 'vote-k', from: 1, to: 2, share: G.bytesToHex(G.randomScalar()) })), G.hexToBytes(ts[1].public.box_public_key));
  assert.throws(() => T.openShare(ts[1].secret, { from: 1, to: 2, sealed: G.bytesToHex(forged) }, ts[0].public.member.coefficients), (e) => e.code === 'bad_share');
  // Replayed into another vote.
  const other = { ...ts[1].secret, vote_id: 'vote-other' };
  assert.throws(() => T.openShare(other, toTwo, ts[0].public.member.coefficients), (e) => /another vote/.test(e.message));
});

test('combined shares match the verification keys and any 2 of 3 reconstruct the group key', () => {
  const { group, trustees } = B.runGroupKeygen('vote-k', 2, [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
  const el = B.makeElection({ voteId: 'vote-k', meetingId: 'm-1', options: ['x'], min: 0, max: 1, groups: [group] });
  const ctx = E.parseElection(el);
  for (const t of trustees) assert.deepEqual(G.mulG(G.parseScalar(t.x, 'x')), ctx.groups[0].members[t.index - 1].VK);
  // Y = Σ λ_j·VK_j for any two.
  for (const S of [[1, 2], [1, 3], [2, 3]]) {
    let Y = G.IDENTITY;
    for (const j of S) Y = G.add(Y, G.mul(tally.lagrange(S, j), ctx.groups[0].members[j - 1].VK));
    assert.deepEqual(Y, ctx.Y, `${S}`);
  }
  const t1 = trustees[0];
  assert.throws(() => T.combineShares(t1.secret, [], ctx.groups[0].members[0].VK), (e) => e.code === 'bad_share');
});

test('the key file opens with its passphrase only, and refuses an altered file', () => {
  const t = threeMembers()[0];
  const secret = { ...t.secret, share: G.bytesToHex(G.randomScalar()) };
  const file = T.sealKeyFile(secret, 'correct horse battery');
  assert.equal(file.format, 'obrady-trustee-key');
  assert.equal(file.kdf.alg, 'argon2id13');
  assert.ok(!JSON.stringify(file).includes(secret.polynomial[0]));
  assert.ok(!JSON.stringify(file).includes(secret.box_secret_key));
  assert.deepEqual(T.openKeyFile(JSON.parse(JSON.stringify(file)), 'correct horse battery'), JSON.parse(G.canonicalJson(secret)));
  assert.throws(() => T.openKeyFile(file, 'wrong horse battery'), (e) => e.code === 'bad_passphrase');
  const altered = { ...file, ciphertext: (file.ciphertext[0] === '0' ? '1' : '0') + file.ciphertext.slice(1) };
  assert.throws(() => T.openKeyFile(altered, 'correct horse battery'), (e) => e.code === 'bad_passphrase');
  assert.throws(() => T.sealKeyFile(secret, 'short'), (e) => e.code === 'weak_passphrase');
  assert.throws(() => T.openKeyFile({ ...file, kdf: { ...file.kdf, memlimit: 2 ** 40 } }, 'x'), (e) => e.code === 'bad_key_file');
});

test('partial decryption carries a valid DLEQ proof per option', async () => {
  const { verifyDleq } = await import('../../web/js/evote/proofs.js');
  const { group, trustees } = B.runGroupKeygen('vote-d', 1, [{ id: 's' }]);
  const el = B.makeElection({ voteId: 'vote-d', meetingId: 'm-1', options: ['a', 'b'], min: 1, max: 1, groups: [group] });
  const ctx = E.parseElection(el);
  const As = [G.mulG(G.randomScalar()), G.IDENTITY];
  const d = T.partialDecrypt(ctx, 0, 1, trustees[0].x, As);
  assert.equal(d.factors.length, 2);
  d.factors.forEach((f, j) => {
    const pf = { challenge: G.parseScalar(d.proofs[j].challenge, 'c'), response: G.parseScalar(d.proofs[j].response, 's') };
    assert.ok(verifyDleq(ctx.eh, ctx.groups[0].members[0].VK, As[j], G.parsePoint(f, 'f', { allowIdentity: true }), pf));
  });
});
