// The scrutiny committee confirms a result before it is announced (issue 17
// item 7). Off by default (results at once, as before). With the body's
// confirm_results on: a closed vote waits in 'confirming'; the chair,
// operator and committee see the result (pending_result), members and the
// public do not; only committee members confirm (or object with a reason),
// once; the chair announces after a confirmation; then everyone sees it,
// vote.closed carries the confirmations, and the protocol records who
// confirmed, when, and the objection (pdftotext).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  startDemo, stopAll, signIn, signInMany, demoIds, DEMO, DEMO_MEMBERS, expectError,
  createMeeting, readEvents, eventually, ok, freeTmpDir, anonymous,
} from './lib.mjs';

after(stopAll);

const pdfText = (buf) => {
  const f = path.join(freeTmpDir('obrady-confirm-'), 'p.pdf');
  fs.writeFileSync(f, buf);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
};

test('scrutiny committee confirmation: hidden until announced, confirm/object, announce, protocol', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, chair, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const { bodyId } = await demoIds(op);
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });

  const body = await ok(op.get(`/api/bodies/${bodyId}`), 'body');
  assert.equal((body.body ?? body).confirm_results, false, 'off by default');
  expectError(await admin.patch(`/api/bodies/${bodyId}`, { confirm_results: 'yes' }), 422, 'wrong_type', 'confirm_results');

  const m = await createMeeting(op, bodyId, { title: 'Posiedzenie z komisją skrutacyjną', public: true });
  const P = `/api/meetings/${m.id}`;
  const committee = [];
  for (const [i, name] of ['Łucja Śliwińska', 'Grzegorz Żądło'].entries()) {
    const email = `skrutator${i + 1}@${DEMO.domain}`;
    await ok(op.post(`${P}/participants`, { email, name, is_scrutiny: true }), 'committee member');
    committee.push(await signIn(srv, email, { via: 'stdout' }));
  }
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  const present = [chair, ...members.slice(0, 8)];
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 4000);

  // Default off: a vote's result at once.
  const v0 = await ok(op.post(`${P}/votes`, { title: 'Bez potwierdzenia' }), 'vote 0');
  await ok(op.post(`/api/votes/${v0.id}/open`, {}), 'open 0');
  const c0 = await ok(op.post(`/api/votes/${v0.id}/close`, {}), 'close 0');
  assert.equal(c0.status, 'closed');
  assert.ok(c0.result);
  expectError(await committee[0].post(`/api/votes/${v0.id}/confirm`, {}), 409, 'not_confirming');

  // On for the body.
  const patched = await ok(admin.patch(`/api/bodies/${bodyId}`, { confirm_results: true }), 'confirm on');
  assert.equal((patched.body ?? patched).confirm_results, true);
  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała w sprawie statutu' }), 'vote');
  const V = `/api/votes/${v.id}`;
  await ok(op.post(`${V}/open`, {}), 'open');
  for (const [i, x] of present.slice(0, 6).entries()) await ok(x.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: i < 5 ? 'yes' : 'no' }), 'ballot');
  const closed = await ok(op.post(`${V}/close`, {}), 'close');
  assert.equal(closed.status, 'confirming');
  assert.equal(closed.result, null, 'no result in the plain view');
  assert.equal(closed.pending_result.yes, 5, 'the operator sees the pending result');
  // Members, the public and the list do not see it.
  const asMember = await ok(members[3].get(V), 'member view');
  assert.equal(asMember.result, null);
  assert.equal(asMember.pending_result, undefined);
  const list = await ok(members[3].get(`${P}/votes`), 'list');
  assert.equal(list.votes.find((x) => x.id === v.id).outcome, null);
  const pub = await anonymous(srv).get(`/api/public/votes/${v.id}`);
  assert.notEqual(pub.status, 200, 'not published yet');
  const evs = await readEvents(op, m.id, { since: 0, untilType: 'vote.confirming' });
  const conf = evs.find((e) => e.type === 'vote.confirming' && e.payload.vote_id === v.id);
  assert.ok(conf, 'vote.confirming');
  assert.equal(conf.payload.result, undefined, 'the public event has no result');
  assert.ok(!evs.some((e) => e.type === 'vote.closed' && e.payload.vote_id === v.id));
  // The committee sees it.
  assert.equal((await ok(committee[1].get(V), 'committee view')).pending_result.yes, 5);
  assert.equal((await ok(chair.get(V), 'chair view')).pending_result.yes, 5);

  // Announce before any confirmation: refused. Only the committee confirms; once each.
  expectError(await chair.post(`${V}/announce`, {}), 409, 'not_confirmed');
  expectError(await members[3].post(`${V}/confirm`, {}), 403, 'not_scrutiny');
  expectError(await members[3].post(`${V}/announce`, {}), 403, 'forbidden');
  expectError(await committee[0].post(`${V}/confirm`, { objection: '' }), 422, 'out_of_range', 'objection');
  await ok(committee[1].post(`${V}/confirm`, { objection: 'Radny Nowak zgłaszał problem z tabletem.' }), 'objection');
  expectError(await chair.post(`${V}/announce`, {}), 409, 'not_confirmed');
  const afterConfirm = await ok(committee[0].post(`${V}/confirm`, {}), 'confirm');
  assert.equal(afterConfirm.confirmations.length, 2);
  expectError(await committee[0].post(`${V}/confirm`, {}), 409, 'already_confirmed');

  const announced = await ok(chair.post(`${V}/announce`, {}), 'announce');
  assert.equal(announced.status, 'closed');
  assert.equal(announced.result.yes, 5);
  const cf = announced.result.confirmation;
  assert.equal(cf.announced_by, chair.user.id);
  assert.deepEqual(cf.by.map((x) => [x.name, x.objection]), [
    ['Grzegorz Żądło', 'Radny Nowak zgłaszał problem z tabletem.'], ['Łucja Śliwińska', null]]);
  assert.equal((await ok(members[3].get(V), 'member after')).result.yes, 5);
  expectError(await chair.post(`${V}/announce`, {}), 409, 'not_confirming');

  // The protocol.
  await ok(op.post(`${P}/close`, {}), 'close the meeting');
  const pl = pdfText((await op.get(`${P}/protocol.pdf`)).body);
  assert.match(pl, /Wynik potwierdziła komisja skrutacyjna: Łucja Śliwińska \(\d\d:\d\d\)\. Zastrzeżenia: Grzegorz Żądło \(\d\d:\d\d\): „Radny Nowak zgłaszał problem z tabletem\.”\. Wynik ogłosił\(a\) /);
  assert.ok(pl.includes(chair.user.name), 'who announced');
  const pubAfter = await anonymous(srv).get(`/api/public/votes/${v.id}`);
  assert.equal(pubAfter.status, 200);
  assert.equal(pubAfter.json.result.yes, 5);
});
