// nodes.mjs — one obrady installation on several identical nodes (issue 12):
// a throw-away PostgreSQL cluster (cluster.sh), N `obrady serve` processes
// each with its own --data dir and the same --database, and Debian's nginx
// in front of them as the load balancer (generated config in a temp dir, SSE
// unbuffered, long read timeouts), all on free ports, all torn down by stop().
//   const inst = await startInstallation({ nodes: 3 });
//   inst.lb.url, inst.nodes[i] (startServer's handle), inst.kill(i), inst.stop()
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import { REPO, PG_BASE, startServer, freeTmpDir, sleep, api, makeClient, sessionCookieOf, mapPool } from '../e2e/lib.mjs';
import { NGINX, freePort, mainConfig } from '../e2e/nginx.mjs';

const CLUSTER = path.join(REPO, 'tests', 'pg', 'cluster.sh');
/** Files of a data dir that every node of one installation must share. */
const SHARED_KEYS = ['secret.key', 'signing.key'];

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`${what}: exit ${r.status} ${r.stderr}`);
  return r.stdout;
}

/** A throw-away cluster of its own → {dir, base, stop()}. */
export function startCluster({ durable = false } = {}) {
  const [dir, base] = run(CLUSTER, ['start', ...(durable ? ['--durable'] : [])], 'cluster.sh start').trim().split('\n');
  let stopped = false;
  return {
    dir,
    base,
    stop() {
      if (!stopped) run(CLUSTER, ['stop', dir], 'cluster.sh stop');
      stopped = true;
    },
  };
}

/** A new empty database on the cluster at base → its URL. */
export function createDatabase(base) {
  const name = `nodes_${crypto.randomBytes(6).toString('hex')}`;
  run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', `${base}/postgres`, '-c', `CREATE DATABASE ${name}`], 'create database');
  return `${base}/${name}`;
}

/** Runs SQL on a database URL → rows as arrays of fields ('|'-separated output). */
export function psqlRows(url, statement) {
  return run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', statement], 'psql')
    .split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}

/** Waits until something accepts on port. */
export async function waitListening(port, ms = 10000, what = 'the server') {
  const end = Date.now() + ms;
  for (;;) {
    const up = await new Promise((r) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    if (up) return;
    if (Date.now() > end) throw new Error(`${what} does not listen on ${port} within ${ms} ms`);
    await sleep(50);
  }
}

/** The hard limit on open files of this process (nginx cannot go past it). */
function hardNofile() {
  const m = /^Max open files\s+\S+\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
  return m ? Number(m[1]) : 1024;
}

/**
 * How to run nginx for up to `streams` proxied connections at once: each
 * takes two descriptors, so past the open-file limit of one worker the load
 * is split over more workers (listen ... reuseport lets the kernel spread the
 * connections) → {workers, perWorker (worker_connections), rlimit}.
 */
export function balancerSize(streams = 1024) {
  const hard = hardNofile();
  const workers = Math.max(1, Math.ceil((2 * streams + 2048) / (hard - 512)));
  const perWorker = Math.ceil((2 * streams) / workers) + 1024;
  return { workers, perWorker, rlimit: Math.min(hard, perWorker + 256) };
}

/** The balancer's server block: upstream of the nodes, SSE unbuffered, long timeouts. */
export function balancerSite({ port, upstreams, reuseport = false }) {
  return `
upstream obrady_nodes {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 64;
}
server {
    listen 127.0.0.1:${port} backlog=4096${reuseport ? ' reuseport' : ''};
    client_max_body_size 25m;
    location / {
        proxy_pass http://obrady_nodes;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        # Which node answered (host:port), for tests and debugging.
        add_header X-Upstream $upstream_addr always;
        # Event streams: every event at once, streams may stay quiet for long.
        proxy_buffering off;
        proxy_cache off;
        proxy_read_timeout 3600s;
        proxy_send_timeout 3600s;
        proxy_connect_timeout 2s;
        # A dead node: the request goes to the next one (only where safe to repeat).
        proxy_next_upstream error timeout;
    }
}
`;
}

/** Debian's nginx balancing over the given ports → {url, port, logs(), stop()}. */
export async function startBalancer(upstreams, { streams } = {}) {
  if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} missing (scripts/deps.sh test installs nginx)`);
  const prefix = freeTmpDir('obrady-lb-');
  fs.chmodSync(prefix, 0o755); // workers run as nobody when we are root
  const port = await freePort();
  const conf = path.join(prefix, 'nginx.conf');
  const size = balancerSize(streams);
  fs.writeFileSync(path.join(prefix, 'site.conf'), balancerSite({ port, upstreams, reuseport: size.workers > 1 }));
  fs.writeFileSync(conf, mainConfig(prefix, { workerConnections: size.perWorker, workers: size.workers, rlimit: size.rlimit }));
  const proc = spawn(NGINX, ['-p', prefix, '-e', path.join(prefix, 'error.log'), '-c', conf, '-g', 'daemon off;'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((r) => proc.on('close', r));
  const logs = () => {
    try {
      return out + fs.readFileSync(path.join(prefix, 'error.log'), 'utf8');
    } catch {
      return out;
    }
  };
  try {
    await waitListening(port, 10000, 'nginx');
  } catch (e) {
    proc.kill('SIGKILL');
    throw new Error(`${e.message}\n${logs()}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: proc.pid,
    logs,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGQUIT');
      await Promise.race([exited, sleep(5000)]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

/**
 * N nodes on one database. The first starts with firstArgs (e.g. --demo-bare)
 * and makes the installation's keys; the others get copies of them in their
 * own data dirs (as docs/operations.md says for several nodes) and start
 * together. → array of startServer handles (each .dataDir its own).
 */
export async function startNodes(count, database, { firstArgs = [], config = null, env = {}, timeoutMs = 30000 } = {}) {
  const opts = (dataDir, args) => ({
    dataDir, args, config, timeoutMs, env: { ...env, OBRADY_DATABASE: database },
  });
  const dirs = Array.from({ length: count }, () => freeTmpDir('obrady-node-'));
  const first = await startServer(opts(dirs[0], firstArgs));
  for (const d of dirs.slice(1)) {
    for (const f of SHARED_KEYS) {
      const src = path.join(dirs[0], f);
      if (fs.existsSync(src)) fs.copyFileSync(src, path.join(d, f));
    }
  }
  const rest = await Promise.all(dirs.slice(1).map((d) => startServer(opts(d, []))));
  return [first, ...rest];
}

/**
 * A cluster (the given one; else the one in OBRADY_E2E_PG when useEnvCluster
 * and not durable; else a throw-away one of its own), a fresh database,
 * `nodes` nodes and (unless balancer is false) the balancer →
 * {cluster, database, nodes, lb, kill(i), stop()}. stop() drops the database
 * and stops a cluster it started.
 */
export async function startInstallation({
  nodes = 3, cluster = null, durable = false, useEnvCluster = true, balancer = true,
  firstArgs = ['--demo-bare'], config = null, env = {}, streams,
} = {}) {
  const shared = cluster || (useEnvCluster && PG_BASE && !durable ? { base: PG_BASE } : null);
  const own = shared ? null : startCluster({ durable });
  const inst = { cluster: shared || own, ownCluster: own, database: null, nodes: [], lb: null };
  try {
    inst.database = createDatabase(inst.cluster.base);
    // Behind the balancer every connection comes from 127.0.0.1: the client
    // is in X-Forwarded-For, and the per-address connection cap (1000 by
    // default) would cap the whole node.
    const behind = balancer ? { trusted_proxies: '127.0.0.1', per_ip_connections: 1000000 } : {};
    inst.nodes = await startNodes(nodes, inst.database, { firstArgs, config: { ...behind, ...(config || {}) }, env });
    if (balancer) inst.lb = await startBalancer(inst.nodes.map((n) => n.port), { streams });
  } catch (e) {
    await stopInstallation(inst);
    throw e;
  }
  inst.kill = async (i) => {
    inst.nodes[i].proc.kill('SIGKILL');
    await inst.nodes[i].exited;
  };
  inst.stop = () => stopInstallation(inst);
  return inst;
}

async function stopInstallation(inst) {
  if (inst.lb) await inst.lb.stop();
  await Promise.all(inst.nodes.map(async (n) => {
    await n.stop('SIGTERM');
    fs.rmSync(n.dataDir, { recursive: true, force: true });
  }));
  inst.nodes = [];
  inst.lb = null;
  if (inst.database && !inst.ownCluster) {
    try {
      psqlRows(`${inst.cluster.base}/postgres`, `DROP DATABASE IF EXISTS ${inst.database.slice(inst.database.lastIndexOf('/') + 1)} WITH (FORCE)`);
    } catch { /* the cluster goes away at the end anyway */ }
  }
  inst.database = null;
  if (inst.ownCluster) inst.ownCluster.stop();
}

const codeRe = (email) => new RegExp(`sign-in code for ${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d{6})\\b`);

/**
 * Signs email in through entry (a node or the balancer: anything with .url);
 * the code is read from whichever node's stdout prints it (the node that
 * sends the mail need not be the one that took the request) → a client on entry.
 */
export async function signInVia(entry, nodes, email, { timeoutMs = 15000 } = {}) {
  const from = nodes.map((n) => n.stdout().length);
  const r = await api(entry, 'POST', '/api/auth/code', { email });
  if (r.status !== 202) throw new Error(`code for ${email}: ${r.status} ${r.text}`);
  const re = codeRe(email);
  const end = Date.now() + timeoutMs;
  let code = null;
  while (!code) {
    for (let i = 0; i < nodes.length && !code; i++) {
      for (const l of nodes[i].stdout().slice(from[i])) {
        const m = re.exec(l);
        if (m) code = m[1];
      }
    }
    if (code) break;
    if (Date.now() > end) throw new Error(`no sign-in code for ${email} on any node's stdout within ${timeoutMs} ms`);
    await sleep(20);
  }
  const s = await api(entry, 'POST', '/api/auth/session', { email, code });
  if (s.status !== 200) throw new Error(`sign-in of ${email}: ${s.status} ${s.text}`);
  const ck = sessionCookieOf(s);
  if (!ck) throw new Error(`sign-in of ${email} set no cookie`);
  return makeClient(entry, ck.value, s.json.user);
}

/** signInVia for many addresses, `concurrency` at a time → clients in order. */
export function signInManyVia(entry, nodes, emails, { concurrency = 16 } = {}) {
  return mapPool(emails.length, concurrency, (i) => signInVia(entry, nodes, emails[i]));
}
