// api.js — fetch wrapper for the JSON API. Sends cookies (same origin), JSON
// bodies and the UI language as Accept-Language; turns the server's error
// shape {"error":{"code","message","field"}} into a thrown ApiError.
//
//   const me = await api.get('/api/me');
//   await api.post('/api/votes/7/ballots', {ballot_id, choice: 'yes'});

import { getLang, t } from './i18n.js';

/** An API failure: status (0 when the network failed), machine code, human message, field at fault. */
export class ApiError extends Error {
  constructor(status, code, message, field = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/**
 * Requests path and resolves with the parsed JSON body (null for 204 or an
 * empty body); rejects with ApiError. body: a plain value sent as JSON;
 * headers are added to the defaults; signal aborts as in fetch.
 */
export async function request(method, path, { body, headers = {}, signal, contentType = null } = {}) {
  const lang = getLang();
  const h = {
    Accept: 'application/json',
    'Accept-Language': lang === 'pl' ? 'pl, en;q=0.5' : `${lang}, pl;q=0.5`,
    ...headers,
  };
  const init = { method, headers: h, credentials: 'same-origin', signal };
  // State-changing requests always declare JSON (the server requires it of
  // cookie-authenticated writes); POST/PUT/PATCH without a body send {}.
  // contentType sends body as it is (a CSV file, for instance).
  if (method !== 'GET' && method !== 'HEAD') {
    if (contentType) {
      h['Content-Type'] = contentType;
      init.body = body ?? '';
    } else {
      h['Content-Type'] = 'application/json';
      // body null: no body at all (routes that take none refuse even {}).
      if (body !== undefined && body !== null) init.body = JSON.stringify(body);
      else if (body === undefined && method !== 'DELETE') init.body = '{}';
    }
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', t('error.network'));
  }
  const text = await res.text().catch(() => '');
  let json = null;
  if (text && /json/i.test(res.headers.get('Content-Type') || '')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!res.ok) {
    const e = json && typeof json.error === 'object' && json.error ? json.error : null;
    const err = new ApiError(
      res.status,
      e && typeof e.code === 'string' ? e.code : `http_${res.status}`,
      e && typeof e.message === 'string' && e.message ? e.message : t('error.unexpected', { status: res.status }),
      e && typeof e.field === 'string' ? e.field : null,
    );
    // The whole answer (some errors carry more, e.g. a CSV report) and, for
    // 429 and 503, how many seconds to wait (Retry-After), when given.
    err.body = json;
    const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
    err.retryAfter = Number.isFinite(retry) && retry >= 0 ? retry : null;
    throw err;
  }
  return json;
}

// Answers asked for early (prefetch) wait here for the first get() of the same path.
const early = new Map(); // path → {answer, at}
const EARLY_TTL_MS = 10000;

/**
 * Starts GET path now, while the page's code is still loading, so that the
 * first get(path) in the next few seconds takes this answer instead of a new
 * round trip. Live views follow the event stream from the state's seq, so an
 * answer a moment old is as good as a fresh one.
 */
export function prefetch(path) {
  if (early.has(path)) return;
  const answer = request('GET', path);
  answer.catch(() => {}); // the get() that takes it sees the error
  early.set(path, { answer, at: Date.now() });
  setTimeout(() => early.delete(path), EARLY_TTL_MS);
}

export const get = (path, opts) => {
  const e = early.get(path);
  if (e && !opts) {
    early.delete(path);
    if (Date.now() - e.at < EARLY_TTL_MS) return e.answer;
  }
  return request('GET', path, opts);
};
export const post = (path, body, opts = {}) => request('POST', path, { ...opts, body });
export const put = (path, body, opts = {}) => request('PUT', path, { ...opts, body });
export const patch = (path, body, opts = {}) => request('PATCH', path, { ...opts, body });
export const del = (path, opts) => request('DELETE', path, opts);

/**
 * POSTs file as the raw request body (its percent-encoded name in
 * X-Filename), as the document uploads take it; the answer's JSON, or an
 * ApiError with the server's code, message and field.
 */
export async function uploadFile(path, file) {
  let res;
  try {
    res = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        'Content-Type': file.type || 'application/octet-stream',
        'X-Filename': encodeURIComponent(file.name),
      },
      body: file,
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const json = await res.json().catch(() => null);
  if (!res.ok) {
    const e = json && json.error ? json.error : {};
    throw new ApiError(res.status, e.code || `http_${res.status}`, e.message || t('error.unexpected', { status: res.status }), e.field || null);
  }
  return json;
}
