// Attendance and activity over a period (issue 17 item 4): per member of a
// body, for a date range (a term), the meetings held and attended with the
// times of the attendance checks answered and arrivals/departures, the votes
// entitled to, cast and not cast, and the absences — as JSON, CSV and a PDF
// (checked with pdftotext). Meetings outside the period and days outside a
// member's mandate do not count; bad periods are refused naming the field.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, DEMO_MEMBERS, expectError, createMeeting,
  eventually, ok, freeTmpDir, anonymous, sql, fakeId,
} from './lib.mjs';

after(stopAll);

const pdfText = (buf) => {
  const f = path.join(freeTmpDir('obrady-att-'), 'a.pdf');
  fs.writeFileSync(f, buf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

/** Today in Warsaw as YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw' }).format(new Date());

async function check(op, P, who) {
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(who.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
}

test('attendance over a period: JSON, CSV and PDF per member, the period and mandates respected, bad input refused', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, chair, m1, m2, m3, m4] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS.slice(0, 5)]);
  const { bodyId } = await demoIds(op);
  const B = `/api/bodies/${bodyId}`;
  const day = today();

  // Meeting A today: a check (chair, m1, m2, m3), m3 leaves and returns, one open vote (m1, m2 vote).
  const a = await createMeeting(op, bodyId, { title: 'Sesja A', number: 'XI' });
  const PA = `/api/meetings/${a.id}`;
  await ok(op.post(`${PA}/start`, {}), 'start A');
  await check(op, PA, [chair, m1, m2, m3]);
  await ok(m3.post(`${PA}/presence`, { is_present: false }), 'm3 leaves');
  await ok(m3.post(`${PA}/presence`, { is_present: true }), 'm3 returns');
  const v = await ok(op.post(`${PA}/votes`, { title: 'Uchwała budżetowa', duration_s: 600 }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  await ok(m1.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'm1 votes');
  await ok(m2.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'no' }), 'm2 votes');
  await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close vote');
  await ok(op.post(`${PA}/close`, {}), 'close A');

  // Meeting B today: a check (chair, m4).
  const b = await createMeeting(op, bodyId, { title: 'Sesja B', number: 'XII' });
  const PB = `/api/meetings/${b.id}`;
  await ok(op.post(`${PB}/start`, {}), 'start B');
  await check(op, PB, [chair, m4]);
  await ok(op.post(`${PB}/close`, {}), 'close B');
  // A draft meeting never held does not count.
  await createMeeting(op, bodyId, { title: 'Sesja nieodbyta' });

  let r = await ok(op.get(`${B}/attendance?from=${day}&to=${day}`), 'attendance');
  assert.equal(r.from, day);
  assert.deepEqual(r.meetings.map((x) => x.title), ['Sesja A', 'Sesja B']);
  assert.equal(r.meetings[0].checks, 1);
  assert.equal(r.members.length, DEMO.memberCount, 'every member of the council, guests never');
  const row = (c) => r.members.find((x) => x.user_id === c.user.id);
  assert.deepEqual(
    [row(chair).meetings, row(chair).attended, row(chair).absences],
    [2, 2, 0], 'the chair answered both checks');
  assert.deepEqual(
    [row(m1).attended, row(m1).absences, row(m1).votes_eligible, row(m1).votes_cast, row(m1).votes_not_cast],
    [1, 1, 1, 1, 0], 'm1: at A and voted, absent from B');
  assert.deepEqual([row(m3).attended, row(m3).votes_cast, row(m3).votes_not_cast], [1, 0, 1], 'm3 present at A, did not vote');
  assert.deepEqual([row(m4).attended, row(m4).absences, row(m4).votes_not_cast], [1, 1, 1], 'm4 only at B');
  const m3A = row(m3).per_meeting.find((x) => x.meeting_id === a.id);
  assert.equal(m3A.present, true);
  assert.match(m3A.checks[0], /^\d\d:\d\d$/, 'the time of the check answered');
  assert.deepEqual(m3A.movements.map((x) => x.present), [false, true], 'left and returned');
  const absent = r.members.find((x) => x.attended === 0);
  assert.ok(absent && absent.absences === 2, 'a member at neither meeting has two absences');
  assert.deepEqual(absent.per_meeting.map((x) => x.present), [false, false]);
  // Names in Polish alphabetical order by surname, as in every list.
  assert.equal(r.members.length, new Set(r.members.map((x) => x.user_id)).size);

  // Meeting B moved to an earlier year leaves today's period and enters that one.
  await sql(srv, `UPDATE meetings SET started_ms = ${Date.parse('2025-03-10T10:00:00Z')} WHERE id = '${b.id}'`);
  r = await ok(op.get(`${B}/attendance?from=${day}&to=${day}`), 'attendance today');
  assert.deepEqual(r.meetings.map((x) => x.id), [a.id]);
  assert.equal(row(m4).absences, 1);
  r = await ok(op.get(`${B}/attendance?from=2025-01-01&to=${day}`), 'attendance over a term');
  assert.deepEqual(r.meetings.map((x) => x.id), [b.id, a.id], 'oldest first');
  assert.equal(r.meetings[0].date, '2025-03-10');

  // A mandate that ended before meeting A: that member has only meeting B.
  const { members } = await ok(op.get(`${B}/members`), 'members');
  const mem4 = members.find((x) => x.user_id === m4.user.id);
  await ok(op.patch(`${B}/members/${mem4.id}`, { role: mem4.role, active_to: '2025-12-31' }), 'mandate ends');
  r = await ok(op.get(`${B}/attendance?from=2025-01-01&to=${day}`), 'attendance with the mandate');
  assert.deepEqual(row(m4).per_meeting.map((x) => x.meeting_id), [b.id]);
  assert.deepEqual([row(m4).meetings, row(m4).attended, row(m4).absences], [1, 1, 0]);

  // CSV: per member and meeting, with a total row per member; Polish by default, English on ?lang=en.
  let res = await op.get(`${B}/attendance.csv?from=2025-01-01&to=${day}`);
  assert.equal(res.status, 200);
  assert.match(res.headers['content-type'], /^text\/csv/);
  assert.match(res.headers['content-disposition'], new RegExp(`obecnosc-2025-01-01-${day}\\.csv`));
  const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'Imię i nazwisko,Data,Nr,Posiedzenie,Obecność,Sprawdzenia obecności,Przybycia i wyjścia,Głosowania,Oddane głosy,Nieoddane głosy');
  const m3Name = row(m3).name;
  const m3Rows = lines.filter((l) => l.startsWith(m3Name.includes(',') ? `"${m3Name}` : `${m3Name},`));
  assert.equal(m3Rows.length, 3, 'two meetings and a total');
  assert.match(m3Rows[0], /,10\.03\.2025,XII,Sesja B,nieobecny\/nieobecna,/);
  assert.match(m3Rows[1], /,XI,Sesja A,obecny\/obecna,\d\d:\d\d,wyjście \d\d:\d\d; przybycie \d\d:\d\d,1,0,1$/);
  assert.match(m3Rows[2], /,,,RAZEM,1\/2,,,1,0,1$/);
  res = await op.get(`${B}/attendance.csv?from=2025-01-01&to=${day}&lang=en&bom=0`);
  assert.ok(res.text.startsWith('Name,Date,No.,Meeting,Attendance,'), res.text.slice(0, 80));
  assert.match(res.text, /,2025-03-10,XII,Sesja B,absent,/);

  // PDF, checked with pdftotext.
  res = await op.get(`${B}/attendance.pdf?from=2025-01-01&to=${day}`);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/pdf');
  let text = pdfText(res.body);
  assert.match(text, /Obecność i aktywność członków organu w okresie/);
  assert.match(text, new RegExp(`Okres 01\\.01\\.2025 — ${day.slice(8, 10)}\\.${day.slice(5, 7)}\\.${day.slice(0, 4)}`));
  assert.match(text, /Posiedzeń Obecny Nieobecny Głosy oddane Bez głosu/);
  assert.match(text, /Sporządzono \d\d\.\d\d\.\d{4} \d\d:\d\d/);
  assert.ok(text.includes(m3Name), 'a member named');
  assert.match(text, /nr XI — Sesja A/);
  assert.match(text, /wyjście \d\d:\d\d; przybycie \d\d:\d\d/);
  res = await op.get(`${B}/attendance.pdf?from=2025-01-01&to=${day}&lang=en`);
  text = pdfText(res.body);
  assert.match(text, /Attendance and activity of members over a period/);
  assert.match(text, /Meetings Attended Absent Votes cast Not cast/);

  // Who may read it: the office and the chair; not an ordinary member, not the public.
  await ok(chair.get(`${B}/attendance?from=${day}&to=${day}`), 'the chair reads it');
  expectError(await m2.get(`${B}/attendance?from=${day}&to=${day}`), 403, 'forbidden');
  expectError(await anonymous(srv).get(`${B}/attendance?from=${day}&to=${day}`), 401, 'unauthorized');
  expectError(await op.get(`/api/bodies/${fakeId()}/attendance?from=${day}&to=${day}`), 404, 'not_found');

  // Bad periods, each naming its field.
  expectError(await op.get(`${B}/attendance?to=${day}`), 400, 'bad_parameter', 'from');
  expectError(await op.get(`${B}/attendance.csv?from=2025-02-29&to=${day}`), 400, 'bad_parameter', 'from');
  expectError(await op.get(`${B}/attendance?from=2025-01-01&to=2025-13-01`), 400, 'bad_parameter', 'to');
  expectError(await op.get(`${B}/attendance?from=2025-01-01&to=2025-1-1`), 400, 'bad_parameter', 'to');
  expectError(await op.get(`${B}/attendance.pdf?from=2025-02-01&to=2025-01-31`), 400, 'period_reversed', 'to');
  expectError(await op.get(`${B}/attendance?from=2020-01-01&to=2026-01-01`), 400, 'period_too_long', 'to');
  expectError(await op.get(`${B}/attendance?from=2024-01-01&to=2024-12-31&lang=de`), 400, 'bad_parameter', 'lang');
  expectError(await op.get(`${B}/attendance.csv?from=2024-01-01&to=2024-12-31&bom=2`), 400, 'bad_parameter', 'bom');
  // A term of five years is fine.
  await ok(op.get(`${B}/attendance?from=2024-05-01&to=2029-04-30`), 'a whole term');
});
