// `obrady serve --demo` (issue 20 points 16 and 10): the demo starts with a
// finished public session — attendance, an open vote with its named list, a
// secret election counted by the server trustee whose board `obrady verify`
// accepts, the protocol — and an upcoming convened one with agenda and
// documents; the help phone is set on the body and shown on the meeting.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startDemo, stopAll, signIn, demoIds, DEMO, ok, anonymous, runCli, freeTmpDir, expectError } from './lib.mjs';

after(stopAll);

test('--demo makes a finished session with an open and a secret vote and an upcoming convened one', async () => {
  const srv = await startDemo({ meetings: true });
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const body = await ok(op.get(`/api/bodies/${bodyId}`), 'body');
  assert.equal(body.help_phone, '+48 12 345 67 00');
  const { meetings } = await ok(op.get(`/api/bodies/${bodyId}/meetings`), 'meetings');
  assert.equal(meetings.length, 2);
  const past = meetings.find((m) => m.status === 'closed');
  const next = meetings.find((m) => m.status === 'convened');
  assert.ok(past && next, JSON.stringify(meetings.map((m) => m.status)));
  assert.ok(Date.parse(next.starts_at) > Date.now() + 5 * 86400e3, 'the next session is next week');
  assert.equal(next.help_phone_shown, '+48 12 345 67 89');

  const upcoming = await ok(op.get(`/api/meetings/${next.id}`), 'next');
  assert.equal(upcoming.agenda.length, 6);
  const docs = upcoming.agenda.flatMap((i) => i.documents || []);
  assert.equal(docs.length, 3, JSON.stringify(upcoming.agenda));
  const doc = await op.api('GET', `/api/documents/${docs[0].id}`, undefined, { raw: true });
  assert.equal(doc.status, 200);
  assert.equal(doc.body.subarray(0, 5).toString(), '%PDF-');

  const { votes } = await ok(op.get(`/api/meetings/${past.id}/votes`), 'votes');
  assert.equal(votes.length, 2);
  const open = await ok(op.get(`/api/votes/${votes.find((v) => v.kind === 'open').id}`), 'open vote');
  const secret = await ok(op.get(`/api/votes/${votes.find((v) => v.kind === 'secret').id}`), 'secret vote');
  assert.equal(open.status, 'closed');
  assert.equal(open.result.outcome, 'adopted');
  assert.equal(open.result.yes + open.result.no + open.result.abstain, 13);
  assert.equal(secret.status, 'closed');
  assert.deepEqual(secret.result.candidates.map((c) => [c.name, c.votes, c.elected]),
    [['Bartłomiej Nowak', 7, true], ['Celina Wójcik', 5, false]]);

  // The public sees the results; the board verifies offline.
  const pub = anonymous(srv);
  const pv = await ok(pub.get(`/api/public/votes/${open.id}`), 'public vote');
  assert.equal(pv.named.length, 15);
  assert.ok(pv.named.some((n) => n.choice === null), 'the two absent did not vote');
  const page = await pub.api('GET', `/public/meetings/${past.id}`, undefined, { raw: true });
  assert.equal(page.status, 200);
  assert.match(page.text, /Wybór wiceprzewodniczącego Rady/);
  assert.doesNotMatch(page.text, /data-link="broadcast"/, 'no broadcast link once the meeting is over');
  const nextPage = await pub.api('GET', `/public/meetings/${next.id}`, undefined, { raw: true });
  assert.match(nextPage.text, /<a href="https:\/\/transmisja\.przykladowo\.example\/sesja" class="btn" rel="noopener noreferrer" data-link="broadcast">Oglądaj transmisję<\/a>/);
  assert.equal((await ok(pub.get(`/api/public/votes/${open.id}`), 'vote')).meeting.broadcast_url, undefined);
  const board = await ok(op.get(`/api/votes/${secret.id}/board`), 'board');
  const dir = freeTmpDir();
  fs.writeFileSync(path.join(dir, 'board.json'), JSON.stringify(board));
  const v = await runCli(['verify', path.join(dir, 'board.json')]);
  assert.equal(v.code, 0, v.stdout + v.stderr);

  const pdf = await op.api('GET', `/api/meetings/${past.id}/protocol.pdf`, undefined, { raw: true });
  assert.equal(pdf.status, 200);
  fs.writeFileSync(path.join(dir, 'p.pdf'), pdf.body);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'p.pdf'), '-'], { encoding: 'utf8' });
  assert.match(text, /programu opieki nad zwierzętami/);
  assert.match(text, /Bartłomiej Nowak/);

  // The office's home: both meetings with what is left to do; a councillor is nobody's staff.
  const office = await ok(op.get('/api/me/office'), 'office');
  assert.deepEqual(office.meetings.map((m) => [m.id, m.org_name, m.body_name]),
    [[past.id, DEMO.orgName, DEMO.bodyName], [next.id, DEMO.orgName, DEMO.bodyName]]);
  assert.deepEqual(office.meetings.map((m) => [m.agenda_count, m.document_count]), [[4, 1], [6, 3]]);
  const councillor = await signIn(srv, DEMO.member(3), { via: 'stdout' });
  assert.deepEqual((await ok(councillor.get('/api/me/office'), 'not staff')).meetings, []);
  expectError(await anonymous(srv).get('/api/me/office'), 401, 'unauthorized');

  // No session the demo used is left behind.
  const { sessions } = await ok(op.get('/api/me/sessions'), 'sessions');
  assert.equal(sessions.length, 1);
});

test('help_phone: validated on bodies and meetings; the meeting\'s own wins over the body\'s', async () => {
  const srv = await startDemo();
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(admin);
  expectError(await admin.patch(`/api/bodies/${bodyId}`, { help_phone: 'call me' }), 422, 'out_of_range', 'help_phone');
  expectError(await admin.patch(`/api/bodies/${bodyId}`, { help_phone: '12' }), 422, 'out_of_range', 'help_phone');
  expectError(await admin.patch(`/api/bodies/${bodyId}`, { help_phone: '12+34567' }), 422, 'out_of_range', 'help_phone');
  assert.equal((await ok(admin.patch(`/api/bodies/${bodyId}`, { help_phone: '+48 (12) 111-22-33' }), 'set')).help_phone, '+48 (12) 111-22-33');
  const m = await ok(admin.post(`/api/bodies/${bodyId}/meetings`, { title: 'S', starts_at: '2031-05-01T17:00:00+02:00', mode: 'remote' }), 'meeting');
  assert.equal(m.help_phone, '');
  assert.equal(m.help_phone_shown, '+48 (12) 111-22-33');
  const u = await ok(admin.patch(`/api/meetings/${m.id}`, { help_phone: '600 700 800' }), 'patch');
  assert.equal(u.help_phone_shown, '600 700 800');
  expectError(await admin.patch(`/api/meetings/${m.id}`, { help_phone: 'x'.repeat(41) }), 422, 'out_of_range', 'help_phone');
});
