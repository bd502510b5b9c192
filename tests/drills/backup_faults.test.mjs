// Drill (issue 13): backups under attack and accident. One flipped byte
// anywhere, chunks swapped, cut, spliced from another backup or trailing
// data: refused, naming the chunk (or the header); a wrong key refused; a
// restore into a non-empty directory refused; a disk that fills during a
// backup leaves no partial file, keeps the older backups and raises the alarm.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startDemo, stopAll, freeTmpDir, signIn, DEMO, getMetrics, findSamples } from '../e2e/lib.mjs';
import { makeKey, backupCli, backupsIn, leftoversIn, backUpNow, chunkFrames, addFiller } from './backup_lib.mjs';
import { smallDisk } from './tmpfs.mjs';

after(stopAll);


/** Writes a changed copy of file → its path. */
function variant(dir, file, name, change) {
  const buf = Buffer.from(fs.readFileSync(file));
  const out = path.join(dir, name);
  fs.writeFileSync(out, change(buf));
  return out;
}

async function refused(file, key, re, what) {
  const r = await backupCli(['verify', file, '--key', key]);
  assert.equal(r.code, 1, `${what}: must be refused\n${r.stdout}${r.stderr}`);
  assert.match(r.stderr, re, `${what}: ${r.stderr}`);
}

test('a tampered backup is refused naming the chunk; a wrong key is refused; a non-empty restore target is refused', async (t) => {
  const key = await makeKey();
  const work = freeTmpDir('obrady-bkfaults-');
  t.after(() => fs.rmSync(work, { recursive: true, force: true }));
  const srv = await startDemo();
  t.after(() => srv.stop());
  await addFiller(srv, 5);
  const made = [];
  for (let i = 0; i < 2; i++) {
    const r = await backupCli(['create', '--data', srv.dataDir, '--to', work, '--key', key]);
    assert.equal(r.code, 0, r.stderr);
    made.push(r.stdout.match(/^backup (\S+):/)[1]);
  }
  const [file, other] = made;
  const list = await backupCli(['list', '--to', work]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^2 backups in /);
  for (const f of made) assert.match(list.stdout, new RegExp(`${path.basename(f).replace(/\./g, '\\.')} +\\d+ bytes  \\d{4}-\\d\\d-\\d\\dT[0-9:]+Z  3 files, \\d+ logs`));
  const ok = await backupCli(['verify', file, '--key', key]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /ok: .* verified/);
  assert.match(ok.stdout, / obrady\.db\n/);
  assert.match(ok.stdout, / secret\.key\n/);
  const buf = fs.readFileSync(file);
  const frames = chunkFrames(buf);
  assert.ok(frames.length >= 5, `several chunks (${frames.length})`);
  const last = frames.length - 1;

  await refused(variant(work, file, 'hdr.obk', (b) => { b[60] ^= 1; return b; }), key, /header|chunk 0 /, 'a byte of the header');
  await refused(variant(work, file, 'c3.obk', (b) => { b[frames[3].at + 5 + 1000] ^= 0x40; return b; }), key, /chunk 3 fails authentication/, 'a byte inside chunk 3');
  await refused(variant(work, file, 'tag.obk', (b) => { b[frames[last].end - 1] ^= 1; return b; }), key, new RegExp(`chunk ${last} fails authentication`), "the last chunk's tag");
  await refused(variant(work, file, 'flag.obk', (b) => { b[frames[2].at] ^= 1; return b; }), key, /chunk 2 /, "chunk 2's last flag");
  await refused(variant(work, file, 'swap.obk', (b) => Buffer.concat([
    b.subarray(0, frames[1].at), b.subarray(frames[2].at, frames[2].end), b.subarray(frames[1].at, frames[1].end), b.subarray(frames[2].end),
  ])), key, /chunk 1 fails authentication/, 'chunks 1 and 2 swapped');
  await refused(variant(work, file, 'cut.obk', (b) => b.subarray(0, frames[last].at)), key, new RegExp(`truncated.*chunk ${last} missing`), 'the last chunk cut off');
  await refused(variant(work, file, 'half.obk', (b) => b.subarray(0, frames[2].at + 100)), key, /chunk 2 is damaged or cut short/, 'cut inside chunk 2');
  await refused(variant(work, file, 'tail.obk', (b) => Buffer.concat([b, Buffer.from('x')])), key, /after the last chunk/, 'a byte appended');
  const ob = fs.readFileSync(other);
  const of = chunkFrames(ob);
  await refused(variant(work, file, 'splice.obk', (b) => Buffer.concat([
    b.subarray(0, frames[2].at), ob.subarray(of[2].at, of[2].end), b.subarray(frames[2].end),
  ])), key, /chunk 2 fails authentication/, 'chunk 2 spliced in from another backup');
  for (let i = 0; i < 12; i++) {
    const at = crypto.randomInt(0, buf.length);
    const r = await backupCli(['verify', variant(work, file, 'rand.obk', (b) => { b[at] ^= 1 << (i % 8); return b; }), '--key', key]);
    assert.equal(r.code, 1, `a flipped bit at byte ${at} is refused\n${r.stdout}`);
    assert.match(r.stderr, /REFUSED: .*(chunk \d+|header|wrong key|not an obrady backup|format)/, `byte ${at}: ${r.stderr}`);
  }

  const wrongKey = path.join(work, 'wrong.key');
  fs.writeFileSync(wrongKey, crypto.randomBytes(32), { mode: 0o600 });
  await refused(file, wrongKey, /wrong key/, 'another key');

  const target = path.join(work, 'busy');
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'keep.txt'), 'mine');
  const r1 = await backupCli(['restore', file, '--data', target, '--key', key]);
  assert.equal(r1.code, 1, r1.stdout);
  assert.match(r1.stderr, /not empty/);
  assert.deepEqual(fs.readdirSync(target), ['keep.txt'], 'the target is untouched');
  const fresh = path.join(work, 'fresh');
  const r2 = await backupCli(['restore', path.join(work, 'c3.obk'), '--data', fresh, '--key', key]);
  assert.equal(r2.code, 1);
  assert.equal(fs.existsSync(fresh), false, 'a refused backup restores nothing');
  assert.deepEqual(fs.readdirSync(work).filter((n) => n.startsWith('.')), [], 'no work directories left');
  const r3 = await backupCli(['restore', file, '--data', fresh, '--key', key]);
  assert.equal(r3.code, 0, r3.stderr);
  assert.equal(fs.statSync(path.join(fresh, 'secret.key')).mode & 0o777, 0o600);
  assert.ok(fs.readFileSync(path.join(fresh, 'secret.key')).equals(fs.readFileSync(path.join(srv.dataDir, 'secret.key'))));
  assert.equal(fs.statSync(key).mode & 0o777, 0o600, 'keygen writes mode 0600');
  const keyIn = fs.readFileSync(key);
  assert.equal(buf.indexOf(keyIn), -1, 'the backup key is not inside the backup');
});

test('a disk that fills during a backup leaves no partial file, keeps the older backups and raises the alarm', async (t) => {
  const mnt = smallDisk(t, 'obrady-bkfull-', '16m');
  if (!mnt) return;
  const key = await makeKey();
  const srv = await startDemo({ config: { backup_key_file: key, backup_dir: mnt } });
  t.after(() => srv.stop());
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  await addFiller(srv, 3);
  const first = await backUpNow(admin);
  assert.equal(first.last_error, '', first.last_error);
  const older = backupsIn(mnt);
  assert.equal(older.length, 1);
  const olderBytes = fs.readFileSync(path.join(mnt, older[0]));

  await addFiller(srv, 10);
  const cli = await backupCli(['create', '--data', srv.dataDir, '--to', mnt, '--key', key]);
  assert.equal(cli.code, 1, cli.stdout);
  assert.match(cli.stderr, /disk full|No space left/i);
  const s = await backUpNow(admin);
  assert.match(s.last_error, /disk full|No space left/i, 'the failure in plain words');
  assert.deepEqual(backupsIn(mnt), older, 'no partial backup, the older one kept');
  assert.deepEqual(leftoversIn(mnt), [], 'no temp files left behind');
  assert.ok(fs.readFileSync(path.join(mnt, older[0])).equals(olderBytes), 'the older backup is unchanged');
  const v = await backupCli(['verify', path.join(mnt, older[0]), '--key', key]);
  assert.equal(v.code, 0, v.stderr);
  const m = await getMetrics(srv);
  assert.equal(findSamples(m, 'obrady_backup_failures_total')[0].value, 1);
  await srv.waitForLog(/backup FAILED: .*(disk full|No space left)/i, 5000);
});
