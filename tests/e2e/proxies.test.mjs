// Proxies (pełnomocnictwa, issue 17 item 6), over HTTP: the office registers
// that member A votes for member B (one meeting or a range of days) with the
// signed authorisation uploaded; every refusal names its field (a chain, an
// overlap, a non-member, oneself, bad dates, no or a wrong file); the
// document is for the office only. At the meeting A votes for absent B: the
// ballot counts once, as B's, with who cast it in the log, the named list,
// the public CSV and the protocol PDF (pdftotext). A present grantor votes
// themself; an absent holder cannot vote; never in a secret vote; revoked
// proxies stop.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  startDemo, stopAll, signIn, signInMany, newUser, demoIds, DEMO, DEMO_MEMBERS, expectError,
  createMeeting, readEvents, eventually, ok, freeTmpDir, anonymous,
} from './lib.mjs';

after(stopAll);

const pdfText = (buf) => {
  const f = path.join(freeTmpDir('obrady-proxy-'), 'p.pdf');
  fs.writeFileSync(f, buf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};
const pdf = () => Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(2048), Buffer.from('\n%%EOF\n')]);
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Warsaw' }).format(new Date());

/** POST /api/bodies/{id}/proxies with the document as the body and the rest in the query. */
function register(client, bodyId, q, { bytes = pdf(), name = 'pełnomocnictwo.pdf', type = 'application/pdf' } = {}) {
  const qs = new URLSearchParams(q).toString();
  const headers = { 'content-type': type };
  if (name !== null) headers['x-filename'] = encodeURIComponent(name);
  return client.api('POST', `/api/bodies/${bodyId}/proxies?${qs}`, bytes, { headers, raw: true });
}

test('proxies: register with the document, every refusal, a proxy ballot counted once as the grantor\'s, presence rules, revoke, download rights', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const { bodyId } = await demoIds(op);
  await newUser(srv, 'obcy.pelnomocnik@other.example', { name: 'Osoba Spoza Rady' });
  const outsider = await signIn(srv, 'obcy.pelnomocnik@other.example', { via: 'stdout' });
  const [A, B, C, D, E, F] = [members[6], members[5], members[7], members[8], members[9], members[10]];
  const m = await createMeeting(op, bodyId, { title: 'Walne zgromadzenie', public: true });
  const P = `/api/meetings/${m.id}`;

  // Registration: A for B at this meeting, with the signed document.
  const doc = pdf();
  const px = await ok(register(op, bodyId, { grantor_id: B.user.id, holder_id: A.user.id, meeting_id: m.id }, { bytes: doc }), 'register');
  assert.equal(px.grantor_id, B.user.id);
  assert.equal(px.holder_id, A.user.id);
  assert.equal(px.meeting_id, m.id);
  assert.equal(px.document.filename, 'pełnomocnictwo.pdf');
  assert.equal(px.document.size_bytes, doc.length);
  assert.equal(px.revoked_at, null);
  // E for D over a range of days including today (E will stay absent).
  await ok(register(op, bodyId, { grantor_id: D.user.id, holder_id: E.user.id, valid_from: today(), valid_until: '2999-12-31' }), 'range proxy');

  // Refusals, each naming its field.
  const g = { grantor_id: F.user.id, holder_id: C.user.id, meeting_id: m.id };
  expectError(await register(members[3], bodyId, g), 403, 'forbidden');
  expectError(await register(op, bodyId, { holder_id: C.user.id, meeting_id: m.id }), 422, 'missing_field', 'grantor_id');
  expectError(await register(op, bodyId, { ...g, grantor_id: 'not-an-id' }), 400, 'bad_parameter', 'grantor_id');
  expectError(await register(op, bodyId, { ...g, holder_id: F.user.id }), 422, 'proxy_self', 'holder_id');
  expectError(await register(op, bodyId, { ...g, grantor_id: outsider.user.id }), 422, 'proxy_not_member', 'grantor_id');
  expectError(await register(op, bodyId, { ...g, holder_id: outsider.user.id }), 422, 'proxy_not_member', 'holder_id');
  expectError(await register(op, bodyId, { grantor_id: F.user.id, holder_id: C.user.id }), 422, 'missing_field', 'meeting_id');
  expectError(await register(op, bodyId, { grantor_id: F.user.id, holder_id: C.user.id, valid_from: '2030-02-01', valid_until: '2030-01-01' }), 422, 'out_of_range', 'valid_until');
  expectError(await register(op, bodyId, { grantor_id: F.user.id, holder_id: C.user.id, valid_from: '2030-02-30', valid_until: '2030-03-01' }), 422, 'out_of_range', 'valid_from');
  // A duplicate or overlapping proxy of B (the range covers this meeting's day).
  expectError(await register(op, bodyId, { grantor_id: B.user.id, holder_id: C.user.id, valid_from: '2020-01-01', valid_until: '2999-01-01' }), 409, 'proxy_overlap', 'grantor_id');
  expectError(await register(op, bodyId, { grantor_id: B.user.id, holder_id: A.user.id, meeting_id: m.id }), 409, 'proxy_overlap', 'grantor_id');
  // Chains: A (a holder) gives a proxy to C; B (represented) would hold one for F.
  const chain1 = await register(op, bodyId, { grantor_id: A.user.id, holder_id: C.user.id, meeting_id: m.id });
  expectError(chain1, 409, 'proxy_chain', 'grantor_id');
  expectError(await register(op, bodyId, { grantor_id: F.user.id, holder_id: B.user.id, meeting_id: m.id }), 409, 'proxy_chain', 'holder_id');
  const chainPl = await register(op, bodyId, { grantor_id: A.user.id, holder_id: C.user.id, meeting_id: m.id, }, { name: 'x.pdf' });
  assert.match(chainPl.json.error.message, /chain/);
  // The file: none, or one that is not what its name says.
  expectError(await register(op, bodyId, g, { bytes: Buffer.alloc(0) }), 422, 'out_of_range', 'file');
  expectError(await register(op, bodyId, g, { name: null }), 422, 'missing_field', 'filename');
  expectError(await register(op, bodyId, g, { bytes: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), name: 'a.pdf' }), 415, 'file_type');

  // The register and the document: the office only.
  const list = await ok(op.get(`/api/bodies/${bodyId}/proxies`), 'list');
  assert.equal(list.proxies.length, 2, 'the refused ones were not stored');
  const row = list.proxies.find((x) => x.id === px.id);
  assert.equal(row.grantor_name, B.user.name);
  assert.equal(row.holder_name, A.user.name);
  expectError(await A.get(`/api/bodies/${bodyId}/proxies`), 403, 'forbidden');
  const got = await op.get(`/api/proxies/${px.id}/document`);
  assert.equal(got.status, 200);
  assert.ok(Buffer.compare(got.body, doc) === 0, 'the document comes back byte for byte');
  assert.match(got.headers['content-disposition'], /attachment/);
  expectError(await A.get(`/api/proxies/${px.id}/document`), 403, 'forbidden');
  expectError(await B.get(`/api/proxies/${px.id}/document`), 403, 'forbidden');
  expectError(await anonymous(srv).get(`/api/proxies/${px.id}/document`), 401, 'unauthorized');

  // The meeting: present are members 0..4 and A; B, D and E are absent.
  await ok(op.post(`${P}/start`, {}), 'start');
  const present = [...members.slice(0, 5), A];
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const mine = await ok(A.get(`${P}/proxies`), 'A sees the proxy held');
  assert.deepEqual(mine.proxies.map((x) => [x.grantor_id, x.grantor_name]), [[B.user.id, B.user.name]]);
  assert.deepEqual((await ok(C.get(`${P}/proxies`), 'C')).proxies, [], 'others see none');
  assert.equal((await ok(op.get(`${P}/proxies`), 'office')).proxies.length, 2);

  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała o podziale nadwyżki', duration_s: 600 }), 'vote');
  const V = `/api/votes/${v.id}`;
  const opened = await ok(op.post(`${V}/open`, {}), 'open');
  // B is represented (A is present); D is not (E is absent): 6 present + 1.
  assert.equal(opened.present_at_open, 7, JSON.stringify(opened));

  const pb = (who, body) => who.post(`${V}/proxy-ballots`, { ballot_id: crypto.randomUUID(), ...body });
  expectError(await pb(C, { for: B.user.id, choice: 'yes' }), 403, 'no_proxy', 'for');
  expectError(await pb(A, { for: D.user.id, choice: 'yes' }), 403, 'no_proxy', 'for');
  expectError(await pb(E, { for: D.user.id, choice: 'yes' }), 409, 'proxy_holder_absent');
  expectError(await pb(A, { for: B.user.id }), 422, 'missing_field', 'choice');
  expectError(await pb(A, { for: B.user.id, choice: 'maybe' }), 422, 'out_of_range', 'choice');
  expectError(await pb(A, { choice: 'no' }), 422, 'missing_field', 'for');
  // A votes for B, then for themself: two ballots, B's counted once.
  const bid = crypto.randomUUID();
  const cast = await ok(A.post(`${V}/proxy-ballots`, { ballot_id: bid, for: B.user.id, choice: 'no' }), 'proxy ballot');
  assert.equal(cast.for, B.user.id);
  assert.equal(cast.is_repeat, false);
  const again = await ok(A.post(`${V}/proxy-ballots`, { ballot_id: bid, for: B.user.id, choice: 'no' }), 'retry');
  assert.equal(again.is_repeat, true, 'a retry is answered, not counted again');
  expectError(await pb(A, { for: B.user.id, choice: 'yes' }), 409, 'already_voted');
  await ok(A.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'A votes for themself');
  // B, absent, cannot vote on their own.
  expectError(await B.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 409, 'not_present');
  const live = await ok(op.get(V), 'live');
  assert.equal(live.live.cast, 2);
  const liveRow = live.named.find((n) => n.user_id === B.user.id);
  assert.equal(liveRow.choice, 'no');
  assert.equal(liveRow.by_proxy, true);
  assert.equal(liveRow.cast_by_name, A.user.name);

  // Secret votes: refused, with the reason.
  const s = await ok(op.post(`${P}/votes`, { title: 'Wybór zarządu', kind: 'secret' }), 'secret');
  expectError(await A.post(`/api/votes/${s.id}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: B.user.id, choice: 'yes' }), 409, 'proxy_secret');
  const why = await A.post(`/api/votes/${s.id}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: B.user.id, choice: 'yes' }, { headers: { 'accept-language': 'pl' } });
  assert.match(why.json.error.message, /tajnym.*pełnomocnika/);

  const closed = await ok(op.post(`${V}/close`, {}), 'close');
  assert.equal(closed.result.yes, 1);
  assert.equal(closed.result.no, 1, 'B\'s ballot counted once, as B\'s');
  const named = closed.result.named.find((n) => n.user_id === B.user.id);
  assert.equal(named.choice, 'no');
  assert.equal(named.cast_by, A.user.id);
  assert.equal(closed.result.named.find((n) => n.user_id === A.user.id).by_proxy, undefined, 'A\'s own ballot is not marked');
  // A secret vote does not count B as represented: no proxy may vote in it.
  const sOpened = await ok(op.post(`/api/votes/${s.id}/open`, {}), 'open the secret vote');
  assert.equal(sOpened.present_at_open, 6, JSON.stringify(sOpened));
  await ok(op.post(`/api/votes/${s.id}/close`, {}), 'close the secret vote');

  // The log: the ballot is B's, cast by A.
  const evs = (await readEvents(op, m.id, { since: 0, untilType: 'vote.closed' }))
    .filter((e) => e.type === 'vote.ballot' && e.payload.vote_id === v.id && e.payload.by_proxy);
  assert.equal(evs.length, 1);
  assert.equal(evs[0].payload.user_id, B.user.id);
  assert.equal(evs[0].payload.cast_by, A.user.id);
  assert.equal(evs[0].payload.cast_by_name, A.user.name);
  assert.equal(evs[0].actor, A.user.id);

  // The vote's report in English (the organisation's language), then back to Polish.
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { orgId } = await demoIds(admin);
  await ok(admin.patch(`/api/orgs/${orgId}`, { default_lang: 'en' }), 'org in English');
  const repEn = pdfText((await op.get(`${V}/report.pdf`)).body);
  assert.ok(repEn.includes(`${B.user.name} — cast by proxy holder ${A.user.name}`), repEn);
  const csvEn = await anonymous(srv).get(`/api/public/votes/${v.id}/named.csv?lang=en`);
  assert.ok(csvEn.text.includes(`cast by proxy holder ${A.user.name}`), csvEn.text);
  await ok(admin.patch(`/api/orgs/${orgId}`, { default_lang: 'pl' }), 'org in Polish');

  // A grantor who is present votes themself: the proxy is not used.
  await ok(B.post(`${P}/presence`, { is_present: true }), 'B arrives');
  const v2 = await ok(op.post(`${P}/votes`, { title: 'Wniosek formalny', duration_s: 600 }), 'vote 2');
  await ok(op.post(`/api/votes/${v2.id}/open`, {}), 'open 2');
  expectError(await A.post(`/api/votes/${v2.id}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: B.user.id, choice: 'yes' }), 409, 'grantor_present', 'for');
  await ok(B.post(`/api/votes/${v2.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'abstain' }), 'B votes themself');

  // The public named list and the protocol say who cast B's ballot.
  const csv = await anonymous(srv).get(`/api/public/votes/${v.id}/named.csv`);
  assert.equal(csv.status, 200, csv.text);
  assert.ok(csv.text.includes(`oddany przez pełnomocnika ${A.user.name}`), csv.text);
  const html = await anonymous(srv).get(`/api/public/votes/${v.id}/named.html`);
  assert.ok(html.text.includes(`oddany przez pełnomocnika ${A.user.name}`), 'the named HTML says it');
  await ok(op.post(`/api/votes/${v2.id}/close`, {}), 'close 2');
  await ok(op.post(`${P}/close`, {}), 'close the meeting');
  const pl = pdfText((await op.get(`${P}/protocol.pdf`)).body);
  assert.ok(pl.includes(`${B.user.name} — oddany przez pełnomocnika ${A.user.name}`), pl);
  assert.ok(pl.includes(`Głosowali przez pełnomocnika: ${B.user.name} (pełnomocnik: ${A.user.name}).`), pl);
  const rep = pdfText((await op.get(`${V}/report.pdf`)).body);
  assert.ok(rep.includes(`oddany przez pełnomocnika ${A.user.name}`), rep);

  // Revocation: who and when; twice is refused; the holder no longer sees it.
  const rv = await ok(op.post(`/api/proxies/${px.id}/revoke`, {}), 'revoke');
  assert.ok(rv.revoked_at > 0);
  assert.ok(rv.revoked_by_name.length > 0, 'who revoked it');
  expectError(await op.post(`/api/proxies/${px.id}/revoke`, {}), 409, 'proxy_revoked');
  expectError(await A.post(`/api/proxies/${px.id}/revoke`, {}), 403, 'forbidden');
  const after2 = await ok(op.get(`/api/bodies/${bodyId}/proxies`), 'list after');
  assert.ok(after2.proxies.find((x) => x.id === px.id).revoked_at > 0);
  // With the proxy revoked, the same registration is accepted again (no overlap left).
  const m2 = await createMeeting(op, bodyId, { title: 'Kolejne zgromadzenie' });
  await ok(register(op, bodyId, { grantor_id: B.user.id, holder_id: C.user.id, meeting_id: m2.id }), 'B to C at the next meeting');
});

test('proxies with weights: the ballot A casts for B carries B\'s weight, and A\'s own ballot A\'s', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [admin, op, ...members] = await signInMany(srv, [DEMO.admin, DEMO.operator, ...DEMO_MEMBERS]);
  const { bodyId } = await demoIds(op);
  const [A, B] = [members[2], members[3]];
  await ok(admin.patch(`/api/bodies/${bodyId}`, { uses_weights: true }), 'weights on');
  const { members: rows } = await ok(op.get(`/api/bodies/${bodyId}/members`), 'members');
  const memberOf = (u) => rows.find((r) => r.user_id === u.user.id).id;
  await ok(op.patch(`/api/bodies/${bodyId}/members/${memberOf(B)}`, { weight: '40' }), 'B holds 40 shares');
  const m = await createMeeting(op, bodyId, { title: 'Zebranie wspólnoty' });
  const P = `/api/meetings/${m.id}`;
  await ok(register(op, bodyId, { grantor_id: B.user.id, holder_id: A.user.id, meeting_id: m.id }), 'A for B');
  await ok(op.post(`${P}/start`, {}), 'start');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  const present = members.slice(0, 8).filter((x) => x !== B);
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała o funduszu remontowym', majority: 'shares_cast', duration_s: 600 }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  await ok(A.post(`/api/votes/${v.id}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: B.user.id, choice: 'yes' }), 'A for B');
  await ok(A.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'no' }), 'A for themself');
  const closed = await ok(op.post(`/api/votes/${v.id}/close`, {}), 'close');
  assert.equal(closed.result.yes, 1);
  assert.equal(closed.result.no, 1);
  assert.equal(closed.result.weighted.yes, '40', 'B\'s shares, not A\'s');
  assert.equal(closed.result.weighted.no, '1');
  assert.equal(closed.result.named.find((n) => n.user_id === B.user.id).cast_by, A.user.id);
});

test('proxies and the early close: the vote waits for the ballot of a represented member', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const { bodyId } = await demoIds(op);
  const [A, B] = [members[1], members[2]];
  const m = await createMeeting(op, bodyId, { title: 'Sesja z pełnomocnikiem' });
  const P = `/api/meetings/${m.id}`;
  await ok(register(op, bodyId, { grantor_id: B.user.id, holder_id: A.user.id, meeting_id: m.id }), 'A for B');
  await ok(op.post(`${P}/start`, {}), 'start');
  const present = [members[0], A, members[3]];
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const v = await ok(op.post(`${P}/votes`, { title: 'Wniosek o przerwę', duration_s: 600, early_close: true }), 'vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open');
  for (const x of present) await ok(x.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'ballot');
  assert.equal((await ok(op.get(`/api/votes/${v.id}`), 'still open')).status, 'open', 'every present member voted, B\'s proxy has not');
  await ok(A.post(`/api/votes/${v.id}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: B.user.id, choice: 'no' }), 'A for B');
  const done = await ok(op.get(`/api/votes/${v.id}`), 'closed');
  assert.equal(done.status, 'closed', 'closed early once B\'s ballot is in');
  assert.equal(done.result.no, 1);
});

test('a grantor who leaves mid-vote: present at the opening, the proxy is usable once they are marked absent; their own ballot, if any, stands', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const { bodyId } = await demoIds(op);
  // A holds the proxies of B (who will leave without voting) and of D (who votes, then leaves).
  const [A, B, D] = [members[1], members[2], members[4]];
  const m = await createMeeting(op, bodyId, { title: 'Sesja z wyjściem w trakcie głosowania' });
  const P = `/api/meetings/${m.id}`;
  await ok(register(op, bodyId, { grantor_id: B.user.id, holder_id: A.user.id, meeting_id: m.id }), 'A for B');
  await ok(register(op, bodyId, { grantor_id: D.user.id, holder_id: A.user.id, meeting_id: m.id }), 'A for D');
  await ok(op.post(`${P}/start`, {}), 'start');
  const present = members.slice(0, 9); // A, B and D among them: 9 of 15, quorum 8
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała w sprawie przerwy', duration_s: 600, early_close: true, allow_change: true }), 'vote');
  const V = `/api/votes/${v.id}`;
  const opened = await ok(op.post(`${V}/open`, {}), 'open');
  assert.equal(opened.present_at_open, 9, 'B and D count as present in person');
  const pb = (body) => A.post(`${V}/proxy-ballots`, { ballot_id: crypto.randomUUID(), ...body });

  // While B is here, B votes themself.
  expectError(await pb({ for: B.user.id, choice: 'no' }), 409, 'grantor_present', 'for');
  // D votes in person, then both leave during the vote.
  await ok(D.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'D votes in person');
  await ok(B.post(`${P}/presence`, { is_present: false }), 'B leaves');
  await ok(D.post(`${P}/presence`, { is_present: false }), 'D leaves');
  expectError(await B.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 409, 'not_present');

  // D's own ballot stands: the proxy does not replace it, though the vote allows changes.
  const refused = await A.post(`${V}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: D.user.id, choice: 'no' }, { headers: { 'accept-language': 'pl' } });
  expectError(refused, 409, 'grantor_voted', 'for');
  assert.match(refused.json.error.message, /osobiście/);

  // Everyone still here votes; the early close waits for B's ballot from A.
  const stay = present.filter((x) => x !== B && x !== D);
  for (const x of stay) await ok(x.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'ballot');
  assert.equal((await ok(op.get(V), 'still open')).status, 'open', 'B left without voting: A may still vote for B');

  // B is absent now: A votes for B at once, counted as B's; the vote closes early.
  const cast = await ok(pb({ for: B.user.id, choice: 'no' }), 'A for B after B left');
  assert.equal(cast.for, B.user.id);
  const done = await ok(op.get(V), 'closed');
  assert.equal(done.status, 'closed', 'closed early once B\'s ballot is in');
  assert.equal(done.result.no, 1, 'B\'s ballot, cast by A');
  assert.equal(done.result.yes, stay.length + 1, 'D\'s own ballot and those present');
  const rowB = done.result.named.find((n) => n.user_id === B.user.id);
  assert.deepEqual([rowB.choice, rowB.cast_by], ['no', A.user.id]);
  const rowD = done.result.named.find((n) => n.user_id === D.user.id);
  assert.deepEqual([rowD.choice, rowD.cast_by], ['yes', undefined], 'D\'s ballot is D\'s own');
  // At the close, as at the opening, B and D count as present through A: 7 here + 2 represented.
  assert.equal(done.result.present, 9, JSON.stringify(done.result));
  assert.equal(done.result.outcome, 'adopted', 'the quorum (8) holds at the close');
});

test("the meeting's proxies name members as the meeting does (the name the office typed), never the account's stored name", async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  // Another organisation adds two demo members under names it typed (#18:
  // what is stored about those accounts must not reach it).
  const org = await ok(admin.post('/api/orgs', { name: 'Gmina Inna pełnomocnictw', email_domains: [] }), 'org B');
  const email = 'sekretariat.px@inna.example';
  await ok(admin.post(`/api/orgs/${org.id}/staff`, { email, name: 'Sekretariat Innej Gminy', role: 'admin' }), 'staff B');
  const staff = await signIn(srv, email);
  const body = await ok(staff.post(`/api/orgs/${org.id}/bodies`, { name: 'Rada Innej Gminy', statutory_size: 5 }), 'body B');
  const typed = { [DEMO.member(3)]: 'Pełnomocnik Wpisany', [DEMO.member(4)]: 'Mocodawczyni Wpisana' };
  const ids = {};
  for (const [e, name] of Object.entries(typed)) {
    const add = await ok(staff.post(`/api/bodies/${body.id}/members`, { email: e, name, is_external: true }), `member ${name}`);
    assert.equal(add.name, name);
    ids[e] = add.user_id;
  }
  const holderId = ids[DEMO.member(3)];
  const grantorId = ids[DEMO.member(4)];
  const holder = await signIn(srv, DEMO.member(3));
  const stored = [holder.user.name];
  assert.ok(stored[0] && stored[0] !== typed[DEMO.member(3)], 'the account has a stored name of its own');
  const m = await createMeeting(staff, body.id, { title: 'Sesja z pełnomocnictwem' });
  await ok(register(staff, body.id, { grantor_id: grantorId, holder_id: holderId, meeting_id: m.id }), 'register');
  const P = `/api/meetings/${m.id}`;
  const people = Object.fromEntries((await ok(staff.get(`${P}/state`), 'state')).people.map((p) => [p.user_id, p.name]));
  assert.equal(people[holderId], typed[DEMO.member(3)]);
  for (const who of [staff, holder]) {
    const r = await who.get(`${P}/proxies`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.proxies.map((x) => [x.grantor_id, x.grantor_name, x.holder_id, x.holder_name]),
      [[grantorId, people[grantorId], holderId, people[holderId]]], 'the names the meeting shows');
    assert.ok(!r.text.includes(stored[0]), `no stored name: ${r.text}`);
  }
  // The office's register of the body names them alike.
  const reg = await staff.get(`/api/bodies/${body.id}/proxies`);
  assert.equal(reg.status, 200, reg.text);
  assert.deepEqual(reg.json.proxies.map((x) => [x.grantor_name, x.holder_name]), [[people[grantorId], people[holderId]]]);
  assert.ok(!reg.text.includes(stored[0]), `no stored name: ${reg.text}`);
  // A ballot the holder casts for the grantor: "cast by" names the holder as the meeting does.
  await ok(staff.post(`${P}/start`, {}), 'start');
  const chk = await ok(staff.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await ok(holder.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present');
  await eventually(async () => (await staff.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);
  const v = await ok(staff.post(`${P}/votes`, { title: 'Uchwała z pełnomocnikiem', duration_s: 600 }), 'vote');
  await ok(staff.post(`/api/votes/${v.id}/open`, {}), 'open');
  await ok(holder.post(`/api/votes/${v.id}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: grantorId, choice: 'yes' }), 'proxy ballot');
  const got = await staff.get(`/api/votes/${v.id}`);
  const row = got.json.named.find((x) => x.user_id === grantorId);
  assert.equal(row.by_proxy, true);
  assert.equal(row.cast_by, holderId);
  assert.equal(row.cast_by_name, people[holderId]);
  assert.ok(!got.text.includes(stored[0]), `no stored name: ${got.text}`);
});
