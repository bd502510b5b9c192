// views/meetings.js — lists of meetings and the meeting form: the
// "Posiedzenia" section of a body (/bodies/{id}: the list and, for staff, a
// new meeting), "my meetings" on the dashboard (GET /api/me/meetings), and
// the fields of a meeting (also used by the preparation view to edit it).
// Date and time are entered in local time and sent as RFC 3339 with the
// offset of that moment.

import { h } from '../dom.js';
import { get, post, ApiError } from '../api.js';
import { field, checkbox, formError, submit, onSubmit, section } from '../ui.js';
import { meetingName, startsText, statusBadge } from './meeting-ui.js';

const MODES = ['in_person', 'remote', 'hybrid'];
const pad = (n) => String(n).padStart(2, '0');

/** RFC 3339 with the local offset for "YYYY-MM-DD" and "HH:MM" (null when invalid). */
export function localToRfc3339(date, time) {
  const dm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  const tm = /^(\d{2}):(\d{2})$/.exec(time || '');
  if (!dm || !tm) return null;
  const d = new Date(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3]), Number(tm[1]), Number(tm[2]));
  if (Number.isNaN(d.getTime())) return null;
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:00${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** The local date and time inputs' values of ms. */
function localParts(ms) {
  if (!Number.isFinite(ms)) return { date: '', time: '' };
  const d = new Date(ms);
  return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}` };
}

/** The meeting's fields: {nodes, values()}; m pre-fills them (editing). */
export function meetingFields(m = null) {
  const parts = localParts(m ? m.starts_at_ms : NaN);
  const number = field({ name: 'number', label: 'meeting.number', hint: 'meeting.numberHint', value: m ? m.number : '', attrs: { maxlength: '40' } });
  const title = field({ name: 'title', label: 'meeting.titleField', hint: 'meeting.titleHint', required: true, value: m ? m.title : '', attrs: { maxlength: '200' } });
  const date = field({ name: 'date', label: 'meeting.date', type: 'date', required: true, value: parts.date });
  const time = field({ name: 'time', label: 'meeting.time', type: 'time', required: true, value: parts.time || '' });
  const place = field({ name: 'place', label: 'meeting.place', value: m ? m.place : '', attrs: { maxlength: '200' } });
  const mode = field({ name: 'mode', label: 'meeting.mode', tag: 'select', options: MODES.map((x) => [x, `meeting.mode.${x}`]), value: m ? m.mode : 'hybrid' });
  const isPublic = checkbox({ name: 'public', label: 'meeting.public', hint: 'meeting.publicHint', checked: m ? m.is_public : true });
  const url = field({ name: 'broadcast_url', label: 'meeting.broadcastUrl', hint: 'meeting.broadcastHint', type: 'url', value: m ? m.broadcast_url : '', attrs: { maxlength: '500', spellcheck: 'false', autocapitalize: 'none' } });
  const reminder = field({ name: 'reminder_days', label: 'meeting.reminderDays', hint: 'meeting.reminderHint', type: 'number', value: String(m && Number.isInteger(m.reminder_days) ? m.reminder_days : 7), attrs: { min: '0', max: '60', step: '1', inputmode: 'numeric' } });
  const when = h('div', { class: 'field-row' }, date.wrap, time.wrap);
  return {
    nodes: [number.wrap, title.wrap, when, place.wrap, mode.wrap, isPublic.wrap, url.wrap, reminder.wrap],
    values() {
      if (!title.input.value.trim()) throw new ApiError(422, 'title_missing', '', 'title');
      const starts = localToRfc3339(date.input.value, time.input.value);
      if (!starts) throw new ApiError(422, 'when_missing', '', date.input.value ? 'time' : 'date');
      const days = Number(reminder.input.value);
      if (!Number.isInteger(days) || days < 0 || days > 60) throw new ApiError(422, 'reminder_bad', '', 'reminder_days');
      return {
        reminder_days: days,
        number: number.input.value.trim(),
        title: title.input.value.trim(),
        starts_at: starts,
        place: place.input.value.trim(),
        mode: mode.input.value,
        public: isPublic.input.checked,
        broadcast_url: url.input.value.trim(),
      };
    },
  };
}

export const MEETING_FORM_ERRORS = {
  title_missing: 'meeting.error.title',
  when_missing: 'meeting.error.when',
  bad_time: 'meeting.error.when',
  reminder_bad: 'meeting.error.reminder',
};

/** One meeting as a card. */
function meetingCard(m, { withBody = false } = {}) {
  return h('li', { class: 'card', dataset: { meetingId: m.id, status: m.status } },
    h('h3', {}, h('a', { href: `/meetings/${encodeURIComponent(m.id)}` }, meetingName(m))),
    withBody && m.body_name ? h('p', {}, m.body_name) : null,
    h('p', {}, startsText(m), m.place ? ` · ${m.place}` : ''),
    h('p', {}, statusBadge(m.status), ' ', h('span', { class: 'badge', i18n: `meeting.mode.${m.mode}` })));
}

/** The "Posiedzenia" section of a body; staff (canCreate) get the new meeting form. */
export function bodyMeetingsSection(body, { canCreate, router }) {
  const list = h('ul', { class: 'cards', role: 'list', dataset: { list: 'meetings' } });
  const refresh = async () => {
    const { meetings } = await get(`/api/bodies/${encodeURIComponent(body.id)}/meetings`);
    list.replaceChildren(...(meetings.length ? meetings.map((m) => meetingCard(m)) : [h('li', { class: 'empty', i18n: 'meetings.none' })]));
  };
  const children = [list];
  if (canCreate) {
    const f = meetingFields();
    const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'new-meeting' } },
      formError(), f.nodes, h('div', { class: 'actions' }, submit('meetings.create')));
    onSubmit(form, async () => {
      const m = await post(`/api/bodies/${encodeURIComponent(body.id)}/meetings`, f.values());
      router.navigate(`/meetings/${encodeURIComponent(m.id)}`);
    }, MEETING_FORM_ERRORS);
    children.push(h('details', { class: 'disclosure', dataset: { disclosure: 'new-meeting' } }, h('summary', { i18n: 'meetings.new' }), form));
  }
  const node = section('meetings.heading', children);
  node.dataset.section = 'meetings';
  return { node, refresh };
}

/** "My meetings" on the dashboard (null when there are none). */
export async function myMeetingsSection() {
  let meetings = [];
  try {
    ({ meetings } = await get('/api/me/meetings'));
  } catch {
    return null;
  }
  if (!meetings.length) return section('dashboard.myMeetings', h('p', { i18n: 'dashboard.noMeetings' }));
  return section('dashboard.myMeetings',
    h('ul', { class: 'cards', role: 'list', dataset: { list: 'my-meetings' } }, meetings.map((m) => meetingCard(m, { withBody: true }))));
}
