// pg_files.test.mjs — files on PostgreSQL (issue 12, item 6): two nodes with
// separate --data directories share one database and no file system. A
// document uploaded through one is downloaded through the other with the same
// bytes (kept in the database as 256 KiB chunks), the 20 MiB limit holds on
// either, stored bytes that do not match their hash are refused, and a
// protocol PDF rendered by one node is served by the other from the database.
// PostgreSQL mode only (make test-e2e-pg sets OBRADY_E2E_PG).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  PG_BASE, DEMO, startServer, stopAll, freeTmpDir, signIn, pgDatabaseFor, demoIds, createMeeting,
  makeClient, expectError,
} from './lib.mjs';

after(stopAll);
const skip = PG_BASE ? false : 'PostgreSQL mode only (make test-e2e-pg)';

function psql(url, statement) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', statement],
    { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, `psql ${statement}: ${r.stderr}`);
  return r.stdout.trim();
}

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
const pdf = (n) => Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(n), Buffer.from('\n%%EOF\n')]);
const CHUNK = 256 * 1024;

function upload(client, meetingId, bytes, name, opts = {}) {
  return client.api('POST', `/api/meetings/${meetingId}/documents`, bytes, {
    raw: true, timeoutMs: 60000, ...opts, headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent(name) },
  });
}

/** Node A (with the demo) and node B on the same database, each with its own
 * data directory; B gets A's keys, as every node of an installation must. */
async function twoNodes(t) {
  const dataA = freeTmpDir();
  const dataB = freeTmpDir();
  const url = pgDatabaseFor(dataA);
  const a = await startServer({ dataDir: dataA, args: ['--demo'] });
  t.after(() => a.stop());
  for (const key of ['secret.key', 'signing.key']) {
    if (fs.existsSync(path.join(dataA, key))) fs.copyFileSync(path.join(dataA, key), path.join(dataB, key));
  }
  const b = await startServer({ dataDir: dataB, env: { OBRADY_DATABASE: url } });
  t.after(() => b.stop());
  const opA = await signIn(a, DEMO.operator, { via: 'stdout' }); // the mail may leave through B
  const opB = makeClient(b, opA.cookie, opA.user);
  return { a, b, url, dataA, dataB, opA, opB };
}

test('a document uploaded through node A is served by node B from the database, chunk by chunk', { skip, timeout: 180000 }, async (t) => {
  const { url, dataA, dataB, opA, opB } = await twoNodes(t);
  const { bodyId } = await demoIds(opA);
  const m = await createMeeting(opA, bodyId, { title: 'Sesja na dwóch węzłach' });
  const bytes = pdf(2 * CHUNK + 1000); // three chunks, the last one short
  const up = await upload(opA, m.id, bytes, 'uchwała.pdf');
  assert.equal(up.status, 201, up.text);
  assert.equal(up.json.sha256, sha256(bytes));
  const sha = up.json.sha256;
  assert.equal(psql(url, `SELECT size_bytes || ' ' || n_chunks FROM file_blobs WHERE sha256 = '${sha}'`), `${bytes.length} 3`);
  assert.equal(psql(url, `SELECT string_agg(length(data)::text, ',' ORDER BY n) FROM file_chunks WHERE sha256 = '${sha}'`),
    `${CHUNK},${CHUNK},${bytes.length - 2 * CHUNK}`);
  assert.ok(!fs.existsSync(path.join(dataB, 'files', sha)), 'node B has no copy before it is asked');

  const got = await opB.get(`/api/documents/${up.json.id}`);
  assert.equal(got.status, 200, got.text);
  assert.ok(got.body.equals(bytes), 'node B served different bytes');
  assert.equal(got.headers['content-type'], 'application/pdf');
  // Neither node's disk is needed: both local copies gone, B fetches again.
  fs.rmSync(path.join(dataA, 'files', sha), { force: true });
  fs.rmSync(path.join(dataB, 'files', sha));
  const again = await opB.get(`/api/documents/${up.json.id}`);
  assert.equal(again.status, 200, again.text);
  assert.ok(again.body.equals(bytes), 'node B served different bytes the second time');
  assert.deepEqual(fs.readdirSync(path.join(dataB, 'files', 'tmp')), [], 'no fetch left behind');

  // Stored bytes that no longer hash to their name are refused, not served.
  const other = pdf(1000);
  const up2 = await upload(opB, m.id, other, 'inna.pdf');
  assert.equal(up2.status, 201, up2.text);
  psql(url, `UPDATE file_chunks SET data = overlay(data placing '\\x00'::bytea from 20) WHERE sha256 = '${up2.json.sha256}'`);
  fs.rmSync(path.join(dataB, 'files', up2.json.sha256));
  assert.ok(!fs.existsSync(path.join(dataA, 'files', up2.json.sha256)), 'node A never had it');
  const bad = await opA.get(`/api/documents/${up2.json.id}`);
  assert.equal(bad.status, 500, `a corrupt stored file must not be served: ${bad.status}`);
  assert.ok(!fs.existsSync(path.join(dataA, 'files', up2.json.sha256)), 'the corrupt bytes were not cached');
});

test('the 20 MiB limit holds through either node; exactly 20 MiB travels from B to A', { skip, timeout: 180000 }, async (t) => {
  const { url, opA, opB } = await twoNodes(t);
  const { bodyId } = await demoIds(opA);
  const m = await createMeeting(opA, bodyId, { title: 'Sesja z dużym plikiem' });
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
  big.write('%PDF-1.7\n');
  expectError(await upload(opB, m.id, big, 'za-duzy.pdf', { chunked: true }), 413, 'body_too_large');
  const exact = big.subarray(0, 20 * 1024 * 1024);
  const up = await upload(opB, m.id, exact, 'dokladnie.pdf');
  assert.equal(up.status, 201, up.text);
  assert.equal(psql(url, `SELECT n_chunks FROM file_blobs WHERE sha256 = '${up.json.sha256}'`), '80');
  assert.equal(psql(url, `SELECT count(*) FROM file_blobs WHERE sha256 = '${sha256(big)}'`), '0',
    'the refused upload stored nothing');
  const got = await opA.api('GET', `/api/documents/${up.json.id}`, undefined, { timeoutMs: 60000 });
  assert.equal(got.status, 200);
  assert.equal(sha256(got.body), sha256(exact));
});

test('a protocol PDF rendered by node A is served by node B from the database', { skip, timeout: 120000 }, async (t) => {
  const { url, opA, opB } = await twoNodes(t);
  const { bodyId } = await demoIds(opA);
  const m = await createMeeting(opA, bodyId, { title: 'Sesja z protokołem' });
  const first = await opA.get(`/api/meetings/${m.id}/protocol.pdf`);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.subarray(0, 5).toString(), '%PDF-');
  const row = psql(url, `SELECT sha256 || ' ' || created_ms FROM report_files WHERE report_id = '${m.id}'`);
  assert.match(row, /^[0-9a-f]{64} \d+$/);
  assert.equal(row.split(' ')[0], sha256(first.body), 'the stored PDF is the one served');
  const second = await opB.get(`/api/meetings/${m.id}/protocol.pdf`);
  assert.equal(second.status, 200, second.text);
  assert.ok(second.body.equals(first.body), 'node B served other bytes');
  assert.equal(psql(url, `SELECT sha256 || ' ' || created_ms FROM report_files WHERE report_id = '${m.id}'`), row,
    'node B rendered it again instead of serving the stored one');
  // A new event moves the head: the next PDF is rendered again and replaces the row.
  assert.equal((await opB.post(`/api/meetings/${m.id}/start`)).status, 200);
  const third = await opB.get(`/api/meetings/${m.id}/protocol.pdf`);
  assert.equal(third.status, 200);
  assert.notEqual(psql(url, `SELECT sha256 || ' ' || created_ms FROM report_files WHERE report_id = '${m.id}'`), row);
  assert.equal(psql(url, `SELECT count(*) FROM report_files WHERE report_id = '${m.id}'`), '1');
});
