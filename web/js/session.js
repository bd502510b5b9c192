// session.js — who is signed in. GET /api/me answers {user, staff, bodies}
// or 401 for an anonymous visitor. The session cookie is HttpOnly, so the page
// keeps a hint in localStorage ("signed in here before") and asks /api/me on
// start only when the hint is there: anonymous visitors make no request that
// is bound to fail. Pages that need a signed-in user ask anyway (requireMe).
//
//   const me = getMe();               // null when anonymous
//   onMeChange((me) => ...);          // after sign-in, sign-out, profile edits

import { get, del, ApiError } from './api.js';
import { store } from './prefs.js';

const KEY_HINT = 'obrady.signedIn';

let me = null;
const listeners = new Set();

/** The signed-in person {user, staff, bodies}, or null. */
export function getMe() {
  return me;
}

/** Calls fn(me) after every change; returns an unsubscribe function. */
export function onMeChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setMe(value) {
  me = value;
  store.set(KEY_HINT, value ? '1' : '');
  for (const fn of listeners) fn(me);
}

/** Whether someone signed in in this browser (a hint: the session may have ended since). */
export const hasSignInHint = () => Boolean(store.get(KEY_HINT));

/** Asks the server who is signed in (always, or with hintOnly only after a sign-in here). */
export async function loadMe({ hintOnly = false } = {}) {
  if (hintOnly && !store.get(KEY_HINT)) {
    setMe(null);
    return null;
  }
  try {
    setMe(await get('/api/me'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) setMe(null);
    else throw err;
  }
  return me;
}

/** The signed-in person; loads them if needed; null when anonymous. */
export async function requireMe() {
  return me || loadMe();
}

/** Updates the user part after a profile change. */
export function updateUser(user) {
  if (me) setMe({ ...me, user });
}

/** Signs out (DELETE /api/auth/session) and forgets the person. */
export async function signOut() {
  try {
    await del('/api/auth/session');
  } finally {
    setMe(null);
  }
}

/** Is the person an admin of org (or an instance admin)? */
export function isOrgAdmin(orgId) {
  if (!me) return false;
  if (me.user.is_instance_admin) return true;
  return me.staff.some((s) => s.org_id === orgId && s.role === 'admin');
}

/** Is the person staff (admin or operator) of org, or an instance admin? */
export function isOrgStaff(orgId) {
  if (!me) return false;
  return me.user.is_instance_admin || me.staff.some((s) => s.org_id === orgId);
}

/** A safe place to go after signing in: a local path, never another site. */
export function safeNext(next) {
  if (typeof next === 'string' && /^\/(?!\/)[^\\]*$/.test(next) && !next.startsWith('/sign-in') && !next.startsWith('/m/')) {
    return next;
  }
  return '/';
}
