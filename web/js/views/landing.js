// views/landing.js — "/": what obrady is and whom it serves.

import { h } from '../dom.js';

/** No titleKey: the landing page carries the product's full title. */
export const titleKey = null;

const FEATURES = ['members', 'office', 'public', 'secret', 'access'];

export function render() {
  return [
    h('section', { class: 'hero', 'aria-labelledby': 'landing-heading' },
      h('h1', { id: 'landing-heading', i18n: 'landing.heading' }),
      h('p', { class: 'lead', i18n: 'landing.lead' })),
    h('section', { class: 'features', 'aria-labelledby': 'features-heading' },
      h('h2', { id: 'features-heading', class: 'visually-hidden', i18n: 'landing.features' }),
      h('ul', { class: 'cards', role: 'list' },
        FEATURES.map((f) => h('li', { class: `card card-${f}` },
          h('h3', { i18n: `landing.${f}.title` }),
          h('p', { i18n: `landing.${f}.body` }),
          // The public pages are rendered by the server (they work without JavaScript).
          f === 'public' ? h('p', {}, h('a', { href: '/public', i18n: 'landing.public.link' })) : null)))),
  ];
}
