// evote/verify.js — verification of a whole board (GET /api/votes/{v}/board),
// every check of docs/verifiable-voting.md "Verification", stopping at the
// first failure with its exact place (ballot tracker and option, or trustee)
// and check. Runs unchanged in node, on a page and in a Web Worker
// (verify-worker.js); onProgress({ phase, done, total }) reports progress.

import { EvoteError, parsePoint, parseScalar, parseHex32, bytesEqual, add } from './group.js';
import { parseElection, hasExactly } from './election.js';
import { verifyBallot } from './ballot.js';
import { verifyDleq } from './proofs.js';
import { aggregate, combineFactors, decryptCounts } from './tally.js';

const BOARD_KEYS = ['aggregate', 'ballots', 'decryptions', 'election', 'election_hash', 'eligible_count', 'log_head', 'result', 'voters'];
const isInt = (n) => Number.isSafeInteger(n);

function need(cond, code, where, msg) {
  if (!cond) throw new EvoteError(code, where, msg);
}

/** Board shape, election (every pok, the public key), election hash and log head; returns the election context. */
export function verifyHeader(board) {
  need(board && typeof board === 'object' && !Array.isArray(board), 'bad_board', 'board', 'not a JSON object');
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
  const seen = new Set();
  for (let i = 0; i < total; i++) {
    const label = `ballot ${trackers[i]}`;
    need(i === 0 || trackers[i] > trackers[i - 1], 'ballots_not_sorted', label, 'ballots are not sorted by tracker (or a tracker repeats)');
    need(!seen.has(creds[i]), 'duplicate_credential', label, 'credential already used by another ballot');
    seen.add(creds[i]);
  }
  const sum = { alphas: Array.from({ length: ctx.n }, () => new Uint8Array(32)), betas: Array.from({ length: ctx.n }, () => new Uint8Array(32)) };
  for (const p of parts) {
    for (let j = 0; j < ctx.n; j++) {
      sum.alphas[j] = add(sum.alphas[j], p.alphas[j]);
      sum.betas[j] = add(sum.betas[j], p.betas[j]);
    }
  }

  const isVoter = (v) => v && typeof v === 'object' && Object.keys(v).length === 1 && typeof v.name === 'string';
  need(Array.isArray(voters) && voters.every(isVoter), 'bad_board', 'voters', 'must be a list of {name}');
  need(isInt(board.eligible_count) && board.eligible_count >= 0, 'bad_board', 'eligible_count', 'not a count');
  need(voters.length === total, 'voter_count_mismatch', 'voters', `${voters.length} voters but ${total} ballots`);
  need(total <= board.eligible_count, 'too_many_ballots', 'ballots', `${total} ballots but only ${board.eligible_count} eligible`);

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
  const summary = {
    ok: true, vote_id: ctx.voteId, election_hash: ctx.ehHex, ballots: total, voters: voters.length,
    eligible_count: board.eligible_count, options: board.election.options.slice(), tallied: false, result: null,
    decryptions: board.decryptions.length, trackers,
  };
  // No result yet: the decryptions published so far are checked, nothing more.
  if (board.result === null) {
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
