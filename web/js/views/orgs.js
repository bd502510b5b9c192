// views/orgs.js — "/orgs": the organisations I administer or serve (all of
// them for an instance admin), and for an instance admin the form that creates one.

import { h } from '../dom.js';
import { get, post } from '../api.js';
import { requireMe } from '../session.js';
import { field, formError, submit, onSubmit, section, failedView, signInRequired, splitList } from '../ui.js';

export const titleKey = 'orgs.title';

/** The fields of an organisation's settings (shared with the organisation page). */
export function orgFields(org = null) {
  const name = field({ name: 'name', label: 'org.name', required: true, value: org ? org.name : '', attrs: { autocomplete: 'organization', maxlength: '200' } });
  const domains = field({ name: 'email_domains', label: 'org.domains', hint: 'org.domainsHint', value: org ? org.email_domains.join(', ') : '', attrs: { spellcheck: 'false', autocapitalize: 'none' } });
  const tz = field({ name: 'time_zone', label: 'org.timeZone', hint: 'org.timeZoneHint', value: org ? org.time_zone : 'Europe/Warsaw', attrs: { spellcheck: 'false', autocapitalize: 'none', maxlength: '60' } });
  const lang = field({ name: 'default_lang', label: 'org.lang', tag: 'select', options: [['pl', 'lang.pl'], ['en', 'lang.en']], value: org ? org.default_lang : 'pl' });
  const retention = field({ name: 'retention_months', label: 'org.retention', hint: 'org.retentionHint', type: 'number', value: String(org ? org.retention_months : 3), attrs: { min: '1', max: '120', step: '1', inputmode: 'numeric' } });
  const fields = [name, domains, tz, lang, retention];
  const values = () => ({
    name: name.input.value.trim(),
    email_domains: splitList(domains.input.value).map((d) => d.replace(/^@/, '').toLowerCase()),
    time_zone: tz.input.value.trim(),
    default_lang: lang.input.value,
    retention_months: Number.parseInt(retention.input.value, 10),
  });
  return { nodes: fields.map((f) => f.wrap), values };
}

export async function render(outlet, { path, router }) {
  const me = await requireMe().catch(() => null);
  if (!me) return signInRequired(path);
  let orgs;
  try {
    orgs = (await get('/api/orgs')).orgs;
  } catch (err) {
    return failedView(err);
  }
  const list = orgs.length
    ? h('ul', { class: 'link-list', role: 'list', dataset: { list: 'orgs' } },
      orgs.map((o) => h('li', {}, h('a', { href: `/orgs/${encodeURIComponent(o.id)}` }, o.name))))
    : h('p', { i18n: 'orgs.none' });
  const out = [h('h1', { i18n: 'orgs.heading' }), section('orgs.list', list)];
  if (me.user.is_instance_admin) {
    const f = orgFields();
    const form = h('form', { class: 'form', novalidate: true },
      formError(), f.nodes, h('div', { class: 'actions' }, submit('orgs.create')));
    onSubmit(form, async () => {
      const o = await post('/api/orgs', f.values());
      router.navigate(`/orgs/${encodeURIComponent(o.id)}`);
    });
    out.push(section('orgs.createHeading', form));
    out.push(h('p', {}, h('a', { href: '/admin/backups', i18n: 'orgs.backupsLink' })));
  }
  return out;
}
