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
import { S } from './sodium.js';

const ELECTION2_KEYS = ['version', 'vote_id', 'meeting_id', 'title', 'question', 'options', 'min', 'max', 'trustee_groups', 'public_key', 'electorate'];
const MAX_ELECTORATE = 1000000;

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
  need(election.version === 1 || election.version === 2, 'bad_election', 'election.version', 'must be the integer 1 or 2');
  const version = election.version;
  if (version === 2) need(hasExactly(election, ELECTION2_KEYS), 'bad_election', 'election', `a version 2 election has exactly ${ELECTION2_KEYS.join(', ')}`);
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
      const named = m && Object.hasOwn(m, 'name');
      need(hasExactly(m, named ? ['id', 'name', 'index', 'coefficients', 'pok'] : ['id', 'index', 'coefficients', 'pok']) && isText(m.id) && (!named || isText(m.name, true))
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
  const ev = version === 2 ? parseElectorate(election.electorate) : { entries: null, electorate: null };
  return { election, eh, ehHex: bytesToHex(eh), Y, n, min, max, voteId: election.vote_id, groups, version, ...ev };
}

const isKeyHex = (k) => typeof k === 'string' && /^[0-9a-f]{64}$/.test(k);

/** Whether hex is a valid Ed25519 public key (libsodium's own test). */
export function isEd25519Key(hex) {
  if (!isKeyHex(hex)) return false;
  try {
    S.crypto_sign_ed25519_pk_to_curve25519(new Uint8Array(hex.match(/../g).map((h) => parseInt(h, 16))));
    return true;
  } catch {
    return false;
  }
}

// Byte order of UTF-8 strings (what C's strcmp and the specification sort by).
const byteCmp = (a, b) => {
  const x = te.encode(a);
  const y = te.encode(b);
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
};
export { byteCmp };

/**
 * v2: [{name, key|null}] — names strictly ascending by their UTF-8 bytes,
 * keys valid Ed25519 and distinct. Returns the keys in force, a Map key →
 * name, and entries Map name → key|null (for key_changes).
 */
function parseElectorate(list) {
  need(Array.isArray(list) && list.length <= MAX_ELECTORATE, 'bad_election', 'election.electorate', 'must be an array of at most 1000000 voters');
  const entries = new Map();
  let prev = null;
  list.forEach((v, i) => {
    const where = `election electorate entry ${i}`;
    need(hasExactly(v, ['name', 'key']) && isText(v.name) && (v.key === null || isKeyHex(v.key)), 'bad_election', where, 'is not {name: text, key: 64 hex or null}');
    need(v.key === null || isEd25519Key(v.key), 'bad_election', `${where} (${v.name})`, 'the key is not a valid Ed25519 public key');
    need(prev === null || byteCmp(prev, v.name) < 0, 'bad_election', `${where} (${v.name})`, 'names are not strictly ascending (sorted by their bytes, no name twice)');
    prev = v.name;
    entries.set(v.name, v.key);
  });
  return { entries, electorate: keysInForce(entries, 'election electorate', 'bad_election') };
}

/** The keys in force of entries (name → key|null): a Map key → name; a key twice is refused. */
export function keysInForce(entries, where, code) {
  const out = new Map();
  for (const [name, key] of entries) {
    if (key === null) continue;
    need(!out.has(key), code, where, `the key ${key} is in force for two names`);
    out.set(key, name);
  }
  return out;
}
