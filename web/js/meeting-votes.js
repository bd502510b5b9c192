// meeting-votes.js — one meeting's votes, live, for a view: seeded from GET
// /api/meetings/{m}/votes and GET /api/votes/{v}, then kept current by the
// vote.* events of the meeting's stream (a MeetingLive), folded by
// vote-state.js. A vote that opens or closes is read again in full (the
// server's named list, the viewer's own choice); a reconnect reads all
// again. Events that arrive while a read is under way are applied again on
// top of its answer, so a slow answer never rolls the state back.
//
//   const mv = new MeetingVotes(live, { meId, detailAll: isStaff });
//   await mv.load();
//   mv.onChange((vs, ev) => render(vs));
//   mv.start();  ...  mv.close();

import { get } from './api.js';
import {
  createVotes, seedList, seedVote, applyVoteEvent, allVotes, openVote, lastClosed,
} from './vote-state.js';

const RECENT_MAX = 2000;

export class MeetingVotes {
  /** live: a MeetingLive (loaded); meId: the viewer; detailAll: read every vote in full (the console). */
  constructor(live, { meId = null, detailAll = false } = {}) {
    this.live = live;
    this.vs = createVotes({ meId });
    this.detailAll = detailAll;
    this.listeners = new Set();
    this.recent = []; // vote events seen, for re-applying over a slower read
    this.offs = [];
    this.wasOpen = false;
    this.closed = false;
  }

  nameOf = (uid) => {
    const p = (this.live.state?.people || []).find((x) => x.user_id === uid);
    return p ? p.name : '';
  };

  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(ev = null) {
    if (this.closed) return;
    this.markAbsent();
    for (const fn of this.listeners) fn(this.vs, ev);
  }

  /**
   * #20.4 while a vote is open: a row without a ballot whose person the
   * attendance shows as not present is "absent" (not "did not vote"), as the
   * server says at the close. A person the state does not know keeps the
   * server's word. Returns true when a row changed.
   */
  markAbsent() {
    const people = this.live.state?.people || [];
    let changed = false;
    for (const v of this.vs.byId.values()) {
      if (v.status !== 'open' || !Array.isArray(v.named)) continue;
      for (const row of v.named) {
        const p = people.find((x) => (x.user_id ? x.user_id === row.user_id : x.name === row.name));
        if (!p) continue;
        const noBallot = row.choices !== undefined ? row.choices === null : row.choice === null || row.choice === undefined;
        const absent = noBallot && !p.is_present;
        if (!!row.absent !== absent) {
          row.absent = absent;
          changed = true;
        }
      }
    }
    return changed;
  }

  lastSeq() {
    return this.recent.length ? this.recent[this.recent.length - 1].seq : 0;
  }

  /** Applies the events after seq again (after a seed from a read that started at seq). */
  replaySince(seq) {
    for (const ev of this.recent) if (ev.seq > seq) applyVoteEvent(this.vs, ev, { nameOf: this.nameOf });
  }

  /** Reads one vote in full; resolves to the vote record or null. */
  async refreshVote(id) {
    const since = this.lastSeq();
    try {
      const j = await get(`/api/votes/${encodeURIComponent(id)}`);
      const v = seedVote(this.vs, j);
      this.replaySince(since);
      this.notify(null);
      return v;
    } catch {
      return null; // the stream keeps the state; a reconnect reads again
    }
  }

  /** Reads the list, then in full: every vote (detailAll) or the open ones and the latest result. */
  async load() {
    const since = this.lastSeq();
    const list = await get(`/api/meetings/${encodeURIComponent(this.live.id)}/votes`);
    seedList(this.vs, list.votes);
    this.replaySince(since);
    const all = allVotes(this.vs);
    let wanted;
    if (this.detailAll) wanted = all;
    else {
      const latest = lastClosed(this.vs);
      wanted = all.filter((v) => v.status === 'open' || v.status === 'counting' || v.status === 'confirming' || v === latest);
    }
    await Promise.all(wanted.map((v) => this.refreshVote(v.id)));
    this.notify(null);
    return this.vs;
  }

  /** Takes a vote from an action's answer (the console). */
  adopt(j) {
    if (!j || typeof j.id !== 'string') return;
    seedVote(this.vs, j);
    this.replaySince(0);
    this.notify(null);
  }

  start() {
    // Attendance moves while a vote is open: the named list follows it.
    this.offs.push(this.live.onChange(() => {
      if (this.markAbsent()) this.notify(null);
    }));
    this.offs.push(this.live.onEvent((ev) => {
      if (!ev.type.startsWith('vote.')) return;
      this.recent.push(ev);
      if (this.recent.length > RECENT_MAX) this.recent.splice(0, this.recent.length - RECENT_MAX);
      if (!applyVoteEvent(this.vs, ev, { nameOf: this.nameOf })) return;
      this.notify(ev);
      // The whole picture of a vote that changes state: the server's named list, my own choice.
      if (ev.type === 'vote.opened' || ev.type === 'vote.closed' || ev.type === 'vote.counting' || ev.type === 'vote.confirming' || (ev.type === 'vote.created' && this.detailAll)) {
        this.refreshVote(ev.payload.vote_id);
      }
    }));
    // After a gap in the stream, read everything again.
    this.offs.push(this.live.onState((s) => {
      if (s === 'open' && this.wasOpen === 'dropped') this.load().catch(() => {});
      if (s === 'open') this.wasOpen = true;
      else if (this.wasOpen) this.wasOpen = 'dropped';
    }));
    return this;
  }

  openVote() {
    return openVote(this.vs);
  }

  close() {
    this.closed = true;
    for (const off of this.offs) off();
    this.offs = [];
    this.listeners.clear();
  }
}
