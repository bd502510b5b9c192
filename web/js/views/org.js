// views/org.js — "/orgs/{id}": one organisation: its settings (admins edit
// them), its staff (admins add and remove admins and operators) and its bodies
// (admins create them: name, kind, statutory size, quorum rule, vote duration).

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { get, post, patch, del } from '../api.js';
import { requireMe, isOrgAdmin, loadMe } from '../session.js';
import {
  field, checkbox, formError, statusLine, submit, onSubmit, section, failedView, signInRequired, tr,
} from '../ui.js';
import { orgFields } from './orgs.js';

export const titleKey = 'org.title';

export const BODY_KINDS = ['council', 'committee', 'faculty_council', 'institute_board', 'senate',
  'habilitation_committee', 'doctoral_committee', 'other'];
export const QUORUM_RULES = ['half_statutory', 'majority_statutory', 'two_thirds_statutory', 'none'];

/** The fields of a body (create here, edit on the body page). */
export function bodyFields(body = null) {
  const name = field({ name: 'name', label: 'body.name', required: true, value: body ? body.name : '', attrs: { maxlength: '200' } });
  const kind = field({ name: 'kind', label: 'body.kind', tag: 'select', options: BODY_KINDS.map((k) => [k, `kind.${k}`]), value: body ? body.kind : 'council' });
  const size = field({ name: 'statutory_size', label: 'body.size', hint: 'body.sizeHint', type: 'number', required: true, value: body ? String(body.statutory_size) : '', attrs: { min: '1', max: '1000', step: '1', inputmode: 'numeric' } });
  const quorum = field({ name: 'quorum_rule', label: 'body.quorum', tag: 'select', options: QUORUM_RULES.map((q) => [q, `quorum.${q}`]), value: body ? body.quorum_rule : 'half_statutory' });
  const duration = field({ name: 'vote_duration_s', label: 'body.duration', hint: 'body.durationHint', type: 'number', value: String(body ? Math.round(body.vote_duration_s / 6) / 10 : 10), attrs: { min: '0.5', max: '1440', step: '0.5', inputmode: 'decimal' } });
  // The scrutiny committee confirms each result before it is announced (off for councils).
  const confirm = checkbox({ name: 'confirm_results', label: 'body.confirmResults', hint: 'body.confirmResultsHint', checked: !!(body && body.confirm_results) });
  // The shortest attendance check without an override (#20.12) and the console's default audio bitrate (#14).
  const checkMin = field({ name: 'attendance_min_s', label: 'body.checkMin', hint: 'body.checkMinHint', type: 'number', value: String(body && body.attendance_min_s ? body.attendance_min_s : 120), attrs: { min: '10', max: '3600', step: '1', inputmode: 'numeric' } });
  // Members with weights (shares): cooperatives, housing communities, general assemblies.
  const weights = checkbox({ name: 'uses_weights', label: 'body.usesWeights', hint: 'body.usesWeightsHint', checked: !!(body && body.uses_weights) });
  const kbps = field({ name: 'audio_kbps', label: 'body.audioKbps', hint: 'body.audioKbpsHint', tag: 'select', value: String(body && body.audio_kbps ? body.audio_kbps : 32), options: [16, 24, 32, 48, 64].map((k) => [String(k), `audio.kbps${k}`]) });
  const values = () => ({
    name: name.input.value.trim(),
    kind: kind.input.value,
    statutory_size: Number.parseInt(size.input.value, 10),
    quorum_rule: quorum.input.value,
    vote_duration_s: Math.round(Number.parseFloat(duration.input.value.replace(',', '.')) * 60),
    confirm_results: confirm.input.checked,
    attendance_min_s: Number(checkMin.input.value.trim()),
    audio_kbps: Number.parseInt(kbps.input.value, 10),
    uses_weights: weights.input.checked,
  });
  return { nodes: [name.wrap, kind.wrap, size.wrap, quorum.wrap, duration.wrap, confirm.wrap, weights.wrap, checkMin.wrap, kbps.wrap], values };
}

function settingsSection(org, canEdit, onSaved) {
  if (!canEdit) {
    return section('org.settings', h('dl', { class: 'facts' },
      h('dt', { i18n: 'org.domains' }), h('dd', {}, org.email_domains.join(', ') || '—'),
      h('dt', { i18n: 'org.timeZone' }), h('dd', {}, org.time_zone),
      h('dt', { i18n: 'org.lang' }), h('dd', { i18n: `lang.${org.default_lang}` }),
      h('dt', { i18n: 'org.retention' }), h('dd', { i18n: 'org.retentionValue', i18nParams: { count: org.retention_months } })));
  }
  const f = orgFields(org);
  const status = statusLine();
  const form = h('form', { class: 'form', novalidate: true },
    formError(), f.nodes, h('div', { class: 'actions' }, submit('common.save')), status);
  onSubmit(form, async () => {
    status.replaceChildren();
    const o = await patch(`/api/orgs/${encodeURIComponent(org.id)}`, f.values());
    setI18n(status, 'common.saved');
    onSaved(o);
  });
  return section('org.settings', form);
}

function staffSection(org, canManage) {
  const list = h('ul', { class: 'people', role: 'list', dataset: { list: 'staff' } });
  const status = statusLine();
  const refresh = async () => {
    const { staff } = await get(`/api/orgs/${encodeURIComponent(org.id)}/staff`);
    list.replaceChildren(...staff.map((s) => {
      const li = h('li', { class: 'person' },
        h('span', { class: 'person-name' }, s.name), ' ',
        h('span', { class: 'person-email' }, s.email), ' ',
        h('span', { class: 'badge', i18n: `staff.${s.role}` }));
      if (canManage) {
        const remove = h('button', { type: 'button', class: 'btn btn-small', i18n: 'common.remove', i18nAttr: 'aria-label:org.staffRemove', i18nParams: { name: s.name } });
        remove.addEventListener('click', () => confirmInline(li, remove, { key: 'org.staffRemoveConfirm', params: { name: s.name } }, async () => {
          await del(`/api/orgs/${encodeURIComponent(org.id)}/staff/${encodeURIComponent(s.user_id)}`);
          setI18n(status, 'org.staffRemoved', { name: s.name });
          await refresh();
        }));
        li.append(' ', remove);
      }
      return li;
    }));
    if (!staff.length) list.append(h('li', { i18n: 'org.noStaff' }));
  };
  const children = [list, status];
  if (canManage) {
    const email = field({ name: 'email', label: 'member.email', type: 'email', required: true, attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' } });
    const name = field({ name: 'name', label: 'member.name', required: true, attrs: { autocomplete: 'off', maxlength: '200' } });
    const role = field({ name: 'role', label: 'member.role', tag: 'select', options: [['operator', 'staff.operator'], ['admin', 'staff.admin']] });
    const form = h('form', { class: 'form form-inline', novalidate: true },
      h('h3', { i18n: 'org.staffAdd' }), formError(), email.wrap, name.wrap, role.wrap,
      h('div', { class: 'actions' }, submit('org.staffAddButton')));
    onSubmit(form, async () => {
      const r = await post(`/api/orgs/${encodeURIComponent(org.id)}/staff`, {
        email: email.input.value.trim(), name: name.input.value.trim(), role: role.input.value,
      });
      email.input.value = '';
      name.input.value = '';
      setI18n(status, 'org.staffAdded', { name: r.name });
      await refresh();
      await loadMe().catch(() => {});
    });
    children.push(form);
  }
  return { node: section('org.staff', children), refresh };
}

/**
 * Replaces trigger by "Are you sure? [Yes] [Cancel]" inside container; runs
 * action on yes. Focus goes to the question's confirm button, and back to the
 * trigger on cancel.
 */
export function confirmInline(container, trigger, question, action) {
  const box = h('span', { class: 'confirm', role: 'group' });
  const q = h('span', { class: 'confirm-question', i18n: question.key, i18nParams: question.params });
  const err = h('span', { class: 'field-error', role: 'alert' });
  const yes = h('button', { type: 'button', class: 'btn btn-danger btn-small', i18n: 'common.confirmRemove' });
  const no = h('button', { type: 'button', class: 'btn btn-small', i18n: 'common.cancel' });
  box.setAttribute('aria-label', tr(question.key, question.params));
  box.append(q, ' ', yes, ' ', no, err);
  trigger.replaceWith(box);
  yes.focus();
  no.addEventListener('click', () => {
    box.replaceWith(trigger);
    trigger.focus();
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    try {
      await action();
    } catch (e) {
      yes.disabled = false;
      no.disabled = false;
      err.textContent = e && e.message ? e.message : tr('error.unexpectedShort');
    }
  });
  void container;
}

function bodiesSection(org, canCreate, router) {
  const list = h('ul', { class: 'cards', role: 'list', dataset: { list: 'bodies' } });
  const refresh = async () => {
    const { bodies } = await get(`/api/orgs/${encodeURIComponent(org.id)}/bodies`);
    list.replaceChildren(...bodies.map((b) => h('li', { class: 'card', dataset: { bodyId: b.id } },
      h('h3', {}, h('a', { href: `/bodies/${encodeURIComponent(b.id)}` }, b.name)),
      h('p', { i18n: `kind.${b.kind}` }),
      h('p', { i18n: 'org.bodyMembers', i18nParams: { count: b.member_count ?? 0, size: b.statutory_size } }))));
    if (!bodies.length) list.append(h('li', { class: 'empty', i18n: 'org.noBodies' }));
  };
  const children = [list];
  if (canCreate) {
    const f = bodyFields();
    const form = h('form', { class: 'form', novalidate: true },
      h('h3', { i18n: 'org.bodyCreate' }), formError(), f.nodes,
      h('div', { class: 'actions' }, submit('org.bodyCreateButton')));
    onSubmit(form, async () => {
      const b = await post(`/api/orgs/${encodeURIComponent(org.id)}/bodies`, f.values());
      router.navigate(`/bodies/${encodeURIComponent(b.id)}`);
    });
    children.push(form);
  }
  return { node: section('org.bodies', children), refresh };
}

export async function render(outlet, { params, path, router }) {
  const me = await requireMe().catch(() => null);
  if (!me) return signInRequired(path);
  const id = encodeURIComponent(params.id);
  let org;
  try {
    org = await get(`/api/orgs/${id}`);
  } catch (err) {
    return failedView(err);
  }
  const admin = isOrgAdmin(org.id);
  const heading = h('h1', {}, org.name);
  const staff = staffSection(org, admin);
  const bodies = bodiesSection(org, admin, router);
  try {
    await Promise.all([staff.refresh(), bodies.refresh()]);
  } catch (err) {
    return failedView(err);
  }
  return [
    h('p', { class: 'eyebrow', i18n: 'org.eyebrow' }),
    heading,
    bodies.node,
    staff.node,
    settingsSection(org, admin, (o) => {
      heading.textContent = o.name;
    }),
  ];
}
