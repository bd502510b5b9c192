// tmpfs.mjs — a small file system of its own for the drills that fill a disk
// (disk_full, backup_faults). Mounting needs root or CAP_SYS_ADMIN; where it
// is impossible the drill is skipped, saying why.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { freeTmpDir } from '../e2e/lib.mjs';

/** Mounts a tmpfs of size (e.g. '24m') on dir → null, or why it could not. */
function tryMount(dir, size) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return String(e.stderr || e.message).trim();
  }
}

/**
 * A fresh directory with a tmpfs of size mounted on it for test t (unmounted
 * and removed after it) → its path; or null with t skipped when mounting is
 * not possible here.
 */
export function smallDisk(t, prefix, size) {
  const mnt = freeTmpDir(prefix);
  const why = tryMount(mnt, size);
  if (why) {
    fs.rmSync(mnt, { recursive: true, force: true });
    t.skip(`cannot mount a small file system here (${why}); run as root or with CAP_SYS_ADMIN`);
    return null;
  }
  t.after(() => {
    try { execFileSync('umount', ['-l', mnt]); } catch { /* already gone */ }
    fs.rmSync(mnt, { recursive: true, force: true });
  });
  return mnt;
}
