// Starting, stopping, the health check, security headers, request logging, CLI.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, stopAll, api, runCli, expectSecurityHeaders, expectError, logLineRe,
  makeWebFixture, freeTmpDir, rawRequest,
} from './lib.mjs';

after(stopAll);

test('starts on a free port, prints one listening line, /healthz answers 200 JSON', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(srv.port > 0 && srv.port < 65536);
  const r = await api(srv, 'GET', '/healthz');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^application\/json\b/);
  assert.deepEqual(r.json, { status: 'ok', database: 'ok', backend: 'sqlite' }); // on PostgreSQL also listen (pg_nodes.test.mjs)
  assert.equal(srv.logs().filter((l) => /obrady listening on/.test(l)).length, 1, 'exactly one listening line');
  assert.ok(fs.existsSync(path.join(srv.dataDir, 'obrady.db')), 'DATA/obrady.db created');
});

test('security headers on a 200, a 404, a 405 and a static file', async (t) => {
  const web = makeWebFixture();
  const srv = await startServer({ web });
  t.after(async () => {
    await srv.stop();
    fs.rmSync(web, { recursive: true, force: true });
  });
  const ok = await api(srv, 'GET', '/healthz');
  assert.equal(ok.status, 200);
  expectSecurityHeaders(ok);
  const nf = await api(srv, 'GET', '/api/nope');
  expectError(nf, 404, 'not_found');
  expectSecurityHeaders(nf);
  const na = await api(srv, 'DELETE', '/healthz');
  assert.equal(na.status, 405);
  expectSecurityHeaders(na);
  const st = await api(srv, 'GET', '/js/app.js');
  assert.equal(st.status, 200);
  expectSecurityHeaders(st);
  const idx = await api(srv, 'GET', '/');
  assert.equal(idx.status, 200);
  assert.match(idx.text, /obrady-fixture-index/);
  expectSecurityHeaders(idx);
});

test('every request is logged as "<METHOD> <path> <status> <duration>ms"', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  await api(srv, 'GET', '/healthz');
  await api(srv, 'GET', '/api/nope');
  await api(srv, 'DELETE', '/healthz');
  await srv.waitForLog(logLineRe('GET', '/healthz', 200));
  await srv.waitForLog(logLineRe('GET', '/api/nope', 404));
  await srv.waitForLog(logLineRe('DELETE', '/healthz', 405));
});

for (const sig of ['SIGTERM', 'SIGINT']) {
  test(`${sig}: prints "obrady stopped" and exits 0`, async () => {
    const srv = await startServer();
    const r0 = await api(srv, 'GET', '/healthz');
    assert.equal(r0.status, 200);
    const res = await srv.stop(sig);
    assert.equal(res.timedOut, undefined, 'stopped within 10 s');
    assert.deepEqual({ code: res.code, signal: res.signal }, { code: 0, signal: null }, srv.logs().slice(-5).join('\n'));
    assert.ok(srv.logs().some((l) => /obrady stopped/.test(l)), 'prints "obrady stopped"');
  });
}

test('a restart on the same data dir works and keeps the database', async (t) => {
  const dir = freeTmpDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = await startServer({ dataDir: dir });
  assert.equal((await a.stop()).code, 0);
  assert.ok(fs.existsSync(path.join(dir, 'obrady.db')));
  const b = await startServer({ dataDir: dir });
  t.after(() => b.stop());
  assert.equal((await api(b, 'GET', '/healthz')).status, 200);
});

test('listen address and data dir come from the config file', async (t) => {
  const dir = freeTmpDir();
  const srv = await startServer({ listen: null, passData: false, config: { listen: '127.0.0.1:0', data: dir } });
  t.after(() => srv.stop());
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
  assert.ok(fs.existsSync(path.join(dir, 'obrady.db')), 'database created in the configured data dir');
});

test('listen address and data dir come from OBRADY_LISTEN and OBRADY_DATA', async (t) => {
  const dir = freeTmpDir();
  const srv = await startServer({ listen: null, passData: false, env: { OBRADY_LISTEN: '127.0.0.1:0', OBRADY_DATA: dir } });
  t.after(() => srv.stop());
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
  assert.ok(fs.existsSync(path.join(dir, 'obrady.db')), 'database created in $OBRADY_DATA');
});

test('a port already in use is an error, not a silent hang', async (t) => {
  const a = await startServer();
  t.after(() => a.stop());
  const dir = freeTmpDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r = await runCli(['serve', '--listen', `127.0.0.1:${a.port}`, '--data', dir], { timeoutMs: 8000 });
  assert.equal(r.signal, null, 'exited by itself (not killed by the 8 s timeout)');
  assert.notEqual(r.code, 0);
  assert.ok(r.stderr.trim().length > 0, 'says why on stderr');
  assert.doesNotMatch(r.stderr, /obrady listening on/);
});

test('CLI: --help and <command> --help print usage on stdout and exit 0', async () => {
  for (const args of [['--help'], ['serve', '--help'], ['log', '--help']]) {
    const r = await runCli(args);
    assert.equal(r.code, 0, `obrady ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /usage/i, `obrady ${args.join(' ')} prints usage on stdout`);
  }
  const top = await runCli(['--help']);
  assert.match(top.stdout, /\bserve\b/);
  assert.match(top.stdout, /\blog\b/);
});

test('CLI: an unknown command prints usage on stderr and exits 2', async () => {
  const r = await runCli(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /usage/i);
  assert.equal(r.stdout, '');
});

test('malformed request lines get a 4xx or a closed connection, never a 2xx; the server survives', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const bad = [
    'GARBAGE\r\n\r\n',
    'GET\r\n\r\n',
    'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n',
    'GET healthz HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nNo colon here\r\n\r\n',
    'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
    'POST /api/client-errors HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    '\x00\x01\x02\xff\r\n\r\n',
  ];
  for (const req of bad) {
    const text = await rawRequest(srv, Buffer.from(req, 'latin1'), { timeoutMs: 3000 });
    assert.ok(text === '' || /^HTTP\/1\.[01] (4\d\d|505)/.test(text), `${JSON.stringify(req)} → ${JSON.stringify(text.slice(0, 60))}`);
  }
  const r = await api(srv, 'GET', '/healthz');
  assert.equal(r.status, 200);
  assert.equal(srv.proc.exitCode, null, 'still running');
});
