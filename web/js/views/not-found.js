// views/not-found.js — any path that no route claims.

import { h } from '../dom.js';

export const titleKey = 'notFound.title';

export function render(outlet, { path }) {
  return [
    h('section', { class: 'not-found', 'aria-labelledby': 'nf-heading' },
      h('h1', { id: 'nf-heading', i18n: 'notFound.heading' }),
      h('p', { i18n: 'notFound.body', i18nParams: { path } }),
      h('p', {}, h('a', { href: '/', i18n: 'notFound.home' }))),
  ];
}
