// The live meeting (issue 4, "Live" and "Bad input and concurrency"): start,
// attendance checks ending at their deadline (also across a restart),
// presence and quorum, the current item, the floor, the chat, closing; two
// operators at once; SSE fan-out to 200 members with resume by Last-Event-ID;
// and the log verifies with `obrady log verify`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  startDemo, stopAll, signIn, signInMany, makeClient, newUser, demoIds, DEMO, expectError, openSSE,
  createMeeting, readEvents, runCli, fakeId, sleep, freeTmpDir, percentile, getMetrics, sumMetric, ok, DEMO_MEMBERS,
} from './lib.mjs';

after(stopAll);

const MEMBERS = DEMO_MEMBERS;

/** Asserts 2xx and returns the JSON. */
async function verifyLog(srv, meetingId) {
  const r = await runCli(['log', 'verify', meetingId, '--data', srv.dataDir]);
  assert.equal(r.code, 0, `obrady log verify ${meetingId}: exit ${r.code}\n${r.stdout}${r.stderr}`);
  return r;
}

/** A stream of the meeting as client sees it, from after seq `since`. */
async function stream(client, meetingId, since, opts = {}) {
  const headers = client.cookie ? { cookie: `obrady_session=${client.cookie}` } : {};
  const s = await openSSE(`${client.srv.url}/api/meetings/${meetingId}/events`, { lastEventId: since, headers, ...opts });
  assert.equal(s.status, 200, `stream: ${s.status} ${s.text}`);
  return s;
}

/** Waits on an openSSE stream for the first event of type → its parsed data. */
async function nextOfType(s, type, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    const ev = await s.next(Math.max(1, end - Date.now()));
    if (!ev) throw new Error(`stream ended before ${type}`);
    if (ev.event === type) return ev.data;
  }
}

test('live: start, attendance and quorum, presence, current item, floor, chat, close; the log verifies', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, chair, ...radni] = await signInMany(srv, [DEMO.operator, ...MEMBERS]);
  // radni[k] is radny(k+1); members[] below lists all 15 with the chair first.
  const members = [chair, ...radni];
  const byEmail = (e) => members.find((c) => c.email === e);
  const r = (n) => byEmail(DEMO.member(n));
  const { bodyId } = await demoIds(op);
  await newUser(srv, 'x@other.example', { name: 'Osoba Postronna' });
  const outsider = await signIn(srv, 'x@other.example', { via: 'stdout' });

  const m = await createMeeting(op, bodyId, { title: 'XXVIII Sesja' });
  const items = [];
  for (const title of ['Otwarcie', 'Uchwała w sprawie budżetu', 'Zamknięcie']) items.push((await ok(op.post(`/api/meetings/${m.id}/agenda`, { title }), 'agenda')).item_id);
  const P = `/api/meetings/${m.id}`;
  const state = async (c = op) => {
    const s = await c.get(`${P}/state`);
    assert.equal(s.status, 200, s.text);
    return s.json;
  };

  // Start: members may not; twice is a conflict.
  expectError(await r(2).post(`${P}/start`, {}), 403, 'forbidden');
  expectError(await op.post(`${P}/attendance-checks`, { duration_s: 60, override_minimum: true }), 409, 'meeting_not_in_progress');
  await ok(op.post(`${P}/start`, {}), 'start');
  const again = await op.post(`${P}/start`, {});
  assert.equal(again.status, 409, `second start: ${again.text}`);
  assert.equal((await state()).status, 'in_progress');

  const opStream = await stream(op, m.id, (await state()).seq);
  t.after(() => opStream.close());
  const r5Stream = await stream(r(5), m.id, (await state()).seq);
  t.after(() => r5Stream.close());

  // ---- attendance check 1: 8 of 15 present → quorum (required 8)
  expectError(await r(2).post(`${P}/attendance-checks`, { duration_s: 2, override_minimum: true }), 403, 'forbidden');
  const c1 = await op.post(`${P}/attendance-checks`, { duration_s: 2, override_minimum: true });
  assert.equal(c1.status, 201, `attendance check with duration_s 2: ${c1.status} ${c1.text}`);
  const check1 = c1.json.check_id;
  assert.ok(Math.abs(c1.json.ends_at - (Date.now() + 2000)) < 1500, `ends_at ≈ now + 2 s: ${c1.json.ends_at}`);
  expectError(await op.post(`${P}/attendance-checks`, { duration_s: 2, override_minimum: true }), 409, 'check_already_open');
  const started = await nextOfType(r5Stream, 'attendance.started');
  assert.equal(started.payload.check_id, check1);
  assert.equal(started.payload.duration_s, 2);

  const present1 = [chair, r(1), r(2), r(3), r(4), r(5), r(6), r(7)];
  const presses = await Promise.all(present1.map((c) => c.post(`${P}/attendance-checks/${check1}/present`, {})));
  presses.forEach((x, i) => assert.equal(x.status, 200, `present of ${present1[i].email}: ${x.text}`));
  const twice = await r(2).post(`${P}/attendance-checks/${check1}/present`, {});
  assert.equal(twice.status, 200, `pressing twice is fine: ${twice.text}`);
  expectError(await outsider.post(`${P}/attendance-checks/${check1}/present`, {}), 403, 'forbidden');
  expectError(await r(8).post(`${P}/attendance-checks/${fakeId()}/present`, {}), 409, 'no_check_open');
  let st = await state(r(9));
  if (Date.now() < c1.json.ends_at - 300) assert.equal(st.attendance.is_check_open, true);
  assert.equal(st.attendance.present_count, 8, 'counted once');
  assert.equal(st.attendance.required, 8);

  const ended1 = await nextOfType(opStream, 'attendance.ended', 5000);
  assert.ok(Date.now() - c1.json.ends_at < 1800, `the check ended at its deadline (${Date.now() - c1.json.ends_at} ms late)`);
  assert.equal(ended1.actor, 'system');
  assert.equal(ended1.payload.check_id, check1);
  assert.equal(ended1.payload.present_count, 8);
  assert.equal(ended1.payload.required, 8);
  assert.equal(ended1.payload.has_quorum, true);
  assert.deepEqual(ended1.payload.present.map((p) => p.user_id).sort(), present1.map((c) => c.user.id).sort());
  const presentEvents = (await readEvents(op, m.id, { untilSeq: ended1.seq })).filter((e) => e.type === 'attendance.present');
  assert.equal(presentEvents.length, 8, 'one attendance.present per member, the second press of radny02 added none');
  expectError(await r(8).post(`${P}/attendance-checks/${check1}/present`, {}), 409, 'no_check_open');
  st = await state();
  assert.equal(st.attendance.is_check_open, false);
  assert.equal(st.attendance.present_count, 8);
  assert.equal(st.attendance.has_quorum, true);

  // ---- attendance check 2: 7 present → no quorum
  const c2 = await ok(op.post(`${P}/attendance-checks`, { duration_s: 2, override_minimum: true }), 'second check');
  const present2 = [chair, r(1), r(2), r(3), r(4), r(5), r(6)];
  await Promise.all(present2.map((c) => ok(c.post(`${P}/attendance-checks/${c2.check_id}/present`, {}), `present ${c.email}`)));
  const ended2 = await nextOfType(opStream, 'attendance.ended', 5000);
  assert.equal(ended2.payload.check_id, c2.check_id);
  assert.equal(ended2.payload.present_count, 7);
  assert.equal(ended2.payload.required, 8);
  assert.equal(ended2.payload.has_quorum, false);
  st = await state();
  assert.equal(st.attendance.present_count, 7);
  assert.equal(st.attendance.has_quorum, false);

  // ---- presence: leaving and returning recount the quorum live
  await ok(r(1).post(`${P}/presence`, { is_present: false }), 'radny01 leaves');
  assert.equal((await state(r(9))).attendance.present_count, 6);
  await ok(r(1).post(`${P}/presence`, { is_present: true }), 'radny01 returns');
  await ok(r(10).post(`${P}/presence`, { is_present: true }), 'radny10 arrives');
  st = await state(r(9));
  assert.equal(st.attendance.present_count, 8);
  assert.equal(st.attendance.has_quorum, true);
  expectError(await outsider.post(`${P}/presence`, { is_present: true }), 403, 'forbidden');

  // ---- current item
  await ok(op.post(`${P}/current-item`, { item_id: items[1] }), 'current item');
  assert.equal((await state(r(9))).current_item, items[1]);
  expectError(await op.post(`${P}/current-item`, { item_id: fakeId() }), 409, 'unknown_item');
  expectError(await r(2).post(`${P}/current-item`, { item_id: items[0] }), 403, 'forbidden');
  assert.equal((await nextOfType(r5Stream, 'item.current')).payload.item_id, items[1]);

  // ---- floor
  const q3 = await ok(r(3).post(`${P}/speakers`, { kind: 'normal' }), 'radny03 asks');
  expectError(await r(3).post(`${P}/speakers`, { kind: 'normal' }), 409, 'already_queued');
  const q4 = await ok(r(4).post(`${P}/speakers`, {}), 'radny04 asks');
  const q5 = await ok(r(5).post(`${P}/speakers`, { kind: 'ad_vocem' }), 'radny05 ad vocem');
  const q6 = await ok(r(6).post(`${P}/speakers`, { kind: 'formal' }), 'radny06 formal motion');
  expectError(await r(7).post(`${P}/speakers`, { kind: 'loud' }), 422, 'out_of_range', 'kind');
  expectError(await outsider.post(`${P}/speakers`, {}), 403, 'forbidden');
  let queue = (await state(r(9))).floor.queue;
  assert.deepEqual(queue.slice(0, 2).map((q) => q.kind).sort(), ['ad_vocem', 'formal'], `ad vocem and formal first: ${JSON.stringify(queue)}`);
  assert.deepEqual(queue.slice(2).map((q) => q.request_id), [q3.request_id, q4.request_id], 'normal requests keep their order');
  // Withdraw: one's own, not another's.
  const notMine = await r(3).del(`${P}/speakers/${q5.request_id}`);
  assert.equal(notMine.status, 409, `withdrawing another member's request: ${notMine.text}`);
  await ok(r(4).del(`${P}/speakers/${q4.request_id}`), 'radny04 withdraws');
  queue = (await state()).floor.queue;
  assert.deepEqual(queue.map((q) => q.request_id).sort(), [q3.request_id, q5.request_id, q6.request_id].sort());
  expectError(await r(4).del(`${P}/speakers/${q4.request_id}`), 409, 'not_queued');
  // Grant: not by a member, not to someone not queued.
  expectError(await r(2).post(`${P}/speakers/${q3.request_id}/grant`, {}), 403, 'forbidden');
  expectError(await chair.post(`${P}/speakers/${fakeId()}/grant`, {}), 409, 'not_queued');
  expectError(await chair.post(`${P}/speakers/${q4.request_id}/grant`, {}), 409, 'not_queued');
  await ok(chair.post(`${P}/speakers/${q6.request_id}/grant`, { speaking_time_s: 60 }), 'grant radny06');
  st = await state(r(9));
  assert.equal(st.floor.speaker.user_id, r(6).user.id);
  assert.equal(st.floor.speaker.speaking_time_s, 60);
  assert.ok(!st.floor.queue.some((q) => q.request_id === q6.request_id), 'the granted request left the queue');
  const granted = await nextOfType(r5Stream, 'floor.granted');
  assert.equal(granted.payload.user_id, r(6).user.id);
  await ok(chair.post(`${P}/floor/end`, {}), 'end floor');
  assert.equal((await state(r(9))).floor.speaker, null);
  expectError(await chair.post(`${P}/floor/end`, {}), 409, 'no_speaker');
  await ok(op.post(`${P}/speakers/${q3.request_id}/grant`, {}), 'operator grants radny03');
  assert.equal((await state()).floor.speaker.user_id, r(3).user.id);
  await ok(op.post(`${P}/floor/end`, {}), 'operator ends the floor');

  // ---- chat
  const hello = await ok(r(2).post(`${P}/chat`, { text: 'Proszę o przesłanie druku nr 12', to: 'all' }), 'chat to all');
  const note = await ok(r(3).post(`${P}/chat`, { text: 'Nie działa mi mikrofon', to: 'operator' }), 'chat to operator');
  const answer = await ok(op.post(`${P}/chat`, { text: 'Druk jest w materiałach', to: 'all' }), 'operator answers');
  expectError(await r(2).post(`${P}/chat`, { text: 'x', to: 'everyone' }), 422, 'out_of_range', 'to');
  expectError(await r(2).post(`${P}/chat`, { text: '' }), 422, 'out_of_range', 'text');
  expectError(await outsider.post(`${P}/chat`, { text: 'hej' }), 403, 'forbidden');
  const texts = (s) => (s.chat || []).map((c) => c.message_id);
  assert.deepEqual(texts(await state(r(5))), [hello.message_id, answer.message_id], 'radny05 sees the chat to all, not the note to the operator');
  assert.deepEqual(texts(await state(r(3))), [hello.message_id, note.message_id, answer.message_id], 'the sender sees own note');
  assert.deepEqual(texts(await state(op)), [hello.message_id, note.message_id, answer.message_id], 'the operator sees the note');
  assert.deepEqual(texts(await state(chair)), [hello.message_id, note.message_id, answer.message_id], 'the chair sees the note');
  // Hide: the chair may; members may not; unknown message → 409.
  expectError(await r(5).post(`${P}/chat/${hello.message_id}/hide`, {}), 403, 'forbidden');
  expectError(await chair.post(`${P}/chat/${fakeId()}/hide`, {}), 409, 'unknown_message');
  await ok(chair.post(`${P}/chat/${hello.message_id}/hide`, {}), 'hide');
  assert.deepEqual(texts(await state(r(5))), [answer.message_id], 'hidden for members');
  const opChat = (await state(op)).chat;
  assert.equal(opChat.find((c) => c.message_id === hello.message_id).is_hidden, true, 'staff still see it, marked hidden');

  // ---- close; then everything is a conflict
  expectError(await r(2).post(`${P}/close`, {}), 403, 'forbidden');
  await ok(chair.post(`${P}/close`, {}), 'close');
  assert.equal((await state()).status, 'closed');
  for (const [c, method, path, body] of [
    [op, 'POST', `${P}/attendance-checks`, { duration_s: 10, override_minimum: true }],
    [r(2), 'POST', `${P}/attendance-checks/${c2.check_id}/present`, {}],
    [r(2), 'POST', `${P}/presence`, { is_present: true }],
    [op, 'POST', `${P}/current-item`, { item_id: items[0] }],
    [r(2), 'POST', `${P}/speakers`, {}],
    [r(2), 'POST', `${P}/chat`, { text: 'po zamknięciu' }],
    [op, 'POST', `${P}/start`, {}],
    [op, 'POST', `${P}/close`, {}],
    [op, 'POST', `${P}/agenda`, { title: 'Po zamknięciu' }],
  ]) {
    expectError(await c.api(method, path, body), 409, 'meeting_closed');
  }

  // The whole log: no gaps on the staff stream, and the chain verifies.
  const head = (await state()).seq;
  const all = await readEvents(op, m.id, { untilSeq: head });
  assert.deepEqual(all.map((e) => e.seq), Array.from({ length: head }, (_, i) => i + 1));
  // radny05's live stream never carried the note to the operator.
  const r5seen = r5Stream.events.map((e) => e.data);
  assert.ok(!r5seen.some((e) => e.type === 'chat.message' && e.payload.to === 'operator'), 'no note to the operator on a member stream');
  assert.ok(r5seen.some((e) => e.type === 'chat.message' && e.payload.message_id === answer.message_id));
  const v = await verifyLog(srv, m.id);
  assert.match(v.stdout, new RegExp(`\\b${head}\\b`), `log verify reports ${head} events: ${v.stdout}`);
});

test('an attendance check whose deadline passes while the server is down ends at the next start', async (t) => {
  const dir = freeTmpDir();
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = await startDemo({ dataDir: dir });
  t.after(() => a.stop());
  const [op, r2, r3, r4] = await signInMany(a, [DEMO.operator, DEMO.member(2), DEMO.member(3), DEMO.member(4)]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja z restartem' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await op.post(`${P}/attendance-checks`, { duration_s: 3, override_minimum: true });
  assert.equal(c.status, 201, `attendance check with duration_s 3: ${c.status} ${c.text}`);
  for (const x of [r2, r3, r4]) await ok(x.post(`${P}/attendance-checks/${c.json.check_id}/present`, {}), 'present');
  const exit = await a.stop('SIGTERM');
  assert.equal(exit.code, 0, `clean exit: ${JSON.stringify(exit)}`);
  assert.ok(Date.now() < c.json.ends_at, 'stopped before the deadline');
  await sleep(4000);

  const b = await startDemo({ dataDir: dir });
  t.after(() => b.stop());
  const op2 = makeClient(b, op.cookie, op.user);
  const evs = await readEvents(op2, m.id, { since: 0, untilType: 'attendance.ended', timeoutMs: 4000 });
  const ended = evs.at(-1);
  assert.equal(ended.type, 'attendance.ended', `events after the restart: ${evs.map((e) => e.type).join(', ')}`);
  assert.equal(ended.actor, 'system');
  assert.equal(ended.payload.check_id, c.json.check_id);
  assert.equal(ended.payload.present_count, 3);
  assert.deepEqual(ended.payload.present.map((p) => p.user_id).sort(), [r2, r3, r4].map((x) => x.user.id).sort());
  const st = (await op2.get(`${P}/state`)).json;
  assert.equal(st.attendance.is_check_open, false);
  assert.equal(st.attendance.present_count, 3);
  await b.stop();
  await verifyLog(b, m.id);
});

test('two operators at once: 50 parallel actions, no gaps, the chain verifies; 20 parallel presses make one event', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, chair, r2] = await signInMany(srv, [DEMO.operator, DEMO.chair, DEMO.member(2)]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja współbieżna' });
  const P = `/api/meetings/${m.id}`;
  const items = [];
  for (const title of ['A', 'B', 'C']) items.push((await ok(op.post(`${P}/agenda`, { title }), 'agenda')).item_id);
  await ok(op.post(`${P}/start`, {}), 'start');
  const seq0 = (await op.get(`${P}/state`)).json.seq;

  const actions = Array.from({ length: 50 }, (_, i) => {
    const who = i % 2 ? op : chair;
    return i % 4 < 2
      ? { kind: 'chat', p: who.post(`${P}/chat`, { text: `wiadomość ${i}` }) }
      : { kind: 'item', p: who.post(`${P}/current-item`, { item_id: items[i % 3] }) };
  });
  const res = await Promise.all(actions.map((a) => a.p));
  res.forEach((x, i) => assert.ok((x.status >= 200 && x.status < 300) || x.status === 409, `action ${i} (${actions[i].kind}): ${x.status} ${x.text}`));
  const okChats = res.filter((x, i) => actions[i].kind === 'chat' && x.status < 300).length;
  const okItems = res.filter((x, i) => actions[i].kind === 'item' && x.status < 300).length;
  t.diagnostic(`50 parallel actions: ${okChats} chats and ${okItems} item changes accepted, ${res.filter((x) => x.status === 409).length} × 409`);

  // 20 parallel presses of one member → one attendance.present.
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 60, override_minimum: true }), 'check');
  const presses = await Promise.all(Array.from({ length: 20 }, () => r2.post(`${P}/attendance-checks/${chk.check_id}/present`, {})));
  presses.forEach((x) => assert.equal(x.status, 200, `parallel press: ${x.status} ${x.text}`));
  await ok(op.post(`${P}/attendance-checks/${chk.check_id}/end`, {}), 'end the check');

  const head = (await op.get(`${P}/state`)).json.seq;
  const all = await readEvents(op, m.id, { since: 0, untilSeq: head });
  assert.deepEqual(all.map((e) => e.seq), Array.from({ length: head }, (_, i) => i + 1), 'seq 1..N without gaps or repeats');
  const after0 = all.filter((e) => e.seq > seq0);
  assert.equal(after0.filter((e) => e.type === 'chat.message').length, okChats, 'one event per accepted chat');
  assert.equal(after0.filter((e) => e.type === 'item.current').length, okItems, 'one event per accepted item change');
  const pressed = all.filter((e) => e.type === 'attendance.present');
  assert.equal(pressed.length, 1, `exactly one attendance.present: ${JSON.stringify(pressed)}`);
  assert.equal(pressed[0].payload.user_id, r2.user.id);
  assert.equal(all.at(-1).type, 'attendance.ended');
  assert.equal(all.at(-1).payload.present_count, 1);
  await verifyLog(srv, m.id);
});

test('fan-out: 200 members on SSE get attendance.started within 2 s; 50 resume by Last-Event-ID with exactly the missed events', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  // 185 more members by CSV import: 200 participants, each signed in once.
  const extra = Array.from({ length: 185 }, (_, i) => `czlonek${String(i + 1).padStart(3, '0')}@${DEMO.domain}`);
  const csv = ['name,email,role', ...extra.map((e, i) => `Członek Numer ${i + 1},${e},member`)].join('\n') + '\n';
  const imp = await op.post(`/api/bodies/${bodyId}/members/import`, csv, { headers: { 'content-type': 'text/csv' } });
  assert.equal(imp.status, 201, `import: ${imp.status} ${imp.text.slice(0, 500)}`);
  const t0 = Date.now();
  const people = await signInMany(srv, [...MEMBERS, ...extra], { concurrency: 20 });
  t.diagnostic(`200 sign-ins took ${Date.now() - t0} ms`);
  assert.equal(new Set(people.map((p) => p.user.id)).size, 200);

  const m = await createMeeting(op, bodyId, { title: 'Sesja z transmisją do 200 osób' });
  const P = `/api/meetings/${m.id}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const participants = (await op.get(`${P}/participants`)).json.participants;
  assert.equal(participants.length, 200, 'all 200 take part');
  const seq0 = (await op.get(`${P}/state`)).json.seq;

  const streams = await Promise.all(people.map((p) => stream(p, m.id, seq0, { timeoutMs: 15000 })));
  t.after(() => Promise.all(streams.map((s) => s.close())));
  await sleep(200); // every stream is registered with the hub
  const open = sumMetric(await getMetrics(srv), 'obrady_sse_streams_open');
  assert.ok(open >= 200, `the server holds 200 SSE streams: obrady_sse_streams_open = ${open}`);
  const waits = streams.map((s) => s.next(10000).then((ev) => ({ ev, at: performance.now() }), (err) => ({ err })));
  const sent = performance.now();
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  const got = await Promise.all(waits);
  const lost = got.filter((g) => g.err || !g.ev || g.ev.event !== 'attendance.started');
  assert.equal(lost.length, 0, `streams without attendance.started: ${lost.length}: ${lost.slice(0, 3).map((g) => (g.err ? g.err.message : JSON.stringify(g.ev))).join(' | ')}`);
  const startedSeq = got[0].ev.data.seq;
  for (const g of got) {
    assert.equal(g.ev.data.seq, startedSeq);
    assert.equal(g.ev.data.payload.check_id, chk.check_id);
  }
  const lat = got.map((g) => g.at - sent);
  const fmt = (x) => `${x.toFixed(1)} ms`;
  const summary = `fan-out to ${lat.length} SSE streams (operator's request → receipt): p50 ${fmt(percentile(lat, 50))}, p99 ${fmt(percentile(lat, 99))}, max ${fmt(Math.max(...lat))}`;
  console.log(summary);
  t.diagnostic(summary);
  assert.ok(Math.max(...lat) < 2000, summary);

  // 50 drop; 3 messages; they come back with Last-Event-ID.
  const dropped = streams.slice(0, 50);
  const kept = streams.slice(50);
  await Promise.all(dropped.map((s) => s.close()));
  const msgs = [];
  for (const text of ['Pierwsza', 'Druga', 'Trzecia']) msgs.push((await ok(op.post(`${P}/chat`, { text: `${text} wiadomość` }), 'chat')).message_id);
  const lastIds = dropped.map((s) => s.lastEventId ?? s.events.at(-1).id);
  lastIds.forEach((id) => assert.equal(id, String(startedSeq)));
  const back = await Promise.all(people.slice(0, 50).map((p, i) => stream(p, m.id, lastIds[i])));
  t.after(() => Promise.all(back.map((s) => s.close())));
  const expectSeqs = [startedSeq + 1, startedSeq + 2, startedSeq + 3];
  const check3 = async (s, label) => {
    const evs = [];
    for (let k = 0; k < 3; k++) evs.push(await s.next(5000));
    assert.deepEqual(evs.map((e) => [Number(e.id), e.event, e.data.payload.message_id]),
      expectSeqs.map((q, k) => [q, 'chat.message', msgs[k]]), `${label}: the 3 missed messages in order`);
    await assert.rejects(s.next(300), /no event/, `${label}: nothing more, nothing repeated`);
  };
  await Promise.all(back.map((s, i) => check3(s, `resumed stream ${i}`)));
  // Those that stayed got the same three, once.
  await Promise.all(kept.map((s, i) => check3(s, `kept stream ${i}`)));
  await verifyLog(srv, m.id);
});
