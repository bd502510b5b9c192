// lib.mjs — shared helpers for the end-to-end tests (node built-ins only).
//
//   import { startServer, api, stopAll } from './lib.mjs';
//   after(stopAll);
//   test('x', async (t) => {
//     const srv = await startServer();
//     t.after(() => srv.stop());
//     const r = await api(srv, 'GET', '/healthz');
//   });
//
// Run: OBRADY_BIN=$PWD/build/obrady node --test --test-concurrency=2 tests/e2e/
// The binary is $OBRADY_BIN (default <repo>/build/obrady). Every server gets a
// fresh data dir (removed on stop) and port 0, so files may run in parallel.
// With OBRADY_E2E_PG set to a cluster's base URL (tests/pg/cluster.sh start),
// every server with its own data dir also gets a fresh PostgreSQL database of
// that cluster (OBRADY_DATABASE), which the CLI helpers and sql() use too.

import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.OBRADY_BIN || path.join(REPO, 'build', 'obrady');

// ---------------------------------------------------------------- PostgreSQL

/** The cluster's base URL (postgresql://user:pw@host:port) or '' for SQLite. */
export const PG_BASE = process.env.OBRADY_E2E_PG || '';
const pgDatabases = new Map(); // data dir → database URL

function psql(url, statement, { tuples = false } = {}) {
  const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1'];
  if (tuples) args.push('-A', '-t');
  const r = spawnSync('psql', [...args, url, '-c', statement], { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) throw new Error(`psql ${statement}: exit ${r.status} ${r.stderr}`);
  return r.stdout;
}

/** The database of a data dir in PostgreSQL mode (made on first use), else null. */
export function pgDatabaseFor(dataDir) {
  if (!PG_BASE || !dataDir) return null;
  let url = pgDatabases.get(dataDir);
  if (!url) {
    const name = `e2e_${crypto.randomBytes(6).toString('hex')}`;
    psql(`${PG_BASE}/postgres`, `CREATE DATABASE ${name}`);
    url = `${PG_BASE}/${name}`;
    pgDatabases.set(dataDir, url);
  }
  return url;
}

function pgDropDatabaseOf(dataDir) {
  const url = pgDatabases.get(dataDir);
  if (!url) return;
  pgDatabases.delete(dataDir);
  try {
    psql(`${PG_BASE}/postgres`, `DROP DATABASE IF EXISTS ${url.slice(url.lastIndexOf('/') + 1)} WITH (FORCE)`);
  } catch {
    /* the cluster goes away at the end anyway */
  }
}

/** tests/pg/cluster.sh ARGS… (a throw-away cluster of a test's own) → its output lines. */
export function pgCluster(...args) {
  const r = spawnSync(path.join(REPO, 'tests', 'pg', 'cluster.sh'), args, { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `cluster.sh ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

/** The OBRADY_DATABASE a command with these arguments runs with in PostgreSQL mode. */
function pgEnvFor(args, env) {
  if (!PG_BASE || env.OBRADY_DATABASE !== undefined || args.includes('--database')) return {};
  const i = args.indexOf('--data');
  const url = i >= 0 && i + 1 < args.length ? pgDatabaseFor(args[i + 1]) : null;
  return url ? { OBRADY_DATABASE: url } : {};
}

const LISTEN_RE = /obrady listening on (https?):\/\/(\[[^\]]+\]|[^\s:/]+):(\d+)/;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A fresh, empty temporary directory. */
export function freeTmpDir(prefix = 'obrady-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function rmrf(dir) {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    /* best effort */
  }
}

/** Splits a stream into lines, calling onLine for each complete one. */
function lineReader(stream, onLine) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buf) onLine(buf);
    buf = '';
  });
}

/** Writes a config object as `key = value` lines into a new file; returns its path. */
export function writeConfig(obj, dir = freeTmpDir('obrady-cfg-')) {
  const file = path.join(dir, 'obrady.conf');
  const lines = ['# written by tests/e2e/lib.mjs'];
  for (const [k, v] of Object.entries(obj)) lines.push(`${k} = ${v}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const registry = new Set();

/**
 * Starts `obrady serve` and resolves once it prints its listening line.
 * Options:
 *   args      extra arguments after the defaults
 *   env       extra environment variables (OBRADY_LISTEN/OBRADY_DATA are cleared first)
 *   config    object written as a config file and passed with --config
 *   dataDir   data directory to use (kept on stop); default: fresh temp dir (removed on stop)
 *   web       web dir (default <repo>/web); null to omit --web
 *   listen    --listen value (default 127.0.0.1:0); null to omit
 *   passData  pass --data (default true)
 *   bin       binary (default $OBRADY_BIN)
 *   timeoutMs how long to wait for the listening line (default 10 s)
 */
/**
 * The front end as users get it: build/web, made from web/ by
 * scripts/build-web.mjs (once per test process; unchanged files are not
 * written again), so a test never runs against a stale build.
 */
let builtWeb = null;
export async function defaultWeb() {
  if (!builtWeb) {
    const { buildWeb } = await import('../../scripts/build-web.mjs');
    builtWeb = buildWeb(path.join(REPO, 'web'), path.join(REPO, 'build', 'web')).out;
  }
  return builtWeb;
}

export async function startServer({
  args = [],
  env = {},
  config = null,
  dataDir = null,
  web = undefined,
  listen = '127.0.0.1:0',
  passData = true,
  bin = BIN,
  timeoutMs = 10000,
} = {}) {
  const ownData = !dataDir;
  const data = dataDir || freeTmpDir();
  const cleanup = [];
  if (ownData) cleanup.push(data);
  const argv = ['serve'];
  if (listen !== null) argv.push('--listen', listen);
  if (passData) argv.push('--data', data);
  if (web === undefined) web = await defaultWeb();
  if (web !== null) argv.push('--web', web);
  let configFile = null;
  if (config) {
    const cdir = freeTmpDir('obrady-cfg-');
    cleanup.push(cdir);
    configFile = writeConfig(config, cdir);
    argv.push('--config', configFile);
  }
  argv.push(...args);

  const childEnv = { ...process.env };
  delete childEnv.OBRADY_LISTEN;
  delete childEnv.OBRADY_DATA;
  delete childEnv.OBRADY_DATABASE;
  Object.assign(childEnv, pgEnvFor(argv, env), env);

  const proc = spawn(bin, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  const stdoutLines = [];
  const waiters = new Set();
  const onLine = (line) => {
    if (process.env.OBRADY_E2E_SERVER_LOG) fs.appendFileSync(process.env.OBRADY_E2E_SERVER_LOG, `${line}\n`);
    lines.push(line);
    for (const w of waiters) w(line);
  };
  lineReader(proc.stderr, onLine);
  lineReader(proc.stdout, (l) => stdoutLines.push(l));

  let exitInfo = null;
  const exited = new Promise((resolve) => {
    proc.on('close', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    proc.on('error', (err) => {
      exitInfo = { code: null, signal: null, error: err };
      resolve(exitInfo);
    });
  });

  const srv = {
    proc,
    dataDir: data,
    configFile,
    argv,
    exited,
    logs: () => lines.slice(),
    stdout: () => stdoutLines.slice(),
    /** Resolves with the first stderr line (at index >= from) matching re. */
    waitForLog(re, ms = 5000, { from = 0 } = {}) {
      for (let i = from; i < lines.length; i++) if (re.test(lines[i])) return Promise.resolve(lines[i]);
      return new Promise((resolve, reject) => {
        const w = (line) => {
          if (re.test(line)) {
            clearTimeout(timer);
            waiters.delete(w);
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`no stderr line matching ${re} within ${ms} ms; last lines:\n` +
            lines.slice(-15).join('\n')));
        }, ms);
        waiters.add(w);
      });
    },
    /** Sends signal and waits for exit (SIGKILL after 10 s). Idempotent. */
    async stop(signal = 'SIGTERM', ms = 10000) {
      if (!exitInfo) {
        try {
          proc.kill(signal);
        } catch {
          /* already gone */
        }
        let timer;
        const t = new Promise((r) => {
          timer = setTimeout(() => r(null), ms);
        });
        const res = await Promise.race([exited, t]);
        clearTimeout(timer);
        if (!res) {
          proc.kill('SIGKILL');
          await exited;
          exitInfo = { ...exitInfo, timedOut: true };
        }
      }
      registry.delete(srv);
      if (ownData) pgDropDatabaseOf(data);
      for (const d of cleanup.splice(0)) rmrf(d);
      return exitInfo;
    },
    kill() {
      if (!exitInfo) proc.kill('SIGKILL');
      return srv.stop('SIGKILL');
    },
  };
  registry.add(srv);

  const started = await new Promise((resolve) => {
    let timer;
    const w = (line) => {
      const m = LISTEN_RE.exec(line);
      if (m) done({ m });
    };
    const done = (v) => {
      clearTimeout(timer);
      waiters.delete(w);
      resolve(v);
    };
    waiters.add(w);
    timer = setTimeout(() => done({ err: `did not print its listening line within ${timeoutMs} ms` }), timeoutMs);
    exited.then((e) => done({ err: `exited early (${JSON.stringify(e)})` }));
  });
  if (started.err) {
    await srv.stop('SIGKILL');
    throw new Error(`obrady ${argv.join(' ')}: ${started.err}; stderr:\n${lines.join('\n')}` +
      (stdoutLines.length ? `\nstdout:\n${stdoutLines.join('\n')}` : ''));
  }
  const [, scheme, host, port] = started.m;
  srv.scheme = scheme;
  srv.host = host;
  srv.port = Number(port);
  srv.url = `${scheme}://${host}:${port}`;
  srv.origin = srv.url;
  return srv;
}

/** Kills every server still running (use as `after(stopAll)`). */
export async function stopAll() {
  await Promise.all([...registry].map((s) => s.stop('SIGKILL')));
}
process.on('exit', () => {
  for (const s of registry) {
    try {
      s.proc.kill('SIGKILL');
    } catch {
      /* ignore */
    }
  }
});

/**
 * One HTTP(S) request, no keep-alive. body: object → JSON; string/Buffer (or
 * raw: true) → sent as is. Bodies get Content-Type application/json unless
 * headers give another (or null to send none). chunked: true sends the body
 * in 1 KiB chunks without Content-Length. TLS certificates are not checked.
 * A state-changing request with a Cookie header gets Origin = the server's
 * origin unless headers name origin (null: send none).
 * → {status, headers (lower-case keys), json (when the response is JSON), text, body (Buffer)}
 */
export function api(srv, method, urlPath, body, { headers = {}, raw = false, chunked = false, timeoutMs = 10000 } = {}) {
  const base = typeof srv === 'string' ? new URL(srv) : new URL(srv.url);
  const hdrs = {};
  for (const [k, v] of Object.entries(headers)) hdrs[k.toLowerCase()] = v;
  // A browser sends Origin with every state-changing request; a request that
  // carries a session cookie must (CSRF check). Pass origin: null to leave it out.
  if (hdrs.cookie && !('origin' in hdrs) && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) {
    hdrs.origin = base.origin;
  }
  let payload = null;
  if (body !== undefined) {
    if (raw || typeof body === 'string' || Buffer.isBuffer(body)) payload = Buffer.from(body);
    else payload = Buffer.from(JSON.stringify(body));
    if (!('content-type' in hdrs)) hdrs['content-type'] = 'application/json';
  }
  for (const k of Object.keys(hdrs)) if (hdrs[k] === null || hdrs[k] === undefined) delete hdrs[k];
  if (payload && !chunked) hdrs['content-length'] = String(payload.length);
  const mod = base.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const req = mod.request({
      host: base.hostname.replace(/^\[|\]$/g, ''),
      port: base.port,
      method,
      path: urlPath,
      headers: hdrs,
      agent: false,
      rejectUnauthorized: false,
      setHost: true,
    });
    const timer = setTimeout(() => {
      if (!settled) {
        settled = true;
        req.destroy();
        reject(new Error(`${method} ${urlPath}: no response within ${timeoutMs} ms`));
      }
    }, timeoutMs);
    req.on('response', (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        let json = null;
        if (/json/i.test(res.headers['content-type'] || '') && text.length) {
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
        }
        resolve({ status: res.statusCode, headers: res.headers, json, text, body: buf });
      };
      res.on('end', finish);
      res.on('error', finish); // connection closed after a (possibly partial) response
      res.on('aborted', finish);
    });
    req.on('error', (err) => {
      // The server may answer early (413) and close while we still write.
      if (settled) return;
      // Give a response that is already on its way a moment to arrive.
      setTimeout(() => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      }, 200);
    });
    if (payload) {
      if (chunked) {
        let off = 0;
        const writeMore = () => {
          while (off < payload.length) {
            const piece = payload.subarray(off, off + 1024);
            off += piece.length;
            if (req.destroyed) return;
            if (!req.write(piece)) {
              req.once('drain', writeMore);
              return;
            }
          }
          req.end();
        };
        writeMore();
      } else {
        req.end(payload);
      }
    } else {
      req.end();
    }
  });
}

/**
 * Sends raw bytes over TCP (or TLS for https servers) and returns the raw
 * response text: it stops reading once one complete response has arrived (by
 * Content-Length or the final chunk), the server closes, or after timeoutMs.
 */
export function rawRequest(srv, data, { timeoutMs = 5000, whole = false } = {}) {
  const base = new URL(srv.url);
  const opts = { host: base.hostname.replace(/^\[|\]$/g, ''), port: Number(base.port) };
  return new Promise((resolve) => {
    const sock = base.protocol === 'https:'
      ? tls.connect({ ...opts, rejectUnauthorized: false })
      : net.connect(opts);
    const chunks = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('connect', () => sock.write(data, () => {}));
    sock.on('secureConnect', () => sock.write(data, () => {}));
    sock.on('data', (c) => {
      chunks.push(c);
      if (!whole && responseComplete(Buffer.concat(chunks).toString('latin1'))) finish(); // whole: until the server closes
    });
    sock.on('end', finish);
    sock.on('close', finish);
    sock.on('error', finish);
  });
}

function responseComplete(text) {
  const he = text.indexOf('\r\n\r\n');
  if (he < 0) return false;
  const head = text.slice(0, he);
  const body = text.slice(he + 4);
  const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (cl) return Buffer.byteLength(body, 'latin1') >= Number(cl[1]);
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return /(^|\r\n)0\r\n(.*\r\n)*\r\n$/.test(body);
  return false;
}

/** Parses a raw HTTP response text into {status, headers, body}. */
export function parseRawResponse(text) {
  const he = text.indexOf('\r\n\r\n');
  const head = he < 0 ? text : text.slice(0, he);
  const body = he < 0 ? '' : text.slice(he + 4);
  const [statusLine, ...rest] = head.split('\r\n');
  const m = /^HTTP\/\d\.\d (\d{3})/.exec(statusLine || '');
  const headers = {};
  for (const l of rest) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: m ? Number(m[1]) : null, headers, body };
}

/**
 * Asserts a JSON error answer: status, Content-Type, error.code, a non-empty
 * message, and field (a string: must equal; null: must be absent; undefined: not checked).
 */
export function expectError(res, status, code, field = undefined) {
  const ctx = `${res.status} ${res.headers['content-type']} ${res.text.slice(0, 300)}`;
  assert.equal(res.status, status, `status: ${ctx}`);
  assert.match(res.headers['content-type'] || '', /^application\/json\b/, `content-type: ${ctx}`);
  assert.ok(res.json && typeof res.json.error === 'object', `error object: ${ctx}`);
  assert.equal(res.json.error.code, code, `error.code: ${ctx}`);
  assert.equal(typeof res.json.error.message, 'string', `error.message: ${ctx}`);
  assert.ok(res.json.error.message.length > 0, `error.message empty: ${ctx}`);
  if (field === null) assert.equal(res.json.error.field, undefined, `no error.field expected: ${ctx}`);
  else if (field !== undefined) assert.equal(res.json.error.field, field, `error.field: ${ctx}`);
}

// ---------------------------------------------------------------- metrics

/** Parses Prometheus text format 0.0.4 (throws on a malformed line). */
export function parseMetrics(text) {
  const samples = [];
  const types = {};
  const help = {};
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      let m;
      if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) types[m[1]] = m[2];
      else if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line))) help[m[1]] = m[2];
      else if (/^# (TYPE|HELP)\b/.test(line)) throw new Error(`malformed metadata line: ${line}`);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? ([^ ]+)( -?\d+)?$/.exec(line);
    if (!m) throw new Error(`malformed sample line: ${JSON.stringify(line)}`);
    const labels = {};
    if (m[3]) {
      const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;
      let pos = 0;
      const s = m[3];
      while (pos < s.length) {
        re.lastIndex = pos;
        const lm = re.exec(s);
        if (!lm) throw new Error(`malformed labels in: ${line}`);
        labels[lm[1]] = lm[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
        pos = re.lastIndex;
      }
    }
    const v = m[4];
    let value;
    if (v === '+Inf') value = Infinity;
    else if (v === '-Inf') value = -Infinity;
    else if (v === 'NaN') value = NaN;
    else {
      value = Number(v);
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) throw new Error(`bad value in: ${line}`);
    }
    samples.push({ name: m[1], labels, value });
  }
  return { samples, types, help };
}

/** Samples named name whose labels include every given label. */
export function findSamples(parsed, name, labels = {}) {
  return parsed.samples.filter((s) => s.name === name &&
    Object.entries(labels).every(([k, v]) => (v instanceof RegExp ? v.test(s.labels[k] ?? '') : s.labels[k] === v)));
}

/** Sum of the matching samples, or undefined when none match. */
export function sumMetric(parsed, name, labels = {}) {
  const ss = findSamples(parsed, name, labels);
  return ss.length ? ss.reduce((a, s) => a + s.value, 0) : undefined;
}

export async function getMetrics(srv) {
  const r = await api(srv, 'GET', '/metrics');
  assert.equal(r.status, 200, `/metrics: ${r.status} ${r.text.slice(0, 200)}`);
  return parseMetrics(r.text);
}

/** Polls until fn() returns a truthy value (returned) or throws after ms. */
export async function eventually(fn, ms = 3000, step = 50) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(step);
  }
}

// ---------------------------------------------------------------- SSE

/**
 * A spec-conforming EventSource-style parser (WHATWG HTML §9.2) fed with
 * text chunks. onEvent({id, event, data}), onComment(text), onRetry(ms).
 */
export function createSSEParser({ onEvent, onComment = () => {}, onRetry = () => {} }) {
  let buf = '';
  let first = true;
  let data = '';
  let type = '';
  let lastId = '';
  const line = (l) => {
    if (l === '') {
      if (data === '') {
        type = '';
        return;
      }
      const d = data.endsWith('\n') ? data.slice(0, -1) : data;
      onEvent({ id: lastId, event: type || 'message', data: d });
      data = '';
      type = '';
      return;
    }
    if (l.startsWith(':')) {
      onComment(l.slice(1).replace(/^ /, ''));
      return;
    }
    const i = l.indexOf(':');
    const field = i < 0 ? l : l.slice(0, i);
    let value = i < 0 ? '' : l.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data += value + '\n';
    else if (field === 'event') type = value;
    else if (field === 'id') {
      if (!value.includes('\0')) lastId = value;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value)) onRetry(Number(value));
    }
  };
  return {
    push(text, end = false) {
      buf += text;
      if (first && buf.length) {
        if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
        first = false;
      }
      let start = 0;
      for (let i = 0; i < buf.length; i++) {
        const c = buf[i];
        if (c === '\n' || c === '\r') {
          if (c === '\r' && i + 1 === buf.length && !end) break; // maybe \r\n split across chunks
          line(buf.slice(start, i));
          if (c === '\r' && buf[i + 1] === '\n') i++;
          start = i + 1;
        }
      }
      buf = buf.slice(start);
      // At end of stream an incomplete event is discarded (per spec).
    },
    get lastEventId() {
      return lastId;
    },
  };
}

/**
 * Opens an SSE stream with fetch. Resolves after the response headers with
 * {status, headers, next(timeoutMs), events (all received), comments (count),
 *  retry, raw (text so far), text (body when status is not 200), close(), ended}.
 * next() → {id, event, data (parsed JSON, or the text if not JSON), dataText};
 * it resolves null when the stream has ended and nothing is queued, and
 * rejects on timeout. ended resolves {error, aborted} when the stream ends.
 */
export async function openSSE(url, { lastEventId, headers = {}, timeoutMs = 10000 } = {}) {
  const ac = new AbortController();
  const h = { accept: 'text/event-stream', ...headers };
  if (lastEventId !== undefined && lastEventId !== null) h['last-event-id'] = String(lastEventId);
  const connectTimer = setTimeout(() => ac.abort(new Error('SSE connect timeout')), timeoutMs);
  const res = await fetch(url, { headers: h, signal: ac.signal });
  clearTimeout(connectTimer);
  const s = {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    events: [],
    comments: 0,
    commentTexts: [],
    retry: null,
    raw: '',
    text: null,
    isEnded: false,
  };
  const queue = [];
  let wake = null;
  let aborted = false;
  const parser = createSSEParser({
    onEvent(ev) {
      let parsed = ev.data;
      try {
        parsed = JSON.parse(ev.data);
      } catch {
        /* keep the text */
      }
      const e = { id: ev.id, event: ev.event, data: parsed, dataText: ev.data };
      s.events.push(e);
      queue.push(e);
      if (wake) wake();
    },
    onComment(c) {
      s.comments++;
      s.commentTexts.push(c);
    },
    onRetry(ms) {
      s.retry = ms;
    },
  });
  if (res.status !== 200) {
    s.text = await res.text();
    s.isEnded = true;
    s.ended = Promise.resolve({ error: null, aborted: false });
    s.next = async () => null;
    s.close = () => {};
    return s;
  }
  s.ended = (async () => {
    const reader = res.body.getReader();
    const dec = new TextDecoder('utf-8');
    let error = null;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const t = dec.decode(value, { stream: true });
        s.raw += t;
        parser.push(t);
      }
      parser.push(dec.decode(), true);
    } catch (e) {
      if (!aborted) error = e;
    }
    s.isEnded = true;
    if (wake) wake();
    return { error, aborted };
  })();
  s.next = (ms = 5000) =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        if (queue.length) return resolve(queue.shift()), true;
        if (s.isEnded) return resolve(null), true;
        return false;
      };
      if (attempt()) return;
      const timer = setTimeout(() => {
        wake = null;
        reject(new Error(`SSE ${url}: no event within ${ms} ms (received so far: ${s.events.map((e) => `${e.id}:${e.event}`).join(', ') || 'none'})`));
      }, ms);
      wake = () => {
        if (attempt()) {
          clearTimeout(timer);
          wake = null;
        }
      };
    });
  s.close = () => {
    aborted = true;
    ac.abort();
    return s.ended;
  };
  return s;
}

// ---------------------------------------------------------------- mail

function decodeWords(s) {
  // RFC 2047 encoded words; whitespace between adjacent encoded words is dropped.
  return s
    .replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, cs, enc, txt) => {
      let bytes;
      if (enc.toUpperCase() === 'B') bytes = Buffer.from(txt, 'base64');
      else bytes = qpBytes(txt.replace(/_/g, ' '));
      return decodeCharset(bytes, cs);
    });
}

function qpBytes(s) {
  const out = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      out.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(c, 'latin1')) out.push(b);
    }
  }
  return Buffer.from(out);
}

function decodeCharset(bytes, charset = 'utf-8') {
  try {
    return new TextDecoder((charset || 'utf-8').toLowerCase()).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

function headerParam(value, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*("([^"]*)"|[^;\\s]+)`, 'i').exec(value || '');
  return m ? (m[2] !== undefined ? m[2] : m[1]) : null;
}

function splitHeadBody(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  if (!m) return [raw, ''];
  return [raw.slice(0, m.index), raw.slice(m.index + m[0].length)];
}

function parseHeaders(head) {
  const headers = {};
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const l of unfolded.split(/\r?\n/)) {
    const i = l.indexOf(':');
    if (i <= 0) continue;
    const k = l.slice(0, i).trim().toLowerCase();
    // Raw 8-bit header bytes are taken as UTF-8 (RFC 6532); encoded words are decoded.
    const v = decodeWords(Buffer.from(l.slice(i + 1).trim(), 'latin1').toString('utf8'));
    if (k in headers) headers[k] = Array.isArray(headers[k]) ? [...headers[k], v] : [headers[k], v];
    else headers[k] = v;
  }
  return headers;
}

function decodeBody(body, headers) {
  const cte = String(headers['content-transfer-encoding'] || '7bit').toLowerCase();
  const charset = headerParam(headers['content-type'], 'charset') || 'utf-8';
  let bytes;
  if (cte === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (cte === 'quoted-printable') bytes = qpBytes(body);
  else bytes = Buffer.from(body, 'latin1');
  return decodeCharset(bytes, charset);
}

/** Parses one MIME entity (headers, body, parts). raw is a latin1 string of the bytes. */
function parseEntity(raw) {
  const [head, body] = splitHeadBody(raw);
  const headers = parseHeaders(head);
  const ctype = String(headers['content-type'] || 'text/plain').toLowerCase();
  const entity = { headers, type: ctype.split(';')[0].trim(), parts: [], text: null, html: null, attachments: [] };
  if (entity.type.startsWith('multipart/')) {
    const boundary = headerParam(headers['content-type'], 'boundary');
    if (boundary) {
      const delim = `--${boundary}`;
      const pieces = body.split(new RegExp(`\\r?\\n?${delim.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      // pieces[0] is the preamble; the one starting with "--" is the epilogue.
      for (const p of pieces.slice(1)) {
        if (p.startsWith('--')) break;
        entity.parts.push(parseEntity(p.replace(/^[ \t]*\r?\n/, '')));
      }
    }
    for (const p of entity.parts) {
      if (entity.text === null && p.text !== null) entity.text = p.text;
      if (entity.html === null && p.html !== null) entity.html = p.html;
      entity.attachments.push(...p.attachments);
    }
  } else {
    const disp = String(headers['content-disposition'] || '').toLowerCase();
    const decoded = decodeBody(body, headers);
    if (disp.startsWith('attachment') || !entity.type.startsWith('text/')) {
      entity.attachments.push({
        type: entity.type,
        filename: headerParam(headers['content-disposition'], 'filename') || headerParam(headers['content-type'], 'name'),
        headers,
        content: decoded,
      });
    } else if (entity.type === 'text/html') entity.html = decoded;
    else entity.text = decoded;
  }
  return entity;
}

/**
 * Parses an .eml message. → {headers (lower-case keys, RFC 2047 decoded),
 * text (first text/plain part, decoded), html, attachments, parts, raw}.
 */
export function parseEml(raw) {
  const str = Buffer.isBuffer(raw) ? raw.toString('latin1') : Buffer.from(raw, 'utf8').toString('latin1');
  const e = parseEntity(str);
  if (e.text === null && e.html !== null) e.text = e.html.replace(/<[^>]+>/g, '');
  return { headers: e.headers, text: e.text, html: e.html, attachments: e.attachments, parts: e.parts, raw: Buffer.isBuffer(raw) ? raw.toString('utf8') : raw };
}

function matches(value, want) {
  if (want === undefined || want === null) return true;
  const v = Array.isArray(value) ? value.join(', ') : String(value ?? '');
  return want instanceof RegExp ? want.test(v) : v.toLowerCase().includes(String(want).toLowerCase());
}

/**
 * Waits for a message in DATA/mail/*.eml whose To contains `to` and whose
 * Subject contains (or matches) `subject`; returns the newest such message,
 * parsed, with its file path. Pass `exclude` (a Set of file paths) to skip
 * messages already read.
 */
export async function readMail(dataDir, { to, subject, timeoutMs = 5000, exclude = null } = {}) {
  const dir = path.join(dataDir, 'mail');
  const end = Date.now() + timeoutMs;
  let seen = [];
  for (;;) {
    let files = [];
    try {
      files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
    } catch {
      /* not there yet */
    }
    const found = [];
    seen = [];
    for (const f of files) {
      const file = path.join(dir, f);
      if (exclude && exclude.has(file)) continue;
      let raw;
      let st;
      try {
        raw = fs.readFileSync(file);
        st = fs.statSync(file);
      } catch {
        continue;
      }
      const m = parseEml(raw);
      seen.push(`${f}: To=${m.headers.to} Subject=${m.headers.subject}`);
      if (matches(m.headers.to, to) && matches(m.headers.subject, subject)) found.push({ ...m, file, mtime: st.mtimeMs });
    }
    if (found.length) {
      found.sort((a, b) => b.mtime - a.mtime || (a.file < b.file ? 1 : -1));
      return found[0];
    }
    if (Date.now() > end) {
      throw new Error(`no mail to ${to} with subject ${subject} in ${dir} within ${timeoutMs} ms; present:\n${seen.join('\n') || '(none)'}`);
    }
    await sleep(50);
  }
}

// ---------------------------------------------------------------- CLI

/** Runs the binary with args → {code, signal, stdout, stderr}. */
export function runCli(args, { env = {}, bin = BIN, timeoutMs = 10000, input = null } = {}) {
  return new Promise((resolve, reject) => {
    const childEnv = { ...process.env };
    delete childEnv.OBRADY_LISTEN;
    delete childEnv.OBRADY_DATA;
    delete childEnv.OBRADY_DATABASE;
    Object.assign(childEnv, pgEnvFor(args, env), env);
    const p = spawn(bin, args, { env: childEnv, stdio: [input === null ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    p.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    if (input !== null) p.stdin.end(input);
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Security headers every response must carry (contract, "Headers on every response"). */
export const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(self), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), display-capture=()',
  'cross-origin-resource-policy': 'same-origin',
};

export function expectSecurityHeaders(res, { tls: isTls = false } = {}) {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) {
    assert.equal(res.headers[k], v, `header ${k} on ${res.status} response`);
  }
  if (isTls) assert.equal(res.headers['strict-transport-security'], 'max-age=31536000', 'HSTS under TLS');
}

/** Regex for the request log line of METHOD path status (any duration). */
export function logLineRe(method, p, status) {
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|\\s)${esc(method)} ${esc(p)} ${status} \\d+(\\.\\d+)?ms\\b`);
}

/**
 * A small web dir with one file of each type the static handler knows, plus
 * hidden files that must never be served. Returns its path (remove it after).
 */
export function makeWebFixture() {
  const dir = freeTmpDir('obrady-web-');
  const files = {
    'index.html': '<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>obrady-fixture-index</title></head><body>Zażółć gęślą jaźń</body></html>\n',
    'js/app.js': 'export const answer = 42; // ąę\n',
    'css/site.css': 'body { color: #123; } /* ż */\n',
    'i18n/pl.json': '{"hello":"Dzień dobry"}\n',
    'img/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n',
    'img/pixel.png': Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
    'favicon.ico': Buffer.from([0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 32, 0]),
    'fonts/x.woff2': Buffer.from([0x77, 0x4f, 0x46, 0x32, 0, 1, 0, 0]),
    'robots.txt': 'User-agent: *\nDisallow:\n',
    '.git/config': '[core]\n\tsecret = fixture-git-secret\n',
    '.hidden.txt': 'fixture-hidden-secret\n',
    'js/.env': 'fixture-env-secret\n',
  };
  for (const [name, content] of Object.entries(files)) {
    const f = path.join(dir, name);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, content);
  }
  return dir;
}

// ---------------------------------------------------------------- sign-in, users, demo
//
//   const srv = await startDemo();
//   const admin = await signIn(srv, DEMO.admin);        // code read from DATA/mail
//   const r = await admin.api('POST', '/api/orgs', { name: 'X' });  // cookie + Origin
//   await newUser(srv, 'boss@example.org', { admin: true });

export const SESSION_COOKIE = 'obrady_session';

/** What `obrady serve --demo` creates (src/ops/demo.c). */
export const DEMO = {
  orgName: 'Gmina Przykładowo',
  bodyName: 'Rada Gminy Przykładowo',
  domain: 'przykladowo.example',
  admin: 'admin@przykladowo.example', // organisation admin and instance admin
  operator: 'biuro@przykladowo.example',
  chair: 'przewodniczaca@przykladowo.example',
  vice: 'radny01@przykladowo.example', // vice-chair
  /** radny01..radny14 (radny01 is the vice-chair). */
  member: (n = 2) => `radny${String(n).padStart(2, '0')}@przykladowo.example`,
  memberCount: 15,
};

/** The demo council's 15 members: the chair, then radny01..radny14. */
export const DEMO_MEMBERS = [DEMO.chair, ...Array.from({ length: 14 }, (_, i) => DEMO.member(i + 1))];

/** Awaits a response that must be 2xx → its JSON; otherwise fails naming what. */
export async function ok(resP, what) {
  const r = await resP;
  assert.ok(r.status >= 200 && r.status < 300, `${what}: ${r.status} ${r.text}`);
  return r.json;
}

/** Starts `obrady serve --demo-bare` (same options as startServer), or with
 *  `meetings: true` `--demo`, which also makes the demo's two meetings. */
export function startDemo({ meetings = false, ...opts } = {}) {
  return startServer({ ...opts, args: [meetings ? '--demo' : '--demo-bare', ...(opts.args || [])] });
}

/**
 * Parses Set-Cookie header value(s) → [{name, value, attrs}] where attrs has
 * lower-case keys (flags such as httponly map to true).
 */
export function parseSetCookie(header) {
  const list = header === undefined || header === null ? [] : Array.isArray(header) ? header : [header];
  return list.map((h) => {
    const [nv, ...rest] = h.split(';');
    const i = nv.indexOf('=');
    const attrs = {};
    for (const a of rest) {
      const j = a.indexOf('=');
      if (j < 0) attrs[a.trim().toLowerCase()] = true;
      else attrs[a.slice(0, j).trim().toLowerCase()] = a.slice(j + 1).trim();
    }
    return { name: nv.slice(0, i).trim(), value: nv.slice(i + 1).trim(), attrs };
  });
}

/** The session cookie a response sets: {value, attrs}, or null when none. */
export function sessionCookieOf(res) {
  return parseSetCookie(res.headers['set-cookie']).find((c) => c.name === SESSION_COOKIE) || null;
}

/** The .eml files in DATA/mail now, as a Set of paths (for readMail's exclude). */
export function mailFiles(dataDir) {
  const dir = path.join(dataDir, 'mail');
  try {
    return new Set(fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => path.join(dir, f)));
  } catch {
    return new Set();
  }
}

/** The 6-digit sign-in code in a text, or null. */
export function extractCode(text) {
  const m = /(?:^|\D)(\d{6})(?:\D|$)/.exec(text || '');
  return m ? m[1] : null;
}

/** POST /api/auth/code {email[, lang]} → the response. */
export function requestCode(srv, email, { lang, headers = {} } = {}) {
  const body = { email };
  if (lang) body.lang = lang;
  return api(srv, 'POST', '/api/auth/code', body, { headers });
}

const STDOUT_CODE_RE = (email) =>
  new RegExp(`sign-in code for ${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d{6})\\b`);

/**
 * Requests a sign-in code for email (asserting 202) and returns it:
 * {code, mail (parsed message, via 'mail'), res}. via: 'mail' (default: the
 * newest message to email that arrived after the request, in DATA/mail) or
 * 'stdout' (the line the file transport echoes on the console).
 */
export async function fetchCode(srv, email, { via = 'mail', timeoutMs = 8000, lang } = {}) {
  const before = via === 'mail' ? mailFiles(srv.dataDir) : null;
  const outFrom = srv.stdout().length;
  const res = await requestCode(srv, email, { lang });
  assert.equal(res.status, 202, `POST /api/auth/code for ${email}: ${res.status} ${res.text}`);
  if (via === 'stdout') {
    const re = STDOUT_CODE_RE(email);
    const end = Date.now() + timeoutMs;
    for (;;) {
      const lines = srv.stdout().slice(outFrom);
      for (const l of lines) {
        const m = re.exec(l);
        if (m) return { code: m[1], mail: null, res };
      }
      if (Date.now() > end) throw new Error(`no sign-in code for ${email} on stdout within ${timeoutMs} ms`);
      await sleep(20);
    }
  }
  // The code is made after the answer (a worker): wait for the sign-in mail itself, not
  // another mail to the same person that happens to arrive first.
  const mail = await readMail(srv.dataDir, { to: email, subject: /kod logowania|sign-in code/i, exclude: before, timeoutMs });
  const code = extractCode(mail.text);
  assert.ok(code, `no 6-digit code in the mail to ${email}:\n${mail.text}`);
  return { code, mail, res };
}

/**
 * A signed-in client: {srv, cookie, user, email, api(method, path, body, opts),
 * get/post/patch/del(path, body, opts), me()}. api() adds the session cookie
 * (and, through lib's api(), the Origin header on state-changing requests).
 */
export function makeClient(srv, cookie, user = null) {
  const c = {
    srv,
    cookie,
    user,
    email: user ? user.email : null,
    api(method, p, body, opts = {}) {
      const headers = { ...(opts.headers || {}) };
      if (c.cookie && !Object.keys(headers).some((k) => k.toLowerCase() === 'cookie')) {
        headers.cookie = `${SESSION_COOKIE}=${c.cookie}`;
      }
      return api(srv, method, p, body, { ...opts, headers });
    },
    get: (p, opts) => c.api('GET', p, undefined, opts),
    post: (p, body, opts) => c.api('POST', p, body, opts),
    patch: (p, body, opts) => c.api('PATCH', p, body, opts),
    del: (p, opts) => c.api('DELETE', p, undefined, opts),
    me: () => c.api('GET', '/api/me'),
  };
  return c;
}

/** An anonymous client (no cookie) with the same interface as makeClient's. */
export function anonymous(srv) {
  return makeClient(srv, null, null);
}

/**
 * Signs email in: requests a code, reads it (fetchCode; via 'mail' by default),
 * POST /api/auth/session (asserting 200 and the cookie). When the account has
 * TOTP, pass totp: a base32 secret (a code for the next step is computed) or a
 * code string; without it the returned client's session is still pending
 * (client.totpRequired is true).
 */
export async function signIn(srv, email, { via = 'mail', totp = null, timeoutMs = 8000 } = {}) {
  const { code } = await fetchCode(srv, email, { via, timeoutMs });
  const res = await api(srv, 'POST', '/api/auth/session', { email, code });
  assert.equal(res.status, 200, `sign-in of ${email}: ${res.status} ${res.text}`);
  const ck = sessionCookieOf(res);
  assert.ok(ck && ck.value, `sign-in of ${email} set no ${SESSION_COOKIE} cookie`);
  const c = makeClient(srv, ck.value, res.json.user);
  c.totpRequired = !!res.json.totp_required;
  c.signInResponse = res;
  if (c.totpRequired && totp) {
    const t = totp.length >= 16 ? totpCode(totp, { step: totpStep() + 1 }) : totp;
    const r = await c.post('/api/auth/totp', { code: t });
    assert.equal(r.status, 200, `TOTP step of ${email}: ${r.status} ${r.text}`);
    c.totpRequired = false;
  }
  return c;
}

/** fn(i) for i in 0..n-1, at most concurrency at a time → results in order. */
export async function mapPool(n, concurrency, fn) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

/** Signs several addresses in at once → array of clients in the same order. */
export function signInAll(srv, emails, opts) {
  return Promise.all(emails.map((e) => signIn(srv, e, opts)));
}

/**
 * `obrady user add [--admin] EMAIL [--name NAME] --data DIR` (srv or a data dir);
 * asserts exit 0 → {email, stdout}.
 */
export async function newUser(srvOrDir, email, { admin = false, name = null } = {}) {
  const dataDir = typeof srvOrDir === 'string' ? srvOrDir : srvOrDir.dataDir;
  const args = ['user', 'add'];
  if (admin) args.push('--admin');
  args.push(email);
  if (name) args.push('--name', name);
  args.push('--data', dataDir);
  const r = await runCli(args);
  assert.equal(r.code, 0, `obrady ${args.join(' ')}: exit ${r.code}\n${r.stdout}${r.stderr}`);
  return { email, stdout: r.stdout };
}

/** The demo organisation's and council's ids, looked up by the demo admin's client. */
export async function demoIds(adminClient) {
  const me = await adminClient.me();
  assert.equal(me.status, 200, `/api/me: ${me.status} ${me.text}`);
  const staff = me.json.staff.find((s) => s.org_name === DEMO.orgName);
  assert.ok(staff, `the demo admin is not staff of ${DEMO.orgName}: ${me.text}`);
  const b = await adminClient.get(`/api/orgs/${staff.org_id}/bodies`);
  assert.equal(b.status, 200, `bodies: ${b.status} ${b.text}`);
  const body = b.json.bodies.find((x) => x.name === DEMO.bodyName);
  assert.ok(body, `no body ${DEMO.bodyName}: ${b.text}`);
  return { orgId: staff.org_id, bodyId: body.id };
}

/**
 * Runs SQL on the server's database with the sqlite3 CLI (waits up to 5 s for
 * the write lock), or with psql in PostgreSQL mode → stdout, trimmed. Throws on failure.
 */
export function sql(srvOrDir, statement) {
  const dataDir = typeof srvOrDir === 'string' ? srvOrDir : srvOrDir.dataDir;
  const pgUrl = pgDatabases.get(dataDir);
  if (pgUrl) return Promise.resolve().then(() => psql(pgUrl, statement, { tuples: true }).trim());
  const db = path.join(dataDir, 'obrady.db');
  return new Promise((resolve, reject) => {
    const p = spawn('sqlite3', ['-batch', '-cmd', '.timeout 5000', db, statement], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    p.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code === 0 && !/Error/.test(err)) resolve(out.trim());
      else reject(new Error(`sqlite3 ${statement}: exit ${code} ${err}`));
    });
  });
}

/** SQL string literal. */
export const sqlq = (s) => `'${String(s).replace(/'/g, "''")}'`;

// ---------------------------------------------------------------- TOTP (RFC 6238)

/** RFC 4648 base32 decode (case-insensitive, spaces and '=' ignored). */
export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = s.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP of a key (Buffer) at counter → a 6-digit string. */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The 30-second TOTP step at timeMs. */
export const totpStep = (timeMs = Date.now()) => Math.floor(timeMs / 30000);

/** The TOTP code of a base32 secret at step (default: the current step). */
export function totpCode(secretB32, { step = totpStep() } = {}) {
  return hotp(base32Decode(secretB32), step);
}

/** A well-formed object id (20 lowercase Crockford base32 characters) that names nothing. */
export function fakeId() {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  return [...crypto.randomBytes(20)].map((b) => alphabet[b & 31]).join('');
}

// ---------------------------------------------------------------- meetings
//
//   const m = await createMeeting(op, bodyId, { title: 'XXVI Sesja' });
//   const evs = await readEvents(op, m.id, { since: 0 });   // [{seq, type, actor, payload, hash}]
//   const cal = mailPart(mail, 'text/calendar');            // {headers, text}

/** POST /api/bodies/{bodyId}/meetings (defaults filled in), asserting 201 → the meeting. */
export async function createMeeting(client, bodyId, fields = {}) {
  const body = { title: 'Sesja testowa', number: 'I', starts_at: '2031-05-01T17:00:00+02:00', mode: 'hybrid', place: 'Sala sesyjna', ...fields };
  const r = await client.post(`/api/bodies/${bodyId}/meetings`, body);
  assert.equal(r.status, 201, `create meeting: ${r.status} ${r.text}`);
  return r.json;
}

/** The first MIME part (depth first) of a parsed mail whose type is type, or null. */
export function mailPart(mail, type) {
  const walk = (parts) => {
    for (const p of parts || []) {
      if (p.type === type) return p;
      const q = walk(p.parts);
      if (q) return q;
    }
    return null;
  };
  return walk(mail.parts);
}

/** Every .eml in DATA/mail not in exclude, parsed, with its file path. */
export function newMails(dataDir, exclude = new Set()) {
  return [...mailFiles(dataDir)].filter((f) => !exclude.has(f)).map((f) => ({ ...parseEml(fs.readFileSync(f)), file: f }));
}

/**
 * Reads a meeting's event stream (GET /api/meetings/{id}/events?since=) as
 * the client (a signed-in client, or srv/anonymous for the public view) sees
 * it → [{seq, type, actor, ts, payload, hash}]. Stops at the first event with
 * seq >= untilSeq, or (without untilSeq) after quietMs without an event;
 * throws after timeoutMs. Asserts that the stream opens with 200.
 */
export async function readEvents(client, meetingId, { since = 0, untilSeq = null, untilType = null, quietMs = 400, timeoutMs = 8000 } = {}) {
  const srv = client.srv || client;
  const headers = client.cookie ? { cookie: `${SESSION_COOKIE}=${client.cookie}` } : {};
  const s = await openSSE(`${srv.url}/api/meetings/${meetingId}/events?since=${since}`, { headers });
  assert.equal(s.status, 200, `events of ${meetingId}: ${s.status} ${s.text}`);
  const out = [];
  const end = Date.now() + timeoutMs;
  try {
    for (;;) {
      const left = end - Date.now();
      const wait = untilSeq === null && untilType === null ? Math.min(quietMs, left) : left;
      if (left <= 0) throw new Error(`events of ${meetingId}: not done within ${timeoutMs} ms; got ${out.map((e) => `${e.seq}:${e.type}`).join(', ')}`);
      let ev;
      try {
        ev = await s.next(wait);
      } catch (e) {
        if (untilSeq === null && untilType === null) break; // quiet: done
        throw new Error(`${e.message}; wanted ${untilSeq !== null ? `seq ${untilSeq}` : untilType}`);
      }
      if (!ev) break;
      out.push({ ...ev.data, id: ev.id, event: ev.event });
      if (untilSeq !== null && ev.data.seq >= untilSeq) break;
      if (untilType !== null && ev.data.type === untilType) break;
    }
  } finally {
    await s.close();
  }
  return out;
}

/** Signs many addresses in (codes read from stdout), at most `concurrency` at a time → clients in order. */
export async function signInMany(srv, emails, { concurrency = 16 } = {}) {
  const out = new Array(emails.length);
  let next = 0;
  const worker = async () => {
    while (next < emails.length) {
      const i = next++;
      out[i] = await signIn(srv, emails[i], { via: 'stdout' });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, emails.length) }, worker));
  return out;
}

/** The p-th percentile (0..100, nearest rank) of numbers. */
export function percentile(values, p) {
  const a = [...values].sort((x, y) => x - y);
  if (!a.length) return NaN;
  const k = Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1));
  return a[k];
}

/** A batch of n fake Opus packets (20 ms each) from sequence number seq0, as the console sends them (docs/audio.md). */
export function audioBatch(seq0, n, { plen = 60, first = 0xf8 } = {}) {
  const parts = [Buffer.from('OBA1')];
  for (let k = 0; k < n; k++) {
    const h = Buffer.alloc(14);
    h.writeUInt32BE(seq0 + k, 0);
    h.writeBigUInt64BE(BigInt((seq0 + k) * 20000), 4);
    h.writeUInt16BE(plen, 12);
    const p = Buffer.alloc(plen, 7);
    p[0] = first;
    parts.push(h, p);
  }
  return Buffer.concat(parts);
}
