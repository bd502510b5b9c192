// views/body-templates.js — the "templates" part of /bodies/{id} for the
// office (MEETING_PREPARE): the body's meeting templates (the standard agenda
// or the office's own, with the mode and place a meeting starts with), and a
// new meeting made from a template or as a copy of an earlier meeting (its
// agenda, never its documents or votes). API: /api/bodies/{id}/templates,
// /api/bodies/{id}/meetings/from-template, /api/meetings/{id}/copy.

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { get, post, del, ApiError } from '../api.js';
import { field, checkbox, formError, submit, onSubmit, section, statusLine } from '../ui.js';
import { confirmInline } from './org.js';
import { localToRfc3339, MEETING_FORM_ERRORS } from './meetings.js';
import { meetingName } from './meeting-ui.js';

const MODES = ['in_person', 'remote', 'hybrid'];

function templateCard(t, onRemove) {
  const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', i18n: 'common.remove', i18nAttr: 'aria-label:templates.removeOf', i18nParams: { name: t.name } });
  const actions = h('div', { class: 'row-actions-inner' }, remove);
  remove.addEventListener('click', () => confirmInline(actions, remove, { key: 'templates.removeConfirm', params: { name: t.name } }, () => onRemove(t)));
  return h('li', { class: 'card', dataset: { templateId: t.id } },
    h('h3', {}, t.name),
    h('p', {}, h('span', { class: 'badge', i18n: `meeting.mode.${t.mode}` }), t.place ? ` · ${t.place}` : ''),
    h('ol', { class: 'template-agenda' }, t.agenda.map((it) => h('li', {}, it.title))),
    actions);
}

function newTemplateForm(body, status, refresh) {
  const name = field({ name: 'name', label: 'templates.name', required: true, attrs: { maxlength: '200' } });
  const standard = checkbox({ name: 'standard', label: 'templates.standard', hint: 'templates.standardHint', checked: true });
  const agenda = field({ name: 'agenda', label: 'templates.agenda', hint: 'templates.agendaHint', tag: 'textarea', attrs: { rows: '6' } });
  const mode = field({ name: 'mode', label: 'meeting.mode', tag: 'select', options: MODES.map((x) => [x, `meeting.mode.${x}`]), value: 'hybrid' });
  const place = field({ name: 'place', label: 'meeting.place', attrs: { maxlength: '200' } });
  const sync = () => {
    agenda.wrap.hidden = standard.input.checked;
  };
  standard.input.addEventListener('change', sync);
  sync();
  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'new-template' } },
    formError(), name.wrap, standard.wrap, agenda.wrap, mode.wrap, place.wrap,
    h('div', { class: 'actions' }, submit('templates.add')));
  onSubmit(form, async () => {
    if (!name.input.value.trim()) throw new ApiError(422, 'name_missing', '', 'name');
    const payload = { name: name.input.value.trim(), mode: mode.input.value, place: place.input.value.trim() };
    if (standard.input.checked) payload.standard = true;
    else {
      const items = agenda.input.value.split('\n').map((s) => s.trim()).filter(Boolean);
      if (!items.length) throw new ApiError(422, 'agenda_missing', '', 'agenda');
      payload.agenda = items.map((title) => ({ title }));
    }
    const t = await post(`/api/bodies/${encodeURIComponent(body.id)}/templates`, payload);
    name.input.value = '';
    agenda.input.value = '';
    setI18n(status, 'templates.added', { name: t.name });
    await refresh();
  }, {
    name_missing: 'templates.error.name', agenda_missing: 'templates.error.agenda', missing_field: 'templates.error.agenda',
    out_of_range: 'templates.error.agendaBad', template_name_taken: 'templates.error.nameTaken',
  });
  return h('details', { class: 'disclosure', dataset: { disclosure: 'new-template' } }, h('summary', { i18n: 'templates.new' }), form);
}

function newMeetingForm(body, router) {
  const source = field({ name: 'source', label: 'templates.source', hint: 'templates.sourceHint', tag: 'select', options: [] });
  const title = field({ name: 'title', label: 'meeting.titleField', required: true, attrs: { maxlength: '200' } });
  const number = field({ name: 'number', label: 'meeting.number', attrs: { maxlength: '40' } });
  const date = field({ name: 'date', label: 'meeting.date', type: 'date', required: true });
  const time = field({ name: 'time', label: 'meeting.time', type: 'time', required: true, value: '17:00' });
  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'meeting-from' } },
    formError(), source.wrap, number.wrap, title.wrap, h('div', { class: 'field-row' }, date.wrap, time.wrap),
    h('div', { class: 'actions' }, submit('templates.createMeeting')));
  onSubmit(form, async () => {
    const [kind, id] = source.input.value.split(':');
    if (!id) throw new ApiError(422, 'source_missing', '', 'source');
    if (!title.input.value.trim()) throw new ApiError(422, 'title_missing', '', 'title');
    const starts = localToRfc3339(date.input.value, time.input.value);
    if (!starts) throw new ApiError(422, 'when_missing', '', date.input.value ? 'time' : 'date');
    const payload = { title: title.input.value.trim(), number: number.input.value.trim(), starts_at: starts };
    const m = kind === 't'
      ? await post(`/api/bodies/${encodeURIComponent(body.id)}/meetings/from-template`, { ...payload, template_id: id })
      : await post(`/api/meetings/${encodeURIComponent(id)}/copy`, payload);
    router.navigate(`/meetings/${encodeURIComponent(m.id)}`);
  }, { ...MEETING_FORM_ERRORS, source_missing: 'templates.error.source', template_unknown: 'templates.error.source' });
  /** Fills the choice: the templates, then earlier meetings to copy. */
  const fill = (templates, meetings) => {
    const opt = (value, text) => h('option', { value }, text);
    source.input.replaceChildren(
      h('option', { value: '', i18n: 'templates.choose' }),
      templates.length ? h('optgroup', { i18nAttr: 'label:templates.fromTemplate' }, templates.map((t) => opt(`t:${t.id}`, t.name))) : null,
      meetings.length ? h('optgroup', { i18nAttr: 'label:templates.copyOf' }, meetings.map((m) => opt(`m:${m.id}`, meetingName(m)))) : null);
  };
  return { node: section('templates.newMeeting', form, { level: 3, cls: 'subpanel' }), fill };
}

/** The section: {node, refresh}. */
export function templatesSection(body, { router }) {
  const status = statusLine();
  const list = h('ul', { class: 'cards', role: 'list', dataset: { list: 'templates' } });
  const meetingForm = newMeetingForm(body, router);
  const refresh = async () => {
    const [{ templates }, { meetings }] = await Promise.all([
      get(`/api/bodies/${encodeURIComponent(body.id)}/templates`),
      get(`/api/bodies/${encodeURIComponent(body.id)}/meetings`)]);
    list.replaceChildren(...(templates.length
      ? templates.map((t) => templateCard(t, async (x) => {
        await del(`/api/bodies/${encodeURIComponent(body.id)}/templates/${encodeURIComponent(x.id)}`);
        setI18n(status, 'templates.removed', { name: x.name });
        await refresh();
      }))
      : [h('li', { class: 'empty', i18n: 'templates.none' })]));
    meetingForm.fill(templates, meetings);
  };
  const node = section('templates.heading', [h('p', { i18n: 'templates.intro' }), status, list, newTemplateForm(body, status, refresh), meetingForm.node]);
  node.dataset.section = 'templates';
  return { node, refresh };
}
