// The outside audit's findings (issue 18), each as it was found: staff of one
// organisation learning another's users, over-size uploads cut off instead of
// answered, access links that never expire, headers over the limit answered by
// libmicrohttpd's HTML, a vanished event-stream client noticed late, and the
// sign-in code request doing different work for known and unknown addresses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemo, stopAll, signIn, signInMany, demoIds, DEMO, ok, api, createMeeting, sql, sqlq,
  expectError, rawRequest, parseRawResponse, anonymous, sleep, eventually, openSSE, readMail, parseMetrics, sumMetric, REPO,
} from './lib.mjs';

after(stopAll);

let srv;
let admin; // instance admin and admin of the demo organisation
let op; // the demo organisation's office
let bodyId;

before(async () => {
  srv = await startDemo();
  [admin, op] = await signInMany(srv, [DEMO.admin, DEMO.operator]);
  ({ bodyId } = await demoIds(admin));
});

/** A second organisation with its own admin (signed in) and council. */
async function otherOrg(tag) {
  const org = await ok(admin.post('/api/orgs', { name: `Gmina Inna ${tag}`, email_domains: [] }), 'org B');
  const email = `sekretariat.${tag}@inna.example`;
  await ok(admin.post(`/api/orgs/${org.id}/staff`, { email, name: 'Sekretariat Innej Gminy', role: 'admin' }), 'staff B');
  const staff = await signIn(srv, email);
  const body = await ok(staff.post(`/api/orgs/${org.id}/bodies`, { name: `Rada Innej Gminy ${tag}`, statutory_size: 5 }), 'body B');
  return { org, staff, body };
}

test('finding 1: staff of another organisation adding a guest by e-mail learn nothing stored about that account', async () => {
  const { staff, body } = await otherOrg('f1');
  const m = await createMeeting(staff, body.id, { title: 'Posiedzenie z gościem' });
  const victim = DEMO.member(3);
  const stored = await sql(srv, `SELECT id || '|' || name FROM users WHERE email = ${sqlq(victim)}`);
  const [storedId, storedName] = stored.split('|');
  assert.ok(storedId && storedName, `the demo member exists: ${stored}`);

  const r = await staff.post(`/api/meetings/${m.id}/participants`, { email: victim, name: 'Podany Przez Biuro' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, 'Podany Przez Biuro', 'the reply carries the name the office gave');
  assert.ok(!r.text.includes(storedName), `the stored name leaked: ${r.text}`);

  // Nowhere the office of organisation B can look shows the stored name.
  for (const p of [`/api/meetings/${m.id}/participants`, `/api/meetings/${m.id}/state`, `/api/meetings/${m.id}`]) {
    const g = await staff.get(p);
    assert.equal(g.status, 200, `${p}: ${g.text}`);
    assert.ok(!g.text.includes(storedName), `${p} shows the stored name: ${g.text}`);
  }
  const parts = (await staff.get(`/api/meetings/${m.id}/participants`)).json.participants;
  const guest = parts.find((x) => x.email === victim);
  assert.equal(guest.name, 'Podany Przez Biuro', JSON.stringify(parts));
  // The account itself is untouched.
  assert.equal(await sql(srv, `SELECT name FROM users WHERE email = ${sqlq(victim)}`), storedName);

  // Within its own organisation the office still sees the member as stored.
  const own = await createMeeting(op, bodyId, { title: 'Posiedzenie własne' });
  const extMember = DEMO.member(4);
  const ownName = await sql(srv, `SELECT name FROM users WHERE email = ${sqlq(extMember)}`);
  const g2 = await op.post(`/api/meetings/${own.id}/participants`, { email: extMember, name: 'Inna Nazwa' });
  assert.equal(g2.status, 201, g2.text);
  assert.equal(g2.json.name, ownName, 'a member of our own organisation keeps the stored name');
});

test('#18: another organisation adding an account as a body member (by hand or CSV) or as staff sees only the name it typed, never the stored one', async () => {
  const { org, staff, body } = await otherOrg('f1b');
  const name = async (email) => sql(srv, `SELECT name FROM users WHERE email = ${sqlq(email)}`);
  const [vMember, vCsv, vStaff] = [DEMO.member(6), DEMO.member(7), DEMO.member(8)];
  const stored = { [vMember]: await name(vMember), [vCsv]: await name(vCsv), [vStaff]: await name(vStaff) };
  for (const [e, n] of Object.entries(stored)) assert.ok(n && n.length > 3, `${e} has a stored name`);
  const leaks = (text) => Object.values(stored).filter((n) => text.includes(n));

  const add = await staff.post(`/api/bodies/${body.id}/members`, { email: vMember, name: 'Wpisany Przez Biuro', is_external: true });
  assert.equal(add.status, 201, add.text);
  assert.equal(add.json.name, 'Wpisany Przez Biuro');
  assert.deepEqual(leaks(add.text), [], add.text);
  const csv = `name,email,role\nZaimportowany Przez Biuro,${vCsv},member\n`;
  const imp = await staff.post(`/api/bodies/${body.id}/members/import`, csv, { headers: { 'content-type': 'text/csv' } });
  assert.equal(imp.status, 201, imp.text);
  assert.deepEqual(leaks(imp.text), [], imp.text);
  const st = await staff.post(`/api/orgs/${org.id}/staff`, { email: vStaff, name: 'Operator Wpisany', role: 'operator' });
  assert.equal(st.status, 201, st.text);
  assert.equal(st.json.name, 'Operator Wpisany');
  // A second add (the role changes; another body) still does not bring the stored name.
  const st2 = await staff.post(`/api/orgs/${org.id}/staff`, { email: vStaff, name: 'Operator Wpisany', role: 'admin' });
  assert.equal(st2.status, 201, st2.text);
  assert.deepEqual(leaks(st2.text), [], st2.text);
  const body2 = await ok(staff.post(`/api/orgs/${org.id}/bodies`, { name: 'Komisja Innej Gminy f1b', statutory_size: 3 }), 'body 2');
  const add2 = await staff.post(`/api/bodies/${body2.id}/members`, { email: vMember, name: 'Wpisany Przez Biuro', is_external: true });
  assert.equal(add2.status, 201, add2.text);
  assert.deepEqual(leaks(add2.text), [], add2.text);

  const m = await createMeeting(staff, body.id, { title: 'Posiedzenie z członkami z zewnątrz' });
  for (const p of [`/api/bodies/${body.id}/members`, `/api/bodies/${body2.id}/members`, `/api/orgs/${org.id}/staff`,
    `/api/meetings/${m.id}/participants`, `/api/meetings/${m.id}/state`]) {
    const g = await staff.get(p);
    assert.equal(g.status, 200, `${p}: ${g.text}`);
    assert.deepEqual(leaks(g.text), [], `${p} shows a stored name: ${g.text}`);
  }
  const listed = (await staff.get(`/api/bodies/${body.id}/members`)).json.members.map((x) => x.name).sort();
  assert.deepEqual(listed, ['Wpisany Przez Biuro', 'Zaimportowany Przez Biuro']);
  // The accounts are untouched, and their own organisation still sees them as stored.
  for (const [e, n] of Object.entries(stored)) assert.equal(await name(e), n);
  const own = (await op.get(`/api/bodies/${bodyId}/members`)).json.members;
  assert.ok(own.some((x) => x.name === stored[vMember]), 'the own organisation sees the stored name');
});

test('finding 3: an over-size body gets 413 with our JSON, not a broken pipe (20 tries with fetch)', async () => {
  const url = `${srv.url}/api/auth/code`;
  const big = JSON.stringify({ email: 'a@b.example', pad: 'x'.repeat(3 * 1024 * 1024) });
  const outcomes = [];
  for (let i = 0; i < 20; i++) {
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
      const j = await r.json().catch(() => null);
      outcomes.push(`${r.status} ${j && j.error ? j.error.code : '-'}`);
    } catch (e) {
      outcomes.push(`${e.cause ? e.cause.code : e.message}`);
    }
  }
  assert.deepEqual(outcomes, Array(20).fill('413 body_too_large'), outcomes.join(', '));
  // A chunked body (no Content-Length) beyond the limit is answered the same way.
  const chunked = await api(srv, 'POST', '/api/auth/code', 'y'.repeat(256 * 1024), { raw: true, chunked: true });
  expectError(chunked, 413, 'body_too_large');
});

const DAY_MS = 24 * 3600 * 1000;

/** Convenes a new meeting and reads the personal access token mailed to `to`. */
async function accessToken(number, to) {
  const m = await createMeeting(op, bodyId, { title: `Sesja ${number}`, number });
  await ok(op.post(`/api/meetings/${m.id}/agenda`, { title: 'Otwarcie' }), 'agenda');
  await ok(op.post(`/api/meetings/${m.id}/convene`, {}), 'convene');
  const mail = await readMail(srv.dataDir, { to, subject: new RegExp(`nr ${number} `), timeoutMs: 10000 });
  const link = /\/m\/([A-Za-z0-9_-]{16,})/.exec(mail.text);
  assert.ok(link, mail.text);
  return { m, token: link[1] };
}

test('finding 4: access links expire after the meeting closed + grace and after a maximum age, and then name nobody', async () => {
  const to = DEMO.member(5);
  const name = await sql(srv, `SELECT name FROM users WHERE email = ${sqlq(to)}`);
  const a = await accessToken('LXA', to);
  const fresh = await anonymous(srv).get(`/api/access/${a.token}`);
  assert.equal(fresh.status, 200, fresh.text);
  assert.equal(fresh.json.email, to);
  assert.equal(fresh.json.meeting_id, a.m.id);

  // Closed yesterday: still within the grace period (7 days by default).
  await sql(srv, `UPDATE meetings SET status = 'closed', closed_ms = ${Date.now() - DAY_MS} WHERE id = ${sqlq(a.m.id)}`);
  assert.equal((await anonymous(srv).get(`/api/access/${a.token}`)).status, 200);
  // Closed eight days ago: gone, and the answer carries nothing personal.
  await sql(srv, `UPDATE meetings SET closed_ms = ${Date.now() - 8 * DAY_MS} WHERE id = ${sqlq(a.m.id)}`);
  const gone = await anonymous(srv).get(`/api/access/${a.token}`);
  expectError(gone, 410, 'link_expired');
  assert.ok(!gone.text.includes(to) && !gone.text.includes(name), gone.text);

  // A meeting that never closes: the link dies at its maximum age (90 days).
  const b = await accessToken('LXB', to);
  await sql(srv, `UPDATE access_links SET created_ms = ${Date.now() - 91 * DAY_MS} WHERE meeting_id = ${sqlq(b.m.id)}`);
  const old = await anonymous(srv).get(`/api/access/${b.token}`);
  expectError(old, 410, 'link_expired');
  assert.ok(!old.text.includes(to), old.text);
});

test('finding 5: asking for a code does the same work for a known and an unknown address (no database write on the request)', async () => {
  // Structural, not timed: while another process holds the database's write
  // lock, a request that wrote (the known address's code and mail, before the
  // fix) would wait for it; a request that only queues the work answers at once.
  const known = DEMO.member(6);
  const unknown = 'nikt.taki@przykladowo.example';
  const db = path.join(srv.dataDir, 'obrady.db');
  const holder = spawn('sqlite3', ['-batch', db], { stdio: ['pipe', 'pipe', 'pipe'] });
  let held = '';
  holder.stdout.setEncoding('utf8').on('data', (c) => (held += c));
  holder.stdin.write("BEGIN EXCLUSIVE; SELECT 'locked';\n");
  await eventually(() => held.includes('locked'), 5000);
  const outcome = (p) => p.then((r) => `${r.status}`, (e) => `error ${e.message}`);
  let known202;
  let unknown202;
  try {
    [known202, unknown202] = await Promise.all([
      outcome(api(srv, 'POST', '/api/auth/code', { email: known }, { timeoutMs: 3000 })),
      outcome(api(srv, 'POST', '/api/auth/code', { email: unknown }, { timeoutMs: 3000 })),
    ]);
  } finally {
    holder.stdin.end('COMMIT;\n');
    await new Promise((res) => holder.on('close', res));
  }
  assert.deepEqual([known202, unknown202], ['202', '202'], 'both answered while the database was locked');
  // The work itself still happens once the lock is gone: the known address gets its code.
  const mail = await readMail(srv.dataDir, { to: known, subject: /kod|code/i, timeoutMs: 15000 });
  assert.match(mail.text, /\b\d{6}\b/);
});

test('finding 6: a vanished event-stream client is noticed within seconds, not after two 15 s heartbeats', async (t) => {
  const open = async () => Number(sumMetric(parseMetrics((await api(srv, 'GET', '/metrics')).text), 'obrady_sse_streams_open'));
  const base = await open();
  const sock = net.connect(srv.port, '127.0.0.1');
  let got = '';
  sock.setEncoding('utf8').on('data', (c) => (got += c));
  await new Promise((res) => sock.on('connect', res));
  sock.write(`GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nAccept: text/event-stream\r\n\r\n`);
  await eventually(() => got.includes('retry:'), 5000);
  await eventually(async () => (await open()) === base + 1, 5000);
  const t0 = Date.now();
  sock.destroy(); // the client goes away without a word
  await eventually(async () => (await open()) === base, 12000, 100);
  const ms = Date.now() - t0;
  t.diagnostic(`the stream was released ${ms} ms after its client vanished`);
  assert.ok(ms < 12000, `${ms} ms`);
});

test('finding 6: headers over 8 KiB get our JSON 431, not libmicrohttpd\'s page (up to 15 KiB: the connection pool)', async () => {
  for (const size of [8 * 1024 + 100, 12 * 1024, 15 * 1024]) {
    const text = await rawRequest(srv, `GET /api/public/stats HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`
      + `X-Pad: ${'p'.repeat(size)}\r\nConnection: close\r\n\r\n`);
    const r = parseRawResponse(text);
    assert.equal(r.status, 431, `${size}: ${text.slice(0, 200)}`);
    assert.match(r.headers['content-type'] || '', /json/, `${size}: ${text.slice(0, 300)}`);
    assert.equal(JSON.parse(r.body).error.code, 'headers_too_large');
  }
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
});

test('#18: request headers past the 16 KiB connection pool (17 KiB to 2 MiB, one line or many, first or second request of a connection) get 431, the connection closes, the server serves on', async () => {
  const pad = (n) => `X-Pad: ${'p'.repeat(n)}\r\n`;
  const many = Array.from({ length: 300 }, (_, i) => `X-H${i}: ${'v'.repeat(100)}\r\n`).join('');
  const cases = [
    ['17 KiB', `GET /api/public/stats HTTP/1.1\r\nHost: x\r\n${pad(17 * 1024)}\r\n`],
    ['64 KiB', `GET /api/public/stats HTTP/1.1\r\nHost: x\r\n${pad(64 * 1024)}\r\n`],
    ['2 MiB', `GET /api/public/stats HTTP/1.1\r\nHost: x\r\n${pad(2 * 1024 * 1024)}\r\n`],
    ['300 headers of 100 bytes', `GET /api/public/stats HTTP/1.1\r\nHost: x\r\n${many}\r\n`],
    ['never ends', `POST /api/auth/request-code HTTP/1.1\r\nHost: x\r\n${pad(40 * 1024)}`],
  ];
  for (const [what, req] of cases) {
    const text = await rawRequest(srv, req, { timeoutMs: 15000 });
    const r = parseRawResponse(text);
    assert.equal(r.status, 431, `${what}: ${text.slice(0, 200)}`);
    assert.match(r.headers.connection || '', /close/i, `${what}: the connection is closed`);
  }
  // The second request of a kept-alive connection: the first answered, the second 431.
  const two = await rawRequest(srv, `GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/public/stats HTTP/1.1\r\nHost: x\r\n${pad(20 * 1024)}\r\n`, { timeoutMs: 15000, whole: true });
  assert.deepEqual([...two.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((x) => x[1]), ['200', '431'], two.slice(0, 300));
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200, 'still serving');
});

test('finding 6: the chair creates votes, as docs/api.md now says', async () => {
  const chair = await signIn(srv, DEMO.chair);
  const m = await createMeeting(op, bodyId, { title: 'Sesja głosowań przewodniczącej' });
  const v = await chair.post(`/api/meetings/${m.id}/votes`, { title: 'Wniosek formalny przewodniczącej' });
  assert.equal(v.status, 201, v.text);
  const doc = fs.readFileSync(path.join(REPO, 'docs', 'api.md'), 'utf8');
  const votes = doc.slice(doc.indexOf('## Votes'), doc.indexOf('### `POST /api/meetings/{id}/votes`'));
  assert.match(votes.replace(/\s+/g, ' '), /\(MEETING_CONDUCT[^)]*chair[^)]*\) create votes/, votes);
});
