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
export const MAX_MEMBERS = 32; // per group; also the largest threshold
export const MAX_GROUPS = 4;
const TEXT_MAX = 10000; // UTF-8 bytes of an id, title, question, option or name

/** The election hash: SHA-256 of the election's canonical JSON (32 bytes). */
export function electionHash(election) {
  return sha256(new TextEncoder().encode(canonicalJson(election)));
}

function need(cond, code, where, msg) {
  if (!cond) throw new EvoteError(code, where, msg);
}

const isStr = (s) => typeof s === 'string';
const isInt = (n) => Number.isSafeInteger(n);
const te = new TextEncoder();
/** A string without NUL of at most TEXT_MAX UTF-8 bytes (non-empty unless emptyOk). */
const isText = (s, emptyOk = false) => isStr(s) && (emptyOk || s.length > 0) && !s.includes('\0') && te.encode(s).length <= TEXT_MAX;
/** An object with exactly these keys. */
export const hasExactly = (o, keys) => o !== null && typeof o === 'object' && !Array.isArray(o)
  && Object.keys(o).length === keys.length && keys.every((k) => Object.hasOwn(o, k));

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
  for (const [k, emptyOk] of [['vote_id', false], ['meeting_id', false], ['title', true], ['question', true]]) {
    need(isText(election[k], emptyOk), 'bad_election', `election.${k}`, 'must be text');
  }
  const opts = election.options;
  need(Array.isArray(opts) && opts.length >= 1 && opts.length <= MAX_OPTIONS && opts.every((o) => isText(o)), 'bad_election', 'election.options', 'options must be 1 to 64 texts');
  const n = opts.length;
  const { min, max } = election;
  need(isInt(min) && isInt(max) && min >= 0 && max >= 1 && min <= max && max <= n, 'bad_election', 'election.min/max', 'need 0 <= min <= max <= number of options, max >= 1');
  const tg = election.trustee_groups;
  need(Array.isArray(tg) && tg.length >= 1 && tg.length <= MAX_GROUPS, 'bad_election', 'election.trustee_groups', 'need 1 to 4 groups');
  const groups = [];
  const ids = new Set();
  let Y = IDENTITY;
  tg.forEach((g, gi) => {
    const gw = `trustee group ${gi}`;
    need(hasExactly(g, ['threshold', 'members']) && Array.isArray(g.members) && g.members.length >= 1 && g.members.length <= MAX_MEMBERS, 'bad_election', gw, 'needs 1 to 32 members');
    const t = g.threshold;
    need(isInt(t) && t >= 1 && t <= g.members.length, 'bad_election', gw, 'threshold must be between 1 and the number of members');
    const members = g.members.map((m, mi) => {
      const mw = `${gw} member ${m && isStr(m.id) ? m.id : mi}`;
      need(hasExactly(m, ['id', 'name', 'index', 'coefficients', 'pok']) && isText(m.id) && isText(m.name, true)
        && isInt(m.index) && m.index >= 1 && m.index <= g.members.length, 'bad_election', mw, 'malformed (id, name, index, coefficients, pok)');
      need(Array.isArray(m.coefficients) && m.coefficients.length === t, 'bad_election', mw, 'needs one coefficient per threshold step');
      need(!ids.has(m.id), 'bad_election', mw, 'trustee id repeats');
      ids.add(m.id);
      const coefficients = m.coefficients.map((c, k) => parsePoint(c, `${mw} coefficient ${k}`));
      need(hasExactly(m.pok, ['challenge', 'response']), 'bad_election', mw, 'pok malformed');
      const pok = { challenge: parseScalar(m.pok.challenge, `${mw} pok`), response: parseScalar(m.pok.response, `${mw} pok`) };
      if (checkProofs && !verifyPok(election.vote_id, m.id, coefficients[0], pok)) throw new EvoteError('bad_pok', mw, 'proof of knowledge of the key does not verify');
      return { id: m.id, name: m.name, index: m.index, coefficients };
    });
    need(new Set(members.map((m) => m.index)).size === members.length, 'bad_election', gw, 'member indices repeat');
    // VK_j = Σ_k j^k·S_k with S_k = Σ_i C_{i,k}.
    const Sk = Array.from({ length: t }, (_, k) => members.reduce((acc, m) => add(acc, m.coefficients[k]), IDENTITY));
    for (const m of members) m.VK = evalCommitments(Sk, m.index);
    const Yg = Sk[0];
    Y = add(Y, Yg);
    groups.push({ threshold: t, members, Y: Yg });
  });
  const Yclaimed = parsePoint(election.public_key, 'election.public_key');
  need(bytesEqual(Y, Yclaimed), 'bad_public_key', 'election.public_key', 'is not the sum of the trustees\' keys');
  const eh = electionHash(election);
  return { election, eh, ehHex: bytesToHex(eh), Y, n, min, max, voteId: election.vote_id, groups };
}
