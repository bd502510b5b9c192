// ballot.js — sends the viewer's ballots so that each is counted exactly
// once over a weak link. Every ballot gets a ballot id made here (the server
// deduplicates by it); until the server answers, the ballot is kept in
// sessionStorage and sent again with the SAME id, with a growing pause,
// also after a reload. The server's answer ends it: accepted (201, or 200
// for a repeat of one it already has) or refused (409 vote_closed etc.: the
// ballot was NOT counted, and the reason is shown).
//
//   const box = new BallotBox({ onChange: (voteId, s) => render() });
//   box.cast(voteId, { choice: 'yes' });      // or { choices: [0, 2] }
//   box.status(voteId);   // {phase: sending|retrying|confirmed|refused, choice|choices, error}
//   box.resume();         // sends what a reload interrupted

import { post } from './api.js';

const STORE_KEY = 'obrady.pendingBallots';
const MAX_DELAY_MS = 15000;
const RETRY_STATUSES = new Set([0, 408, 425, 429, 500, 502, 503, 504]);

/** A fresh ballot id: 32 hex digits ([A-Za-z0-9_-]{8,64} as the API wants). */
export function newBallotId() {
  if (crypto.randomUUID) return crypto.randomUUID().replaceAll('-', '');
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function loadPending(storeKey = STORE_KEY) {
  try {
    const v = JSON.parse(sessionStorage.getItem(storeKey) || '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

function savePending(all, storeKey = STORE_KEY) {
  try {
    if (Object.keys(all).length) sessionStorage.setItem(storeKey, JSON.stringify(all));
    else sessionStorage.removeItem(storeKey);
  } catch {
    /* private mode: the ballot still retries while the page lives */
  }
}

export class BallotBox {
  /**
   * onChange(voteId, status) after every change; baseDelayMs: the first pause before a retry.
   * A box for other ballots (a proxy holder's, views/vote-proxy.js) names its own storeKey and
   * target(key) → {url, extra}: where a ballot of that key goes and what its body adds.
   */
  constructor({ onChange = () => {}, baseDelayMs = 1000, storeKey = STORE_KEY, target = null } = {}) {
    this.onChange = onChange;
    this.baseDelayMs = baseDelayMs;
    this.storeKey = storeKey;
    this.target = target || ((voteId) => ({ url: `/api/votes/${encodeURIComponent(voteId)}/ballots`, extra: {} }));
    this.states = new Map(); // vote id -> {phase, ballot_id, choice?, choices?, error, attempts}
    this.timers = new Map();
    this.inFlight = new Set();
    this.closed = false;
    this.onOnline = () => {
      for (const [voteId, s] of this.states) if (s.phase === 'retrying') this.sendNow(voteId);
    };
    window.addEventListener('online', this.onOnline);
  }

  status(voteId) {
    return this.states.get(voteId) || null;
  }

  set(voteId, s) {
    this.states.set(voteId, s);
    if (!this.closed) this.onChange(voteId, s);
  }

  /** Casts a new ballot (a new id) in voteId: body {choice} or {choices}. */
  cast(voteId, body) {
    const cur = this.states.get(voteId);
    if (cur && (cur.phase === 'sending' || cur.phase === 'retrying')) return; // one at a time
    const ballot = { ballot_id: newBallotId(), ...body };
    const all = loadPending(this.storeKey);
    all[voteId] = ballot;
    savePending(all, this.storeKey);
    this.set(voteId, { phase: 'sending', ...ballot, error: null, attempts: 0 });
    this.sendNow(voteId);
  }

  /** Sends again every ballot a reload left unanswered (same ids). voteIds: only these. */
  resume(voteIds = null) {
    const all = loadPending(this.storeKey);
    for (const [voteId, ballot] of Object.entries(all)) {
      if (voteIds && !voteIds.includes(voteId)) continue;
      if (!ballot || typeof ballot.ballot_id !== 'string' || this.states.has(voteId)) continue;
      this.set(voteId, { phase: 'sending', ...ballot, error: null, attempts: 0 });
      this.sendNow(voteId);
    }
  }

  sendNow(voteId) {
    clearTimeout(this.timers.get(voteId));
    this.timers.delete(voteId);
    if (this.inFlight.has(voteId) || this.closed) return;
    const s = this.states.get(voteId);
    if (!s || (s.phase !== 'sending' && s.phase !== 'retrying')) return;
    const { url, extra } = this.target(voteId);
    const body = { ballot_id: s.ballot_id, ...extra };
    if (Array.isArray(s.choices)) body.choices = s.choices;
    else body.choice = s.choice;
    this.inFlight.add(voteId);
    post(url, body).then((r) => {
      this.inFlight.delete(voteId);
      this.finish(voteId);
      const done = { phase: 'confirmed', ballot_id: s.ballot_id, error: null, attempts: s.attempts + 1 };
      if (Array.isArray(s.choices)) done.choices = r && Array.isArray(r.choices) ? r.choices : s.choices;
      else done.choice = r && r.choice ? r.choice : s.choice;
      this.set(voteId, done);
    }, (err) => {
      this.inFlight.delete(voteId);
      if (this.closed) return;
      const status = err && typeof err.status === 'number' ? err.status : 0;
      if (RETRY_STATUSES.has(status)) {
        const attempts = s.attempts + 1;
        this.set(voteId, { ...s, phase: 'retrying', attempts, error: { code: err.code || 'network', message: err.message || '' } });
        const base = Math.min(MAX_DELAY_MS, this.baseDelayMs * 2 ** Math.min(attempts - 1, 4));
        const wait = err.retryAfter ? Math.max(err.retryAfter * 1000, base) : base / 2 + Math.random() * (base / 2);
        this.timers.set(voteId, setTimeout(() => this.sendNow(voteId), wait));
        return;
      }
      this.finish(voteId);
      this.set(voteId, { ...s, phase: 'refused', attempts: s.attempts + 1, error: { code: err.code || `http_${status}`, message: err.message || '' } });
    });
  }

  /** The server answered: the ballot leaves the store. */
  finish(voteId) {
    const all = loadPending(this.storeKey);
    delete all[voteId];
    savePending(all, this.storeKey);
  }

  close() {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    window.removeEventListener('online', this.onOnline);
  }
}
