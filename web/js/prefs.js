// prefs.js — display preferences (text size, high contrast) kept in
// localStorage and applied as classes on <html>, so CSS alone does the rest.
// Also the one safe wrapper around localStorage that other modules use.

const KEY_FONT = 'obrady.fontSize';
const KEY_CONTRAST = 'obrady.contrast';

/** Text sizes, smallest first; each but the first maps to class `font-<size>`. */
export const FONT_SIZES = ['normal', 'large', 'larger'];

/**
 * localStorage that never throws (storage may be disabled, full or, in some
 * private modes, missing); a failed write just means the choice is not kept.
 */
export const store = {
  get(key) {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, value);
    } catch {
      /* not remembered, still applied */
    }
  },
};

const listeners = new Set();

/** Calls fn({fontSize, highContrast}) after every change; returns an unsubscribe function. */
export function onPrefsChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify() {
  const prefs = { fontSize: getFontSize(), highContrast: isHighContrast() };
  for (const fn of listeners) fn(prefs);
}

/** The stored text size, one of FONT_SIZES. */
export function getFontSize() {
  const v = store.get(KEY_FONT);
  return FONT_SIZES.includes(v) ? v : 'normal';
}

/** Whether high contrast is on: the stored choice, else the system's "more contrast" wish. */
export function isHighContrast() {
  const v = store.get(KEY_CONTRAST);
  if (v === 'high') return true;
  if (v === 'normal') return false;
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-contrast: more)').matches;
}

/** Sets, remembers and applies the text size (ignores unknown sizes). */
export function setFontSize(size) {
  if (!FONT_SIZES.includes(size)) return;
  store.set(KEY_FONT, size);
  applyPrefs();
  notify();
}

/** Turns high contrast on or off, remembers it and applies it. */
export function setHighContrast(on) {
  store.set(KEY_CONTRAST, on ? 'high' : 'normal');
  applyPrefs();
  notify();
}

/** Puts the current preferences on <html> as classes (font-large, font-larger, contrast-high). */
export function applyPrefs(root = document.documentElement) {
  const size = getFontSize();
  for (const s of FONT_SIZES) root.classList.toggle(`font-${s}`, s !== 'normal' && s === size);
  root.classList.toggle('contrast-high', isHighContrast());
}
