// upgrade.test.mjs — the schema moves forward on start, and a binary older
// than the schema refuses to start. The "previous release" database is made
// with the sqlite3 shell from every migration but the newest (as the last
// release shipped), holding a user who must still sign in afterwards.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { REPO, api, freeTmpDir, runCli, signIn, startServer, stopAll } from './lib.mjs';

after(stopAll);

const MIG_DIR = path.join(REPO, 'src', 'store', 'migrations', 'sqlite');
const migrations = fs.readdirSync(MIG_DIR).filter((f) => /^\d+_.*\.sql$/.test(f)).sort()
  .map((f) => ({ file: path.join(MIG_DIR, f), version: Number(f.split('_')[0]), name: f.replace(/^\d+_|\.sql$/g, '') }));
const latest = migrations[migrations.length - 1].version;
const sqlite = (db, sql) => execFileSync('sqlite3', ['-bail', db], { input: sql, encoding: 'utf8' });

test('a database of the previous release is migrated on start and its data stay usable', async (t) => {
  assert.ok(migrations.length >= 2, 'at least two migrations to go from one to the next');
  const dir = freeTmpDir('obrady-upgrade-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'obrady.db');
  let script = 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL);\n';
  for (const m of migrations.slice(0, -1)) {
    script += `BEGIN;\n${fs.readFileSync(m.file, 'utf8')}\nINSERT INTO schema_migrations VALUES (${m.version}, '${m.name}', 0);\nCOMMIT;\n`;
  }
  script += "INSERT INTO users (id, email, name, lang, is_instance_admin, created_ms) VALUES ('0000000000000000000a', 'stara@example.org', 'Stara Administratorka', 'pl', 1, 0);\n";
  sqlite(db, script);
  assert.equal(sqlite(db, 'SELECT MAX(version) FROM schema_migrations;').trim(), String(migrations[migrations.length - 2].version)); // the numbers may skip (reserved per branch)

  const srv = await startServer({ dataDir: dir });
  t.after(() => srv.stop());
  await srv.waitForLog(new RegExp(`applied migration ${latest} `));
  assert.equal(srv.logs().filter((l) => /applied migration \d+ /.test(l)).length, 1, 'only the new migration ran');
  assert.equal(sqlite(db, 'SELECT MAX(version) FROM schema_migrations;').trim(), String(latest));
  const admin = await signIn(srv, 'stara@example.org');
  const me = await admin.me();
  assert.equal(me.json.user ? me.json.user.name : me.json.name, 'Stara Administratorka');
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
});

test('a binary older than the schema refuses to start and says so', async (t) => {
  const dir = freeTmpDir('obrady-newer-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const r0 = await runCli(['user', 'add', 'a@example.org', '--data', dir]);
  assert.equal(r0.code, 0, r0.stderr);
  const db = path.join(dir, 'obrady.db');
  sqlite(db, `INSERT INTO schema_migrations VALUES (${latest + 1}, 'from_the_future', 0);`);
  const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--data', dir], { timeoutMs: 8000 });
  assert.equal(r.signal, null, 'exited by itself');
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`made by a newer obrady \\(schema version ${latest + 1}; this obrady \\S+ knows up to ${latest}\\)`));
  assert.match(r.stderr, /Refusing to start/);
  assert.doesNotMatch(r.stderr, /obrady listening/);
  // Nothing was changed: the version stays where the newer binary left it.
  assert.equal(sqlite(db, 'SELECT MAX(version) FROM schema_migrations;').trim(), String(latest + 1));
});
