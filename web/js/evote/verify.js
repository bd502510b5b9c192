// evote/verify.js — verification of a whole board (GET /api/votes/{v}/board),
// every check of docs/verifiable-voting.md "Verification", stopping at the
// first failure with its exact place (ballot tracker and option, or trustee)
// and check. Runs unchanged in node, on a page and in a Web Worker
// (verify-worker.js); onProgress({ phase, done, total }) reports progress.

import { EvoteError, parsePoint, parseScalar, parseHex32, bytesEqual, add, canonicalJson, sha256Hex, hsInput } from './group.js';
import { S } from './sodium.js';
import { parseElection, hasExactly, isEd25519Key, byteCmp, keysInForce } from './election.js';
import { verifyBallot } from './ballot.js';
import { verifyDleq } from './proofs.js';
import { aggregate, combineFactors, decryptCounts } from './tally.js';

const BOARD_KEYS = ['aggregate', 'ballots', 'decryptions', 'election', 'election_hash', 'eligible_count', 'log_head', 'result', 'voters'];
const BOARD2_KEYS = ['version', 'state', 'election', 'election_hash', 'key_changes', 'ballots', 'aggregate', 'decryptions', 'result', 'log_seq', 'log_head', 'board_hash', 'signature'];
const TAG2_BOARD = 'obrady/v2/board';
const isInt = (n) => Number.isSafeInteger(n);

function need(cond, code, where, msg) {
  if (!cond) throw new EvoteError(code, where, msg);
}

const unhex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));

/** Spec v2: SHA-256 of the board's canonical JSON without board_hash, log_seq, log_head and signature. */
export function boardHash(board) {
  const { board_hash: a, log_seq: b, log_head: c, signature: d, ...rest } = board;
  return sha256Hex(canonicalJson(rest));
}

/** Spec v2: what the installation signs: enc(tag) || enc(board hash) || enc(u64 log_seq) || enc(log head). */
export function boardMessage(hashHex, seq, headHex) {
  return hsInput(TAG2_BOARD, unhex(hashHex), seq, unhex(headHex));
}

/** v2, checked last (so a changed ballot or count is named by its own check): log_seq, log_head, board_hash and the installation's signature. */
function verifyAnchor(board) {
  need(isInt(board.log_seq) && board.log_seq >= 1, 'bad_board', 'log_seq', 'must be an integer from 1');
  parseHex32(board.log_head, 'log_head');
  const hash = boardHash(board);
  need(board.board_hash === hash, 'bad_board_hash', 'board_hash', `the board's hash is ${hash}`);
  const sg = board.signature;
  need(hasExactly(sg, ['key', 'signature']) && typeof sg.key === 'string' && /^[0-9a-f]{64}$/.test(sg.key)
    && typeof sg.signature === 'string' && /^[0-9a-f]{128}$/.test(sg.signature), 'bad_board', 'signature', 'must be {key: 64 hex, signature: 128 hex}');
  let ok = false;
  try {
    ok = S.crypto_sign_verify_detached(unhex(sg.signature), boardMessage(hash, board.log_seq, board.log_head), unhex(sg.key));
  } catch {
    ok = false;
  }
  need(ok, 'bad_board_signature', 'signature', `the installation key ${sg.key} did not sign this board hash and log head`);
}

/** v2: key_changes [{name, key}] (ascending by name) replace the frozen keys of those voters in ctx. */
function applyKeyChanges(ctx, changes) {
  need(Array.isArray(changes) && changes.length <= ctx.entries.size, 'bad_board', 'key_changes', 'must be an array of at most one change per voter');
  const entries = new Map(ctx.entries);
  let prev = null;
  changes.forEach((c, i) => {
    const where = `key_changes entry ${i}`;
    need(hasExactly(c, ['name', 'key']) && typeof c.name === 'string' && isEd25519Key(c.key), 'bad_board', where, 'is not {name, key: a valid Ed25519 key}');
    need(prev === null || byteCmp(prev, c.name) < 0, 'bad_board', `${where} (${c.name})`, 'names are not strictly ascending');
    need(entries.has(c.name), 'not_in_electorate', where, `"${c.name.slice(0, 80)}" is not in the electorate`);
    need(entries.get(c.name) !== c.key, 'bad_board', `${where} (${c.name})`, 'the key is the frozen one');
    entries.set(c.name, c.key);
    prev = c.name;
  });
  ctx.entries = entries;
  ctx.electorate = keysInForce(entries, 'key_changes', 'bad_board');
}

/** A version 2 board's header: shape, election, state, anchor (hash, log head) and the installation's signature. */
function verifyHeader2(board) {
  need(board.version === 2, 'bad_board', 'version', 'must be the integer 2');
  need(hasExactly(board, BOARD2_KEYS), 'bad_board', 'board', `a version 2 board has exactly ${BOARD2_KEYS.join(', ')}`);
  const ctx = parseElection(board.election);
  need(ctx.version === 2, 'bad_election', 'election.version', 'a version 2 board needs a version 2 election');
  need(board.election_hash === ctx.ehHex, 'bad_election_hash', 'election_hash', 'is not the hash of the election');
  const { state } = board;
  need(['open', 'counting', 'final'].includes(state), 'bad_board', 'state', 'must be "open", "counting" or "final"');
  need(Array.isArray(board.decryptions), 'bad_board', 'decryptions', 'not an array');
  if (state === 'open') need(board.aggregate === null && board.decryptions.length === 0 && board.result === null, 'bad_board', 'state', 'state open: aggregate and result must be null, decryptions empty');
  else need(Array.isArray(board.aggregate), 'bad_board', 'aggregate', `state ${state}: must be an array`);
  need((state === 'final') === (board.result !== null), 'bad_board', 'result', `state ${state}: result must be ${state === 'final' ? 'the counts' : 'null'}`);
  applyKeyChanges(ctx, board.key_changes);
  need(Array.isArray(board.ballots), 'bad_board', 'ballots', 'not an array');
  need(board.ballots.length <= ctx.electorate.size, 'too_many_ballots', 'ballots', `${board.ballots.length} ballots but only ${ctx.electorate.size} voters of the electorate have a key`);
  return ctx;
}

/** Board shape, election (every pok, the public key), election hash and log head; returns the election context. */
export function verifyHeader(board) {
  need(board && typeof board === 'object' && !Array.isArray(board), 'bad_board', 'board', 'not a JSON object');
  if (Object.hasOwn(board, 'version')) return verifyHeader2(board);
  for (const k of BOARD_KEYS) need(Object.hasOwn(board, k), 'bad_board', `board.${k}`, 'missing');
  const ctx = parseElection(board.election);
  need(board.election_hash === ctx.ehHex, 'bad_election_hash', 'election_hash', 'is not the hash of the election');
  parseHex32(board.log_head, 'log_head');
  need(Array.isArray(board.ballots), 'bad_board', 'ballots', 'not an array');
  return ctx;
}

/**
 * Verifies ballots[from, to) (proofs, trackers) and sums them. Returns
 * { from, alphas, betas, trackers, credentials } — the part of the aggregate
 * and what verifyRest needs; throws at the first failing ballot. The ranges
 * of a board can be checked on different workers.
 */
export function verifyBallotRange(ctx, ballots, from, to, onEach = () => {}) {
  const parsed = [];
  for (let i = from; i < to; i++) {
    const b = ballots[i];
    const label = `ballot ${b && typeof b.tracker === 'string' ? b.tracker : `#${i}`}`;
    need(b && typeof b.tracker === 'string', 'bad_ballot', label, 'tracker missing');
    parsed.push(verifyBallot(ctx, b, label));
    onEach(i - from + 1);
  }
  const sum = aggregate(ctx.n, parsed);
  return { from, alphas: sum.alphas, betas: sum.betas, trackers: parsed.map((p) => p.tracker), credentials: parsed.map((p) => p.credential) };
}

/**
 * What follows the ballots: their order and unique credentials, voters and
 * electorate, the aggregate against the sum of the parts, every decryption
 * and the result. parts: verifyBallotRange answers covering all ballots.
 */
export function verifyRest(board, ctx, parts, { onProgress = () => {} } = {}) {
  const { voters } = board;
  const total = board.ballots.length;
  parts = parts.slice().sort((x, y) => x.from - y.from);
  const trackers = parts.flatMap((p) => p.trackers);
  const creds = parts.flatMap((p) => p.credentials);
  need(trackers.length === total, 'bad_board', 'ballots', 'not every ballot was checked');
  const isV2 = ctx.version === 2;
  const seen = new Set();
  for (let i = 0; i < total; i++) {
    const label = `ballot ${trackers[i]}`;
    need(i === 0 || trackers[i] > trackers[i - 1], 'ballots_not_sorted', label, 'ballots are not sorted by tracker (or a tracker repeats)');
    if (isV2) need(!seen.has(creds[i]), 'duplicate_voter_key', label, `voter key ${creds[i]} has more than one ballot: at most one ballot per key is counted`);
    else need(!seen.has(creds[i]), 'duplicate_credential', label, 'credential already used by another ballot');
    seen.add(creds[i]);
  }
  const sum = { alphas: Array.from({ length: ctx.n }, () => new Uint8Array(32)), betas: Array.from({ length: ctx.n }, () => new Uint8Array(32)) };
  for (const p of parts) {
    for (let j = 0; j < ctx.n; j++) {
      sum.alphas[j] = add(sum.alphas[j], p.alphas[j]);
      sum.betas[j] = add(sum.betas[j], p.betas[j]);
    }
  }

  if (!isV2) {
    const isVoter = (v) => v && typeof v === 'object' && Object.keys(v).length === 1 && typeof v.name === 'string';
    need(Array.isArray(voters) && voters.every(isVoter), 'bad_board', 'voters', 'must be a list of {name}');
    need(isInt(board.eligible_count) && board.eligible_count >= 0, 'bad_board', 'eligible_count', 'not a count');
    need(voters.length === total, 'voter_count_mismatch', 'voters', `${voters.length} voters but ${total} ballots`);
    need(total <= board.eligible_count, 'too_many_ballots', 'ballots', `${total} ballots but only ${board.eligible_count} eligible`);
  }
  const v2 = isV2 ? {
    version: 2, state: board.state, board_hash: board.board_hash, log_seq: board.log_seq, log_head: board.log_head,
    sign_key: board.signature.key, voter_keys: creds, electorate: [...ctx.entries].map(([name, key]) => ({ name, key })), key_changes: board.key_changes.slice(),
  } : { version: 1 };
  const base = {
    ok: true, vote_id: ctx.voteId, election_hash: ctx.ehHex, ballots: total, voters: isV2 ? total : voters.length,
    eligible_count: isV2 ? ctx.entries.size : board.eligible_count, options: board.election.options.slice(), tallied: false, result: null,
    decryptions: board.decryptions.length, trackers, ...v2,
  };
  if (isV2 && board.state === 'open') {
    verifyAnchor(board);
    onProgress({ phase: 'tally', done: 1, total: 1 });
    return base;
  }

  onProgress({ phase: 'tally', done: 0, total: 1 });
  need(Array.isArray(board.aggregate) && board.aggregate.length === ctx.n, 'bad_aggregate', 'aggregate', `need ${ctx.n} entries`);
  const aggA = [];
  const aggB = [];
  board.aggregate.forEach((c, j) => {
    const where = `aggregate option ${j}`;
    need(hasExactly(c, ['alpha', 'beta']), 'bad_aggregate', where, 'malformed');
    const A = parsePoint(c.alpha, `${where} alpha`, { allowIdentity: true });
    const B = parsePoint(c.beta, `${where} beta`, { allowIdentity: true });
    need(bytesEqual(A, sum.alphas[j]) && bytesEqual(B, sum.betas[j]), 'bad_aggregate', where, 'is not the sum of the ballots');
    aggA.push(A);
    aggB.push(B);
  });

  need(Array.isArray(board.decryptions), 'bad_board', 'decryptions', 'not an array');
  const perGroup = ctx.groups.map(() => []);
  board.decryptions.forEach((d, di) => {
    const okShape = hasExactly(d, ['group', 'index', 'factors', 'proofs']) && isInt(d.group) && d.group >= 0 && d.group < ctx.groups.length && isInt(d.index);
    need(okShape, 'bad_decryption', `decryption #${di}`, 'group or index invalid');
    const member = ctx.groups[d.group].members.find((m) => m.index === d.index);
    const where = `decryption by trustee ${member ? member.id : '?'} (group ${d.group}, index ${d.index})`;
    need(member, 'bad_decryption', where, 'no such trustee');
    need(!perGroup[d.group].some((s) => s.index === d.index), 'bad_decryption', where, 'trustee decrypted twice');
    need(Array.isArray(d.factors) && d.factors.length === ctx.n && Array.isArray(d.proofs) && d.proofs.length === ctx.n, 'bad_decryption', where, `need ${ctx.n} factors and proofs`);
    const Ds = d.factors.map((f, j) => {
      const D = parsePoint(f, `${where} option ${j} factor`, { allowIdentity: true });
      const p = d.proofs[j];
      need(hasExactly(p, ['challenge', 'response']), 'bad_decryption', `${where} option ${j}`, 'proof malformed');
      const proof = { challenge: parseScalar(p.challenge, `${where} option ${j} proof`), response: parseScalar(p.response, `${where} option ${j} proof`) };
      need(verifyDleq(ctx.eh, member.VK, aggA[j], D, proof), 'bad_dleq_proof', `${where} option ${j}`, 'decryption proof does not verify');
      return D;
    });
    perGroup[d.group].push({ index: d.index, Ds });
    onProgress({ phase: 'decryptions', done: di + 1, total: board.decryptions.length });
  });
  const summary = base;
  // No result yet: the decryptions published so far are checked, nothing more.
  if (board.result === null) {
    if (isV2) verifyAnchor(board);
    onProgress({ phase: 'tally', done: 1, total: 1 });
    return summary;
  }
  const Dtot = Array.from({ length: ctx.n }, () => new Uint8Array(32));
  ctx.groups.forEach((g, gi) => {
    need(perGroup[gi].length >= g.threshold, 'missing_decryptions', `trustee group ${gi}`, `${perGroup[gi].length} decryptions, threshold ${g.threshold}`);
  });
  for (let j = 0; j < ctx.n; j++) {
    for (let gi = 0; gi < ctx.groups.length; gi++) Dtot[j] = add(Dtot[j], combineFactors(perGroup[gi].map((s) => ({ index: s.index, D: s.Ds[j] }))));
  }
  const counts = decryptCounts(aggB, Dtot, total);
  need(Array.isArray(board.result) && board.result.length === ctx.n && board.result.every(isInt), 'bad_result', 'result', `need ${ctx.n} integers`);
  counts.forEach((c, j) => {
    need(c >= 0, 'bad_result', `result option ${j}`, 'the decryption is not a count between 0 and the number of ballots');
    need(board.result[j] === c, 'bad_result', `result option ${j}`, `published ${board.result[j]} but the decryption gives ${c}`);
  });
  if (isV2) verifyAnchor(board);
  onProgress({ phase: 'tally', done: 1, total: 1 });
  return { ...summary, tallied: true, result: counts };
}

/**
 * Verifies a parsed board; returns a summary { ok: true, vote_id,
 * election_hash, ballots, voters, eligible_count, options, tallied, result,
 * decryptions, trackers }. A board whose result is null (decryptions still
 * pending) verifies with tallied: false. Throws EvoteError { code, where,
 * message } on the first failure.
 */
export function verifyBoard(board, { onProgress = () => {}, progressEvery = 25 } = {}) {
  onProgress({ phase: 'election', done: 0, total: 1 });
  const ctx = verifyHeader(board);
  onProgress({ phase: 'election', done: 1, total: 1 });
  const total = board.ballots.length;
  const part = verifyBallotRange(ctx, board.ballots, 0, total, (done) => {
    if (done % progressEvery === 0 || done === total) onProgress({ phase: 'ballots', done, total });
  });
  return verifyRest(board, ctx, [part], { onProgress });
}

/** verifyBoard without throwing: { ok: true, ... } or { ok: false, code, where, message }. */
export function checkBoard(board, opts) {
  return failureOf(() => verifyBoard(board, opts));
}

/** Runs fn; its value, or { ok: false, code, where, message } for what it threw. */
export function failureOf(fn) {
  try {
    return fn();
  } catch (e) {
    if (e instanceof EvoteError) return { ok: false, code: e.code, where: e.where, message: e.message };
    return { ok: false, code: 'error', where: '', message: String(e && e.message ? e.message : e) };
  }
}
