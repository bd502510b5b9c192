// views/secret-votes.js — on the member view, a scrutiny-committee member's
// calls to act as a trustee of a SECRET vote (committee mode): prepare the
// key while the vote is a draft, decrypt once it is being counted. Each
// links to the trustee page (vote-trustee.js). Seeded from GET
// /api/meetings/{m}/votes, GET /api/votes/{v} and GET /api/votes/{v}/trustees
// (which says whether the viewer is one), kept current by the vote.* events
// of the meeting's stream.
// The ballot and the result themselves are in vote-member.js.
//
//   const tc = trusteeCalls(live, { meId });   // after live.start()
//   outlet.append(tc.el);  tc.load();  ...  tc.close();

import { h } from '../dom.js';
import { get } from '../api.js';

const EVENTS = ['vote.created', 'vote.opened', 'vote.closed', 'vote.counting', 'vote.trustee_key', 'vote.trustee_shares', 'vote.trustees_ready'];


export const trusteeHref = (voteId) => `/votes/${encodeURIComponent(voteId)}/trustee`;

/** The call for v (with tr: its GET /trustees), or null when the viewer has nothing to do now. */
function call(v, tr) {
  if (!tr || tr.mode !== 'committee' || !tr.my_index) return null;
  const mine = tr.members.find((m) => m.index === tr.my_index);
  let key = null;
  if (v.status === 'draft' && !(mine && mine.member && mine.shares_sent > 0)) key = 'secret.trustee.ceremonyCall';
  else if (v.status === 'counting') key = 'secret.trustee.decryptCall';
  if (!key) return null;
  return h('li', { dataset: { voteId: v.id } }, h('p', {}, v.title), h('a', { class: 'btn btn-primary', href: trusteeHref(v.id), dataset: { link: 'trustee' }, i18n: key }));
}

export function trusteeCalls(live) {
  const votes = new Map();
  const timers = new Map();
  const offs = [];
  const list = h('ul', { class: 'trustee-calls' });
  const el = h('section', { class: 'panel panel-trustee', 'aria-labelledby': 'tc-h', hidden: true, dataset: { region: 'trustee-calls' } },
    h('h2', { id: 'tc-h', i18n: 'secret.trustee.heading' }), list);

  function render() {
    const items = [...votes.values()].map(({ v, tr }) => call(v, tr)).filter(Boolean);
    list.replaceChildren(...items);
    el.hidden = items.length === 0;
  }

  async function refresh(id) {
    try {
      const v = await get(`/api/votes/${encodeURIComponent(id)}`);
      if (v.kind !== 'secret') return;
      const tr = v.status === 'draft' || v.status === 'counting' ? await get(`/api/votes/${encodeURIComponent(id)}/trustees`) : null;
      votes.set(v.id, { v, tr });
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
