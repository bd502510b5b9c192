// pg.test.mjs — the PostgreSQL store seen from outside (issue 12): what the
// operator sees for a bad URL, an unreachable server, a wrong password and a
// schema newer than the binary; and a PostgreSQL restart during use, which
// requests see as 503 + Retry-After until the node reconnects by itself,
// without losing anything acknowledged. Runs in PostgreSQL mode only
// (make test-e2e-pg sets OBRADY_E2E_PG); the restart uses a cluster of its
// own so the other files' databases stay up.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import {
  PG_BASE, pgCluster, DEMO, startServer, stopAll, runCli, freeTmpDir, signIn, eventually, pgDatabaseFor,
  demoIds, createMeeting, makeClient,
} from './lib.mjs';

after(stopAll);
const skip = PG_BASE ? false : 'PostgreSQL mode only (make test-e2e-pg)';
const cluster = pgCluster;

function psql(url, statement) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql ${statement}: ${r.stderr}`);
}

async function serveFails(database, expect) {
  const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--data', freeTmpDir(), '--database', database],
    { timeoutMs: 30000 });
  assert.notEqual(r.code, 0, `serve with ${database} should fail: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('obrady:'));
  assert.equal(lines.length, 1, `one line for the operator:\n${r.stderr}`);
  assert.match(lines[0], expect);
  assert.ok(!r.stderr.includes('secret-pw'), 'the password never reaches the output');
  return lines[0];
}

test('a database URL that is not postgresql:// is refused at once', { skip }, async () => {
  await serveFails('mysql://u:secret-pw@localhost/db', /bad value for --database.*postgresql/);
  const r = await runCli(['serve', '--data', freeTmpDir()], { env: { OBRADY_DATABASE: 'sqlite:///x' }, timeoutMs: 30000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /obrady: cannot open the PostgreSQL database: the database must be a postgresql:\/\/… URL/);
});

test('a malformed URL, an unreachable server and a wrong password: one clear line, non-zero exit', { skip }, async () => {
  await serveFails('postgresql://u:secret-pw@127.0.0.1:notaport/db', /cannot open the PostgreSQL database: cannot connect to PostgreSQL: .*port/i);
  await serveFails('postgresql://u:secret-pw@127.0.0.1:1/db', /cannot connect to PostgreSQL: .*(refused|failed)/i);
  const wrong = PG_BASE.replace(/:\/\/([^:]+):[^@]+@/, '://$1:secret-pw@');
  await serveFails(`${wrong}/postgres`, /password authentication failed/);
});

test('a schema newer than the binary: refuses to start, naming both versions', { skip }, async () => {
  const data = freeTmpDir();
  const url = pgDatabaseFor(data);
  const first = await startServer({ dataDir: data });
  await first.stop();
  psql(url, "INSERT INTO schema_migrations VALUES (999999, 'future', 0)");
  const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--data', data], { timeoutMs: 30000 });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /obrady: the PostgreSQL database was made by a newer obrady \(schema version 999999; this obrady \S+ knows up to \d+\)/);
});

test('PostgreSQL restarted during use: 503 with Retry-After while away, then the node reconnects and nothing acknowledged is lost', { skip, timeout: 120000 }, async (t) => {
  const [dir, base] = cluster('start');
  t.after(() => cluster('stop', dir));
  const srv = await startServer({ args: ['--demo'], env: { OBRADY_DATABASE: `${base}/postgres` } });
  t.after(() => srv.stop());
  const admin = await signIn(srv, DEMO.admin);
  const before = await admin.post('/api/orgs', { name: 'Zapisana przed restartem' });
  assert.equal(before.status, 201, before.text);

  cluster('pause', dir);
  const away = await admin.get(`/api/orgs/${before.json.id}`);
  assert.equal(away.status, 503, `while PostgreSQL is away: ${away.status} ${away.text}`);
  assert.equal(away.json.error.code, 'unavailable');
  assert.match(away.headers['retry-after'] || '', /^\d+$/);
  const refused = await admin.post('/api/orgs', { name: 'Nie zapisana' });
  assert.equal(refused.status, 503, refused.text);

  cluster('resume', dir);
  await eventually(async () => {
    const r = await admin.get(`/api/orgs/${before.json.id}`);
    assert.equal(r.status, 200, `after the restart: ${r.status} ${r.text}`);
    assert.equal(r.json.name, 'Zapisana przed restartem');
    return true;
  }, 30000, 250);
  const after = await admin.post('/api/orgs', { name: 'Zapisana po restarcie' });
  assert.equal(after.status, 201, after.text);
  const list = await admin.get('/api/orgs');
  assert.equal(list.status, 200, `every connection of the node is back: ${list.status} ${list.text}`);
  const names = list.json.orgs.map((o) => o.name);
  assert.ok(names.includes('Zapisana przed restartem') && names.includes('Zapisana po restarcie'), names.join(', '));
  assert.ok(!names.includes('Nie zapisana'), 'a refused request changed nothing');
});

test('migrate-store copies a SQLite installation into an empty database; every log head arrives equal; a second copy is refused', { skip, timeout: 120000 }, async (t) => {
  const data = freeTmpDir();
  const sqlite = { OBRADY_DATABASE: '' };
  const src = await startServer({ dataDir: data, args: ['--demo'], env: sqlite });
  t.after(() => src.stop());
  const op = await signIn(src, DEMO.operator);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja przed przeniesieniem' });
  assert.equal((await op.post(`/api/meetings/${m.id}/start`)).status, 200);
  await src.stop();
  const before = await runCli(['log', 'verify', m.id, '--data', data], { env: sqlite });
  assert.equal(before.code, 0, before.stderr);

  const url = pgDatabaseFor(freeTmpDir());
  const moved = await runCli(['migrate-store', '--data', data, '--to', url], { env: sqlite, timeoutMs: 60000 });
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stdout, /^copied \d+ rows of \d+ tables and \d+ files; \d+ logs, every head hash equal$/m);
  const again = await runCli(['migrate-store', '--data', data, '--to', url], { env: sqlite, timeoutMs: 60000 });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /the target database is not empty/);

  const onPg = { OBRADY_DATABASE: url };
  const after = await runCli(['log', 'verify', m.id, '--data', data], { env: onPg });
  assert.equal(after.code, 0, after.stderr);
  assert.equal(after.stdout, before.stdout, 'the same events and head on PostgreSQL');
  const dst = await startServer({ dataDir: data, env: onPg });
  t.after(() => dst.stop());
  const same = makeClient(dst, op.cookie, op.user); // the session moved too
  const got = await same.get(`/api/meetings/${m.id}`);
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.title, 'Sesja przed przeniesieniem');
  assert.equal(got.json.status, 'in_progress');
});
