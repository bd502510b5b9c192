// tmpfs.mjs — a small file system of its own for the drills that fill a disk
// (disk_full, backup_faults). Mounting needs root or CAP_SYS_ADMIN; where it
// is impossible the drill is skipped, saying why.
import { execFileSync } from 'node:child_process';

/** Mounts a tmpfs of size (e.g. '24m') on dir → null, or why it could not. */
export function tryMount(dir, size) {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return String(e.stderr || e.message).trim();
  }
}
