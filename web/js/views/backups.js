// views/backups.js — "/admin/backups": the instance administrator's view of
// backups (GET /api/admin/backups): whether they are on, the last success
// with its size, the next run, the last failure in plain words, the backups
// on disk, and "back up now" (POST) with its progress while it runs.

import { h } from '../dom.js';
import { get, post } from '../api.js';
import { requireMe } from '../session.js';
import { formatDateTime, formatNumber, setI18n } from '../i18n.js';
import { formError, submit, onSubmit, section, failedView, signInRequired } from '../ui.js';

export const titleKey = 'backups.title';

const POLL_MS = 1000;

function size(bytes) {
  return bytes >= 1e9 ? `${formatNumber(bytes / 1e9, { maximumFractionDigits: 1 })} GB`
    : `${formatNumber(bytes / 1e6, { maximumFractionDigits: 1 })} MB`;
}

const when = (ms) => (ms ? formatDateTime(new Date(ms)) : null);

function facts(s) {
  const row = (key, value, dataKey) => [h('dt', { i18n: key }), h('dd', { dataset: { fact: dataKey } }, value)];
  const never = () => h('span', { i18n: 'backups.never' });
  return h('dl', { class: 'facts' },
    row('backups.state', h('span', { i18n: s.enabled ? 'backups.on' : 'backups.off' }), 'state'),
    row('backups.lastSuccess', s.last_success_ms ? `${when(s.last_success_ms)} (${size(s.last_size)})` : never(), 'last-success'),
    row('backups.nextRun', s.enabled && s.next_run_ms ? when(s.next_run_ms) : never(), 'next-run'),
    row('backups.schedule', h('span', { i18n: 'backups.scheduleText', i18nParams: { time: s.time, keep: s.keep } }), 'schedule'),
    row('backups.lastFailure', s.last_failure_ms ? `${when(s.last_failure_ms)}: ${s.last_error || ''}` : never(), 'last-failure'));
}

function table(list) {
  if (!list.length) return h('p', { i18n: 'backups.none' });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'table' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col', i18n: 'backups.colFile' }),
      h('th', { scope: 'col', i18n: 'backups.colMade' }),
      h('th', { scope: 'col', i18n: 'backups.colSize' }))),
    h('tbody', { dataset: { list: 'backups' } }, list.slice().reverse().map((b) => h('tr', {},
      h('td', {}, b.name),
      h('td', {}, b.created_ms ? when(b.created_ms) : h('span', { i18n: 'backups.unreadable' })),
      h('td', {}, size(b.size)))))));
}

/** The progress of a running backup as text and a <progress> element. */
function progressOf(s, bar, line) {
  const p = s.progress;
  const phase = p ? p.phase : 'starting';
  const pct = p && p.total ? Math.min(100, Math.round((100 * p.done) / p.total)) : null;
  if (pct === null) bar.removeAttribute('value');
  else bar.value = pct;
  setI18n(line, `backups.phase.${['snapshot', 'hashing', 'writing', 'verifying'].includes(phase) ? phase : 'starting'}`,
    { percent: pct ?? 0 });
}

export async function render(outlet, { path }) {
  const me = await requireMe().catch(() => null);
  if (!me) return signInRequired(path);
  if (!me.user.is_instance_admin) return [h('h1', { i18n: 'backups.heading' }), h('p', { i18n: 'backups.adminsOnly' })];
  let s;
  try {
    s = await get('/api/admin/backups');
  } catch (err) {
    return failedView(err);
  }
  const factsBox = h('div', {}, facts(s));
  const listBox = h('div', {}, table(s.backups));
  const bar = h('progress', { max: '100', 'aria-labelledby': 'backup-progress-text', hidden: true });
  const line = h('p', { id: 'backup-progress-text', role: 'status', dataset: { progress: '' } });
  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'backup-now' } },
    formError(), h('div', { class: 'actions' }, submit('backups.now')),
    h('div', { class: 'verify-progress' }, bar, line));

  let timer = null;
  const show = (next) => {
    s = next;
    factsBox.replaceChildren(facts(s));
    listBox.replaceChildren(table(s.backups));
  };
  const poll = async () => {
    timer = null;
    if (!form.isConnected) return;
    const next = await get('/api/admin/backups');
    if (next.running) {
      progressOf(next, bar, line);
      timer = setTimeout(poll, POLL_MS);
      return;
    }
    bar.hidden = true;
    setI18n(line, next.last_error ? 'backups.failed' : 'backups.done', { error: next.last_error });
    line.dataset.outcome = next.last_error ? 'failed' : 'done';
    show(next);
  };
  onSubmit(form, async () => {
    const started = await post('/api/admin/backups', {});
    bar.hidden = false;
    delete line.dataset.outcome;
    progressOf(started, bar, line);
    if (!timer) timer = setTimeout(poll, POLL_MS / 4);
  }, { backup_running: 'backups.alreadyRunning', backups_off: 'backups.offHint' });
  if (s.running) {
    bar.hidden = false;
    progressOf(s, bar, line);
    timer = setTimeout(poll, POLL_MS);
  }

  return [
    h('h1', { i18n: 'backups.heading' }),
    h('p', { class: 'lead', i18n: s.enabled ? 'backups.lead' : 'backups.offHint' }),
    section('backups.statusHeading', factsBox),
    s.enabled ? section('backups.nowHeading', form) : null,
    section('backups.listHeading', listBox),
  ];
}
