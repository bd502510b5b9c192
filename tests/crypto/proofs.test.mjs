// The building blocks: encodings, Hs, canonical JSON, each proof accepting an
// honest statement and refusing a tampered one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { group as G, proofs as P, sodium } from './fixture.mjs';

const { S } = sodium;
const rs = () => G.randomScalar();
const hex = G.bytesToHex;

test('Hs frames every input with a 4-byte big-endian length; integers are 8 bytes', () => {
  const p = G.mulG(G.scalarFromInt(5));
  const input = G.hsInput('t', 'ab', 7, p);
  assert.equal(hex(input.slice(0, 5)), '0000000174');
  assert.equal(hex(input.slice(5, 11)), '000000026162');
  assert.equal(hex(input.slice(11, 23)), '000000080000000000000007');
  assert.equal(hex(input.slice(23, 27)), '00000020');
  assert.deepEqual(input.slice(27), p);
  const expect = S.crypto_core_ristretto255_scalar_reduce(S.crypto_hash_sha512(input));
  assert.deepEqual(G.Hs('t', 'ab', 7, p), expect);
});

test('canonical JSON sorts keys, has no spaces, escapes as JSON.stringify and refuses floats', () => {
  assert.equal(G.canonicalJson({ b: [1, 'ż\n"\u0001'], a: { d: null, c: true } }), '{"a":{"c":true,"d":null},"b":[1,"ż\\n\\"\\u0001"]}');
  assert.throws(() => G.canonicalJson({ x: 1.5 }), /safe integers/);
  assert.throws(() => G.canonicalJson({ x: 2 ** 60 }), /safe integers/);
  assert.throws(() => G.canonicalJson({ x: '\ud800' }), /surrogate/);
});

test('strict encodings: uppercase hex, non-canonical scalars, invalid points and the identity are refused', () => {
  const p = G.mulG(rs());
  assert.throws(() => G.parsePoint(hex(p).toUpperCase(), 'x'), /hex/);
  assert.throws(() => G.parseScalar('ff'.repeat(32), 'x'), (e) => e.code === 'bad_scalar');
  assert.throws(() => G.parseScalar('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'x'), (e) => e.code === 'bad_scalar');
  G.parseScalar('ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'x');
  assert.throws(() => G.parsePoint('00'.repeat(32), 'x'), (e) => e.code === 'identity_point');
  assert.deepEqual(G.parsePoint('00'.repeat(32), 'x', { allowIdentity: true }), G.IDENTITY);
  const bad = p.slice();
  bad[0] ^= 1; // odd field element: never a canonical ristretto encoding
  assert.throws(() => G.parsePoint(hex(bad), 'x'), (e) => e.code === 'bad_point');
  assert.equal(hex(G.generator()), 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76');
});

test('small discrete log and m·G by additions, including 0', () => {
  assert.deepEqual(G.smallMulG(0), G.IDENTITY);
  assert.deepEqual(G.smallMulG(7), G.mulG(G.scalarFromInt(7)));
  assert.equal(G.smallDlog(G.smallMulG(0), 10), 0);
  assert.equal(G.smallDlog(G.smallMulG(10), 10), 10);
  assert.equal(G.smallDlog(G.smallMulG(11), 10), -1);
});

function tamperScalar(s) {
  return G.scalarAdd(s, G.scalarFromInt(1));
}

test('pok: honest accepted; other vote, other member, other key or altered proof refused', () => {
  const a = rs();
  const C = G.mulG(a);
  const pf = P.provePok('v', 'm', a, C);
  assert.ok(P.verifyPok('v', 'm', C, pf));
  assert.ok(!P.verifyPok('v2', 'm', C, pf));
  assert.ok(!P.verifyPok('v', 'm2', C, pf));
  assert.ok(!P.verifyPok('v', 'm', G.mulG(rs()), pf));
  assert.ok(!P.verifyPok('v', 'm', C, { ...pf, response: tamperScalar(pf.response) }));
  assert.ok(!P.verifyPok('v', 'm', C, { ...pf, challenge: tamperScalar(pf.challenge) }));
});

test('0/1 proof: both values accepted; 2, a swapped credential or election, a changed part refused', () => {
  const Y = G.mulG(rs());
  const eh = S.randombytes_buf(32);
  const cred = S.randombytes_buf(32);
  for (const v of [0, 1]) {
    const r = rs();
    const alpha = G.mulG(r);
    const beta = G.add(G.smallMulG(v), G.mul(r, Y));
    const pf = P.prove01(eh, cred, Y, alpha, beta, v, r);
    assert.ok(P.verify01(eh, cred, Y, alpha, beta, pf), `v=${v}`);
    assert.ok(!P.verify01(S.randombytes_buf(32), cred, Y, alpha, beta, pf));
    assert.ok(!P.verify01(eh, S.randombytes_buf(32), Y, alpha, beta, pf));
    assert.ok(!P.verify01(eh, cred, Y, alpha, G.add(beta, G.generator()), pf));
    for (const part of ['challenges', 'responses']) {
      for (const k of [0, 1]) {
        const bad = { challenges: pf.challenges.slice(), responses: pf.responses.slice() };
        bad[part][k] = tamperScalar(bad[part][k]);
        assert.ok(!P.verify01(eh, cred, Y, alpha, beta, bad), `${part}[${k}]`);
      }
    }
  }
  // A cheating prover encrypting 2 cannot make a proof for either branch.
  const r = rs();
  const alpha = G.mulG(r);
  const beta = G.add(G.smallMulG(2), G.mul(r, Y));
  for (const claim of [0, 1]) assert.ok(!P.verify01(eh, cred, Y, alpha, beta, P.prove01(eh, cred, Y, alpha, beta, claim, r)));
});

test('sum proof: every m in [min, max] accepted; outside the range refused', () => {
  const Y = G.mulG(rs());
  const eh = S.randombytes_buf(32);
  const cred = S.randombytes_buf(32);
  const R = rs();
  for (const [min, max] of [[1, 1], [0, 3], [2, 4]]) {
    for (let m = 0; m <= 5; m++) {
      const A = G.mulG(R);
      const B = G.add(G.smallMulG(m), G.mul(R, Y));
      if (m >= min && m <= max) {
        const pf = P.proveSum(eh, cred, Y, A, B, m, R, min, max);
        assert.ok(P.verifySum(eh, cred, Y, A, B, min, max, pf), `${m} in ${min}..${max}`);
        const bad = { challenges: pf.challenges.slice(), responses: pf.responses.slice() };
        bad.responses[0] = tamperScalar(bad.responses[0]);
        assert.ok(!P.verifySum(eh, cred, Y, A, B, min, max, bad));
        assert.ok(!P.verifySum(eh, cred, Y, A, G.add(B, G.generator()), min, max, pf));
      } else {
        assert.throws(() => P.proveSum(eh, cred, Y, A, B, m, R, min, max), RangeError);
        // Claiming a value in range for a sum outside it fails.
        const pf = P.proveSum(eh, cred, Y, A, B, min, R, min, max);
        assert.ok(!P.verifySum(eh, cred, Y, A, B, min, max, pf), `${m} outside ${min}..${max}`);
      }
    }
  }
});

test('dleq: honest accepted (also on the identity); wrong key, factor or proof refused', () => {
  const eh = S.randombytes_buf(32);
  const x = rs();
  const VK = G.mulG(x);
  const A = G.mulG(rs());
  const D = G.mul(x, A);
  const pf = P.proveDleq(eh, VK, A, D, x);
  assert.ok(P.verifyDleq(eh, VK, A, D, pf));
  assert.ok(!P.verifyDleq(eh, G.mulG(rs()), A, D, pf));
  assert.ok(!P.verifyDleq(eh, VK, A, G.add(D, G.generator()), pf));
  assert.ok(!P.verifyDleq(eh, VK, A, D, { ...pf, response: tamperScalar(pf.response) }));
  const pid = P.proveDleq(eh, VK, G.IDENTITY, G.IDENTITY, x);
  assert.ok(P.verifyDleq(eh, VK, G.IDENTITY, G.IDENTITY, pid));
  assert.ok(!P.verifyDleq(eh, VK, G.IDENTITY, G.generator(), pid));
});
