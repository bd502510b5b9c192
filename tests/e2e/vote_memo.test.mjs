// GET /api/votes/{id} answers from a serialized copy of what every viewer
// sees alike, kept per meeting-state snapshot, plus the viewer's own fields
// (issue 16). Every answer must still be the one a fresh build gives that
// viewer: after a ballot, a changed ballot, a proxy ballot, a rename (no log
// event), a close, a role change (the committee sees a pending result), for
// staff, members, a non-voter and the public, with two votes of one meeting
// read in turn, and gzip equal to plain.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import {
  startDemo, stopAll, signIn, signInMany, anonymous, demoIds, DEMO, DEMO_MEMBERS, createMeeting,
  eventually, ok,
} from './lib.mjs';

after(stopAll);

const PERSONAL = ['is_eligible', 'my_choice', 'my_choices', 'has_voted', 'pending_result', 'confirmations'];
const shared = (j) => Object.fromEntries(Object.entries(j).filter(([k]) => !PERSONAL.includes(k)));
const rowOf = (j, who) => j.named.find((r) => r.user_id === who.user.id);

test('vote reads: cached answers follow every change and never cross viewers', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, chair, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const pub = anonymous(srv);
  const { bodyId } = await demoIds(op);
  const B = `/api/bodies/${bodyId}`;
  const m = await createMeeting(op, bodyId, { title: 'Sesja odczytów głosowań', public: true });
  const P = `/api/meetings/${m.id}`;
  const [a, b, c, grantor] = members;
  // A proxy for this meeting: grantor (absent) is represented by a.
  const doc = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(256), Buffer.from('\n%%EOF\n')]);
  const qs = new URLSearchParams({ grantor_id: grantor.user.id, holder_id: a.user.id, meeting_id: m.id });
  await ok(op.api('POST', `${B}/proxies?${qs}`, doc, { headers: { 'content-type': 'application/pdf', 'x-filename': 'p.pdf' }, raw: true }), 'proxy');
  await ok(op.post(`${P}/start`, {}), 'start');
  const check = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'check');
  await Promise.all([chair, a, b, c].map((x) => ok(x.post(`${P}/attendance-checks/${check.check_id}/present`, {}), 'present')));
  await eventually(async () => (await op.get(`${P}/state`)).json.attendance.is_check_open === false, 5000);

  const v = await ok(op.post(`${P}/votes`, { title: 'Uchwała budżetowa', allow_change: true, duration_s: 600 }), 'vote');
  const w = await ok(op.post(`${P}/votes`, { title: 'Wniosek formalny', duration_s: 600 }), 'second vote');
  const V = `/api/votes/${v.id}`;
  const W = `/api/votes/${w.id}`;
  const get = async (who, path = V) => {
    const r = await who.get(path);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };

  // A draft: nobody has an electorate yet; the viewer's choice is null.
  const draft = await get(a);
  assert.equal(draft.status, 'draft');
  assert.equal(draft.is_eligible, undefined);
  assert.equal(draft.my_choice, null);
  assert.equal((await get(pub)).my_choice, undefined, 'the public has no choice field');

  await ok(op.post(`${V}/open`, {}), 'open');
  await ok(op.post(`${W}/open`, {}), 'open the second');
  const opened = await get(a);
  assert.equal(opened.status, 'open', 'the opening is seen at once');
  assert.equal(opened.live.cast, 0);
  assert.equal(opened.is_eligible, true);
  assert.ok(opened.named.every((r) => r.choice === null));

  // A ballot: seen by everyone at once; the choice only by its voter, asked in either order.
  await ok(a.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'a votes yes');
  const bView = await get(b);
  assert.equal(bView.live.cast, 1, 'the ballot is counted in the next read');
  assert.equal(rowOf(bView, a).choice, 'yes');
  assert.equal(bView.my_choice, null, "b does not get a's choice");
  const aView = await get(a);
  assert.equal(aView.my_choice, 'yes');
  assert.equal((await get(b)).my_choice, null, 'still not, after a read of a');
  assert.deepEqual(shared(aView), shared(bView), 'the shared part is the same for both');
  const opView = await get(op);
  assert.equal(opView.is_eligible, false, 'the operator is not in the electorate');
  assert.equal(opView.my_choice, null);
  const pubView = await get(pub);
  assert.equal(pubView.is_eligible, undefined);
  assert.equal(pubView.my_choice, undefined);
  assert.deepEqual(shared(opView), shared(bView), 'staff see the same shared part');
  assert.deepEqual(pubView, shared(bView), 'the public sees the shared part and nothing else');

  // Two votes of one meeting read in turn: each its own answer.
  for (let i = 0; i < 3; i++) {
    const x = await get(b, W);
    const y = await get(b, V);
    assert.equal(x.id, w.id);
    assert.equal(x.title, 'Wniosek formalny');
    assert.equal(x.live.cast, 0);
    assert.equal(y.id, v.id);
    assert.equal(y.live.cast, 1);
  }
  // Both votes kept with the same snapshot: a ballot on one is seen at once
  // in it, and the other keeps its own answer, for every viewer class.
  await ok(c.post(`${W}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'abstain' }), 'c votes on the second');
  for (let i = 0; i < 3; i++) {
    for (const [who, path] of [[b, V], [c, W], [pub, W], [c, V], [op, W], [pub, V]]) {
      const x = await get(who, path);
      const isW = path === W;
      assert.equal(x.id, isW ? w.id : v.id);
      assert.equal(x.live.cast, 1, `${path} read ${i}`);
      assert.equal(rowOf(x, c).choice, isW ? 'abstain' : null, "c's ballot only on the second");
      assert.equal(rowOf(x, a).choice, isW ? null : 'yes', "a's ballot only on the first");
      if (who === c)
        assert.equal(x.my_choice, isW ? 'abstain' : null, "c's own choice per vote");
      if (who === pub)
        assert.equal(x.my_choice, undefined);
    }
  }

  // A changed ballot, a ballot by proxy, a second voter.
  await ok(a.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'no' }), 'a changes to no');
  assert.equal(rowOf(await get(b), a).choice, 'no', 'the change is seen at once');
  assert.equal((await get(a)).my_choice, 'no');
  await ok(a.post(`${V}/proxy-ballots`, { ballot_id: crypto.randomUUID(), for: grantor.user.id, choice: 'abstain' }), 'proxy ballot');
  const px = rowOf(await get(c), grantor);
  assert.equal(px.choice, 'abstain');
  assert.equal(px.by_proxy, true);
  assert.equal(px.cast_by, a.user.id);
  assert.equal((await get(grantor)).my_choice, 'abstain', "the grantor sees the ballot cast as theirs");
  assert.equal((await get(a)).my_choice, 'no', "the holder's own choice is unchanged");
  await ok(b.post(`${V}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'b votes');
  assert.equal((await get(c)).live.cast, 3);

  // A rename appends no event: the named list shows the new name at once.
  const seqBefore = (await get(op, `${P}/state`)).seq;
  await ok(c.api('PATCH', '/api/me', { name: 'Radny Przemianowany' }), 'rename');
  const renamed = await get(b);
  assert.equal((await get(op, `${P}/state`)).seq, seqBefore, 'no event');
  assert.equal(rowOf(renamed, c).name, 'Radny Przemianowany');

  // gzip and plain are the same JSON, for a voter and for the public.
  for (const who of [a, pub]) {
    const plain = await who.get(V, { headers: { 'Accept-Encoding': 'identity' } });
    const gz = await who.get(V, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(JSON.parse(zlib.gunzipSync(gz.body).toString('utf8')), JSON.parse(plain.text));
    assert.deepEqual(JSON.parse(plain.text), await get(who));
  }
  assert.equal(JSON.parse(zlib.gunzipSync((await a.get(V, { headers: { 'Accept-Encoding': 'gzip' } })).body)).my_choice, 'no');

  // The close: result, no live list; each viewer keeps their own choice.
  await ok(op.post(`${V}/close`, {}), 'close');
  const closedB = await get(b);
  assert.equal(closedB.status, 'closed');
  assert.equal(closedB.live, undefined);
  assert.equal(closedB.named, undefined);
  assert.equal(closedB.result.yes, 1);
  assert.equal(closedB.my_choice, 'yes');
  assert.equal((await get(a)).my_choice, 'no');
  assert.equal((await get(pub)).result.no, 1);

  // A role change: with confirmation on, a closed vote waits; c sees no
  // pending result until made a member of the scrutiny committee.
  await ok(admin.patch(B, { confirm_results: true }), 'confirm on');
  await ok(b.post(`${W}/ballots`, { ballot_id: crypto.randomUUID(), choice: 'yes' }), 'ballot on the second');
  const conf = await ok(op.post(`${W}/close`, {}), 'close the second');
  assert.equal(conf.status, 'confirming');
  assert.equal(conf.pending_result.yes, 1, 'the operator sees the pending result');
  const cBefore = await get(c, W);
  assert.equal(cBefore.result, null);
  assert.equal(cBefore.pending_result, undefined, 'a member does not');
  assert.equal((await get(pub, W)).pending_result, undefined, 'nor the public');
  await ok(op.post(`${P}/scrutiny`, { user_ids: [c.user.id] }), 'c on the committee');
  assert.equal((await get(c, W)).pending_result.yes, 1, 'the committee member sees it at once');
  assert.equal((await get(b, W)).pending_result, undefined, 'others still do not');
  assert.equal((await get(op, W)).pending_result.yes, 1);
  // Read in turn with the closed first vote: the pending result still only
  // for the committee and staff, the first vote's result for everyone.
  for (let i = 0; i < 2; i++) {
    assert.equal((await get(c, V)).result.yes, 1);
    assert.equal((await get(c, W)).pending_result.yes, 1);
    assert.equal((await get(b, V)).result.yes, 1);
    assert.equal((await get(b, W)).pending_result, undefined);
    assert.equal((await get(pub, W)).pending_result, undefined);
  }

  // More votes than one snapshot keeps (8): each still gets its own answer.
  const drafts = [];
  for (let i = 0; i < 10; i++)
    drafts.push(await ok(op.post(`${P}/votes`, { title: `Poprawka ${i}`, duration_s: 600 }), `draft ${i}`));
  for (let round = 0; round < 2; round++) {
    for (const [i, d] of drafts.entries()) {
      const x = await get(i % 2 ? pub : b, `/api/votes/${d.id}`);
      assert.equal(x.id, d.id);
      assert.equal(x.title, `Poprawka ${i}`);
      assert.equal(x.status, 'draft');
    }
    assert.equal((await get(c, V)).result.yes, 1);
  }
});
