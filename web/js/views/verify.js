// views/verify.js — "/verify": anyone checks a secret vote's bulletin board in
// their own browser, without trusting the server: upload or paste a
// board.json, or open /verify?vote=ID to fetch /api/votes/ID/board. The
// checks run in a Web Worker (evote/verify-worker.js) with a progress bar;
// the outcome is the summary and result, or the exact failure. A voter can
// then look their ballot's tracker up on the verified board.

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { field, submit, section, statusLine, uid } from '../ui.js';
import { verifyInWorkers } from '../evote/verify-client.js';
import { mineBlock } from '../verify-mine.js';

export const titleKey = 'verify.title';

const MAX_BOARD_BYTES = 256 * 1024 * 1024;
const CODES = new Set(['bad_json', 'bad_board', 'bad_election', 'bad_pok', 'bad_public_key', 'bad_election_hash', 'bad_hex',
  'bad_scalar', 'bad_point', 'identity_point', 'bad_ballot', 'bad_01_proof', 'bad_sum_proof', 'bad_tracker',
  'ballots_not_sorted', 'duplicate_credential', 'voter_count_mismatch', 'too_many_ballots', 'bad_aggregate',
  'bad_decryption', 'bad_dleq_proof', 'missing_decryptions', 'bad_result', 'too_large', 'load_failed',
  'bad_signature', 'not_in_electorate', 'duplicate_voter_key', 'bad_board_hash', 'bad_board_signature']);

const normalTracker = (s) => s.toLowerCase().replace(/[^0-9a-f]/g, '');

function trackerFinder(trackers) {
  const f = field({ name: 'tracker', label: 'verify.tracker.label', hint: 'verify.tracker.hint', attrs: { autocomplete: 'off', spellcheck: 'false' } });
  const out = statusLine('tracker-status');
  const form = h('form', { class: 'form', dataset: { form: 'tracker' } }, f.wrap, submit('verify.tracker.find'), out);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = normalTracker(f.input.value);
    if (q.length < 12) {
      setI18n(out, 'verify.tracker.tooShort');
      return;
    }
    const hit = trackers.find((t) => t.startsWith(q));
    if (hit) setI18n(out, 'verify.tracker.found', { tracker: hit });
    else setI18n(out, 'verify.tracker.notFound');
    out.dataset.found = String(Boolean(hit));
  });
  return form;
}

function successBlock(r) {
  const facts = h('dl', { class: 'facts', dataset: { verify: 'facts' } },
    h('dt', { i18n: 'verify.fact.vote' }), h('dd', {}, r.vote_id),
    h('dt', { i18n: 'verify.fact.hash' }), h('dd', { class: 'mono' }, r.election_hash),
    h('dt', { i18n: 'verify.fact.ballots' }), h('dd', { dataset: { fact: 'ballots' } }, String(r.ballots)),
    h('dt', { i18n: 'verify.fact.eligible' }), h('dd', {}, String(r.eligible_count)),
    h('dt', { i18n: 'verify.fact.decryptions' }), h('dd', {}, String(r.decryptions)));
  const capId = uid('res');
  const result = r.tallied
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', dataset: { verify: 'result' } },
      h('caption', { id: capId, i18n: 'verify.resultHeading' }),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', i18n: 'verify.option' }), h('th', { scope: 'col', i18n: 'verify.count' }))),
      h('tbody', {}, r.options.map((o, j) => h('tr', {}, h('th', { scope: 'row' }, o), h('td', {}, String(r.result[j])))))))
    : h('p', { class: 'notice', i18n: 'verify.pending' });
  return h('section', { class: 'panel verify-ok', dataset: { verify: 'ok' }, 'aria-labelledby': 'verify-ok-h' },
    h('h2', { id: 'verify-ok-h', i18n: r.tallied ? 'verify.ok.heading' : 'verify.ok.headingPending' }),
    h('p', { i18n: 'verify.ok.body' }),
    facts, result,
    h('h3', { i18n: 'verify.tracker.heading' }),
    trackerFinder(r.trackers));
}

function failureBlock(r) {
  const code = CODES.has(r.code) ? r.code : 'other';
  return h('section', { class: 'panel verify-failed', dataset: { verify: 'failed', code: r.code }, 'aria-labelledby': 'verify-bad-h' },
    h('h2', { id: 'verify-bad-h', i18n: 'verify.failed.heading' }),
    h('p', { i18n: `verify.code.${code}` }),
    r.where ? h('p', {}, h('strong', { i18n: 'verify.failed.where' }), ' ', h('span', { class: 'mono', dataset: { verify: 'where' } }, r.where)) : null,
    h('p', {}, h('strong', { i18n: 'verify.failed.detail' }), ' ', h('span', { lang: 'en', dataset: { verify: 'message' } }, r.message)));
}

export function render(outlet, { query }) {
  const fileF = field({ name: 'board-file', label: 'verify.file', hint: 'verify.fileHint', type: 'file', attrs: { accept: '.json,application/json' } });
  const pasteF = field({ name: 'board-text', label: 'verify.paste', hint: 'verify.pasteHint', tag: 'textarea', attrs: { rows: 6, spellcheck: 'false' } });
  const form = h('form', { class: 'form', dataset: { form: 'verify' } }, fileF.wrap, pasteF.wrap, submit('verify.run'));
  const progressId = uid('prog');
  const bar = h('progress', { id: progressId, max: 1, value: 0, 'aria-labelledby': `${progressId}-l` });
  const barLabel = h('p', { id: `${progressId}-l`, class: 'progress-label', dataset: { verify: 'progress' } });
  const status = statusLine('verify-status');
  const progress = h('div', { class: 'verify-progress', hidden: true }, barLabel, bar);
  const outcome = h('div', { dataset: { verify: 'outcome' } });
  let job = null;
  let lastPhase = '';

  function showProgress(p) {
    progress.hidden = false;
    bar.max = Math.max(1, p.total);
    bar.value = p.done;
    setI18n(barLabel, `verify.phase.${p.phase}`, { done: p.done, total: p.total });
    // Announce phase changes only; the bar carries the running count.
    if (p.phase !== lastPhase) {
      lastPhase = p.phase;
      setI18n(status, `verify.phase.${p.phase}`, { done: p.done, total: p.total });
    }
  }

  async function run(getText) {
    if (job) job.cancel();
    outcome.replaceChildren();
    lastPhase = '';
    setI18n(status, 'verify.loading');
    let text;
    try {
      text = await getText();
    } catch (err) {
      progress.hidden = true;
      status.textContent = '';
      outcome.replaceChildren(failureBlock({ code: err.code || 'load_failed', where: '', message: err.message }));
      return;
    }
    if (!text || !text.trim()) {
      setI18n(status, 'verify.empty');
      return;
    }
    const started = performance.now();
    job = verifyInWorkers(text, showProgress);
    let r;
    try {
      r = await job.done;
    } catch (err) {
      r = { ok: false, code: 'other', where: '', message: err.message };
    }
    job = null;
    if (r.code === 'cancelled') return;
    progress.hidden = true;
    setI18n(status, r.ok ? 'verify.done.ok' : 'verify.done.failed', { seconds: ((performance.now() - started) / 1000).toFixed(1) });
    outcome.replaceChildren(r.ok ? successBlock(r) : failureBlock(r));
    if (r.ok) mineBlock(r).then((n) => n && outcome.append(n), () => {});
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const file = fileF.input.files && fileF.input.files[0];
    run(async () => {
      if (file) {
        if (file.size > MAX_BOARD_BYTES) throw Object.assign(new Error(`${file.size} bytes`), { code: 'too_large' });
        return file.text();
      }
      return pasteF.input.value;
    });
  });

  const vote = query.get('vote');
  // The board key printed on the vote's report opens the board of a closed
  // secret vote to anyone, signed in or not (docs/security.md).
  const key = /^[0-9a-f]{32}$/.test(query.get('key') || '') ? query.get('key') : '';
  const fromVote = vote ? h('p', { class: 'notice', dataset: { verify: 'from-vote' }, i18n: 'verify.fromVote', i18nParams: { vote } }) : null;
  if (vote) {
    run(async () => {
      try {
        const q = key ? `?key=${key}` : '';
        const res = await fetch(`/api/votes/${encodeURIComponent(vote)}/board${q}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { code: 'load_failed' });
        return await res.text();
      } finally {
        setI18n(fromVote, 'verify.fromVoteDone', { vote }); // loaded or not, no longer loading
      }
    });
  }

  outlet.append(...[
    h('h1', { i18n: 'verify.heading' }),
    h('p', { class: 'lead', i18n: 'verify.lead' }),
    fromVote,
    section('verify.inputHeading', [form]),
    progress, status, outcome,
  ].filter(Boolean));
  return () => {
    if (job) job.cancel();
  };
}
