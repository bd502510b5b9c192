// vote-secret.js — a member's ballot in a SECRET vote (issue 6). The choice
// is encrypted here, in the browser, with evote/ballot.js; only the
// ciphertext with its proofs is sent, so the server never sees the choice.
// One tap casts: the choice is encrypted and sent at once, as direct as an
// open vote. Cast-or-audit (Benaloh), for whoever turns on "check first":
// after encrypting, the voter either casts that very ballot or audits it — the audit reveals its randomness, checks that
// the ciphertexts encode the choice shown (checkAudit), and throws the
// ballot away: the voter then encrypts afresh. The receipt is the ballot's
// tracker, to be found later on the vote's public board.
//
//   const panel = secretVotePanel(vote, { headingLevel: 3 });
//   panel.update(vote);   // a fresher GET /api/votes/{v}
//   panel.close();

import { h } from './dom.js';
import { setI18n } from './i18n.js';
import { errorText } from './ui.js';
import { get } from './api.js';
import { ready } from './evote/sodium.js';
import { encryptBallot, shortTracker, auditBallot, checkAudit } from './evote/ballot.js';
import { electionContext } from './secret-election.js';
import { deviceKey } from './evote/voter-key.js';
import { getMe } from './session.js';
import { confirmAction } from './views/meeting-ui.js';
import { newBallotId, pendingBallot, receiptFor, sendSecretBallot } from './secret-send.js';
import { boardLinks } from './secret-links.js';

const MOTION_KEYS = ['secret.choice.yes', 'secret.choice.no', 'secret.choice.abstain'];
const REFUSALS = {
  already_voted: 'secret.err.alreadyVoted', vote_closed: 'secret.err.closed', vote_not_open: 'secret.err.closed',
  not_present: 'secret.err.notPresent', not_eligible: 'secret.err.notEligible', bad_ballot: 'secret.err.badBallot',
  duplicate_ballot: 'secret.err.duplicate',
  no_voter_key: 'secret.err.noVoterKey', bad_voter_key: 'secret.err.badVoterKey', voter_key_taken: 'secret.err.voterKeyTaken',
};

function say(el, msg) {
  if (msg.key) setI18n(el, msg.key, msg.params);
  else {
    el.removeAttribute('data-i18n');
    el.textContent = msg.text;
  }
}

/** The option labels: yes/no/abstain for a motion, the candidates for an election. */
function optionLabels(vote, ctx) {
  if (vote.method === 'election') return ctx.election.options.map((name) => ({ text: name }));
  return ctx.election.options.map((name, j) => (MOTION_KEYS[j] ? { key: MOTION_KEYS[j] } : { text: name }));
}

function label(opt) {
  return opt.key ? h('span', { i18n: opt.key }) : h('span', {}, opt.text);
}

/** The receipt block: the short tracker, big; the whole one; where to find it. */
export function receiptBlock(vote, receipt) {
  return h('div', { class: 'secret-receipt', dataset: { secret: 'receipt', trackerShort: shortTracker(receipt.tracker) } },
    h('p', { class: 'secret-counted', role: 'status' }, h('span', { 'aria-hidden': 'true' }, '✓ '), h('span', { i18n: 'secret.counted' })),
    h('p', { class: 'secret-tracker-line' }, h('span', { i18n: 'secret.trackerIs' }), ' ',
      h('strong', { class: 'secret-tracker mono', tabindex: '-1', dataset: { tracker: receipt.tracker } }, shortTracker(receipt.tracker))),
    h('details', { class: 'secret-tracker-full' }, h('summary', { i18n: 'secret.trackerFull' }), h('p', { class: 'mono break' }, receipt.tracker)),
    receipt.mismatch ? h('p', { class: 'form-error', role: 'alert', i18n: 'secret.trackerMismatch' }) : null,
    h('p', { class: 'muted', i18n: 'secret.trackerHint' }),
    boardLinks(vote.id));
}

export function secretVotePanel(initialVote, { headingLevel = 3 } = {}) {
  let vote = initialVote;
  let phase = 'choose'; // choose | encrypting | review | sending | counted | audited | refused | elsewhere | error
  let made = null; // the encrypted ballot under review (with its secret, never sent)
  let audit = null; // {ok, choices, randomness, tracker, reason}
  let job = null;
  let error = null;
  let selected = [];
  let auditMode = false; // "check the encryption first": encrypt, then cast or audit
  let receiptMem = null; // the receipt also when sessionStorage is off
  const body = h('div', { class: 'secret-body' });
  const status = h('p', { class: 'form-status', role: 'status', dataset: { secretStatus: '' } });
  const el = h('section', { class: 'secret-vote', 'aria-label': null, dataset: { secretVote: initialVote.id } },
    h(`h${headingLevel}`, { class: 'secret-heading' }, h('span', { class: 'badge badge-secret', i18n: 'secret.badge' }), ' ', h('span', { i18n: 'secret.heading' })),
    body, status,
    h('p', { class: 'secret-privacy notice', i18n: 'secret.privacy' }));

  function send(item) {
    phase = 'sending';
    render();
    job = sendSecretBallot(vote.id, item, { onRetry: () => setI18n(status, 'secret.retrying') });
    job.done.then((r) => {
      receiptMem = r;
      phase = 'counted';
      status.replaceChildren();
      render();
      body.querySelector('.secret-tracker')?.focus?.();
    }, (err) => {
      if (err && err.name === 'AbortError') return;
      phase = 'refused';
      error = errorText(err, REFUSALS);
      render();
    });
  }

  async function encrypt() {
    phase = 'encrypting';
    error = null;
    render();
    try {
      await ready();
      const ctx = await electionContext(vote.id, vote.election_hash || null);
      const choices = ctx.election.options.map((_, j) => (selected.includes(j) ? 1 : 0));
      // Spec v2: the ballot is signed with this device's voting key.
      made = encryptBallot(ctx, choices, ctx.version === 2 ? { voterKey: await deviceKey(getMe().user.id) } : {});
      phase = 'review';
      if (!auditMode) {
        const { ballot, tracker } = made;
        made = null;
        send({ ballot_id: newBallotId(), ballot, tracker });
        return;
      }
    } catch (err) {
      phase = 'error';
      error = err && err.name === 'ApiError' ? errorText(err) : { key: 'secret.err.encrypt' };
    }
    render();
  }

  async function doAudit() {
    const revealed = auditBallot(made);
    made = null; // never cast an audited ballot
    try {
      const ctx = await electionContext(vote.id, vote.election_hash || null);
      const choices = checkAudit(ctx, revealed);
      audit = { ok: true, ...revealed, choices };
    } catch (err) {
      audit = { ok: false, ...revealed, reason: err && err.message ? err.message : String(err) };
    }
    phase = 'audited';
    render();
  }

  /** The "check the encryption first" switch under the choices. */
  function auditSwitch() {
    const b = h('button', { type: 'button', class: 'btn btn-link secret-audit-mode', 'aria-pressed': String(auditMode), dataset: { action: 'audit-mode' }, i18n: 'secret.auditMode' });
    b.addEventListener('click', () => {
      auditMode = !auditMode;
      b.setAttribute('aria-pressed', String(auditMode));
      hint.hidden = !auditMode;
    });
    const hint = h('p', { class: 'field-hint', i18n: 'secret.auditModeHint' });
    hint.hidden = !auditMode;
    return h('div', { class: 'secret-audit-switch' }, b, hint);
  }

  /** A motion: one big button per answer; a tap encrypts and casts. */
  function motionButtons(opts) {
    const group = h('div', { class: 'ballot-buttons secret-buttons', role: 'group', i18nAttr: 'aria-label:secret.choose' },
      opts.map((o, j) => {
        const b = h('button', { type: 'button', class: `btn btn-huge btn-choice btn-choice-${['yes', 'no', 'abstain'][j] || 'other'}`, dataset: { option: String(j) } }, label(o));
        b.addEventListener('click', () => {
          selected = [j];
          encrypt();
        });
        return b;
      }));
    return h('div', { class: 'secret-form' }, group, h('p', { class: 'field-hint', i18n: 'secret.tapToVote' }), auditSwitch());
  }

  function chooseView(ctx) {
    const opts = optionLabels(vote, ctx);
    const multi = ctx.max > 1 || vote.method === 'election';
    if (!multi) return motionButtons(opts);
    const name = `secret-${vote.id}`;
    const inputs = opts.map((o, j) => {
      const input = h('input', { type: multi ? 'checkbox' : 'radio', name, value: String(j), id: `${name}-${j}`, dataset: { option: String(j) } });
      input.checked = selected.includes(j);
      input.addEventListener('change', () => {
        if (multi) selected = [...body.querySelectorAll(`input[name="${name}"]:checked`)].map((x) => Number(x.value));
        else selected = [j];
        sync();
      });
      return h('div', { class: 'check secret-option' }, input, h('label', { for: `${name}-${j}` }, label(o)));
    });
    const hint = h('p', { class: 'field-hint', id: `${name}-hint`, i18n: multi ? 'secret.pickUpTo' : 'secret.pickOne', i18nParams: { min: ctx.min, max: ctx.max } });
    const err = h('p', { class: 'field-error', role: 'alert' });
    const go = h('button', { type: 'submit', class: 'btn btn-primary btn-huge', dataset: { action: 'encrypt' }, i18n: 'secret.castNow' });
    const sync = () => {
      const n = selected.length;
      go.disabled = n < ctx.min || n > ctx.max;
      if (n > ctx.max) setI18n(err, 'secret.tooMany', { max: ctx.max });
      else err.replaceChildren();
    };
    sync();
    const form = h('form', { class: 'form secret-form', novalidate: true },
      h('fieldset', { 'aria-describedby': `${name}-hint` }, h('legend', { i18n: 'secret.choose' }), hint, inputs, err),
      h('div', { class: 'actions' }, go), auditSwitch());
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (go.disabled) return;
      // A blank election ballot is one tap away from a mistake: ask first, as the open ballot does.
      if (!selected.length && vote.method === 'election') {
        if (go.isConnected) confirmAction(go, { key: 'vote.blankConfirm', yesKey: 'vote.blankYes' }, async () => encrypt());
        return;
      }
      encrypt();
    });
    return form;
  }

  function reviewView(ctx) {
    const opts = optionLabels(vote, ctx);
    const picked = selected.length ? selected.map((j) => label(opts[j])) : [h('span', { i18n: 'secret.blank' })];
    const cast = h('button', { type: 'button', class: 'btn btn-primary btn-huge', dataset: { action: 'cast' }, i18n: 'secret.cast' });
    cast.addEventListener('click', () => {
      const { ballot, tracker } = made;
      made = null;
      send({ ballot_id: newBallotId(), ballot, tracker });
    });
    const aud = h('button', { type: 'button', class: 'btn', dataset: { action: 'audit' }, i18n: 'secret.audit' });
    aud.addEventListener('click', doAudit);
    const back = h('button', { type: 'button', class: 'btn btn-link', dataset: { action: 'change' }, i18n: 'secret.change' });
    back.addEventListener('click', () => {
      made = null;
      phase = 'choose';
      render();
    });
    return h('div', { class: 'secret-review', dataset: { secret: 'review', trackerShort: shortTracker(made.tracker) } },
      h('p', {}, h('span', { i18n: 'secret.yourChoice' }), ' ', h('strong', {}, picked.flatMap((x, i) => (i ? [', ', x] : [x])))),
      h('p', { class: 'secret-tracker-line' }, h('span', { i18n: 'secret.encryptedTracker' }), ' ',
        h('strong', { class: 'secret-tracker mono' }, shortTracker(made.tracker))),
      h('div', { class: 'actions secret-actions' }, cast, aud, back),
      h('p', { class: 'muted', i18n: 'secret.auditHint' }));
  }

  function auditView(ctx) {
    const opts = optionLabels(vote, ctx);
    const again = h('button', { type: 'button', class: 'btn btn-primary btn-big', dataset: { action: 'again' }, i18n: 'secret.again' });
    again.addEventListener('click', () => {
      audit = null;
      phase = 'choose';
      render();
    });
    const json = JSON.stringify({ vote_id: vote.id, tracker: audit.tracker, ballot: audit.ballot, choices: audit.choices, randomness: audit.randomness }, null, 2);
    return h('div', { class: `secret-audit ${audit.ok ? 'audit-ok' : 'audit-bad'}`, dataset: { secret: 'audit', audit: audit.ok ? 'ok' : 'failed' } },
      h('p', { class: audit.ok ? 'secret-audit-result ok' : 'form-error', role: 'alert' },
        h('span', { 'aria-hidden': 'true' }, audit.ok ? '✓ ' : '✗ '),
        h('span', { i18n: audit.ok ? 'secret.auditOk' : 'secret.auditFailed' }),
        audit.ok ? null : [' ', h('span', { class: 'mono' }, audit.reason)]),
      h('p', {}, h('span', { i18n: 'secret.auditTracker' }), ' ', h('span', { class: 'mono' }, shortTracker(audit.tracker))),
      h('table', { class: 'table secret-audit-table' },
        h('caption', { i18n: 'secret.auditCaption' }),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'secret.option' }), h('th', { scope: 'col', i18n: 'secret.marked' }), h('th', { scope: 'col', i18n: 'secret.randomness' }))),
        h('tbody', {}, opts.map((o, j) => h('tr', {},
          h('th', { scope: 'row' }, label(o)),
          h('td', { dataset: { marked: String(audit.choices[j]) }, i18n: audit.choices[j] ? 'secret.markedYes' : 'secret.markedNo' }),
          h('td', { class: 'mono break' }, audit.randomness[j]))))),
      h('details', {}, h('summary', { i18n: 'secret.auditData' }), h('pre', { class: 'mono break secret-audit-json', tabindex: '0' }, json)),
      h('p', { class: 'notice', i18n: 'secret.auditNotCast' }),
      h('div', { class: 'actions' }, again));
  }

  let renderSeq = 0;
  async function render() {
    const mine = ++renderSeq;
    status.replaceChildren();
    const receipt = receiptFor(vote.id) || receiptMem;
    if (receipt && phase !== 'counted') phase = 'counted';
    if (phase === 'counted') {
      body.replaceChildren(receiptBlock(vote, receipt));
      return;
    }
    if (phase === 'choose' && vote.has_voted && !pendingBallot(vote.id)) phase = 'elsewhere';
    el.hidden = phase === 'choose' && vote.status !== 'open';
    if (el.hidden) {
      body.replaceChildren();
      return;
    }
    if (phase === 'elsewhere') {
      body.replaceChildren(h('p', { class: 'present-confirmed', dataset: { secret: 'elsewhere' }, i18n: 'secret.votedElsewhere' }), boardLinks(vote.id));
      return;
    }
    if (phase === 'sending') {
      setI18n(status, 'secret.sending');
      body.replaceChildren(h('p', { class: 'muted', i18n: 'secret.sendingHint' }));
      return;
    }
    if (phase === 'encrypting') {
      setI18n(status, 'secret.encrypting');
      return;
    }
    if (phase === 'refused' || phase === 'error') {
      const msg = h('p', { class: 'form-error', role: 'alert', dataset: { secret: phase } });
      say(msg, error || { key: 'secret.err.encrypt' });
      const retry = vote.status === 'open' && !vote.has_voted
        ? h('button', { type: 'button', class: 'btn', dataset: { action: 'again' }, i18n: 'secret.again' }) : null;
      retry?.addEventListener('click', () => {
        phase = 'choose';
        render();
      });
      body.replaceChildren(...[h('p', { class: 'notice', i18n: phase === 'refused' ? 'secret.notCounted' : 'secret.err.title' }), msg, retry].filter(Boolean));
      return;
    }
    let ctx;
    try {
      ctx = await electionContext(vote.id, vote.election_hash || null);
    } catch (err) {
      if (mine !== renderSeq) return;
      phase = 'error';
      error = err && err.name === 'ApiError' ? errorText(err) : { key: 'secret.err.election' };
      render();
      return;
    }
    if (mine !== renderSeq) return;
    if (phase === 'choose') body.replaceChildren(chooseView(ctx));
    else if (phase === 'review') body.replaceChildren(reviewView(ctx));
    else if (phase === 'audited') body.replaceChildren(auditView(ctx));
  }

  // A ballot a reload interrupted goes out again, the same one.
  const pending = pendingBallot(initialVote.id);
  if (pending && !receiptFor(initialVote.id)) send(pending);
  else render();
  // Whether I voted already (elsewhere) and the election's hash: only the full vote says.
  if (initialVote.has_voted === undefined) {
    get(`/api/votes/${encodeURIComponent(initialVote.id)}`).then((j) => el.update(j), () => {});
  }

  el.update = (v) => {
    const was = `${vote.status}/${vote.has_voted}`;
    // A vote from the page's fold may lack what only GET /api/votes/{v} says.
    vote = { ...vote, ...v, has_voted: v.has_voted ?? vote.has_voted, election_hash: v.election_hash ?? vote.election_hash };
    if (`${vote.status}/${vote.has_voted}` !== was && !['review', 'audited', 'sending', 'encrypting'].includes(phase)) render();
  };
  el.close = () => job?.cancel();
  el.voteId = initialVote.id;
  return el;
}
