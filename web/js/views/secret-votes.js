// views/secret-votes.js — a meeting's SECRET votes on the member view, the
// projector and the public view: live count while open (the member gets
// the encrypting ballot of vote-secret.js), "counting" while the scrutiny
// committee decrypts, then the result with the links to check the board.
// A committee member also gets the link to the trustee page while the key
// ceremony or the decryption waits for them. Seeded from GET
// /api/meetings/{m}/votes and GET /api/votes/{v}; kept current by the vote.*
// events of the meeting's stream (each change reads the vote again).
//
//   const sv = secretVotesSection(live, { mode: 'member', meId });   // after live.start()
//   outlet.append(sv.el);  await sv.load();  ...  sv.close();

import { h } from '../dom.js';
import { get } from '../api.js';
import { getLang } from '../i18n.js';
import { countdown } from './meeting-ui.js';
import { secretVotePanel } from '../vote-secret.js';
import { secretResultBlock } from '../secret-result.js';
import { primeElection } from '../secret-election.js';

const EVENTS = ['vote.created', 'vote.opened', 'vote.ballot', 'vote.extended', 'vote.closed', 'vote.counting',
  'vote.trustee_key', 'vote.trustee_shares', 'vote.trustees_ready'];

const inLang = (pair) => (pair && typeof pair === 'object' ? pair[getLang()] || pair.pl || pair.en || '' : '');

/** Is meId a committee trustee of vote v? */
export function isTrusteeOf(v, meId) {
  return !!(meId && v.trustees && v.trustees.mode === 'committee' && (v.trustees.members || []).some((m) => m.user_id === meId));
}

export const trusteeHref = (voteId) => `/votes/${encodeURIComponent(voteId)}/trustee`;

export function secretVotesSection(live, { mode = 'member', meId = null, headingLevel = 2 } = {}) {
  const votes = new Map(); // id -> vote JSON
  const boxes = new Map(); // id -> {el, panel}
  const timers = new Map();
  const offs = [];
  const big = mode === 'projector';
  const list = h('div', { class: 'secret-votes-list' });
  const el = h('section', {
    class: big ? 'proj-panel secret-votes' : 'panel secret-votes', 'aria-labelledby': `sv-h-${mode}`, hidden: true, dataset: { region: 'secret-votes' },
  }, h(`h${headingLevel}`, { id: `sv-h-${mode}`, i18n: 'secret.sectionHeading' }), list);

  const now = () => live.now();

  function visible(v) {
    if (v.kind !== 'secret') return false;
    if (v.status !== 'draft') return true;
    return mode === 'member' && isTrusteeOf(v, meId);
  }

  function trusteeLink(v) {
    if (mode !== 'member' || !isTrusteeOf(v, meId)) return null;
    const mine = v.trustees.members.find((m) => m.user_id === meId);
    let key = null;
    if (v.status === 'draft' && !(mine.has_key && mine.has_shares)) key = 'secret.trustee.ceremonyCall';
    else if (v.status === 'counting') key = 'secret.trustee.decryptCall';
    if (!key) return null;
    return h('p', { class: 'secret-trustee-call' },
      h('a', { class: 'btn btn-primary', href: trusteeHref(v.id), dataset: { link: 'trustee' }, i18n: key }));
  }

  function head(v) {
    const lvl = Math.min(headingLevel + 1, 6);
    const out = [h(`h${lvl}`, { class: 'vote-title' }, h('span', { class: 'badge badge-secret', i18n: 'secret.badge' }), ' ', v.title)];
    if (v.motion && !big) out.push(h('p', { class: 'vote-motion' }, v.motion));
    if (v.rule_text && !big) out.push(h('p', { class: 'vote-rule muted' }, inLang(v.rule_text)));
    if (v.status === 'open') {
      const cast = v.live ? v.live.cast : 0;
      const eligible = v.live ? v.live.eligible : v.eligible_count;
      out.push(h('p', { class: big ? 'secret-live secret-live-big' : 'secret-live', dataset: { secretLive: `${cast}/${eligible}` } },
        h('span', { i18n: 'secret.liveCount', i18nParams: { cast, eligible } }),
        v.deadline ? [' · ', h('span', { i18n: 'secret.timeLeft' }), ' ', countdown(v.deadline, now)] : null));
    }
    return out;
  }

  function renderBox(v) {
    let box = boxes.get(v.id);
    if (!box) {
      box = { el: h('article', { class: 'secret-vote-box', dataset: { secretVoteBox: v.id } }), headEl: h('div'), extra: h('div'), panel: null };
      box.el.append(box.headEl, box.extra);
      boxes.set(v.id, box);
    }
    box.headEl.replaceChildren(...head(v));
    if (mode === 'member' && v.status !== 'draft' && (v.status === 'open' || box.panel)) {
      if (!box.panel) {
        box.panel = secretVotePanel(v, { headingLevel: Math.min(headingLevel + 2, 6) });
        box.el.insertBefore(box.panel, box.extra);
      } else box.panel.update(v);
    }
    box.extra.replaceChildren(...[trusteeLink(v), secretResultBlock(v, { big, headingLevel: Math.min(headingLevel + 2, 6) })].filter(Boolean));
    return box.el;
  }

  function render() {
    const shown = [...votes.values()].filter(visible);
    // Open and counting votes first; of the closed, the latest.
    const active = shown.filter((v) => v.status !== 'closed');
    const closed = shown.filter((v) => v.status === 'closed').sort((a, b) => (b.closed_at || 0) - (a.closed_at || 0));
    const pick = [...active, ...closed.slice(0, active.length ? 1 : 2)];
    list.replaceChildren(...pick.map(renderBox));
    el.hidden = pick.length === 0;
  }

  async function refresh(id) {
    try {
      const v = await get(`/api/votes/${encodeURIComponent(id)}`);
      votes.set(v.id, v);
      render();
    } catch {
      /* the next event or a reconnect reads again */
    }
  }

  function later(id, ms = 150) {
    clearTimeout(timers.get(id));
    timers.set(id, setTimeout(() => refresh(id), ms));
  }

  function onEvent(ev) {
    const p = ev.payload || {};
    const id = p.vote_id;
    if (!id) return;
    if (ev.type === 'vote.opened' && p.election) primeElection(id, p.election);
    if (ev.type === 'vote.created') {
      if (p.kind === 'secret') later(id);
      return;
    }
    const v = votes.get(id);
    if (!v) {
      if (p.kind === 'secret' || ev.type.startsWith('vote.trustee') || ev.type === 'vote.counting') later(id);
      return;
    }
    if (ev.type === 'vote.ballot') {
      // The count travels in the event; nothing else changes.
      v.live = { cast: p.cast, eligible: p.eligible };
      if (p.user_id && p.user_id === meId) v.has_voted = true;
      render();
      return;
    }
    later(id);
  }

  return {
    el,
    async load() {
      const r = await get(`/api/meetings/${encodeURIComponent(live.id)}/votes`);
      const secret = (r.votes || []).filter((v) => v.kind === 'secret');
      await Promise.all(secret.map((v) => refresh(v.id)));
      render();
    },
    /** Listens to the meeting stream (call after live.start()). */
    start() {
      for (const type of EVENTS) offs.push(live.stream.on(type, onEvent));
      let seen = 'never';
      offs.push(live.onState((s) => {
        if (s === 'open' && seen === 'dropped') this.load().catch(() => {});
        if (s === 'open') seen = 'open';
        else if (seen === 'open') seen = 'dropped';
      }));
      return this;
    },
    close() {
      for (const off of offs) off();
      for (const t of timers.values()) clearTimeout(t);
      for (const b of boxes.values()) b.panel?.close();
    },
  };
}
