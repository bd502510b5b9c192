// app.js — the app of every page, imported by boot.js: error reporting,
// preferences, language, the header controls, the live connection indicator
// and the router that views plug into (the table is in routes.js).

import { installErrorReporting } from './errors.js';
import { applyPrefs, getFontSize, setFontSize, isHighContrast, setHighContrast, onPrefsChange } from './prefs.js';
import { initialLang, setLang, getLang, onLangChange, setI18n } from './i18n.js';
import { LiveStream } from './live.js';
import { Router } from './router.js';
import { h } from './dom.js';
import { getMe, loadMe, onMeChange, signOut } from './session.js';
import { ROUTES, NOT_FOUND } from './routes.js';
import { preloadModule } from './preload.js';

installErrorReporting();
applyPrefs();

/** A view module loaded on first use, its static imports asked for in parallel (preload.js). */
const view = (file) => () => {
  preloadModule(`js/${file}`);
  return import(`./${file}`);
};

const $ = (sel) => document.querySelector(sel);
const $$ = (sel) => Array.from(document.querySelectorAll(sel));

function syncLanguageButtons() {
  for (const b of $$('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === getLang()));
}

function syncPrefButtons() {
  const size = getFontSize();
  for (const b of $$('[data-font]')) b.setAttribute('aria-pressed', String(b.dataset.font === size));
  const contrast = $('#contrast-toggle');
  if (contrast) contrast.setAttribute('aria-pressed', String(isHighContrast()));
}

function wireControls() {
  for (const b of $$('[data-lang]')) {
    b.addEventListener('click', () => {
      if (b.dataset.lang !== getLang()) setLang(b.dataset.lang);
    });
  }
  for (const b of $$('[data-font]')) b.addEventListener('click', () => setFontSize(b.dataset.font));
  $('#contrast-toggle')?.addEventListener('click', () => setHighContrast(!isHighContrast()));
  wireMenu();
  onLangChange(syncLanguageButtons);
  onPrefsChange(syncPrefButtons);
  syncLanguageButtons();
  syncPrefButtons();
}

/** The phone header's menu: one button opens and closes the settings and
 *  account controls (CSS shows them always on wider screens); Escape or
 *  following a link closes it. */
function wireMenu() {
  const btn = $('#menu-toggle');
  const menu = $('#header-menu');
  if (!btn || !menu) return;
  const set = (open) => {
    btn.setAttribute('aria-expanded', String(open));
    menu.dataset.open = String(open);
  };
  btn.addEventListener('click', () => set(btn.getAttribute('aria-expanded') !== 'true'));
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || btn.getAttribute('aria-expanded') !== 'true') return;
    const wasInside = menu.contains(document.activeElement);
    set(false);
    if (wasInside) btn.focus();
  });
  menu.addEventListener('click', (e) => {
    if (e.target.closest('a, .nav-button')) set(false);
  });
  window.addEventListener('popstate', () => set(false));
  set(false);
}

const STATE_VIEW = {
  open: { state: 'connected', key: 'live.connected' },
  connecting: { state: 'connecting', key: 'live.connecting' },
  offline: { state: 'offline', key: 'live.offline' },
};

/** Connects to /api/live and mirrors its state in the header indicator. */
function startLiveIndicator() {
  const box = $('#live-status');
  const text = $('#live-status-text');
  const live = new LiveStream('/api/live');
  live.onState((state) => {
    const v = STATE_VIEW[state] ?? STATE_VIEW.offline;
    if (box.dataset.state === v.state) return;
    box.dataset.state = v.state;
    setI18n(text, v.key);
  });
  live.start();
  return live;
}

/** The header's account area: the person's name, the account link and sign-out; or the sign-in link. */
function renderUserNav(router) {
  const nav = $('#user-nav');
  if (!nav) return;
  const me = getMe();
  if (!me) {
    nav.replaceChildren(h('a', { class: 'nav-link', href: '/sign-in', i18n: 'nav.signIn' }));
    return;
  }
  const out = h('button', { type: 'button', class: 'nav-link nav-button', i18n: 'nav.signOut' });
  out.addEventListener('click', async () => {
    out.disabled = true;
    try {
      await signOut();
    } finally {
      out.disabled = false;
    }
    router.navigate('/');
  });
  nav.replaceChildren(
    h('span', { class: 'user-name' }, h('span', { class: 'visually-hidden', i18n: 'nav.signedInAs' }), ' ', me.user.name),
    h('a', { class: 'nav-link', href: '/account', i18n: 'nav.account' }),
    out,
  );
}

/**
 * A signed-in member's voting key (voter-key-sync.js): registered from this
 * device when none is; skipped without loading libsodium once this device's
 * key is known to be the registered one.
 */
async function syncVoterKey(me) {
  if (!me) return;
  try {
    const mine = JSON.parse(localStorage.getItem(`obrady.voterKey.${me.user.id}`) || 'null');
    if (mine && mine.pk && localStorage.getItem(`obrady.voterKeyRegistered.${me.user.id}`) === mine.pk) return;
  } catch {
    /* no storage: ask */
  }
  try {
    await (await import('./voter-key-sync.js')).syncVoterKey(me);
  } catch {
    /* offline or refused: tried again on the next start, and before a secret ballot */
  }
}

async function main() {
  const router = new Router($('#view'), { notFound: view(NOT_FOUND) });
  for (const [pattern, file] of ROUTES) router.add(pattern, view(file));
  // The language, the session and the view's code at once (boot.js has asked
  // for the view's first data): on a slow link each is a round trip.
  const lang = setLang(initialLang(), { remember: false });
  const who = loadMe({ hintOnly: true }).catch(() => null); // the server is away: anonymous until a page asks again
  router.match(window.location.pathname).load().catch(() => {}); // render() reports a failure
  await lang;
  wireControls();
  await who;
  // Exposed for pages and tests that want to follow the instance stream.
  window.obrady = { live: startLiveIndicator() };
  window.obrady.router = router;
  renderUserNav(router);
  onMeChange(() => renderUserNav(router));
  await router.start();
  document.documentElement.dataset.ready = 'true';
  // The voting key once the first view is up: on a slow link libsodium
  // (about 150 KB) must not hold the page back (a secret ballot checks the
  // key again before it is sent).
  const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 1000));
  idle(() => syncVoterKey(getMe()), { timeout: 3000 });
  onMeChange((me) => syncVoterKey(me));
}

main();
