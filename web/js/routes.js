// routes.js — the app's routes as data: path pattern → view module (under
// js/) and the API answers the view reads first. Read by boot.js, which asks
// for a view's code and data before the rest of the app has arrived, and by
// app.js, which hands them to the router (router.js). No imports, so boot.js
// runs as soon as possible.

/** The API answers a meeting view reads first (signedIn: only with a session). */
const meetingData = (needsSession) => ({ id }, hasSession) => {
  if (needsSession && !hasSession) return [];
  const m = `/api/meetings/${encodeURIComponent(id)}`;
  return [m, `${m}/state`, `${m}/votes`];
};

/** [pattern, view module, first data (params, hasSession) → API paths]. */
export const ROUTES = [
  ['/', 'views/home.js'],
  ['/sign-in', 'views/sign-in.js'],
  ['/m/:token', 'views/sign-in.js'],
  ['/account', 'views/account.js'],
  ['/orgs', 'views/orgs.js'],
  ['/orgs/:id', 'views/org.js'],
  ['/bodies/:id', 'views/body.js'],
  ['/meetings/:id', 'views/meeting.js', meetingData(true)],
  ['/meetings/:id/console', 'views/meeting-console.js', meetingData(true)],
  ['/meetings/:id/projector', 'views/meeting-projector.js'],
  ['/meetings/:id/public', 'views/meeting-public.js', meetingData(false)],
  ['/meetings/:id/listen', 'views/meeting-listen.js'],
  ['/verify', 'views/verify.js'],
  ['/admin/backups', 'views/backups.js'],
  ['/votes/:id/trustee', 'views/vote-trustee.js'],
];
export const NOT_FOUND = 'views/not-found.js';

/** A pattern like "/meetings/:id" as {re, names}. */
export function compile(pattern) {
  const names = [];
  const src = pattern
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { re: new RegExp(`^${src}/?$`), names };
}

/** The route of path: {file, params, data} (the not-found view when none matches). */
export function matchRoute(path) {
  for (const [pattern, file, data] of ROUTES) {
    const { re, names } = compile(pattern);
    const m = re.exec(path);
    if (m) {
      const params = {};
      names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1]);
      });
      return { file, params, data: data || null };
    }
  }
  return { file: NOT_FOUND, params: {}, data: null };
}
