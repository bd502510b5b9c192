// views/secret-votes.js — on the member view, a scrutiny-committee member's
// calls to act as a trustee of a SECRET vote (committee mode): prepare the
// key while the vote is a draft, decrypt once it is being counted. Each
// links to the trustee page (vote-trustee.js). Seeded from GET
// /api/meetings/{m}/votes and GET /api/votes/{v} (only the full vote names
// the trustees), kept current by the vote.* events of the meeting's stream.
// The ballot and the result themselves are in vote-member.js.
//
//   const tc = trusteeCalls(live, { meId });   // after live.start()
//   outlet.append(tc.el);  tc.load();  ...  tc.close();

import { h } from '../dom.js';
import { get } from '../api.js';

const EVENTS = ['vote.created', 'vote.opened', 'vote.closed', 'vote.counting', 'vote.trustee_key', 'vote.trustee_shares', 'vote.trustees_ready'];

/** Is meId a committee trustee of vote v? */
export function isTrusteeOf(v, meId) {
  return !!(meId && v.trustees && v.trustees.mode === 'committee' && (v.trustees.members || []).some((m) => m.user_id === meId));
}

export const trusteeHref = (voteId) => `/votes/${encodeURIComponent(voteId)}/trustee`;

/** The call for v, or null when the trustee has nothing to do now. */
function call(v, meId) {
  if (!isTrusteeOf(v, meId)) return null;
  const mine = v.trustees.members.find((m) => m.user_id === meId);
  let key = null;
  if (v.status === 'draft' && !(mine.has_key && mine.has_shares)) key = 'secret.trustee.ceremonyCall';
  else if (v.status === 'counting') key = 'secret.trustee.decryptCall';
  if (!key) return null;
  return h('li', { dataset: { voteId: v.id } }, h('p', {}, v.title), h('a', { class: 'btn btn-primary', href: trusteeHref(v.id), dataset: { link: 'trustee' }, i18n: key }));
}

export function trusteeCalls(live, { meId }) {
  const votes = new Map();
  const timers = new Map();
  const offs = [];
  const list = h('ul', { class: 'trustee-calls' });
  const el = h('section', { class: 'panel panel-trustee', 'aria-labelledby': 'tc-h', hidden: true, dataset: { region: 'trustee-calls' } },
    h('h2', { id: 'tc-h', i18n: 'secret.trustee.heading' }), list);

  function render() {
    const items = [...votes.values()].map((v) => call(v, meId)).filter(Boolean);
    list.replaceChildren(...items);
    el.hidden = items.length === 0;
  }

  async function refresh(id) {
    try {
      const v = await get(`/api/votes/${encodeURIComponent(id)}`);
      if (v.kind === 'secret') votes.set(v.id, v);
      render();
    } catch {
      /* the next event or a reconnect reads again */
    }
  }

  function later(id) {
    clearTimeout(timers.get(id));
    timers.set(id, setTimeout(() => refresh(id), 200));
  }

  return {
    el,
    async load() {
      const r = await get(`/api/meetings/${encodeURIComponent(live.id)}/votes`);
      await Promise.all((r.votes || []).filter((v) => v.kind === 'secret' && v.status !== 'closed').map((v) => refresh(v.id)));
      render();
    },
    /** Listens to the meeting stream (call after live.start()). */
    start() {
      const onEvent = (ev) => {
        const p = ev.payload || {};
        if (!p.vote_id) return;
        if (votes.has(p.vote_id) || p.kind === 'secret' || ev.type === 'vote.counting') later(p.vote_id);
      };
      for (const type of EVENTS) offs.push(live.stream.on(type, onEvent));
      return this;
    },
    close() {
      for (const off of offs) off();
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
