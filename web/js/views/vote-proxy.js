// views/vote-proxy.js — the proxy holder's second ballot on the member's
// vote screen: for each member whose proxy (pełnomocnictwo) the viewer holds
// at this meeting, buttons "for B" (elections: candidates to tick) under the
// viewer's own. The ballot goes
// to /api/votes/{id}/proxy-ballots through its own BallotBox (same retries
// and ids) and is counted as B's. Said plainly instead of buttons: B is
// present and votes themself, B voted in person before leaving, the viewer
// is not present, or the vote is secret (docs/api.md "Proxies").

import { h } from '../dom.js';
import { setI18n, t } from '../i18n.js';
import { get } from '../api.js';
import { findPerson } from '../meeting-state.js';
import { BallotBox } from '../ballot.js';
import { CHOICES } from './vote-ui.js';
import { uid } from '../ui.js';

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
    if (s && s.phase === 'confirmed') return Array.isArray(s.choices) ? s.choices : s.choice;
    const row = (v.named || []).find((n) => n.user_id === grantorId);
    if (!row) return undefined;
    return v.method === 'election' ? row.choices ?? undefined : row.choice;
  }

  /** The words for B's choice: "PRZECIW", or the candidates' names, or "blank". */
  function words(v, c) {
    if (!Array.isArray(c)) return t(`vote.choiceUpper.${c}`);
    if (!c.length) return t('vote.blankWords');
    const name = (x) => (typeof x === 'string' ? x : x && x.name) || '';
    return c.map((i) => (v.candidates && v.candidates[i] !== undefined ? name(v.candidates[i]) : `#${i + 1}`)).join(', ');
  }

  /** An election ballot for B: candidates to tick (at most seats), then cast. */
  function electionForm(v, p, key) {
    const seats = v.seats || 1;
    const boxes = [];
    const counter = h('p', { class: 'election-counter', 'aria-live': 'polite' });
    const sync = () => {
      const n = boxes.filter((x) => x.checked).length;
      for (const x of boxes) x.disabled = !x.checked && n >= seats;
      setI18n(counter, 'vote.chosenOf', { chosen: n, count: seats });
    };
    const list = h('ul', { class: 'candidates' }, (v.candidates || []).map((c, i) => {
      const id = uid(`proxy-cand-${i}`);
      const input = h('input', { type: 'checkbox', id, name: 'candidate', value: String(i) });
      input.addEventListener('change', sync);
      boxes.push(input);
      return h('li', { class: 'candidate' }, input, h('label', { for: id }, typeof c === 'string' ? c : c.name));
    }));
    const form = h('form', { class: 'election-ballot', novalidate: true, dataset: { proxyBallot: p.grantor_id } },
      h('fieldset', {}, h('legend', { i18n: 'vote.chooseUpTo', i18nParams: { count: seats } }), list, counter,
        h('p', { class: 'field-hint', i18n: 'vote.blankHint' })),
      h('button', { type: 'submit', class: 'btn btn-primary btn-huge', dataset: { focusKey: `proxy-${p.grantor_id}-cast` }, i18n: 'proxy.castElection', i18nParams: { name: p.grantor_name } }));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      box.cast(key, { choices: boxes.filter((x) => x.checked).map((x) => Number(x.value)) });
    });
    sync();
    return form;
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
    // B voted in person and left: B's own ballot stands (the server refuses a proxy ballot).
    const row = (v.named || []).find((n) => n.user_id === p.grantor_id);
    const hasBallot = row && (v.method === 'election' ? row.choices !== null && row.choices !== undefined : !!row.choice);
    if (hasBallot && !row.by_proxy) return [heading, note('grantorVoted')];
    const key = keyOf(v.id, p.grantor_id);
    const s = box.status(key);
    const out = [heading];
    const status = h('p', { class: 'ballot-status', role: 'status', dataset: { proxyStatus: p.grantor_id } });
    const mine = counted(v, p.grantor_id);
    const pending = s && (s.phase === 'sending' || s.phase === 'retrying');
    const voted = mine !== undefined && mine !== null;
    if (pending) setI18n(status, 'vote.sending', { choice: words(v, Array.isArray(s.choices) ? s.choices : s.choice) });
    else if (voted) setI18n(status, 'proxy.confirmed', { name, choice: words(v, mine) });
    out.push(status);
    if (s && s.phase === 'refused') {
      out.push(h('p', { class: 'ballot-refused', role: 'alert' }, setI18n(h('span'), 'vote.refused', { reason: s.error && s.error.message ? s.error.message : s.error?.code || '' })));
    }
    if ((voted && !v.allow_change) || pending) return out;
    if (v.method === 'election') return [...out, electionForm(v, p, key)];
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
