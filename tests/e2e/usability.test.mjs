// What a clerk, a chair and a resident tripped on (issue 20), over HTTP on a
// private meeting of the demo council: votes keep the number of their
// opening everywhere (API, protocol, vote report, exports) even when a
// secret vote closes after an open vote opened later; staff and the chair
// download the protocol and the vote reports, outsiders get 404; absent
// members are named apart from present members who did not vote (JSON, CSV,
// PDF); a closed secret vote's board opens to anyone with the key printed
// on its report, and to nobody without it. Also: attendance checks under
// 120 s need an override (recorded); an early start and a short notice are
// recorded; role words agree with the person, one term "skład ustawowy";
// mails greet formally, keep the code out of the Subject, attach the .ics.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startDemo, stopAll, signIn, signInMany, anonymous, newUser, demoIds, DEMO, createMeeting, eventually, ok, readEvents, readMail, requestCode, mailFiles,
} from './lib.mjs';

after(stopAll);

const squash = (s) => s.replace(/\s+/g, ' ').trim();

function pdfText(buf) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obrady-usab-'));
  try {
    const f = path.join(dir, 'r.pdf');
    fs.writeFileSync(f, buf);
    return squash(execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function getPdf(client, url, what) {
  const r = await client.get(url);
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text}`);
  assert.equal(r.headers['content-type'], 'application/pdf', what);
  assert.equal(r.body.subarray(0, 5).toString(), '%PDF-', what);
  return r;
}

test('numbering by opening, reports for staff and chair, absent apart from not voted, the board by its key', { timeout: 120000 }, async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(admin);
  const [op, chair, r1, r2, r3, r4, absent1] = await signInMany(srv, [
    DEMO.operator, DEMO.chair, ...[1, 2, 3, 4, 5].map((n) => DEMO.member(n)),
  ]);
  await newUser(srv, 'postronny@other.example', { name: 'Osoba Postronna' });
  const outsider = await signIn(srv, 'postronny@other.example', { via: 'stdout' });
  const anon = anonymous(srv);

  // A private meeting; chair + four members present (the others absent).
  const m = await createMeeting(op, bodyId, { title: 'Sesja zamknięta', number: 'XL', public: false });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const present = [chair, r1, r2, r3, r4];
  // ---- point 12: a check shorter than 120 s only with an explicit override, which the log records
  const short = await op.post(`${P}/attendance-checks`, { duration_s: 30 });
  assert.equal(short.status, 422, short.text);
  assert.equal(short.json.error.field, 'duration_s');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => {
    const st = (await op.get(`${P}/state`)).json;
    return !st.attendance.is_check_open && st.attendance.present_count === present.length;
  }, 8000);
  const evs = await readEvents(op, m.id, { since: 0, untilType: 'attendance.started' });
  const started = evs.find((e) => e.type === 'attendance.started');
  assert.deepEqual([started.payload.duration_s, started.payload.minimum_s, started.payload.is_override], [1, 120, true]);
  // ---- point 13: started before its date (2031): recorded in the log and on the protocol
  const opened = evs.find((e) => e.type === 'meeting.started');
  assert.equal(opened.payload.is_before_date, true);
  assert.equal(opened.payload.scheduled_at, Date.parse('2031-05-01T17:00:00+02:00'));

  // A secret vote opened first, an open vote opened second; the open one closes first.
  const sec = await ok(op.post(`${P}/votes`, { title: 'Wybór skarbnika (tajne)', kind: 'secret', duration_s: 600 }), 'secret vote');
  const opn = await ok(op.post(`${P}/votes`, { title: 'Uchwała o porządku (jawne)', duration_s: 600 }), 'open vote');
  await ok(op.post(`/api/votes/${sec.id}/open`, {}), 'open secret');
  await new Promise((r) => setTimeout(r, 20));
  await ok(op.post(`/api/votes/${opn.id}/open`, {}), 'open open');
  await ok(chair.post(`/api/votes/${opn.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'ballot chair');
  await ok(r1.post(`/api/votes/${opn.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'no' }), 'ballot r1');
  const closedOpen = await ok(op.post(`/api/votes/${opn.id}/close`, {}), 'close open');
  await new Promise((r) => setTimeout(r, 20));
  await ok(op.post(`/api/votes/${sec.id}/close`, {}), 'close secret');
  await eventually(async () => (await op.get(`/api/votes/${sec.id}`)).json.status === 'closed', 8000);

  // ---- point 13: convening with less than 7 days' notice is recorded
  const soon = await createMeeting(op, bodyId, { title: 'Sesja pilna', starts_at: new Date(Date.now() + 2.5 * 86400000).toISOString() });
  await ok(op.post(`/api/meetings/${soon.id}/agenda`, { title: 'Sprawy pilne' }), 'agenda');
  await ok(op.post(`/api/meetings/${soon.id}/convene`, {}), 'convene');
  const conv = (await readEvents(op, soon.id, { since: 0, untilType: 'meeting.convened' })).find((e) => e.type === 'meeting.convened');
  assert.deepEqual([conv.payload.is_short_notice, conv.payload.notice_days], [true, 2]);

  // ---- point 18: the invitation greets formally and carries the .ics inline and as an attachment
  const inv = await readMail(srv.dataDir, { to: DEMO.member(3), subject: 'Zawiadomienie o posiedzeniu', timeoutMs: 8000 });
  assert.match(inv.text, /^Szanowna Pani \/ Szanowny Panie,$/m, inv.text.slice(0, 300));
  assert.doesNotMatch(inv.text, /Dzień dobry/);
  const alt = inv.parts.find((p) => p.type === 'multipart/alternative') || inv;
  assert.ok(alt.parts.some((p) => p.type === 'text/calendar'), 'an inline calendar part');
  const att = inv.attachments.find((a) => a.filename === 'posiedzenie.ics');
  assert.ok(att && /^attachment/i.test(att.headers['content-disposition']), `an attached .ics: ${inv.attachments.map((a) => a.filename)}`);
  assert.match(att.content, /BEGIN:VCALENDAR/);
  // ---- and the sign-in code stays out of the subject (lock screens)
  const before = mailFiles(srv.dataDir);
  assert.equal((await requestCode(srv, DEMO.member(4))).status, 202);
  // Other mail (vote reports) may arrive meanwhile: the sign-in mail by its subject.
  const mail = await readMail(srv.dataDir, { to: DEMO.member(4), subject: 'Twój kod logowania', exclude: before, timeoutMs: 8000 });
  assert.equal(String(mail.headers.subject), 'Twój kod logowania do obrady');
  assert.match(mail.text, /^ {4}\d{6}$/m, 'the code in the body');

  // ---- point 2: the number of the opening, everywhere
  assert.equal((await ok(op.get(`/api/votes/${sec.id}`), 'secret')).number, 1);
  assert.equal(closedOpen.number, 2);
  const list = (await ok(op.get(`${P}/votes`), 'list')).votes;
  assert.deepEqual(list.map((v) => [v.id, v.number]), [[sec.id, 1], [opn.id, 2]]);
  const proto = pdfText((await getPdf(op, `${P}/protocol.pdf`, 'protocol')).body);
  assert.match(proto, /Uwaga posiedzenie otwarto przed wyznaczonym dniem/, 'point 13: the early start on the protocol');
  const at1 = proto.indexOf('Głosowanie nr 1: Wybór skarbnika (tajne)');
  const at2 = proto.indexOf('Głosowanie nr 2: Uchwała o porządku (jawne)');
  assert.ok(at1 >= 0 && at2 > at1, `protocol numbers by opening: ${proto.slice(0, 3000)}`);
  const repOpen = pdfText((await getPdf(op, `/api/votes/${opn.id}/report.pdf`, 'open report')).body);
  assert.match(repOpen, /Głosowanie nr 2 /);
  const repSec = pdfText((await getPdf(op, `/api/votes/${sec.id}/report.pdf`, 'secret report')).body);
  assert.match(repSec, /Głosowanie nr 1 /);
  const exp = await ok(op.get(`${P}/export.json`), 'export.json');
  assert.deepEqual(exp.votes.map((v) => [v.title, v.number]), [['Wybór skarbnika (tajne)', 1], ['Uchwała o porządku (jawne)', 2]]);
  const csv = (await op.get(`${P}/export.csv`)).text;
  assert.match(csv, /głosowanie,2,Uchwała o porządku \(jawne\)/);
  assert.match(csv, /głosowanie,1,Wybór skarbnika \(tajne\)/);

  // ---- point 17: words that agree with the person, one term, a hyphen where a word breaks
  assert.match(proto, /Zofia Wiśniewska przewodnicząca/, 'the chair in the feminine (protocol)');
  assert.match(proto, /Przewodnicząca obrad/, 'the signature line of a woman chair');
  assert.ok(csv.includes('skład,12,,Zofia Wiśniewska,przewodnicząca') || /skład,\d+,,Zofia Wiśniewska,przewodnicząca/.test(csv), 'export.csv: przewodnicząca');
  assert.match(proto, /Łukasz Zieliński (wiceprzewodniczący|wiceprzewodni\S*[\u00ad-] ?czący)/, 'vice-chair whole or broken with a hyphen');
  assert.doesNotMatch(proto, /statutowy/, 'one term: skład ustawowy');
  assert.doesNotMatch(repOpen, /statutowy/);
  assert.match(repOpen, /skład ustawowy 15/);

  // ---- point 3: staff and the chair download both PDFs of a private meeting; others get 404
  for (const [who, client] of [['admin', admin], ['operator', op], ['chair', chair]]) {
    await getPdf(client, `${P}/protocol.pdf`, `${who}: protocol`);
    await getPdf(client, `/api/votes/${opn.id}/report.pdf`, `${who}: vote report`);
  }
  for (const [who, client] of [['outsider', outsider], ['anonymous', anon]]) {
    assert.equal((await client.get(`${P}/protocol.pdf`)).status, 404, `${who}: protocol`);
    assert.equal((await client.get(`/api/votes/${opn.id}/report.pdf`)).status, 404, `${who}: vote report`);
  }

  // ---- point 4: absent apart from present-and-not-voted (JSON, CSV, PDF)
  const named = closedOpen.result.named;
  const row = (client) => named.find((n) => n.user_id === client.user.id);
  assert.deepEqual([row(chair).choice, row(chair).absent], ['yes', false]);
  assert.deepEqual([row(r2).choice, row(r2).absent], [null, false], 'present, did not vote');
  assert.deepEqual([row(absent1).choice, row(absent1).absent], [null, true], 'absent');
  assert.equal(named.filter((n) => n.absent).length, 15 - present.length);
  assert.equal(closedOpen.result.absent, 15 - present.length);
  assert.equal(closedOpen.result.not_voted, 15 - 2);
  const r2name = r2.user.name;
  const a1name = absent1.user.name;
  assert.ok(csv.includes(`imiennie,2,Uchwała o porządku (jawne),${r2name},nie głosował(a)`), 'CSV: present, not voted');
  assert.ok(csv.includes(`imiennie,2,Uchwała o porządku (jawne),${a1name},nieobecny/nieobecna`), 'CSV: absent');
  assert.match(csv, /wynik,2,Uchwała o porządku \(jawne\),w tym nieobecnych,10/);
  const expVote = exp.votes.find((v) => v.id === opn.id);
  assert.equal(expVote.named.find((n) => n.name === a1name).absent, true, 'export.json: absent');
  assert.equal(expVote.named.find((n) => n.name === r2name).absent, false, 'export.json: present');
  assert.ok(repOpen.includes(`${r2name} nie głosował(a)`), `report: present, not voted: ${repOpen}`);
  assert.ok(repOpen.includes(`${a1name} nieobecny/nieobecna`), 'report: absent');
  assert.match(proto, new RegExp(`Obecni, nie głosowali \\(3\\): [^:]*${r2name}`));
  assert.match(proto, new RegExp(`Nieobecni \\(10\\): [^:]*${a1name}`));

  // ---- point 5: the board of the closed secret vote opens with the key on its report
  const m5 = /verify\?\s*vote=([A-Za-z0-9_-]+)\s*&\s*key=([0-9a-f]{32})/.exec(repSec);
  assert.ok(m5, `the report carries the board key: ${repSec}`);
  assert.equal(m5[1], sec.id);
  const key = m5[2];
  const noKey = await anon.get(`/api/votes/${sec.id}/board`);
  assert.ok(noKey.status === 401 || noKey.status === 404, `no key: ${noKey.status}`);
  const withKey = await anon.get(`/api/votes/${sec.id}/board?key=${key}`);
  assert.equal(withKey.status, 200, withKey.text);
  assert.equal(withKey.json.vote_id || withKey.json.election?.vote_id || sec.id, sec.id);
  const wrong = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
  assert.equal((await anon.get(`/api/votes/${sec.id}/board?key=${wrong}`)).status, 404, 'a wrong key');
  assert.equal((await anon.get(`/api/votes/${opn.id}/board?key=${key}`)).status, 404, 'another vote with this key');
  assert.equal((await outsider.get(`/api/votes/${sec.id}/board?key=${key}`)).status, 200, 'signed in, not a participant');
});

test('point 12 per body: the attendance minimum and the audio bitrate are body settings (validated, defaults 120 s and 32 kbps) the checks and the console follow', { timeout: 60000 }, async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(admin);
  const [op] = await signInMany(srv, [DEMO.operator]);
  const B = `/api/bodies/${bodyId}`;
  const b0 = await ok(admin.get(B), 'body');
  assert.deepEqual([b0.attendance_min_s, b0.audio_kbps], [120, 32], 'the defaults');
  for (const bad of [{ attendance_min_s: 5 }, { attendance_min_s: 3601 }, { attendance_min_s: '300' }, { audio_kbps: 40 }, { audio_kbps: 8 }, { audio_kbps: 96 }]) {
    const r = await admin.patch(B, bad);
    assert.equal(r.status, 422, `${JSON.stringify(bad)}: ${r.text}`);
    assert.equal(r.json.error.field, Object.keys(bad)[0]);
  }
  const b1 = await ok(admin.patch(B, { attendance_min_s: 300, audio_kbps: 48 }), 'patch');
  assert.deepEqual([b1.attendance_min_s, b1.audio_kbps], [300, 48]);
  assert.deepEqual([(await ok(admin.get(B), 'body')).attendance_min_s, (await ok(admin.get(B), 'body')).audio_kbps], [300, 48], 'stored');

  const m = await createMeeting(op, bodyId, { title: 'Sesja z dłuższym sprawdzaniem', number: 'XLII', public: false });
  const P = `/api/meetings/${m.id}`;
  const md = await ok(op.get(P), 'meeting');
  assert.deepEqual([md.attendance_min_s, md.audio_kbps], [300, 48], 'the console reads the body\'s settings from the meeting');
  await ok(op.post(`${P}/start`, {}), 'start');
  // 200 s is over the old fixed 120 s but under this body's 300 s: refused without the override.
  const short = await op.post(`${P}/attendance-checks`, { duration_s: 200 });
  assert.equal(short.status, 422, short.text);
  assert.equal(short.json.error.field, 'duration_s');
  const c1 = await ok(op.post(`${P}/attendance-checks`, { duration_s: 200, override_minimum: true }), 'override');
  await ok(op.post(`${P}/attendance-checks/${c1.check_id}/end`, {}), 'end');
  // No duration: the body's minimum, not 120 s.
  const before = Date.now();
  const c2 = await ok(op.post(`${P}/attendance-checks`, {}), 'default check');
  assert.ok(c2.ends_at - before >= 299000 && c2.ends_at - before <= 330000, `ends after ~300 s: ${c2.ends_at - before}`);
  await ok(op.post(`${P}/attendance-checks/${c2.check_id}/end`, {}), 'end');
  const evs = await readEvents(op, m.id, { since: 0 });
  const started = evs.filter((e) => e.type === 'attendance.started').map((e) => [e.payload.duration_s, e.payload.minimum_s, e.payload.is_override]);
  assert.deepEqual(started, [[200, 300, true], [300, 300, false]], 'each check records the minimum in force');
  // A body with a shorter minimum accepts 90 s without an override.
  await ok(admin.patch(B, { attendance_min_s: 60 }), 'shorter minimum');
  const c3 = await ok(op.post(`${P}/attendance-checks`, { duration_s: 90 }), '90 s under a 60 s minimum');
  await ok(op.post(`${P}/attendance-checks/${c3.check_id}/end`, {}), 'end');
});
