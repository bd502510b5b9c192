// nginx_multinode.test.mjs — docs/nginx-multinode.conf, the sample balancer
// for several nodes (docs/operations.md): Debian's nginx accepts it (`nginx -t`)
// with only its ports, node addresses, certificate and paths substituted, and
// running it in front of two nodes spreads requests over both, while a
// meeting's live audio always reaches one node (the hash on its id) and an
// over-size upload is refused by nginx itself.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

import { REPO, eventually, freeTmpDir, sleep, startServer, stopAll, fakeId } from './lib.mjs';
import { NGINX, hasNginx, freePort, mainConfig } from './nginx.mjs';

after(stopAll);
const skip = hasNginx() ? false : 'nginx is not installed (scripts/deps.sh test installs it)';

/** The sample with test ports, two local nodes, a self-signed certificate and paths in dir. */
function sampleForTest(dir, { nodes, tlsPort, httpPort }) {
  let site = fs.readFileSync(path.join(REPO, 'docs', 'nginx-multinode.conf'), 'utf8');
  const sub = (from, to) => {
    if (!site.includes(from)) throw new Error(`docs/nginx-multinode.conf no longer has "${from}"`);
    site = site.split(from).join(to);
  };
  sub('server 10.0.0.11:8080', `server 127.0.0.1:${nodes[0]}`);
  sub('server 10.0.0.12:8080', `server 127.0.0.1:${nodes[1]}`);
  sub('    server 10.0.0.13:8080 max_fails=1 fail_timeout=10s;\n', '');
  sub('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`);
  sub('listen [::]:443 ssl http2;', '');
  sub('listen 80;', `listen 127.0.0.1:${httpPort};`);
  sub('listen [::]:80;', '');
  sub('/etc/letsencrypt/live/obrady.example.pl/fullchain.pem', path.join(dir, 'cert.pem'));
  sub('/etc/letsencrypt/live/obrady.example.pl/privkey.pem', path.join(dir, 'key.pem'));
  sub('root /var/www/html;', `root ${dir};`);
  const directives = site.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
  assert.ok(!/10\.0\.0\.|\/etc\/|\/var\//.test(directives), 'every machine-specific line was substituted');
  return site;
}

function writeNginx(dir, site) {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2',
    '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), mainConfig(dir, { workerConnections: 256 }));
  return path.join(dir, 'nginx.conf');
}

function get(url, { method = 'GET', headers = {}, body = null } = {}) {
  return new Promise((resolve, reject) => {
    const rq = https.request(url, { method, headers, rejectUnauthorized: false, agent: false }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(parts).toString() }));
    });
    rq.on('error', reject);
    rq.setTimeout(20000, () => rq.destroy(new Error(`timeout ${url}`)));
    if (body) rq.write(body);
    rq.end();
  });
}

const countLines = (srv, needle) => srv.logs().filter((l) => l.includes(needle)).length;

test('docs/nginx-multinode.conf passes nginx -t and balances two nodes; audio of a meeting sticks to one', { skip, timeout: 60000 }, async () => {
  const dir = freeTmpDir('obrady-nginx-');
  fs.chmodSync(dir, 0o755);
  const a = await startServer();
  const b = await startServer();
  const tlsPort = await freePort();
  const httpPort = await freePort();
  const conf = writeNginx(dir, sampleForTest(dir, { nodes: [a.port, b.port], tlsPort, httpPort }));

  const t = spawnSync(NGINX, ['-t', '-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf], { encoding: 'utf8' });
  assert.equal(t.status, 0, `nginx -t: ${t.stderr}`);
  assert.match(t.stderr, /test is successful/);

  const proc = spawn(NGINX, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf, '-g', 'daemon off;'],
    { stdio: 'ignore' });
  try {
    for (let i = 0; ; i++) {
      const up = await new Promise((r) => {
        const s = net.connect(tlsPort, '127.0.0.1', () => { s.destroy(); r(true); });
        s.on('error', () => r(false));
      });
      if (up) break;
      assert.ok(i < 200 && proc.exitCode === null, `nginx did not start: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
      await sleep(50);
    }
    for (let i = 0; i < 8; i++) {
      const h = await get(`https://127.0.0.1:${tlsPort}/healthz`);
      assert.equal(h.status, 200, h.text);
      assert.equal(JSON.parse(h.text).status, 'ok');
    }
    assert.ok(countLines(a, 'GET /healthz 200') >= 1 && countLines(b, 'GET /healthz 200') >= 1,
      `both nodes answer: ${countLines(a, 'GET /healthz')} + ${countLines(b, 'GET /healthz')}`);

    // One meeting's audio: every request on the same node.
    const meeting = fakeId();
    for (let i = 0; i < 6; i++) await get(`https://127.0.0.1:${tlsPort}/api/meetings/${meeting}/audio/status`);
    const audioOn = (srv) => countLines(srv, `/api/meetings/${meeting}/audio/status`);
    // A request's log line is written as it completes, which may be just after the reply.
    await eventually(() => audioOn(a) + audioOn(b) === 6, 5000).catch(() => {});
    const onA = audioOn(a);
    const onB = audioOn(b);
    assert.equal(onA + onB, 6, `six audio requests logged (${onA} + ${onB})`);
    assert.ok(onA === 0 || onB === 0, `one meeting's audio on one node (${onA} on A, ${onB} on B)`);

    // Over 20 MiB: refused by nginx before a node sees it.
    const big = await get(`https://127.0.0.1:${tlsPort}/api/meetings/${meeting}/documents`, {
      method: 'POST', headers: { 'content-type': 'application/pdf', 'content-length': String(20 * 1024 * 1024 + 1) },
      body: Buffer.alloc(20 * 1024 * 1024 + 1),
    }).catch((e) => ({ status: 0, text: String(e) }));
    assert.equal(big.status, 413, big.text.slice(0, 200));
    assert.equal(countLines(a, `/api/meetings/${meeting}/documents`) + countLines(b, `/api/meetings/${meeting}/documents`), 0);
  } finally {
    proc.kill('SIGQUIT');
    await sleep(300);
    if (proc.exitCode === null) proc.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
