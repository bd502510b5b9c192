// build-web.mjs — the front end as served: web/ copied to build/web/ with
// every asset also under /v/<version>/ (version = hash of all assets, so those
// URLs are cached for a year as immutable), the shell (index.html) pointing
// at the versioned files with a modulepreload list of its module graph and a
// per-module preload map for lazily loaded views, and gzip + brotli copies of
// every text file beside it. Node built-ins only; nothing here is committed.
//
//   node scripts/build-web.mjs [SRC=web] [OUT=build/web]   (prints the version)
//   import { buildWeb } from './build-web.mjs'; buildWeb(src, out) → {version, out}
//
// Test files run in parallel and each builds OUT when web/ changed: one build
// at a time per OUT (a lock directory OUT.lock holding the builder's pid; a
// dead builder's lock is taken over), and every file of OUT is replaced by a
// rename, so a server reading OUT never sees a file missing or half written.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const COMPRESSIBLE = /\.(html|js|mjs|css|json|svg|txt|csv|webmanifest|wasm)$/;
const MIN_COMPRESS = 256; // smaller files gain nothing from a Content-Encoding

/** Every file under dir as a path relative to it ('/'-separated), hidden ones left out, sorted. */
function listFiles(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

const STATIC_IMPORT = /(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*{}\s,$]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*[`'"](\.{1,2}\/[^`'"$]+)[`'"]\s*\)/g;

/** The relative imports of a module's text: {statics, dynamics} as paths relative to the web root. */
function importsOf(file, text) {
  const resolve = (spec) => path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
  const statics = [...text.matchAll(STATIC_IMPORT)].map((m) => resolve(m[1]));
  const dynamics = [...text.matchAll(DYNAMIC_IMPORT)].map((m) => resolve(m[1]));
  return { statics, dynamics };
}

/** The module graph: for each module, the static closure (itself first, in load order). */
function moduleGraph(src, files) {
  const mods = new Map();
  for (const f of files.filter((x) => /\.(js|mjs)$/.test(x))) mods.set(f, importsOf(f, fs.readFileSync(path.join(src, f), 'utf8')));
  const closure = (start) => {
    const seen = new Set();
    const walk = (f) => {
      if (seen.has(f) || !mods.has(f)) return;
      seen.add(f);
      for (const d of mods.get(f).statics) walk(d);
    };
    walk(start);
    return [...seen];
  };
  return { mods, closure };
}

/** The version: a hash of every asset's path and bytes (the shell left out: it names the version). */
function versionOf(src, files) {
  const h = crypto.createHash('sha256');
  h.update(shellStyles(src).join('\n')).update('\0');
  for (const f of files) {
    if (f === 'index.html') continue;
    h.update(f).update('\0').update(fs.readFileSync(path.join(src, f))).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

const STYLESHEET = /^[ \t]*<link rel="stylesheet" href="\/([^"]+\.css)">\n/gm;
const SHELL_CSS = 'css/shell.css'; // the shell's stylesheets in one file: one request instead of several

/** The stylesheets index.html links, in order (paths relative to the web root). */
function shellStyles(src) {
  return [...fs.readFileSync(path.join(src, 'index.html'), 'utf8').matchAll(STYLESHEET)].map((m) => m[1]);
}

function writeCompressed(file) {
  const data = fs.readFileSync(file);
  if (data.length < MIN_COMPRESS) return;
  const gz = zlib.gzipSync(data, { level: 9 });
  const br = zlib.brotliCompressSync(data, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  if (gz.length < data.length) writeAtomic(`${file}.gz`, gz);
  if (br.length < data.length) writeAtomic(`${file}.br`, br);
}

/** Copies the assets with their compressed copies into dir (made fresh, then renamed into place). */
function writeAssets(src, files, dir) {
  if (fs.existsSync(path.join(dir, '.complete'))) return;
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  for (const f of files) {
    if (f === 'index.html') continue;
    const to = path.join(tmp, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(src, f), to);
    if (COMPRESSIBLE.test(f)) writeCompressed(to);
  }
  const css = shellStyles(src).map((f) => `/* ${f} */\n${fs.readFileSync(path.join(src, f), 'utf8')}\n`).join('');
  fs.writeFileSync(path.join(tmp, SHELL_CSS), css);
  writeCompressed(path.join(tmp, SHELL_CSS));
  fs.writeFileSync(path.join(tmp, '.complete'), '');
  try {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, '.complete'))) throw err; // else another build made the same
  }
}

/** Copies a file tree (with the compressed copies), each file replaced by a
 * rename. Copies, not hard links: packages refuse those. */
function mirror(from, to) {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const a = path.join(from, e.name);
    const b = path.join(to, e.name);
    if (e.isDirectory()) {
      fs.mkdirSync(b, { recursive: true });
      mirror(a, b);
    } else {
      const tmp = `${b}.tmp-${process.pid}`;
      fs.copyFileSync(a, tmp);
      fs.renameSync(tmp, b);
    }
  }
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Runs fn holding OUT.lock (a directory: made atomically); waits for another
 * builder, up to timeoutMs; takes over the lock of a builder that died. */
function withLock(out, fn, timeoutMs = 120000) {
  const lock = `${out}.lock`;
  const end = Date.now() + timeoutMs;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let pid = 0;
    try {
      pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
    } catch { /* being made or removed: look again */ }
    if (pid && !isAlive(pid)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > end) throw new Error(`${lock}: another build (pid ${pid || '?'}) did not finish`);
    sleepSync(50);
  }
  try {
    fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The shell: local href/src made versioned, the generated modulepreload list and preload map put in. */
function shell(src, version, graph) {
  const v = `/v/${version}`;
  let html = fs.readFileSync(path.join(src, 'index.html'), 'utf8');
  html = html.replace(/^[ \t]*<link rel="modulepreload"[^>]*>\n/gm, '');
  let firstStyle = true;
  html = html.replace(STYLESHEET, () => {
    if (!firstStyle) return '';
    firstStyle = false;
    return `  <link rel="stylesheet" href="/${SHELL_CSS}">\n`;
  });
  // The icon inside the shell (img-src allows data:): one request fewer on the first visit.
  html = html.replace(/<link rel="icon" href="\/([^"]+\.svg)" type="image\/svg\+xml">/, (m, p) => {
    const svg = fs.readFileSync(path.join(src, p), 'utf8').replace(/\s+/g, ' ').trim();
    return `<link rel="icon" href="data:image/svg+xml,${encodeURIComponent(svg).replace(/'/g, '%27')}" type="image/svg+xml">`;
  });
  html = html.replace(/\b(href|src)="\/(?!\/)([^"?#]+\.[a-z0-9]+)"/g, (m, attr, p) =>
    (fs.existsSync(path.join(src, p)) || p === SHELL_CSS ? `${attr}="${v}/${p}"` : m));
  const entry = /<script type="module" src="[^"]*\/(js\/[^"]+)"><\/script>/.exec(html);
  if (!entry) throw new Error('index.html has no <script type="module" src="/js/...">');
  // The entry's graph, then the graphs it imports at once (boot.js → app.js):
  // the entry's own modules come first, so they take the first connections.
  const inShell = graph.closure(entry[1]);
  for (const d of graph.mods.get(entry[1])?.dynamics || []) {
    for (const f of graph.closure(d)) if (!inShell.includes(f)) inShell.push(f);
  }
  const entryOwn = graph.closure(entry[1]).length;
  const link = (f) => `  <link rel="modulepreload" href="${v}/${f}">\n`;
  // The dictionary of the page's own language too: it is read before anything shows.
  const lang = /<html lang="([a-z]{2})"/.exec(html)?.[1];
  const dict = lang && fs.existsSync(path.join(src, 'i18n', `${lang}.json`))
    ? `  <link rel="preload" href="${v}/i18n/${lang}.json" as="fetch" crossorigin>\n` : '';
  // Requests go out in document order: the entry, its own modules, then the rest.
  const links = inShell.slice(1, entryOwn).map(link).join('') + dict + inShell.slice(entryOwn).map(link).join('');
  // The static graph of each lazily imported module (the views, imported by
  // app.js by name, and every literal import()), less what the shell preloads.
  const lazy = new Set([...graph.mods.keys()].filter((f) => f.startsWith('js/views/')));
  for (const m of graph.mods.values()) for (const d of m.dynamics) if (graph.mods.has(d)) lazy.add(d);
  const map = {};
  for (const f of [...lazy].sort()) map[f] = graph.closure(f).filter((x) => !inShell.includes(x));
  const data = `  <script type="application/json" id="obrady-preload">${JSON.stringify(map).replace(/</g, '\\u003c')}</script>\n`;
  return html.replace(entry[0], `${entry[0]}\n${links}${data.trimEnd()}`);
}

function writeAtomic(file, text) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Builds out from src; returns {version, out}. Unchanged assets are not
 * written again; one build at a time per out (withLock). */
export function buildWeb(src, out) {
  return withLock(out, () => build(src, out));
}

function build(src, out) {
  const files = listFiles(src);
  if (!files.includes('index.html')) throw new Error(`${src} has no index.html`);
  const version = versionOf(src, files);
  const vdir = path.join(out, 'v', version);
  fs.mkdirSync(path.join(out, 'v'), { recursive: true });
  const previous = (() => {
    try {
      return /\/v\/([0-9a-f]{16})\//.exec(fs.readFileSync(path.join(out, 'index.html'), 'utf8'))?.[1] ?? null;
    } catch {
      return null;
    }
  })();
  writeAssets(src, files, vdir);
  const html = shell(src, version, moduleGraph(src, files));
  if (previous !== version || !fs.existsSync(path.join(out, '.complete'))) {
    mirror(vdir, out); // the same files at their plain paths (no-cache), for pages that name them so
    fs.writeFileSync(path.join(out, '.complete'), '');
  }
  const shellFile = path.join(out, 'index.html');
  let old = null;
  try {
    old = fs.readFileSync(shellFile, 'utf8');
  } catch { /* first build */ }
  if (old !== html) {
    // The old compressed copies go first (a server prefers them and they name
    // the old version), then the shell, then its new compressed copies.
    for (const suffix of ['.gz', '.br']) fs.rmSync(shellFile + suffix, { force: true });
    writeAtomic(shellFile, html);
    writeCompressed(shellFile);
  }
  // Keep this version and the one before it (pages still open may load a lazy view from it).
  for (const d of fs.readdirSync(path.join(out, 'v'))) {
    // Only finished versions: a name with .tmp- is another build at work.
    if (/^[0-9a-f]{16}$/.test(d) && d !== version && d !== previous) fs.rmSync(path.join(out, 'v', d), { recursive: true, force: true });
  }
  return { version, out };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const src = path.resolve(process.argv[2] || path.join(repo, 'web'));
  const out = path.resolve(process.argv[3] || path.join(repo, 'build', 'web'));
  const { version } = buildWeb(src, out);
  console.log(`web: ${path.relative(process.cwd(), out) || out} version ${version}`);
}
