// ui.js — building blocks of the pages' forms: labelled fields with a hint and
// an error slot, the form-level error, busy buttons, and showing an API error
// next to the field it names (error.field) so screen readers announce it.
//
//   const email = field({ name: 'email', label: 'signIn.email', type: 'email', required: true });
//   const form = h('form', {}, formError(), email.wrap, submit('signIn.send'));
//   form.addEventListener('submit', submitHandler(form, async () => { ... }));

import { h } from './dom.js';
import { t, setI18n } from './i18n.js';
import { ApiError } from './api.js';

let seq = 0;
/** A unique id for elements of a page (label for=, aria-describedby). */
export function uid(prefix = 'f') {
  seq += 1;
  return `${prefix}-${seq}`;
}

/**
 * A labelled input (or select / textarea with tag). Returns {wrap, input, error}.
 * label, hint: i18n keys; options for a select: [[value, i18nKey], ...];
 * attrs: more attributes of the control.
 */
export function field({ name, label, hint = null, type = 'text', tag = 'input', options = null, value = null,
  required = false, attrs = {}, labelParams = null, hintParams = null, hideLabel = false }) {
  const id = uid(name);
  const errId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  let input;
  const common = {
    id, name, required, 'aria-describedby': [hintId, errId].filter(Boolean).join(' '), ...attrs,
  };
  if (tag === 'select') {
    input = h('select', common, (options || []).map(([v, key]) => h('option', { value: v, i18n: key })));
    if (value !== null) input.value = value;
  } else if (tag === 'textarea') {
    input = h('textarea', common);
    if (value !== null) input.value = value;
  } else {
    input = h('input', { type, ...common });
    if (value !== null) input.value = value;
  }
  const lab = h('label', { for: id, class: hideLabel ? 'visually-hidden' : 'field-label', i18n: label, i18nParams: labelParams });
  const error = h('p', { id: errId, class: 'field-error', role: 'alert' });
  const wrap = h('div', { class: `field field-${tag === 'input' ? type : tag}`, dataset: { field: name } },
    lab,
    hint ? h('p', { id: hintId, class: 'field-hint', i18n: hint, i18nParams: hintParams }) : null,
    input,
    error);
  return { wrap, input, error };
}

/** A labelled checkbox: {wrap, input, error}. */
export function checkbox({ name, label, checked = false, hint = null, labelParams = null }) {
  const id = uid(name);
  const errId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', { type: 'checkbox', id, name, 'aria-describedby': [hintId, errId].filter(Boolean).join(' ') });
  input.checked = checked;
  const error = h('p', { id: errId, class: 'field-error', role: 'alert' });
  const wrap = h('div', { class: 'field field-checkbox', dataset: { field: name } },
    h('div', { class: 'check' }, input, h('label', { for: id, i18n: label, i18nParams: labelParams })),
    hint ? h('p', { id: hintId, class: 'field-hint', i18n: hint }) : null,
    error);
  return { wrap, input, error };
}

/** The form's own error slot (errors without a field, or whose field the form lacks). */
export function formError() {
  return h('div', { class: 'form-error', role: 'alert', dataset: { formError: '' } });
}

/** A status line announced politely (successes, progress). */
export function statusLine(cls = 'form-status') {
  return h('p', { class: cls, role: 'status' });
}

/** A submit button with an i18n key. */
export function submit(key, attrs = {}) {
  return h('button', { type: 'submit', class: 'btn btn-primary', i18n: key, ...attrs });
}

/** A plain button. */
export function button(key, onClick, attrs = {}) {
  return h('button', { type: 'button', class: 'btn', i18n: key, on: { click: onClick }, ...attrs });
}

/** Clears every error shown in root. */
export function clearErrors(root) {
  for (const el of root.querySelectorAll('.field-error, [data-form-error]')) {
    el.replaceChildren();
    el.removeAttribute('data-i18n');
    el.removeAttribute('data-i18n-params');
  }
  for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Text of an error: an i18n key (with params) from the code, else the server's message. */
export function errorText(err, keys = {}) {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited') {
      return err.retryAfter ? { key: 'error.rateLimitedFor', params: { count: err.retryAfter, seconds: err.retryAfter } } : { key: 'error.rateLimited' };
    }
    if (keys[err.code]) return { key: keys[err.code] };
    if (err.code === 'network') return { key: 'error.network' };
    return { text: err.message };
  }
  return { key: 'error.unexpectedShort' };
}

function fill(el, msg) {
  if (msg.key) setI18n(el, msg.key, msg.params);
  else el.textContent = msg.text;
}

/**
 * Shows err in form: next to the field named by err.field when the form has
 * it (aria-invalid, focus moves there), else in the form's error slot.
 * keys maps error codes to i18n keys used instead of the server's message.
 */
export function showError(form, err, keys = {}) {
  clearErrors(form);
  const msg = errorText(err, keys);
  const name = err instanceof ApiError ? err.field : null;
  const wrap = name ? form.querySelector(`[data-field="${CSS.escape(name)}"]`) : null;
  if (wrap) {
    const control = wrap.querySelector('input, select, textarea');
    fill(wrap.querySelector('.field-error'), msg);
    control.setAttribute('aria-invalid', 'true');
    control.focus();
    return;
  }
  const slot = form.querySelector('[data-form-error]');
  if (slot) fill(slot, msg);
}

/** Disables the form's submit buttons while fn runs (aria-busy on the form). */
export async function busy(form, fn) {
  const buttons = Array.from(form.querySelectorAll('button'));
  const was = buttons.map((b) => b.disabled);
  form.setAttribute('aria-busy', 'true');
  buttons.forEach((b) => {
    b.disabled = true;
  });
  try {
    return await fn();
  } finally {
    form.removeAttribute('aria-busy');
    buttons.forEach((b, i) => {
      if (b.isConnected) b.disabled = was[i];
    });
  }
}

/**
 * A submit listener: prevents the native submit, clears errors and runs fn
 * with the form busy; an error from fn is shown in the form (keys: see showError).
 */
export function onSubmit(form, fn, keys = {}) {
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    clearErrors(form);
    busy(form, () => fn()).catch((err) => {
      if (err && err.name === 'AbortError') return;
      showError(form, err, keys);
      if (!(err instanceof ApiError)) setTimeout(() => { throw err; });
    });
  });
  return form;
}

/** A section with a heading (h2 unless level says otherwise). */
export function section(headingKey, children, { level = 2, cls = 'panel', params = null } = {}) {
  const id = uid('sec');
  return h('section', { class: cls, 'aria-labelledby': id },
    h(`h${level}`, { id, i18n: headingKey, i18nParams: params }),
    children);
}

/** The page for a load that failed: a heading and the reason. */
export function failedView(err, headingKey = 'error.loadFailed') {
  const msg = errorText(err);
  const p = h('p', { class: 'form-error', role: 'alert' });
  fill(p, msg);
  return [h('h1', { i18n: headingKey }), p, h('p', {}, h('a', { href: '/', i18n: 'nav.dashboard' }))];
}

/** The page shown when a view needs a signed-in user: a short note and the sign-in link. */
export function signInRequired(path) {
  return [
    h('h1', { i18n: 'signIn.requiredHeading' }),
    h('p', { i18n: 'signIn.requiredBody' }),
    h('p', {}, h('a', { class: 'btn btn-primary', href: `/sign-in?next=${encodeURIComponent(path)}`, i18n: 'signIn.button' })),
  ];
}

/** Comma/semicolon-separated text → a list of trimmed, non-empty items. */
export function splitList(text) {
  return String(text || '').split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
}

/** The label key of a member role, org staff role, body kind or quorum rule. */
// Polish role words agree with the person: a given name ending in -a is a
// woman's (the few men's names that end so excepted) — as src/core/role_words.c.
const MEN_IN_A = new Set(['kuba', 'barnaba', 'bonawentura', 'kosma', 'jarema', 'zawisza', 'sasza', 'misza', 'nikita', 'luca']);
const TITLES = new Set(['dr', 'mgr', 'prof', 'hab', 'inż', 'lic', 'ks', 'o']);
export function isFeminineName(name) {
  for (const w of String(name || '').split(/\s+/).filter(Boolean)) {
    if (w.endsWith('.') || TITLES.has(w)) continue;
    return /a$/i.test(w) && !MEN_IN_A.has(w.toLowerCase());
  }
  return false;
}
/** The i18n key of a role for the person named name ("role.chair_f": przewodnicząca). */
export const roleKey = (r, name = '') => (isFeminineName(name) && (r === 'chair' || r === 'vice_chair') ? `role.${r}_f` : `role.${r}`);

/** The translated text of a key (for places that need a string, like aria-label). */
export const tr = (key, params) => t(key, params);
