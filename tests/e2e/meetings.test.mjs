// Preparing a meeting (issue 4, "Preparation"): create with validation, the
// agenda while a draft, convening with invitations (.ics, personal access
// links), changes after convening, the reminder deadline; and who sees what on
// a meeting's event stream (public view, members, to-operator chat).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, expectError, anonymous, api, openSSE,
  mailFiles, newMails, mailPart, createMeeting, readEvents, sql, sqlq, eventually, fakeId, sleep,
} from './lib.mjs';

after(stopAll);

const DAY_MS = 24 * 3600 * 1000;
const MEMBER_EMAILS = [DEMO.chair, ...Array.from({ length: 14 }, (_, i) => DEMO.member(i + 1))];
const GUEST = 'gosc.recenzent@uczelnia-zewnetrzna.example';

let srv;
let op; // biuro@ (operator)
let member; // radny02
let bodyId;

before(async () => {
  srv = await startDemo();
  [op, member] = await signInMany(srv, [DEMO.operator, DEMO.member(2)]);
  ({ bodyId } = await demoIds(op));
});

/** Waits until at least n mails not in `before` are in DATA/mail, then a moment for strays → parsed mails. */
async function waitMails(before, n, ms = 8000) {
  await eventually(() => mailFiles(srv.dataDir).size - before.size >= n, ms, 50);
  await sleep(300);
  return newMails(srv.dataDir, before);
}

const addrOf = (to) => {
  const m = /<([^>]+)>/.exec(to);
  return (m ? m[1] : to).trim().toLowerCase();
};

test('create: validation (bad_time, mode), required fields, members may not prepare', async () => {
  const ok = await op.post(`/api/bodies/${bodyId}/meetings`, {
    number: 'XXVI', title: 'XXVI Sesja Rady Gminy', starts_at: '2031-05-01T17:00:00+02:00',
    place: 'Sala sesyjna Urzędu Gminy', mode: 'hybrid', public: true,
    broadcast_url: 'https://www.youtube.com/watch?v=przyklad',
  });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.status, 'draft');
  assert.equal(ok.json.title, 'XXVI Sesja Rady Gminy');
  assert.equal(ok.json.starts_at_ms, Date.UTC(2031, 4, 1, 15, 0, 0));
  assert.equal(ok.json.mode, 'hybrid');
  assert.equal(ok.json.is_public, true);

  const base = { title: 'Sesja', starts_at: '2031-05-01T17:00:00+02:00', mode: 'remote' };
  for (const bad of ['01.05.2031 17:00', '2031-05-01 17:00 CEST', 'next tuesday at five', '2031-13-01T17:00:00Z']) {
    expectError(await op.post(`/api/bodies/${bodyId}/meetings`, { ...base, starts_at: bad }), 422, 'bad_time', 'starts_at');
  }
  const badMode = await op.post(`/api/bodies/${bodyId}/meetings`, { ...base, mode: 'zoom' });
  assert.equal(badMode.status, 422, badMode.text);
  assert.equal(badMode.json.error.field, 'mode', badMode.text);
  expectError(await op.post(`/api/bodies/${bodyId}/meetings`, { starts_at: base.starts_at, mode: 'remote' }), 422, 'missing_field', 'title');

  expectError(await member.post(`/api/bodies/${bodyId}/meetings`, base), 403, 'forbidden');
  expectError(await anonymous(srv).post(`/api/bodies/${bodyId}/meetings`, base), 401, 'unauthorized');

  // Nothing was created by the refused requests.
  const list = await op.get(`/api/bodies/${bodyId}/meetings`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.meetings.length, 1, list.text);
});

test('agenda while a draft: add, edit, remove, reorder; members may not edit it', async () => {
  const m = await createMeeting(op, bodyId, { title: 'Sesja budżetowa' });
  const items = [];
  for (const title of ['Otwarcie sesji', 'Projekt uchwały budżetowej', 'Wolne wnioski', 'Zamknięcie']) {
    const r = await op.post(`/api/meetings/${m.id}/agenda`, { title, description: `Opis: ${title}` });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.title, title);
    assert.equal(r.json.is_amendment, false);
    items.push(r.json.item_id);
  }
  expectError(await member.post(`/api/meetings/${m.id}/agenda`, { title: 'Punkt radnego' }), 403, 'forbidden');
  expectError(await op.post(`/api/meetings/${m.id}/agenda`, { description: 'bez tytułu' }), 422, 'missing_field', 'title');

  const ed = await op.patch(`/api/meetings/${m.id}/agenda/${items[1]}`, { title: 'Uchwała budżetowa na rok 2032', description: 'Druk nr 12' });
  assert.equal(ed.status, 200, ed.text);
  assert.equal(ed.json.title, 'Uchwała budżetowa na rok 2032');
  expectError(await member.patch(`/api/meetings/${m.id}/agenda/${items[1]}`, { title: 'x' }), 403, 'forbidden');
  expectError(await op.patch(`/api/meetings/${m.id}/agenda/${fakeId()}`, { title: 'x' }), 404, 'not_found');

  const rm = await op.del(`/api/meetings/${m.id}/agenda/${items[2]}`);
  assert.equal(rm.status, 200, rm.text);
  expectError(await member.del(`/api/meetings/${m.id}/agenda/${items[0]}`), 403, 'forbidden');

  const order = [items[3], items[1], items[0]];
  const ro = await op.post(`/api/meetings/${m.id}/agenda/order`, { order });
  assert.equal(ro.status, 200, ro.text);

  const got = await op.get(`/api/meetings/${m.id}`);
  assert.equal(got.status, 200, got.text);
  assert.deepEqual(got.json.agenda.map((i) => i.id ?? i.item_id), order, got.text);
  assert.deepEqual(got.json.agenda.map((i) => i.title), ['Zamknięcie', 'Uchwała budżetowa na rok 2032', 'Otwarcie sesji']);
  const st = await op.get(`/api/meetings/${m.id}/state`);
  assert.equal(st.status, 200, st.text);
  assert.deepEqual(st.json.agenda.map((i) => [i.id, i.position]), order.map((id, k) => [id, k + 1]), 'the folded state agrees');
  assert.equal(st.json.agenda[1].description, 'Druk nr 12');

  const evs = await readEvents(op, m.id, { untilSeq: st.json.seq });
  assert.deepEqual(evs.map((e) => e.type), ['meeting.created', 'agenda.item_added', 'agenda.item_added', 'agenda.item_added',
    'agenda.item_added', 'agenda.item_updated', 'agenda.item_removed', 'agenda.reordered']);
});

test('convene: one invitation per participant with .ics and a personal link; access links; convened agenda is frozen; change notices; reminder deadline', async (t) => {
  const startsAt = '2031-05-01T17:00:00+02:00';
  const m = await createMeeting(op, bodyId, { number: 'XXVII', title: 'XXVII Sesja', starts_at: startsAt });
  const item = (await op.post(`/api/meetings/${m.id}/agenda`, { title: 'Sprawozdanie wójta' })).json.item_id;
  const g = await op.post(`/api/meetings/${m.id}/participants`, { email: GUEST, name: 'Gość Recenzent' });
  assert.equal(g.status, 201, g.text);
  expectError(await member.post(`/api/meetings/${m.id}/convene`, {}), 403, 'forbidden');

  const before0 = mailFiles(srv.dataDir);
  const cv = await op.post(`/api/meetings/${m.id}/convene`, {});
  assert.equal(cv.status, 200, cv.text);
  assert.equal(cv.json.invited, 16, cv.text);
  const mails = await waitMails(before0, 16);

  const expected = [...MEMBER_EMAILS, GUEST].sort();
  const byAddr = new Map();
  for (const mail of mails) {
    const a = addrOf(mail.headers.to);
    byAddr.set(a, [...(byAddr.get(a) || []), mail]);
  }
  assert.deepEqual([...byAddr.keys()].sort(), expected, 'every participant, nobody else');
  const tokens = new Map();
  for (const [addr, list] of byAddr) {
    assert.equal(list.length, 1, `exactly one invitation to ${addr}: ${list.map((x) => x.headers.subject).join(' | ')}`);
    const mail = list[0];
    assert.match(mail.headers.subject, /XXVII/, `subject to ${addr}`);
    const cal = mailPart(mail, 'text/calendar');
    assert.ok(cal, `a text/calendar part in the mail to ${addr}: ${mail.parts.map((p) => p.type)}`);
    assert.match(cal.headers['content-type'], /method="?REQUEST"?/i, 'Content-Type method=REQUEST');
    const ics = cal.text.replace(/\r?\n[ \t]/g, ''); // unfold (RFC 5545 3.1)
    assert.match(ics, /^BEGIN:VCALENDAR\r?$/m);
    assert.match(ics, /^METHOD:REQUEST\r?$/m);
    assert.match(ics, /^DTSTART:20310501T150000Z\r?$/m, 'DTSTART in UTC');
    const uid = /^UID:(.+?)\r?$/m.exec(ics);
    assert.ok(uid && uid[1].includes(m.id), `UID names the meeting: ${uid && uid[1]}`);
    assert.match(ics, new RegExp(`^ATTENDEE[^\\n]*:mailto:${addr.replace(/[.+]/g, '\\$&')}\\r?$`, 'mi'), `ATTENDEE ${addr}`);
    const link = new RegExp(`${srv.url.replace(/[.:/]/g, '\\$&')}/m/([A-Za-z0-9_-]{16,})`).exec(mail.text);
    assert.ok(link, `a personal /m/<token> link in the text to ${addr}:\n${mail.text}`);
    tokens.set(addr, link[1]);
  }
  assert.equal(new Set(tokens.values()).size, tokens.size, 'every link is personal');

  // Each link names its meeting and its person; no cookie needed.
  for (const addr of expected) {
    const r = await api(srv, 'GET', `/api/access/${tokens.get(addr)}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.meeting_id, m.id);
    assert.equal(r.json.email, addr);
  }
  expectError(await api(srv, 'GET', '/api/access/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'not_found');

  // The reminder: due reminder_days (7) before the start, when convened earlier.
  const rem = await sql(srv, `SELECT due_ms FROM deadlines WHERE meeting_id = ${sqlq(m.id)} AND kind = 'reminder' AND done_ms IS NULL`);
  assert.equal(rem, String(Date.parse(startsAt) - 7 * DAY_MS), 'one reminder deadline, 7 days before');

  // Convened: the agenda changes only by amendment during the meeting.
  expectError(await op.post(`/api/meetings/${m.id}/agenda`, { title: 'Nowy punkt' }), 409, 'meeting_not_draft');
  expectError(await op.patch(`/api/meetings/${m.id}/agenda/${item}`, { title: 'Zmieniony' }), 409, 'meeting_not_draft');
  expectError(await op.del(`/api/meetings/${m.id}/agenda/${item}`), 409, 'meeting_not_draft');
  expectError(await op.post(`/api/meetings/${m.id}/agenda/order`, { order: [item] }), 409, 'meeting_not_draft');
  expectError(await op.post(`/api/meetings/${m.id}/convene`, {}), 409, 'meeting_not_draft');
  const st = await op.get(`/api/meetings/${m.id}/state`);
  assert.equal(st.json.status, 'convened');
  assert.deepEqual(st.json.agenda.map((i) => i.title), ['Sprawozdanie wójta']);

  // A new date after convening: a notice to everyone, with the updated calendar entry.
  const before1 = mailFiles(srv.dataDir);
  const up = await op.patch(`/api/meetings/${m.id}`, { starts_at: '2031-05-02T18:00:00+02:00' });
  assert.equal(up.status, 200, up.text);
  assert.equal(up.json.starts_at_ms, Date.UTC(2031, 4, 2, 16, 0, 0));
  const sentAt = Date.now();
  const notices = await waitMails(before1, 16);
  t.diagnostic(`change notices arrived ${Date.now() - sentAt - 300} ms after the PATCH`);
  assert.deepEqual(notices.map((x) => addrOf(x.headers.to)).sort(), expected, 'one change notice to each participant');
  for (const n of notices) {
    assert.notEqual(n.headers.subject, byAddr.get(addrOf(n.headers.to))[0].headers.subject, 'the notice is not the invitation again');
    assert.match(n.text, /2031-05-02 18:00|2 maja 2031/, `the new date in the notice:\n${n.text}`);
    const ics = mailPart(n, 'text/calendar').text.replace(/\r?\n[ \t]/g, '');
    assert.match(ics, /^DTSTART:20310502T160000Z\r?$/m);
    assert.match(ics, new RegExp(`^UID:.*${m.id}`, 'm'), 'same UID: the calendar updates the entry');
    const seq = /^SEQUENCE:(\d+)/m.exec(ics);
    assert.ok(seq && Number(seq[1]) > 0, `SEQUENCE grows: ${seq && seq[1]}`);
  }
  const evs = await readEvents(op, m.id, { since: st.json.seq });
  assert.deepEqual(evs.map((e) => [e.type, e.payload]), [['meeting.updated', { starts_at: Date.UTC(2031, 4, 2, 16, 0, 0) }]]);

  // Convened less than 7 days ahead: no reminder.
  const soon = new Date(Date.now() + 2 * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z');
  const m2 = await createMeeting(op, bodyId, { title: 'Sesja nadzwyczajna', starts_at: soon });
  const before2 = mailFiles(srv.dataDir);
  assert.equal((await op.post(`/api/meetings/${m2.id}/convene`, {})).status, 200);
  assert.equal(await sql(srv, `SELECT count(*) FROM deadlines WHERE meeting_id = ${sqlq(m2.id)} AND kind = 'reminder'`), '0');
  await waitMails(before2, 15); // let the outbox finish before the next test counts mails
});

test('visibility: the public stream never carries chat or presses; a private meeting needs sign-in; members never see others\' notes to the operator', async () => {
  const [chair, r3, r4] = await signInMany(srv, [DEMO.chair, DEMO.member(3), DEMO.member(4)]);
  const pub = await createMeeting(op, bodyId, { title: 'Sesja jawna', public: true });
  await op.post(`/api/meetings/${pub.id}/agenda`, { title: 'Otwarcie' });

  // Not published while a draft.
  const draftStream = await openSSE(`${srv.url}/api/meetings/${pub.id}/events`);
  assert.equal(draftStream.status, 401, `draft public meeting, no cookie: ${draftStream.status} ${draftStream.text}`);
  const before = mailFiles(srv.dataDir);
  assert.equal((await op.post(`/api/meetings/${pub.id}/convene`, {})).status, 200);

  const anon = anonymous(srv);
  const pubStream = await openSSE(`${srv.url}/api/meetings/${pub.id}/events?since=0`);
  assert.equal(pubStream.status, 200, pubStream.text);
  pubStream.close();

  assert.equal((await op.post(`/api/meetings/${pub.id}/start`, {})).status, 200);
  const chk = await op.post(`/api/meetings/${pub.id}/attendance-checks`, { duration_s: 2, override_minimum: true });
  assert.equal(chk.status, 201, `attendance check of 2 s: ${chk.text}`);
  const presses = await Promise.all([member, r3, r4, chair].map((c) => c.post(`/api/meetings/${pub.id}/attendance-checks/${chk.json.check_id}/present`, {})));
  for (const r of presses) assert.equal(r.status, 200, r.text);
  const toAll = await member.post(`/api/meetings/${pub.id}/chat`, { text: 'Dzień dobry wszystkim', to: 'all' });
  assert.equal(toAll.status, 201, toAll.text);
  const toOp = await r3.post(`/api/meetings/${pub.id}/chat`, { text: 'Nie słyszę transmisji', to: 'operator' });
  assert.equal(toOp.status, 201, toOp.text);
  const toOp2 = await r4.post(`/api/meetings/${pub.id}/chat`, { text: 'Mam problem z mikrofonem', to: 'operator' });
  assert.equal(toOp2.status, 201, toOp2.text);
  const fl = await r4.post(`/api/meetings/${pub.id}/speakers`, { kind: 'normal' });
  assert.equal(fl.status, 201, fl.text);
  assert.equal((await r4.post(`/api/meetings/${pub.id}/presence`, { is_present: false })).status, 200);
  // The check ends by itself; then the meeting closes.
  const ended = await readEvents(anon, pub.id, { untilType: 'attendance.ended', timeoutMs: 6000 });
  assert.equal(ended.at(-1).actor, 'system');
  assert.equal((await op.post(`/api/meetings/${pub.id}/close`, {})).status, 200);
  const head = (await op.get(`/api/meetings/${pub.id}/state`)).json.seq;

  const pubEvents = await readEvents(anon, pub.id, { untilType: 'meeting.closed' });
  const types = pubEvents.map((e) => e.type);
  for (const t of ['meeting.created', 'agenda.item_added', 'meeting.convened', 'meeting.started', 'attendance.started', 'attendance.ended', 'meeting.closed']) {
    assert.ok(types.includes(t), `public stream has ${t}: ${types.join(', ')}`);
  }
  for (const t of ['chat.message', 'attendance.present', 'presence.changed', 'floor.requested']) {
    assert.ok(!types.includes(t), `public stream must not carry ${t}: ${types.join(', ')}`);
  }
  const pubState = await anon.get(`/api/meetings/${pub.id}/state`);
  assert.equal(pubState.status, 200, pubState.text);
  assert.equal(pubState.json.chat, undefined, 'no chat in the public snapshot');
  assert.ok(!pubState.text.includes('Nie słyszę') && !pubState.text.includes('Dzień dobry wszystkim'), 'no chat text in the public snapshot');

  // A member's stream: chat to all yes, others' notes to the operator never.
  const mine = await readEvents(member, pub.id, { untilType: 'meeting.closed' });
  const chats = mine.filter((e) => e.type === 'chat.message');
  assert.deepEqual(chats.map((e) => e.payload.text), ['Dzień dobry wszystkim'], `member's stream chat: ${JSON.stringify(chats)}`);
  assert.ok(mine.some((e) => e.type === 'attendance.present'), 'participants see presses');
  const memberState = await member.get(`/api/meetings/${pub.id}/state`);
  assert.deepEqual(memberState.json.chat.map((c) => c.text), ['Dzień dobry wszystkim']);
  // Staff see both notes.
  const staff = await readEvents(op, pub.id, { untilSeq: head });
  assert.deepEqual(staff.filter((e) => e.type === 'chat.message').map((e) => e.payload.to), ['all', 'operator', 'operator']);
  assert.deepEqual(staff.map((e) => e.seq), Array.from({ length: head }, (_, i) => i + 1), 'staff see every seq');

  // A private convened meeting: no stream, no snapshot without a cookie.
  const priv = await createMeeting(op, bodyId, { title: 'Sesja niejawna', public: false });
  assert.equal((await op.post(`/api/meetings/${priv.id}/convene`, {})).status, 200);
  const ps = await openSSE(`${srv.url}/api/meetings/${priv.id}/events`);
  assert.equal(ps.status, 401, `private meeting stream without a cookie: ${ps.status} ${ps.text}`);
  expectError(await anon.get(`/api/meetings/${priv.id}/state`), 401, 'unauthorized');
  await waitMails(before, 30, 10000); // 15 + 15 invitations: let the outbox finish
});

// Last in the file: its mails may still be on their way when the server stops.
test('a convened meeting moved to another date: the pending reminder moves with it (7 days before the new start)', async () => {
  const m = await createMeeting(op, bodyId, { title: 'Sesja przeniesiona', starts_at: '2031-06-10T17:00:00+02:00' });
  assert.equal((await op.post(`/api/meetings/${m.id}/convene`, {})).status, 200);
  const q = `SELECT due_ms FROM deadlines WHERE meeting_id = ${sqlq(m.id)} AND kind = 'reminder' AND done_ms IS NULL`;
  assert.equal(await sql(srv, q), String(Date.parse('2031-06-10T17:00:00+02:00') - 7 * DAY_MS));
  const newStart = '2031-06-24T17:00:00+02:00';
  assert.equal((await op.patch(`/api/meetings/${m.id}`, { starts_at: newStart })).status, 200);
  assert.equal(await sql(srv, q), String(Date.parse(newStart) - 7 * DAY_MS),
    'PATCH starts_at of a convened meeting: the reminder deadline should follow the new date (else the reminder goes out 3 weeks before the meeting)');
});
