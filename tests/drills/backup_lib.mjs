// backup_lib.mjs — helpers of the backup drills: a key made by `obrady backup
// keygen`, the backup CLI, waiting for the admin's "back up now" to finish,
// and the chunk frames of a backup file (docs/backup-format.md) for tampering.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, freeTmpDir, sleep, sql } from '../e2e/lib.mjs';

/** A new backup key in a fresh directory → its path. */
export async function makeKey() {
  const file = path.join(freeTmpDir('obrady-bkkey-'), 'backup.key');
  const r = await runCli(['backup', 'keygen', file]);
  assert.equal(r.code, 0, r.stderr);
  return file;
}

/** `obrady backup ARGS...` → {code, stdout, stderr}; generous time on a loaded machine. */
export function backupCli(args, opts = {}) {
  return runCli(['backup', ...args], { timeoutMs: 120000, ...opts });
}

/** The finished backups in dir (oldest first). */
export function backupsIn(dir) {
  try {
    return fs.readdirSync(dir).filter((n) => /^obrady-.*\.obk$/.test(n)).sort();
  } catch {
    return [];
  }
}

/** Hidden temp files and directories a backup or check may have left in dir. */
export function leftoversIn(dir) {
  try {
    return fs.readdirSync(dir).filter((n) => n.startsWith('.'));
  } catch {
    return [];
  }
}

/** Asks for a backup through the admin route and waits until the job is idle again → status. */
export async function backUpNow(admin, { ms = 120000 } = {}) {
  const before = (await admin.get('/api/admin/backups')).json;
  const r = await admin.post('/api/admin/backups', {});
  assert.equal(r.status, 202, `back up now: ${r.status} ${r.text}`);
  const end = Date.now() + ms;
  for (;;) {
    const s = await admin.get('/api/admin/backups');
    assert.equal(s.status, 200, s.text);
    if (!s.json.running && s.json.successes + s.json.failures > before.successes + before.failures) return s.json;
    if (Date.now() > end) throw new Error(`backup did not finish within ${ms} ms: ${s.text}`);
    await sleep(100);
  }
}

/** Offsets of a backup file's chunk frames → [{at, flags, len, end}]. */
export function chunkFrames(buf) {
  const headerLen = buf.readUInt32BE(48);
  const frames = [];
  let at = 52 + headerLen;
  while (at < buf.length) {
    const flags = buf[at];
    const len = buf.readUInt32BE(at + 1);
    const end = at + 5 + len + 16;
    frames.push({ at, flags, len, end });
    at = end;
  }
  return frames;
}

/** Adds mib MiB of random rows to the database (a server or a data dir), so
 * a backup takes long enough to overlap ballots or spans several chunks. */
export function addFiller(srvOrDir, mib) {
  return sql(srvOrDir, 'CREATE TABLE IF NOT EXISTS drill_filler (b BLOB); ' +
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${mib}) ` +
    'INSERT INTO drill_filler SELECT randomblob(1048576) FROM n;');
}
