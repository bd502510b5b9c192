// app.js — the entry module of every page: error reporting, preferences,
// language, the header controls, the live connection indicator and the
// router that later pages plug their views into (see ROUTES below).

import { installErrorReporting } from './errors.js';
import { applyPrefs, getFontSize, setFontSize, isHighContrast, setHighContrast, onPrefsChange } from './prefs.js';
import { initialLang, setLang, getLang, onLangChange, setI18n } from './i18n.js';
import { LiveStream } from './live.js';
import { Router } from './router.js';
import { h } from './dom.js';
import { getMe, loadMe, onMeChange, signOut } from './session.js';

installErrorReporting();
applyPrefs();

/** Routes: pattern → lazily loaded view module (see router.js for the view contract). */
const ROUTES = [
  ['/', () => import('./views/home.js')],
  ['/sign-in', () => import('./views/sign-in.js')],
  ['/m/:token', () => import('./views/sign-in.js')],
  ['/account', () => import('./views/account.js')],
  ['/orgs', () => import('./views/orgs.js')],
  ['/orgs/:id', () => import('./views/org.js')],
  ['/bodies/:id', () => import('./views/body.js')],
  ['/meetings/:id', () => import('./views/meeting.js')],
  ['/meetings/:id/console', () => import('./views/meeting-console.js')],
  ['/meetings/:id/projector', () => import('./views/meeting-projector.js')],
  ['/meetings/:id/public', () => import('./views/meeting-public.js')],
  ['/verify', () => import('./views/verify.js')],
  ['/admin/backups', () => import('./views/backups.js')],
  ['/votes/:id/trustee', () => import('./views/vote-trustee.js')],
];
const notFound = () => import('./views/not-found.js');

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
  onLangChange(syncLanguageButtons);
  onPrefsChange(syncPrefButtons);
  syncLanguageButtons();
  syncPrefButtons();
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
  await setLang(initialLang(), { remember: false });
  wireControls();
  try {
    await loadMe({ hintOnly: true });
  } catch {
    /* the server is away: anonymous until a page asks again */
  }
  await syncVoterKey(getMe());
  onMeChange((me) => syncVoterKey(me));
  // Exposed for pages and tests that want to follow the instance stream.
  window.obrady = { live: startLiveIndicator() };
  // Mails name a view as "/#/votes/…" (a trustee's call): the router works on paths.
  if (/^#\/[A-Za-z0-9/_-]*$/.test(window.location.hash)) history.replaceState(null, '', window.location.hash.slice(1));
  const router = new Router($('#view'), { notFound });
  for (const [pattern, load] of ROUTES) router.add(pattern, load);
  window.obrady.router = router;
  renderUserNav(router);
  onMeChange(() => renderUserNav(router));
  await router.start();
  document.documentElement.dataset.ready = 'true';
}

main();
