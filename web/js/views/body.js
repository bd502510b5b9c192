// views/body.js — "/bodies/{id}": one body: its details (editable by org
// admins: can_update), its members (name, e-mail when we may see it, role,
// groups, external badge), and for those who manage members (can_manage)
// adding, changing the role of and removing members, and importing them from
// a CSV file with a preview (dry run) before anything is written. A chair
// may add external members only (can_add_external). The page is split in
// parts reached by ?tab= (meetings, templates, interpellations, members,
// import, proxies, attendance over a period, settings) so none of
// them is a page of screens.

import { h } from '../dom.js';
import { setI18n } from '../i18n.js';
import { get, post, patch, del, request, ApiError } from '../api.js';
import { requireMe, isOrgStaff, loadMe } from '../session.js';
import {
  field, checkbox, formError, statusLine, submit, onSubmit, section, failedView, signInRequired, splitList, tr, errorText, uid, roleKey,
} from '../ui.js';
import { bodyFields, confirmInline } from './org.js';
import { bodyMeetingsSection } from './meetings.js';
import { attendanceSection } from './body-attendance.js';
import { templatesSection } from './body-templates.js';
import { interpellationsSection } from './body-interpellations.js';
import { proxiesSection } from './body-proxies.js';

export const titleKey = 'body.title';

const ROLES = ['chair', 'vice_chair', 'member', 'secretary'];
const roleOptions = () => ROLES.map((r) => [r, `role.${r}`]);
const CSV_FIELDS = ['name', 'email', 'role', 'groups', 'external', 'weight'];

function fill(el, msg) {
  if (msg.key) setI18n(el, msg.key, msg.params);
  else {
    el.removeAttribute('data-i18n');
    el.textContent = msg.text;
  }
}

function detailsList(body) {
  return h('dl', { class: 'facts', dataset: { body: 'facts' } },
    h('dt', { i18n: 'body.kind' }), h('dd', { i18n: `kind.${body.kind}` }),
    h('dt', { i18n: 'body.size' }), h('dd', {}, String(body.statutory_size)),
    h('dt', { i18n: 'body.quorum' }), h('dd', { i18n: `quorum.${body.quorum_rule}` }),
    h('dt', { i18n: 'body.duration' }), h('dd', { i18n: 'body.durationValue', i18nParams: { minutes: Math.round(body.vote_duration_s / 6) / 10 } }),
    h('dt', { i18n: 'body.confirmResults' }), h('dd', { dataset: { confirmResults: body.confirm_results ? 'yes' : 'no' }, i18n: body.confirm_results ? 'body.confirmResultsOn' : 'body.confirmResultsOff' }),
    h('dt', { i18n: 'body.usesWeights' }), h('dd', { dataset: { usesWeights: body.uses_weights ? 'yes' : 'no' }, i18n: body.uses_weights ? 'body.usesWeightsOn' : 'body.usesWeightsOff' }),
    h('dt', { i18n: 'body.checkMin' }), h('dd', { dataset: { checkMin: String(body.attendance_min_s) }, i18n: 'body.checkMinValue', i18nParams: { s: body.attendance_min_s } }),
    h('dt', { i18n: 'body.audioKbps' }), h('dd', { dataset: { audioKbps: String(body.audio_kbps) }, i18n: `audio.kbps${body.audio_kbps}` }),
    body.help_phone ? [h('dt', { i18n: 'body.helpPhone' }), h('dd', {}, body.help_phone)] : null);
}

function detailsSection(body, onSaved) {
  const wrap = h('div', {}, detailsList(body));
  const children = [wrap];
  if (body.can_update) {
    const f = bodyFields(body);
    const phone = field({ name: 'help_phone', label: 'body.helpPhone', hint: 'body.helpPhoneHint', type: 'tel', value: body.help_phone || '', attrs: { maxlength: '40', autocomplete: 'off' } });
    const status = statusLine();
    const form = h('form', { class: 'form', novalidate: true },
      formError(), f.nodes, phone.wrap, h('div', { class: 'actions' }, submit('common.save')), status);
    onSubmit(form, async () => {
      const b = await patch(`/api/bodies/${encodeURIComponent(body.id)}`, { ...f.values(), help_phone: phone.input.value.trim() });
      Object.assign(body, b);
      wrap.replaceChildren(detailsList(body));
      setI18n(status, 'common.saved');
      onSaved(body);
    });
    children.push(h('details', { class: 'disclosure' }, h('summary', { i18n: 'body.edit' }), form));
  }
  return section('body.details', children);
}

/** The members table; returns {node, refresh}. Compact for an office's
 *  desktop: one line per member, the role and weight edited in their own
 *  columns, the weight's hint said once above the table, e-mails cut with
 *  an ellipsis (the whole address is the link's text and title). */
function membersSection(body) {
  const count = h('p', { class: 'count' });
  const status = statusLine();
  const holder = h('div', { class: 'table-wrap' });
  const captionId = uid('members');
  const weightHintId = uid('weight-hint');
  const refresh = async () => {
    const { members } = await get(`/api/bodies/${encodeURIComponent(body.id)}/members`);
    setI18n(count, 'body.memberCount', { count: members.length, size: body.statutory_size });
    if (!members.length) {
      holder.replaceChildren(h('p', { i18n: 'body.noMembers' }));
      return;
    }
    const withEmail = members.some((m) => m.email);
    const editsWeights = body.uses_weights && body.can_manage;
    const head = h('tr', {},
      h('th', { scope: 'col', i18n: 'member.name' }),
      withEmail ? h('th', { scope: 'col', i18n: 'member.email' }) : null,
      h('th', { scope: 'col', i18n: 'member.role' }),
      h('th', { scope: 'col', i18n: 'member.groups' }),
      body.uses_weights ? h('th', { scope: 'col', i18n: 'member.weight' }) : null,
      body.can_manage ? h('th', { scope: 'col', i18n: 'common.actions' }) : null);
    const rows = members.map((m) => {
      const tr_ = h('tr', { dataset: { memberId: m.id, email: m.email || '' } });
      tr_.append(
        h('th', { scope: 'row', i18nAttr: 'data-label:member.name' },
          h('span', {}, m.name),
          m.is_external ? [' ', h('span', { class: 'badge badge-external', i18n: 'member.external' })] : null),
        withEmail ? h('td', { class: 'member-email', i18nAttr: 'data-label:member.email' }, m.email ? emailLink(m.email) : '') : null,
        h('td', { class: 'member-role', i18nAttr: 'data-label:member.role' },
          body.can_manage ? roleForm(m) : h('span', { i18n: roleKey(m.role, m.name) })),
        h('td', { i18nAttr: 'data-label:member.groups' }, m.groups.length ? m.groups.join(', ') : '—'),
        body.uses_weights ? h('td', { class: 'num member-weight', dataset: { weight: m.weight }, i18nAttr: 'data-label:member.weight' },
          body.can_manage ? weightForm(m) : m.weight) : null);
      if (body.can_manage) tr_.append(h('td', { class: 'row-actions', i18nAttr: 'data-label:common.actions' }, removeButton(m)));
      return tr_;
    });
    holder.replaceChildren(
      editsWeights ? h('p', { id: weightHintId, class: 'field-hint', dataset: { weightHint: '' }, i18n: 'member.weightHint' }) : null,
      h('table', { class: 'table stack members-table', 'aria-describedby': captionId },
        h('caption', { class: 'visually-hidden', i18n: 'body.members' }),
        h('thead', {}, head), h('tbody', {}, rows)));
  };

  /** The address in one line, cut with an ellipsis when long; the link holds it whole. */
  const emailLink = (email) => h('a', { class: 'email', href: `mailto:${email}`, title: email, dataset: { emailOf: email } }, email);

  function roleForm(m) {
    const role = field({ name: 'role', label: 'member.roleOf', labelParams: { name: m.name }, tag: 'select', options: roleOptions(), value: m.role, hideLabel: true });
    const form = h('form', { class: 'row-form', novalidate: true, dataset: { form: 'role' } },
      formError(), role.wrap, h('button', { type: 'submit', class: 'btn btn-small', i18n: 'member.changeRole', i18nAttr: 'aria-label:member.changeRoleOf', i18nParams: { name: m.name } }));
    onSubmit(form, async () => {
      await patch(`/api/bodies/${encodeURIComponent(body.id)}/members/${encodeURIComponent(m.id)}`, { role: role.input.value });
      setI18n(status, 'member.roleChanged', { name: m.name });
      await refresh();
    });
    return form;
  }

  function removeButton(m) {
    const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', i18n: 'common.remove', i18nAttr: 'aria-label:member.removeOf', i18nParams: { name: m.name } });
    remove.addEventListener('click', () => confirmInline(null, remove, { key: 'member.removeConfirm', params: { name: m.name } }, async () => {
      await del(`/api/bodies/${encodeURIComponent(body.id)}/members/${encodeURIComponent(m.id)}`);
      setI18n(status, 'member.removed', { name: m.name });
      await refresh();
      document.querySelector('[data-section="members"] h2')?.focus();
    }));
    return remove;
  }

  /** The member's weight (share): a decimal > 0 the server checks exactly;
   *  the hint above the table describes every weight field. */
  function weightForm(m) {
    const weight = field({ name: 'weight', label: 'member.weightOf', labelParams: { name: m.name }, value: m.weight, hideLabel: true, attrs: { inputmode: 'decimal', maxlength: '16', autocomplete: 'off', size: '8' } });
    weight.input.setAttribute('aria-describedby', `${weightHintId} ${weight.error.id}`);
    const form = h('form', { class: 'row-form', novalidate: true, dataset: { form: 'weight' } },
      formError(), weight.wrap, h('button', { type: 'submit', class: 'btn btn-small', i18n: 'member.changeWeightShort', i18nAttr: 'aria-label:member.changeWeightOf', i18nParams: { name: m.name } }));
    onSubmit(form, async () => {
      await patch(`/api/bodies/${encodeURIComponent(body.id)}/members/${encodeURIComponent(m.id)}`, { weight: weight.input.value.trim() });
      setI18n(status, 'member.weightChanged', { name: m.name });
      await refresh();
    });
    return form;
  }

  const node = section('body.members', [h('p', { id: captionId, class: 'visually-hidden', i18n: 'body.membersCaption' }), count, status, holder]);
  node.dataset.section = 'members';
  node.querySelector('h2').setAttribute('tabindex', '-1');
  return { node, refresh };
}

function addMemberSection(body, members) {
  const email = field({ name: 'email', label: 'member.email', type: 'email', required: true, attrs: { autocomplete: 'off', spellcheck: 'false', autocapitalize: 'none' } });
  const name = field({ name: 'name', label: 'member.name', required: true, attrs: { autocomplete: 'off', maxlength: '200' } });
  const role = field({ name: 'role', label: 'member.role', tag: 'select', options: roleOptions(), value: 'member' });
  const groups = field({ name: 'groups', label: 'member.groups', hint: 'member.groupsHint', attrs: { spellcheck: 'false', autocapitalize: 'none' } });
  const onlyExternal = !body.can_manage;
  const external = checkbox({ name: 'is_external', label: 'member.externalLabel', checked: onlyExternal, hint: onlyExternal ? 'member.externalOnlyHint' : 'member.externalHint' });
  if (onlyExternal) external.input.disabled = true;
  const status = statusLine();
  const form = h('form', { class: 'form', novalidate: true },
    formError(), email.wrap, name.wrap, role.wrap, groups.wrap, external.wrap,
    h('div', { class: 'actions' }, submit('member.add')), status);
  onSubmit(form, async () => {
    status.replaceChildren();
    const m = await post(`/api/bodies/${encodeURIComponent(body.id)}/members`, {
      email: email.input.value.trim(),
      name: name.input.value.trim(),
      role: role.input.value,
      groups: splitList(groups.input.value),
      is_external: external.input.checked,
    });
    for (const f of [email, name, groups]) f.input.value = '';
    role.input.value = 'member';
    external.input.checked = onlyExternal;
    setI18n(status, 'member.added', { name: m.name });
    await members.refresh();
    email.input.focus();
  }, { email_domain: 'member.error.domain', already_member: 'member.error.already', forbidden: 'member.error.forbidden' });
  return section('member.addHeading', form);
}

function importSection(body, members) {
  const intro = h('div', { class: 'import-help' },
    h('p', { i18n: 'import.intro' }),
    h('ul', {}, CSV_FIELDS.map((f) => h('li', {},
      h('code', { i18n: `import.col.${f}` }), ' — ', h('span', { i18n: `import.colHelp.${f}` })))),
    h('p', { i18n: 'import.format' }),
    h('p', {}, h('a', { href: '/examples/czlonkowie.csv', download: 'czlonkowie.csv', type: 'text/csv', dataset: { example: '' }, i18n: 'import.example' })));

  const file = field({ name: 'file', label: 'import.file', type: 'file', hint: 'import.fileHint', attrs: { accept: '.csv,text/csv,text/plain' } });
  const text = field({ name: 'csv', label: 'import.text', tag: 'textarea', hint: 'import.textHint', attrs: { rows: '6', spellcheck: 'false', autocapitalize: 'none', class: 'mono' } });
  const check = submit('import.check');
  const importBtn = h('button', { type: 'button', class: 'btn btn-primary', disabled: true, dataset: { action: 'import' }, i18n: 'import.doImportNone' });
  const summary = h('div', { class: 'import-summary', role: 'alert', id: uid('import-summary') });
  importBtn.setAttribute('aria-describedby', summary.id);
  const preview = h('div', { class: 'import-preview' });
  let checked = null; // the CSV text the preview was made from, when it can be imported
  // A file that is not UTF-8 (Excel on Polish Windows: Windows-1250) goes to
  // the server as it is, which decodes it; the text box shows it decoded by
  // the browser, and the preview the server's names, for the office to confirm.
  let raw = null; // {bytes, shown}: the file's bytes and the text shown for them
  const encodingNote = h('p', { class: 'notice', role: 'status', dataset: { encodingNote: '' } });
  encodingNote.hidden = true;

  const reset = () => {
    checked = null;
    importBtn.disabled = true;
    setI18n(importBtn, 'import.doImportNone');
  };

  file.input.addEventListener('change', async () => {
    const f = file.input.files && file.input.files[0];
    if (!f) return;
    const bytes = new Uint8Array(await f.arrayBuffer());
    raw = null;
    try {
      text.input.value = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text.input.value = new TextDecoder('windows-1250').decode(bytes);
      raw = { bytes, shown: text.input.value };
    }
    encodingNote.hidden = true;
    reset();
    preview.replaceChildren();
    summary.replaceChildren();
  });
  text.input.addEventListener('input', () => {
    if (checked !== null && text.input.value !== checked) {
      reset();
      setI18n(summary, 'import.changed');
    }
  });

  const url = (dry) => `/api/bodies/${encodeURIComponent(body.id)}/members/import${dry ? '?dry_run=1' : ''}`;
  const send = (dry, csv) => (raw && raw.shown === csv
    ? request('POST', url(dry), { body: raw.bytes, contentType: 'text/csv' })
    : request('POST', url(dry), { body: csv, contentType: 'text/csv; charset=utf-8' }));

  const form = h('form', { class: 'form', novalidate: true },
    formError(), file.wrap, text.wrap, h('div', { class: 'actions' }, check));
  onSubmit(form, async () => {
    reset();
    preview.replaceChildren();
    summary.replaceChildren();
    const csv = text.input.value;
    if (!csv.trim()) throw new ApiError(422, 'empty', '', 'csv');
    const report = await send(true, csv);
    encodingNote.hidden = report.encoding !== 'windows-1250';
    if (!encodingNote.hidden) setI18n(encodingNote, 'import.decodedCp1250');
    showReport(report);
    if (report.ok) {
      checked = csv;
      importBtn.disabled = false;
      setI18n(importBtn, 'import.doImport', { count: report.rows.length });
    }
  }, { empty: 'import.error.empty' });

  function showReport(report) {
    const byLine = new Map();
    for (const e of report.errors) {
      if (!byLine.has(e.line)) byLine.set(e.line, []);
      byLine.get(e.line).push(e);
    }
    const errText = (e) => (e.field ? `${tr(`import.col.${e.field}`)}: ${e.message}` : e.message);
    if (report.ok) setI18n(summary, 'import.okSummary', { count: report.rows.length });
    else if (!report.rows.length && !report.errors.length) setI18n(summary, 'import.noRows');
    else setI18n(summary, 'import.badSummary', { count: report.errors.length });
    summary.dataset.state = report.ok ? 'ok' : 'bad';
    const nodes = [];
    if (report.rows.length) {
      const rows = report.rows.map((r) => {
        const errs = byLine.get(r.line) || [];
        byLine.delete(r.line);
        return h('tr', { class: r.is_valid ? 'row-ok' : 'row-bad', dataset: { line: String(r.line) } },
          h('th', { scope: 'row', i18nAttr: 'data-label:import.line' }, String(r.line)),
          h('td', { i18nAttr: 'data-label:member.name' }, r.name),
          h('td', { i18nAttr: 'data-label:member.email' }, r.email),
          h('td', { i18nAttr: 'data-label:member.role' }, r.role ? h('span', { i18n: roleKey(r.role, r.name) }) : '—'),
          h('td', { i18nAttr: 'data-label:member.groups' }, r.groups.join(', ') || '—'),
          h('td', { i18nAttr: 'data-label:member.externalColumn' }, h('span', { i18n: r.is_external ? 'common.yes' : 'common.no' })),
          h('td', { class: 'row-status', i18nAttr: 'data-label:import.status' },
            errs.length
              ? h('ul', { class: 'row-errors' }, errs.map((e) => h('li', { dataset: { field: e.field || '' } }, errText(e))))
              : h('span', { class: 'ok-mark', i18n: 'import.rowOk' })));
      });
      nodes.push(h('div', { class: 'table-wrap' }, h('table', { class: 'table stack preview' },
        h('caption', { i18n: 'import.previewCaption' }),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', i18n: 'import.line' }),
          h('th', { scope: 'col', i18n: 'member.name' }),
          h('th', { scope: 'col', i18n: 'member.email' }),
          h('th', { scope: 'col', i18n: 'member.role' }),
          h('th', { scope: 'col', i18n: 'member.groups' }),
          h('th', { scope: 'col', i18n: 'member.externalColumn' }),
          h('th', { scope: 'col', i18n: 'import.status' }))),
        h('tbody', {}, rows))));
    }
    if (report.errors.length) {
      nodes.push(h('h3', { i18n: 'import.errorsHeading' }),
        h('ol', { class: 'error-list', dataset: { list: 'import-errors' } }, report.errors.map((e) => h('li', { dataset: { line: String(e.line) } },
          h('span', { i18n: 'import.errorAt', i18nParams: { line: e.line } }), ' ', errText(e)))));
    }
    preview.replaceChildren(...nodes);
  }

  importBtn.addEventListener('click', async () => {
    if (checked === null) return;
    const csv = checked;
    importBtn.disabled = true;
    importBtn.setAttribute('aria-busy', 'true');
    try {
      const r = await send(false, csv);
      reset();
      preview.replaceChildren();
      text.input.value = '';
      file.input.value = '';
      raw = null;
      encodingNote.hidden = true;
      setI18n(summary, 'import.done', { count: r.imported });
      summary.dataset.state = 'ok';
      await members.refresh();
      await loadMe().catch(() => {});
    } catch (err) {
      if (err instanceof ApiError && err.body && Array.isArray(err.body.rows)) {
        reset();
        showReport({ ...err.body, ok: false });
      } else {
        fill(summary, errorText(err));
        importBtn.disabled = false;
      }
    } finally {
      importBtn.removeAttribute('aria-busy');
    }
  });

  return section('import.heading', [intro, form, summary, encodingNote, preview, h('div', { class: 'actions' }, importBtn)]);
}

const TABS = ['meetings', 'templates', 'interpellations', 'members', 'import', 'proxies', 'attendance', 'settings'];

/** The links to the page's parts; the current one marked. */
function tabsNav(body, current, tabs) {
  return h('nav', { class: 'tabs', i18nAttr: 'aria-label:body.tabs', dataset: { tabs: 'body' } },
    h('ul', { role: 'list' }, tabs.map((t) => h('li', {},
      h('a', { href: `/bodies/${encodeURIComponent(body.id)}?tab=${t}`, class: 'tab', 'aria-current': t === current ? 'page' : null, dataset: { tab: t }, i18n: `body.tab.${t}` })))));
}

export async function render(outlet, { params, path, query, router }) {
  const me = await requireMe().catch(() => null);
  if (!me) return signInRequired(path);
  let body;
  try {
    body = await get(`/api/bodies/${encodeURIComponent(params.id)}`);
  } catch (err) {
    return failedView(err);
  }
  const tabs = TABS.filter((t) => (t !== 'import' || body.can_manage) && (t !== 'proxies' || body.can_manage) && (t !== 'attendance' || body.can_read_attendance)
    && (t !== 'templates' || isOrgStaff(body.org_id)));
  const asked = query && typeof query.get === 'function' ? query.get('tab') : query && query.tab;
  const tab = tabs.includes(asked) ? asked : 'meetings';
  const heading = h('h1', {}, body.name);
  const out = [
    isOrgStaff(body.org_id)
      ? h('p', { class: 'eyebrow' }, h('a', { href: `/orgs/${encodeURIComponent(body.org_id)}`, i18n: 'body.toOrg' }))
      : h('p', { class: 'eyebrow', i18n: 'body.eyebrow' }),
    heading,
    tabsNav(body, tab, tabs),
  ];
  if (tab === 'attendance') {
    out.push(attendanceSection(body));
  } else if (tab === 'proxies') {
    const proxies = proxiesSection(body);
    try {
      await proxies.refresh();
    } catch (err) {
      return failedView(err);
    }
    out.push(proxies.node);
  } else if (tab === 'interpellations') {
    const interp = interpellationsSection(body);
    try {
      await interp.refresh();
    } catch (err) {
      return failedView(err);
    }
    out.push(interp.node);
  } else if (tab === 'templates') {
    const templates = templatesSection(body, { router });
    try {
      await templates.refresh();
    } catch (err) {
      return failedView(err);
    }
    out.push(templates.node);
  } else if (tab === 'settings') {
    out.push(detailsSection(body, (b) => {
      heading.textContent = b.name;
    }));
  } else if (tab === 'meetings') {
    const meetings = bodyMeetingsSection(body, { canCreate: isOrgStaff(body.org_id), router });
    try {
      await meetings.refresh();
    } catch (err) {
      return failedView(err);
    }
    out.push(meetings.node);
  } else {
    const members = membersSection(body);
    try {
      await members.refresh();
    } catch (err) {
      return failedView(err);
    }
    if (tab === 'members') {
      out.push(members.node);
      if (body.can_manage || body.can_add_external) out.push(addMemberSection(body, members));
    } else {
      out.push(importSection(body, members), members.node);
    }
  }
  return out;
}
