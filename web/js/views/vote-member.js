// views/vote-member.js — the vote on a member's screen (phone first). When
// a vote opens its buttons appear by themselves (Za / Przeciw / Wstrzymuję
// się; elections: candidates to tick, at most `seats`), with the motion and
// the documents of its agenda item next to them, the countdown and the
// live count. The ballot goes through ballot.js (retried with the same id
// over a weak link) and its fate is said plainly: recorded (with the
// choice) or NOT counted (with the reason). Who may not vote sees why.

import { h } from '../dom.js';
import { t, setI18n, getLang } from '../i18n.js';
import { findPerson } from '../meeting-state.js';
import { allVotes, currentVote, isEligible, myChoice } from '../vote-state.js';
import { BallotBox } from '../ballot.js';
import { region, documentsOf, documentList, confirmAction } from './meeting-ui.js';
import { CHOICES, voteHead, liveBlock, resultBlock, namedList, voteStatusBadge } from './vote-ui.js';
import { secretExtras } from '../secret-result.js';
import { lazySecretPanel, primeElectionSoon, prefetchSecretSoon } from '../secret-lazy.js';
import { confirmBlock } from './vote-confirm.js';
import { proxyBallots } from './vote-proxy.js';

/** The words for a choice in a confirmation: "ZA", or the candidates' names, or "blank". */
function choiceWords(v, s) {
  if (Array.isArray(s.choices)) {
    if (!s.choices.length) return t('vote.blankWords');
    return s.choices.map((i) => (v && v.candidates ? v.candidates[i] : `#${i + 1}`)).join(', ');
  }
  return s.choice ? t(`vote.choiceUpper.${s.choice}`) : '';
}

/**
 * The vote panel of the member view. live: the MeetingLive; mv: the
 * MeetingVotes; getDetails(): the meeting's details (documents);
 * canAct: the viewer takes part. Returns {el, update()} and closes with close().
 */
export function memberVotePanel({ live, mv, meId, getDetails, canAct, now }) {
  const statusLine = h('p', { class: 'ballot-status', role: 'status', 'aria-live': 'polite', dataset: { ballotStatus: '' } });
  const alertLine = h('p', { class: 'ballot-refused', role: 'alert', dataset: { ballotRefused: '' } });
  const fill = (el, key, params, state) => {
    if (!key) {
      el.replaceChildren();
      el.removeAttribute('data-i18n');
      el.dataset.state = '';
      return;
    }
    const next = JSON.stringify([key, params]);
    if (el.dataset.last === next) return;
    el.dataset.last = next;
    setI18n(el, key, params);
    el.dataset.state = state;
  };

  const box = new BallotBox({ onChange: () => update() });
  const proxyPanel = proxyBallots({ live, meId }); // ballots for members the viewer represents
  const secretPanels = new Map(); // vote id -> the secret ballot (vote-secret.js), kept across renders
  // A secret vote's election travels in vote.opened: no need to fetch the board for it.
  const offOpened = live.onEvent((ev) => {
    if (ev.type === 'vote.opened' && ev.payload && ev.payload.election) primeElectionSoon(ev.payload.vote_id, ev.payload.election);
  });

  /** The encrypting ballot of secret vote v (made once; told of each change). */
  function secretPanel(v) {
    let p = secretPanels.get(v.id);
    if (!p) {
      p = lazySecretPanel(v, { headingLevel: 3 });
      secretPanels.set(v.id, p);
    } else p.update(v);
    return p;
  }

  const vote = () => currentVote(mv.vs);
  const me = () => findPerson(live.state, meId);

  /** Why the viewer cannot vote in v now, as an i18n key, or null. */
  function blocker(v) {
    if (!canAct || isEligible(v, meId) === false) return 'vote.notEligible';
    const p = me();
    if (!p || !p.is_present) return 'vote.notPresent';
    return null;
  }

  const headR = region('div', { dataset: { region: 'vote-head' } }, () => {
    const v = vote();
    return v ? [v.id, v.number, v.status, v.title, v.motion, v.rule_text, v.item_id, getDetails().agenda, v.repeat_reason, getLang()] : [null];
  }, () => {
    const v = vote();
    if (!v) return h('p', { class: 'muted', dataset: { noVote: '' }, i18n: 'vote.noneOpen' });
    const docs = v.item_id ? documentsOf(getDetails(), v.item_id) : [];
    return [
      h('p', { class: 'vote-state-line' }, voteStatusBadge(v)),
      voteHead(v, { level: 3 }),
      docs.length ? h('div', { class: 'vote-docs' }, h('h4', { i18n: 'vote.documents' }), documentList(docs)) : null,
    ];
  });

  const liveR = region('div', { dataset: { region: 'vote-live' } }, () => {
    const v = vote();
    return v && v.status === 'open' ? [v.id, v.live, v.deadline] : [null];
  }, () => {
    const v = vote();
    return v && v.status === 'open' ? liveBlock(v, { now }) : null;
  });

  function choiceButtons(v, mine) {
    const group = h('div', { class: 'ballot-buttons', role: 'group', i18nAttr: 'aria-label:vote.yourVote', dataset: { ballot: v.id } },
      CHOICES.map((c) => {
        const b = h('button', {
          type: 'button',
          class: `btn btn-huge btn-choice btn-choice-${c}`,
          'aria-pressed': v.allow_change ? String(mine === c) : null,
          dataset: { choice: c, focusKey: `choice-${c}` },
          i18n: `vote.choice.${c}`,
        });
        b.addEventListener('click', () => {
          if (v.allow_change && mine === c) return;
          box.cast(v.id, { choice: c });
        });
        return b;
      }));
    return group;
  }

  function electionForm(v, mine) {
    const seats = v.seats || 1;
    const chosen = new Set(Array.isArray(mine) ? mine : []);
    const counter = h('p', { class: 'election-counter', 'aria-live': 'polite' });
    const boxes = [];
    const sync = () => {
      const n = boxes.filter((x) => x.checked).length;
      for (const x of boxes) x.disabled = !x.checked && n >= seats;
      setI18n(counter, 'vote.chosenOf', { chosen: n, count: seats });
    };
    const list = h('ul', { class: 'candidates' }, (v.candidates || []).map((name, i) => {
      const id = `cand-${v.id}-${i}`;
      const input = h('input', { type: 'checkbox', id, name: 'candidate', value: String(i), dataset: { candidate: String(i) } });
      input.checked = chosen.has(i);
      input.addEventListener('change', sync);
      boxes.push(input);
      return h('li', { class: 'candidate' }, input, h('label', { for: id }, typeof name === 'string' ? name : name.name));
    }));
    const castBtn = h('button', { type: 'submit', class: 'btn btn-primary btn-huge', dataset: { action: 'cast', focusKey: 'cast' }, i18n: 'vote.castElection' });
    const form = h('form', { class: 'election-ballot', novalidate: true, dataset: { ballot: v.id } },
      h('fieldset', {},
        h('legend', { i18n: 'vote.chooseUpTo', i18nParams: { count: seats } }),
        list, counter,
        h('p', { class: 'field-hint', i18n: 'vote.blankHint' })),
      castBtn);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const picks = boxes.filter((x) => x.checked).map((x) => Number(x.value));
      if (picks.length) box.cast(v.id, { choices: picks });
      // A blank ballot is one tap away from a mistake: ask first.
      else if (castBtn.isConnected) confirmAction(castBtn, { key: 'vote.blankConfirm', yesKey: 'vote.blankYes' }, async () => box.cast(v.id, { choices: [] }));
    });
    sync();
    return form;
  }

  /** The viewer's counted choice: what this page just had confirmed, else what the server says. */
  function counted(v) {
    const s = box.status(v.id);
    if (s && s.phase === 'confirmed') return Array.isArray(s.choices) ? s.choices : s.choice;
    return myChoice(v);
  }

  const actionR = region('div', { class: 'ballot-area', dataset: { region: 'ballot' } }, () => {
    const v = vote();
    if (!v) return [null];
    const s = box.status(v.id);
    const p = me();
    // The language only matters for a result (its rule and verdict come in both).
    return [v.id, v.status, v.allow_change, counted(v), s && s.phase, s && s.ballot_id, blocker(v), p && p.is_present, v.candidates, v.seats, v.result || v.pending_result ? getLang() : null, v.pending_result ? 1 : 0, JSON.stringify(v.confirmations || [])];
  }, () => {
    const v = vote();
    if (!v) return null;
    if (v.kind === 'secret' && (v.status === 'closed' || v.status === 'counting')) {
      // The receipt stays: the voter looks the tracker up on the board.
      return [secretPanels.has(v.id) ? secretPanel(v) : null, resultBlock(v, { level: 3, withNamed: false, report: true }), secretExtras(v)];
    }
    const p = me();
    if (v.status === 'confirming' && v.pending_result) {
      // The scrutiny committee (and the chair) see the result before it is announced.
      return confirmBlock(v, { isCommittee: !!(p && p.is_scrutiny), adopt: (j) => mv.adopt(j), level: 3, meId });
    }
    if (v.status === 'confirming') return resultBlock(v, { level: 3, withNamed: false });
    if (v.status === 'closed' || v.status === 'counting') return resultBlock(v, { level: 3, withNamed: false, report: true });
    if (v.status !== 'open') return null;
    // Secret ballots are encrypted in the browser (vote-secret.js): never sent from here as plain choices.
    if (v.kind === 'secret') {
      const whySecret = blocker(v);
      if (whySecret && !secretPanels.has(v.id)) return h('p', { class: 'notice vote-blocked', dataset: { blocked: whySecret === 'vote.notEligible' ? 'not-eligible' : 'not-present' }, i18n: whySecret });
      return secretPanel(v);
    }
    if (v.kind !== 'open') return h('p', { class: 'notice', dataset: { blocked: 'secret' }, i18n: 'vote.secretNotHere' });
    const why = blocker(v);
    if (why) return h('p', { class: 'notice vote-blocked', dataset: { blocked: why === 'vote.notEligible' ? 'not-eligible' : 'not-present' }, i18n: why });
    const s = box.status(v.id);
    if (s && (s.phase === 'sending' || s.phase === 'retrying')) return null; // the status line says it
    const mine = counted(v);
    const voted = mine !== null && mine !== undefined;
    if (voted && !v.allow_change) return null;
    const out = [];
    if (voted) out.push(h('p', { class: 'field-hint', i18n: 'vote.mayChange' }));
    out.push(v.method === 'election' ? electionForm(v, mine) : choiceButtons(v, mine));
    return out;
  });

  const namedR = region('div', { dataset: { region: 'vote-named' } }, () => {
    const v = vote();
    return v && v.status === 'closed' ? [v.id, v.named] : [null];
  }, () => {
    const v = vote();
    if (!v || v.status !== 'closed' || !v.named || !v.named.length) return null;
    const d = h('details', { class: 'disclosure' }, h('summary', { i18n: 'vote.showNamed' }));
    d.append(namedList(v));
    return d;
  });

  function renderStatus() {
    const v = vote();
    const s = v ? box.status(v.id) : null;
    const mine = v ? myChoice(v) : null;
    if (s && s.phase === 'sending') fill(statusLine, 'vote.sending', { choice: choiceWords(v, s) }, 'sending');
    else if (s && s.phase === 'retrying') fill(statusLine, 'vote.retrying', { choice: choiceWords(v, s) }, 'retrying');
    else if (s && s.phase === 'confirmed') fill(statusLine, 'vote.confirmed', { choice: choiceWords(v, s) }, 'confirmed');
    else if (v && mine !== null && mine !== undefined) {
      fill(statusLine, 'vote.confirmed', { choice: choiceWords(v, Array.isArray(mine) ? { choices: mine } : { choice: mine }) }, 'confirmed');
    } else fill(statusLine, null);
    if (s && s.phase === 'refused') fill(alertLine, 'vote.refused', { reason: s.error && s.error.message ? s.error.message : s.error?.code || '' }, 'refused');
    else fill(alertLine, null);
  }

  let hasPrefetched = false;
  function update() {
    if (!hasPrefetched && allVotes(mv.vs).some((v) => v.kind === 'secret' && v.status !== 'closed')) {
      hasPrefetched = true;
      prefetchSecretSoon(); // a secret vote is on the agenda: its crypto comes while the member is idle
    }
    headR.update(null);
    liveR.update(null);
    actionR.update(null);
    namedR.update(null);
    proxyPanel.update(vote());
    renderStatus();
  }

  const el = h('section', { class: 'panel panel-vote', 'aria-labelledby': 'mv-vote', dataset: { panel: 'vote' } },
    h('h2', { id: 'mv-vote', i18n: 'vote.heading' }), headR, liveR, statusLine, alertLine, actionR, proxyPanel.el, namedR);
  box.resume();
  return {
    el,
    update,
    close: () => {
      box.close();
      proxyPanel.close();
      offOpened();
      for (const p of secretPanels.values()) p.close();
    },
  };
}
