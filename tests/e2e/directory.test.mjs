// The directory (issue 3): organisations with e-mail domains, staff, bodies
// (with their validation), members (domain policy, external members,
// duplicates, role/groups changes, removal), CSV import (dry run, all-or-
// nothing, Polish spreadsheet files), and the organisation's audit log.
// The tests in this file build on each other, in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, stopAll, expectError, signIn, newUser, runCli, sql, sqlq, fakeId,
} from './lib.mjs';

after(stopAll);

const ROOT = 'root@obrady.example';
const DOMAIN = 'uwr.example';
let srv;
let root; // instance admin
let org;
let body;
const audit = []; // the event types the org's log must hold, in order

before(async () => {
  srv = await startServer();
  await newUser(srv, ROOT, { admin: true, name: 'Administrator Instancji' });
  root = await signIn(srv, ROOT);
});

async function members() {
  const r = await root.get(`/api/bodies/${body.id}/members`);
  assert.equal(r.status, 200, r.text);
  return r.json.members;
}

async function memberCount() {
  const r = await root.get(`/api/orgs/${org.id}/bodies`);
  assert.equal(r.status, 200, r.text);
  const b = r.json.bodies.find((x) => x.id === body.id);
  const list = await members();
  assert.equal(b.member_count, list.length, 'member_count in the bodies list matches the members list');
  return list.length;
}

test('organisation: create (instance admin) with e-mail domains, validation, read, update', async () => {
  const bad = [
    [{}, 'missing_field', 'name'],
    [{ name: '' }, 'out_of_range', 'name'],
    [{ name: 'X', email_domains: 'uwr.example' }, 'wrong_type', 'email_domains'],
    [{ name: 'X', email_domains: ['no_dot'] }, 'out_of_range', 'email_domains'],
    [{ name: 'X', email_domains: [5] }, 'wrong_type', 'email_domains'],
    [{ name: 'X', default_lang: 'de' }, 'out_of_range', 'default_lang'],
    [{ name: 'X', retention_days: 0 }, 'out_of_range', 'retention_days'],
    [{ name: 'X', retention_days: 3651 }, 'out_of_range', 'retention_days'],
    [{ name: 'X', retention_months: 0 }, 'out_of_range', 'retention_months'],
    [{ name: 'X', retention_months: 121 }, 'out_of_range', 'retention_months'],
    [{ name: 'X', colour: 'red' }, 'unknown_field', 'colour'],
  ];
  for (const [b, code, field] of bad) expectError(await root.post('/api/orgs', b), 422, code, field);

  const r = await root.post('/api/orgs', { name: 'Uniwersytet Przykładowy', email_domains: ['UWR.example', DOMAIN] });
  assert.equal(r.status, 201, r.text);
  org = r.json;
  audit.push('org.created');
  assert.match(org.id, /^[a-z0-9]+$/);
  assert.deepEqual(org.email_domains, [DOMAIN], 'lower-cased, duplicates dropped');
  assert.equal(org.time_zone, 'Europe/Warsaw');
  assert.equal(org.default_lang, 'pl');
  assert.equal(org.retention_days, 92, 'default retention: 3 months');
  assert.equal(org.retention_months, 3, 'archived after 3 months by default');

  const g = await root.get(`/api/orgs/${org.id}`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json, org);
  const u = await root.patch(`/api/orgs/${org.id}`, { name: 'Uniwersytet Przykładowy we Wrocławiu', retention_days: 30, default_lang: 'en' });
  assert.equal(u.status, 200, u.text);
  audit.push('org.updated');
  assert.equal(u.json.name, 'Uniwersytet Przykładowy we Wrocławiu');
  assert.equal(u.json.retention_days, 30);
  assert.equal(u.json.retention_months, 3, 'unchanged when not sent');
  const months = await root.patch(`/api/orgs/${org.id}`, { retention_months: 6 });
  assert.equal(months.status, 200, months.text);
  audit.push('org.updated');
  assert.equal(months.json.retention_months, 6);
  assert.equal((await root.get(`/api/orgs/${org.id}`)).json.retention_months, 6, 'stored');
  u.json.retention_months = 6;
  assert.deepEqual(u.json.email_domains, [DOMAIN], 'unchanged when not sent');
  org = u.json;
  const list = await root.get('/api/orgs');
  assert.ok(list.json.orgs.some((o) => o.id === org.id));
  expectError(await root.get(`/api/orgs/${fakeId()}`), 404, 'not_found');
  expectError(await root.patch(`/api/orgs/${org.id}`, { retention_days: -1 }), 422, 'out_of_range', 'retention_days');
});

test('staff: add an admin and an operator, list, remove', async () => {
  expectError(await root.post(`/api/orgs/${org.id}/staff`, { email: 'x@uwr.example', name: 'X', role: 'boss' }), 422, 'out_of_range', 'role');
  expectError(await root.post(`/api/orgs/${org.id}/staff`, { email: 'nope', name: 'X', role: 'admin' }), 422, 'email_invalid', 'email');
  const a = await root.post(`/api/orgs/${org.id}/staff`, { email: 'Dziekan@UWR.example', name: 'Dziekan', role: 'admin' });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.email, 'dziekan@uwr.example');
  assert.equal(a.json.role, 'admin');
  const o = await root.post(`/api/orgs/${org.id}/staff`, { email: 'it@uwr.example', name: 'Dział IT', role: 'operator' });
  assert.equal(o.status, 201, o.text);
  const tmp = await root.post(`/api/orgs/${org.id}/staff`, { email: 'tymczasowy@uwr.example', name: 'Tymczasowy', role: 'operator' });
  assert.equal(tmp.status, 201);
  audit.push('staff.set', 'staff.set', 'staff.set');
  const del = await root.del(`/api/orgs/${org.id}/staff/${tmp.json.user_id}`);
  assert.equal(del.status, 204, del.text);
  audit.push('staff.removed');
  const l = await root.get(`/api/orgs/${org.id}/staff`);
  assert.equal(l.status, 200);
  assert.deepEqual(l.json.staff.map((s) => [s.email, s.role]).sort(), [['dziekan@uwr.example', 'admin'], ['it@uwr.example', 'operator']]);
  expectError(await root.del(`/api/orgs/${org.id}/staff/${tmp.json.user_id}`), 404, 'not_found');
});

test('body: create with validation errors (unknown kind, statutory_size 0, ...), read, update', async () => {
  const base = { name: 'Rada Wydziału Prawa', statutory_size: 25 };
  const bad = [
    [{ ...base, kind: 'parliament' }, 'out_of_range', 'kind'],
    [{ ...base, statutory_size: 0 }, 'out_of_range', 'statutory_size'],
    [{ ...base, statutory_size: 1001 }, 'out_of_range', 'statutory_size'],
    [{ ...base, statutory_size: '25' }, 'wrong_type', 'statutory_size'],
    [{ name: 'X' }, 'missing_field', 'statutory_size'],
    [{ statutory_size: 5 }, 'missing_field', 'name'],
    [{ ...base, quorum_rule: 'most' }, 'out_of_range', 'quorum_rule'],
    [{ ...base, vote_duration_s: 5 }, 'out_of_range', 'vote_duration_s'],
    [{ ...base, vote_duration_s: 86401 }, 'out_of_range', 'vote_duration_s'],
  ];
  for (const [b, code, field] of bad) expectError(await root.post(`/api/orgs/${org.id}/bodies`, b), 422, code, field);
  expectError(await root.post(`/api/orgs/${fakeId()}/bodies`, base), 404, 'not_found');

  const r = await root.post(`/api/orgs/${org.id}/bodies`, { ...base, kind: 'faculty_council' });
  assert.equal(r.status, 201, r.text);
  audit.push('body.created');
  body = r.json;
  assert.equal(body.org_id, org.id);
  assert.equal(body.kind, 'faculty_council');
  assert.equal(body.statutory_size, 25);
  assert.equal(body.quorum_rule, 'half_statutory', 'default quorum rule');
  assert.equal(body.vote_duration_s, 600, 'default vote duration');

  const g = await root.get(`/api/bodies/${body.id}`);
  assert.equal(g.status, 200);
  assert.equal(g.json.name, base.name);
  assert.equal(g.json.can_manage, true);
  assert.equal(g.json.can_update, true);
  assert.equal(g.json.can_add_external, true);
  const u = await root.patch(`/api/bodies/${body.id}`, { quorum_rule: 'majority_statutory', vote_duration_s: 300 });
  assert.equal(u.status, 200, u.text);
  audit.push('body.updated');
  assert.equal(u.json.quorum_rule, 'majority_statutory');
  assert.equal(u.json.statutory_size, 25);
  expectError(await root.patch(`/api/bodies/${body.id}`, { statutory_size: 0 }), 422, 'out_of_range', 'statutory_size');
  expectError(await root.get(`/api/bodies/${fakeId()}`), 404, 'not_found');
  const l = await root.get(`/api/orgs/${org.id}/bodies`);
  assert.deepEqual(l.json.bodies.map((b) => [b.id, b.member_count]), [[body.id, 0]]);
});

let chair;
let external;
test('members: add; wrong domain → 422 email_domain; same address as external → 201; duplicate → 409 already_member', async () => {
  const r = await root.post(`/api/bodies/${body.id}/members`, { email: 'Anna.Nowak@UWR.example', name: 'Anna Nowak', role: 'chair', groups: ['Profesorowie'] });
  assert.equal(r.status, 201, r.text);
  audit.push('member.added');
  chair = r.json;
  assert.equal(chair.email, 'anna.nowak@uwr.example');
  assert.equal(chair.role, 'chair');
  assert.deepEqual(chair.groups, ['profesorowie']);
  assert.equal(chair.is_external, false);
  assert.equal(chair.body_id, body.id);

  const wrongDomain = { email: 'recenzent@gmail.example', name: 'Prof. Recenzent' };
  const e = await root.post(`/api/bodies/${body.id}/members`, wrongDomain);
  expectError(e, 422, 'email_domain', 'email');
  const before = await memberCount();
  assert.equal(before, 1, 'the refused member was not added');
  const x = await root.post(`/api/bodies/${body.id}/members`, { ...wrongDomain, is_external: true });
  assert.equal(x.status, 201, x.text);
  audit.push('member.added');
  external = x.json;
  assert.equal(external.is_external, true);
  assert.equal(external.role, 'member');

  expectError(await root.post(`/api/bodies/${body.id}/members`, { email: 'ANNA.NOWAK@uwr.example', name: 'Anna N.' }), 409, 'already_member', 'email');
  expectError(await root.post(`/api/bodies/${body.id}/members`, { ...wrongDomain, is_external: true }), 409, 'already_member', 'email');
  assert.equal(await memberCount(), 2);

  const bad = [
    [{ email: 'a@uwr.example', name: 'A', role: 'king' }, 'out_of_range', 'role'],
    [{ email: 'a@uwr.example', name: 'A', groups: 'x' }, 'wrong_type', 'groups'],
    [{ email: 'a@uwr.example', name: 'A', groups: ['Zła grupa!'] }, 'out_of_range', 'groups'],
    [{ email: 'a@uwr.example', name: 'A', active_from: '2025-02-30' }, 'out_of_range', 'active_from'],
    [{ email: 'a@uwr.example', name: 'A', active_from: '2025-03-01', active_to: '2025-02-01' }, 'out_of_range', 'active_to'],
    [{ email: 'a@uwr.example' }, 'missing_field', 'name'],
    [{ email: 'not-an-address', name: 'A' }, 'email_invalid', 'email'],
  ];
  for (const [b, code, field] of bad) expectError(await root.post(`/api/bodies/${body.id}/members`, b), 422, code, field);
  assert.equal(await memberCount(), 2);
});

test('members: PATCH role, groups, dates; DELETE', async () => {
  const r = await root.patch(`/api/bodies/${body.id}/members/${external.id}`, {
    role: 'secretary', groups: ['recenzenci', 'Recenzenci', 'komisja-1'], active_from: '2025-01-01', active_to: '2025-12-31',
  });
  assert.equal(r.status, 200, r.text);
  audit.push('member.updated');
  assert.equal(r.json.role, 'secretary');
  assert.deepEqual(r.json.groups, ['recenzenci', 'komisja-1']);
  assert.equal(r.json.active_from, '2025-01-01');
  assert.equal(r.json.active_to, '2025-12-31');
  assert.equal(r.json.is_external, true);
  expectError(await root.patch(`/api/bodies/${body.id}/members/${external.id}`, { is_external: false }), 422, 'email_domain', 'is_external');
  expectError(await root.patch(`/api/bodies/${body.id}/members/${external.id}`, { email: 'new@uwr.example' }), 422, 'unknown_field', 'email');
  expectError(await root.patch(`/api/bodies/${body.id}/members/${external.id}`, { role: 'boss' }), 422, 'out_of_range', 'role');
  expectError(await root.patch(`/api/bodies/${body.id}/members/${fakeId()}`, { role: 'member' }), 404, 'not_found');
  const list = await members();
  assert.equal(list.find((m) => m.id === external.id).role, 'secretary', 'the change is stored');

  // A member of another body is not reachable through this body's path.
  const other = await root.post(`/api/orgs/${org.id}/bodies`, { name: 'Komisja Habilitacyjna', kind: 'habilitation_committee', statutory_size: 7 });
  assert.equal(other.status, 201);
  audit.push('body.created');
  const om = await root.post(`/api/bodies/${other.json.id}/members`, { email: 'anna.nowak@uwr.example', name: 'Anna Nowak' });
  assert.equal(om.status, 201, 'the same person may sit in two bodies');
  audit.push('member.added');
  expectError(await root.del(`/api/bodies/${body.id}/members/${om.json.id}`), 404, 'not_found');

  const d = await root.del(`/api/bodies/${body.id}/members/${external.id}`);
  assert.equal(d.status, 204, d.text);
  audit.push('member.removed');
  expectError(await root.del(`/api/bodies/${body.id}/members/${external.id}`), 404, 'not_found');
  assert.deepEqual((await members()).map((m) => m.id), [chair.id]);
});

const csvType = { 'content-type': 'text/csv; charset=utf-8' };
const importPath = (dry) => `/api/bodies/${body.id}/members/import${dry ? '?dry_run=1' : ''}`;

const BAD_CSV = [
  'name,email,role,groups,external', //                                    line 1
  'Adam Dobry,adam.dobry@uwr.example,member,profesorowie,no', //           line 2 (good)
  'Bartosz Zły,bartosz@@uwr.example,member,,', //                          line 3 email_invalid
  'Celina Obca,celina@gmail.example,member,,no', //                        line 4 email_domain
  'Daria Nieznana,daria@uwr.example,prezes,,', //                          line 5 role_unknown
  'Adam Dobry 2,ADAM.DOBRY@uwr.example,member,,', //                       line 6 duplicate_in_file (line 2)
  'Anna Nowak,anna.nowak@uwr.example,member,,', //                         line 7 duplicate_member
  'Ewa Grupowa,ewa@uwr.example,member,Zła grupa,', //                      line 8 group_invalid
  ',bezimienny@uwr.example,member,,', //                                   line 9 name_missing
  'Filip Może,filip@uwr.example,member,,może', //                          line 10 external_invalid
].join('\n') + '\n';

const BAD_EXPECTED = [
  [3, 'email', 'email_invalid'],
  [4, 'email', 'email_domain'],
  [5, 'role', 'role_unknown'],
  [6, 'email', 'duplicate_in_file'],
  [7, 'email', 'duplicate_member'],
  [8, 'groups', 'group_invalid'],
  [9, 'name', 'name_missing'],
  [10, 'external', 'external_invalid'],
];

test('CSV import: a dry run reports every bad row by line number and imports nothing', async () => {
  const before = await memberCount();
  const r = await root.post(importPath(true), BAD_CSV, { headers: csvType });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.dry_run, true);
  assert.equal(r.json.ok, false);
  assert.equal(r.json.error.code, 'csv_invalid');
  assert.deepEqual(r.json.errors.map((e) => [e.line, e.field, e.code]), BAD_EXPECTED, JSON.stringify(r.json.errors, null, 1));
  for (const e of r.json.errors) assert.ok(e.message.length > 0);
  assert.equal(r.json.rows.length, 9, `every data row is in the preview: ${JSON.stringify(r.json.rows.map((x) => [x.line, x.email]))}`);
  assert.deepEqual(r.json.rows.filter((x) => x.is_valid).map((x) => x.line), [2]);
  assert.equal(r.json.errors.find((e) => e.line === 6).message.includes('2'), true, 'the duplicate names the earlier line');
  // Polish messages when asked.
  const pl = await root.post(importPath(true), BAD_CSV, { headers: { ...csvType, 'accept-language': 'pl' } });
  assert.match(pl.json.errors[0].message, /adres|Adres/);
  assert.equal(await memberCount(), before, 'a dry run imports nothing');
});

test('CSV import: a real import with a bad row → 422 csv_invalid and nothing imported', async () => {
  const before = await memberCount();
  const r = await root.post(importPath(false), BAD_CSV, { headers: csvType });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.code, 'csv_invalid');
  assert.equal(typeof r.json.error.message, 'string');
  assert.deepEqual(r.json.errors.map((e) => [e.line, e.field, e.code]), BAD_EXPECTED);
  assert.equal(await memberCount(), before, 'nothing imported');
  assert.ok(!(await members()).some((m) => m.email === 'adam.dobry@uwr.example'), 'not even the good row');
  // One bad row among good ones is enough to refuse the file.
  const one = 'name,email\nGood One,good.one@uwr.example\nBad,bad@elsewhere.example\n';
  const r1 = await root.post(importPath(false), one, { headers: csvType });
  assert.equal(r1.status, 422);
  assert.deepEqual(r1.json.errors.map((e) => [e.line, e.code]), [[3, 'email_domain']]);
  assert.equal(await memberCount(), before);
  // Structure errors.
  const noEmail = await root.post(importPath(true), 'name;role\nX;member\n', { headers: csvType });
  assert.equal(noEmail.status, 200);
  assert.deepEqual(noEmail.json.errors.map((e) => [e.line, e.field, e.code]), [[1, 'email', 'missing_column']]);
  const quote = await root.post(importPath(false), 'name,email\n"Unclosed,x@uwr.example\n', { headers: csvType });
  assert.equal(quote.status, 422);
  assert.equal(quote.json.errors[0].code, 'csv_syntax');
  assert.equal(typeof quote.json.errors[0].line, 'number');
  // The route wants CSV.
  expectError(await root.post(importPath(false), { rows: [] }), 415, 'unsupported_media_type');
  assert.equal(await memberCount(), before);
});

test('CSV import: a good file (";", Polish headers, BOM, CRLF) → 201 and the members are listed', async () => {
  const before = await memberCount();
  const csv = '\uFEFF' + [
    'Imię i nazwisko;Adres e-mail;Funkcja;Grupy;Zewnętrzny',
    'Łukasz Żółć;lukasz.zolc@uwr.example;wiceprzewodniczący;profesorowie|komisja-budzetowa;nie',
    'Grażyna Śliwa;GRAZYNA.SLIWA@uwr.example;członek;;',
    '"Kowalski, Jan";jan.kowalski@uwr.example;sekretarz;doktorzy;',
    'Prof. Recenzent Zewnętrzny;recenzent@gmail.example;;;tak',
    ';;;;',
  ].join('\r\n') + '\r\n';
  const dry = await root.post(importPath(true), csv, { headers: csvType });
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.ok, true, JSON.stringify(dry.json.errors));
  assert.deepEqual(dry.json.errors, []);
  assert.deepEqual(dry.json.rows.map((r) => r.line), [2, 3, 4, 5]);
  assert.equal(await memberCount(), before, 'the dry run imported nothing');

  const r = await root.post(importPath(false), csv, { headers: csvType });
  assert.equal(r.status, 201, r.text);
  audit.push('members.imported');
  assert.equal(r.json.imported, 4);
  const byEmail = Object.fromEntries(r.json.members.map((m) => [m.email, m]));
  assert.equal(r.json.members.length, before + 4);
  assert.equal(byEmail['lukasz.zolc@uwr.example'].name, 'Łukasz Żółć');
  assert.equal(byEmail['lukasz.zolc@uwr.example'].role, 'vice_chair');
  assert.deepEqual(byEmail['lukasz.zolc@uwr.example'].groups, ['profesorowie', 'komisja-budzetowa']);
  assert.equal(byEmail['grazyna.sliwa@uwr.example'].role, 'member');
  assert.equal(byEmail['jan.kowalski@uwr.example'].name, 'Kowalski, Jan');
  assert.equal(byEmail['jan.kowalski@uwr.example'].role, 'secretary');
  assert.equal(byEmail['recenzent@gmail.example'].is_external, true);
  assert.equal(byEmail['recenzent@gmail.example'].role, 'member');
  const listed = await members();
  assert.equal(listed.length, before + 4);
  assert.equal(await memberCount(), before + 4);
  // The same file again: every row is now a duplicate member; nothing changes.
  const again = await root.post(importPath(false), csv, { headers: csvType });
  assert.equal(again.status, 422);
  assert.deepEqual(again.json.errors.map((e) => [e.line, e.code]), [[2, 'duplicate_member'], [3, 'duplicate_member'], [4, 'duplicate_member'], [5, 'duplicate_member']]);
  assert.equal(await memberCount(), before + 4);
  // An imported member can sign in and sees the body.
  const m = await signIn(srv, 'grazyna.sliwa@uwr.example');
  const me = await m.me();
  assert.deepEqual(me.json.bodies.map((b) => [b.body_id, b.role]), [[body.id, 'member']]);
});

test("the organisation's audit log holds exactly the successful changes and verifies", async () => {
  const types = (await sql(srv, `SELECT type FROM events WHERE meeting_id = ${sqlq(org.id)} ORDER BY seq`)).split('\n').filter(Boolean);
  assert.deepEqual(types, audit, 'one event per successful change, none for refused ones');
  const r = await runCli(['log', 'verify', org.id, '--data', srv.dataDir]);
  assert.equal(r.code, 0, `obrady log verify: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout, new RegExp(`^ok: ${audit.length} events, head [0-9a-f]{64}`));
  // The actor is recorded.
  const actors = (await sql(srv, `SELECT DISTINCT actor FROM events WHERE meeting_id = ${sqlq(org.id)}`)).split('\n');
  assert.deepEqual(actors, [root.user.id]);
});
