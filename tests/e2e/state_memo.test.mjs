// The meeting-state GET answers from a serialized copy kept per state
// snapshot and viewer class (issue 16): every answer must still be the one
// a fresh fold gives that viewer — after a change in the log, a new guest,
// a renamed member (no log event), a participant's own note to the operator
// (seen only by them and the staff, in either order of asking), in the
// public view, and gzip or plain.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import {
  startDemo, stopAll, signInMany, anonymous, demoIds, DEMO, createMeeting, ok,
} from './lib.mjs';

after(stopAll);

test('meeting state: cached answers follow every change and never cross viewers', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, r1, r2, r3] = await signInMany(srv, [DEMO.operator, DEMO.member(1), DEMO.member(2), DEMO.member(3)]);
  const pub = anonymous(srv);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja pamięci podręcznej', public: true });
  const P = `/api/meetings/${m.id}`;
  const items = [];
  for (const title of ['Otwarcie', 'Zamknięcie']) items.push((await ok(op.post(`${P}/agenda`, { title }), 'agenda')).item_id);
  await ok(op.post(`${P}/start`, {}), 'start');
  const state = async (c) => {
    const s = await c.get(`${P}/state`);
    assert.equal(s.status, 200, s.text);
    return s.json;
  };
  const chatIds = (s) => (s.chat || []).map((c) => c.message_id);

  // The same snapshot twice: the same answer; then a change is seen at once.
  const a = await state(r1);
  assert.deepEqual(await state(r1), a, 'an unchanged meeting answers the same');
  await ok(op.post(`${P}/current-item`, { item_id: items[1] }), 'current item');
  const b = await state(r2);
  assert.equal(b.current_item, items[1], 'the new current item, not the cached one');
  assert.ok(b.seq > a.seq, `seq moved on: ${a.seq} -> ${b.seq}`);
  assert.equal((await state(pub)).current_item, items[1], 'the public view too');

  // A note to the operator: asked first by another member (fills the
  // participants' copy), then by its author, then by the other again.
  const hello = await ok(r1.post(`${P}/chat`, { text: 'Dzień dobry', to: 'all' }), 'chat to all');
  const note = await ok(r3.post(`${P}/chat`, { text: 'Nie słychać mnie', to: 'operator' }), 'note');
  assert.deepEqual(chatIds(await state(r2)), [hello.message_id], 'r2 does not see r3\'s note');
  assert.deepEqual(chatIds(await state(r3)), [hello.message_id, note.message_id], 'r3 sees their own note');
  assert.deepEqual(chatIds(await state(r2)), [hello.message_id], 'r2 still does not');
  assert.deepEqual(chatIds(await state(op)), [hello.message_id, note.message_id], 'the operator sees both');
  const pubState = await state(pub);
  assert.equal(pubState.chat, undefined, 'no chat in the public view');
  assert.ok(pubState.people.every((p) => Object.keys(p).sort().join() === 'is_present,name'), 'the public sees names and presence only');
  assert.ok(!JSON.stringify(pubState).includes(note.message_id));

  // A new guest (an event) and a renamed member (no event: the people
  // are read from the directory) are in the people at once.
  const before = await state(r2);
  await ok(op.post(`${P}/participants`, { email: 'gosc.memo@example.org', name: 'Gość Pamięci' }), 'guest');
  assert.ok((await state(r2)).people.some((p) => p.name === 'Gość Pamięci'), 'the guest is in the people at once');
  const seq = (await state(r2)).seq;
  await ok(r1.api('PATCH', '/api/me', { name: 'Radna Przemianowana' }), 'rename');
  const withGuest = await state(r2);
  assert.equal(withGuest.seq, seq, 'a rename appends no event');
  assert.ok(withGuest.people.some((p) => p.name === 'Radna Przemianowana'), 'the new name at once');
  assert.ok(before.people.length < withGuest.people.length);
  assert.deepEqual(await state(op), await state(op), 'the staff copy as well');
  assert.ok((await state(pub)).people.some((p) => p.name === 'Radna Przemianowana'), 'and the public one');

  // gzip and plain carry the same JSON, from the same snapshot.
  const plain = await r2.get(`${P}/state`, { headers: { 'Accept-Encoding': 'identity' } });
  const gz = await r2.get(`${P}/state`, { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(plain.headers['content-encoding'], undefined);
  const unzipped = JSON.parse(zlib.gunzipSync(gz.body).toString('utf8'));
  assert.deepEqual(unzipped, JSON.parse(plain.text));
  assert.deepEqual(unzipped, withGuest);
});
