// views/body-proxies.js — the "proxies" part of /bodies/{id} (the office):
// the register of proxies (pełnomocnictwa) — member A votes for member B at
// one meeting or over a range of days — with the signed document uploaded
// with the form; the list with the document's download and revocation (who,
// when). The server refuses chains, overlaps and non-members naming the
// field (docs/api.md "Proxies"); the message is shown next to it.

import { h } from '../dom.js';
import { setI18n, t } from '../i18n.js';
import { get, post, ApiError, uploadFile } from '../api.js';
import { field, formError, submit, onSubmit, section, statusLine, uid } from '../ui.js';
import { confirmInline } from './org.js';

/** POST the document with the rest in the query (the body is the file). */
async function upload(bodyId, q, file) {
  try {
    return await uploadFile(`/api/bodies/${encodeURIComponent(bodyId)}/proxies?${new URLSearchParams(q)}`, file);
  } catch (err) {
    // The file's own refusals belong next to the file field.
    if (err instanceof ApiError && ['filename', 'content_type'].includes(err.field)) err.field = 'file';
    throw err;
  }
}

const when = (p) => (p.meeting_id ? p.valid_from : `${p.valid_from} – ${p.valid_until}`);

/** The section: {node, refresh()}. */
export function proxiesSection(body) {
  const base = `/api/bodies/${encodeURIComponent(body.id)}`;
  const grantor = field({ name: 'grantor_id', label: 'proxies.grantor', tag: 'select', required: true, hint: 'proxies.grantorHint' });
  const holder = field({ name: 'holder_id', label: 'proxies.holder', tag: 'select', required: true });
  const meeting = field({ name: 'meeting_id', label: 'proxies.meeting', tag: 'select', hint: 'proxies.meetingHint' });
  const from = field({ name: 'valid_from', label: 'proxies.from', type: 'date' });
  const until = field({ name: 'valid_until', label: 'proxies.until', type: 'date' });
  const file = field({ name: 'file', label: 'proxies.document', type: 'file', required: true, hint: 'proxies.documentHint', attrs: { accept: '.pdf,.jpg,.jpeg,.png,.odt,.docx,.doc' } });
  const status = statusLine();
  const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'proxy' } },
    formError(), grantor.wrap, holder.wrap, meeting.wrap,
    h('fieldset', { class: 'field-group' }, h('legend', { i18n: 'proxies.range' }), from.wrap, until.wrap),
    file.wrap, h('div', { class: 'actions' }, submit('proxies.register')), status);
  const holderList = h('div', { class: 'table-wrap', dataset: { proxiesList: '' } });

  function options(select, rows, blankKey) {
    select.replaceChildren(h('option', { value: '', i18n: blankKey }), ...rows.map(([v, text]) => h('option', { value: v }, text)));
  }

  function table(list) {
    if (!list.length) return h('p', { class: 'muted', i18n: 'proxies.none' });
    const captionId = uid('proxies');
    return h('table', { class: 'table stack', 'aria-describedby': captionId },
      h('caption', { id: captionId, i18n: 'proxies.caption' }),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', i18n: 'proxies.grantor' }), h('th', { scope: 'col', i18n: 'proxies.holder' }),
        h('th', { scope: 'col', i18n: 'proxies.when' }), h('th', { scope: 'col', i18n: 'proxies.document' }),
        h('th', { scope: 'col', i18n: 'proxies.state' }))),
      h('tbody', {}, list.map((p) => {
        const state = h('td', { i18nAttr: 'data-label:proxies.state' });
        if (p.revoked_at) {
          setI18n(state, 'proxies.revoked', { name: p.revoked_by_name, when: new Date(p.revoked_at).toLocaleString() });
        } else {
          const revoke = h('button', { type: 'button', class: 'btn', dataset: { revoke: p.id }, i18n: 'proxies.revoke' });
          revoke.addEventListener('click', () => confirmInline(state, revoke, { key: 'proxies.revokeConfirm', params: { grantor: p.grantor_name, holder: p.holder_name } }, async () => {
            await post(`/api/proxies/${encodeURIComponent(p.id)}/revoke`, {});
            setI18n(status, 'proxies.revokedNow', { grantor: p.grantor_name });
            await refresh();
          }));
          state.append(h('span', { i18n: 'proxies.inForce' }), ' ', revoke);
        }
        return h('tr', { dataset: { proxyId: p.id } },
          h('th', { scope: 'row', i18nAttr: 'data-label:proxies.grantor' }, p.grantor_name),
          h('td', { i18nAttr: 'data-label:proxies.holder' }, p.holder_name),
          h('td', { i18nAttr: 'data-label:proxies.when' }, when(p)),
          h('td', { i18nAttr: 'data-label:proxies.document' },
            h('a', { href: `/api/proxies/${encodeURIComponent(p.id)}/document`, download: '' }, p.document.filename)),
          state);
      })));
  }

  async function refresh() {
    const [{ members }, { meetings }, { proxies }] = await Promise.all([
      get(`${base}/members`), get(`${base}/meetings`), get(`${base}/proxies`)]);
    const people = members.map((m) => [m.user_id, m.name]);
    options(grantor.input, people, 'proxies.choose');
    options(holder.input, people, 'proxies.choose');
    const upcoming = meetings.filter((m) => m.status !== 'closed' && m.status !== 'archived');
    options(meeting.input, upcoming.map((m) => [m.id, m.title]), 'proxies.noMeeting');
    holderList.replaceChildren(table(proxies));
  }

  onSubmit(form, async () => {
    status.replaceChildren();
    const q = { grantor_id: grantor.input.value, holder_id: holder.input.value };
    if (meeting.input.value) q.meeting_id = meeting.input.value;
    else {
      q.valid_from = from.input.value;
      q.valid_until = until.input.value;
    }
    const f = file.input.files && file.input.files[0];
    if (!f) throw new ApiError(422, 'missing_field', t('proxies.documentMissing'), 'file');
    const p = await upload(body.id, q, f);
    form.reset();
    await refresh();
    setI18n(status, 'proxies.registered', { grantor: grantor.input.querySelector(`option[value="${CSS.escape(p.grantor_id)}"]`)?.textContent || '' });
  });

  const node = section('proxies.heading', [h('p', { i18n: 'proxies.intro' }), form, h('h3', { i18n: 'proxies.listHeading' }), holderList]);
  return { node, refresh };
}
