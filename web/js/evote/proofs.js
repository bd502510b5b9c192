// evote/proofs.js — the four zero-knowledge proofs of the scheme, each as a
// prover and a verifier following docs/verifiable-voting.md exactly:
//   pok  — Schnorr proof of knowledge of a trustee's a_0 for C = a_0·G
//   01   — disjunctive Chaum-Pedersen: (α, β) encrypts 0 or 1 under Y
//   sum  — (A, B) = Σ(α_j, β_j) encrypts some m in [min, max]
//   dleq — log_G VK = log_A D (a trustee's partial decryption)
// Provers take an optional `rnd()` returning a fresh random scalar, so that
// known-answer vectors can fix the randomness. Verifiers return true/false;
// callers parse and check encodings first (group.js parse*).

import {
  Hs, mulG, mul, add, sub, scalarAdd, scalarSub, scalarMul, randomScalar, smallMulG, bytesEqual, bytesToHex,
} from './group.js';

const TAG_POK = 'obrady/v1/pok';
const TAG_01 = 'obrady/v1/01';
const TAG_SUM = 'obrady/v1/sum';
const TAG_DLEQ = 'obrady/v1/dleq';
const TAG2_01 = 'obrady/v2/01';
const TAG2_SUM = 'obrady/v2/sum';

// What a ballot proof's hash binds (docs/verifiable-voting.md): v1 the
// election hash and the credential (32 bytes); v2, when `bind` is
// { voteId, key, option }, the election hash, the vote id, the voter key and,
// for a 0/1 proof, the option index — so options cannot be permuted.
const head01 = (eh, bind) => (bind instanceof Uint8Array ? [TAG_01, eh, bind] : [TAG2_01, eh, bind.voteId, bind.key, bind.option]);
const headSum = (eh, bind) => (bind instanceof Uint8Array ? [TAG_SUM, eh, bind] : [TAG2_SUM, eh, bind.voteId, bind.key]);

// s·P − c·Q
const lin = (s, P, c, Q) => sub(mul(s, P), mul(c, Q));
const linG = (s, c, Q) => sub(mulG(s), mul(c, Q));

// ---- pok ----
/** Proof of knowledge of a for C = a·G, bound to the vote and the member id. */
export function provePok(voteId, memberId, a, C, rnd = randomScalar) {
  const w = rnd();
  const T = mulG(w);
  const c = Hs(TAG_POK, voteId, memberId, C, T);
  return { challenge: c, response: scalarAdd(w, scalarMul(c, a)) };
}

export function verifyPok(voteId, memberId, C, { challenge: c, response: s }) {
  const T = linG(s, c, C);
  return bytesEqual(c, Hs(TAG_POK, voteId, memberId, C, T));
}

// ---- 0/1 ----
/** Proof that (alpha, beta) = (r·G, v·G + r·Y) with v ∈ {0, 1}. */
export function prove01(eh, credential, Y, alpha, beta, v, r, rnd = randomScalar) {
  if (v !== 0 && v !== 1) throw new RangeError('prove01: v must be 0 or 1');
  const k = 1 - v;
  const w = rnd();
  const ck = rnd();
  const sk = rnd();
  const A = [null, null];
  const B = [null, null];
  A[v] = mulG(w);
  B[v] = mul(w, Y);
  A[k] = linG(sk, ck, alpha);
  B[k] = lin(sk, Y, ck, sub(beta, smallMulG(k)));
  const c = Hs(...head01(eh, credential), alpha, beta, A[0], B[0], A[1], B[1]);
  const cv = scalarSub(c, ck);
  const sv = scalarAdd(w, scalarMul(cv, r));
  const challenges = [null, null];
  const responses = [null, null];
  challenges[v] = cv;
  responses[v] = sv;
  challenges[k] = ck;
  responses[k] = sk;
  return { challenges, responses };
}

export function verify01(eh, credential, Y, alpha, beta, { challenges, responses }) {
  const A = [];
  const B = [];
  for (let k = 0; k < 2; k++) {
    A.push(linG(responses[k], challenges[k], alpha));
    B.push(lin(responses[k], Y, challenges[k], k ? sub(beta, smallMulG(1)) : beta));
  }
  const c = Hs(...head01(eh, credential), alpha, beta, A[0], B[0], A[1], B[1]);
  return bytesEqual(scalarAdd(challenges[0], challenges[1]), c);
}

// ---- sum in [min, max] ----
/** Proof that (A, B) = (R·G, m·G + R·Y) with min <= m <= max. */
export function proveSum(eh, credential, Y, A, B, m, R, min, max, rnd = randomScalar) {
  if (m < min || m > max) throw new RangeError('proveSum: m outside [min, max]');
  const n = max - min + 1;
  const challenges = new Array(n);
  const responses = new Array(n);
  const commits = [];
  const w = rnd();
  for (let i = 0; i < n; i++) {
    const mi = min + i;
    if (mi === m) {
      commits.push(mulG(w), mul(w, Y));
      continue;
    }
    challenges[i] = rnd();
    responses[i] = rnd();
    commits.push(linG(responses[i], challenges[i], A), lin(responses[i], Y, challenges[i], sub(B, smallMulG(mi))));
  }
  const c = Hs(...headSum(eh, credential), A, B, ...commits);
  let cm = c;
  for (let i = 0; i < n; i++) if (min + i !== m) cm = scalarSub(cm, challenges[i]);
  challenges[m - min] = cm;
  responses[m - min] = scalarAdd(w, scalarMul(cm, R));
  return { challenges, responses };
}

export function verifySum(eh, credential, Y, A, B, min, max, { challenges, responses }) {
  const n = max - min + 1;
  if (challenges.length !== n || responses.length !== n) return false;
  const commits = [];
  let total = new Uint8Array(32);
  for (let i = 0; i < n; i++) {
    commits.push(linG(responses[i], challenges[i], A), lin(responses[i], Y, challenges[i], sub(B, smallMulG(min + i))));
    total = scalarAdd(total, challenges[i]);
  }
  return bytesEqual(total, Hs(...headSum(eh, credential), A, B, ...commits));
}

// ---- dleq ----
/** Proof that D = x·A and VK = x·G (same x). */
export function proveDleq(eh, VK, A, D, x, rnd = randomScalar) {
  const w = rnd();
  const T1 = mulG(w);
  const T2 = mul(w, A);
  const c = Hs(TAG_DLEQ, eh, VK, A, D, T1, T2);
  return { challenge: c, response: scalarAdd(w, scalarMul(c, x)) };
}

export function verifyDleq(eh, VK, A, D, { challenge: c, response: s }) {
  const T1 = linG(s, c, VK);
  const T2 = lin(s, A, c, D);
  return bytesEqual(c, Hs(TAG_DLEQ, eh, VK, A, D, T1, T2));
}

// ---- JSON forms ----
export const pokToJson = (p) => ({ challenge: bytesToHex(p.challenge), response: bytesToHex(p.response) });
export const dleqToJson = pokToJson;
export const multiToJson = (p) => ({ challenges: p.challenges.map(bytesToHex), responses: p.responses.map(bytesToHex) });
