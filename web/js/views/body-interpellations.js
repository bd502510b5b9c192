// views/body-interpellations.js — the "interpellations" part of
// /bodies/{id}: members' interpellations and questions to the mayor. A member
// files one; the office registers it (number, day of receipt; the answer is
// due 14 days later) and records the answer; everyone in the body sees the
// list with search, status and overdue marks, and the links to the public
// register (JSON, CSV) for BIP. API: /api/bodies/{id}/interpellations,
// /api/interpellations/{id}/register|answer|attachments,
// /api/interpellation-files/{id}, /api/public/bodies/{id}/interpellations*.
// Attachments: the author adds files to the filing until it is registered;
// the office to the filing and (registered) to the answer.

import { h } from '../dom.js';
import { setI18n, getLang } from '../i18n.js';
import { get, post, del, uploadFile, ApiError } from '../api.js';
import { getMe } from '../session.js';
import { field, formError, submit, onSubmit, section, statusLine, errorText } from '../ui.js';

const today = () => {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
};

function registerForm(it, done) {
  const number = field({ name: 'number', label: 'interp.number', required: true, attrs: { maxlength: '40' } });
  const received = field({ name: 'received_on', label: 'interp.receivedOn', type: 'date', required: true, value: today() });
  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'register' } },
    formError(), number.wrap, received.wrap, h('div', { class: 'actions' }, submit('interp.register')));
  onSubmit(form, async () => {
    if (!number.input.value.trim()) throw new ApiError(422, 'number_missing', '', 'number');
    await post(`/api/interpellations/${encodeURIComponent(it.id)}/register`, { number: number.input.value.trim(), received_on: received.input.value });
    await done();
  }, { number_missing: 'interp.error.number', interpellation_number_taken: 'interp.error.numberTaken', out_of_range: 'interp.error.day' });
  return form;
}

function answerForm(it, done) {
  const answer = field({ name: 'answer', label: 'interp.answer', tag: 'textarea', required: true, attrs: { rows: '4', maxlength: '10000' } });
  const on = field({ name: 'answered_on', label: 'interp.answeredOn', type: 'date', required: true, value: today() });
  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'answer' } },
    formError(), answer.wrap, on.wrap, h('div', { class: 'actions' }, submit('interp.saveAnswer')));
  onSubmit(form, async () => {
    if (!answer.input.value.trim()) throw new ApiError(422, 'answer_missing', '', 'answer');
    await post(`/api/interpellations/${encodeURIComponent(it.id)}/answer`, { answer: answer.input.value.trim(), answered_on: on.input.value });
    await done();
  }, { answer_missing: 'interp.error.answer', answer_before_receipt: 'interp.error.early', out_of_range: 'interp.error.day' });
  return form;
}

const FILE_ERRORS = { file_missing: 'docs.error.noFile', body_too_large: 'docs.error.tooLarge' };

/** The files of one part under its label, as links, each with a remove button when allowed. */
function fileList(it, part, canChange, done) {
  const files = (it.attachments || []).filter((f) => f.part === part);
  if (!files.length) return null;
  const label = h('p', { class: 'muted', i18n: part === 'answer' ? 'interp.answerFiles' : 'interp.filingFiles' });
  return [label, h('ul', { class: 'link-list', dataset: { attachments: part } }, files.map((f) => {
    const remove = canChange ? h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', i18n: 'common.remove', i18nAttr: 'aria-label:interp.removeFile', i18nParams: { name: f.filename } }) : null;
    const err = h('span', { class: 'field-error', role: 'alert' });
    if (remove) remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await del(f.url);
        await done();
      } catch (e) {
        err.textContent = errorText(e);
        remove.disabled = false;
      }
    });
    return h('li', {}, h('a', { href: f.url, download: '' }, f.filename), remove ? [' ', remove, err] : null);
  }))];
}

function attachForm(it, part, done) {
  const file = field({ name: 'file', label: part === 'answer' ? 'interp.answerFile' : 'interp.filingFile', hint: 'docs.fileHint', type: 'file', attrs: { accept: '.pdf,.docx,.doc,.odt,.ods,.xlsx,.rtf,.txt,.csv,.jpg,.jpeg,.png' } });
  const form = h('form', { class: 'form upload-form', novalidate: true, dataset: { form: `attach-${part}` } },
    formError(), file.wrap, h('div', { class: 'actions' }, submit('interp.attach')));
  onSubmit(form, async () => {
    const f = file.input.files && file.input.files[0];
    if (!f) throw new ApiError(422, 'file_missing', '', 'file');
    await uploadFile(`/api/interpellations/${encodeURIComponent(it.id)}/attachments?part=${part}`, f);
    await done();
  }, FILE_ERRORS);
  return form;
}

function card(it, body, done) {
  const me = getMe();
  const isAuthor = !!me && it.author.id === me.user.id;
  const mayFiling = body.can_prepare || (isAuthor && it.status === 'filed');
  const mayAnswer = body.can_prepare && it.status !== 'filed';
  const badges = [h('span', { class: 'badge', dataset: { status: it.status }, i18n: `interp.status.${it.status}` })];
  if (it.is_overdue) badges.push(' ', h('span', { class: 'badge badge-warn', dataset: { overdue: '' }, i18n: 'interp.overdue' }));
  const facts = h('dl', { class: 'facts' },
    h('dt', { i18n: 'interp.author' }), h('dd', {}, it.author.name),
    it.received_on ? [h('dt', { i18n: 'interp.receivedOn' }), h('dd', {}, it.received_on)] : null,
    it.due_on ? [h('dt', { i18n: 'interp.dueOn' }), h('dd', {}, it.due_on)] : null,
    it.answered_on ? [h('dt', { i18n: 'interp.answeredOn' }), h('dd', {}, it.answered_on)] : null);
  const parts = [
    h('h3', {}, it.number ? `${it.number} — ` : '', h('span', { i18n: `interp.kind.${it.kind}` }), `: ${it.subject}`),
    h('p', {}, badges), facts,
    h('details', { class: 'disclosure' }, h('summary', { i18n: 'interp.showText' }), h('p', { class: 'chat-text' }, it.text)),
    fileList(it, 'filing', mayFiling, done),
    it.answer ? h('details', { class: 'disclosure' }, h('summary', { i18n: 'interp.showAnswer' }), h('p', { class: 'chat-text' }, it.answer)) : null,
    fileList(it, 'answer', mayAnswer, done),
  ];
  if (mayFiling) parts.push(h('details', { class: 'disclosure' }, h('summary', { i18n: 'interp.filingFilesHeading' }), attachForm(it, 'filing', done)));
  if (mayAnswer) parts.push(h('details', { class: 'disclosure' }, h('summary', { i18n: 'interp.answerFilesHeading' }), attachForm(it, 'answer', done)));
  if (body.can_prepare && it.status === 'filed') parts.push(h('details', { class: 'disclosure' }, h('summary', { i18n: 'interp.registerHeading' }), registerForm(it, done)));
  if (body.can_prepare && it.status !== 'filed') parts.push(h('details', { class: 'disclosure' }, h('summary', { i18n: it.answer ? 'interp.changeAnswer' : 'interp.answerHeading' }), answerForm(it, done)));
  return h('li', { class: 'card', dataset: { interpellationId: it.id, status: it.status } }, parts);
}

function fileForm(body, status, refresh) {
  const kind = field({ name: 'kind', label: 'interp.kindField', tag: 'select', options: [['interpellation', 'interp.kind.interpellation'], ['question', 'interp.kind.question']], value: 'interpellation' });
  const subject = field({ name: 'subject', label: 'interp.subject', required: true, attrs: { maxlength: '200' } });
  const text = field({ name: 'text', label: 'interp.text', hint: 'interp.textHint', tag: 'textarea', required: true, attrs: { rows: '6', maxlength: '10000' } });
  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'file-interpellation' } },
    formError(), kind.wrap, subject.wrap, text.wrap, h('div', { class: 'actions' }, submit('interp.file')));
  onSubmit(form, async () => {
    if (!subject.input.value.trim()) throw new ApiError(422, 'subject_missing', '', 'subject');
    if (!text.input.value.trim()) throw new ApiError(422, 'text_missing', '', 'text');
    await post(`/api/bodies/${encodeURIComponent(body.id)}/interpellations`, { kind: kind.input.value, subject: subject.input.value.trim(), text: text.input.value.trim() });
    subject.input.value = '';
    text.input.value = '';
    setI18n(status, 'interp.filed');
    await refresh();
  }, { subject_missing: 'interp.error.subject', text_missing: 'interp.error.text' });
  return h('details', { class: 'disclosure', dataset: { disclosure: 'file-interpellation' } }, h('summary', { i18n: 'interp.new' }), form);
}

/** The section: {node, refresh}. */
export function interpellationsSection(body) {
  const status = statusLine();
  const list = h('ul', { class: 'cards', role: 'list', dataset: { list: 'interpellations' } });
  const q = field({ name: 'q', label: 'interp.search', type: 'search', attrs: { maxlength: '200' } });
  const search = h('form', { class: 'form', role: 'search', novalidate: true, dataset: { form: 'interp-search' } },
    formError(), q.wrap, h('div', { class: 'actions' }, submit('interp.searchButton')));
  const pub = `/api/public/bodies/${encodeURIComponent(body.id)}/interpellations`;
  const refresh = async () => {
    const query = q.input.value.trim() ? `?q=${encodeURIComponent(q.input.value.trim())}` : '';
    const { interpellations } = await get(`/api/bodies/${encodeURIComponent(body.id)}/interpellations${query}`);
    list.replaceChildren(...(interpellations.length
      ? interpellations.map((it) => card(it, body, async () => {
        setI18n(status, 'interp.saved');
        await refresh();
      }))
      : [h('li', { class: 'empty', i18n: 'interp.none' })]));
  };
  onSubmit(search, refresh);
  const links = h('p', { class: 'actions' },
    h('a', { class: 'btn', href: `${pub}.csv?lang=${getLang()}`, download: '', dataset: { interpCsv: '' }, i18n: 'interp.csv' }), ' ',
    h('a', { class: 'btn', href: pub, dataset: { interpJson: '' }, i18n: 'interp.json' }), ' ',
    h('a', { class: 'btn', href: `/public/bodies/${encodeURIComponent(body.id)}/interpellations${getLang() === 'en' ? '?lang=en' : ''}`, dataset: { interpPage: '' }, i18n: 'interp.publicPage' }));
  const node = section('interp.heading', [h('p', { i18n: 'interp.intro' }), body.is_member ? fileForm(body, status, refresh) : null,
    search, status, list, links]);
  node.dataset.section = 'interpellations';
  return { node, refresh };
}
