// SMS notices through a pluggable HTTP gateway (issue 17 item 5), against a
// local HTTP server standing in for the gateway (SMSAPI, SerwerSMS…) that
// records every request. Members keep an E.164 number and opt in or out at
// /api/me/sms; each of the three triggers — meeting convened, meeting starts
// within 15 minutes, vote opened — sends exactly one SMS per opted-in
// participant with the right text; a 500 from the gateway is retried; nothing
// goes to those who opted out or never opted in; the Authorization header
// arrives and never reaches the log. On PostgreSQL, two nodes sharing the
// outbox send each SMS once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemo, startServer, stopAll, signInMany, demoIds, DEMO, expectError, createMeeting, eventually, ok, api,
  sleep, sql, sqlq, makeClient, freeTmpDir, pgDatabaseFor, PG_BASE,
} from './lib.mjs';

after(stopAll);

const AUTH = 'Bearer sms-test-token-7f3a9c';

/** The gateway: records {url, auth, type, body}; the first request for
 * failOnce answers 500, every request for failAlways 503. */
async function startGateway(failOnce, failAlways = null) {
  const got = [];
  let failed = false;
  const server = http.createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c) => { data += c; });
    req.on('end', () => {
      let body = null;
      try { body = JSON.parse(data); } catch { body = { raw: data }; }
      const rec = { url: req.url, method: req.method, auth: req.headers.authorization, type: req.headers['content-type'], body };
      if (body.to === failAlways) {
        rec.status = 503;
        got.push(rec);
        res.writeHead(503).end('{"error":"down"}');
        return;
      }
      if (!failed && body.to === failOnce) {
        failed = true;
        rec.status = 500;
        got.push(rec);
        res.writeHead(500).end('{"error":"try later"}');
        return;
      }
      rec.status = 200;
      got.push(rec);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"count":1}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, got, stop: () => new Promise((r) => server.close(r)) };
}

test('SMS: opt-in per member, three triggers, one SMS each, retry after 500, nothing for the opted-out, auth header', async (t) => {
  const A = '+48601000002', B = '+48601000003', C = '+48601000004', D = '+48601000005', E = '+48601000009';
  const gw = await startGateway(B, E);
  t.after(() => gw.stop());
  const srv = await startDemo({
    config: {
      sms_url: `http://127.0.0.1:${gw.port}/api/sms.do`,
      sms_authorization: AUTH,
      sms_body_template: '{"to":"{number}","message":"{text}"}',
      sms_content_type: 'application/json',
      sms_retry_s: 1,
      sms_max_attempts: 2,
    },
  });
  t.after(() => srv.stop());
  const [op, a, b, c, d, e] = await signInMany(srv, [DEMO.operator, DEMO.member(2), DEMO.member(3), DEMO.member(4), DEMO.member(5), DEMO.member(6)]);
  const { bodyId } = await demoIds(op);

  // Defaults: no number, not opted in; the gateway is configured.
  assert.deepEqual(await ok(e.get('/api/me/sms'), 'get'), { phone: '', is_opted_in: false, is_available: true });
  // Bad input, naming the field.
  for (const phone of ['+48 12', '0048601000006', '601000006', '+0601000006', '+48601000006999999', '+48-60I-000-006']) {
    expectError(await e.api('PUT', '/api/me/sms', { phone, is_opted_in: true }), 422, 'out_of_range', 'phone');
  }
  expectError(await e.api('PUT', '/api/me/sms', { phone: '', is_opted_in: true }), 422, 'out_of_range', 'phone');
  expectError(await e.api('PUT', '/api/me/sms', { is_opted_in: true }), 422, 'missing_field', 'phone');
  expectError(await e.api('PUT', '/api/me/sms', { phone: A, is_opted_in: 'yes' }), 422, 'wrong_type', 'is_opted_in');
  assert.deepEqual(await ok(e.get('/api/me/sms'), 'get after refusals'), { phone: '', is_opted_in: false, is_available: true });

  // A and B opt in (B typed with spaces); C keeps a number without opting in; D opts in, then out.
  assert.deepEqual(await ok(a.api('PUT', '/api/me/sms', { phone: A, is_opted_in: true }), 'a'), { phone: A, is_opted_in: true, is_available: true });
  assert.equal((await ok(b.api('PUT', '/api/me/sms', { phone: '+48 601 000 003', is_opted_in: true }), 'b')).phone, B);
  await ok(c.api('PUT', '/api/me/sms', { phone: C, is_opted_in: false }), 'c');
  await ok(d.api('PUT', '/api/me/sms', { phone: D, is_opted_in: true }), 'd in');
  await ok(d.api('PUT', '/api/me/sms', { phone: D, is_opted_in: false }), 'd out');
  assert.deepEqual(await ok(d.get('/api/me/sms'), 'd get'), { phone: D, is_opted_in: false, is_available: true });

  // Convened for a start 10 minutes from now: "convened" at once, and the
  // "starts soon" deadline (15 minutes before) is already due.
  const startsAt = new Date(Date.now() + 10 * 60 * 1000);
  startsAt.setUTCSeconds(0, 0);
  const m = await createMeeting(op, bodyId, { title: 'Sesja „budżetowa” & SMS', starts_at: startsAt.toISOString() });
  await ok(op.post(`/api/meetings/${m.id}/convene`, {}), 'convene');
  const okFor = (num) => gw.got.filter((r) => r.status === 200 && r.body.to === num);
  await eventually(() => okFor(A).length >= 2 && okFor(B).length >= 2, 15000);

  // Vote opened.
  await ok(op.post(`/api/meetings/${m.id}/start`, {}), 'start');
  const v = await ok(op.post(`/api/meetings/${m.id}/votes`, { title: 'Uchwała budżetowa na 2027', duration_s: 600 }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  await eventually(() => okFor(A).length >= 3 && okFor(B).length >= 3, 15000);
  await sleep(1500); // a duplicate would arrive within the worker's retry period (1 s)

  const hhmm = new Intl.DateTimeFormat('pl-PL', { timeZone: 'Europe/Warsaw', hour: '2-digit', minute: '2-digit', hour12: false }).format(startsAt);
  for (const num of [A, B]) {
    const texts = okFor(num).map((r) => r.body.message).sort();
    assert.equal(texts.length, 3, `three SMS to ${num}: ${JSON.stringify(texts)}`);
    assert.equal(texts.filter((x) => /zwołano posiedzenie „Sesja „budżetowa” & SMS” na \d\d\.\d\d\.\d{4}, godz\. \d\d:\d\d/.test(x)).length, 1, `convened: ${texts}`);
    assert.equal(texts.filter((x) => x.includes(`posiedzenie „Sesja „budżetowa” & SMS” zaczyna się o godz. ${hhmm}.`)).length, 1, `starts soon at ${hhmm}: ${texts}`);
    assert.equal(texts.filter((x) => x.includes('otwarto głosowanie „Uchwała budżetowa na 2027” (posiedzenie „Sesja „budżetowa” & SMS”)')).length, 1, `vote opened: ${texts}`);
    assert.ok(texts.every((x) => x.startsWith('obrady: ') && x.includes(DEMO.bodyName) === x.includes('zwołano')), `prefix and body name: ${texts}`);
  }
  // B's first try got a 500 and was retried: one failure, then success.
  assert.equal(gw.got.filter((r) => r.status === 500).length, 1);
  assert.equal(gw.got.filter((r) => r.body.to === B).length, 4, 'three SMS to B plus the failed try');
  const bRow = await sql(srv, `SELECT status || '|' || attempts FROM sms_outbox WHERE to_phone = ${sqlq(B)} AND attempts > 1`);
  assert.equal(bRow, 'sent|2', 'the retried row: sent on the second attempt');
  // Nobody else: not C (never opted in), not D (opted out), not E (refused).
  assert.deepEqual([...new Set(gw.got.map((r) => r.body.to))].sort(), [A, B]);
  // Every request: POST to the configured path, JSON, with the Authorization header.
  for (const r of gw.got) {
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/api/sms.do');
    assert.equal(r.type, 'application/json');
    assert.equal(r.auth, AUTH);
  }
  assert.ok(!srv.logs().some((l) => l.includes('sms-test-token')), 'the authorization is never logged');
  assert.ok(!srv.logs().some((l) => l.includes(A) || l.includes(B)), 'nor the numbers');

  // The counters at /metrics: every SMS sent, B's one retried try, none given up.
  const metric = async (name) => {
    const m = (await api(srv, 'GET', '/metrics')).text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
    return m ? Number(m[1]) : NaN;
  };
  assert.equal(await metric('obrady_sms_sent_total'), gw.got.filter((r) => r.status === 200).length);
  assert.equal(await metric('obrady_sms_sent_total'), 6);
  assert.equal(await metric('obrady_sms_retries_total'), 1);
  assert.equal(await metric('obrady_sms_failed_total'), 0);

  // E reads English (their account's language; the organisation's is Polish),
  // and the gateway always refuses E's number: tried twice (sms_max_attempts), then given up.
  await ok(e.api('PATCH', '/api/me', { lang: 'en' }), 'e english');
  await ok(e.api('PUT', '/api/me/sms', { phone: E, is_opted_in: true }), 'e in');
  // Opting out cancels what is still pending: a new vote sends nothing to A.
  await ok(a.api('PUT', '/api/me/sms', { phone: A, is_opted_in: false }), 'a out');
  const v2 = await ok(op.post(`/api/meetings/${m.id}/votes`, { title: 'Druga uchwała', duration_s: 600 }), 'vote 2');
  await ok(op.post(`/api/votes/${v2.id}/open`, {}), 'open 2');
  await eventually(() => okFor(B).length >= 4, 15000);
  await sleep(1500);
  assert.equal(okFor(A).length, 3, 'nothing more to A after opting out');
  await eventually(async () => (await sql(srv, `SELECT status FROM sms_outbox WHERE to_phone = ${sqlq(E)}`)) === 'failed', 15000);
  const toE = gw.got.filter((r) => r.body.to === E);
  assert.equal(toE.length, 2, 'two tries to E');
  assert.ok(toE.every((r) => r.body.message === 'obrady: the vote "Druga uchwała" is open (meeting "Sesja „budżetowa” & SMS").'), JSON.stringify(toE.map((r) => r.body.message)));
  assert.ok(okFor(B).slice(3).every((r) => r.body.message.startsWith('obrady: otwarto głosowanie „Druga uchwała”')), 'B still in Polish');
  assert.equal(await metric('obrady_sms_sent_total'), 7, 'plus B\'s SMS of the second vote');
  assert.equal(await metric('obrady_sms_retries_total'), 2, 'plus E\'s first try');
  assert.equal(await metric('obrady_sms_failed_total'), 1, 'E given up');
});

test('two nodes on one PostgreSQL database send each SMS once', { skip: PG_BASE ? false : 'PostgreSQL mode only', timeout: 90000 }, async (t) => {
  const gw = await startGateway(null);
  t.after(() => gw.stop());
  const config = { sms_url: `http://127.0.0.1:${gw.port}/sms`, sms_authorization: AUTH, sms_retry_s: 1 };
  const dirA = freeTmpDir();
  const a = await startDemo({ dataDir: dirA, config });
  t.after(() => a.stop());
  const dirB = freeTmpDir();
  for (const f of fs.readdirSync(dirA).filter((x) => x.endsWith('.key'))) fs.copyFileSync(path.join(dirA, f), path.join(dirB, f));
  const b = await startServer({ dataDir: dirB, config, env: { OBRADY_DATABASE: pgDatabaseFor(dirA) } });
  t.after(() => b.stop());
  t.after(() => { for (const d of [dirA, dirB]) fs.rmSync(d, { recursive: true, force: true }); });

  const emails = [2, 3, 4, 5, 6, 7, 8, 9].map((n) => DEMO.member(n));
  const [op, ...members] = await signInMany(a, [DEMO.operator, ...emails]);
  const numbers = members.map((_, i) => `+4860100010${i}`);
  await Promise.all(members.map((c, i) => ok(c.api('PUT', '/api/me/sms', { phone: numbers[i], is_opted_in: true }), 'opt in')));
  const { bodyId } = await demoIds(op);
  const opB = makeClient(b, op.cookie, op.user);
  const m = await createMeeting(op, bodyId, { title: 'Sesja na dwóch węzłach' });
  await ok(op.post(`/api/meetings/${m.id}/convene`, {}), 'convene via A');
  await ok(opB.post(`/api/meetings/${m.id}/start`, {}), 'start via B');
  const v = await ok(opB.post(`/api/meetings/${m.id}/votes`, { title: 'Uchwała', duration_s: 600 }), 'vote via B');
  await ok(opB.post(`/api/votes/${v.id}/open`, {}), 'open via B');
  // Form body (the default template), percent-encoded.
  const to = (r) => new URLSearchParams(r.body.raw).get('to');
  await eventually(() => gw.got.length >= 2 * numbers.length, 15000);
  await sleep(1500);
  for (const num of numbers) assert.equal(gw.got.filter((r) => to(r) === num).length, 2, `convened + vote opened, once each, to ${num}`);
  assert.equal(gw.got.length, 2 * numbers.length);
  const claimed = await sql(a, "SELECT COUNT(*) || '|' || COUNT(claimed_by) FROM sms_outbox WHERE status = 'sent'");
  assert.equal(claimed, `${2 * numbers.length}|${2 * numbers.length}`, 'every sent row was claimed');
});
