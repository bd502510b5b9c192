// views/meeting-prep.js — "/meetings/{id}" for the council office: the
// meeting's details (editable), the agenda (add, edit, remove, reorder with
// up/down buttons; only before convening), documents per item (uploaded
// with fetch: the File as the body, its type and its percent-encoded name in
// headers), guests, the scrutiny committee, and convening with a
// confirmation; then the status and the way to the console.

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { get, post, patch, del, uploadFile, ApiError } from '../api.js';
import {
  field, checkbox, formError, statusLine, submit, onSubmit, section, errorText, uid,
} from '../ui.js';
import { meetingName, startsText, statusBadge, documentList, confirmAction } from './meeting-ui.js';
import { meetingFields, MEETING_FORM_ERRORS } from './meetings.js';

function fill(el, msg) {
  if (msg.key) setI18n(el, msg.key, msg.params);
  else {
    el.removeAttribute('data-i18n');
    el.textContent = msg.text;
  }
}

/** Uploads file to the meeting (for item; as its draft resolution when draft). */
export async function uploadDocument(meetingId, itemId, file, draft) {
  const q = new URLSearchParams();
  if (itemId) q.set('item', itemId);
  if (draft) q.set('draft_resolution', '1');
  return uploadFile(`/api/meetings/${encodeURIComponent(meetingId)}/documents?${q}`, file);
}

const DOC_ERRORS = { too_large: 'docs.error.tooLarge', payload_too_large: 'docs.error.tooLarge', file_missing: 'docs.error.noFile' };

export async function renderPrep(outlet, { details: initial, router }) {
  let m = initial;
  const id = m.id;
  const base = `/api/meetings/${encodeURIComponent(id)}`;
  const pid = encodeURIComponent(id);
  const isDraft = () => m.status === 'draft';
  const isOpen = () => m.status !== 'closed' && m.status !== 'archived';

  const heading = h('h1', {}, meetingName(m));
  const when = h('p', { class: 'meeting-when' });
  const statusBox = h('div', { class: 'meeting-status', dataset: { region: 'status' } });
  const status = statusLine();

  async function reload() {
    m = await get(base);
    heading.textContent = meetingName(m);
    renderAll();
  }

  // ---- details
  const facts = h('div', {});
  const detailsForm = h('form', { class: 'form', novalidate: true, dataset: { form: 'meeting-details' } });
  const detailsStatus = statusLine();
  function renderDetails() {
    facts.replaceChildren(h('dl', { class: 'facts' },
      h('dt', { i18n: 'meeting.date' }), h('dd', {}, startsText(m)),
      h('dt', { i18n: 'meeting.place' }), h('dd', {}, m.place || '—'),
      h('dt', { i18n: 'meeting.mode' }), h('dd', { i18n: `meeting.mode.${m.mode}` }),
      h('dt', { i18n: 'meeting.public' }), h('dd', { i18n: m.is_public ? 'common.yes' : 'common.no' }),
      h('dt', { i18n: 'meeting.broadcastUrl' }), h('dd', {}, m.broadcast_url ? h('a', { href: m.broadcast_url, rel: 'noopener noreferrer' }, m.broadcast_url) : '—')));
    const f = meetingFields(m);
    detailsForm.replaceChildren(formError(), ...f.nodes,
      m.status === 'convened' ? h('p', { class: 'field-hint', i18n: 'meeting.changeNotifies' }) : null,
      h('div', { class: 'actions' }, submit('common.save')));
    detailsForm.values = f.values;
  }
  onSubmit(detailsForm, async () => {
    await patch(base, detailsForm.values());
    await reload();
    setI18n(detailsStatus, 'common.saved');
  }, MEETING_FORM_ERRORS);

  // ---- agenda
  const agendaBox = h('div', { dataset: { region: 'agenda-prep' } });
  const agendaStatus = statusLine();

  async function agendaAction(fn, focusKey = null) {
    agendaStatus.replaceChildren();
    try {
      await fn();
      await reload();
      if (focusKey) {
        const el = agendaBox.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]:not(:disabled)`)
          || agendaBox.querySelector(`[data-focus-key="${CSS.escape(focusKey.replace(/^(up|down)/, (x) => (x === 'up' ? 'down' : 'up')))}"]`);
        el?.focus();
      }
    } catch (err) {
      fill(agendaStatus, errorText(err));
      agendaStatus.classList.add('status-error');
    }
  }

  function move(i, dir) {
    const order = m.agenda.map((it) => it.id);
    const j = i + dir;
    [order[i], order[j]] = [order[j], order[i]];
    const itemId = m.agenda[i].id;
    return agendaAction(async () => {
      await post(`${base}/agenda/order`, { order });
      setI18n(agendaStatus, 'agenda.moved', { title: m.agenda[i].title, position: j + 1 });
    }, `${dir < 0 ? 'up' : 'down'}-${itemId}`);
  }

  function itemNode(it, i) {
    const editable = isDraft();
    const n = m.agenda.length;
    const docs = it.documents || [];
    const li = h('li', { class: 'agenda-item prep-item', dataset: { itemId: it.id } });
    li.append(h('h3', { class: 'prep-item-title' }, h('span', { class: 'item-pos' }, `${it.position}. `), it.title,
      it.is_amendment ? [' ', h('span', { class: 'badge', i18n: 'agenda.amendment' })] : null));
    if (it.description) li.append(h('p', { class: 'item-desc' }, it.description));
    if (editable) {
      const up = h('button', { type: 'button', class: 'btn btn-small', disabled: i === 0, dataset: { action: 'up', focusKey: `up-${it.id}` }, i18nAttr: 'aria-label:agenda.upOf', i18nParams: { title: it.title } }, h('span', { 'aria-hidden': 'true' }, '↑ '), h('span', { i18n: 'agenda.up' }));
      const down = h('button', { type: 'button', class: 'btn btn-small', disabled: i === n - 1, dataset: { action: 'down', focusKey: `down-${it.id}` }, i18nAttr: 'aria-label:agenda.downOf', i18nParams: { title: it.title } }, h('span', { 'aria-hidden': 'true' }, '↓ '), h('span', { i18n: 'agenda.down' }));
      up.addEventListener('click', () => move(i, -1));
      down.addEventListener('click', () => move(i, 1));
      const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', dataset: { action: 'remove-item' }, i18n: 'common.remove', i18nAttr: 'aria-label:agenda.removeOf', i18nParams: { title: it.title } });
      remove.addEventListener('click', () => confirmAction(remove, { key: 'agenda.removeConfirm', params: { title: it.title }, yesKey: 'common.confirmRemove', danger: true }, async () => {
        await del(`${base}/agenda/${encodeURIComponent(it.id)}`);
        await reload();
        setI18n(agendaStatus, 'agenda.removed', { title: it.title });
        agendaBox.closest('section')?.querySelector('h2')?.focus();
      }));
      li.append(h('div', { class: 'actions item-actions' }, up, down, remove));
      const title = field({ name: 'title', label: 'agenda.itemTitle', required: true, value: it.title, attrs: { maxlength: '200' } });
      const desc = field({ name: 'description', label: 'agenda.itemDescription', tag: 'textarea', value: it.description, attrs: { rows: '2', maxlength: '4000' } });
      const form = h('form', { class: 'form', novalidate: true }, formError(), title.wrap, desc.wrap, h('div', { class: 'actions' }, submit('common.save')));
      onSubmit(form, async () => {
        if (!title.input.value.trim()) throw new ApiError(422, 'title', '', 'title');
        await patch(`${base}/agenda/${encodeURIComponent(it.id)}`, { title: title.input.value.trim(), description: desc.input.value.trim() });
        await reload();
        setI18n(agendaStatus, 'common.saved');
      }, { title: 'agenda.titleMissing' });
      li.append(h('details', { class: 'disclosure' }, h('summary', { i18n: 'agenda.edit', i18nAttr: 'aria-label:agenda.editOf', i18nParams: { title: it.title } }), form));
    }
    // documents
    li.append(h('h4', { i18n: 'docs.heading' }));
    li.append(docs.length ? documentList(docs, isOpen() ? (d) => {
      const b = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', i18n: 'common.remove', i18nAttr: 'aria-label:docs.removeOf', i18nParams: { name: d.filename } });
      b.addEventListener('click', () => confirmAction(b, { key: 'docs.removeConfirm', params: { name: d.filename }, yesKey: 'common.confirmRemove', danger: true }, async () => {
        await del(`${base}/documents/${encodeURIComponent(d.id)}`);
        await reload();
      }));
      return [' ', b];
    } : null) : h('p', { class: 'muted', i18n: 'docs.none' }));
    if (isOpen()) {
      const file = field({ name: 'file', label: 'docs.file', hint: 'docs.fileHint', type: 'file', labelParams: { title: it.title }, attrs: { accept: '.pdf,.docx,.doc,.odt,.ods,.xlsx,.rtf,.txt,.csv,.jpg,.jpeg,.png' } });
      const draft = checkbox({ name: 'draft_resolution', label: 'docs.draftLabel' });
      const st = statusLine();
      const form = h('form', { class: 'form upload-form', novalidate: true, dataset: { form: 'upload', itemId: it.id } },
        formError(), file.wrap, draft.wrap, h('div', { class: 'actions' }, submit('docs.upload')), st);
      onSubmit(form, async () => {
        const f = file.input.files && file.input.files[0];
        if (!f) throw new ApiError(422, 'file_missing', '', 'file');
        const d = await uploadDocument(id, it.id, f, draft.input.checked);
        await reload();
        const again = agendaBox.querySelector(`form[data-item-id="${CSS.escape(it.id)}"] [role="status"]`);
        if (again) setI18n(again, 'docs.uploaded', { name: d.filename });
      }, DOC_ERRORS);
      li.append(form);
    }
    return li;
  }

  const addTitle = field({ name: 'title', label: 'agenda.itemTitle', required: true, attrs: { maxlength: '200' } });
  const addDesc = field({ name: 'description', label: 'agenda.itemDescription', tag: 'textarea', attrs: { rows: '2', maxlength: '4000' } });
  const addForm = h('form', { class: 'form', novalidate: true, dataset: { form: 'add-item' } },
    h('h3', { i18n: 'agenda.addHeading' }), formError(), addTitle.wrap, addDesc.wrap, h('div', { class: 'actions' }, submit('agenda.add')));
  onSubmit(addForm, async () => {
    if (!addTitle.input.value.trim()) throw new ApiError(422, 'title', '', 'title');
    const it = await post(`${base}/agenda`, { title: addTitle.input.value.trim(), description: addDesc.input.value.trim() });
    addTitle.input.value = '';
    addDesc.input.value = '';
    await reload();
    setI18n(agendaStatus, 'agenda.added', { title: it.title });
    addTitle.input.focus();
  }, { title: 'agenda.titleMissing' });

  function renderAgenda() {
    agendaBox.replaceChildren(
      m.agenda.length ? h('ol', { class: 'agenda agenda-prep', dataset: { list: 'agenda' } }, m.agenda.map(itemNode)) : h('p', { class: 'muted', i18n: 'agenda.empty' }),
      isDraft() ? addForm : h('p', { class: 'field-hint', i18n: m.status === 'in_progress' ? 'agenda.amendOnly' : 'agenda.locked' }));
  }

  // ---- participants: guests and the scrutiny committee
  const guestsBox = h('div', { dataset: { region: 'guests' } });
  const scrutinyBox = h('div', { dataset: { region: 'scrutiny' } });
  const guestStatus = statusLine();
  async function renderPeople() {
    let people = [];
    try {
      ({ participants: people } = await get(`${base}/participants`));
    } catch (err) {
      fill(guestStatus, errorText(err));
      return;
    }
    const guests = people.filter((p) => p.is_guest);
    guestsBox.replaceChildren(guests.length
      ? h('ul', { class: 'people', dataset: { list: 'guests' } }, guests.map((g) => {
        const b = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', i18n: 'common.remove', i18nAttr: 'aria-label:guests.removeOf', i18nParams: { name: g.name } });
        b.addEventListener('click', () => confirmAction(b, { key: 'guests.removeConfirm', params: { name: g.name }, yesKey: 'common.confirmRemove', danger: true }, async () => {
          await del(`${base}/participants/${encodeURIComponent(g.user_id)}`);
          await renderPeople();
          setI18n(guestStatus, 'guests.removed', { name: g.name });
        }));
        return h('li', { dataset: { userId: g.user_id } }, h('span', { class: 'person-name' }, g.name), ' ',
          g.email ? h('span', { class: 'person-email' }, g.email) : null, ' ',
          g.is_scrutiny ? h('span', { class: 'badge', i18n: 'meeting.scrutinyBadge' }) : null, ' ', b);
      }))
      : h('p', { class: 'muted', i18n: 'guests.none' }));
    // scrutiny committee: every participant, a checkbox each
    const boxes = people.map((p) => {
      const c = checkbox({ name: `scrutiny-${p.user_id}`, label: 'scrutiny.personLabel', checked: p.is_scrutiny });
      c.wrap.querySelector('label').removeAttribute('data-i18n');
      c.wrap.querySelector('label').textContent = p.name;
      c.input.value = p.user_id;
      return c.wrap;
    });
    const sst = statusLine();
    const form = h('form', { class: 'form', novalidate: true, dataset: { form: 'scrutiny' } },
      h('fieldset', { class: 'checks' }, h('legend', { i18n: 'scrutiny.legend' }), boxes),
      formError(), h('div', { class: 'actions' }, submit('scrutiny.save')), sst);
    onSubmit(form, async () => {
      const ids = Array.from(form.querySelectorAll('input[type="checkbox"]:checked')).map((x) => x.value);
      await post(`${base}/scrutiny`, { user_ids: ids });
      setI18n(sst, 'scrutiny.saved', { count: ids.length });
    });
    scrutinyBox.replaceChildren(h('details', { class: 'disclosure' }, h('summary', { i18n: 'scrutiny.edit' }), form));
  }
  const gEmail = field({ name: 'email', label: 'member.email', type: 'email', required: true, attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' } });
  const gName = field({ name: 'name', label: 'member.name', required: true, attrs: { maxlength: '200', autocomplete: 'off' } });
  const gScrutiny = checkbox({ name: 'is_scrutiny', label: 'guests.scrutiny' });
  const guestForm = h('form', { class: 'form', novalidate: true, dataset: { form: 'guest' } },
    h('h3', { i18n: 'guests.addHeading' }), formError(), gEmail.wrap, gName.wrap, gScrutiny.wrap, h('div', { class: 'actions' }, submit('guests.add')));
  onSubmit(guestForm, async () => {
    const g = await post(`${base}/participants`, { email: gEmail.input.value.trim(), name: gName.input.value.trim(), is_scrutiny: gScrutiny.input.checked });
    gEmail.input.value = '';
    gName.input.value = '';
    gScrutiny.input.checked = false;
    await renderPeople();
    setI18n(guestStatus, 'guests.added', { name: g.name });
  }, { email_invalid: 'signIn.error.emailInvalid' });

  // ---- convening and the way on
  const conveneBox = h('div', { dataset: { region: 'convene' } });
  function renderConvene() {
    const out = [];
    if (m.status === 'draft') {
      out.push(h('p', { i18n: 'convene.intro' }));
      const b = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'convene' }, i18n: 'convene.button' });
      // The regulation's notice is 7 days; a shorter one is possible, after a warning.
      const daysLeft = Math.floor((m.starts_at_ms - Date.now()) / 86400000);
      const isShort = daysLeft < 7;
      if (isShort) out.push(h('p', { class: 'notice', dataset: { shortNotice: String(Math.max(0, daysLeft)) }, i18n: 'convene.shortNotice', i18nParams: { days: Math.max(0, daysLeft) } }));
      b.addEventListener('click', () => confirmAction(b, { key: isShort ? 'convene.confirmShort' : 'convene.confirm', params: { count: m.agenda.length, days: Math.max(0, daysLeft) }, yesKey: 'convene.yes' }, async () => {
        const r = await post(`${base}/convene`);
        await reload();
        setI18n(status, 'convene.done', { count: r.invited });
        conveneBox.closest('section')?.querySelector('h2')?.focus();
      }));
      out.push(h('div', { class: 'actions' }, b));
    } else {
      out.push(h('p', { dataset: { convened: m.convened_at || '' } }, h('span', { i18n: 'convene.convenedAt' }), ' ',
        m.convened_at ? startsText({ starts_at: m.convened_at }) : '—'));
    }
    if (m.me.can_conduct && m.status !== 'closed') {
      out.push(h('p', {}, h('a', { class: 'btn btn-primary', href: `/meetings/${pid}/console`, dataset: { link: 'console' }, i18n: 'meeting.toConsole' })));
    }
    conveneBox.replaceChildren(...out);
  }

  function renderAll() {
    when.textContent = `${startsText(m)}${m.place ? ` · ${m.place}` : ''}`;
    statusBox.replaceChildren(statusBadge(m.status));
    renderDetails();
    renderAgenda();
    renderConvene();
  }
  renderAll();
  await renderPeople();

  const views = h('nav', { class: 'sub-nav', i18nAttr: 'aria-label:meeting.views' },
    h('ul', { class: 'link-list inline-links' },
      m.me.can_conduct ? h('li', {}, h('a', { href: `/meetings/${pid}/console`, i18n: 'meeting.toConsole' })) : null,
      h('li', {}, h('a', { href: `/meetings/${pid}/projector`, i18n: 'meeting.toProjector' })),
      m.is_public ? h('li', {}, h('a', { href: `/meetings/${pid}/public`, i18n: 'meeting.toPublic' })) : null,
      m.status === 'archived' ? h('li', {}, h('a', { href: `/api/meetings/${pid}/archive.zip`, download: '', dataset: { link: 'archive' }, i18n: 'meeting.archiveBundle' })) : null));

  void router;
  const detailsId = uid('det');
  return [
    h('p', { class: 'eyebrow' }, m.body ? h('a', { href: `/bodies/${encodeURIComponent(m.body.id)}` }, m.body.name) : ''),
    heading,
    when,
    statusBox,
    views,
    status,
    section('convene.heading', conveneBox),
    h('section', { class: 'panel', 'aria-labelledby': detailsId },
      h('h2', { id: detailsId, i18n: 'meeting.details' }), facts,
      h('details', { class: 'disclosure', dataset: { disclosure: 'edit-meeting' } }, h('summary', { i18n: 'meeting.edit' }), detailsForm), detailsStatus),
    section('agenda.heading', [agendaStatus, agendaBox]),
    section('guests.heading', [h('p', { class: 'field-hint', i18n: 'guests.intro' }), guestStatus, guestsBox, guestForm]),
    section('scrutiny.heading', scrutinyBox),
  ];
}
