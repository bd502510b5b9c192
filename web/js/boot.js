// boot.js — the shell's entry module. It imports only what it needs to ask,
// at once, for the current view's modules (preload.js) and the API answers
// the view reads first (api.js prefetch); then it imports app.js. On a slow
// link this starts the view's round trips while the rest of the app is still
// arriving, instead of after all of it.

import { matchRoute } from './routes.js';
import { preloadModule } from './preload.js';
import { prefetch } from './api.js';
import { hasSignInHint } from './session.js';

// Mails name a view as "/#/votes/…" (a trustee's call): the router works on paths.
if (/^#\/[A-Za-z0-9/_-]*$/.test(window.location.hash)) history.replaceState(null, '', window.location.hash.slice(1));

const route = matchRoute(window.location.pathname);
// The data first: small answers the page waits for, which would otherwise
// queue behind the view's modules for the browser's few connections. Who is
// signed in (app.js asks, session.js) only after a sign-in here, as app.js does.
const hasSession = hasSignInHint();
if (hasSession) prefetch('/api/me');
if (route.data) {
  try {
    for (const p of route.data(route.params, hasSession)) prefetch(p);
  } catch {
    /* a malformed path: the view reports it */
  }
}
preloadModule(`js/${route.file}`);
import('./app.js');
