// views/body-attendance.js — the "attendance" part of /bodies/{id}: the
// attendance and activity of the body's members over a period (a term or any
// date range) for the office's allowances: a form with the period, a summary
// table (meetings, attended, absent, votes cast and not cast per member) and
// links to the CSV and PDF of the same period (GET /api/bodies/{id}/attendance*).

import { h } from '../dom.js';
import { setI18n, getLang } from '../i18n.js';
import { get } from '../api.js';
import { field, formError, submit, onSubmit, section, statusLine, uid } from '../ui.js';

const pad = (n) => String(n).padStart(2, '0');
const isoDay = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

function summaryTable(model) {
  const captionId = uid('attendance');
  const num = (label, n) => h('td', { class: 'num', i18nAttr: `data-label:${label}` }, String(n));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table stack', 'aria-describedby': captionId, dataset: { attendance: 'summary' } },
      h('caption', { id: captionId, i18n: 'activity.caption', i18nParams: { from: model.from, to: model.to, count: model.meetings.length } }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', i18n: 'member.name' }),
        h('th', { scope: 'col', i18n: 'activity.meetings' }),
        h('th', { scope: 'col', i18n: 'activity.attended' }),
        h('th', { scope: 'col', i18n: 'activity.absences' }),
        h('th', { scope: 'col', i18n: 'activity.votesCast' }),
        h('th', { scope: 'col', i18n: 'activity.votesNotCast' }))),
      h('tbody', {}, model.members.map((m) => h('tr', { dataset: { userId: m.user_id } },
        h('th', { scope: 'row', i18nAttr: 'data-label:member.name' }, m.name),
        num('activity.meetings', m.meetings),
        num('activity.attended', m.attended),
        num('activity.absences', m.absences),
        num('activity.votesCast', `${m.votes_cast}/${m.votes_eligible}`),
        num('activity.votesNotCast', m.votes_not_cast))))));
}

/** The section: {node}. */
export function attendanceSection(body) {
  const now = new Date();
  const from = field({ name: 'from', label: 'activity.from', type: 'date', required: true, value: `${now.getFullYear()}-01-01` });
  const to = field({ name: 'to', label: 'activity.to', type: 'date', required: true, value: isoDay(now), hint: 'activity.periodHint' });
  const status = statusLine();
  const result = h('div', { class: 'attendance-result', dataset: { attendanceResult: '' } });
  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'attendance' } },
    formError(), from.wrap, to.wrap, h('div', { class: 'actions' }, submit('activity.show')), status);
  const base = `/api/bodies/${encodeURIComponent(body.id)}/attendance`;
  onSubmit(form, async () => {
    result.replaceChildren();
    status.replaceChildren();
    const q = `from=${encodeURIComponent(from.input.value)}&to=${encodeURIComponent(to.input.value)}`;
    const model = await get(`${base}?${q}`);
    const lang = getLang();
    result.replaceChildren(
      model.meetings.length ? summaryTable(model) : h('p', { i18n: 'activity.none' }),
      h('p', { class: 'actions' },
        h('a', { class: 'btn', href: `${base}.pdf?${q}&lang=${lang}`, download: '', dataset: { attendancePdf: '' }, i18n: 'activity.pdf' }),
        ' ',
        h('a', { class: 'btn', href: `${base}.csv?${q}&lang=${lang}`, download: '', dataset: { attendanceCsv: '' }, i18n: 'activity.csv' })));
    setI18n(status, 'activity.shown', { count: model.meetings.length });
  }, { period_reversed: 'activity.error.reversed', period_too_long: 'activity.error.tooLong', bad_parameter: 'activity.error.day' });
  return section('activity.heading', [h('p', { i18n: 'activity.intro' }), form, result]);
}
