// vote-state.js — the browser's fold of a meeting's votes: the vote.*
// events of docs/events.md (vote.created, vote.opened, vote.ballot,
// vote.extended, vote.closed) folded into one record per vote {status,
// counts, deadline, named list, result}. Seeded from GET
// /api/meetings/{m}/votes (the list) and GET /api/votes/{v} (one vote); each
// event is then applied. Applying is idempotent — an event already reflected
// in a seed changes nothing — so a seed may be followed by the events that
// raced it. Pure data: no DOM, no fetch (tests/web/vote-state.test.mjs).
//
//   const vs = createVotes({ meId });
//   seedList(vs, (await get(`/api/meetings/${m}/votes`)).votes);
//   seedVote(vs, await get(`/api/votes/${v}`));
//   applyVoteEvent(vs, ev);          // ev = {seq, ts, type, actor, payload}; true when it was a vote event
//   currentVote(vs);                 // the open vote, else the latest closed one

export const VOTE_EVENT_TYPES = ['vote.created', 'vote.opened', 'vote.ballot', 'vote.extended', 'vote.counting', 'vote.confirming', 'vote.confirmation', 'vote.closed'];

/** An empty fold. meId: the viewer (their own ballots set my_choice). */
export function createVotes({ meId = null } = {}) {
  return { meId, byId: new Map(), order: [] };
}

const DEFINITION = [
  'title', 'motion', 'item_id', 'kind', 'method', 'majority', 'duration_s', 'allow_change', 'early_close',
  'electorate', 'candidates', 'seats', 'election_rule', 'repeat_of', 'repeat_reason', 'rule_text',
];

function blank(id) {
  return {
    id,
    title: '',
    motion: '',
    item_id: null,
    kind: 'open',
    method: 'yes_no_abstain',
    majority: 'simple',
    status: 'draft',
    opened_at: null,
    number: null, // in the order the meeting's votes were opened (the server's numbering)
    deadline: null,
    closed_at: null,
    eligible: null, // user ids, known from vote.opened
    eligible_count: null,
    present_at_open: null,
    quorum_required: null,
    live: null, // {cast, eligible} while open
    named: null, // [{user_id, name, choice|choices}] of open (named) votes
    result: null,
    my_choice: null,
    my_choices: null,
    opened_seq: 0,
    created_seq: 0,
    detailed: false, // seeded from GET /api/votes/{v}
  };
}

function ensure(vs, id) {
  let v = vs.byId.get(id);
  if (!v) {
    v = blank(id);
    vs.byId.set(id, v);
    vs.order.push(id);
  }
  return v;
}

const isElection = (v) => v.method === 'election';

function copyDefined(v, src, keys) {
  for (const k of keys) if (src[k] !== undefined) v[k] = src[k];
}

/** Seeds from the list of GET /api/meetings/{m}/votes ({id, title, kind, method, majority, status, outcome}). */
export function seedList(vs, list) {
  for (const row of list || []) {
    if (!row || typeof row.id !== 'string') continue;
    const v = ensure(vs, row.id);
    copyDefined(v, row, ['title', 'kind', 'method', 'majority']);
    if (row.number) v.number = row.number;
    // The list never moves a vote back (an event may already have opened or closed it).
    if (rank(row.status) > rank(v.status)) v.status = row.status;
    if (row.outcome && !v.result) v.outcome = row.outcome;
  }
}

// counting: a secret vote closed for ballots, its tally awaiting the trustees.
// confirming: closed, the result awaiting the scrutiny committee (vote-confirm.js).
const RANK = { draft: 0, open: 1, counting: 2, confirming: 3, closed: 4 };
const rank = (s) => RANK[s] ?? 0;

/** Seeds one vote from GET /api/votes/{v} (or the answer of a vote action). */
export function seedVote(vs, j) {
  if (!j || typeof j.id !== 'string') return null;
  const v = ensure(vs, j.id);
  if (rank(j.status) < rank(v.status)) return v; // older than what the events told
  copyDefined(v, j, DEFINITION);
  copyDefined(v, j, ['status', 'opened_at', 'deadline', 'closed_at', 'eligible_count', 'present_at_open', 'quorum_required']);
  if (j.number) v.number = j.number;
  if (j.status === 'open') {
    if (j.live) v.live = { cast: j.live.cast, eligible: j.live.eligible };
    if (Array.isArray(j.named)) v.named = j.named.map((n) => ({ ...n }));
    if (Array.isArray(j.eligible)) v.eligible = j.eligible.slice();
    else if (Array.isArray(j.named) && !v.eligible) v.eligible = j.named.map((n) => n.user_id);
  }
  // The chair, operators and the scrutiny committee see a result awaiting confirmation.
  if ('pending_result' in j) v.pending_result = j.pending_result;
  if ('confirmations' in j) v.confirmations = j.confirmations;
  if (j.result) {
    v.result = j.result;
    v.named = Array.isArray(j.result.named) ? j.result.named.map((n) => ({ ...n })) : v.named;
  }
  if ('my_choice' in j) v.my_choice = j.my_choice;
  if ('my_choices' in j) v.my_choices = j.my_choices;
  v.detailed = true;
  return v;
}

function countCast(named) {
  return named.filter((n) => (n.choice !== undefined ? n.choice !== null : n.choices !== null && n.choices !== undefined)).length;
}

const handlers = {
  'vote.created': (vs, p, ev) => {
    const v = ensure(vs, p.vote_id);
    copyDefined(v, p, DEFINITION);
    v.created_seq = ev.seq || v.created_seq;
  },
  'vote.opened': (vs, p, ev, opts) => {
    const v = ensure(vs, p.vote_id);
    copyDefined(v, p, DEFINITION);
    if (v.status === 'closed') return;
    v.status = 'open';
    // Votes open one after another: the next number, as the server counts them.
    if (!v.number) v.number = Math.max(0, ...[...vs.byId.values()].map((x) => x.number || 0)) + 1;
    v.opened_at = p.opened_at ?? v.opened_at;
    v.deadline = p.deadline ?? v.deadline;
    v.opened_seq = ev.seq || v.opened_seq;
    if (Array.isArray(p.eligible)) v.eligible = p.eligible.slice();
    v.eligible_count = p.eligible_count ?? (v.eligible ? v.eligible.length : v.eligible_count);
    v.present_at_open = p.present ?? v.present_at_open;
    v.quorum_required = p.quorum_required ?? v.quorum_required;
    if (!v.live) v.live = { cast: 0, eligible: v.eligible_count ?? 0 };
    // A body with weights: each voter's weight, frozen at this opening.
    if (p.weights && typeof p.weights === 'object') v.weights = p.weights;
    // The named list of an open vote: everyone eligible, nobody voted yet.
    if (v.kind === 'open' && !v.named && v.eligible) {
      v.named = v.eligible.map((uid) => {
        const row = { user_id: uid, name: opts.nameOf ? opts.nameOf(uid) || '' : '' };
        if (v.weights && v.weights[uid] !== undefined) row.weight = v.weights[uid];
        if (isElection(v)) row.choices = null;
        else row.choice = null;
        return row;
      });
    }
  },
  'vote.ballot': (vs, p, ev, opts) => {
    const v = ensure(vs, p.vote_id);
    if (v.status === 'closed' || v.status === 'counting' || v.status === 'confirming') return; // the ballot box is shut
    if (v.status === 'draft') v.status = 'open';
    const hasChoices = Array.isArray(p.choices);
    const choice = hasChoices ? p.choices.slice() : p.choice;
    if (v.named && p.user_id && (choice !== undefined)) {
      let row = v.named.find((n) => n.user_id === p.user_id);
      if (!row) {
        row = { user_id: p.user_id, name: p.name || (opts.nameOf ? opts.nameOf(p.user_id) : '') || '' };
        if (v.weights && v.weights[p.user_id] !== undefined) row.weight = v.weights[p.user_id];
        v.named.push(row);
      }
      if (hasChoices) row.choices = choice;
      else row.choice = choice;
      if (!row.name && p.name) row.name = p.name;
      if (p.by_hand) { // roll call by hand: the chair entered it
        row.by_hand = true;
        row.entered_by = p.entered_by_name;
      }
      if (p.by_proxy) { // cast by the member's proxy holder
        row.by_proxy = true;
        row.cast_by_name = p.cast_by_name;
      } else if (!p.by_hand) {
        delete row.by_proxy;
        delete row.cast_by_name;
      }
    }
    if (!v.live) v.live = { cast: 0, eligible: v.eligible_count ?? 0 };
    if (typeof p.cast === 'number') v.live.cast = p.cast;
    else if (v.named) v.live.cast = countCast(v.named);
    else if (!p.is_change) v.live.cast += 1; // no list, no count: the best guess
    if (typeof p.eligible === 'number') v.live.eligible = p.eligible;
    if (vs.meId && p.user_id === vs.meId && choice !== undefined) {
      if (hasChoices) v.my_choices = choice;
      else v.my_choice = choice;
    }
  },
  'vote.extended': (vs, p) => {
    const v = ensure(vs, p.vote_id);
    if (typeof p.deadline === 'number') v.deadline = p.deadline;
  },
  'vote.counting': (vs, p) => {
    const v = ensure(vs, p.vote_id);
    if (v.status === 'closed') return;
    v.status = 'counting';
    v.closed_at = p.closed_at ?? v.closed_at;
    if (typeof p.ballots_cast === 'number') v.live = { cast: p.ballots_cast, eligible: v.live ? v.live.eligible : v.eligible_count ?? 0 };
  },
  'vote.confirming': (vs, p) => {
    const v = ensure(vs, p.vote_id);
    if (v.status === 'closed') return;
    v.status = 'confirming';
    v.closed_at = p.closed_at ?? v.closed_at;
    v.live = null;
  },
  'vote.confirmation': (vs, p) => {
    const v = ensure(vs, p.vote_id);
    if (Array.isArray(v.confirmations) && !v.confirmations.some((c) => c.user_id === p.user_id)) {
      v.confirmations = [...v.confirmations, { user_id: p.user_id, name: p.name, objection: p.objection ?? null }];
    }
  },
  'vote.closed': (vs, p) => {
    const v = ensure(vs, p.vote_id);
    v.status = 'closed';
    v.closed_at = p.closed_at ?? v.closed_at;
    v.pending_result = undefined;
    if (p.result) {
      v.result = p.result;
      if (Array.isArray(p.result.named)) v.named = p.result.named.map((n) => ({ ...n }));
      if (p.result.method) v.method = p.result.method;
    }
    v.live = null;
  },
};

/**
 * Applies one event to vs (in place); returns true for a vote event.
 * opts.nameOf(user_id): names for the named list built at opening (from the
 * meeting's people), until GET /api/votes/{v} brings the server's list.
 */
export function applyVoteEvent(vs, ev, opts = {}) {
  if (!ev || typeof ev.type !== 'string') return false;
  const fn = handlers[ev.type];
  const p = ev.payload || {};
  if (!fn || typeof p.vote_id !== 'string') return false;
  fn(vs, p, ev, opts);
  return true;
}

/** Every vote, oldest first. */
/** Every vote: the opened ones by number, then the drafts in the order they were made. */
export function allVotes(vs) {
  const all = vs.order.map((id) => vs.byId.get(id));
  const numbered = all.filter((v) => v.number).sort((a, b) => a.number - b.number);
  return numbered.concat(all.filter((v) => !v.number));
}

/** The open vote opened last, or null. */
export function openVote(vs) {
  const open = allVotes(vs).filter((v) => v.status === 'open');
  if (!open.length) return null;
  return open.reduce((a, b) => ((b.opened_at || 0) >= (a.opened_at || 0) ? b : a));
}

/** The vote closed last (or being counted), or null. */
export function lastClosed(vs) {
  const closed = allVotes(vs).filter((v) => v.status === 'closed' || v.status === 'counting' || v.status === 'confirming');
  if (!closed.length) return null;
  return closed.reduce((a, b) => ((b.closed_at || 0) >= (a.closed_at || 0) ? b : a));
}

/** What a screen shows: the open vote, else the latest result. */
export function currentVote(vs) {
  return openVote(vs) || lastClosed(vs);
}

/** Whether user may vote in v by the recorded electorate: true, false, or null (not known). */
export function isEligible(v, userId) {
  if (!v || !userId) return null;
  if (Array.isArray(v.eligible)) return v.eligible.includes(userId);
  if (Array.isArray(v.named)) return v.named.some((n) => n.user_id === userId);
  return null;
}

/** The viewer's counted choice in v: 'yes'|'no'|'abstain', an array (elections), or null. */
export function myChoice(v) {
  if (!v) return null;
  return isElection(v) ? v.my_choices ?? null : v.my_choice ?? null;
}

/** The live count {cast, eligible} of an open vote (0 of the electorate when unknown). */
export function liveCount(v) {
  if (!v) return { cast: 0, eligible: 0 };
  if (v.live) return { cast: v.live.cast ?? 0, eligible: v.live.eligible ?? v.eligible_count ?? 0 };
  if (v.result) return { cast: v.result.cast ?? 0, eligible: v.result.eligible ?? 0 };
  return { cast: 0, eligible: v.eligible_count ?? 0 };
}
