// evote/tally.js — homomorphic aggregation of the ballots, Lagrange
// coefficients over a set of trustee indices, combining partial decryptions
// into each group's factor, and the result by small discrete log.

import { add, sub, mul, scalarFromInt, scalarMul, scalarSub, scalarInvert, generator, bytesToHex, IDENTITY } from './group.js';

/** Per option (Σ α_j, Σ β_j) over ballots given as { alphas, betas } (points); identity when empty. */
export function aggregate(n, parsedBallots) {
  const A = Array.from({ length: n }, () => IDENTITY);
  const B = Array.from({ length: n }, () => IDENTITY);
  for (const b of parsedBallots) {
    for (let j = 0; j < n; j++) {
      A[j] = add(A[j], b.alphas[j]);
      B[j] = add(B[j], b.betas[j]);
    }
  }
  return { alphas: A, betas: B };
}

/** λ_j = Π_{m∈S, m≠j} m / (m − j) mod ℓ for j in S (distinct positive integers). */
export function lagrange(S, j) {
  let num = scalarFromInt(1);
  let den = scalarFromInt(1);
  for (const m of S) {
    if (m === j) continue;
    num = scalarMul(num, scalarFromInt(m));
    den = scalarMul(den, scalarSub(scalarFromInt(m), scalarFromInt(j)));
  }
  return scalarMul(num, scalarInvert(den));
}

/** D_g = Σ λ_j·D_j for one option; shares = [{ index, D }]. */
export function combineFactors(shares) {
  const S = shares.map((s) => s.index);
  let D = IDENTITY;
  for (const s of shares) D = add(D, mul(lagrange(S, s.index), s.D));
  return D;
}

/**
 * Counts per option: the discrete logs of M_j = B_j − D_j within 0..max, with
 * one walk k·G (k = 0..max, by successive addition) shared by all options;
 * -1 for an M_j that is none of them.
 */
export function decryptCounts(Bs, Ds, max) {
  const want = new Map();
  const out = Bs.map(() => -1);
  Bs.forEach((B, j) => {
    const h = bytesToHex(sub(B, Ds[j]));
    if (!want.has(h)) want.set(h, []);
    want.get(h).push(j);
  });
  let acc = IDENTITY;
  const g = generator();
  for (let k = 0; k <= max && want.size; k++) {
    const h = bytesToHex(acc);
    const js = want.get(h);
    if (js) {
      for (const j of js) out[j] = k;
      want.delete(h);
    }
    acc = add(acc, g);
  }
  return out;
}
