// secret-links.js — where a secret vote can be checked: the public
// verification page (/verify?vote=ID, which checks the whole board in the
// browser and finds a tracker on it) and the board itself as JSON, for
// `obrady verify board.json` or any other implementation.

import { h } from './dom.js';

export const verifyHref = (voteId) => `/verify?vote=${encodeURIComponent(voteId)}`;
export const boardHref = (voteId) => `/api/votes/${encodeURIComponent(voteId)}/board`;

/** The two links, as a small list. */
export function boardLinks(voteId) {
  return h('ul', { class: 'secret-links', dataset: { secret: 'links' } },
    h('li', {}, h('a', { href: verifyHref(voteId), dataset: { link: 'verify' }, i18n: 'secret.verifyLink' })),
    h('li', {}, h('a', { href: boardHref(voteId), download: `board-${voteId}.json`, dataset: { link: 'board' }, i18n: 'secret.boardLink' })));
}
