// views/meeting.js — "/meetings/{id}": the council office (staff who
// prepare it and take no part in it) gets the preparation view; a
// participant — a member, a guest, the chair — the member view. A visitor
// who is not signed in is asked to sign in (and may open the public view).

import { h } from '../dom.js';
import { get } from '../api.js';
import { requireMe } from '../session.js';
import { failedView, signInRequired } from '../ui.js';
import { preloadModule } from '../preload.js';
import { renderMember } from './meeting-member.js';

export const titleKey = 'meeting.title';

export async function render(outlet, { params, path, router }) {
  const me = await requireMe().catch(() => null);
  if (!me) {
    const nodes = signInRequired(path);
    nodes.push(h('p', {}, h('a', { href: `/meetings/${encodeURIComponent(params.id)}/public`, i18n: 'meeting.publicLinkAnon' })));
    return nodes;
  }
  let details;
  try {
    details = await get(`/api/meetings/${encodeURIComponent(params.id)}`);
  } catch (err) {
    return failedView(err);
  }
  try {
    if (details.me.can_prepare && !details.me.is_participant) {
      // The office's view is loaded only for the office: a member's phone never fetches it.
      preloadModule('js/views/meeting-prep.js');
      const { renderPrep } = await import('./meeting-prep.js');
      return await renderPrep(outlet, { details, router, me });
    }
    return await renderMember(outlet, { details, me });
  } catch (err) {
    return failedView(err);
  }
}
