// Interpellations and questions (issue 17 item 2; art. 24 of the municipal
// act): a member files one; the office registers it with a number and the day
// of receipt (the answer is due 14 days later; overdue when past and
// unanswered) and records the answer; the body sees all, the public register
// only registered ones, with search, as JSON and CSV (authors' ids never);
// a meeting lists what arrived since the body's previous session. Bad input
// refused naming the field; a duplicate number refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, expectError, createMeeting, ok, fakeId, api, sql,
  readMail, mailPart, sleep,
} from './lib.mjs';

after(stopAll);

test('interpellations: file, register, answer, deadline, public register with search, CSV, since last session, refusals', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, chair, r1, r2] = await signInMany(srv, [DEMO.operator, DEMO.chair, DEMO.member(1), DEMO.member(2)]);
  const { bodyId } = await demoIds(op);
  const B = `/api/bodies/${bodyId}`;

  // A session held before anything was filed.
  const prev = await createMeeting(op, bodyId, { title: 'Sesja poprzednia' });
  await ok(op.post(`/api/meetings/${prev.id}/start`, {}), 'start prev');
  await ok(op.post(`/api/meetings/${prev.id}/close`, {}), 'close prev');

  const a = await ok(r1.post(`${B}/interpellations`, { kind: 'interpellation', subject: 'Oświetlenie ulicy Łąkowej', text: 'Wnoszę o naprawę lamp\nna ulicy Łąkowej.' }), 'file a');
  assert.deepEqual([a.status, a.number, a.kind, a.author.id], ['filed', null, 'interpellation', r1.user.id]);
  const q = await ok(r2.post(`${B}/interpellations`, { kind: 'question', subject: 'Budżet szkoły', text: 'Ile wyniosą wydatki?' }), 'file q');
  const late = await ok(r2.post(`${B}/interpellations`, { kind: 'question', subject: 'Drogi gminne', text: 'Kiedy remont?' }), 'file late');

  // The office registers: number and day of receipt; due 14 days later.
  let r = await ok(op.post(`/api/interpellations/${a.id}/register`, { number: 'IN.0003.1.2026', received_on: '2026-02-20' }), 'register a');
  assert.deepEqual([r.status, r.number, r.received_on, r.due_on], ['registered', 'IN.0003.1.2026', '2026-02-20', '2026-03-06'], '14 days, across the month');
  assert.equal(r.is_overdue, true, 'long past due and unanswered');
  expectError(await op.post(`/api/interpellations/${q.id}/register`, { number: 'IN.0003.1.2026', received_on: '2026-02-21' }), 409, 'interpellation_number_taken', 'number');
  r = await ok(op.post(`/api/interpellations/${q.id}/register`, { number: 'IN.0003.2.2026', received_on: '2099-01-10' }), 'register q');
  assert.equal(r.is_overdue, false, 'not yet due');
  expectError(await op.post(`/api/interpellations/${a.id}/register`, { number: 'X', received_on: '2026-02-20' }), 409, 'interpellation_registered');

  // The deadline reminder: its day (three days before due) is long past, so the
  // office's staff are mailed at once; the one due in 2099 waits.
  const mail = await readMail(srv.dataDir, { to: DEMO.operator, subject: 'IN.0003.1.2026', timeoutMs: 8000 });
  const body = mailPart(mail, 'text/plain').text;
  assert.match(body, /2026-03-06/, 'the day the answer is due');
  assert.match(body, /Oświetlenie ulicy Łąkowej/);
  await sleep(1500);
  await assert.rejects(readMail(srv.dataDir, { subject: 'IN.0003.2.2026', timeoutMs: 300 }));

  // The answer.
  expectError(await op.post(`/api/interpellations/${late.id}/answer`, { answer: 'Tak', answered_on: '2026-03-01' }), 409, 'interpellation_not_registered');
  expectError(await op.post(`/api/interpellations/${a.id}/answer`, { answer: 'Za wcześnie', answered_on: '2026-02-19' }), 422, 'answer_before_receipt', 'answered_on');
  r = await ok(op.post(`/api/interpellations/${a.id}/answer`, { answer: 'Lampy naprawiono 1 marca.', answered_on: '2026-03-02' }), 'answer');
  assert.deepEqual([r.status, r.answered_on, r.is_overdue], ['answered', '2026-03-02', false]);
  assert.ok(r.answered_by);

  // The body's list: all three; filters.
  let list = (await ok(chair.get(`${B}/interpellations`), 'list')).interpellations;
  assert.equal(list.length, 3);
  list = (await ok(r2.get(`${B}/interpellations?status=filed`), 'filed')).interpellations;
  assert.deepEqual(list.map((x) => x.id), [late.id]);

  // The public register: registered only, no author ids, searchable (case and Polish letters folded).
  const pub = anonymousGet(srv);
  list = (await ok(pub(`/api/public/bodies/${bodyId}/interpellations`), 'public')).interpellations;
  assert.deepEqual(list.map((x) => x.number).sort(), ['IN.0003.1.2026', 'IN.0003.2.2026']);
  assert.ok(list.every((x) => !('id' in x.author) && x.author.name), 'names, never account ids');
  assert.ok(list.every((x) => !('registered_by' in x) && !('answered_by' in x)), 'not who in the office entered it');
  list = (await ok(pub(`/api/public/bodies/${bodyId}/interpellations?q=${encodeURIComponent('ŁĄKOWEJ')}`), 'search')).interpellations;
  assert.deepEqual(list.map((x) => x.id), [a.id]);
  list = (await ok(pub(`/api/public/bodies/${bodyId}/interpellations?q=${encodeURIComponent('naprawiono')}`), 'search answer')).interpellations;
  assert.deepEqual(list.map((x) => x.id), [a.id]);
  list = (await ok(pub(`/api/public/bodies/${bodyId}/interpellations?q=remont`), 'unregistered not found')).interpellations;
  assert.deepEqual(list, []);
  const csv = await pub(`/api/public/bodies/${bodyId}/interpellations.csv`);
  assert.equal(csv.status, 200);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'Nr,Rodzaj,Radny/radna,Przedmiot,Treść,Data wpływu,Termin odpowiedzi,Odpowiedź,Data odpowiedzi,Załączniki');
  assert.equal(lines.length, 3, 'header and two registered ones (records end in CRLF; the LF inside a quoted text does not)');
  assert.match(csv.text, /IN\.0003\.1\.2026,interpelacja,[^,]+,Oświetlenie ulicy Łąkowej,"Wnoszę o naprawę lamp\nna ulicy Łąkowej\.",2026-02-20,2026-03-06,Lampy naprawiono 1 marca\.,2026-03-02,\r\n/);
  const csvEn = await pub(`/api/public/bodies/${bodyId}/interpellations.csv?lang=en&q=szko`);
  assert.match(csvEn.text, /^\uFEFF?No\.,Kind,Member,/);
  assert.match(csvEn.text, /IN\.0003\.2\.2026,question,/);
  assert.doesNotMatch(csvEn.text, /IN\.0003\.1\.2026/);

  // The public register as a page: escaped, searchable, in English on ?lang=en.
  const xss = await ok(r1.post(`${B}/interpellations`, { kind: 'question', subject: '<script>alert(1)</script> & "cudzysłów"', text: '<b>nie pogrubiaj</b>' }), 'xss');
  await ok(op.post(`/api/interpellations/${xss.id}/register`, { number: 'IN.0003.9.2026', received_on: '2026-03-01' }), 'register xss');
  let page = await pub(`/public/bodies/${bodyId}/interpellations`);
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  assert.ok(!page.text.includes('<script>alert'), 'subjects are escaped');
  assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;cudzysłów&quot;'));
  assert.ok(page.text.includes('&lt;b&gt;nie pogrubiaj&lt;/b&gt;'));
  assert.equal((page.text.match(/data-interpellation>/g) || []).length, 3, 'the registered ones only');
  assert.match(page.text, /Interpelacja: Oświetlenie ulicy Łąkowej/);
  page = await pub(`/public/bodies/${bodyId}/interpellations?q=${encodeURIComponent('łąkowej')}&lang=en`);
  assert.equal((page.text.match(/data-interpellation>/g) || []).length, 1);
  assert.match(page.text, /<html lang="en"/);
  assert.match(page.text, /value="łąkowej"/, 'the search stays in the form');
  assert.match(page.text, /Interpellation: Oświetlenie ulicy Łąkowej/);

  // The next session lists what arrived (and was registered) since the previous one.
  const next = await createMeeting(op, bodyId, { title: 'Sesja następna', starts_at: '2099-06-01T17:00:00+02:00' });
  let since = await ok(op.get(`/api/meetings/${next.id}/interpellations`), 'since');
  assert.deepEqual(since.interpellations.map((x) => x.id).sort(), [a.id, q.id, xss.id].sort());
  assert.ok(since.since, 'the previous session\'s start');
  // Filed before the previous session: not listed.
  await sql(srv, `UPDATE interpellations SET filed_ms = 1000 WHERE id = '${q.id}'`);
  since = await ok(op.get(`/api/meetings/${next.id}/interpellations`), 'since again');
  assert.deepEqual(since.interpellations.map((x) => x.id).sort(), [a.id, xss.id].sort());

  // Who may: members file; the office registers and answers; outsiders read only the public register.
  expectError(await op.post(`${B}/interpellations`, { kind: 'question', subject: 'X', text: 'Y' }), 403, 'not_body_member');
  expectError(await chair.post(`/api/interpellations/${late.id}/register`, { number: '9', received_on: '2026-03-01' }), 403, 'forbidden');
  expectError(await r1.post(`/api/interpellations/${late.id}/answer`, { answer: 'X', answered_on: '2026-03-01' }), 403, 'forbidden');
  expectError(await api(srv, 'GET', `${B}/interpellations`), 401, 'unauthorized');

  // Bad input, each naming its field.
  expectError(await r1.post(`${B}/interpellations`, { kind: 'petition', subject: 'X', text: 'Y' }), 422, 'out_of_range', 'kind');
  expectError(await r1.post(`${B}/interpellations`, { kind: 'question', text: 'Y' }), 422, 'missing_field', 'subject');
  expectError(await r1.post(`${B}/interpellations`, { kind: 'question', subject: 'X', text: '' }), 422, 'out_of_range', 'text');
  expectError(await r1.post(`${B}/interpellations`, { kind: 'question', subject: 'X', text: 'x'.repeat(10001) }), 422, 'out_of_range', 'text');
  expectError(await op.post(`/api/interpellations/${late.id}/register`, { number: '', received_on: '2026-03-01' }), 422, 'out_of_range', 'number');
  expectError(await op.post(`/api/interpellations/${late.id}/register`, { number: '5', received_on: '2026-02-30' }), 422, 'out_of_range', 'received_on');
  expectError(await op.post(`/api/interpellations/${late.id}/register`, { number: '5' }), 422, 'missing_field', 'received_on');
  expectError(await op.post(`/api/interpellations/${a.id}/answer`, { answered_on: '2026-03-02' }), 422, 'missing_field', 'answer');
  expectError(await op.post(`/api/interpellations/${fakeId()}/answer`, { answer: 'X', answered_on: '2026-03-02' }), 404, 'not_found');
  expectError(await pub(`/api/public/bodies/${bodyId}/interpellations?status=lost`), 400, 'bad_parameter', 'status');
  expectError(await pub(`/api/public/bodies/${bodyId}/interpellations.csv?lang=de`), 400, 'bad_parameter', 'lang');
  expectError(await pub(`/api/public/bodies/${fakeId()}/interpellations`), 404, 'not_found');
});

function anonymousGet(srv) {
  return (p) => api(srv, 'GET', p);
}
