// backup_audio.test.mjs — meetings' audio recordings (DATA/audio/<meeting>.opus,
// docs/audio.md) travel in backups: taken while the server runs, listed in
// the header with their SHA-256, checked by verify and put back by restore;
// files in DATA/audio that are not a meeting's recording are not taken.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { DEMO, createMeeting, demoIds, freeTmpDir, signIn, startDemo, stopAll } from '../e2e/lib.mjs';
import { backupCli, backupsIn, makeKey } from './backup_lib.mjs';

after(stopAll);

test('audio recordings are backed up, verified and restored', { timeout: 120000 }, async () => {
  const srv = await startDemo();
  const op = await signIn(srv, DEMO.operator);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja z nagraniem' });
  const audioDir = path.join(srv.dataDir, 'audio');
  fs.mkdirSync(audioDir, { recursive: true });
  const recording = Buffer.concat([Buffer.from('OggS'), crypto.randomBytes(3 * 1024 * 1024)]);
  fs.writeFileSync(path.join(audioDir, `${m.id}.opus`), recording);
  fs.writeFileSync(path.join(audioDir, 'notes.txt'), 'not a recording');

  const key = await makeKey();
  const to = freeTmpDir('obrady-bk-');
  const made = await backupCli(['create', '--data', srv.dataDir, '--to', to, '--key', key]);
  assert.equal(made.code, 0, made.stderr);
  const file = path.join(to, backupsIn(to)[0]);
  const verified = await backupCli(['verify', file, '--key', key]);
  assert.equal(verified.code, 0, verified.stderr);
  const sha = crypto.createHash('sha256').update(recording).digest('hex');
  assert.match(verified.stdout, new RegExp(`${recording.length}\\s+${sha}\\s+audio/${m.id}\\.opus`));
  assert.ok(!verified.stdout.includes('notes.txt'), 'only recordings are taken');

  const target = path.join(freeTmpDir(), 'restored');
  const restored = await backupCli(['restore', file, '--data', target, '--key', key]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.deepEqual(fs.readdirSync(path.join(target, 'audio')), [`${m.id}.opus`]);
  assert.ok(fs.readFileSync(path.join(target, 'audio', `${m.id}.opus`)).equals(recording), 'the same bytes');
  assert.deepEqual(fs.readdirSync(to).filter((n) => n.startsWith('.')), [], 'no work files left beside the backups');
});
