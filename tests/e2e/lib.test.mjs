// Self-tests of the harness's parsers (no server needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createSSEParser, parseEml, parseMetrics, sumMetric, parseRawResponse, readMail, freeTmpDir,
  totpCode, hotp, base32Decode, parseSetCookie, extractCode, fakeId,
} from './lib.mjs';
import fs from 'node:fs';
import path from 'node:path';

function sse(chunks) {
  const events = [];
  const comments = [];
  const retries = [];
  const p = createSSEParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c), onRetry: (r) => retries.push(r) });
  chunks.forEach((c, i) => p.push(c, i === chunks.length - 1));
  return { events, comments, retries, lastId: p.lastEventId };
}

test('SSE parser: fields, multi-line data, comments, retry, CRLF split across chunks', () => {
  const r = sse([
    '\ufeffretry: 3000\n\n: hb\n\n',
    'id: 1\nevent: server.started\ndata: {"seq":1}\n\n',
    'id: 2\r',
    '\ndata: line one\r\ndata:line two\ndata\n\n',
    ':no space comment\nevent: ignored\n\n', // no data: nothing dispatched, type reset
    'data: after\n\n',
    'id\ndata: x\n\n', // empty id resets the last event id
    'retry: abc\ndata: y\n\n', // non-numeric retry ignored
    'data: incomplete', // no blank line before end: discarded
  ]);
  assert.deepEqual(r.retries, [3000]);
  assert.deepEqual(r.comments, ['hb', 'no space comment']);
  assert.deepEqual(r.events, [
    { id: '1', event: 'server.started', data: '{"seq":1}' },
    { id: '2', event: 'message', data: 'line one\nline two\n' },
    { id: '2', event: 'message', data: 'after' },
    { id: '', event: 'message', data: 'x' },
    { id: '', event: 'message', data: 'y' },
  ]);
});

test('SSE parser: bare CR line endings and byte-at-a-time delivery', () => {
  const text = 'id: 7\revent: a\rdata: {"k":"ż"}\r\r';
  const r = sse([...text]);
  assert.deepEqual(r.events, [{ id: '7', event: 'a', data: '{"k":"ż"}' }]);
});

const SAMPLE_EML = [
  'From: obrady <noreply@example.org>',
  'To: Jan Kowalski <jan@example.org>',
  'Subject: =?UTF-8?B?S29kIGxvZ293YW5pYTogxbzDs8WCdw==?=',
  ' =?UTF-8?Q?_=C4=87ma?=',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="XyZ"',
  '',
  'preamble',
  '--XyZ',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  'Tw=C3=B3j kod: 123456. Bardzo d=',
  'ługa linia.',
  '--inner',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('<p>Twój kod: <b>123456</b></p>').toString('base64'),
  '--inner--',
  '--XyZ',
  'Content-Type: text/calendar; charset=utf-8; name="meeting.ics"',
  'Content-Disposition: attachment; filename="meeting.ics"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n').toString('base64'),
  '--XyZ--',
  'epilogue',
].join('\r\n');

test('eml parser: encoded-word subject, nested multipart, quoted-printable, base64, attachment', () => {
  const m = parseEml(Buffer.from(SAMPLE_EML, 'utf8'));
  assert.equal(m.headers.to, 'Jan Kowalski <jan@example.org>');
  assert.equal(m.headers.subject, 'Kod logowania: żółw ćma');
  assert.equal(m.text, 'Twój kod: 123456. Bardzo długa linia.');
  assert.equal(m.html, '<p>Twój kod: <b>123456</b></p>');
  assert.equal(m.attachments.length, 1);
  assert.equal(m.attachments[0].filename, 'meeting.ics');
  assert.match(m.attachments[0].content, /^BEGIN:VCALENDAR/);
});

test('eml parser: single-part 8-bit message with LF line endings', () => {
  const m = parseEml('To: a@b.pl\nSubject: Zaproszenie na posiedzenie\nContent-Type: text/plain; charset=utf-8\n\nDzień dobry,\nzapraszamy.\n');
  assert.equal(m.headers.subject, 'Zaproszenie na posiedzenie');
  assert.equal(m.text, 'Dzień dobry,\nzapraszamy.\n');
});

test('readMail waits for a matching .eml and picks it by To and Subject', async () => {
  const dir = freeTmpDir();
  try {
    setTimeout(() => {
      fs.mkdirSync(path.join(dir, 'mail'));
      fs.writeFileSync(path.join(dir, 'mail', '1.eml'), 'To: x@y.pl\nSubject: other\n\nno\n');
      fs.writeFileSync(path.join(dir, 'mail', '2.eml'), SAMPLE_EML);
    }, 100);
    const m = await readMail(dir, { to: 'jan@example.org', subject: /kod logowania/i, timeoutMs: 2000 });
    assert.match(m.text, /123456/);
    assert.ok(m.file.endsWith('2.eml'));
    await assert.rejects(readMail(dir, { to: 'nobody@example.org', timeoutMs: 200 }), /no mail to nobody/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('metrics parser: labels with escapes, histogram, rejects garbage', () => {
  const p = parseMetrics([
    '# HELP obrady_http_requests_total Requests.',
    '# TYPE obrady_http_requests_total counter',
    'obrady_http_requests_total{method="GET",route="/healthz",status="200"} 3',
    'obrady_http_requests_total{method="GET",route="/a\\"b",status="404"} 1',
    '# TYPE h histogram',
    'h_bucket{le="0.1"} 1',
    'h_bucket{le="+Inf"} 2',
    'h_sum 0.5',
    'h_count 2',
    '',
  ].join('\n'));
  assert.equal(p.types.obrady_http_requests_total, 'counter');
  assert.equal(sumMetric(p, 'obrady_http_requests_total', { method: 'GET' }), 4);
  assert.equal(sumMetric(p, 'obrady_http_requests_total', { route: '/a"b' }), 1);
  assert.equal(sumMetric(p, 'h_bucket', { le: '+Inf' }), 2);
  assert.equal(sumMetric(p, 'nope'), undefined);
  assert.throws(() => parseMetrics('foo bar baz\n'));
  assert.throws(() => parseMetrics('foo{a=b} 1\n'));
});

test('raw response parser', () => {
  const r = parseRawResponse('HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: application/json\r\n\r\n{"error":{}}');
  assert.equal(r.status, 431);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.equal(r.body, '{"error":{}}');
});

test('TOTP helper: RFC 4226 and RFC 6238 (SHA-1) test vectors, base32', () => {
  const key = Buffer.from('12345678901234567890');
  const hotpVectors = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  hotpVectors.forEach((v, i) => assert.equal(hotp(key, i), v));
  assert.deepEqual(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), key);
  assert.deepEqual(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq'), key);
  // RFC 6238 appendix B, SHA-1, last 6 of the 8 digits.
  for (const [t, v] of [[59, '287082'], [1111111109, '081804'], [1111111111, '050471'], [1234567890, '005924'], [2000000000, '279037']]) {
    assert.equal(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', { step: Math.floor(t / 30) }), v, `T=${t}`);
  }
});

test('cookie, code and id helpers', () => {
  const [c] = parseSetCookie('obrady_session=abc_-9; Path=/; HttpOnly; SameSite=Lax; Max-Age=10');
  assert.deepEqual(c, { name: 'obrady_session', value: 'abc_-9', attrs: { path: '/', httponly: true, samesite: 'Lax', 'max-age': '10' } });
  assert.deepEqual(parseSetCookie(undefined), []);
  assert.equal(extractCode('Twój kod logowania do obrady to:\n\n    042917\n\nKod jest ważny przez 10 minut.'), '042917');
  assert.equal(extractCode('no code 1234567 here'), null);
  assert.match(fakeId(), /^[0-9a-hjkmnp-tv-z]{20}$/);
});
