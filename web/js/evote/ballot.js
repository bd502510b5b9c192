// evote/ballot.js — a voter's ballot: encrypt the choices with their proofs,
// the tracker (SHA-256 of the ballot's canonical JSON) and its short form,
// cast-or-audit (reveal a ballot's randomness and choices, so anyone can check
// the ciphertexts encode them; an audited ballot is never cast), and the
// verification of one ballot against an election context (election.js).

import {
  EvoteError, parseHex32, parsePoint, parseScalar, canonicalJson, sha256Hex, bytesToHex, randomBytes, randomScalar,
  mulG, mul, add, smallMulG, bytesEqual, scalarAdd, IDENTITY, hsInput,
} from './group.js';
import { prove01, verify01, proveSum, verifySum, multiToJson } from './proofs.js';
import { S } from './sodium.js';

const TAG2_BALLOT = 'obrady/v2/ballot';

/**
 * Spec v2: the bytes a voter signs — enc("obrady/v2/ballot") || enc(eh) ||
 * enc(canonical JSON of the ballot without signature and tracker), with
 * enc(b) = uint32_be(len) || b.
 */
export function ballotMessage(eh, ballot) {
  const { signature, tracker, ...rest } = ballot;
  return hsInput(TAG2_BALLOT, eh, canonicalJson(rest));
}

/**
 * Encrypts choices (array of 0/1, one per option) for the election context.
 * opts.credential (64 hex) and opts.rnd (scalar source) fix the randomness for
 * known-answer tests; opts.randomness fixes each r_j. Returns
 * { ballot, tracker, secret: { choices, randomness: [hex r_j] } } — keep the
 * secret only to audit, never send it with a ballot that is cast.
 */
export function encryptBallot(ctx, choices, opts = {}) {
  const { eh, Y, n, min, max } = ctx;
  if (!Array.isArray(choices) || choices.length !== n || !choices.every((v) => v === 0 || v === 1)) throw new RangeError('encryptBallot: one 0/1 per option');
  const m = choices.reduce((a, b) => a + b, 0);
  if (m < min || m > max) throw new RangeError('encryptBallot: number of marked options outside [min, max]');
  const rnd = opts.rnd || randomScalar;
  const isV2 = ctx.version === 2;
  if (isV2 && !(opts.voterKey && opts.voterKey.privateKey)) throw new RangeError('encryptBallot: a version 2 election needs the voter key');
  const credential = isV2 ? opts.voterKey.publicKey : opts.credential ? parseHex32(opts.credential, 'credential') : randomBytes(32);
  const bind = (j) => (isV2 ? { voteId: ctx.voteId, key: credential, option: j } : credential);
  const rs = [];
  let A = IDENTITY;
  let B = IDENTITY;
  let R = new Uint8Array(32);
  const out = choices.map((v, j) => {
    const r = opts.randomness ? parseScalar(opts.randomness[j], 'randomness') : rnd();
    rs.push(r);
    const alpha = mulG(r);
    const beta = add(smallMulG(v), mul(r, Y));
    A = add(A, alpha);
    B = add(B, beta);
    R = scalarAdd(R, r);
    const proof = prove01(eh, bind(j), Y, alpha, beta, v, r, rnd);
    return { alpha: bytesToHex(alpha), beta: bytesToHex(beta), proof: multiToJson(proof) };
  });
  const sum = proveSum(eh, bind(0), Y, A, B, m, R, min, max, rnd);
  const ballot = isV2 ? { voter_key: bytesToHex(credential), choices: out, sum_proof: multiToJson(sum) }
    : { credential: bytesToHex(credential), choices: out, sum_proof: multiToJson(sum) };
  if (isV2) ballot.signature = bytesToHex(S.crypto_sign_detached(ballotMessage(eh, ballot), opts.voterKey.privateKey));
  return { ballot, tracker: ballotTracker(ballot), secret: { choices: choices.slice(), randomness: rs.map(bytesToHex) } };
}

/** SHA-256 of the ballot's canonical JSON without any tracker field (lowercase hex). */
export function ballotTracker(ballot) {
  const { tracker, ...rest } = ballot;
  return sha256Hex(canonicalJson(rest));
}

/** "3fa2-91bc-0d7e": the first 12 hex digits of a tracker in groups of 4. */
export function shortTracker(tracker) {
  return `${tracker.slice(0, 4)}-${tracker.slice(4, 8)}-${tracker.slice(8, 12)}`;
}

const BALLOT_KEYS = ['choices', 'credential', 'sum_proof'];
const BALLOT2_KEYS = ['choices', 'signature', 'sum_proof', 'voter_key'];
const sameKeys = (o, keys) => o && typeof o === 'object' && !Array.isArray(o) && Object.keys(o).sort().join() === keys.join();

function parseMulti(p, len, where) {
  if (!sameKeys(p, ['challenges', 'responses']) || !Array.isArray(p.challenges) || !Array.isArray(p.responses)
    || p.challenges.length !== len || p.responses.length !== len) throw new EvoteError('bad_ballot', where, `proof must have ${len} challenges and responses`);
  return { challenges: p.challenges.map((c) => parseScalar(c, where)), responses: p.responses.map((s) => parseScalar(s, where)) };
}

/**
 * Parses and checks one ballot (shape, encodings, every 0/1 proof, the sum
 * proof; with a tracker field, that it matches). `label` names the ballot in
 * errors. Returns { credential, alphas, betas, tracker }.
 */
export function verifyBallot(ctx, ballot, label = 'ballot') {
  const { eh, Y, n, min, max } = ctx;
  const isV2 = ctx.version === 2;
  const keys = isV2 ? BALLOT2_KEYS : BALLOT_KEYS;
  const hasTracker = ballot && Object.hasOwn(ballot, 'tracker');
  if (!sameKeys(ballot, hasTracker ? [...keys, 'tracker'].sort() : keys)) throw new EvoteError('bad_ballot', label, 'unexpected or missing fields');
  const credential = isV2 ? parseHex32(ballot.voter_key, `${label} voter_key`) : parseHex32(ballot.credential, `${label} credential`);
  const bind = (j) => (isV2 ? { voteId: ctx.voteId, key: credential, option: j } : credential);
  if (!Array.isArray(ballot.choices) || ballot.choices.length !== n) throw new EvoteError('bad_ballot', label, `need ${n} choices`);
  const alphas = [];
  const betas = [];
  let A = IDENTITY;
  let B = IDENTITY;
  ballot.choices.forEach((ch, j) => {
    const where = `${label} option ${j}`;
    if (!sameKeys(ch, ['alpha', 'beta', 'proof'])) throw new EvoteError('bad_ballot', where, 'unexpected or missing fields');
    const alpha = parsePoint(ch.alpha, `${where} alpha`);
    const beta = parsePoint(ch.beta, `${where} beta`);
    const proof = parseMulti(ch.proof, 2, `${where} 0/1 proof`);
    if (!verify01(eh, bind(j), Y, alpha, beta, proof)) throw new EvoteError('bad_01_proof', where, '0/1 proof does not verify');
    alphas.push(alpha);
    betas.push(beta);
    A = add(A, alpha);
    B = add(B, beta);
  });
  const sum = parseMulti(ballot.sum_proof, max - min + 1, `${label} sum proof`);
  if (!verifySum(eh, bind(0), Y, A, B, min, max, sum)) throw new EvoteError('bad_sum_proof', label, `sum proof (${min}..${max} marked) does not verify`);
  const tracker = ballotTracker(ballot);
  if (hasTracker && ballot.tracker !== tracker) throw new EvoteError('bad_tracker', label, 'tracker is not the hash of the ballot');
  // v2 (spec 13.4), after the proofs and the tracker: the key in force, then the signature.
  if (isV2) {
    const keyHex = bytesToHex(credential);
    if (typeof ballot.signature !== 'string' || !/^[0-9a-f]{128}$/.test(ballot.signature)) throw new EvoteError('bad_ballot', `${label} signature`, 'must be 128 lowercase hex digits');
    if (ctx.electorate && !ctx.electorate.has(keyHex)) throw new EvoteError('not_in_electorate', label, `voter key ${keyHex} is not in the electorate`);
    const sig = new Uint8Array(ballot.signature.match(/../g).map((h) => parseInt(h, 16)));
    if (!S.crypto_sign_verify_detached(sig, ballotMessage(eh, ballot), credential)) throw new EvoteError('bad_signature', label, `the signature by voter key ${keyHex} over the election and the ballot fails`);
  }
  return { credential: bytesToHex(credential), alphas, betas, tracker };
}

/** What an audited ballot reveals: the ballot, its tracker, the choices and every r_j. */
export function auditBallot(made) {
  return { ballot: made.ballot, tracker: made.tracker, choices: made.secret.choices.slice(), randomness: made.secret.randomness.slice() };
}

/**
 * Checks an audit: the ballot verifies, and for each option α_j = r_j·G and
 * β_j = v_j·G + r_j·Y. Returns the choices; throws EvoteError(bad_audit) otherwise.
 */
export function checkAudit(ctx, audit) {
  const v = verifyBallot(ctx, { ...audit.ballot, tracker: audit.tracker }, 'audited ballot');
  if (!Array.isArray(audit.choices) || audit.choices.length !== ctx.n || !Array.isArray(audit.randomness) || audit.randomness.length !== ctx.n) throw new EvoteError('bad_audit', 'audited ballot', 'choices or randomness missing');
  audit.choices.forEach((c, j) => {
    if (c !== 0 && c !== 1) throw new EvoteError('bad_audit', `audited ballot option ${j}`, 'choice not 0 or 1');
    const r = parseScalar(audit.randomness[j], `audited ballot option ${j} randomness`);
    if (!bytesEqual(mulG(r), v.alphas[j]) || !bytesEqual(add(smallMulG(c), mul(r, ctx.Y)), v.betas[j])) throw new EvoteError('bad_audit', `audited ballot option ${j}`, 'ciphertext does not encode the revealed choice');
  });
  return audit.choices.slice();
}

/**
 * The voting screen's ballot under cast-or-audit. prepare(choices) encrypts
 * and returns { tracker, short }; then either cast() returns { ballot,
 * tracker } to send (the randomness is dropped), or audit() returns the
 * revealed ballot (auditBallot) and forgets it: an audited ballot can never
 * be cast, the voter prepares a fresh one.
 */
export class BallotBox {
  constructor(ctx) {
    this.ctx = ctx;
    this.made = null;
    this.audited = new Set();
  }

  prepare(choices) {
    this.made = encryptBallot(this.ctx, choices);
    return { tracker: this.made.tracker, short: shortTracker(this.made.tracker) };
  }

  audit() {
    if (!this.made) throw new EvoteError('no_ballot', 'ballot', 'prepare a ballot first');
    const a = auditBallot(this.made);
    this.audited.add(a.tracker);
    this.made = null;
    return a;
  }

  cast() {
    if (!this.made) throw new EvoteError('no_ballot', 'ballot', 'prepare a ballot first (an audited ballot cannot be cast)');
    const { ballot, tracker } = this.made;
    this.made = null;
    return { ballot, tracker };
  }
}
