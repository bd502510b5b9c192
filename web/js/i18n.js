// i18n.js — the user-interface language: loads /i18n/<lang>.json, translates
// keys with t(), and fills elements marked with data-i18n (text content),
// data-i18n-attr ("attr:key; attr2:key2") and data-i18n-params (JSON for {name}
// placeholders). Every visible string of the front end comes from these files.

import { store } from './prefs.js';

/** Supported languages; the first is the default. */
export const LANGS = ['pl', 'en'];
export const DEFAULT_LANG = LANGS[0];
const KEY_LANG = 'obrady.lang';

let lang = DEFAULT_LANG;
let dict = {};
const cache = new Map();
const listeners = new Set();
let pluralRules = new Intl.PluralRules(lang);
let numberFormat = new Intl.NumberFormat(lang);

/** The current language code ("pl" or "en"). */
export function getLang() {
  return lang;
}

/** The language to start with: the remembered choice, else Polish. */
export function initialLang() {
  const stored = store.get(KEY_LANG);
  return LANGS.includes(stored) ? stored : DEFAULT_LANG;
}

/** Fetches (once) and returns the dictionary of one language. */
export async function loadDictionary(code) {
  if (!cache.has(code)) {
    // Beside this module: under the build's versioned path the dictionaries are cached as immutable too.
    const url = new URL(`../i18n/${code}.json`, import.meta.url);
    const p = fetch(url, { credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error(`i18n: ${url.pathname} answered ${r.status}`);
      return r.json();
    });
    cache.set(code, p);
    p.catch(() => cache.delete(code));
  }
  return cache.get(code);
}

/**
 * Switches the language: loads its dictionary, sets <html lang>, retranslates
 * the document and tells the listeners. remember=false does not store the choice.
 */
export async function setLang(code, { remember = true } = {}) {
  if (!LANGS.includes(code)) throw new Error(`i18n: unsupported language ${code}`);
  dict = await loadDictionary(code);
  lang = code;
  pluralRules = new Intl.PluralRules(code);
  numberFormat = new Intl.NumberFormat(code);
  if (remember) store.set(KEY_LANG, code);
  document.documentElement.lang = code;
  applyTranslations(document);
  for (const fn of listeners) fn(code);
}

/** Calls fn(lang) after every language change; returns an unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Translates key. params fill {name} placeholders (numbers are formatted for
 * the language). A value that is an object holds plural forms chosen by
 * params.count with Intl.PluralRules (pl: one/few/many/other, en: one/other).
 * An unknown key yields the key itself, so a gap is visible, not blank.
 */
export function t(key, params = {}) {
  let value = dict[key];
  if (value === undefined) {
    console.warn(`i18n: missing key "${key}" for ${lang}`);
    return key;
  }
  if (typeof value === 'object' && value !== null) {
    const n = Number(params.count);
    value = value[pluralRules.select(Number.isFinite(n) ? n : 0)] ?? value.other ?? key;
  }
  return String(value).replace(/\{(\w+)\}/g, (m, name) => {
    if (!(name in params)) return m;
    const v = params[name];
    return typeof v === 'number' ? numberFormat.format(v) : String(v);
  });
}

/** Formats a number for the current language. */
export function formatNumber(n, options) {
  return new Intl.NumberFormat(lang, options).format(n);
}

/** Formats a date/time (Date or ms) for the current language. */
export function formatDateTime(d, options = { dateStyle: 'long', timeStyle: 'short' }) {
  return new Intl.DateTimeFormat(lang, options).format(d);
}

function paramsOf(el) {
  const raw = el.getAttribute('data-i18n-params');
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    console.warn('i18n: bad data-i18n-params', raw);
    return {};
  }
}

/** Translates one element's data-i18n / data-i18n-attr markings. */
export function translateElement(el) {
  const params = paramsOf(el);
  const key = el.getAttribute('data-i18n');
  if (key) el.textContent = t(key, params);
  const attrs = el.getAttribute('data-i18n-attr');
  if (attrs) {
    for (const pair of attrs.split(';')) {
      const i = pair.indexOf(':');
      if (i <= 0) continue;
      el.setAttribute(pair.slice(0, i).trim(), t(pair.slice(i + 1).trim(), params));
    }
  }
}

/** Translates root (when marked) and every marked element inside it. */
export function applyTranslations(root = document) {
  if (root.nodeType === Node.ELEMENT_NODE) translateElement(root);
  for (const el of root.querySelectorAll('[data-i18n], [data-i18n-attr]')) translateElement(el);
}

/** Marks el to show key (with params) and translates it now; returns el. */
export function setI18n(el, key, params) {
  el.setAttribute('data-i18n', key);
  if (params) el.setAttribute('data-i18n-params', JSON.stringify(params));
  else el.removeAttribute('data-i18n-params');
  translateElement(el);
  return el;
}
