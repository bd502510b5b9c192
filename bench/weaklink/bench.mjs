// bench.mjs — a councillor on a weak link: real Chromium (390×844, DevTools
// network throttling) loading the member's meeting page (signed in, an
// attendance check running), the operator console and the public meeting
// page, cold (fresh profile) and warm (second visit), from obrady and from
// nginx serving the same front-end files with gzip and long-lived caching
// and proxying /api to the same obrady (the delivery ceiling). Prints one
// table. Started by bench/weaklink/run, which builds everything.
//
// Usage: node bench/weaklink/bench.mjs [--web DIR] [--links slow,fast] [--only obrady|nginx]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startDemo, signIn, demoIds, createMeeting, freeTmpDir, ok, sleep, REPO, DEMO, SESSION_COOKIE } from '../../tests/e2e/lib.mjs';
import { launchBrowser, PHONE } from '../../tests/browser/browser.mjs';
import { webDir } from './web-dir.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const WEB = path.resolve(opt('web', webDir()));
const LINKS = {
  slow: { name: 'slow 3G 400 kbps 400 ms', latency: 400, bps: 400_000 },
  fast: { name: 'fast 3G 1.6 Mbps 150 ms', latency: 150, bps: 1_600_000 },
};
const links = opt('links', 'slow,fast').split(',').map((l) => LINKS[l]);
const servers = opt('only', 'obrady,nginx').split(',');
const TITLE = 'Sesja budżetowa';
const TIMEOUT_MS = 120_000;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitPort(port) {
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (up) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on ${port}`);
}

/** nginx on a free port: the web files with gzip and a year of caching (the shell no-cache), /api and /healthz proxied. */
async function startNginx(dir, apiPort) {
  const port = await freePort();
  const prefix = path.join(dir, 'nginx');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const conf = path.join(prefix, 'nginx.conf');
  const proxy = `proxy_pass http://127.0.0.1:${apiPort}; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_set_header Host $http_host; proxy_buffering off; proxy_read_timeout 1h;`;
  fs.writeFileSync(conf, `
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 1024; }
http {
  types {
    text/html html; text/javascript js mjs; text/css css; application/json json; image/svg+xml svg;
    image/png png; image/x-icon ico; font/woff2 woff2; application/wasm wasm; text/plain txt; text/csv csv;
  }
  default_type application/octet-stream;
  charset utf-8; charset_types text/css text/javascript application/json image/svg+xml;
  access_log off;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fcgi; uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  sendfile on; tcp_nodelay on;
  gzip on; gzip_vary on; gzip_comp_level 6; gzip_min_length 256; gzip_proxied any;
  gzip_types text/css text/javascript application/json image/svg+xml;
  server {
    listen 127.0.0.1:${port};
    root ${WEB};
    location /api/ { ${proxy} }
    location = /healthz { ${proxy} }
    location = /index.html { add_header Cache-Control "no-cache"; }
    location / { try_files $uri /index.html; add_header Cache-Control "public, max-age=31536000"; }
  }
}
`);
  const proc = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.on('close', r)));
    },
  };
}

/** The demo council with one meeting in progress and an attendance check running. */
async function setUp(srv) {
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: TITLE, public: true });
  await ok(op.post(`/api/meetings/${m.id}/convene`), 'convene');
  await ok(op.post(`/api/meetings/${m.id}/start`), 'start');
  await ok(op.post(`/api/meetings/${m.id}/attendance-checks`, { duration_s: 3600 }), 'attendance check');
  const member = await signIn(srv, DEMO.member(2), { via: 'stdout' });
  return { meetingId: m.id, op, member };
}

/** Request and byte counters from the DevTools protocol of one page. */
function meter(cdp) {
  const reqs = new Map(); // requestId → {bytes, cached}
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!e.request.url.startsWith('data:') && !reqs.has(e.requestId)) reqs.set(e.requestId, { bytes: 0, fin: 0, cached: false, url: e.request.url, t0: e.timestamp, t1: null });
  });
  cdp.on('Network.requestServedFromCache', (e) => { const r = reqs.get(e.requestId); if (r) r.cached = true; });
  cdp.on('Network.responseReceived', (e) => {
    const r = reqs.get(e.requestId);
    if (r && (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker)) r.cached = true;
  });
  cdp.on('Network.dataReceived', (e) => { const r = reqs.get(e.requestId); if (r) r.bytes += e.encodedDataLength; });
  cdp.on('Network.loadingFinished', (e) => { const r = reqs.get(e.requestId); if (r) { r.fin = e.encodedDataLength; r.t1 = e.timestamp; } });
  return {
    reset: () => reqs.clear(),
    snapshot() {
      let n = 0;
      let bytes = 0;
      for (const r of reqs.values()) {
        if (r.cached) continue;
        n++;
        bytes += Math.max(r.bytes, r.fin);
      }
      const all = [...reqs.values()].filter((r) => !r.cached);
      const t0 = Math.min(...all.map((r) => r.t0));
      const urls = all.map((r) => `${(r.t0 - t0).toFixed(2)}-${r.t1 ? (r.t1 - t0).toFixed(2) : '…'} ${Math.max(r.bytes, r.fin)} ${r.url.replace(/^https?:\/\/[^/]+/, '')}`);
      return { requests: n, kib: bytes / 1024, urls };
    },
  };
}

const PAGES = [
  { name: 'member', who: 'member', path: (id) => `/meetings/${id}`, usable: '[data-action="present"]:enabled' },
  { name: 'console', who: 'op', path: (id) => `/meetings/${id}/console`, usable: '[data-action="close"]:enabled' },
  { name: 'public', who: null, path: (id) => `/meetings/${id}/public`, usable: null },
];

/** One page on one link: cold in a fresh context, then warm (a second visit in the same context). */
async function measure(browser, base, page0, link, setup) {
  const ctx = await browser.newContext({ locale: 'pl-PL', viewport: PHONE, reducedMotion: 'reduce', serviceWorkers: 'allow' });
  const client = page0.who ? setup[page0.who] : null;
  if (client) {
    await ctx.addCookies([{ name: SESSION_COOKIE, value: client.cookie, url: base }]);
    await ctx.addInitScript(() => { try { localStorage.setItem('obrady.signedIn', '1'); } catch { /* none */ } });
  }
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: link.latency, downloadThroughput: link.bps / 8, uploadThroughput: link.bps / 8,
  });
  const m = meter(cdp);
  const out = [];
  for (const visit of ['cold', 'warm']) {
    if (visit === 'warm') {
      await page.goto('about:blank');
      await sleep(300);
    }
    m.reset();
    const t0 = Date.now();
    await page.goto(base + page0.path(setup.meetingId), { waitUntil: 'commit', timeout: TIMEOUT_MS });
    await page.locator('h1', { hasText: TITLE }).first().waitFor({ timeout: TIMEOUT_MS });
    const tTitle = (Date.now() - t0) / 1000;
    let tUsable = tTitle;
    if (page0.usable) {
      await page.locator(page0.usable).first().waitFor({ timeout: TIMEOUT_MS });
      tUsable = (Date.now() - t0) / 1000;
    }
    const atUsable = m.snapshot();
    await sleep(Math.max(1500, link.latency * 4)); // what still loads afterwards (idle prefetches)
    const all = m.snapshot();
    if (process.env.WEAKLINK_URLS) process.stderr.write(`${page0.name} ${visit}:\n  ${all.urls.join('\n  ')}\n`);
    out.push({ visit, tTitle, tUsable, atUsable, all });
  }
  await ctx.close();
  return out;
}

const fmt = (x, d = 1) => x.toFixed(d);
const dir = freeTmpDir('obrady-weaklink-');
const rows = [];
const srv = await startDemo({ web: WEB, timeoutMs: 20000 });
let ng = null;
let browser = null;
try {
  const setup = await setUp(srv);
  ng = await startNginx(dir, srv.port);
  browser = await launchBrowser();
  for (const link of links) {
    for (const p of PAGES) {
      for (const s of servers) {
        const base = s === 'nginx' ? ng.url : srv.url;
        const res = await measure(browser, base, p, link, setup);
        for (const r of res) {
          rows.push({ link: link.name, page: p.name, server: s, ...r });
          process.stderr.write(`${link.name} ${p.name} ${s} ${r.visit}: title ${fmt(r.tTitle)} s, usable ${fmt(r.tUsable)} s, ${r.all.requests} req, ${fmt(r.all.kib, 0)} KiB\n`);
        }
      }
    }
  }
} finally {
  await browser?.close();
  await ng?.stop();
  await srv.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}

console.log(`\nweaklink: web dir ${path.relative(REPO, WEB) || WEB}; Chromium ${PHONE.width}×${PHONE.height}, DevTools throttling; ` +
  'title = meeting title on screen, usable = "Jestem obecny" (member) / "close meeting" (console) enabled; ' +
  'req and KiB = on the wire (cache hits not counted) until usable / including what loads in the 1.5 s after\n');
console.log('| link | page | visit | obrady title s | obrady usable s | obrady req | obrady KiB to usable | obrady KiB all | nginx usable s | nginx req | nginx KiB all | obrady/nginx usable |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows.filter((x) => x.server === 'obrady')) {
  const n = rows.find((x) => x.server === 'nginx' && x.link === r.link && x.page === r.page && x.visit === r.visit);
  console.log(`| ${r.link} | ${r.page} | ${r.visit} | ${fmt(r.tTitle)} | ${fmt(r.tUsable)} | ${r.all.requests} | ${fmt(r.atUsable.kib, 0)} | ${fmt(r.all.kib, 0)} | ` +
    (n ? `${fmt(n.tUsable)} | ${n.all.requests} | ${fmt(n.all.kib, 0)} | ${fmt(r.tUsable / n.tUsable, 2)} |` : '– | – | – | – |'));
}
