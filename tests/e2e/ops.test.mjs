// ops.test.mjs — running obrady as a service (issue 19): the /metrics series
// operators chart (latency by route, ballots, outbox, scheduler lag), JSON
// log lines, SIGHUP re-reading the safe settings, systemd readiness
// (Type=notify), and the packaged config file matching the keys the
// program knows.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  DEMO, REPO, api, createMeeting, demoIds, eventually, findSamples, freeTmpDir, getMetrics, ok, signIn, sleep,
  startDemo, startServer, stopAll, sumMetric,
} from './lib.mjs';

after(stopAll);

test('/metrics: latency by route pattern, ballots, outbox and scheduler series', async (t) => {
  const srv = await startDemo({ args: [] });
  t.after(() => srv.stop());
  const [op, member] = [await signIn(srv, DEMO.operator), await signIn(srv, DEMO.member(2))];
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId);
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'attendance check');
  await ok(member.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present');
  await sleep(1500); // the check's deadline runs through the scheduler
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała', duration_s: 60 }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  const before = sumMetric(await getMetrics(srv), 'obrady_ballots_total');
  await ok(member.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'ballot');

  const mx = await eventually(async () => {
    const x = await getMetrics(srv);
    assert.equal(sumMetric(x, 'obrady_ballots_total'), before + 1);
    assert.ok(sumMetric(x, 'obrady_scheduler_deadlines_total') >= 1, 'the attendance deadline ran');
    return x;
  }, 5000);
  // Latency histograms carry the route pattern, never the raw path.
  const route = '/api/votes/{id}/ballots';
  const buckets = findSamples(mx, 'obrady_http_request_duration_seconds_bucket', { route });
  assert.ok(buckets.length > 1, 'buckets for the ballot route');
  assert.equal(findSamples(mx, 'obrady_http_request_duration_seconds_count', { route })[0].value, 1);
  assert.ok(!mx.samples.some((s) => Object.values(s.labels || {}).some((l) => l.includes(v.id))), 'no ids in labels');
  assert.equal(mx.types.obrady_outbox_pending, 'gauge');
  assert.ok(sumMetric(mx, 'obrady_outbox_pending') >= 0);
  assert.equal(sumMetric(mx, 'obrady_outbox_failed'), 0);
  assert.equal(mx.types.obrady_mail_attempt_failures_total, 'counter');
  assert.ok(sumMetric(mx, 'obrady_http_requests_in_flight') >= 1, 'the /metrics request itself is in flight');
  const lag = sumMetric(mx, 'obrady_scheduler_lag_seconds');
  assert.ok(lag >= 0 && lag < 30, `scheduler lag ${lag}`);
});

test('log_format = json writes one JSON object per line', async (t) => {
  const srv = await startServer({ config: { log_format: 'json' } });
  t.after(() => srv.stop());
  await api(srv, 'GET', '/healthz?x=%C3%28');
  const line = await srv.waitForLog(/"msg":"GET \/healthz 200 /);
  const j = JSON.parse(line);
  assert.equal(j.level, 'info');
  assert.match(j.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(j.msg, / from 127\.0\.0\.1$/);
  assert.deepEqual([j.method, j.path, j.status, j.client], ['GET', '/healthz', 200, '127.0.0.1'], 'request fields');
  assert.equal(typeof j.ms, 'number');
  // A hostile path (a quote, a backslash, broken UTF-8) still gives valid JSON.
  await api(srv, 'GET', '/x%22%5C%C3%28y');
  const bad = JSON.parse(await srv.waitForLog(/"status":404/));
  assert.equal(bad.path, '/x"\\?(y');
  for (const l of srv.logs().filter((x) => x.startsWith('{'))) JSON.parse(l); // every one parses
});

test('SIGHUP re-reads log_level, log_format and trusted_proxies; a broken file changes nothing', async (t) => {
  const srv = await startServer({ config: { log_level: 'info' } });
  t.after(() => srv.stop());
  const xff = { headers: { 'x-forwarded-for': '203.0.113.9' } };
  await api(srv, 'GET', '/healthz', undefined, xff);
  await srv.waitForLog(/GET \/healthz 200 [\d.]+ms from 127\.0\.0\.1$/);
  fs.writeFileSync(srv.configFile, 'log_level = info\nlog_format = json\ntrusted_proxies = 127.0.0.1\n');
  let from = srv.logs().length;
  srv.proc.kill('SIGHUP');
  await srv.waitForLog(/reload: log_level info, log_format json, trusted_proxies \\?"127\.0\.0\.1/, 5000, { from });
  await api(srv, 'GET', '/healthz', undefined, xff);
  const l = JSON.parse(await srv.waitForLog(/"msg":"GET \/healthz 200 /, 5000, { from }));
  assert.match(l.msg, /from 203\.0\.113\.9$/, 'the forwarded address is believed now');
  fs.writeFileSync(srv.configFile, 'log_level = loud\n');
  from = srv.logs().length;
  srv.proc.kill('SIGHUP');
  await srv.waitForLog(/config file has errors; nothing changed/, 5000, { from });
  fs.writeFileSync(srv.configFile, 'log_level = warn\n');
  from = srv.logs().length;
  srv.proc.kill('SIGHUP');
  await sleep(300);
  await api(srv, 'GET', '/healthz');
  await sleep(300);
  assert.ok(!srv.logs().slice(from).some((x) => /GET \/healthz/.test(x)), 'info lines are dropped at warn');
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200, 'still serving');
});

test('started by systemd (NOTIFY_SOCKET) it reports READY=1 once listening, STOPPING=1 on the way out', async (t) => {
  const dir = freeTmpDir('obrady-notify-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sock = path.join(dir, 'notify.sock');
  const py = spawn('python3', ['-c', `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
for _ in range(2):
    print(s.recv(4096).decode(), flush=True)
`, sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  let got = '';
  py.stdout.on('data', (d) => { got += d; });
  await eventually(() => got.includes('bound'), 5000);
  const srv = await startServer({ env: { NOTIFY_SOCKET: sock } });
  await eventually(() => got.includes('READY=1'), 5000);
  await srv.stop();
  await eventually(() => got.includes('STOPPING=1'), 5000);
  py.kill();
});

test('the packaged obrady.conf lists every key the program knows, and loads with all of them set', async (t) => {
  const src = fs.readFileSync(path.join(REPO, 'src', 'ops', 'config.c'), 'utf8');
  const keys = [...src.matchAll(/!strcmp\(key, "([a-z_]+)"\)/g)].map((x) => x[1]);
  assert.ok(keys.length >= 20, `found the keys of config_set: ${keys}`);
  const conf = fs.readFileSync(path.join(REPO, 'debian', 'obrady.conf'), 'utf8');
  const missing = keys.filter((k) => !new RegExp(`^#?${k} =`, 'm').test(conf));
  assert.deepEqual(missing, [], `debian/obrady.conf lacks these keys of src/ops/config.c: ${missing.join(', ')}`);
  const unknown = [...conf.matchAll(/^#?([a-z_]+) =/gm)].map((x) => x[1]).filter((k) => !keys.includes(k));
  assert.deepEqual(unknown, [], `debian/obrady.conf has keys the program does not know: ${unknown.join(', ')}`);
  // Every example value is valid: uncomment them all and start on it.
  const dir = freeTmpDir('obrady-conf-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const all = conf.replace(/^#([a-z_]+ =)/gm, '$1');
  const file = path.join(dir, 'all.conf');
  fs.writeFileSync(file, all);
  const srv = await startServer({ args: ['--config', file] }); // --listen/--data/--web flags override
  t.after(() => srv.stop());
  assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
});

test('docs/grafana-dashboard.json charts only series that /metrics has', async (t) => {
  const dash = JSON.parse(fs.readFileSync(path.join(REPO, 'docs', 'grafana-dashboard.json'), 'utf8'));
  const exprs = dash.panels.flatMap((p) => p.targets.map((x) => x.expr));
  assert.ok(exprs.length >= 9, 'a panel per concern');
  const used = new Set(exprs.flatMap((e) => e.match(/obrady_[a-z_]+/g) || []));
  const srv = await startServer();
  t.after(() => srv.stop());
  await api(srv, 'GET', '/healthz');
  // The request's series appear when MHD completes it, just after the
  // client has its reply: read until they are there (or time runs out).
  let missing = [];
  await eventually(async () => {
    const have = new Set((await getMetrics(srv)).samples.map((s) => s.name));
    missing = [...used].filter((n) => !have.has(n));
    return missing.length === 0;
  }).catch(() => {}); /* the assertion below names what is missing */
  assert.deepEqual(missing, [], `the dashboard uses series /metrics lacks: ${missing.join(', ')}`);
});
