// GET /metrics: Prometheus text format 0.0.4 and the foundation's series.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, stopAll, api, openSSE, getMetrics, parseMetrics, findSamples, sumMetric, eventually,
} from './lib.mjs';

after(stopAll);

const REQ = 'obrady_http_requests_total';
const DUR = 'obrady_http_request_duration_seconds';

test('text format 0.0.4 with every foundation series typed', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  await api(srv, 'GET', '/healthz');
  const r = await api(srv, 'GET', '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /^text\/plain\b/);
  assert.match(r.headers['content-type'], /version=0\.0\.4/);
  assert.ok(r.text.endsWith('\n'), 'ends with a newline');
  const m = parseMetrics(r.text); // throws on any malformed line
  assert.equal(m.types[REQ], 'counter');
  assert.equal(m.types[DUR], 'histogram');
  assert.equal(m.types.obrady_sse_streams_open, 'gauge');
  assert.equal(m.types.obrady_hub_ring_bytes, 'gauge');
  assert.equal(m.types.obrady_events_appended_total, 'counter');
  assert.equal(m.types.obrady_client_errors_total, 'counter');
  // Every sample belongs to a declared family (histograms through _bucket/_sum/_count).
  for (const s of m.samples) {
    const family = s.name.replace(/_(bucket|sum|count)$/, '');
    assert.ok(m.types[s.name] || m.types[family] === 'histogram' || m.types[family] === 'summary',
      `sample ${s.name} has a # TYPE`);
  }
  // Request counters carry method, route and status.
  for (const s of findSamples(m, REQ)) {
    assert.deepEqual(Object.keys(s.labels).sort(), ['method', 'route', 'status']);
    assert.match(s.labels.status, /^[1-5]\d\d$/);
  }
  assert.ok(findSamples(m, REQ, { method: 'GET', route: '/healthz', status: '200' }).length === 1,
    'GET /healthz 200 is counted under route "/healthz"');
  assert.ok(sumMetric(m, 'obrady_events_appended_total') >= 1, 'server.started was appended');
  assert.equal(sumMetric(m, 'obrady_sse_streams_open'), 0);
  assert.equal(sumMetric(m, 'obrady_hub_ring_bytes'), 0, 'nobody follows a log: no events kept');
  assert.equal(sumMetric(m, 'obrady_client_errors_total'), 0);
});

test('request counters move by exactly the requests made', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const labels = { method: 'GET', route: '/healthz', status: '200' };
  const before = sumMetric(await getMetrics(srv), REQ, labels) ?? 0;
  for (let i = 0; i < 5; i++) assert.equal((await api(srv, 'GET', '/healthz')).status, 200);
  await eventually(async () => sumMetric(await getMetrics(srv), REQ, labels) === before + 5);
  // 404s of unknown API paths are counted, under a route label that does not
  // copy the raw path (bounded cardinality).
  await api(srv, 'GET', '/api/nope-aaa');
  await api(srv, 'GET', '/api/nope-bbb');
  const m = await eventually(async () => {
    const mm = await getMetrics(srv);
    return sumMetric(mm, REQ, { method: 'GET', status: '404' }) >= 2 ? mm : null;
  });
  assert.equal(findSamples(m, REQ).filter((s) => /nope-/.test(s.labels.route)).length, 0,
    'raw unknown paths do not become route labels');
  // The metrics endpoint counts itself too.
  assert.ok(sumMetric(m, REQ, { method: 'GET', route: '/metrics', status: '200' }) >= 1);
});

test('duration histogram: cumulative buckets, +Inf = _count, _sum >= 0, counts grow', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  for (let i = 0; i < 3; i++) await api(srv, 'GET', '/healthz');
  // A request is observed when MHD completes it, just after the client has
  // its reply: wait for the three before reading the histogram's shape.
  const m = await eventually(async () => {
    const mm = await getMetrics(srv);
    return findSamples(mm, `${DUR}_count`).reduce((a, s) => a + s.value, 0) >= 3 ? mm : null;
  });
  const buckets = findSamples(m, `${DUR}_bucket`);
  assert.ok(buckets.length > 0, 'has buckets');
  // Group by the labels other than le.
  const groups = new Map();
  for (const b of buckets) {
    assert.ok('le' in b.labels, 'bucket has le');
    const { le, ...rest } = b.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    if (!groups.has(key)) groups.set(key, { rest, bs: [] });
    groups.get(key).bs.push({ le: le === '+Inf' ? Infinity : Number(le), v: b.value });
  }
  let total = 0;
  for (const { rest, bs } of groups.values()) {
    const les = bs.map((b) => b.le);
    assert.deepEqual(les, [...les].sort((a, b) => a - b), 'buckets listed in increasing le');
    assert.equal(les[les.length - 1], Infinity, 'last bucket is +Inf');
    assert.equal(new Set(les).size, les.length, 'no duplicate le');
    for (let i = 1; i < bs.length; i++) assert.ok(bs[i].v >= bs[i - 1].v, `cumulative: ${JSON.stringify(bs)}`);
    const count = findSamples(m, `${DUR}_count`, rest);
    const sum = findSamples(m, `${DUR}_sum`, rest);
    assert.equal(count.length, 1, '_count present');
    assert.equal(sum.length, 1, '_sum present');
    assert.equal(count[0].value, bs[bs.length - 1].v, '+Inf bucket = _count');
    assert.ok(sum[0].value >= 0);
    total += count[0].value;
  }
  assert.ok(total >= 3, 'the requests were observed');
  for (let i = 0; i < 4; i++) await api(srv, 'GET', '/healthz');
  await eventually(async () => {
    const mm = await getMetrics(srv);
    return findSamples(mm, `${DUR}_count`).reduce((a, s) => a + s.value, 0) >= total + 4;
  });
});

test('obrady_sse_streams_open goes up while streams are open and down after', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const gauge = async () => sumMetric(await getMetrics(srv), 'obrady_sse_streams_open');
  assert.equal(await gauge(), 0);
  const a = await openSSE(`${srv.url}/api/live`);
  t.after(() => a.close());
  assert.equal(a.status, 200);
  await a.next(3000); // connected and served
  await eventually(async () => (await gauge()) === 1);
  const b = await openSSE(`${srv.url}/api/live`);
  t.after(() => b.close());
  await b.next(3000);
  await eventually(async () => (await gauge()) === 2);
  await a.close();
  // A vanished client is noticed by the probe of idle streams (every 2 s),
  // not only when the next heartbeat (every 15 s) fails to reach it.
  await eventually(async () => (await gauge()) === 1, 10000, 250);
  // The stream still open gets its heartbeat comments.
  await eventually(() => b.comments >= 1, 20000, 250).catch(() => assert.fail('heartbeat comment received within 20 s'));
  assert.ok(b.commentTexts.includes('hb'), `heartbeat is ": hb" (got ${JSON.stringify(b.commentTexts)})`);
  assert.match(b.raw, /\n: hb\n\n/);
  assert.equal(b.isEnded, false);
});

test('obrady_client_errors_total counts accepted reports', async (t) => {
  const srv = await startServer();
  t.after(() => srv.stop());
  const get = async () => sumMetric(await getMetrics(srv), 'obrady_client_errors_total');
  assert.equal(await get(), 0);
  assert.equal((await api(srv, 'POST', '/api/client-errors', { message: 'one' })).status, 204);
  assert.equal((await api(srv, 'POST', '/api/client-errors', { message: 'two' })).status, 204);
  await eventually(async () => (await get()) === 2);
});

test('the meeting-state cache gauges: meetings kept, the started ones, their bytes', async (t) => {
  const { startDemo, signIn, demoIds, DEMO, createMeeting, ok } = await import('./lib.mjs');
  const srv = await startDemo();
  t.after(() => srv.stop());
  const before = await getMetrics(srv);
  for (const name of ['obrady_meeting_cache_meetings', 'obrady_meeting_cache_live', 'obrady_meeting_cache_bytes'])
    assert.equal(before.types[name], 'gauge', name);
  const op = await signIn(srv, DEMO.operator);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja metryk' });
  await ok(op.get(`/api/meetings/${m.id}/state`), 'state of a draft');
  const drafted = await getMetrics(srv);
  const live0 = sumMetric(drafted, 'obrady_meeting_cache_live');
  assert.ok(sumMetric(drafted, 'obrady_meeting_cache_meetings') >= 1, 'the draft is kept');
  assert.ok(sumMetric(drafted, 'obrady_meeting_cache_bytes') > 0);
  await ok(op.post(`/api/meetings/${m.id}/start`, {}), 'start');
  await ok(op.get(`/api/meetings/${m.id}/state`), 'state of the started meeting');
  const started = await getMetrics(srv);
  assert.equal(sumMetric(started, 'obrady_meeting_cache_live'), live0 + 1, 'counted as live once started');
});
