// web-dir.mjs — the front-end directory the benchmark serves: the build
// output when the build exists, else the source web/ directory.
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../../tests/e2e/lib.mjs';

export function webDir() {
  const built = path.join(REPO, 'build', 'web');
  return fs.existsSync(path.join(built, 'index.html')) ? built : path.join(REPO, 'web');
}
