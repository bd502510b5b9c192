// views/office.js — the office's part of the dashboard (issue 20.15): the
// meetings of every organisation where I am staff, soonest first, each with
// what is left to do (prepare and convene, add the agenda, conduct, send the
// protocol) and the link that does it.

import { h } from '../dom.js';
import { get } from '../api.js';
import { section } from '../ui.js';
import { meetingName, startsText, statusBadge } from './meeting-ui.js';

const DAY_MS = 24 * 3600 * 1000;

/** What the office does next about meeting m: {key, params, href}. */
export function nextTask(m, now = Date.now()) {
  const id = encodeURIComponent(m.id);
  const starts = Date.parse(m.starts_at);
  if (m.status === 'draft') {
    if (!m.agenda_count) return { key: 'office.task.agenda', href: `/meetings/${id}` };
    return { key: 'office.task.convene', href: `/meetings/${id}` };
  }
  if (m.status === 'convened') {
    const days = Math.max(0, Math.ceil((starts - now) / DAY_MS));
    if (starts - now < DAY_MS) return { key: 'office.task.start', href: `/meetings/${id}/console` };
    return { key: 'office.task.waiting', params: { count: days }, href: `/meetings/${id}` };
  }
  if (m.status === 'in_progress') return { key: 'office.task.conduct', href: `/meetings/${id}/console` };
  return { key: 'office.task.protocol', href: `/api/meetings/${id}/protocol.pdf` };
}

function officeCard(m) {
  const t = nextTask(m);
  return h('li', { class: 'card office-card', dataset: { meetingId: m.id, status: m.status, task: t.key } },
    h('h3', {}, h('a', { href: `/meetings/${encodeURIComponent(m.id)}` }, meetingName(m))),
    h('p', {}, m.org_name, ' · ', m.body_name),
    h('p', {}, startsText(m), ' ', statusBadge(m.status)),
    h('p', { class: 'muted', i18n: 'office.counts', i18nParams: { items: m.agenda_count, docs: m.document_count } }),
    h('p', { class: 'office-task' }, h('a', { class: 'btn', href: t.href, i18n: t.key, i18nParams: t.params || {} })));
}

/** The section, or null when I am nobody's staff. */
export async function officeSection(me) {
  if (!me.staff || !me.staff.length) return null;
  let meetings = [];
  try {
    ({ meetings } = await get('/api/me/office'));
  } catch {
    return null;
  }
  const node = section('office.heading', meetings.length
    ? h('ul', { class: 'cards', role: 'list', dataset: { list: 'office-meetings' } }, meetings.map(officeCard))
    : h('p', { i18n: 'office.none' }));
  node.dataset.section = 'office';
  return node;
}
