// What participants write to a meeting's log is limited (issue 18, finding 2):
// per person (chat apart from button presses) and per meeting, answered 429
// with Retry-After; the chair can mute one person's chat; a log that outgrows
// its budget alerts the staff once. Limits are lowered by config here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, ok, createMeeting, expectError, readEvents,
} from './lib.mjs';

after(stopAll);

let srv;
let op;
let chair;
let r; // r(n) → radny n's client

before(async () => {
  srv = await startDemo({
    config: { chat_per_user_min: 6, actions_per_user_min: 8, meeting_writes_per_min: 40, meeting_log_budget_kib: 12 },
  });
  const members = await signInMany(srv, [DEMO.operator, DEMO.chair, ...Array.from({ length: 10 }, (_, i) => DEMO.member(i + 1))]);
  [op, chair] = members;
  r = (n) => members[n + 1];
});

async function liveMeeting(title) {
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title });
  await ok(op.post(`/api/meetings/${m.id}/agenda`, { title: 'Otwarcie' }), 'agenda');
  await ok(op.post(`/api/meetings/${m.id}/start`, {}), 'start');
  return `/api/meetings/${m.id}`;
}

const retryAfter = (res) => Number.parseInt(res.headers['retry-after'] || '', 10);

test('one person: chat and button presses are limited, 429 with Retry-After; others are not held up', async () => {
  const P = await liveMeeting('Sesja limitów osoby');
  const codes = [];
  let limited = null;
  for (let i = 0; i < 12; i++) {
    const res = await r(2).post(`${P}/chat`, { text: `wiadomość ${i} ${'x'.repeat(100)}`, to: 'all' });
    codes.push(res.status);
    if (res.status === 429) limited = limited || res;
  }
  const sent = codes.filter((c) => c === 201 || c === 200).length;
  assert.ok(limited, `12 quick messages with a limit of 6 a minute were all taken: ${codes}`);
  expectError(limited, 429, 'rate_limited');
  assert.ok(retryAfter(limited) >= 1, `Retry-After: ${limited.headers['retry-after']}`);
  assert.ok(sent >= 1 && sent <= 6, `at most the burst went through: ${codes}`);
  const events = await readEvents(op, P.split('/').pop());
  assert.equal(events.filter((e) => e.type === 'chat.message' && e.actor === r(2).user.id).length, sent,
    'every refused message left nothing in the log');
  // Somebody else still chats.
  await ok(r(3).post(`${P}/chat`, { text: 'Ja też mam pytanie', to: 'all' }), 'another member chats');

  // Presence toggling is limited the same way, apart from the chat.
  const pcodes = [];
  for (let i = 0; i < 14; i++) pcodes.push((await r(4).post(`${P}/presence`, { is_present: i % 2 === 0 })).status);
  assert.ok(pcodes.includes(429), `14 presence toggles with a limit of 8 a minute: ${pcodes}`);
  assert.ok(pcodes.filter((c) => c === 200).length <= 8, `${pcodes}`);
  // Whoever conducts the meeting is not limited by the participants' limits.
  for (let i = 0; i < 8; i++) await ok(op.post(`${P}/chat`, { text: `komunikat ${i}`, to: 'all' }), 'office');
  for (let i = 0; i < 8; i++) await ok(chair.post(`${P}/chat`, { text: `prowadzę ${i}`, to: 'all' }), 'chair');
});

test('one meeting: many people together are limited too', async () => {
  const P = await liveMeeting('Sesja limitów posiedzenia');
  const codes = [];
  for (let round = 0; round < 3; round++) {
    for (let n = 5; n <= 10; n++) codes.push((await r(n).post(`${P}/chat`, { text: `runda ${round}`, to: 'all' })).status);
  }
  // 18 messages, each person within their own 3-message burst; the meeting's burst is 10.
  assert.ok(codes.includes(429), `${codes}`);
  assert.ok(codes.filter((c) => c === 201 || c === 200).length < 18, `${codes}`);
});

test('the chair mutes and unmutes one person\'s chat; members may not; the log records it', async () => {
  const P = await liveMeeting('Sesja wyciszenia');
  const mid = P.split('/').pop();
  const target = r(6).user.id;
  expectError(await r(7).post(`${P}/chat/mute`, { user_id: target, is_muted: true }), 403, 'forbidden');
  await ok(chair.post(`${P}/chat/mute`, { user_id: target, is_muted: true }), 'mute');
  expectError(await r(6).post(`${P}/chat`, { text: 'czy mnie słychać?', to: 'all' }), 403, 'chat_muted');
  await ok(r(7).post(`${P}/chat`, { text: 'inni piszą dalej', to: 'all' }), 'others still chat');
  const st = (await op.get(`${P}/state`)).json;
  assert.equal(st.people.find((p) => p.user_id === target).is_chat_muted, true);
  await ok(chair.post(`${P}/chat/mute`, { user_id: target, is_muted: false }), 'unmute');
  await ok(r(6).post(`${P}/chat`, { text: 'dziękuję', to: 'all' }), 'unmuted chats again');
  const events = await readEvents(op, mid);
  const mutes = events.filter((e) => e.type === 'chat.muted');
  assert.deepEqual(mutes.map((e) => [e.payload.user_id, e.payload.is_muted]), [[target, true], [target, false]]);
});

test('a log past its budget alerts the staff once', async () => {
  const P = await liveMeeting('Sesja budżetu dziennika');
  const mid = P.split('/').pop();
  const long = 'ż'.repeat(900);
  for (let n = 1; n <= 10; n++) {
    for (let k = 0; k < 2; k++) await r(n).post(`${P}/chat`, { text: `${n}/${k} ${long}`, to: 'all' });
  }
  const events = await readEvents(op, mid);
  const alerts = events.filter((e) => e.type === 'log.budget_exceeded');
  assert.equal(alerts.length, 1, events.map((e) => e.type).join(' '));
  assert.ok(alerts[0].payload.bytes > 12 * 1024 && alerts[0].payload.budget_bytes === 12 * 1024, JSON.stringify(alerts[0]));
  // Members do not see the alert; the office's state carries it for its console.
  const theirs = await readEvents(r(2), mid);
  assert.ok(!theirs.some((e) => e.type === 'log.budget_exceeded'));
  assert.equal((await op.get(`${P}/state`)).json.is_log_over_budget, true);
  assert.equal((await r(2).get(`${P}/state`)).json.is_log_over_budget, undefined);
});
