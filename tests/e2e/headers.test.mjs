// Security headers and the session cookie (issue 18): CORP and a wide
// Permissions-Policy on every answer; behind a trusted proxy that says it
// terminated TLS (X-Forwarded-Proto from a `trusted_proxies` address) the
// cookie is Secure, as under our own TLS (tls.test.mjs); over plain HTTP,
// not; API answers are not cached.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, stopAll, api, newUser, fetchCode, sessionCookieOf, expectSecurityHeaders,
} from './lib.mjs';

after(stopAll);

async function signInCookie(srv, email, headers = {}) {
  await newUser(srv, email);
  const { code } = await fetchCode(srv, email, { via: 'stdout' });
  const r = await api(srv, 'POST', '/api/auth/session', { email, code }, { headers });
  assert.equal(r.status, 200, r.text);
  return { r, cookie: sessionCookieOf(r) };
}

test('behind a trusted proxy that terminated TLS: Secure cookie; the other headers too', async (t) => {
  const srv = await startServer({ config: { trusted_proxies: '127.0.0.1/32' } });
  t.after(() => srv.stop());
  const { r, cookie } = await signInCookie(srv, 'ktos@obrady.example.pl', { 'x-forwarded-proto': 'https' });
  assert.ok(cookie.attrs.secure, `Set-Cookie: ${r.headers['set-cookie']}`);
  expectSecurityHeaders(r);
});

test('plain HTTP: no Secure flag, no HSTS; the other headers everywhere', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const { r, cookie } = await signInCookie(srv, 'ktos@obrady.example.pl');
  assert.ok(!cookie.attrs.secure, `Set-Cookie: ${r.headers['set-cookie']}`);
  assert.equal(r.headers['strict-transport-security'], undefined);
  for (const p of ['/healthz', '/', '/js/app.js', '/api/nope', '/api/public/stats']) expectSecurityHeaders(await api(srv, 'GET', p));
});

test('API answers are not cached unless the handler says so', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const { r } = await signInCookie(srv, 'ktos@obrady.example.pl');
  assert.equal(r.headers['cache-control'], 'no-store', 'the sign-in answer');
  for (const p of ['/api/orgs', '/api/me']) {
    const g = await api(srv, 'GET', p);
    assert.equal(g.headers['cache-control'], 'no-store', `${p}: ${g.status}`);
  }
});
