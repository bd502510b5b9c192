// The built front end (scripts/build-web.mjs → a build dir served with --web):
// gzip and brotli copies chosen by Accept-Encoding with Vary, a year of
// immutable caching under /v/<version>/ and revalidation (ETag, 304) for the
// shell, a wrong or retired version answered 404 (never the shell, never
// other bytes under an immutable cache), the shell's generated preload lists.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { startServer, stopAll, api, rawRequest, parseRawResponse, expectError, freeTmpDir } from './lib.mjs';
import { buildWeb } from '../../scripts/build-web.mjs';

let src;
let out;
let srv;
let version;
const BIG = `// a module large enough to be worth compressing\n${'export const words = "zażółć gęślą jaźń";\n'.repeat(40)}`;
const IMMUTABLE = 'public, max-age=31536000, immutable';

before(async () => {
  src = freeTmpDir('obrady-websrc-');
  out = path.join(freeTmpDir('obrady-webout-'), 'web');
  const files = {
    'index.html': '<!doctype html>\n<html lang="pl">\n<head>\n  <title>obrady-build-fixture</title>\n' +
      '  <link rel="stylesheet" href="/css/a.css">\n  <link rel="stylesheet" href="/css/b.css">\n' +
      '  <script type="module" src="/js/boot.js"></script>\n</head>\n<body></body>\n</html>\n',
    'css/a.css': 'body { color: #123; }\n',
    'css/b.css': 'p { margin: 0; }\n',
    'i18n/pl.json': '{"hello":"Dzień dobry"}\n',
    'js/boot.js': "import('./app.js');\n",
    'js/app.js': "import { words } from './big.js';\nexport const load = () => import('./views/page.js');\nconsole.log(words);\n",
    'js/big.js': BIG,
    'js/views/page.js': "import { words } from '../big.js';\nimport { x } from '../view-only.js';\nexport const render = () => words + x;\n",
    'js/view-only.js': 'export const x = 1;\n',
  };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(src, name)), { recursive: true });
    fs.writeFileSync(path.join(src, name), content);
  }
  version = buildWeb(src, out).version;
  srv = await startServer({ web: out });
});
after(async () => {
  await stopAll();
  fs.rmSync(src, { recursive: true, force: true });
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

const get = (p, headers = {}) => api(srv, 'GET', p, undefined, { headers });

test('Content-Encoding follows Accept-Encoding: br, gzip, identity, with Vary on each', async () => {
  const p = `/v/${version}/js/big.js`;
  const cases = [
    ['gzip, deflate, br', 'br'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.8', 'gzip'],
    ['GZIP', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['br;q=0, gzip;q=0', undefined],
    ['deflate', undefined],
    [null, undefined],
  ];
  for (const [ae, want] of cases) {
    const r = await get(p, ae === null ? {} : { 'Accept-Encoding': ae });
    assert.equal(r.status, 200, `${ae}`);
    assert.equal(r.headers['content-encoding'], want, `Accept-Encoding: ${ae}`);
    assert.equal(r.headers.vary, 'Accept-Encoding', `Vary with ${ae}`);
    assert.match(r.headers['content-type'], /^text\/javascript/);
    const body = want === 'br' ? zlib.brotliDecompressSync(r.body) : want === 'gzip' ? zlib.gunzipSync(r.body) : r.body;
    assert.equal(body.toString('utf8'), BIG, `the same bytes after decoding (${ae})`);
    if (want) assert.ok(r.body.length < Buffer.byteLength(BIG) / 4, `compressed (${r.body.length} bytes)`);
  }
});

test('the shell is compressed too; every encoding has its own ETag and its own 304', async () => {
  const plain = await get('/');
  const br = await get('/', { 'Accept-Encoding': 'br' });
  const gz = await get('/some/client/route', { 'Accept-Encoding': 'gzip' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(zlib.brotliDecompressSync(br.body).toString(), plain.text);
  assert.equal(zlib.gunzipSync(gz.body).toString(), plain.text);
  const tags = new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]);
  assert.equal(tags.size, 3, 'three ETags for three representations');
  for (const [r, ae] of [[plain, null], [br, 'br'], [gz, 'gzip']]) {
    const h = { 'If-None-Match': r.headers.etag };
    if (ae) h['Accept-Encoding'] = ae;
    const again = await get('/meetings/abc', h);
    assert.equal(again.status, 304, `304 for ${ae || 'identity'}`);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers['cache-control'], 'no-cache');
  }
  // A brotli ETag does not validate the plain shell.
  const cross = await get('/', { 'If-None-Match': br.headers.etag });
  assert.equal(cross.status, 200);
  assert.equal(cross.text, plain.text);
});

test('versioned URLs are immutable for a year; the shell and plain paths are revalidated', async () => {
  for (const p of [`/v/${version}/js/app.js`, `/v/${version}/css/shell.css`, `/v/${version}/i18n/pl.json`]) {
    const r = await get(p, { 'Accept-Encoding': 'gzip, br' });
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['cache-control'], IMMUTABLE, p);
  }
  for (const p of ['/', '/index.html', '/meetings/x', '/js/app.js', '/css/a.css']) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['cache-control'], 'no-cache', p);
    assert.ok(r.headers.etag, `${p} has an ETag`);
  }
});

test('a wrong version, a missing versioned file or a route under /v/ is 404, never the shell or an immutable answer', async () => {
  const wrong = version.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  for (const p of [`/v/${wrong}/js/app.js`, '/v/0000000000000000/js/app.js', `/v/${version}/js/missing.js`, `/v/${version}/meetings/x`, `/v/${version}/`, '/v/x']) {
    const r = await get(p, { 'Accept-Encoding': 'br, gzip' });
    expectError(r, 404, 'not_found');
    assert.notEqual(r.headers['cache-control'], IMMUTABLE, p);
    assert.doesNotMatch(r.text, /obrady-build-fixture/, p);
  }
  // The compressed copies are never files of their own.
  for (const p of [`/v/${version}/js/big.js.br`, `/v/${version}/js/big.js.gz`, '/index.html.gz']) {
    expectError(await get(p), 404, 'not_found');
  }
});

test('the shell names the current version, one stylesheet, the dictionary, and each view\'s module graph', async () => {
  const html = (await get('/')).text;
  assert.match(html, new RegExp(`<script type="module" src="/v/${version}/js/boot.js"></script>`));
  // The entry's graph and the graph it imports at once (boot.js → app.js).
  assert.match(html, new RegExp(`<link rel="modulepreload" href="/v/${version}/js/app.js">`));
  assert.match(html, new RegExp(`<link rel="modulepreload" href="/v/${version}/js/big.js">`));
  assert.doesNotMatch(html, /modulepreload" href="[^"]*views\/page\.js"/, 'a lazily loaded view is not in the shell');
  assert.equal((html.match(/rel="stylesheet"/g) || []).length, 1);
  assert.match(html, new RegExp(`<link rel="stylesheet" href="/v/${version}/css/shell.css">`));
  assert.match(html, new RegExp(`<link rel="preload" href="/v/${version}/i18n/pl.json" as="fetch" crossorigin>`));
  const map = JSON.parse(/<script type="application\/json" id="obrady-preload">(.*?)<\/script>/.exec(html)[1]);
  assert.deepEqual(map['js/views/page.js'], ['js/views/page.js', 'js/view-only.js'], 'the view and what the shell does not load already');
  const css = (await get(`/v/${version}/css/shell.css`)).text;
  assert.ok(css.indexOf('color: #123') < css.indexOf('margin: 0'), 'the stylesheets in the shell\'s order');
});

test('HEAD of a compressed file: the headers of GET, no body', async () => {
  const p = `/v/${version}/js/big.js`;
  const g = await get(p, { 'Accept-Encoding': 'br' });
  const text = await rawRequest(srv, `HEAD ${p} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nConnection: close\r\n\r\n`);
  const h = parseRawResponse(text);
  assert.equal(h.status, 200);
  assert.equal(h.body, '');
  assert.equal(h.headers['content-encoding'], 'br');
  assert.equal(h.headers.etag, g.headers.etag);
});

test('a rebuild keeps the version before (open pages still load their views) and retires older ones', async () => {
  const first = version;
  fs.writeFileSync(path.join(src, 'js/view-only.js'), 'export const x = 2;\n');
  const second = buildWeb(src, out).version;
  fs.writeFileSync(path.join(src, 'js/view-only.js'), 'export const x = 3;\n');
  const third = buildWeb(src, out).version;
  assert.equal(new Set([first, second, third]).size, 3, 'each change is a new version');
  assert.match((await get('/')).text, new RegExp(`/v/${third}/js/boot.js`), 'the shell names the newest at once');
  assert.equal((await get(`/v/${third}/js/view-only.js`)).text, 'export const x = 3;\n');
  assert.equal((await get(`/v/${second}/js/view-only.js`)).text, 'export const x = 2;\n', 'the version before stays');
  expectError(await get(`/v/${first}/js/view-only.js`), 404, 'not_found');
  version = third;
});

test('builds running at once into one directory (parallel test files) all succeed and leave it whole', { timeout: 120000 }, async () => {
  const { spawn } = await import('node:child_process');
  const script = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../scripts/build-web.mjs');
  const dir = path.join(freeTmpDir('obrady-webrace-'), 'web');
  // The real front end (without web/vendor) as the source: enough files that
  // builds overlap for long, as when parallel test files rebuild build/web.
  const real = freeTmpDir('obrady-webrace-src-');
  fs.cpSync(path.resolve(path.dirname(script), '../web'), real, { recursive: true, filter: (f) => !f.includes(`${path.sep}vendor`) });
  const run = () => new Promise((resolve) => {
    const p = spawn(process.execPath, [script, real, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c) => { err += c; });
    p.on('close', (code) => resolve({ code, err }));
  });
  const probe = 'js/race-probe.js';
  // A new file in the source: every builder makes the new version at once.
  fs.writeFileSync(path.join(real, probe), `export const x = 101;\n`);
  const results = await Promise.all(Array.from({ length: 4 }, run));
  for (const r of results) assert.equal(r.code, 0, `a parallel build failed: ${r.err}`);
  const shell = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const v = /\/v\/([0-9a-f]{16})\//.exec(shell)[1];
  assert.ok(fs.existsSync(path.join(dir, 'v', v, '.complete')), 'the version the shell names is complete');
  assert.equal(fs.readFileSync(path.join(dir, 'v', v, probe), 'utf8'), `export const x = 101;\n`);
  assert.equal(fs.readFileSync(path.join(dir, probe), 'utf8'), `export const x = 101;\n`);
  assert.equal(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'v', v, 'js/app.js.gz'))).toString(), fs.readFileSync(path.join(real, 'js/app.js'), 'utf8'));
  const left = fs.readdirSync(path.dirname(dir)).filter((n) => n !== 'web');
  assert.deepEqual(left, [], 'no lock or temporary directory left beside it');
  const tmps = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { if (e.isDirectory()) walk(path.join(d, e.name)); else if (/\.tmp-/.test(e.name)) tmps.push(e.name); } };
  walk(dir);
  assert.deepEqual(tmps, [], 'no temporary file left');
  // A builder that died holding the lock does not block the next one.
  fs.mkdirSync(`${dir}.lock`);
  fs.writeFileSync(path.join(`${dir}.lock`, 'pid'), '2147483646');
  const again = await run();
  assert.equal(again.code, 0, again.err);
  assert.ok(!fs.existsSync(`${dir}.lock`));
  fs.rmSync(real, { recursive: true, force: true });
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});
