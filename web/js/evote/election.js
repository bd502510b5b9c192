// evote/election.js — the election object of a board: its hash, checking its
// shape and every trustee's proof of knowledge, the public key Y = Σ_g Σ_i C_{i,0},
// and each trustee's verification key VK_j = Σ_i Σ_k j^k·C_{i,k}. parseElection
// returns the context every other module works from:
//   { election, eh (32 bytes), ehHex, Y, n, min, max, voteId,
//     groups: [{ threshold, members: [{ id, name, index, coefficients: [points], VK }] }] }

import {
  EvoteError, parsePoint, parseScalar, canonicalJson, sha256, bytesToHex, bytesEqual, add, mul, scalarFromInt,
  scalarMul, IDENTITY,
} from './group.js';
import { verifyPok } from './proofs.js';

export const MAX_OPTIONS = 64;
export const MAX_MEMBERS = 64;

/** The election hash: SHA-256 of the election's canonical JSON (32 bytes). */
export function electionHash(election) {
  return sha256(new TextEncoder().encode(canonicalJson(election)));
}

function need(cond, code, where, msg) {
  if (!cond) throw new EvoteError(code, where, msg);
}

const isStr = (s) => typeof s === 'string';
const isInt = (n) => Number.isSafeInteger(n);

/** Σ_k j^k·C_k: the Feldman commitment to f(j). */
export function evalCommitments(coefficients, j) {
  const J = scalarFromInt(j);
  let pow = scalarFromInt(1);
  let acc = new Uint8Array(32);
  for (const C of coefficients) {
    acc = add(acc, mul(pow, C));
    pow = scalarMul(pow, J);
  }
  return acc;
}

/**
 * Checks the election's shape and every pok, derives Y and the verification
 * keys and compares Y with public_key. Throws EvoteError naming the failing item.
 */
export function parseElection(election, { checkProofs = true } = {}) {
  need(election && typeof election === 'object' && !Array.isArray(election), 'bad_election', 'election', 'not an object');
  need(election.version === 1, 'bad_election', 'election.version', 'unsupported version');
  need(isStr(election.vote_id) && election.vote_id.length > 0, 'bad_election', 'election.vote_id', 'missing');
  const opts = election.options;
  need(Array.isArray(opts) && opts.length >= 1 && opts.length <= MAX_OPTIONS && opts.every(isStr), 'bad_election', 'election.options', 'options must be 1..64 strings');
  const n = opts.length;
  const { min, max } = election;
  need(isInt(min) && isInt(max) && min >= 0 && min <= max && max <= n, 'bad_election', 'election.min/max', 'need 0 <= min <= max <= number of options');
  const tg = election.trustee_groups;
  need(Array.isArray(tg) && tg.length >= 1 && tg.length <= 8, 'bad_election', 'election.trustee_groups', 'need 1..8 groups');
  const groups = [];
  let Y = IDENTITY;
  tg.forEach((g, gi) => {
    const gw = `trustee group ${gi}`;
    need(g && Array.isArray(g.members) && g.members.length >= 1 && g.members.length <= MAX_MEMBERS, 'bad_election', gw, 'members missing');
    const t = g.threshold;
    need(isInt(t) && t >= 1 && t <= g.members.length, 'bad_election', gw, 'threshold must be 1..members');
    const members = g.members.map((m, mi) => {
      const mw = `${gw} member ${m && isStr(m.id) ? m.id : mi}`;
      need(m && isStr(m.id) && isInt(m.index) && m.index >= 1 && m.index <= g.members.length, 'bad_election', mw, 'id or index invalid');
      need(Array.isArray(m.coefficients) && m.coefficients.length === t, 'bad_election', mw, 'need threshold coefficients');
      const coefficients = m.coefficients.map((c, k) => parsePoint(c, `${mw} coefficient ${k}`));
      need(m.pok && typeof m.pok === 'object', 'bad_election', mw, 'pok missing');
      const pok = { challenge: parseScalar(m.pok.challenge, `${mw} pok`), response: parseScalar(m.pok.response, `${mw} pok`) };
      if (checkProofs && !verifyPok(election.vote_id, m.id, coefficients[0], pok)) throw new EvoteError('bad_pok', mw, 'proof of knowledge of the key does not verify');
      return { id: m.id, name: m.name, index: m.index, coefficients };
    });
    const seen = new Set(members.map((m) => m.index));
    need(seen.size === members.length, 'bad_election', gw, 'member indices not distinct');
    need(new Set(members.map((m) => m.id)).size === members.length, 'bad_election', gw, 'member ids not distinct');
    let Yg = IDENTITY;
    for (const m of members) Yg = add(Yg, m.coefficients[0]);
    for (const m of members) {
      let vk = IDENTITY;
      for (const o of members) vk = add(vk, evalCommitments(o.coefficients, m.index));
      m.VK = vk;
    }
    Y = add(Y, Yg);
    groups.push({ threshold: t, members, Y: Yg });
  });
  const Yclaimed = parsePoint(election.public_key, 'election.public_key');
  need(bytesEqual(Y, Yclaimed), 'bad_public_key', 'election.public_key', 'is not the sum of the trustees\' keys');
  const eh = electionHash(election);
  return { election, eh, ehHex: bytesToHex(eh), Y, n, min, max, voteId: election.vote_id, groups };
}
