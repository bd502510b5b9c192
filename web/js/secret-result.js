// secret-result.js — what a SECRET vote's result adds to the result block of
// vote-ui.js on the member view, the projector and the public view: the
// ballots cast (there is no named list — nobody knows who voted how), the
// board hash, who decrypted, and the links to check it all
// (secret-links.js). While the committee decrypts ("counting") it says so.

import { h } from './dom.js';
import { boardLinks } from './secret-links.js';

/** The block for secret vote v once closed or counting; null otherwise. big: the projector. */
export function secretExtras(v, { big = false } = {}) {
  if (v.kind !== 'secret') return null;
  if (v.status === 'counting') {
    return h('div', { class: 'secret-extras', dataset: { secretResult: 'counting', voteId: v.id } },
      h('p', { class: 'notice', i18n: 'secret.countingNotice' }));
  }
  const r = v.result;
  if (v.status !== 'closed' || !r) return null;
  const cast = r.ballots_cast ?? r.cast ?? 0;
  return h('div', { class: `secret-extras${big ? ' secret-extras-big' : ''}`, dataset: { secretResult: 'closed', voteId: v.id, ballotsCast: String(cast) } },
    h('p', {}, h('span', { class: 'badge badge-secret', i18n: 'secret.badge' }), ' ',
      h('span', { i18n: 'secret.ballotsCast', i18nParams: { cast, eligible: r.eligible ?? '—' } })),
    r.board_hash ? h('p', { class: 'secret-board-hash' }, h('span', { i18n: 'secret.boardHash' }), ' ',
      h('span', { class: 'mono break', dataset: { boardHash: r.board_hash } }, r.board_hash)) : null,
    Array.isArray(r.trustees) && r.trustees.length
      ? h('p', { class: 'muted' }, h('span', { i18n: 'secret.trusteesWere' }), ' ', r.trustees.join(', ')) : null,
    big ? h('p', { class: 'secret-verify-url' }, h('span', { i18n: 'secret.verifyAt' }), ' ', h('span', { class: 'mono' }, `${location.origin}/verify?vote=${v.id}`)) : boardLinks(v.id));
}
