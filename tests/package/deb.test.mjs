// deb.test.mjs — the Debian package on this machine (needs root; CI is root):
// builds it (make deb), checks it with lintian, installs it with dpkg,
// checks files, owners and modes, verifies the systemd unit, runs the
// installed binary with the packaged config as the packaged user behind
// nginx, and purges it again so the machine stays as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { REPO, sleep } from '../e2e/lib.mjs';
import { freePort, hasNginx, startNginx } from '../e2e/nginx.mjs';

const isRoot = process.getuid && process.getuid() === 0;
const skip = !isRoot ? 'dpkg -i needs root: run `make test-package` as root (CI does)'
  : !hasNginx() ? 'nginx is not installed (scripts/deps.sh test installs it)' : false;

const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { code: r.status, out: (r.stdout || '') + (r.stderr || '') };
};
const must = (cmd, args, opts) => {
  const r = run(cmd, args, opts);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')}:\n${r.out}`);
  return r.out;
};
// Where systemd runs (a VM rather than a container), dpkg would start the
// service on port 8080; a policy-rc.d keeps it stopped while we install, as
// the test runs the binary itself on a free port.
const POLICY = '/usr/sbin/policy-rc.d';
function dpkg(args) {
  const ours = !fs.existsSync(POLICY);
  if (ours) fs.writeFileSync(POLICY, '#!/bin/sh\n# tests/package/deb.test.mjs: no service starts while it installs obrady\nexit 101\n', { mode: 0o755 });
  try {
    return run('dpkg', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } finally {
    if (ours) fs.rmSync(POLICY, { force: true });
  }
}
const purge = () => dpkg(['--purge', 'obrady']);
let deb, installOut;

before(() => {
  if (skip) return;
  must('make', ['--no-print-directory', 'deb'], { cwd: REPO });
  deb = fs.readdirSync(path.join(REPO, 'build', 'deb')).filter((f) => f.endsWith('.deb')).map((f) => path.join(REPO, 'build', 'deb', f))[0];
  assert.ok(deb, 'make deb made a .deb');
  purge(); // a leftover from an interrupted run
  const r = dpkg(['-i', deb]);
  assert.equal(r.code, 0, r.out);
  installOut = r.out;
});
after(() => {
  if (skip) return;
  const r = purge();
  assert.equal(r.code, 0, r.out);
});

test('lintian finds no errors or warnings', { skip }, () => {
  const r = run('lintian', ['--fail-on', 'error,warning', deb]);
  assert.equal(r.code, 0, r.out);
  assert.ok(!/^[EW]: /m.test(r.out), r.out);
});

test('the package holds the binary, the web files, the unit and the conffile — and nothing of the tests', { skip }, () => {
  const list = must('dpkg-deb', ['-c', deb]);
  for (const f of ['./usr/bin/obrady', './usr/share/obrady/web/index.html', './usr/share/obrady/web/vendor/libsodium-sumo.mjs',
    './lib/systemd/system/obrady.service', './etc/obrady/obrady.conf', './usr/share/doc/obrady/nginx-site.conf',
    './usr/share/man/man1/obrady.1.gz']) {
    assert.ok(list.includes(` ${f}\n`) || list.endsWith(` ${f}`), `${f} in the package`);
  }
  assert.doesNotMatch(list, /tests\/|\.o\n|obrady-asan|test-artifacts|node_modules|\.db\n/);
  const conffiles = must('dpkg-query', ['-W', '-f=${Conffiles}', 'obrady']);
  assert.match(conffiles, /\/etc\/obrady\/obrady\.conf [0-9a-f]{32}/);
});

test('postinst made the system user, its directories and said how to add the first administrator', { skip }, () => {
  const pw = must('getent', ['passwd', 'obrady']).split(':');
  assert.ok(Number(pw[2]) < 1000, 'a system uid');
  assert.equal(pw[5], '/var/lib/obrady');
  assert.match(pw[6], /nologin|false/);
  const st = (p) => {
    const s = fs.statSync(p);
    return { mode: (s.mode & 0o7777).toString(8), user: must('stat', ['-c', '%U:%G', p]).trim() };
  };
  assert.deepEqual(st('/var/lib/obrady'), { mode: '750', user: 'obrady:obrady' });
  assert.deepEqual(st('/var/backups/obrady'), { mode: '750', user: 'obrady:obrady' });
  assert.deepEqual(st('/etc/obrady/obrady.conf'), { mode: '640', user: 'root:obrady' });
  assert.deepEqual(st('/usr/bin/obrady'), { mode: '755', user: 'root:root' });
  assert.match(installOut, /runuser -u obrady -- obrady user add --admin EMAIL --data \/var\/lib\/obrady/);
});

test('systemd-analyze verify accepts the unit, and it is sandboxed', { skip }, () => {
  const r = run('systemd-analyze', ['verify', '/lib/systemd/system/obrady.service']);
  assert.equal(r.code, 0, r.out);
  assert.doesNotMatch(r.out, /obrady\.service:/, r.out);
  const unit = fs.readFileSync('/lib/systemd/system/obrady.service', 'utf8');
  for (const line of ['ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'NoNewPrivileges=yes',
    'CapabilityBoundingSet=\n', 'User=obrady', 'Type=notify', 'ExecReload=/bin/kill -HUP $MAINPID']) {
    assert.ok(unit.includes(line), `unit has ${line.trim()}`);
  }
  assert.match(unit, /^ReadWritePaths=.*\/var\/lib\/obrady.*\/var\/backups\/obrady.*archive/m);
  const sec = run('systemd-analyze', ['security', '--offline=true', '/lib/systemd/system/obrady.service']);
  const level = /Overall exposure level for obrady\.service: ([\d.]+) (\w+)/.exec(sec.out);
  assert.ok(level, sec.out.slice(-500));
  assert.ok(Number(level[1]) <= 2.0, `exposure ${level[1]} ${level[2]} (systemd-analyze security)`);
});

test('the installed binary runs as obrady with the packaged config, behind nginx', { skip }, async () => {
  must('runuser', ['-u', 'obrady', '--', '/usr/bin/obrady', 'user', 'add', '--admin', 'root@example.org', '--data', '/var/lib/obrady']);
  const port = await freePort();
  const proc = spawn('runuser', ['-u', 'obrady', '--', '/usr/bin/obrady', 'serve', '--config', '/etc/obrady/obrady.conf',
    '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  let ng;
  try {
    for (let i = 0; i < 200 && !/obrady listening on/.test(log); i++) await sleep(50);
    assert.match(log, /obrady listening on http:\/\/127\.0\.0\.1:\d+/, log);
    ng = await startNginx({ upstreamPort: port });
    const res = await fetchInsecure(`${ng.url}/healthz`);
    assert.equal(res.status, 200);
    const page = await fetchInsecure(`${ng.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.text, /<html/i, 'the web front end from /usr/share/obrady/web');
    const owner = must('stat', ['-c', '%U', '/var/lib/obrady/obrady.db']).trim();
    assert.equal(owner, 'obrady', 'the database belongs to the service user');
  } finally {
    if (ng) await ng.stop();
    proc.kill('SIGTERM');
    await new Promise((r) => proc.on('close', r));
  }
  assert.match(log, /obrady stopped/);
});

test('reinstalling keeps the edited conffile and the data, and does not repeat the first-install note', { skip }, () => {
  const conf = '/etc/obrady/obrady.conf';
  fs.appendFileSync(conf, '\nlog_level = warn\n');
  const edited = fs.readFileSync(conf, 'utf8');
  const r = dpkg(['-i', deb]);
  assert.equal(r.code, 0, r.out);
  const out = r.out;
  assert.equal(fs.readFileSync(conf, 'utf8'), edited, 'the administrator\'s edit survives');
  assert.doesNotMatch(out, /create the first administrator/);
  assert.ok(fs.existsSync('/var/lib/obrady/obrady.db'), 'the data stay');
  assert.equal(run('runuser', ['-u', 'obrady', '--', 'sh', '-c', `echo x >> ${conf}`]).code === 0, false,
    'the service user cannot change its config');
});

function fetchInsecure(url) {
  const out = execFileSync('curl', ['-sk', '-o', '-', '-w', '\n%{http_code}', url], { encoding: 'utf8' });
  const i = out.lastIndexOf('\n');
  return { text: out.slice(0, i), status: Number(out.slice(i + 1)) };
}
