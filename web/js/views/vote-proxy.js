// views/vote-proxy.js — the proxy holder's second ballot on the member's
// vote screen: for each member whose proxy (pełnomocnictwo) the viewer holds
// at this meeting, buttons "for B" under the viewer's own. The ballot goes
// to /api/votes/{id}/proxy-ballots through its own BallotBox (same retries
// and ids) and is counted as B's. Said plainly instead of buttons: B is
// present and votes themself, the viewer is not present, or the vote is
// secret (proxies are refused there; docs/api.md "Proxies").

import { h } from '../dom.js';
import { setI18n, t } from '../i18n.js';
import { get } from '../api.js';
import { findPerson } from '../meeting-state.js';
import { BallotBox } from '../ballot.js';
import { CHOICES } from './vote-ui.js';

const keyOf = (voteId, grantorId) => `${voteId}|${grantorId}`;

/**
 * live: the MeetingLive (live.id is the meeting); meId: the viewer.
 * Returns {el, update(v), refresh(), close()}; update(v) with the current vote.
 */
export function proxyBallots({ live, meId }) {
  let proxies = []; // [{grantor_id, grantor_name}] held by the viewer at this meeting
  let vote = null;
  const el = h('div', { class: 'proxy-ballots', dataset: { region: 'proxy-ballots' } });
  const box = new BallotBox({
    storeKey: 'obrady.pendingProxyBallots',
    target: (key) => {
      const [voteId, grantorId] = key.split('|');
      return { url: `/api/votes/${encodeURIComponent(voteId)}/proxy-ballots`, extra: { for: grantorId } };
    },
    onChange: () => render(),
  });

  async function refresh() {
    try {
      const r = await get(`/api/meetings/${encodeURIComponent(live.id)}/proxies`);
      proxies = (r.proxies || []).filter((p) => p.holder_id === meId);
    } catch {
      proxies = []; // the viewer's own ballot is unaffected
    }
    render();
  }

  /** B's counted choice in v: what this page had confirmed, else the named list. */
  function counted(v, grantorId) {
    const s = box.status(keyOf(v.id, grantorId));
    if (s && s.phase === 'confirmed') return s.choice;
    const row = (v.named || []).find((n) => n.user_id === grantorId);
    return row ? row.choice : undefined;
  }

  function one(v, p) {
    const name = p.grantor_name;
    const heading = h('h4', { i18n: 'proxy.forHeading', i18nParams: { name } });
    const grantor = findPerson(live.state, p.grantor_id);
    const me = findPerson(live.state, meId);
    const note = (key) => h('p', { class: 'notice', dataset: { proxyBlocked: key } }, setI18n(h('span'), `proxy.${key}`, { name }));
    if (v.kind === 'secret') return [heading, note('secret')];
    if (Array.isArray(v.eligible) && !v.eligible.includes(p.grantor_id)) return [heading, note('notEligible')];
    if (grantor && grantor.is_present) return [heading, note('grantorPresent')];
    if (!me || !me.is_present) return [heading, note('holderAbsent')];
    const key = keyOf(v.id, p.grantor_id);
    const s = box.status(key);
    const out = [heading];
    const status = h('p', { class: 'ballot-status', role: 'status', dataset: { proxyStatus: p.grantor_id } });
    const mine = counted(v, p.grantor_id);
    if (s && (s.phase === 'sending' || s.phase === 'retrying')) setI18n(status, 'vote.sending', { choice: t(`vote.choiceUpper.${s.choice}`) });
    else if (mine) setI18n(status, 'proxy.confirmed', { name, choice: t(`vote.choiceUpper.${mine}`) });
    out.push(status);
    if (s && s.phase === 'refused') {
      out.push(h('p', { class: 'ballot-refused', role: 'alert' }, setI18n(h('span'), 'vote.refused', { reason: s.error && s.error.message ? s.error.message : s.error?.code || '' })));
    }
    if (v.method === 'election') return [...out, note('electionHere')];
    if ((mine && !v.allow_change) || (s && (s.phase === 'sending' || s.phase === 'retrying'))) return out;
    out.push(h('div', { class: 'ballot-buttons', role: 'group', 'aria-label': t('proxy.forHeading', { name }), dataset: { proxyBallot: p.grantor_id } },
      CHOICES.map((c) => {
        const b = h('button', {
          type: 'button',
          class: `btn btn-huge btn-choice btn-choice-${c}`,
          'aria-pressed': v.allow_change ? String(mine === c) : null,
          dataset: { choice: c, focusKey: `proxy-${p.grantor_id}-${c}` },
        });
        setI18n(b, 'proxy.choiceFor', { choice: t(`vote.choice.${c}`), name });
        b.addEventListener('click', () => {
          if (v.allow_change && mine === c) return;
          box.cast(key, { choice: c });
        });
        return b;
      })));
    return out;
  }

  function render() {
    const v = vote;
    if (!v || v.status !== 'open' || !proxies.length) {
      el.replaceChildren();
      return;
    }
    const active = document.activeElement;
    const focusKey = active && el.contains(active) ? active.dataset.focusKey : null;
    el.replaceChildren(...proxies.map((p) => h('section', { class: 'proxy-ballot', dataset: { proxyFor: p.grantor_id } }, one(v, p))));
    if (focusKey) el.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`)?.focus();
  }

  const offEvent = live.onEvent((ev) => {
    if (ev.type === 'vote.opened') refresh(); // a proxy registered meanwhile shows up at the next vote
  });
  refresh();
  box.resume();
  return {
    el,
    refresh,
    update(v) {
      vote = v;
      render();
    },
    close() {
      offEvent();
      box.close();
    },
  };
}
