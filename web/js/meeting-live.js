// meeting-live.js — one meeting's live state for a view: the snapshot of GET
// /api/meetings/{id}/state, then its event stream from the snapshot's seq
// (EventSource; a dropped connection resumes from the last seq seen, so no
// event is lost), each event folded in by meeting-state.js. Views subscribe
// and re-render from the state; the connection state feeds an indicator.
//
//   const ml = new MeetingLive(id, { isStaff });
//   await ml.load();                    // throws ApiError like api.get
//   ml.onChange((st, ev) => render(st)); ml.onState((s) => indicator(s));
//   ml.start();  ...  ml.close();

import { get } from './api.js';
import { LiveStream } from './live.js';
import { applyEvent, EVENT_TYPES } from './meeting-state.js';

export class MeetingLive {
  /** id: meeting id; isStaff: keep hidden chat messages; isPublic: refresh counts the public stream lacks. */
  constructor(id, { isStaff = false, isPublic = false } = {}) {
    this.id = id;
    this.isStaff = isStaff;
    this.isPublic = isPublic;
    this.state = null;
    this.clockOffset = 0; // server time − local time, ms
    this.stream = null;
    this.listeners = new Set();
    this.eventListeners = new Set();
    this.refreshTimer = null;
    this.pollTimer = null;
  }

  path(suffix = '') {
    return `/api/meetings/${encodeURIComponent(this.id)}${suffix}`;
  }

  /** Fetches the snapshot (and estimates the server's clock from its Date header). */
  async load() {
    const t0 = Date.now();
    const st = await get(this.path('/state'));
    this.state = st;
    this.estimateClock(t0);
    return st;
  }

  async estimateClock(t0) {
    try {
      const res = await fetch('/healthz', { cache: 'no-store', credentials: 'same-origin' });
      const t1 = Date.now();
      const date = Date.parse(res.headers.get('Date') || '');
      if (Number.isFinite(date)) {
        const off = date + 500 - (t0 + t1) / 2;
        // The header has 1 s resolution: correct only clear skews.
        this.clockOffset = Math.abs(off) > 1500 ? off : 0;
      }
    } catch {
      /* keep the local clock */
    }
  }

  /** The server's idea of now (ms). */
  now() {
    return Date.now() + this.clockOffset;
  }

  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** fn(event) after each applied event (for sounds, announcements). */
  onEvent(fn) {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  onState(fn) {
    return this.stream ? this.stream.onState(fn) : () => {};
  }

  notify(ev = null) {
    for (const fn of this.listeners) fn(this.state, ev);
    if (ev) for (const fn of this.eventListeners) fn(ev, this.state);
  }

  /** Opens the stream after the snapshot's seq. */
  start() {
    this.stream = new LiveStream(this.path('/events'), { since: this.state.seq });
    for (const type of EVENT_TYPES) this.stream.on(type, (ev) => this.apply(ev));
    this.stream.onState((s) => {
      // Back after a gap in a public view: the counts may have moved unseen.
      if (s === 'open' && this.isPublic) this.scheduleRefresh();
    });
    this.stream.start();
    if (this.isPublic) this.pollTimer = setInterval(() => this.refresh(), 30000);
    return this;
  }

  apply(ev) {
    if (!this.state) return;
    if (applyEvent(this.state, ev, { isStaff: this.isStaff })) {
      this.notify(ev);
      // A public viewer does not see who pressed "present" or left: ask for the counts.
      if (this.isPublic && /^(attendance|meeting)\./.test(ev.type)) this.scheduleRefresh();
    }
  }

  scheduleRefresh() {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 300);
  }

  /** Re-reads the snapshot; keeps it only when it is not older than what we have. */
  async refresh() {
    try {
      const st = await get(this.path('/state'));
      if (this.state && st.seq < this.state.seq) return;
      this.state = st;
      if (this.stream && (this.stream.lastSeq === null || this.stream.lastSeq < st.seq)) this.stream.lastSeq = st.seq;
      this.notify(null);
    } catch {
      /* the stream will tell */
    }
  }

  /** Takes a fresher snapshot (the answer of an action); ignored when older than ours. */
  adopt(st) {
    if (!st || typeof st.seq !== 'number' || !st.attendance || (this.state && st.seq < this.state.seq)) return;
    this.state = st;
    if (this.stream && (this.stream.lastSeq === null || this.stream.lastSeq < st.seq)) this.stream.lastSeq = st.seq;
    this.notify(null);
  }

  /** Adds a chat message the stream will not bring back (one's own private line). */
  addOwnMessage(msg) {
    if (!this.state || !this.state.chat || this.state.chat.some((m) => m.message_id === msg.message_id)) return;
    this.state.chat.push(msg);
    this.notify(null);
  }

  close() {
    clearTimeout(this.refreshTimer);
    clearInterval(this.pollTimer);
    if (this.stream) this.stream.close();
    this.listeners.clear();
    this.eventListeners.clear();
  }
}
