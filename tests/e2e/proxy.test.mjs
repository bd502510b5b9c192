// proxy.test.mjs — obrady behind Debian's nginx running docs/nginx-site.conf
// (TLS, HTTP/2, trusted_proxies = 127.0.0.1): event streams arrive through
// it without delay, the real client address is logged and rate-limited,
// uploads at the size limit pass, and the cookie is Secure. Clients connect
// from 127.0.0.2 / 127.0.0.3 so they are not the trusted proxy themselves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';

import {
  DEMO, SESSION_COOKIE, createMeeting, demoIds, fetchCode, parseSetCookie, signIn, startDemo, stopAll,
} from './lib.mjs';
import { hasNginx, startNginx } from './nginx.mjs';

const skip = hasNginx() ? false : 'nginx is not installed (scripts/deps.sh test installs it)';
let srv, ng, via, operator, bodyId;

before(async () => {
  if (skip) return;
  // The proxy's address is only known once it runs; start obrady, then nginx, then
  // restart obrady with public_origin pointing at nginx on the same data dir.
  const probe = await startDemo();
  ng = await startNginx({ upstreamPort: probe.port });
  await probe.stop();
  srv = await startDemo({
    listen: `127.0.0.1:${probe.port}`,
    config: { public_origin: ng.url, trusted_proxies: '127.0.0.1/32, ::1' },
  });
  via = { ...srv, url: ng.url, origin: ng.url };
  operator = await signIn(via, DEMO.operator);
  ({ bodyId } = await demoIds(await signIn(via, DEMO.admin)));
});
after(async () => {
  if (ng) await ng.stop();
  await stopAll();
});

/** One request from a chosen local address; TLS certificates are not checked. */
function request(url, { method = 'GET', headers = {}, body = null, localAddress = '127.0.0.2' } = {}) {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const rq = mod.request(u, { method, headers, localAddress, rejectUnauthorized: false, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    rq.on('error', reject);
    rq.setTimeout(60000, () => rq.destroy(new Error('timeout')));
    if (body) rq.write(body);
    rq.end();
  });
}

const reportError = (from, spoof) => request(`${ng.url}/api/client-errors`, {
  method: 'POST',
  localAddress: from,
  headers: { 'content-type': 'application/json', 'x-forwarded-for': spoof },
  body: JSON.stringify({ message: `proxy-test-${from}` }),
});

test('nginx speaks HTTP/2 over TLS to clients and forwards to obrady', { skip }, async () => {
  const session = http2.connect(ng.url, { rejectUnauthorized: false });
  try {
    const { status, alpn } = await new Promise((resolve, reject) => {
      const s = session.request({ ':path': '/healthz' });
      s.on('response', (h) => resolve({ status: h[':status'], alpn: session.alpnProtocol }));
      s.on('error', reject);
      s.end();
    });
    assert.equal(status, 200);
    assert.equal(alpn, 'h2');
  } finally {
    session.close();
  }
});

test('the sign-in cookie is Secure behind the TLS proxy and not on plain HTTP', { skip }, async () => {
  const ck = parseSetCookie(operator.signInResponse.headers['set-cookie']).find((c) => c.name === SESSION_COOKIE);
  assert.equal(ck.attrs.secure, true, 'Secure via X-Forwarded-Proto https from the trusted proxy');
  // The same claim straight from an untrusted address is not believed: no Secure.
  const { code } = await fetchCode(srv, DEMO.member(3));
  const r = await request(`${srv.url}/api/auth/session`, {
    method: 'POST', localAddress: '127.0.0.2',
    headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
    body: JSON.stringify({ email: DEMO.member(3), code }),
  });
  assert.equal(r.status, 200, r.text);
  const plain = parseSetCookie(r.headers['set-cookie']).find((c) => c.name === SESSION_COOKIE);
  assert.ok(plain && plain.value, 'signed in');
  assert.equal(plain.attrs.secure, undefined, 'no Secure on plain HTTP from an untrusted peer');
  const direct = await request(`${srv.url}/healthz`, { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '198.51.100.1' } });
  assert.equal(direct.status, 200);
  await eventuallyLog(/GET \/healthz 200 [\d.]+ms from 127\.0\.0\.2\b/);
});

test('the real client address is logged and rate-limited, a spoofed X-Forwarded-For is not believed', { skip }, async () => {
  // 40 at once: the limit (a burst of 10, then 1/s) is exceeded however slow the machine.
  const statuses = (await Promise.all(Array.from({ length: 40 }, (_, i) => reportError('127.0.0.2', `198.51.100.${i}`))))
    .map((r) => r.status);
  assert.ok(statuses.includes(429), `127.0.0.2 is limited whatever it claims: ${statuses}`);
  assert.ok(statuses.includes(204), `its first reports pass: ${statuses}`);
  const other = await reportError('127.0.0.3', '198.51.100.77');
  assert.equal(other.status, 204, 'another client is not limited by the first one\'s reports');
  await eventuallyLog(/client error from 127\.0\.0\.2 /);
  await eventuallyLog(/POST \/api\/client-errors 429 [\d.]+ms from 127\.0\.0\.2\b/);
  await eventuallyLog(/POST \/api\/client-errors 204 [\d.]+ms from 127\.0\.0\.3\b/);
  assert.ok(!srv.logs().some((l) => / from 198\.51\.100\./.test(l)), 'no spoofed address in the log');
  assert.ok(!srv.logs().some((l) => /client-errors \d+ [\d.]+ms from 127\.0\.0\.1\b/.test(l)), 'not the proxy\'s address');
});

test('meeting events arrive through nginx at once', { skip }, async () => {
  const m = await createMeeting(operator, bodyId);
  const events = [];
  let wake = null;
  const stream = await new Promise((resolve, reject) => {
    const rq = https.get(`${ng.url}/api/meetings/${m.id}/events`, {
      rejectUnauthorized: false, agent: false,
      headers: { accept: 'text/event-stream', cookie: `${SESSION_COOKIE}=${operator.cookie}` },
    }, (res) => {
      assert.equal(res.statusCode, 200);
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (t) => {
        buf += t;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
          if (data) events.push({ at: Date.now(), ev: JSON.parse(data) });
          if (wake) wake();
        }
      });
      resolve(rq);
    });
    rq.on('error', reject);
  });
  try {
    const waitFor = async (pred, ms) => {
      const end = Date.now() + ms;
      while (!events.some(pred)) {
        if (Date.now() > end) return false;
        await new Promise((r) => { wake = r; setTimeout(r, 50); });
      }
      return true;
    };
    assert.ok(await waitFor(() => true, 5000), 'the stream opens with the meeting\'s log');
    const sent = Date.now();
    const r = await operator.post(`/api/meetings/${m.id}/agenda`, { title: 'Sprawy bieżące' });
    assert.equal(r.status, 201, r.text);
    const isItem = (e) => JSON.stringify(e.ev).includes('Sprawy bieżące');
    // Buffered by nginx, a few hundred bytes would sit there until the stream ends.
    assert.ok(await waitFor(isItem, 2000), 'the agenda event came through within 2 s');
    const got = events.find(isItem);
    assert.ok(got.at - sent < 2000);
  } finally {
    stream.destroy();
  }
});

test('an upload of exactly the size limit passes through nginx; one byte more is refused with 413', { skip }, async () => {
  const m = await createMeeting(operator, bodyId);
  const limit = 20 * 1024 * 1024;
  const big = Buffer.alloc(limit + 1, 0x20);
  big.write('%PDF-1.7\n');
  const up = (bytes) => operator.api('POST', `/api/meetings/${m.id}/documents`, bytes, {
    raw: true, timeoutMs: 60000, headers: { 'content-type': 'application/pdf', 'x-filename': 'limit.pdf' },
  });
  const ok = await up(big.subarray(0, limit));
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.size_bytes, limit);
  const over = await up(big);
  assert.equal(over.status, 413, over.text.slice(0, 200));
});

async function eventuallyLog(re) {
  await srv.waitForLog(re, 5000);
}
