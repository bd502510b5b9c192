// session_cache.test.mjs — sessions, roles and meetings are kept in memory
// (src/api/principal_cache.c) under the access generation, yet every change
// counts on the very next request: a ballot right after a logout, after a
// revocation of that session by its owner, after the session was ended by
// hand in the store, and a staff action right after the person was removed
// from the staff — each refused, while the cache was warm from the request
// before. On PostgreSQL the same across two nodes: the change made through
// node A, the next request through node B (make test-e2e-pg).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  PG_BASE, startDemo, startServer, stopAll, signIn, signInMany, makeClient, demoIds, DEMO,
  expectError, createMeeting, eventually, ok, sql, sqlq, freeTmpDir,
} from './lib.mjs';

after(stopAll);

const ballotId = () => crypto.randomUUID();

/** A meeting in progress with `present` checked in and an open vote allowing changes. */
async function openVote(op, bodyId, present) {
  const m = await createMeeting(op, bodyId, { title: 'Sesja: pamięć sesji' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'attendance check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), `present ${x.email}`)));
  await eventually(async () => {
    const st = (await op.get(`${P}/state`)).json;
    assert.equal(st.attendance.is_check_open, false);
    assert.equal(st.attendance.present_count, present.length);
    return true;
  }, 6000);
  const v = await ok(op.post(`${P}/votes`, { title: 'Zmiana głosu', allow_change: true, duration_s: 600 }), 'create vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  return { m, v };
}

const vote = (c, v, choice = 'yes') => c.post(`/api/votes/${v.id}/ballots`, { ballot_id: ballotId(), choice });

/** A fresh operator of the demo organisation, signed in on srv. */
async function tempOperator(admin, orgId, srv) {
  const email = `tymczasowy-${crypto.randomBytes(4).toString('hex')}@${DEMO.domain}`;
  const r = await admin.post(`/api/orgs/${orgId}/staff`, { email, name: 'Operator Tymczasowy', role: 'operator' });
  assert.equal(r.status, 201, r.text);
  return { userId: r.json.user_id, client: await signIn(srv, email, { via: 'stdout' }) };
}

test('one node: a ballot right after logout, revocation or an end by hand in the store is refused; a removed operator is refused at once', { timeout: 120000 }, async () => {
  const srv = await startDemo();
  const [admin, op, a, b1] = await signInMany(srv, [DEMO.admin, DEMO.operator, DEMO.member(2), DEMO.member(3)]);
  // via stdout: the first sign-in's mail may land after this one's mail folder is listed,
  // and its used code would be read as the new one (code_invalid)
  const b2 = await signIn(srv, DEMO.member(3), { via: 'stdout' }); // a second session of the same member
  const { orgId, bodyId } = await demoIds(admin);
  const { m, v } = await openVote(op, bodyId, [a, b1]);

  // Warm: ballots answered from the cache, then the logout, then at once a ballot.
  for (const choice of ['yes', 'no']) assert.equal((await vote(a, v, choice)).status, 201);
  assert.equal((await a.del('/api/auth/session')).status, 204);
  expectError(await vote(a, v), 401, 'unauthorized');

  // The owner revokes the other session: its very next ballot is refused, the owner's is not.
  assert.equal((await vote(b2, v, 'abstain')).status, 201);
  const list = await ok(b1.get('/api/me/sessions'), 'sessions');
  const other = list.sessions.find((s) => !s.is_current);
  assert.ok(other, 'the second session is listed');
  assert.equal((await b1.del(`/api/me/sessions/${other.id}`)).status, 204);
  expectError(await vote(b2, v), 401, 'unauthorized');
  assert.equal((await vote(b1, v, 'yes')).status, 201);

  // Ended by hand in the store (sqlite3 / psql from outside the server).
  const mine = list.sessions.find((s) => s.is_current);
  await sql(srv, `UPDATE sessions SET expires_ms = 0 WHERE id = ${sqlq(mine.id)}`);
  expectError(await vote(b1, v), 401, 'unauthorized');

  // Staff removed: the next staff action (warm cache) is refused.
  const t = await tempOperator(admin, orgId, srv);
  await ok(t.client.post(`/api/meetings/${m.id}/votes`, { title: 'Przed usunięciem' }), 'create as operator');
  assert.equal((await admin.del(`/api/orgs/${orgId}/staff/${t.userId}`)).status, 204);
  expectError(await t.client.post(`/api/meetings/${m.id}/votes`, { title: 'Po usunięciu' }), 403, 'forbidden');
  await srv.stop();
});

test('two nodes on PostgreSQL: a logout or a staff removal through node A counts on the very next request through node B', { skip: PG_BASE ? false : 'PostgreSQL mode only (make test-e2e-pg)', timeout: 120000 }, async () => {
  const data = freeTmpDir(); // one secret.key: a session works on both nodes
  const nodeA = await startServer({ dataDir: data, args: ['--demo-bare'] });
  const nodeB = await startServer({ dataDir: data });
  const [admin, op, a] = await signInMany(nodeA, [DEMO.admin, DEMO.operator, DEMO.member(2)]);
  const { orgId, bodyId } = await demoIds(admin);
  const { m, v } = await openVote(op, bodyId, [a]);
  const aOnB = makeClient(nodeB, a.cookie, a.user);
  for (const choice of ['yes', 'no']) assert.equal((await vote(aOnB, v, choice)).status, 201);
  assert.equal((await a.del('/api/auth/session')).status, 204); // through A
  expectError(await vote(aOnB, v), 401, 'unauthorized'); // through B, at once

  const t = await tempOperator(admin, orgId, nodeA);
  const tOnB = makeClient(nodeB, t.client.cookie, t.client.user);
  await ok(tOnB.post(`/api/meetings/${m.id}/votes`, { title: 'Przed usunięciem' }), 'create through B');
  assert.equal((await admin.del(`/api/orgs/${orgId}/staff/${t.userId}`)).status, 204);
  expectError(await tOnB.post(`/api/meetings/${m.id}/votes`, { title: 'Po usunięciu' }), 403, 'forbidden');
  await Promise.all([nodeA.stop(), nodeB.stop()]);
});
