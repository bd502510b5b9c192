// pg_backup.test.mjs — backups of a PostgreSQL installation (issue 13 on the
// issue 12 backend): `obrady backup create` takes pg_dump of one snapshot into
// the same encrypted container (header: installation, contents, every log's
// head); `verify` rebuilds the event log from the dump and checks every chain;
// `restore` refuses a non-empty database, loads an empty one and checks every
// head there; a server on the restored database serves the same meeting, its
// document and its protocol. A flipped byte is refused naming the chunk.
// PostgreSQL mode only (make test-e2e-pg sets OBRADY_E2E_PG).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  PG_BASE, DEMO, startServer, stopAll, freeTmpDir, signIn, pgDatabaseFor, demoIds, createMeeting, runCli,
  makeClient,
} from './lib.mjs';
import { makeKey, backupCli, backupsIn, chunkFrames } from '../drills/backup_lib.mjs';

after(stopAll);
const skip = PG_BASE ? false : 'PostgreSQL mode only (make test-e2e-pg)';

test('a PostgreSQL installation is backed up with pg_dump, verified, and restored only into an empty database', { skip, timeout: 240000 }, async (t) => {
  const data = freeTmpDir();
  const url = pgDatabaseFor(data);
  const srv = await startServer({ dataDir: data, args: ['--demo'] });
  t.after(() => srv.stop());
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja do kopii' });
  assert.equal((await op.post(`/api/meetings/${m.id}/start`)).status, 200);
  const doc = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(300 * 1024)]);
  const up = await op.api('POST', `/api/meetings/${m.id}/documents`, doc, {
    raw: true, headers: { 'content-type': 'application/pdf', 'x-filename': 'kopia.pdf' },
  });
  assert.equal(up.status, 201, up.text);
  const state = (await op.get(`/api/meetings/${m.id}/state`)).json;

  // Made while the server runs, from the database the server uses.
  const key = await makeKey();
  const to = freeTmpDir('obrady-bk-');
  const made = await backupCli(['create', '--data', data, '--to', to, '--key', key], { env: { OBRADY_DATABASE: url } });
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /verified/);
  assert.ok(!made.stdout.includes(url) && !made.stderr.includes(url.split('@')[0]), 'the URL (password) is never printed');
  const [name] = backupsIn(to);
  const file = path.join(to, name);
  const listed = await backupCli(['list', '--to', to]);
  assert.equal(listed.code, 0, listed.stderr);
  const verified = await backupCli(['verify', file, '--key', key], { env: { OBRADY_DATABASE: '' } });
  assert.equal(verified.code, 0, verified.stderr);
  assert.match(verified.stdout, /obrady\.pgdump/);
  assert.match(verified.stdout, /every hash chain whole/);
  assert.ok(!/files\/[0-9a-f]{64}/.test(verified.stdout), 'documents travel inside the dump, not from the node\'s cache');
  const header = JSON.parse(fs.readFileSync(file).subarray(52, 52 + fs.readFileSync(file).readUInt32BE(48)).toString());
  const log = header.logs.find((l) => l.meeting === m.id);
  assert.ok(log, 'the meeting\'s log is in the header');
  assert.equal(log.head, state.hash, 'with the head the server showed');
  assert.deepEqual(header.contents.map((c) => c.path).sort(), ['obrady.pgdump', 'secret.key', 'signing.key'].filter(
    (p) => p !== 'signing.key' || fs.existsSync(path.join(data, 'signing.key'))).sort());

  // A flipped byte in the middle of the dump: refused, naming the chunk.
  const bad = path.join(freeTmpDir('obrady-bk-'), 'bad.obk');
  const bytes = fs.readFileSync(file);
  const frame = chunkFrames(bytes)[0];
  bytes[frame.at + 5 + Math.floor(frame.len / 2)] ^= 1;
  fs.writeFileSync(bad, bytes);
  const refused = await backupCli(['verify', bad, '--key', key], { env: { OBRADY_DATABASE: '' } });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /REFUSED: .*chunk 0/);

  // Restore: not into the live (non-empty) database, not without --database,
  // then into an empty one.
  const busy = await backupCli(['restore', file, '--data', freeTmpDir(), '--key', key, '--database', url]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /not empty/);
  const noDb = await backupCli(['restore', file, '--data', freeTmpDir(), '--key', key], { env: { OBRADY_DATABASE: '' } });
  assert.equal(noDb.code, 1);
  assert.match(noDb.stderr, /PostgreSQL dump: restore it with --database/);
  const newData = path.join(freeTmpDir(), 'restored');
  const newUrl = pgDatabaseFor(newData);
  const restored = await backupCli(['restore', file, '--data', newData, '--key', key, '--database', newUrl]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stdout, /restored into the PostgreSQL database/);
  assert.deepEqual(fs.readdirSync(newData).sort(), fs.existsSync(path.join(data, 'signing.key'))
    ? ['secret.key', 'signing.key'] : ['secret.key']);
  const again = await backupCli(['restore', file, '--data', freeTmpDir(), '--key', key, '--database', newUrl]);
  assert.equal(again.code, 1, 'a second restore into the same database is refused');
  const logOk = await runCli(['log', 'verify', m.id, '--data', newData], { env: { OBRADY_DATABASE: newUrl } });
  assert.equal(logOk.code, 0, logOk.stderr);

  // The restored installation serves the same meeting, document and protocol.
  await srv.stop();
  const back = await startServer({ dataDir: newData, env: { OBRADY_DATABASE: newUrl } });
  t.after(() => back.stop());
  const op2 = makeClient(back, op.cookie, op.user); // sessions are restored too
  const st = await op2.get(`/api/meetings/${m.id}/state`);
  assert.equal(st.status, 200, st.text);
  assert.equal(st.json.hash, state.hash);
  const got = await op2.get(`/api/documents/${up.json.id}`);
  assert.equal(got.status, 200, got.text);
  assert.ok(got.body.equals(doc), 'the document came back from the dump');
  const pdf = await op2.get(`/api/meetings/${m.id}/protocol.pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
});
