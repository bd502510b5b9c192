// secret-election.js — the election of a secret vote, parsed once per page:
// from the vote.opened event when the page saw it, else from the vote's
// board (GET /api/votes/{v}/board carries it from the opening on). Every
// trustee's proof is checked and the public key derived by evote/election.js
// before a single ballot is encrypted to it.
//
//   primeElection(voteId, payload.election);          // from vote.opened
//   const ctx = await electionContext(voteId, vote.election_hash);

import { get } from './api.js';
import { ready } from './evote/sodium.js';
import { parseElection } from './evote/election.js';

const cache = new Map(); // voteId -> Promise<ctx>

function parse(voteId, election) {
  return ready().then(() => {
    const ctx = parseElection(election);
    if (ctx.voteId !== voteId) throw new Error(`election of vote ${ctx.voteId}, not ${voteId}`);
    return ctx;
  });
}

/** Remembers the election a vote.opened event carried. */
export function primeElection(voteId, election) {
  if (!election || cache.has(voteId)) return;
  const p = parse(voteId, election);
  p.catch(() => cache.delete(voteId));
  cache.set(voteId, p);
}

/**
 * The parsed election of voteId (evote/election.js context). expectedHash:
 * the election_hash the vote names, when known; a different election is
 * refused (it would not be the one the server counts).
 */
export async function electionContext(voteId, expectedHash = null) {
  if (!cache.has(voteId)) {
    const p = get(`/api/votes/${encodeURIComponent(voteId)}/board`).then((b) => parse(voteId, b.election));
    p.catch(() => cache.delete(voteId));
    cache.set(voteId, p);
  }
  const ctx = await cache.get(voteId);
  if (expectedHash && ctx.ehHex !== expectedHash) {
    cache.delete(voteId);
    throw new Error('the election does not match the vote\'s election hash');
  }
  return ctx;
}
