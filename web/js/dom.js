// dom.js — a small element builder for views, so they need neither
// innerHTML (no markup from strings) nor a framework.
//
//   h('p', {class: 'lead', i18n: 'landing.lead'})
//   h('a', {href: '/', i18n: 'notFound.home'})
//   h('button', {type: 'button', on: {click: go}}, 'text from t()')

import { translateElement } from './i18n.js';

/**
 * Creates an element. attrs: i18n (key for the text), i18nAttr ("attr:key; ..."),
 * i18nParams (object for placeholders), class, dataset (object), on (event ->
 * handler), any other attribute (false/null/undefined omit it, true sets it
 * empty). children: nodes, strings (as text) or arrays of them; null skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'i18n') el.setAttribute('data-i18n', v);
    else if (k === 'i18nAttr') el.setAttribute('data-i18n-attr', v);
    else if (k === 'i18nParams') el.setAttribute('data-i18n-params', JSON.stringify(v));
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  if (attrs.i18n || attrs.i18nAttr) translateElement(el);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}
