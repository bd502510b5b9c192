// Signing in (issue 3): e-mailed one-time codes and their errors (wrong,
// expired, dead after 5 tries, rate limits), the session cookie, sessions
// list/revoke, logout, TOTP with recovery codes, the CSRF (Origin) check,
// access links, and that no secret ever reaches the log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, startDemo, stopAll, api, expectError, DEMO, requestCode, fetchCode, signIn,
  makeClient, sessionCookieOf, mailFiles, readMail, extractCode, sql, sqlq, totpCode, totpStep,
  expectSecurityHeaders, sleep, eventually,
} from './lib.mjs';

after(stopAll);

let srv;
before(async () => {
  srv = await startDemo();
});

const session = (email, code, headers = {}) => api(srv, 'POST', '/api/auth/session', { email, code }, { headers });
const wrong = (code) => String((Number(code) + 1) % 1000000).padStart(6, '0');

test('code request: a known and an unknown address get identical 202 answers; only the known one gets mail', async () => {
  const known = DEMO.member(3);
  const unknown = `nikt-${crypto.randomBytes(4).toString('hex')}@${DEMO.domain}`;
  const before = mailFiles(srv.dataDir);
  const outFrom = srv.stdout().length;
  const a = await requestCode(srv, known);
  const b = await requestCode(srv, unknown);
  for (const r of [a, b]) {
    assert.equal(r.status, 202, r.text);
    assert.match(r.headers['content-type'], /^application\/json\b/);
    expectSecurityHeaders(r);
  }
  assert.equal(a.text, b.text, 'same body for known and unknown address');
  assert.deepEqual(a.json, { status: 'accepted' });
  const strip = (h) => Object.keys(h).filter((k) => k !== 'date').sort().map((k) => `${k}: ${h[k]}`);
  assert.deepEqual(strip(a.headers), strip(b.headers), 'same headers for known and unknown address');

  const mail = await readMail(srv.dataDir, { to: known, exclude: before, timeoutMs: 8000 });
  assert.match(String(mail.headers['mime-version']), /^1\.0/);
  assert.match(String(mail.headers['content-type']), /^multipart\/alternative/i);
  assert.match(String(mail.headers.to), new RegExp(known.replace(/\./g, '\\.')));
  const code = extractCode(mail.text);
  assert.match(code || '', /^\d{6}$/, `code in the text part:\n${mail.text}`);
  assert.ok(mail.html && mail.html.includes(code), 'the HTML alternative carries the code');
  assert.match(mail.text, /10 minut/, 'the text says how long the code is valid');
  // The file transport also echoes it on the console for a newcomer.
  // (The code is made after the answer, by a worker: wait for the line.)
  await eventually(() => srv.stdout().slice(outFrom).some((l) => l.includes(`sign-in code for ${known}: ${code}`)), 5000)
    .catch(() => assert.fail('code echoed on stdout'));
  // Nothing for the unknown address: no mail, no console line.
  const all = [...mailFiles(srv.dataDir)].filter((f) => !before.has(f));
  for (const f of all) assert.ok(!fs.readFileSync(f, 'latin1').includes(unknown), `mail for the unknown address in ${f}`);
  assert.ok(!srv.stdout().some((l) => l.includes(unknown)), 'no console line for the unknown address');

  // Signing in with it: cookie flags, /api/me.
  const r = await session(known, code);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.email, known);
  assert.equal(r.json.totp_required, false);
  const ck = sessionCookieOf(r);
  assert.ok(ck, `Set-Cookie: ${r.headers['set-cookie']}`);
  assert.match(ck.value, /^[A-Za-z0-9_-]{43}$/, 'a 256-bit base64url session id');
  assert.equal(ck.attrs.httponly, true, 'HttpOnly');
  assert.equal(String(ck.attrs.samesite).toLowerCase(), 'lax', 'SameSite=Lax');
  assert.equal(ck.attrs.path, '/');
  assert.ok(Number(ck.attrs['max-age']) > 0, 'Max-Age');
  assert.equal(ck.attrs.secure, undefined, 'no Secure flag over plain HTTP');
  const c = makeClient(srv, ck.value, r.json.user);
  const me = await c.me();
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.email, known);
  assert.equal(me.json.user.is_instance_admin, false);
  assert.deepEqual(me.json.staff, []);
  assert.equal(me.json.bodies.length, 1);
  assert.equal(me.json.bodies[0].body_name, DEMO.bodyName);
  assert.equal(me.json.bodies[0].role, 'member');
  // A code is single use.
  expectError(await session(known, code), 401, 'code_expired', 'code');
  // No cookie, or a forged one: 401.
  expectError(await api(srv, 'GET', '/api/me'), 401, 'unauthorized');
  expectError(await makeClient(srv, 'A'.repeat(43)).me(), 401, 'unauthorized');
  expectError(await makeClient(srv, ck.value.slice(0, 42)).me(), 401, 'unauthorized');
});

test('the sign-in mail is delivered at once (the outbox worker is woken after the commit)', async () => {
  const email = DEMO.member(12);
  const before = mailFiles(srv.dataDir);
  const t0 = Date.now();
  assert.equal((await requestCode(srv, email)).status, 202);
  await readMail(srv.dataDir, { to: email, exclude: before, timeoutMs: 8000 });
  const ms = Date.now() - t0;
  assert.ok(ms < 2000, `the code mail took ${ms} ms to reach DATA/mail (expected well under the worker's 5 s tick)`);
});

test('bad input to the code and session routes', async () => {
  expectError(await requestCode(srv, 'not-an-address'), 422, 'email_invalid', 'email');
  expectError(await api(srv, 'POST', '/api/auth/code', {}), 422, 'missing_field', 'email');
  expectError(await api(srv, 'POST', '/api/auth/code', { email: DEMO.member(3), extra: 1 }), 422, 'unknown_field', 'extra');
  expectError(await api(srv, 'POST', '/api/auth/session', { email: DEMO.member(3) }), 422, 'missing_field', 'code');
  expectError(await session('x', '123456'), 422, 'out_of_range', 'email');
  expectError(await session('abc', '123456'), 422, 'email_invalid', 'email');
  // A code never requested for this address: expired/not sent.
  expectError(await session(DEMO.member(13), '123456'), 401, 'code_expired', 'code');
});

test('wrong code → 401 code_invalid; the right one still works afterwards', async () => {
  const email = DEMO.member(4);
  const { code } = await fetchCode(srv, email, { via: 'stdout' });
  expectError(await session(email, wrong(code)), 401, 'code_invalid', 'code');
  expectError(await session(email, '12345'), 401, 'code_invalid', 'code');
  const ok = await session(email, code);
  assert.equal(ok.status, 200, ok.text);
});

test('expired code → 401 code_expired', async () => {
  const email = DEMO.member(5);
  const { code } = await fetchCode(srv, email, { via: 'stdout' });
  await sql(srv, `UPDATE login_codes SET expires_ms = 0 WHERE email = ${sqlq(email)}`);
  expectError(await session(email, code), 401, 'code_expired', 'code');
  expectError(await session(email, code), 401, 'code_expired', 'code');
  // A new code works.
  const fresh = await fetchCode(srv, email, { via: 'stdout' });
  assert.equal((await session(email, fresh.code)).status, 200);
});

test('5 wrong tries kill the code: the right code on the 6th try is refused (code_dead)', async () => {
  const email = DEMO.member(6);
  const { code } = await fetchCode(srv, email, { via: 'stdout' });
  for (let i = 1; i <= 4; i++) expectError(await session(email, wrong(code)), 401, 'code_invalid', 'code');
  expectError(await session(email, wrong(code)), 401, 'code_dead', 'code');
  expectError(await session(email, code), 401, 'code_dead', 'code');
  expectError(await session(email, code), 401, 'code_dead', 'code');
  // Asking for a new code starts over.
  const fresh = await fetchCode(srv, email, { via: 'stdout' });
  assert.equal((await session(email, fresh.code)).status, 200);
});

test('per-address rate limit: the 4th code request within a minute → 429 with Retry-After (known and unknown alike)', async () => {
  for (const email of [DEMO.member(7), `nieznany-${crypto.randomBytes(3).toString('hex')}@${DEMO.domain}`]) {
    for (let i = 1; i <= 3; i++) assert.equal((await requestCode(srv, email)).status, 202, `request ${i} for ${email}`);
    const r = await requestCode(srv, email);
    expectError(r, 429, 'rate_limited');
    const ra = Number(r.headers['retry-after']);
    assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 60, `Retry-After: ${r.headers['retry-after']}`);
  }
  // Another address is not affected.
  assert.equal((await requestCode(srv, DEMO.member(14))).status, 202);
});

test('per-IP rate limit on code requests → 429 with Retry-After', async (t) => {
  const s = await startServer();
  t.after(() => s.stop());
  // Unknown addresses, each asked for once: only the per-IP bucket fills.
  let limited = null;
  let ok = 0;
  for (let batch = 0; batch < 40 && !limited; batch++) {
    const rs = await Promise.all(Array.from({ length: 25 }, (_, i) =>
      requestCode(s, `ip-${batch}-${i}@example.org`)));
    for (const r of rs) {
      if (r.status === 202) ok++;
      else if (!limited) limited = r;
    }
  }
  assert.ok(limited, `no 429 after ${ok} code requests from one address`);
  expectError(limited, 429, 'rate_limited');
  assert.ok(Number(limited.headers['retry-after']) >= 1, `Retry-After: ${limited.headers['retry-after']}`);
  assert.ok(ok >= 100, `a council room behind one address can ask for many codes (${ok} accepted)`);
});

test('logout clears the cookie and ends the session', async () => {
  const c = await signIn(srv, DEMO.member(8));
  assert.equal((await c.me()).status, 200);
  const r = await c.del('/api/auth/session');
  assert.equal(r.status, 204, r.text);
  const ck = sessionCookieOf(r);
  assert.ok(ck, 'logout sets the cookie');
  assert.equal(ck.value, '');
  assert.equal(ck.attrs['max-age'], '0');
  expectError(await c.me(), 401, 'unauthorized');
  // Without a session it is harmless.
  assert.equal((await api(srv, 'DELETE', '/api/auth/session')).status, 204);
});

test('sessions: two sign-ins → two sessions listed; revoking one makes its cookie 401', async () => {
  const email = DEMO.member(9);
  const a = await signIn(srv, email);
  const b = await signIn(srv, email);
  const list = await a.get('/api/me/sessions');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.sessions.length, 2, list.text);
  for (const s of list.json.sessions) {
    assert.match(s.id, /^[a-z0-9]+$/);
    for (const k of ['created_ms', 'last_seen_ms', 'expires_ms']) assert.equal(typeof s[k], 'number');
    assert.ok(s.expires_ms > Date.now());
    assert.ok(!JSON.stringify(s).includes(a.cookie) && !JSON.stringify(s).includes(b.cookie), 'no cookie value in the list');
  }
  const mine = list.json.sessions.filter((s) => s.is_current);
  assert.equal(mine.length, 1, 'exactly one is the current session');
  const other = list.json.sessions.find((s) => !s.is_current);
  // Someone else cannot revoke it.
  const stranger = await signIn(srv, DEMO.member(10));
  expectError(await stranger.del(`/api/me/sessions/${other.id}`), 404, 'not_found');
  assert.equal((await b.me()).status, 200);
  // The owner can.
  const del = await a.del(`/api/me/sessions/${other.id}`);
  assert.equal(del.status, 204, del.text);
  expectError(await b.me(), 401, 'unauthorized');
  assert.equal((await a.me()).status, 200);
  const after1 = await a.get('/api/me/sessions');
  assert.deepEqual(after1.json.sessions.map((s) => s.id), [mine[0].id]);
  expectError(await a.del(`/api/me/sessions/${other.id}`), 404, 'not_found');
  // An expired session is refused (absolute end, then idle time).
  await sql(srv, `UPDATE sessions SET expires_ms = 0 WHERE id = ${sqlq(mine[0].id)}`);
  expectError(await a.me(), 401, 'unauthorized');
  const ids = await sql(srv, `SELECT id FROM sessions WHERE user_id = ${sqlq(stranger.user.id)}`);
  await sql(srv, `UPDATE sessions SET last_seen_ms = ${Date.now() - 13 * 3600 * 1000} WHERE id = ${sqlq(ids.split('\n')[0])}`);
  expectError(await stranger.me(), 401, 'unauthorized');
});

test('TOTP: set up, enable, second step at sign-in, replay refused, recovery codes once, disable', async () => {
  const email = DEMO.operator;
  const c = await signIn(srv, email);
  // Not set up yet.
  expectError(await c.post('/api/me/totp/enable', { code: '123456' }), 409, 'totp_not_set_up');
  expectError(await c.post('/api/me/totp/disable', { code: '123456' }), 409, 'totp_not_set_up');
  const setup = await c.post('/api/me/totp/setup');
  assert.equal(setup.status, 200, setup.text);
  const { secret, uri } = setup.json;
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.ok(uri.startsWith('otpauth://totp/obrady:'), uri);
  assert.ok(uri.includes(`secret=${secret}`), uri);
  const window = [-1, 0, 1, 2].map((d) => totpCode(secret, { step: totpStep() + d }));
  let bad = '000000';
  while (window.includes(bad)) bad = wrong(bad);
  expectError(await c.post('/api/me/totp/enable', { code: bad }), 401, 'totp_invalid', 'code');
  const enableStep = totpStep();
  const en = await c.post('/api/me/totp/enable', { code: totpCode(secret, { step: enableStep }) });
  assert.equal(en.status, 200, en.text);
  const recovery = en.json.recovery_codes;
  assert.equal(recovery.length, 10);
  assert.equal(new Set(recovery).size, 10);
  for (const rc of recovery) assert.match(rc, /^[0-9a-z]{4}-[0-9a-z]{4}$/);
  expectError(await c.post('/api/me/totp/setup'), 409, 'conflict');
  assert.equal((await c.me()).json.user.is_totp_enabled, true);

  // Next sign-in: the code alone leaves the session pending.
  const p = await signIn(srv, email);
  assert.equal(p.totpRequired, true);
  expectError(await p.me(), 401, 'totp_required');
  expectError(await p.get('/api/orgs'), 401, 'totp_required');
  // No session at all → 401 unauthorized.
  expectError(await api(srv, 'POST', '/api/auth/totp', { code: '123456' }), 401, 'unauthorized');
  // The code of the step already used to enable is a replay.
  expectError(await p.post('/api/auth/totp', { code: totpCode(secret, { step: enableStep }) }), 401, 'totp_invalid', 'code');
  expectError(await p.me(), 401, 'totp_required');
  const fresh = totpCode(secret, { step: Math.max(totpStep(), enableStep) + 1 });
  const ok = await p.post('/api/auth/totp', { code: fresh });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.user.email, email);
  assert.equal((await p.me()).status, 200);
  // The same code again is a replay (on another pending session).
  await sql(srv, `UPDATE sessions SET is_totp_pending = 1 WHERE id = (SELECT id FROM sessions WHERE user_id = ${sqlq(ok.json.user.id)} ORDER BY created_ms DESC LIMIT 1)`);
  expectError(await p.me(), 401, 'totp_required');
  expectError(await p.post('/api/auth/totp', { code: fresh }), 401, 'totp_invalid', 'code');

  // A recovery code works once.
  const r1 = await p.post('/api/auth/totp', { code: recovery[0] });
  assert.equal(r1.status, 200, r1.text);
  assert.equal((await p.me()).status, 200);
  const q = await signIn(srv, email);
  assert.equal(q.totpRequired, true);
  expectError(await q.post('/api/auth/totp', { code: recovery[0] }), 401, 'totp_invalid', 'code');
  expectError(await q.me(), 401, 'totp_required');
  assert.equal((await q.post('/api/auth/totp', { code: recovery[1] })).status, 200);
  assert.equal((await q.me()).status, 200);

  // Disable: needs a valid code; a used recovery code is refused.
  expectError(await c.post('/api/me/totp/disable', { code: recovery[0] }), 401, 'totp_invalid', 'code');
  const dis = await c.post('/api/me/totp/disable', { code: recovery[2] });
  assert.equal(dis.status, 204, dis.text);
  assert.equal((await c.me()).json.user.is_totp_enabled, false);
  expectError(await c.post('/api/me/totp/disable', { code: recovery[3] }), 409, 'totp_not_set_up');
  // The TOTP secret and recovery codes never reach the log.
  const logs = srv.logs().join('\n');
  for (const s of [secret, ...recovery]) assert.ok(!logs.includes(s), `secret ${s} in the log`);
});

test('CSRF: a state-changing request with the cookie needs our own Origin', async () => {
  const c = await signIn(srv, DEMO.member(11));
  const body = { name: 'Nowe Imię' };
  expectError(await c.patch('/api/me', body, { headers: { origin: null } }), 403, 'origin_mismatch');
  expectError(await c.patch('/api/me', body, { headers: { origin: 'http://evil.example' } }), 403, 'origin_mismatch');
  expectError(await c.patch('/api/me', body, { headers: { origin: srv.url.replace('127.0.0.1', 'localhost') } }), 403, 'origin_mismatch');
  expectError(await c.patch('/api/me', body, { headers: { origin: 'null' } }), 403, 'origin_mismatch');
  assert.equal((await c.me()).json.user.name !== 'Nowe Imię', true, 'nothing changed');
  // A foreign Origin is refused even without a cookie.
  expectError(await requestCode(srv, DEMO.member(11), { headers: { origin: 'http://evil.example' } }), 403, 'origin_mismatch');
  // Logging out from another site must not work either.
  expectError(await c.del('/api/auth/session', { headers: { origin: 'http://evil.example' } }), 403, 'origin_mismatch');
  assert.equal((await c.me()).status, 200, 'still signed in');
  // Our own Origin works.
  const ok = await c.patch('/api/me', body);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.user.name, 'Nowe Imię');
  // GET needs no Origin.
  assert.equal((await c.get('/api/me', { headers: { origin: null } })).status, 200);
});

test('access links: an unknown token → 404, logged by route pattern; the token never reaches the log', async () => {
  const token = crypto.randomBytes(16).toString('base64url');
  assert.equal(token.length, 22);
  const r = await api(srv, 'GET', `/api/access/${token}`);
  expectError(r, 404, 'not_found');
  await srv.waitForLog(/GET \/api\/access\/\{token(:token)?\} 404 \d/);
  // The page itself is the app's shell (the link alone grants nothing).
  const token2 = crypto.randomBytes(16).toString('base64url');
  const page = await api(srv, 'GET', `/m/${token2}`);
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  await srv.waitForLog(/GET \/m\/\{token(:token)?\} 200 \d/);
  // A malformed token is not a route match.
  expectError(await api(srv, 'GET', '/api/access/short'), 404, 'not_found');
  const logs = srv.logs().join('\n');
  assert.ok(!logs.includes(token) && !logs.includes(token2), 'token in the log');
});

test('no sign-in code or session id ever reaches the log (stderr)', async () => {
  // Every code this server issued was echoed on stdout.
  const codes = srv.stdout().map((l) => /sign-in code for \S+: (\d{6})/.exec(l)).filter(Boolean).map((m) => m[1]);
  assert.ok(codes.length >= 10, `expected the codes issued above on stdout, got ${codes.length}`);
  const logs = srv.logs();
  for (const code of codes) {
    const hit = logs.find((l) => new RegExp(`(^|\\D)${code}(\\D|$)`).test(l.replace(/^\S+Z /, '').replace(/\d+(\.\d+)?ms/, '')));
    assert.ok(!hit, `code ${code} in the log: ${hit}`);
  }
  const tokens = (await sql(srv, 'SELECT token_hash FROM sessions')).split('\n').filter(Boolean);
  const text = logs.join('\n');
  for (const h of tokens) assert.ok(!text.includes(h), 'a session hash in the log');
  // The log does show sign-ins without secrets.
  assert.ok(logs.some((l) => /signed in: user \w+, session \w+/.test(l)));
  assert.ok(!/obrady_session=/.test(text));
});
