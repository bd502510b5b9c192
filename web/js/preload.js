// preload.js — asks for the whole static module graph of a lazily imported
// module at once (<link rel="modulepreload"> for each file), so a view's
// files load in parallel rather than one import level per round trip. The
// graphs come from the shell's #obrady-preload map, made by
// scripts/build-web.mjs; when web/ is served as it is there is no map and
// nothing is preloaded (the imports still work, only slower).

const base = new URL('../', import.meta.url); // the web root these files are under
const asked = new Set();
let map;

function graphs() {
  if (map === undefined) {
    try {
      map = JSON.parse(document.getElementById('obrady-preload')?.textContent || 'null');
    } catch {
      map = null;
    }
  }
  return map;
}

/** Preloads file ("js/views/meeting.js", relative to the web root) and what it imports statically. */
export function preloadModule(file) {
  const list = graphs()?.[file];
  if (!Array.isArray(list)) return;
  for (const f of list) {
    const href = new URL(f, base).href;
    if (asked.has(href)) continue;
    asked.add(href);
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.append(link);
  }
}
