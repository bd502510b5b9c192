// HTTPS with tls_cert/tls_key from the config file (self-signed, made with openssl).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import {
  startServer, stopAll, api, rawRequest, freeTmpDir, expectSecurityHeaders, expectError,
} from './lib.mjs';

let dir;
let cert;
let key;
before(() => {
  dir = freeTmpDir('obrady-tls-');
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ], { stdio: 'pipe' });
});
after(async () => {
  await stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('tls_cert + tls_key → HTTPS with Strict-Transport-Security and the other headers', async (t) => {
  const srv = await startServer({ config: { tls_cert: cert, tls_key: key } });
  t.after(() => srv.stop());
  assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  const r = await api(srv, 'GET', '/healthz');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok', database: 'ok', backend: 'sqlite' });
  expectSecurityHeaders(r, { tls: true });
  const nf = await api(srv, 'GET', '/api/nope');
  expectError(nf, 404, 'not_found');
  expectSecurityHeaders(nf, { tls: true });
  // The server presents our certificate.
  const peer = await new Promise((resolve, reject) => {
    const sock = tls.connect({ host: '127.0.0.1', port: srv.port, rejectUnauthorized: false, servername: 'localhost' }, () => {
      const c = sock.getPeerX509Certificate();
      sock.destroy();
      resolve(c);
    });
    sock.on('error', reject);
  });
  assert.equal(peer.fingerprint256, new X509Certificate(fs.readFileSync(cert)).fingerprint256);
});

test('TLS: a report is accepted with our own https Origin', async (t) => {
  const srv = await startServer({ config: { tls_cert: cert, tls_key: key } });
  t.after(() => srv.stop());
  const r = await api(srv, 'POST', '/api/client-errors', { message: 'over tls' }, { headers: { origin: srv.origin } });
  assert.equal(r.status, 204, r.text);
  const bad = await api(srv, 'POST', '/api/client-errors', { message: 'x' }, { headers: { origin: srv.origin.replace('https:', 'http:') } });
  expectError(bad, 403, 'origin_mismatch');
});

test('TLS: plain HTTP to the HTTPS port gets no HTTP answer', async (t) => {
  const srv = await startServer({ config: { tls_cert: cert, tls_key: key } });
  t.after(() => srv.stop());
  const plain = await rawRequest({ url: srv.url.replace('https:', 'http:') },
    'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { timeoutMs: 2000 });
  assert.doesNotMatch(plain, /^HTTP\/1\.[01] 200/);
  // And the server keeps serving TLS clients.
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
});

/** Starting must fail: resolves with the error's text (stderr included). */
async function mustNotStart(config) {
  let srv;
  try {
    srv = await startServer({ config });
  } catch (e) {
    assert.match(e.message, /exited early/, e.message);
    return e.message;
  }
  await srv.stop();
  assert.fail(`started anyway, on ${srv.url}`);
}

test('TLS: a missing certificate file is a startup error', async () => {
  const err = await mustNotStart({ tls_cert: path.join(dir, 'nope.pem'), tls_key: key });
  assert.match(err, /nope\.pem|cert/i, 'names the problem');
});

// Reading of "both given → HTTPS": giving only one of the two is a mistake the
// operator must hear about, not a silent fallback to plain HTTP.
test('TLS: only one of tls_cert / tls_key is a startup error', async () => {
  await mustNotStart({ tls_cert: cert });
  await mustNotStart({ tls_key: key });
});

test('over direct TLS an event stream stays in libmicrohttpd: events, then a clean end at shutdown', async (t) => {
  // The epoll writer takes plain-TCP streams only (it writes to the socket
  // itself); a TLS stream must keep working through MHD's own path.
  const srv = await startServer({ config: { tls_cert: cert, tls_key: key } });
  t.after(() => srv.stop());
  let text = '';
  const ended = new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port: srv.port, rejectUnauthorized: false }, () => {
      s.write('GET /api/live?since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
    });
    s.on('data', (d) => { text += d; });
    s.on('error', reject);
    s.on('end', resolve);
  });
  for (let i = 0; i < 100 && !/event: server\.started/.test(text); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(text, /^HTTP\/1\.1 200/);
  assert.match(text, /event: server\.started/);
  await srv.stop();
  await ended;
  assert.match(text, /event: server\.stopping/);
  assert.ok(text.endsWith('\r\n0\r\n\r\n'), `the chunked body ends cleanly: ${JSON.stringify(text.slice(-30))}`);
});
