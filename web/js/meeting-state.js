// meeting-state.js — the browser's fold of a meeting's events into its live
// state, mirroring src/core/meeting_state_fold.c for the events of
// docs/events.md. The starting point is the snapshot of GET
// /api/meetings/{id}/state (already filtered for this viewer); each event
// from /api/meetings/{id}/events is then applied in seq order. The stream of
// a viewer skips events they may not see, so seq numbers may jump.
//
//   const st = await get(`/api/meetings/${id}/state`);
//   applyEvent(st, ev);   // ev = {seq, ts, type, actor, payload, hash}; true when applied

import { VOTE_EVENT_TYPES } from './vote-state.js';

const KIND_RANK = { formal: 0, ad_vocem: 1, normal: 2 };

function recount(st) {
  const a = st.attendance;
  const people = st.people || [];
  // The public snapshot has no user ids and no is_member: only members are listed there.
  a.present_count = people.filter((p) => (p.is_member !== false) && p.is_present).length;
  a.has_quorum = a.present_count >= a.required;
  if (Array.isArray(a.present)) a.present = people.filter((p) => p.is_present && p.user_id).map((p) => p.user_id);
}

const person = (st, id) => (st.people || []).find((p) => p.user_id === id);

function renumber(st) {
  st.agenda.forEach((it, i) => {
    it.position = i + 1;
  });
}

const handlers = {
  'meeting.convened': (st) => {
    st.status = 'convened';
  },
  'meeting.started': (st) => {
    st.status = 'in_progress';
  },
  'meeting.closed': (st) => {
    st.status = 'closed';
    st.attendance.is_check_open = false;
    st.attendance.ends_at = null;
    if (st.floor.queue) st.floor.queue = [];
    st.floor.speaker = null;
  },
  'participant.added': (st, p) => {
    if (!st.people) return;
    const known = person(st, p.user_id);
    if (known) {
      known.is_scrutiny = !!p.is_scrutiny;
      return;
    }
    st.people.push({
      user_id: p.user_id, name: p.name, role: p.role || 'guest', is_member: false, is_guest: true,
      is_scrutiny: !!p.is_scrutiny, is_present: false, has_checked_in: false,
    });
  },
  'participant.removed': (st, p) => {
    if (!st.people) return;
    st.people = st.people.filter((x) => x.user_id !== p.user_id);
    if (st.floor.queue) st.floor.queue = st.floor.queue.filter((r) => r.user_id !== p.user_id);
    recount(st);
  },
  'scrutiny.set': (st, p) => {
    const ids = new Set(p.user_ids || []);
    for (const x of st.people || []) if (x.user_id) x.is_scrutiny = ids.has(x.user_id);
  },
  'agenda.item_added': (st, p) => {
    if (st.agenda.some((it) => it.id === p.item_id)) return;
    const at = Math.min(Math.max((p.position || 1) - 1, 0), st.agenda.length);
    st.agenda.splice(at, 0, {
      id: p.item_id, title: p.title, description: p.description || '', position: at + 1, is_amendment: !!p.is_amendment,
    });
    renumber(st);
  },
  'agenda.item_updated': (st, p) => {
    const it = st.agenda.find((x) => x.id === p.item_id);
    if (!it) return;
    it.title = p.title;
    it.description = p.description || '';
  },
  'agenda.item_removed': (st, p) => {
    st.agenda = st.agenda.filter((x) => x.id !== p.item_id);
    renumber(st);
    if (st.current_item === p.item_id) st.current_item = null;
  },
  'agenda.reordered': (st, p) => {
    const byId = new Map(st.agenda.map((it) => [it.id, it]));
    const out = [];
    for (const id of p.order || []) {
      const it = byId.get(id);
      if (it) {
        out.push(it);
        byId.delete(id);
      }
    }
    for (const it of st.agenda) if (byId.has(it.id)) out.push(it);
    st.agenda = out;
    renumber(st);
  },
  'item.current': (st, p) => {
    st.current_item = p.item_id || null;
  },
  'attendance.started': (st, p) => {
    const a = st.attendance;
    a.is_check_open = true;
    a.check_id = p.check_id;
    a.ends_at = p.ends_at;
    a.n_checks = (a.n_checks || 0) + 1;
    for (const x of st.people || []) x.has_checked_in = false;
  },
  'attendance.present': (st, p) => {
    const a = st.attendance;
    const x = person(st, p.user_id);
    if (!a.is_check_open || a.check_id !== p.check_id || !x) return;
    x.has_checked_in = true;
    x.is_present = true;
    recount(st);
  },
  'attendance.ended': (st, p) => {
    const a = st.attendance;
    if (!a.is_check_open || a.check_id !== p.check_id) return;
    a.is_check_open = false;
    a.ends_at = null;
    if (st.people && st.people.some((x) => x.user_id)) {
      const ids = new Set((p.present || []).map((x) => x.user_id));
      for (const x of st.people) {
        if (x.is_member) {
          x.has_checked_in = ids.has(x.user_id);
          x.is_present = x.has_checked_in;
        }
      }
      recount(st);
    } else {
      // The public view knows people by name only: the event lists who is present.
      const names = new Set((p.present || []).filter((x) => x.is_member !== false).map((x) => x.name));
      for (const x of st.people || []) x.is_present = names.has(x.name);
      a.present_count = p.present_count;
      a.has_quorum = p.has_quorum;
    }
    if (typeof p.required === 'number') a.required = p.required;
  },
  'presence.changed': (st, p) => {
    const x = person(st, p.user_id);
    if (!x) return;
    x.is_present = !!p.is_present;
    recount(st);
  },
  'floor.requested': (st, p, ev) => {
    if (!st.floor.queue) return;
    if (st.floor.queue.some((r) => r.request_id === p.request_id)) return;
    const rank = KIND_RANK[p.kind] ?? 2;
    let at = 0;
    while (at < st.floor.queue.length && (KIND_RANK[st.floor.queue[at].kind] ?? 2) <= rank) at++;
    st.floor.queue.splice(at, 0, { request_id: p.request_id, user_id: p.user_id, name: p.name, kind: p.kind, at: ev.ts });
  },
  'floor.withdrawn': (st, p) => {
    if (st.floor.queue) st.floor.queue = st.floor.queue.filter((r) => r.request_id !== p.request_id);
  },
  'floor.granted': (st, p, ev) => {
    const q = st.floor.queue || [];
    const r = q.find((x) => x.request_id === p.request_id);
    if (st.floor.queue) st.floor.queue = q.filter((x) => x.request_id !== p.request_id);
    st.floor.speaker = {
      request_id: p.request_id, user_id: p.user_id, name: p.name, kind: r ? r.kind : 'normal',
      at: r ? r.at : ev.ts, speaking_time_s: p.speaking_time_s, ends_at: p.ends_at,
    };
  },
  'floor.ended': (st, p) => {
    if (st.floor.speaker && st.floor.speaker.request_id === p.request_id) st.floor.speaker = null;
  },
  'chat.message': (st, p, ev) => {
    if (!st.chat) return;
    if (st.chat.some((m) => m.message_id === p.message_id)) return;
    st.chat.push({ message_id: p.message_id, user_id: p.user_id, name: p.name, text: p.text, to: p.to, ts: ev.ts, is_hidden: false });
    if (st.chat.length > 200) st.chat.splice(0, st.chat.length - 200);
  },
  'log.budget_exceeded': (st) => {
    st.is_log_over_budget = true;
  },
  'chat.muted': (st, p) => {
    const x = person(st, p.user_id);
    if (x) x.is_chat_muted = !!p.is_muted;
  },
  'chat.hidden': (st, p, ev, { isStaff }) => {
    if (!st.chat) return;
    const m = st.chat.find((x) => x.message_id === p.message_id);
    if (!m) return;
    if (isStaff) m.is_hidden = true;
    else st.chat = st.chat.filter((x) => x.message_id !== p.message_id);
  },
};

/**
 * Applies one event to st (in place). Events at or below st.seq are skipped
 * (already folded). opts.isStaff: hidden chat messages stay (flagged) for
 * staff and vanish for everyone else. Returns true when st changed seq.
 */
export function applyEvent(st, ev, opts = {}) {
  if (!ev || typeof ev.seq !== 'number' || ev.seq <= st.seq) return false;
  const fn = handlers[ev.type];
  if (fn) fn(st, ev.payload || {}, ev, { isStaff: !!opts.isStaff });
  st.seq = ev.seq;
  st.hash = ev.hash;
  return true;
}

/** The event types the fold knows (the stream's named events to listen to). */
export const EVENT_TYPES = [
  'meeting.created', 'meeting.updated', 'document.added', 'document.removed', ...Object.keys(handlers),
  ...VOTE_EVENT_TYPES, // folded by vote-state.js (meeting-votes.js)
  'audio.started', 'audio.stopped', // not folded: the listen control reacts to them (views/audio-ui.js)
];

/** The person with user_id in st, or null. */
export function findPerson(st, userId) {
  return (st.people || []).find((p) => p.user_id === userId) || null;
}

/** The current agenda item of st, or null. */
export function currentItem(st) {
  return st.current_item ? st.agenda.find((it) => it.id === st.current_item) || null : null;
}
