// views/home.js — "/": for an anonymous visitor the landing page with a
// sign-in button; for a signed-in person the dashboard: my bodies (name,
// organisation, my role) and, for organisation staff and instance admins,
// the way to the organisations' administration; for office staff first the
// meetings of their organisations with what is left to do (office.js).

import { h } from '../dom.js';
import { render as renderLanding } from './landing.js';
import { getMe, loadMe } from '../session.js';
import { section } from '../ui.js';
import { myMeetingsSection } from './meetings.js';
import { officeSection } from './office.js';

/** No titleKey for the landing page; the dashboard sets its own below. */
export let titleKey = null;

function signInCta() {
  return h('p', { class: 'cta' }, h('a', { class: 'btn btn-primary', href: '/sign-in', i18n: 'signIn.button' }));
}

function myBodies(bodies, isStaff) {
  if (!bodies.length) return isStaff ? h('p', { class: 'muted', i18n: 'dashboard.staffNoBodies' }) : section('dashboard.myBodies', h('p', { i18n: 'dashboard.noBodies' }));
  return section('dashboard.myBodies',
    h('ul', { class: 'cards', role: 'list', dataset: { list: 'my-bodies' } },
      bodies.map((b) => h('li', { class: 'card', dataset: { bodyId: b.body_id } },
        h('h3', {}, h('a', { href: `/bodies/${encodeURIComponent(b.body_id)}` }, b.body_name)),
        h('p', {}, b.org_name),
        h('p', {}, h('span', { class: 'badge', i18n: `role.${b.role}` }))))));
}

function administration(me) {
  const { staff, user } = me;
  if (!staff.length && !user.is_instance_admin) return null;
  return section('dashboard.admin',
    h('ul', { class: 'link-list', role: 'list' },
      staff.map((s) => h('li', {},
        h('a', { href: `/orgs/${encodeURIComponent(s.org_id)}` }, s.org_name),
        ' ',
        h('span', { class: 'badge', i18n: `staff.${s.role}` }))),
      user.is_instance_admin ? h('li', {}, h('a', { href: '/orgs', i18n: 'dashboard.allOrgs' })) : null));
}

export async function render(outlet) {
  // Only a person who signed in here is asked about (the landing page makes
  // no request bound to fail); their bodies are refreshed on every visit.
  let me = getMe();
  if (me) me = await loadMe().catch(() => getMe());
  if (!me) {
    titleKey = null;
    const nodes = renderLanding(outlet);
    nodes[0].append(signInCta());
    return nodes;
  }
  titleKey = 'dashboard.title';
  const isStaff = !!(me.staff && me.staff.length);
  const [office, meetings] = await Promise.all([officeSection(me), me.bodies.length || !isStaff ? myMeetingsSection() : null]);
  return [
    h('h1', { i18n: 'dashboard.heading', i18nParams: { name: me.user.name } }),
    office,
    meetings,
    myBodies(me.bodies, isStaff),
    administration(me),
    h('p', {}, h('a', { href: '/public', i18n: 'dashboard.publicLink' })),
  ].filter(Boolean);
}
