// Static files from the web dir (a fixture dir with one file of each type).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, stopAll, api, rawRequest, parseRawResponse, expectError, makeWebFixture } from './lib.mjs';

let web;
before(() => {
  web = makeWebFixture();
});
after(async () => {
  await stopAll();
  fs.rmSync(web, { recursive: true, force: true });
});

async function serve(t) {
  const srv = await startServer({ web });
  t.after(() => srv.stop());
  return srv;
}

const file = (p) => fs.readFileSync(path.join(web, p));

test('/ serves index.html as text/html; charset=utf-8 with ETag and Cache-Control: no-cache', async (t) => {
  const srv = await serve(t);
  for (const p of ['/', '/index.html']) {
    const r = await api(srv, 'GET', p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-type'].replace(/\s+/g, '').toLowerCase(), 'text/html;charset=utf-8', p);
    assert.ok(r.body.equals(file('index.html')), `${p} body is index.html byte for byte`);
    assert.ok(r.headers.etag, `${p} has an ETag`);
    assert.equal(r.headers['cache-control'], 'no-cache', p);
  }
});

test('MIME types by extension', async (t) => {
  const srv = await serve(t);
  const cases = [
    ['/js/app.js', /^text\/javascript; ?charset=utf-8$/i],
    ['/css/site.css', /^text\/css; ?charset=utf-8$/i],
    ['/i18n/pl.json', /^application\/json(; ?charset=utf-8)?$/i],
    ['/img/logo.svg', /^image\/svg\+xml(; ?charset=utf-8)?$/i],
    ['/img/pixel.png', /^image\/png$/i],
    ['/favicon.ico', /^image\/(x-icon|vnd\.microsoft\.icon)$/i],
    ['/fonts/x.woff2', /^font\/woff2$/i],
    ['/robots.txt', /^text\/plain; ?charset=utf-8$/i],
  ];
  for (const [p, re] of cases) {
    const r = await api(srv, 'GET', p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers['content-type'] || '', re, p);
    assert.ok(r.body.equals(file(p.slice(1))), `${p} body matches the file`);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', p);
  }
});

test('ETag + If-None-Match → 304 without a body; a stale ETag → 200', async (t) => {
  const srv = await serve(t);
  const r = await api(srv, 'GET', '/js/app.js');
  const etag = r.headers.etag;
  assert.ok(etag, 'ETag present');
  assert.match(etag, /^(W\/)?"[^"]*"$/, 'ETag is a quoted entity tag');
  const r2 = await api(srv, 'GET', '/js/app.js', undefined, { headers: { 'If-None-Match': etag } });
  assert.equal(r2.status, 304);
  assert.equal(r2.body.length, 0);
  assert.equal(r2.headers.etag, etag, '304 repeats the ETag');
  const r3 = await api(srv, 'GET', '/js/app.js', undefined, { headers: { 'If-None-Match': '"stale"' } });
  assert.equal(r3.status, 200);
  assert.ok(r3.body.equals(file('js/app.js')));
  // Different files have different ETags.
  const other = await api(srv, 'GET', '/css/site.css');
  assert.notEqual(other.headers.etag, etag);
});

// Beyond the letter of the contract: an ETag must describe the bytes sent, so
// a web file replaced on disk (a deploy without restart) gets a new one.
test('a file changed on disk gets a new ETag', async (t) => {
  const srv = await serve(t);
  const before = await api(srv, 'GET', '/robots.txt');
  fs.writeFileSync(path.join(web, 'robots.txt'), 'User-agent: *\nDisallow: /changed-for-etag-test-of-length\n');
  try {
    const afterChange = await api(srv, 'GET', '/robots.txt', undefined, { headers: { 'If-None-Match': before.headers.etag } });
    assert.equal(afterChange.status, 200, 'changed file is sent again');
    assert.notEqual(afterChange.headers.etag, before.headers.etag);
    assert.match(afterChange.text, /changed-for-etag-test/);
  } finally {
    fs.writeFileSync(path.join(web, 'robots.txt'), before.body);
  }
});

test('HEAD gives the headers of GET and no body', async (t) => {
  const srv = await serve(t);
  const g = await api(srv, 'GET', '/css/site.css');
  // Read HEAD raw so a body the client would silently drop is still seen.
  const text = await rawRequest(srv, `HEAD /css/site.css HTTP/1.1\r\nHost: ${srv.host}:${srv.port}\r\nConnection: close\r\n\r\n`);
  const h = parseRawResponse(text);
  assert.equal(h.status, 200);
  assert.equal(h.body, '', 'no body after a HEAD response');
  assert.equal(h.headers['content-type'], g.headers['content-type']);
  assert.equal(h.headers.etag, g.headers.etag);
  if (h.headers['content-length'] !== undefined) assert.equal(Number(h.headers['content-length']), g.body.length);
});

test('client-side routes (last segment without a dot) get index.html', async (t) => {
  const srv = await serve(t);
  for (const p of ['/some/client/route', '/meetings', '/meetings/abc/votes', '/meetings/x?tab=votes']) {
    const r = await api(srv, 'GET', p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers['content-type'], /^text\/html/i, p);
    assert.ok(r.body.equals(file('index.html')), `${p} → index.html`);
  }
});

test('a missing file with an extension is 404, not index.html', async (t) => {
  const srv = await serve(t);
  for (const p of ['/missing.js', '/css/missing.css', '/img/nope.png']) {
    const r = await api(srv, 'GET', p);
    expectError(r, 404, 'not_found');
    assert.doesNotMatch(r.text, /obrady-fixture-index/);
  }
});

test('/api/... paths never fall back to index.html', async (t) => {
  const srv = await serve(t);
  for (const p of ['/api/nope', '/api/nope/deeper', '/api/']) {
    const r = await api(srv, 'GET', p);
    expectError(r, 404, 'not_found');
    assert.doesNotMatch(r.text, /obrady-fixture-index/, p);
  }
});

test('path traversal, hidden segments and odd characters → 404', async (t) => {
  const srv = await serve(t);
  const paths = [
    '/../etc/passwd',
    '/%2e%2e/etc/passwd',
    '/%2E%2E/%2E%2E/etc/passwd',
    '/%2e%2e%2fetc%2fpasswd',
    '/js/../../etc/passwd',
    '/js/..%2f..%2fetc%2fpasswd',
    '/.git/config',
    '/%2egit/config',
    '/.hidden.txt',
    '/js/.env',
    '/js/%2e%2e/js/app.js',
    '/js/./app.js',
    '/js\\app.js',
  ];
  for (const p of paths) {
    const r = await api(srv, 'GET', p);
    assert.equal(r.status, 404, `${p} → ${r.status} ${r.text.slice(0, 80)}`);
    assert.doesNotMatch(r.text, /root:|fixture-(git|hidden|env)-secret|obrady-fixture-index/, p);
    expectError(r, 404, 'not_found');
  }
  // The same traversal written raw (no client normalisation at all).
  const raw = await rawRequest(srv, `GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  const pr = parseRawResponse(raw);
  assert.ok(pr.status === 404 || pr.status === 400, `raw traversal → ${pr.status}`);
  assert.doesNotMatch(pr.body, /root:/);
});

test('a NUL byte (%00) in the path never serves or routes to a shorter path', async (t) => {
  const srv = await serve(t);
  for (const p of ['/js/app.js%00.png', '/js/app.js%00', '/healthz%00x', '/api/live%00']) {
    const r = await api(srv, 'GET', p, undefined, { timeoutMs: 3000 });
    assert.ok(r.status === 404 || r.status === 400, `${p} → ${r.status} ${r.text.slice(0, 60)}`);
    assert.doesNotMatch(r.text, /answer = 42|"status":"ok"/, p);
  }
});
