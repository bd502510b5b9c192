// Bad input gets a clear JSON error and changes nothing (DESIGN principle 5).
// Mostly via POST /api/client-errors, the one foundation route that writes.
// For every rejection: status, error code and field, the request is logged,
// obrady_client_errors_total is unchanged and no report line is logged.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, stopAll, api, rawRequest, parseRawResponse, expectError, getMetrics, sumMetric,
  logLineRe, eventually, sleep,
} from './lib.mjs';

after(stopAll);

const CE = '/api/client-errors';
let markerN = 0;
const marker = () => `e2e-marker-${process.pid}-${++markerN}-${Date.now()}`;

async function clientErrors(srv) {
  const v = sumMetric(await getMetrics(srv), 'obrady_client_errors_total');
  assert.notEqual(v, undefined, 'obrady_client_errors_total is exported (0 before any report)');
  return v;
}

/**
 * Starts a fresh server (its own rate-limit budget), runs send(srv, mark),
 * checks the error, the log line, and that nothing changed.
 */
async function rejected(t, { status, code, field, method = 'POST', logPath = CE, send, what = '' }) {
  const srv = await startServer();
  t.after(() => srv.stop());
  try {
    return await check();
  } catch (e) {
    if (what) e.message = `[${what}] ${e.message}`;
    throw e;
  } finally {
    await srv.stop();
  }
  async function check() {
    const before = await clientErrors(srv);
    const mark = marker();
    const res = await send(srv, mark);
    if (code) expectError(res, status, code, field);
    else assert.equal(res.status, status, `${res.status} ${res.text}`);
    await srv.waitForLog(logLineRe(method, logPath, status));
    await sleep(50); // let a (wrongly) accepted report reach the log and the counter
    assert.equal(await clientErrors(srv), before, 'obrady_client_errors_total unchanged');
    const leaked = srv.logs().filter((l) => l.includes(mark));
    assert.deepEqual(leaked, [], 'the rejected report was not logged as a client error');
    return { res };
  }
}

const post = (body, opts = {}) => (srv) => api(srv, 'POST', CE, body, opts);

// ------------------------------------------------------------- 400

test('malformed JSON → 400 malformed_json', async (t) => {
  for (const body of ['{"message": "x"', '{message: "x"}', '', '{"message":"x"} trailing', "{'message':'x'}"]) {
    await rejected(t, { status: 400, code: 'malformed_json', field: null, send: post(body), what: body });
  }
});

test('valid JSON that is not an object → 400 not_an_object', async (t) => {
  for (const body of ['[{"message":"x"}]', '"x"', '42', 'null', 'true']) {
    await rejected(t, { status: 400, code: 'not_an_object', field: null, send: post(body), what: body });
  }
});

test('invalid UTF-8 in the body → 400 invalid_utf8', async (t) => {
  const bodies = [
    Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), // never valid
    Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]), // overlong "/"
    Buffer.concat([Buffer.from('{"message":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), // UTF-16 surrogate
    Buffer.concat([Buffer.from('{"message":"x'), Buffer.from([0xc5]), Buffer.from('"}')]), // truncated sequence
  ];
  for (const body of bodies) {
    // field may name the string ("message") or be absent (the body as a whole).
    const { res } = await rejected(t, { status: 400, code: 'invalid_utf8', send: post(body), what: body.toString('hex') });
    if (res.json.error.field !== undefined) assert.equal(res.json.error.field, 'message');
  }
});

test('a lone surrogate escape (\\ud800) is refused with a 400', async (t) => {
  const { res } = await rejected(t, { status: 400, send: post('{"message":"x\\ud800y"}') });
  assert.ok(['invalid_utf8', 'malformed_json'].includes(res.json?.error?.code), res.text);
});

// ------------------------------------------------------------- 422

test('unknown field → 422 unknown_field naming it', async (t) => {
  await rejected(t, { status: 422, code: 'unknown_field', field: 'foo', send: (s, m) => api(s, 'POST', CE, { message: m, foo: 1 }) });
  await rejected(t, { status: 422, code: 'unknown_field', field: 'Message', send: (s, m) => api(s, 'POST', CE, { message: m, Message: m }) });
});

test('missing required field → 422 missing_field message', async (t) => {
  await rejected(t, { status: 422, code: 'missing_field', field: 'message', send: (s, m) => api(s, 'POST', CE, { page: `/${m}` }) });
  await rejected(t, { status: 422, code: 'missing_field', field: 'message', send: post({}) });
});

test('wrong JSON type → 422 wrong_type naming the field', async (t) => {
  const cases = [
    [{ message: 5 }, 'message'],
    [{ message: ['x'] }, 'message'],
    [(m) => ({ message: m, line: '3' }), 'line'],
    [(m) => ({ message: m, line: 1.5 }), 'line'],
    [(m) => ({ message: m, column: true }), 'column'],
    [(m) => ({ message: m, page: 7 }), 'page'],
    [(m) => ({ message: m, source: {} }), 'source'],
    [(m) => ({ message: m, stack: ['a'] }), 'stack'],
    // Reading: a present null is a value of the wrong type, not a missing field.
    [{ message: null }, 'message'],
  ];
  for (const [body, field] of cases) {
    await rejected(t, {
      status: 422, code: 'wrong_type', field, what: String(typeof body === 'function' ? JSON.stringify(body('M')) : JSON.stringify(body)),
      send: (s, m) => api(s, 'POST', CE, typeof body === 'function' ? body(m) : body),
    });
  }
});

test('out of range → 422 out_of_range naming the field', async (t) => {
  const cases = [
    [() => ({ message: '' }), 'message'],
    [(m) => ({ message: m + 'x'.repeat(1001 - m.length) }), 'message'],
    [(m) => ({ message: m, line: -1 }), 'line'],
    [(m) => ({ message: m, column: -1 }), 'column'],
    [(m) => ({ message: m, page: 'p'.repeat(301) }), 'page'],
    [(m) => ({ message: m, source: 's'.repeat(301) }), 'source'],
    [(m) => ({ message: m, stack: 's'.repeat(4001) }), 'stack'],
  ];
  for (const [body, field] of cases) {
    await rejected(t, { status: 422, code: 'out_of_range', field, what: JSON.stringify(body('M')).slice(0, 60), send: (s, m) => api(s, 'POST', CE, body(m)) });
  }
});

// ------------------------------------------------------------- 413/415/405/414/431/403

test('Content-Length over 8 KiB → 413 body_too_large', async (t) => {
  const big = (m) => JSON.stringify({ message: m, stack: 's'.repeat(4000) }) + ' '.repeat(8193);
  await rejected(t, { status: 413, code: 'body_too_large', field: null, send: (s, m) => api(s, 'POST', CE, big(m)) });
});

test('a huge announced Content-Length is refused before the body is sent', async (t) => {
  await rejected(t, {
    status: 413,
    code: 'body_too_large',
    field: null,
    send: async (s, m) => {
      const text = await rawRequest(s,
        `POST ${CE} HTTP/1.1\r\nHost: ${s.host}:${s.port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: 100000000\r\nConnection: close\r\n\r\n{"message":"${m}"`, { timeoutMs: 5000 });
      const r = parseRawResponse(text);
      let json = null;
      try {
        json = JSON.parse(r.body);
      } catch { /* checked by expectError */ }
      return { status: r.status, headers: r.headers, json, text: r.body };
    },
  });
});

test('chunked body over 8 KiB (no Content-Length) → 413 body_too_large', async (t) => {
  const big = (m) => JSON.stringify({ message: m, stack: 's'.repeat(4000) }) + ' '.repeat(20000);
  await rejected(t, { status: 413, code: 'body_too_large', field: null, send: (s, m) => api(s, 'POST', CE, big(m), { chunked: true }) });
});

test('a body of exactly 8 KiB is accepted, 8 KiB + 1 is not', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const json = JSON.stringify({ message: marker(), stack: 's'.repeat(4000) });
  const exact = json + ' '.repeat(8192 - Buffer.byteLength(json));
  assert.equal(Buffer.byteLength(exact), 8192);
  const ok = await api(srv, 'POST', CE, exact);
  assert.equal(ok.status, 204, ok.text);
  const over = await api(srv, 'POST', CE, exact + ' ');
  expectError(over, 413, 'body_too_large', null);
  // Also when the 8 KiB arrive chunked.
  const okc = await api(srv, 'POST', CE, exact, { chunked: true });
  assert.equal(okc.status, 204, okc.text);
  const overc = await api(srv, 'POST', CE, exact + ' ', { chunked: true });
  expectError(overc, 413, 'body_too_large', null);
});

test('Content-Type not application/json → 415 unsupported_media_type', async (t) => {
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
    await rejected(t, {
      status: 415,
      code: 'unsupported_media_type',
      field: null,
      what: String(ct),
      send: (s, m) => api(s, 'POST', CE, JSON.stringify({ message: m }), { headers: { 'content-type': ct } }),
    });
  }
});

test('application/json with parameters and any letter case is accepted', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  for (const ct of ['application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8']) {
    const r = await api(srv, 'POST', CE, JSON.stringify({ message: marker() }), { headers: { 'content-type': ct } });
    assert.equal(r.status, 204, `${ct}: ${r.status} ${r.text}`);
  }
});

test('wrong method → 405 method_not_allowed with an Allow header', async (t) => {
  const cases = [
    ['DELETE', '/healthz', ['GET']],
    ['POST', '/healthz', ['GET']],
    ['PUT', '/metrics', ['GET']],
    ['GET', CE, ['POST']],
    ['DELETE', CE, ['POST']],
    ['POST', '/api/live', ['GET']],
  ];
  for (const [method, p, allow] of cases) {
    const { res } = await rejected(t, {
      status: 405, code: 'method_not_allowed', field: null, method, logPath: p, what: `${method} ${p}`,
      send: (s, m) => api(s, method, p, method === 'GET' ? undefined : { message: m }),
    });
    const listed = (res.headers.allow || '').split(',').map((x) => x.trim()).filter(Boolean);
    for (const a of allow) assert.ok(listed.includes(a), `${method} ${p}: Allow "${res.headers.allow}" lists ${a}`);
    assert.ok(!listed.includes(method), `${method} ${p}: Allow does not list ${method}`);
  }
});

test('a ~6 KB URL → 414 uri_too_long', async (t) => {
  const q = 'x'.repeat(6000);
  // Logged by route or path; only the status is matched for the log line here.
  const srv = await startServer();
  t.after(() => srv.stop());
  const before = await clientErrors(srv);
  const r = await api(srv, 'POST', `${CE}?pad=${q}`, { message: marker() });
  expectError(r, 414, 'uri_too_long', null);
  const g = await api(srv, 'GET', `/healthz?pad=${q}`);
  expectError(g, 414, 'uri_too_long', null);
  const p = await api(srv, 'GET', `/api/${q}`);
  expectError(p, 414, 'uri_too_long', null);
  await srv.waitForLog(/(^|\s)POST \S+ 414 \d+(\.\d+)?ms\b/);
  await srv.waitForLog(/(^|\s)GET \S+ 414 \d+(\.\d+)?ms\b/);
  assert.ok(srv.logs().every((l) => !l.includes(q)), 'the 6 KB URL is not copied into the log');
  assert.equal(await clientErrors(srv), before);
});

test('~10 KB of request headers → 431 headers_too_large', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const before = await clientErrors(srv);
  const body = JSON.stringify({ message: marker() });
  const many = Array.from({ length: 10 }, (_, i) => `X-Pad-${i}: ${'p'.repeat(1000)}\r\n`).join('');
  for (const extra of [many, `X-Big: ${'b'.repeat(10240)}\r\n`]) {
    const text = await rawRequest(srv,
      `POST ${CE} HTTP/1.1\r\nHost: ${srv.host}:${srv.port}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\n${extra}Connection: close\r\n\r\n${body}`);
    const r = parseRawResponse(text);
    assert.equal(r.status, 431, text.slice(0, 200));
    // If libmicrohttpd itself refuses a request too big for its connection
    // memory it answers with its own non-JSON body; the code is checked only
    // when the answer is JSON.
    if (/json/.test(r.headers['content-type'] || '')) assert.equal(JSON.parse(r.body).error.code, 'headers_too_large');
  }
  await sleep(50);
  assert.equal(await clientErrors(srv), before, 'nothing counted');
  // The server is still healthy afterwards.
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
});

test('POST with a foreign Origin → 403 origin_mismatch; our own Origin is fine', async (t) => {
  for (const origin of ['http://evil.example', 'null', 'http://127.0.0.1:1']) {
    await rejected(t, {
      status: 403, code: 'origin_mismatch', field: null, what: origin,
      send: (s, m) => api(s, 'POST', CE, { message: m }, { headers: { origin } }),
    });
  }
  const srv = await startServer();
  t.after(() => srv.stop());
  const before = await clientErrors(srv);
  const r = await api(srv, 'POST', CE, { message: marker() }, { headers: { origin: srv.origin } });
  assert.equal(r.status, 204, r.text);
  await eventually(async () => (await clientErrors(srv)) === before + 1);
});

test('bad query parameter → 400 bad_parameter naming it', async (t) => {
  for (const q of ['abc', '12abc', '-1', '1.5', '']) {
    await rejected(t, {
      status: 400, code: 'bad_parameter', field: 'since', method: 'GET', logPath: '/api/live', what: `since=${q}`,
      send: (s) => api(s, 'GET', `/api/live?since=${q}`),
    });
  }
});

// ------------------------------------------------------------- the good path

test('a valid report → 204, one warn line, counter +1 exactly', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const before = await clientErrors(srv);
  const m = marker();
  const r = await api(srv, 'POST', CE, {
    message: `TypeError: ${m}`, page: '/meetings/x', source: '/js/app.js', line: 12, column: 0, stack: 'at f (app.js:12:0)',
  });
  assert.equal(r.status, 204, r.text);
  assert.equal(r.body.length, 0, '204 has no body');
  const line = await srv.waitForLog(new RegExp(m));
  assert.match(line, /warn/i, 'logged at warn level');
  await srv.waitForLog(logLineRe('POST', CE, 204));
  await eventually(async () => (await clientErrors(srv)) === before + 1);
  await sleep(100);
  assert.equal(await clientErrors(srv), before + 1, 'exactly +1');
  assert.equal(srv.logs().filter((l) => l.includes(m)).length, 1, 'one warn line');
  // Boundaries are inside the range: 1 and 1000 characters, line/column 0.
  const r1 = await api(srv, 'POST', CE, { message: 'x' });
  assert.equal(r1.status, 204, r1.text);
  const r1000 = await api(srv, 'POST', CE, { message: 'y'.repeat(1000), page: 'p'.repeat(300), line: 0 });
  assert.equal(r1000.status, 204, r1000.text);
  await eventually(async () => (await clientErrors(srv)) === before + 3);
});

test('string limits count characters, not bytes (1000 × "ż" is a valid message)', async (t) => {
  // Reading of the contract: JSON strings are measured in characters, as a
  // browser's message.length would be (each "ż" is 2 bytes in UTF-8).
  const srv = await startServer();
  t.after(() => srv.stop());
  const r = await api(srv, 'POST', CE, { message: 'ż'.repeat(1000) });
  assert.equal(r.status, 204, r.text);
  const r2 = await api(srv, 'POST', CE, { message: 'ż'.repeat(1001) });
  expectError(r2, 422, 'out_of_range', 'message');
});

test('error messages are Polish when Accept-Language prefers pl', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  // q-value handling on a 404 (not rate-limited), then the report route.
  const nf = (lang) => api(srv, 'GET', '/api/nope', undefined, { headers: lang ? { 'accept-language': lang } : {} });
  const en = await nf(null);
  expectError(en, 404, 'not_found');
  const variants = {
    'en-US,en;q=0.9': 'en',
    pl: 'pl',
    'pl-PL,pl;q=0.9,en;q=0.8': 'pl',
    'en-GB,en;q=0.9,pl;q=0.5': 'en',
    'en;q=0.3,pl;q=0.8': 'pl',
    'de,fr;q=0.8': 'en',
  };
  const got = {};
  for (const lang of Object.keys(variants)) {
    const r = await nf(lang);
    expectError(r, 404, 'not_found');
    got[lang] = r.json.error.message;
  }
  const pl = got.pl;
  assert.notEqual(pl, en.json.error.message, 'pl gives another message than the English default');
  for (const [lang, want] of Object.entries(variants)) {
    assert.equal(got[lang], want === 'pl' ? pl : en.json.error.message, `Accept-Language: ${lang} → ${want}`);
  }
  // On the report route, for a 400 and a 422 with a field.
  const send = (lang, body) => api(srv, 'POST', CE, body, { headers: lang ? { 'accept-language': lang } : {} });
  const en400 = await send(null, '{"message":');
  const pl400 = await send('pl', '{"message":');
  expectError(en400, 400, 'malformed_json');
  expectError(pl400, 400, 'malformed_json');
  assert.notEqual(pl400.json.error.message, en400.json.error.message);
  const en422 = await send(null, JSON.stringify({ message: '' }));
  const pl422 = await send('pl-PL', JSON.stringify({ message: '' }));
  expectError(en422, 422, 'out_of_range', 'message');
  expectError(pl422, 422, 'out_of_range', 'message');
  assert.notEqual(pl422.json.error.message, en422.json.error.message);
});

test('reports are rate-limited per client IP: 429 rate_limited with Retry-After', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const before = await clientErrors(srv);
  let accepted = 0;
  let limited = null;
  for (let i = 0; i < 300 && !limited; i++) {
    const r = await api(srv, 'POST', CE, { message: `flood ${i}` });
    if (r.status === 204) accepted++;
    else if (r.status === 429) limited = r;
    else assert.fail(`unexpected ${r.status} ${r.text}`);
  }
  assert.ok(limited, `no 429 after ${accepted} reports from one IP`);
  expectError(limited, 429, 'rate_limited');
  assert.match(limited.headers['retry-after'] || '', /^[1-9]\d*$/, 'Retry-After in whole seconds');
  await srv.waitForLog(logLineRe('POST', CE, 429));
  await eventually(async () => (await clientErrors(srv)) === before + accepted);
  await sleep(50);
  assert.equal(await clientErrors(srv), before + accepted, 'only accepted reports are counted');
  // Other routes are not affected by the report limit.
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
});
