// trustee-keys.js — a scrutiny-committee trustee's key work in the browser,
// on top of evote/trustee.js (no crypto of its own): the secret kept for the
// tab (sessionStorage) only until the key file is saved, then in memory for
// the rest of the page's life; opening and checking the shares the other
// members sealed to us, against their published coefficients and our
// verification key; and the partial decryption of the aggregate with its
// proof. The private key never leaves the browser except inside the
// passphrase-protected key file the trustee downloads.

import { ready } from './evote/sodium.js';
import { parsePoint, bytesEqual, mulG, parseScalar, IDENTITY, add } from './evote/group.js';
import { evalCommitments, parseElection } from './evote/election.js';
import { openShare, combineShares, partialDecrypt, sealKeyFile, openKeyFile } from './evote/trustee.js';

const STORE_PREFIX = 'obrady.trustee.';
const memory = new Map(); // voteId -> {secret, share, saved}

function stored(voteId) {
  try {
    const v = JSON.parse(sessionStorage.getItem(STORE_PREFIX + voteId) || 'null');
    return v && typeof v === 'object' && v.secret ? v : null;
  } catch {
    return null;
  }
}

/** What this page knows of our key for voteId: {secret?, share?, saved?} or null. */
export function localKey(voteId) {
  return memory.get(voteId) || stored(voteId);
}

/** Keeps k for voteId: in memory, and in sessionStorage until the key file is saved. */
export function keepKey(voteId, k) {
  memory.set(voteId, k);
  try {
    if (k.saved) sessionStorage.removeItem(STORE_PREFIX + voteId);
    else sessionStorage.setItem(STORE_PREFIX + voteId, JSON.stringify(k));
  } catch {
    /* memory only */
  }
}

/** VK_j = Σ_i Σ_k j^k·C_{i,k} over every member's published coefficients (hex). */
export function verificationKey(members, index) {
  let vk = IDENTITY;
  for (const m of members) {
    const C = m.member.coefficients.map((c, k) => parsePoint(c, `coefficient ${k} of member ${m.index}`));
    vk = add(vk, evalCommitments(C, index));
  }
  return vk;
}

/**
 * Opens and checks every share addressed to us (tr: GET /trustees) and
 * combines them into our decryption share x (hex), checked against VK.
 * Throws EvoteError naming the bad share.
 */
export async function combineMyShares(secret, tr) {
  await ready();
  const byIndex = new Map(tr.members.map((m) => [m.index, m]));
  const mine = tr.shares_for_me.filter((s) => s.to === secret.index);
  const shares = mine.map((s) => {
    const sender = byIndex.get(s.from);
    if (!sender || !sender.member) throw new Error(`share from unknown member ${s.from}`);
    return openShare(secret, s, sender.member.coefficients);
  });
  return combineShares(secret, shares, verificationKey(tr.members, secret.index));
}

/** The key file (an object to download as JSON) holding secret and share x. */
export async function makeKeyFile(secret, share, group, passphrase) {
  await ready();
  return sealKeyFile({ ...secret, group, share }, passphrase);
}

/** Opens a key file for voteId; returns {secret, share, group, index}. */
export async function readKeyFile(voteId, file, passphrase) {
  await ready();
  if (!file || file.vote_id !== voteId) throw Object.assign(new Error('key file of another vote'), { code: 'wrong_vote' });
  const s = openKeyFile(file, passphrase);
  if (typeof s.share !== 'string') throw Object.assign(new Error('key file without a share'), { code: 'bad_key_file' });
  return s;
}

/**
 * Our partial decryption of board's aggregate: finds our group (the one
 * listing memberId) and checks x against our verification key first.
 * Returns {group, index, factors, proofs}.
 */
export async function decryptAggregate(board, memberId, index, share) {
  await ready();
  const ctx = parseElection(board.election);
  const group = ctx.groups.findIndex((g) => g.members.some((m) => m.id === memberId && m.index === index));
  if (group < 0) throw Object.assign(new Error('not a trustee of this election'), { code: 'not_trustee' });
  const me = ctx.groups[group].members.find((m) => m.index === index);
  if (!bytesEqual(mulG(parseScalar(share, 'share')), me.VK)) throw Object.assign(new Error('the key does not match this vote'), { code: 'wrong_key' });
  const alphas = board.aggregate.map((c, j) => parsePoint(c.alpha, `aggregate option ${j}`, { allowIdentity: true }));
  return partialDecrypt(ctx, group, index, share, alphas);
}
