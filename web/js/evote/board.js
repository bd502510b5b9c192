// evote/board.js — assembling an election and a board from their parts, as
// the server does it (the C side is authoritative; this copy serves the node
// tests, the benchmark and cross-implementation checks), and a whole
// dealer-less key generation of one trustee group run locally through the
// same sealed-share path the members' browsers use.

import { bytesToHex, parsePoint, add, IDENTITY, canonicalJson } from './group.js';
import { electionHash, parseElection } from './election.js';
import { generateTrustee, sealShares, openShare, combineShares, partialDecrypt } from './trustee.js';
import { verifyBallot } from './ballot.js';
import { aggregate, combineFactors, decryptCounts } from './tally.js';

/**
 * The election object with public_key = Σ of every member's C_0.
 * groups: [{ threshold, members: [election member entries] }].
 */
export function makeElection({ voteId, meetingId = '', title = '', question = '', options, min, max, groups }) {
  if (!voteId || !meetingId) throw new TypeError('makeElection: voteId and meetingId are required');
  let Y = IDENTITY;
  for (const g of groups) for (const m of g.members) Y = add(Y, parsePoint(m.coefficients[0], 'C_0'));
  return {
    version: 1, vote_id: voteId, meeting_id: meetingId, title, question, options: options.slice(), min, max,
    trustee_groups: groups.map((g) => ({ threshold: g.threshold, members: g.members.map((m) => ({ ...m })) })),
    public_key: bytesToHex(Y),
  };
}

/**
 * Runs a t-of-n dealer-less key generation for one group locally. members:
 * [{ id, name }]. Returns { group: { threshold, members }, trustees: [{ index,
 * secret, x (hex share) }] } after every share was sealed, opened and checked.
 */
export function runGroupKeygen(voteId, threshold, members) {
  const ts = members.map((m, i) => generateTrustee({ voteId, memberId: m.id, name: m.name, index: i + 1, threshold }));
  const recipients = ts.map((t) => ({ index: t.secret.index, box_public_key: t.public.box_public_key }));
  const inbox = new Map(ts.map((t) => [t.secret.index, []]));
  for (const t of ts) for (const s of sealShares(t.secret, recipients)) inbox.get(s.to).push(s);
  const byIndex = new Map(ts.map((t) => [t.secret.index, t]));
  const trustees = ts.map((t) => {
    const shares = inbox.get(t.secret.index).map((s) => openShare(t.secret, s, byIndex.get(s.from).public.member.coefficients));
    return { index: t.secret.index, secret: t.secret, x: combineShares(t.secret, shares) };
  });
  return { group: { threshold, members: ts.map((t) => t.public.member) }, trustees };
}

/**
 * A complete board: ballots (each with its tracker) sorted by tracker, voters
 * sorted by name, the aggregate, the partial decryptions of the given trustees
 * ({ group, index, x, optional rnd for known-answer tests }) and the result.
 */
export function buildBoard(election, ballots, { voters, eligibleCount, decryptors, logHead = '0'.repeat(64) }) {
  const ctx = parseElection(election);
  const sorted = ballots.slice().sort((a, b) => (a.tracker < b.tracker ? -1 : a.tracker > b.tracker ? 1 : 0));
  const parsed = sorted.map((b) => verifyBallot(ctx, b));
  const agg = aggregate(ctx.n, parsed);
  const decryptions = decryptors.map((d) => partialDecrypt(ctx, d.group, d.index, d.x, agg.alphas, d.rnd));
  const perGroup = ctx.groups.map(() => []);
  for (const d of decryptions) perGroup[d.group].push({ index: d.index, Ds: d.factors.map((f) => parsePoint(f, 'factor', { allowIdentity: true })) });
  const Dtot = agg.alphas.map((_, j) => perGroup.reduce((acc, shares) => add(acc, combineFactors(shares.map((s) => ({ index: s.index, D: s.Ds[j] })))), IDENTITY));
  const result = decryptCounts(agg.betas, Dtot, sorted.length);
  return {
    election, election_hash: bytesToHex(electionHash(election)),
    ballots: sorted,
    voters: voters.slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    eligible_count: eligibleCount,
    aggregate: agg.alphas.map((A, j) => ({ alpha: bytesToHex(A), beta: bytesToHex(agg.betas[j]) })),
    decryptions, result, log_head: logHead,
  };
}

/** The board as the bytes `obrady verify` and the page read (canonical JSON). */
export const boardJson = (board) => canonicalJson(board);
