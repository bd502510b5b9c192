// Roll-call by hand (issue 17 item 1): during an open vote the chair or
// operator enters members' answers by name. The rule: only for members
// without an electronic ballot; a correction of a hand entry needs a reason;
// a member's own ballot after a hand entry is refused. Refused for secret
// votes and for people outside the electorate. The entry is in the log
// (vote.ballot with by_hand and who entered it), the named list and the
// protocol ("głosowanie imienne przeprowadzone ręcznie"), checked with pdftotext.
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
  const f = path.join(freeTmpDir('obrady-hand-'), 'p.pdf');
  fs.writeFileSync(f, buf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

test('roll-call by hand: entries by name, the rule against electronic ballots, refusals, log, named list, protocol', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const { bodyId } = await demoIds(op);
  await newUser(srv, 'obcy@other.example', { name: 'Osoba Postronna' });
  const outsider = await signIn(srv, 'obcy@other.example', { via: 'stdout' });
  const opName = (await ok(op.me(), 'me')).user?.name ?? (await ok(op.me(), 'me')).name;

  const m = await createMeeting(op, bodyId, { title: 'Sesja — awaria urządzeń', public: true });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const present = members.slice(0, 4);
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 4000);

  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała w sprawie drogi gminnej', duration_s: 600 }), 'create');
  const V = `/api/votes/${v.id}`;
  const [electronic, byHand, absentByHand] = [members[1], members[2], members[12]];
  // Not yet open.
  expectError(await op.post(`${V}/hand`, { user_id: byHand.user.id, choice: 'no' }), 409, 'vote_not_open');
  await ok(op.post(`${V}/open`, {}), 'open');

  // Members may not enter answers for others.
  expectError(await members[3].post(`${V}/hand`, { user_id: byHand.user.id, choice: 'no' }), 403, 'forbidden');
  // Bad input, each naming its field.
  expectError(await op.post(`${V}/hand`, { choice: 'no' }), 422, 'missing_field', 'user_id');
    expectError(await op.post(`${V}/hand`, { user_id: byHand.user.id }), 422, 'missing_field', 'choice');
  expectError(await op.post(`${V}/hand`, { user_id: byHand.user.id, choice: 'maybe' }), 422, 'out_of_range', 'choice');
  // Someone outside the electorate: a specific refusal.
  expectError(await op.post(`${V}/hand`, { user_id: outsider.user.id, choice: 'yes' }), 422, 'hand_not_voter', 'user_id');

  // The rule: a member who voted electronically cannot be entered by hand.
  await ok(electronic.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'electronic ballot');
  expectError(await op.post(`${V}/hand`, { user_id: electronic.user.id, choice: 'no' }), 409, 'voted_electronically', 'user_id');

  // Hand entries: a present member and one whose device never checked in.
  let r = await ok(op.post(`${V}/hand`, { user_id: byHand.user.id, choice: 'no' }), 'hand entry');
  assert.equal(r.live.cast, 2);
  const row = r.named.find((n) => n.user_id === byHand.user.id);
  assert.equal(row.choice, 'no');
  assert.equal(row.by_hand, true);
  assert.equal(row.entered_by, opName);
  assert.equal(r.named.find((n) => n.user_id === electronic.user.id).by_hand, undefined, 'an electronic ballot is not marked');
  await ok(members[0].post(`${V}/hand`, { user_id: absentByHand.user.id, choice: 'abstain' }), 'the chair enters one too');

  // The member's own ballot after a hand entry is refused (even where changes are allowed it would be).
  expectError(await byHand.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 409, 'entered_by_hand');
  // A correction needs a reason; with one it replaces the entry, counted once.
  expectError(await op.post(`${V}/hand`, { user_id: byHand.user.id, choice: 'yes' }), 422, 'missing_field', 'reason');
  r = await ok(op.post(`${V}/hand`, { user_id: byHand.user.id, choice: 'yes', reason: 'Pomyłka przy wpisie — radny podniósł rękę za.' }), 'correction');
  assert.equal(r.live.cast, 3);
  assert.equal(r.named.find((n) => n.user_id === byHand.user.id).choice, 'yes');

  // Secret votes: refused with a clear message.
  const s = await ok(op.post(`${P}/votes`, { title: 'Wybór sekretarza', kind: 'secret' }), 'secret vote');
  expectError(await op.post(`/api/votes/${s.id}/hand`, { user_id: byHand.user.id, choice: 'yes' }), 409, 'hand_secret');
  const secMsg = await op.post(`/api/votes/${s.id}/hand`, { user_id: byHand.user.id, choice: 'yes' }, { headers: { 'accept-language': 'pl' } });
  assert.match(secMsg.json.error.message, /tajnego.*imiennie/);

  const closed = await ok(op.post(`${V}/close`, {}), 'close');
  assert.equal(closed.result.yes, 2);
  assert.equal(closed.result.abstain, 1);
  const hands = closed.result.named.filter((n) => n.by_hand);
  assert.deepEqual(hands.map((n) => n.user_id).sort(), [byHand.user.id, absentByHand.user.id].sort());
  expectError(await op.post(`${V}/hand`, { user_id: members[5].user.id, choice: 'no' }), 409, 'vote_closed');

  // The published named list (CSV and HTML) marks the entries too.
  const csv = await anonymous(srv).get(`/api/public/votes/${v.id}/named.csv`);
  assert.equal(csv.status, 200, csv.text);
  assert.ok(csv.text.includes('(ręcznie)'), csv.text);
  assert.equal(csv.text.split('(ręcznie)').length - 1, 2, 'two rows entered by hand');
  const html = await anonymous(srv).get(`/api/public/votes/${v.id}/named.html`);
  assert.ok(html.text.includes('(ręcznie)'), 'the named HTML marks it');

  // The log: every hand entry with who entered it and the reason.
  const evs = (await readEvents(op, m.id, { since: 0, untilType: 'vote.closed' }))
    .filter((e) => e.type === 'vote.ballot' && e.payload.vote_id === v.id && e.payload.by_hand);
  assert.equal(evs.length, 3);
  assert.equal(evs[0].payload.entered_by, op.user.id);
  assert.equal(evs[0].payload.entered_by_name, opName);
  assert.equal(evs[1].payload.entered_by, members[0].user.id);
  assert.equal(evs[2].payload.is_change, true);
  assert.match(evs[2].payload.reason, /Pomyłka/);

  // The protocol, in English (the organisation's language) and, after the close, in Polish.
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { orgId } = await demoIds(admin);
  const handName = closed.result.named.find((n) => n.user_id === byHand.user.id).name;
  await ok(admin.patch(`/api/orgs/${orgId}`, { default_lang: 'en' }), 'org in English');
  const en = pdfText((await op.get(`${P}/protocol.pdf`)).body);
  assert.match(en, /Roll-call vote taken by hand: the answers of 2 members entered by:/);
  assert.ok(en.includes(`${handName} (by hand)`), en);
  await ok(admin.patch(`/api/orgs/${orgId}`, { default_lang: 'pl' }), 'org in Polish');
  await ok(op.post(`${P}/close`, {}), 'close the meeting');
  const pl = pdfText((await op.get(`${P}/protocol.pdf`)).body);
  assert.match(pl, /Głosowanie imienne przeprowadzone ręcznie: odpowiedzi 2 osób wpisał\(a\):/);
  assert.ok(pl.includes(opName) && pl.includes(members[0].user.name), `the protocol names who entered answers: ${pl}`);
  assert.ok(pl.includes(`${handName} (ręcznie)`), 'the entry is marked in the named list');
  // The vote's own report (named list) marks it too.
  const rep = pdfText((await op.get(`${V}/report.pdf`)).body);
  assert.match(rep, /Głosowanie imienne przeprowadzone ręcznie/);
  assert.match(rep, /za \(ręcznie\)/i, rep);
});
