// pg_jobs.test.mjs — two obrady nodes on one PostgreSQL database (issue 12,
// items 4 and 5): deadlines run exactly once (one attendance.ended, one
// vote.closed) and each mail goes out once although both nodes' schedulers
// and outboxes race for the same rows; sign-in code tries and the sign-in
// and chat limits hold across nodes; a member removed through node A cannot act
// through node B, whose meeting state cache held them; a state change made
// through A is what B answers next. Runs in PostgreSQL mode only.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  PG_BASE, DEMO, DEMO_MEMBERS, startDemo, startServer, stopAll, freeTmpDir, pgDatabaseFor,
  signInMany, makeClient, demoIds, createMeeting, eventually, ok, sql, sqlq, newMails, mailFiles,
  requestCode, api, newUser, sleep,
} from './lib.mjs';

after(stopAll);
const skip = PG_BASE ? false : 'PostgreSQL mode only (make test-e2e-pg)';

/** Node A (with the demo) and node B on A's database, sharing A's keys. */
async function twoNodes(t) {
  const dirA = freeTmpDir();
  const a = await startDemo({ dataDir: dirA });
  t.after(() => a.stop());
  const dirB = freeTmpDir();
  for (const f of fs.readdirSync(dirA).filter((x) => x.endsWith('.key'))) {
    fs.copyFileSync(path.join(dirA, f), path.join(dirB, f));
  }
  const b = await startServer({ dataDir: dirB, env: { OBRADY_DATABASE: pgDatabaseFor(dirA) } });
  t.after(() => b.stop());
  t.after(() => {
    for (const d of [dirA, dirB]) fs.rmSync(d, { recursive: true, force: true });
  });
  return { a, b };
}

/** The same signed-in person, talking to the other node. */
const via = (srv, c) => makeClient(srv, c.cookie, c.user);

test('deadlines close once and each mail goes out once with two nodes racing', { skip, timeout: 90000 }, async (t) => {
  const { a, b } = await twoNodes(t);
  const [opA, ...members] = await signInMany(a, [DEMO.operator, ...DEMO_MEMBERS.slice(0, 8)]);
  const opB = via(b, opA);
  const { bodyId } = await demoIds(opA);
  // Both nodes send mail: before anything is sent, B has no mail directory of its own yet.
  const before = new Set([...mailFiles(a.dataDir), ...mailFiles(b.dataDir)]);

  const m = await createMeeting(opA, bodyId, { title: 'Sesja na dwóch węzłach' });
  const P = `/api/meetings/${m.id}`;
  await ok(opA.post(`${P}/start`, {}), 'start via A');
  const check = await ok(opB.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check via B');
  await Promise.all(members.map((c, i) => ok((i % 2 ? via(b, c) : c).post(`${P}/attendance-checks/${check.check_id}/present`, {}),
    `present ${c.email}`)));
  await eventually(async () => {
    const st = await ok(opB.get(`${P}/state`), 'state via B');
    assert.equal(st.attendance.is_check_open, false);
    return true;
  }, 8000);

  // A short vote opened via A; both schedulers see its deadline within a second.
  const v = await ok(opA.post(`${P}/votes`, { title: 'Uchwała dwóch węzłów', duration_s: 2 }), 'create');
  await ok(opA.post(`/api/votes/${v.id}/open`, {}), 'open via A');
  await Promise.all(members.map((c, i) => ok((i % 2 ? via(b, c) : c).post(`/api/votes/${v.id}/ballots`,
    { ballot_id: crypto.randomUUID(), choice: 'yes' }), `ballot ${c.email}`)));
  const closed = await eventually(async () => {
    const r = await ok(opB.get(`/api/votes/${v.id}`), 'vote via B');
    assert.equal(r.status, 'closed');
    return r;
  }, 10000);
  assert.equal(closed.result.yes, members.length, 'every ballot counted once');

  await ok(opB.post(`${P}/close`, {}), 'close the meeting via B');
  // The protocol goes to every participant with an address, once, from whichever node took each row.
  await eventually(async () => (await sql(a, `SELECT count(*) FROM deadlines WHERE meeting_id = ${sqlq(m.id)} ` +
    `AND kind = 'report_mail' AND done_ms IS NOT NULL`)) === '1' || null, 20000, 200);
  const recipients = Number(await sql(a, `SELECT count(*) FROM outbox WHERE subject LIKE 'Protokół posiedzenia%'`));
  assert.ok(recipients >= 9, `protocol mail queued once per participant: ${recipients}`);
  const protocolMails = () => [...newMails(a.dataDir, before), ...newMails(b.dataDir, before)]
    .filter((x) => /Protokół posiedzenia/.test(x.headers.subject));
  await eventually(() => protocolMails().length >= recipients || null, 20000, 200);
  await sleep(3000); // time enough for a second node to run anything twice
  const mails = protocolMails();
  const to = mails.map((x) => x.headers.to);
  assert.equal(mails.length, recipients, `one protocol per recipient, no duplicates: ${to.join(', ')}`);
  assert.equal(new Set(to).size, mails.length, 'no address got the protocol twice');

  const count = (type) => sql(a, `SELECT count(*) FROM events WHERE meeting_id = ${sqlq(m.id)} AND type = ${sqlq(type)}`);
  assert.equal(await count('vote.closed'), '1', 'exactly one vote.closed');
  assert.equal(await count('attendance.ended'), '1', 'exactly one attendance.ended');
  assert.equal(await sql(a, `SELECT count(*) FROM deadlines WHERE meeting_id = ${sqlq(m.id)} AND done_ms IS NULL`), '0',
    'every deadline done');
  const holders = (await sql(a, `SELECT DISTINCT claimed_by FROM deadlines WHERE meeting_id = ${sqlq(m.id)}`)).split('\n');
  assert.ok(holders.every((h) => /^[\w.-]+-\d+-[0-9a-f]{8}$/.test(h)), `claimed by node ids: ${holders}`);
  assert.equal(await sql(a, `SELECT count(*) FROM outbox WHERE status = 'pending' OR claimed_by IS NULL AND status = 'sent'`), '0',
    'every mail sent under a claim');
});

const B32 = '0123456789abcdefghjkmnpqrstvwxyz';
const newId = () => Array.from(crypto.randomBytes(20), (x) => B32[x & 31]).join('');
const emlIds = (dir) => [...mailFiles(dir)].map((f) => /-([0-9a-z]{20})\.eml$/.exec(f)?.[1]).filter(Boolean);

test('many jobs due at once: both nodes race for them, each runs once', { skip, timeout: 120000 }, async (t) => {
  const { a, b } = await twoNodes(t);
  const [opA] = await signInMany(a, [DEMO.operator]);
  const { bodyId } = await demoIds(opA);
  // Six closed meetings: closing one sends its protocol to everyone (a report_mail deadline).
  for (let i = 0; i < 6; i++) {
    const m = await createMeeting(opA, bodyId, { title: `Sesja zamknięta ${i + 1}` });
    await ok(opA.post(`/api/meetings/${m.id}/start`, {}), 'start');
    await ok(opA.post(`/api/meetings/${m.id}/close`, {}), 'close');
  }
  const protocols = () => sql(a, `SELECT count(*) FROM outbox WHERE subject LIKE 'Protokół posiedzenia%'`).then(Number);
  const pendingJobs = () => sql(a, `SELECT count(*) FROM deadlines WHERE kind = 'report_mail' AND done_ms IS NULL`);
  await eventually(async () => (await pendingJobs()) === '0' && (await sql(a, `SELECT count(*) FROM deadlines WHERE kind = 'report_mail'`)) === '6' || null, 30000, 200);
  const firstRound = await protocols();
  assert.equal(firstRound % 6, 0, `the same number of protocols per meeting: ${firstRound}`);

  // The six protocol jobs due again, all at one moment, and 300 mails due now; then both
  // outboxes are woken by a sign-in request on each node.
  await sql(a, `UPDATE deadlines SET done_ms = NULL, claimed_by = NULL, lease_until_ms = NULL, due_ms = ${Date.now() + 1500} WHERE kind = 'report_mail'`);
  const mailIds = Array.from({ length: 300 }, newId);
  const now = Date.now();
  await sql(a, `INSERT INTO outbox (id, to_addr, subject, message, is_sensitive, status, attempts, next_attempt_ms, created_ms) VALUES ${
    mailIds.map((id) => `('${id}', 'wyscig@example.org', 'Wyścig', convert_to('Subject: Wyscig\r\n\r\n${id}\r\n', 'UTF8'), 0, 'pending', 0, ${now}, ${now})`).join(', ')}`);
  await Promise.all([requestCode(a, DEMO.chair), requestCode(b, DEMO.chair)]);
  await eventually(async () => (await sql(a, `SELECT count(*) FROM outbox WHERE status = 'pending'`)) === '0' &&
    (await pendingJobs()) === '0' || null, 60000, 250);
  await sleep(2000);
  await eventually(async () => (await sql(a, `SELECT count(*) FROM outbox WHERE status = 'pending'`)) === '0' || null, 20000, 250);

  assert.equal(await protocols(), firstRound * 2, `each of the 6 protocol jobs ran once more (${firstRound / 6} mails each)`);
  const sent = [...emlIds(a.dataDir), ...emlIds(b.dataDir)];
  const raced = sent.filter((id) => mailIds.includes(id));
  assert.equal(raced.length, 300, 'each of the 300 mails written once, by one node');
  assert.equal(new Set(raced).size, 300);
  assert.equal(new Set(sent).size, sent.length, 'no message id written twice');
  const by = await sql(a, `SELECT count(DISTINCT claimed_by) FROM outbox WHERE id IN (${mailIds.map((x) => `'${x}'`).join(',')})`);
  assert.ok(Number(by) >= 1);
});

test('a vote closed through both nodes at once, and by its deadline, closes once', { skip, timeout: 120000 }, async (t) => {
  const { a, b } = await twoNodes(t);
  const [opA, ...members] = await signInMany(a, [DEMO.operator, ...DEMO_MEMBERS.slice(0, 4)]);
  const opB = via(b, opA);
  const { bodyId } = await demoIds(opA);
  const m = await createMeeting(opA, bodyId, { title: 'Sesja z wyścigiem zamknięć' });
  const P = `/api/meetings/${m.id}`;
  await ok(opA.post(`${P}/start`, {}), 'start');
  const check = await ok(opA.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(members.map((c) => ok(c.post(`${P}/attendance-checks/${check.check_id}/present`, {}), 'present')));
  await eventually(async () => (await ok(opB.get(`${P}/state`), 'state')).attendance.is_check_open === false || null, 8000);
  const statuses = [];
  for (let i = 0; i < 4; i++) {
    // Every other vote also meets its own deadline (1 s) while the two closes race.
    const v = await ok(opA.post(`${P}/votes`, { title: `Uchwała ${i + 1}`, duration_s: i % 2 ? 1 : 60 }), 'create');
    const o = await ok(opB.post(`/api/votes/${v.id}/open`, {}), 'open');
    await ok(members[0].post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'ballot');
    if (i % 2) await sleep(Math.max(0, o.deadline - Date.now() - 20));
    const rs = await Promise.all([opA.post(`/api/votes/${v.id}/close`, {}), opB.post(`/api/votes/${v.id}/close`, {})]);
    statuses.push(rs.map((r) => r.status));
    await eventually(async () => (await ok(opA.get(`/api/votes/${v.id}`), 'vote')).status === 'closed' || null, 8000);
  }
  await sleep(1500);
  const closes = await sql(a, `SELECT payload FROM events WHERE meeting_id = ${sqlq(m.id)} AND type = 'vote.closed'`);
  const ids = closes.split('\n').map((x) => JSON.parse(x).vote_id);
  assert.equal(ids.length, 4, `one vote.closed per vote: ${ids.join(' ')} (answers ${JSON.stringify(statuses)})`);
  assert.equal(new Set(ids).size, 4);
  for (const pair of statuses) assert.ok(pair.filter((x) => x === 200).length <= 1, `at most one close answered 200: ${pair}`);
});

test('a deadline claimed by a node that died is taken over when its lease runs out', { skip, timeout: 60000 }, async (t) => {
  const { a, b } = await twoNodes(t);
  const [opA, ...members] = await signInMany(a, [DEMO.operator, ...DEMO_MEMBERS.slice(0, 3)]);
  const { bodyId } = await demoIds(opA);
  const m = await createMeeting(opA, bodyId, { title: 'Sesja z przejęciem' });
  const P = `/api/meetings/${m.id}`;
  await ok(opA.post(`${P}/start`, {}), 'start');
  const check = await ok(opA.post(`${P}/attendance-checks`, { duration_s: 4, override_minimum: true }), 'check');
  // A dead node's claim, made before the check is due: held by no running process, its lease
  // ending 3 s after the due time.
  const claimed = await sql(a, `UPDATE deadlines SET claimed_by = 'dead-1-00000000', lease_until_ms = due_ms + 3000 ` +
    `WHERE meeting_id = ${sqlq(m.id)} AND kind = 'attendance' AND done_ms IS NULL AND lease_until_ms IS NULL RETURNING due_ms`);
  assert.match(claimed, /^\d+$/, 'claimed for the dead node before any node ran it');
  const dueMs = Number(claimed);
  await ok(members[0].post(`${P}/attendance-checks/${check.check_id}/present`, {}), 'present');
  await sleep(Math.max(0, dueMs + 1500 - Date.now()));
  const st1 = await ok(via(b, opA).get(`${P}/state`), 'state');
  assert.equal(st1.attendance.is_check_open, true, 'not run while the dead node\'s lease runs');
  const st2 = await eventually(async () => {
    const st = await ok(via(b, opA).get(`${P}/state`), 'state');
    assert.equal(st.attendance.is_check_open, false);
    return st;
  }, 8000);
  assert.equal(st2.attendance.present_count, 1);
  const holder = await sql(a, `SELECT claimed_by FROM deadlines WHERE meeting_id = ${sqlq(m.id)} AND kind = 'attendance'`);
  assert.notEqual(holder, 'dead-1-00000000', 'taken over by a live node');
  assert.equal(await sql(a, `SELECT count(*) FROM events WHERE meeting_id = ${sqlq(m.id)} AND type = 'attendance.ended'`), '1');
});

test('sign-in code tries and the per-address code limit hold across nodes', { skip, timeout: 60000 }, async (t) => {
  const { a, b } = await twoNodes(t);
  const email = 'dwa.wezly@example.org';
  await newUser(a, email, { name: 'Dwa Węzły' });
  assert.equal((await requestCode(a, email)).status, 202);
  await eventually(async () => (await sql(a, `SELECT count(*) FROM login_codes WHERE email = ${sqlq(email)}`)) === '1' || null, 8000);
  const wrong = (srv) => api(srv, 'POST', '/api/auth/session', { email, code: '000000' });
  // Four wrong tries through A, the fifth through B: B knows the four.
  for (let i = 0; i < 4; i++) {
    const r = await wrong(a);
    assert.equal(r.status, 401, r.text);
    assert.equal(r.json.error.code, 'code_invalid', r.text);
  }
  const fifth = await wrong(b);
  assert.equal(fifth.json.error.code, 'code_dead', `B counts A's tries: ${fifth.text}`);
  assert.equal((await wrong(a)).json.error.code, 'code_dead');

  // Three codes an address may ask for at once (then one a minute): two via A, one via B, the fourth via B is refused.
  assert.equal((await requestCode(a, email)).status, 202);
  assert.equal((await requestCode(b, email)).status, 202);
  const fourth = await requestCode(b, email);
  assert.equal(fourth.status, 429, `the limit counts A's requests on B: ${fourth.status} ${fourth.text}`);
  assert.ok(Number(fourth.headers['retry-after']) >= 1, 'Retry-After');
  const other = await requestCode(a, 'ktos.inny@example.org');
  assert.equal(other.status, 202, 'another address is not limited');
});

test('a member removed via A cannot act via B; a state change via A is what B answers next', { skip, timeout: 60000 }, async (t) => {
  const { a, b } = await twoNodes(t);
  const [opA, chairA, memA, talkerA] = await signInMany(a, [DEMO.operator, DEMO.chair, DEMO_MEMBERS[3], DEMO_MEMBERS[4]]);
  const { bodyId } = await demoIds(opA);
  const memB = via(b, memA);
  const m = await createMeeting(opA, bodyId, { title: 'Sesja ze zmianą składu' });
  const P = `/api/meetings/${m.id}`;
  await ok(opA.post(`${P}/start`, {}), 'start via A');
  // B folds and caches the state (the member is a participant there) ...
  const opB = via(b, opA);
  const stB = await ok(opB.get(`${P}/state`), 'state via B');
  assert.equal(stB.status, 'in_progress', 'the start made via A');
  assert.ok(stB.people.some((p) => p.user_id === memA.user.id), 'a participant on B');
  await ok(memB.post(`${P}/chat`, { text: 'Dzień dobry z węzła B' }), 'chat via B while a member');

  // ... A removes the member from the body ...
  const list = await ok(opA.get(`/api/bodies/${bodyId}/members`), 'members');
  const row = (list.members || list).find((x) => x.user_id === memA.user.id || x.email === memA.email);
  assert.ok(row, 'the member row');
  await ok(opA.del(`/api/bodies/${bodyId}/members/${row.id}`), 'remove via A');

  // ... and B's very next request sees it.
  const refused = await memB.post(`${P}/chat`, { text: 'Czy nadal mogę pisać?' });
  assert.equal(refused.status, 403, `removed via A, refused via B: ${refused.status} ${refused.text}`);
  const after2 = await ok(opB.get(`${P}/state`), 'state via B');
  assert.ok(!after2.people.some((p) => p.user_id === memA.user.id), 'gone from B\'s state');

  // The chat limit (a burst of 6, then 12 a minute) counts one person's messages on every node.
  for (let i = 0; i < 6; i++) await ok(talkerA.post(`${P}/chat`, { text: `Wiadomość ${i + 1}` }), `chat ${i + 1} via A`);
  const seventh = await via(b, talkerA).post(`${P}/chat`, { text: 'Siódma przez węzeł B' });
  assert.equal(seventh.status, 429, `B counts the six sent via A: ${seventh.status} ${seventh.text}`);
  assert.ok(Number(seventh.headers['retry-after']) >= 1, 'Retry-After');

  // A state change through A (an attendance check) is open on B at once.
  const check = await ok(opA.post(`${P}/attendance-checks`, { duration_s: 120 }), 'check via A');
  const st = await ok(via(b, chairA).get(`${P}/state`), 'state via B');
  assert.equal(st.attendance.is_check_open, true);
  await ok(via(b, chairA).post(`${P}/attendance-checks/${check.check_id}/present`, {}), 'present via B');
});
