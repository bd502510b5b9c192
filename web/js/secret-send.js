// secret-send.js — sends an encrypted secret ballot so that it is counted
// exactly once over a weak link, as open ballots are: the ballot gets an id
// made here, and until the server answers it is kept in sessionStorage and
// sent again with the SAME id and the SAME ciphertext (a fresh encryption
// would be a second ballot), with a growing pause, also after a reload.
// Only the ballot travels — never the choice or the randomness. The receipt
// (the tracker) is kept for the tab so a reload shows it again.
//
//   const job = sendSecretBallot(voteId, { ballot_id, ballot, tracker }, { onRetry });
//   const r = await job.done;   // {tracker, mismatch} or throws the refusal (ApiError)
//   job.cancel();               // stops retrying; the ballot stays pending for resume

import { post } from './api.js';
import { getMe } from './session.js';
import { ensureRegistered } from './voter-key-sync.js';

const PENDING_KEY = 'obrady.secretPending';
const RECEIPT_KEY = 'obrady.secretReceipts';
const MAX_DELAY_MS = 15000;
const RETRY_STATUSES = new Set([0, 408, 425, 429, 500, 502, 503, 504]);

/** A fresh ballot id: 32 hex digits ([A-Za-z0-9_-]{8,64} as the API wants). */
export function newBallotId() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function load(key) {
  try {
    const v = JSON.parse(sessionStorage.getItem(key) || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

function save(key, all) {
  try {
    if (Object.keys(all).length) sessionStorage.setItem(key, JSON.stringify(all));
    else sessionStorage.removeItem(key);
  } catch {
    /* storage full or off: the retry still runs while the page lives */
  }
}

function put(key, voteId, value) {
  const all = load(key);
  if (value === null) delete all[voteId];
  else all[voteId] = value;
  save(key, all);
}

/** The ballot of voteId still waiting for the server's answer, or null. */
export function pendingBallot(voteId) {
  const p = load(PENDING_KEY)[voteId];
  return p && typeof p.ballot_id === 'string' && p.ballot && typeof p.tracker === 'string' ? p : null;
}

/** This tab's receipt for voteId ({tracker, mismatch}) or null. */
export function receiptFor(voteId) {
  const r = load(RECEIPT_KEY)[voteId];
  return r && typeof r.tracker === 'string' ? r : null;
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => {
    clearTimeout(t);
    resolve();
  }, { once: true });
});

/**
 * Sends item = {ballot_id, ballot, tracker} until the server answers. A
 * refusal (4xx other than the transient ones) rejects with the ApiError and
 * forgets the ballot: it was not counted. onRetry(err, delayMs) before each
 * new attempt.
 */
export function sendSecretBallot(voteId, item, { onRetry = () => {} } = {}) {
  put(PENDING_KEY, voteId, item);
  const ctl = new AbortController();
  const done = (async () => {
    let delay = 1000;
    for (;;) {
      try {
        // Spec v2: the key that signed the ballot must be the registered one.
        if (item.ballot.voter_key) await ensureRegistered(getMe().user.id, item.ballot.voter_key);
        const r = await post(`/api/votes/${encodeURIComponent(voteId)}/ballots`, { ballot_id: item.ballot_id, ballot: item.ballot });
        // The receipt is the tracker this browser computed; a server that
        // names another one stored something else: the view warns.
        const receipt = { tracker: item.tracker, mismatch: !!(r && r.tracker && r.tracker !== item.tracker) };
        put(PENDING_KEY, voteId, null);
        put(RECEIPT_KEY, voteId, receipt);
        return receipt;
      } catch (err) {
        if (!RETRY_STATUSES.has(err.status)) {
          put(PENDING_KEY, voteId, null);
          throw err;
        }
        if (ctl.signal.aborted) throw err;
        const wait = err.retryAfter ? Math.min(err.retryAfter * 1000, MAX_DELAY_MS) : delay;
        onRetry(err, wait);
        await sleep(wait, ctl.signal);
        if (ctl.signal.aborted) throw err;
        delay = Math.min(delay * 2, MAX_DELAY_MS);
      }
    }
  })();
  return { done, cancel: () => ctl.abort() };
}
