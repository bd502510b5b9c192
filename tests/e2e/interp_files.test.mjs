// Attachments of interpellations (issue 17 item 2): the member's filing and
// the office's answer carry files, typed from their content and bounded like
// meeting documents. The author adds to the filing until it is registered;
// the office adds to the filing and (once registered) to the answer. Files
// of an unregistered one are read only by its author and the body; once
// registered by anyone, linked from the public register (JSON, CSV, page).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, expectError, ok, fakeId, api, sql,
} from './lib.mjs';

after(stopAll);

const pdf = (n = 4096) => Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(n), Buffer.from('\n%%EOF\n')]);
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

function upload(client, id, part, bytes, { name, type = 'application/pdf' } = {}) {
  const h = { 'content-type': type };
  if (name !== undefined) h['x-filename'] = encodeURIComponent(name);
  return client.api('POST', `/api/interpellations/${id}/attachments?part=${part}`, bytes, { headers: h, raw: true, timeoutMs: 60000 });
}

test('interpellation attachments: filing and answer, download, public links, CSV, refusals', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const [op, r1, r2] = await signInMany(srv, [DEMO.operator, DEMO.member(1), DEMO.member(2)]);
  const { bodyId } = await demoIds(op);
  const B = `/api/bodies/${bodyId}`;
  const pub = (p) => api(srv, 'GET', p);

  const a = await ok(r1.post(`${B}/interpellations`, { kind: 'interpellation', subject: 'Chodnik przy szkole', text: 'Proszę o naprawę chodnika.' }), 'file');

  // The author attaches to the filing (the name keeps its Polish letters).
  const photo = pdf();
  const f1 = await ok(upload(r1, a.id, 'filing', photo, { name: 'zdjęcie chodnika.pdf' }), 'author uploads');
  assert.deepEqual([f1.part, f1.filename, f1.content_type, f1.size_bytes], ['filing', 'zdjęcie chodnika.pdf', 'application/pdf', photo.length]);
  assert.equal(f1.url, `/api/interpellation-files/${f1.id}`);
  const note = Buffer.from('Notatka: chodnik od nr 5 do 11.\n');
  const f2 = await ok(upload(r1, a.id, 'filing', note, { name: 'notatka.txt', type: 'text/plain' }), 'text file');
  assert.equal(f2.content_type, 'text/plain; charset=utf-8');

  // Bad type or name: refused naming what is wrong; nothing listed.
  expectError(await upload(r1, a.id, 'filing', Buffer.from('\x7fELF\x02\x01\x01\0\0\0'), { name: 'x.pdf' }), 415, 'file_type', 'file');
  expectError(await upload(r1, a.id, 'filing', note, { name: 'x.pdf' }), 415, 'file_type', 'filename');
  expectError(await upload(r1, a.id, 'filing', pdf(), { name: 'x.exe', type: 'application/octet-stream' }), 415, 'file_type', 'filename');
  expectError(await upload(r1, a.id, 'filing', note, { name: 'x.txt', type: 'application/pdf' }), 415, 'file_type', 'content_type');
  expectError(await upload(r1, a.id, 'filing', pdf(), { name: '../x.pdf' }), 422, 'out_of_range', 'filename');
  expectError(await upload(r1, a.id, 'filing', pdf(), {}), 422, 'missing_field', 'filename');
  expectError(await upload(r1, a.id, 'filing', Buffer.alloc(0), { name: 'x.pdf' }), 422, 'out_of_range', 'file');
  expectError(await upload(r1, a.id, 'other', pdf(), { name: 'x.pdf' }), 400, 'bad_parameter', 'part');
  // Over 20 MiB: refused with 413.
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
  big.write('%PDF-1.7\n');
  expectError(await upload(r1, a.id, 'filing', big, { name: 'big.pdf' }), 413, 'body_too_large');

  // Who may: another member, an outsider, the answer before registration.
  expectError(await upload(r2, a.id, 'filing', pdf(), { name: 'x.pdf' }), 403, 'forbidden');
  expectError(await upload(r1, a.id, 'answer', pdf(), { name: 'x.pdf' }), 403, 'forbidden');
  expectError(await api(srv, 'POST', `/api/interpellations/${a.id}/attachments?part=filing`, pdf(), { raw: true, headers: { 'content-type': 'application/pdf', 'x-filename': 'x.pdf' } }), 401, 'unauthorized');
  expectError(await upload(op, a.id, 'answer', pdf(), { name: 'x.pdf' }), 409, 'interpellation_not_registered');
  expectError(await upload(op, fakeId(), 'filing', pdf(), { name: 'x.pdf' }), 404, 'not_found');

  // Before registration the files are the body's: not public.
  expectError(await pub(f1.url), 401, 'unauthorized');
  let d = await r2.api('GET', f1.url);
  assert.equal(d.status, 200, 'another member of the body reads it');
  assert.equal(sha256(d.body), sha256(photo), 'the exact bytes');
  assert.equal(d.headers['content-type'], 'application/pdf');
  assert.match(d.headers['content-disposition'], /^attachment; filename="zdj_cie chodnika\.pdf"; filename\*=UTF-8''zdj%C4%99cie%20chodnika\.pdf$/);
  let list = (await ok(r2.get(`${B}/interpellations`), 'list')).interpellations;
  assert.deepEqual(list.find((x) => x.id === a.id).attachments.map((x) => [x.part, x.filename]), [['filing', 'zdjęcie chodnika.pdf'], ['filing', 'notatka.txt']]);

  // The author removes one before registration.
  const f3 = await ok(upload(r1, a.id, 'filing', pdf(), { name: 'pomyłka.pdf' }), 'mistake');
  expectError(await r2.api('DELETE', f3.url), 403, 'forbidden');
  assert.equal((await r1.api('DELETE', f3.url)).status, 204);
  expectError(await r1.api('GET', f3.url), 404, 'not_found');

  // Registered: the author's filing is closed; the office answers with a file.
  await ok(op.post(`/api/interpellations/${a.id}/register`, { number: 'IN.7.2026', received_on: '2026-03-01' }), 'register');
  expectError(await upload(r1, a.id, 'filing', pdf(), { name: 'x.pdf' }), 409, 'interpellation_filing_closed');
  expectError(await r1.api('DELETE', f2.url), 409, 'interpellation_filing_closed');
  await ok(op.post(`/api/interpellations/${a.id}/answer`, { answer: 'Chodnik naprawiono.', answered_on: '2026-03-10' }), 'answer');
  const scan = pdf(8192);
  const f4 = await ok(upload(op, a.id, 'answer', scan, { name: 'Odpowiedź burmistrza.pdf' }), 'office answer file');
  assert.equal(f4.part, 'answer');

  // Public now: anyone downloads; the register links each file absolutely.
  d = await pub(f4.url);
  assert.equal(d.status, 200);
  assert.equal(sha256(d.body), sha256(scan));
  const reg = (await ok(pub(`/api/public/bodies/${bodyId}/interpellations`), 'public')).interpellations;
  const one = reg.find((x) => x.number === 'IN.7.2026');
  assert.deepEqual(one.attachments.map((x) => [x.part, x.filename]), [['filing', 'zdjęcie chodnika.pdf'], ['filing', 'notatka.txt'], ['answer', 'Odpowiedź burmistrza.pdf']]);
  for (const x of one.attachments) {
    assert.match(x.url, /^https?:\/\/[^/]+\/api\/interpellation-files\/[0-9a-z]+$/, 'an absolute link');
    assert.equal((await pub(new URL(x.url).pathname)).status, 200, x.url);
  }
  const csv = (await pub(`/api/public/bodies/${bodyId}/interpellations.csv`)).text;
  assert.match(csv.split('\r\n')[0], /,Załączniki$/);
  assert.ok(csv.includes(`wniosek: zdjęcie chodnika.pdf <${one.attachments[0].url}>\nwniosek: notatka.txt <${one.attachments[1].url}>\nodpowiedź: Odpowiedź burmistrza.pdf <${one.attachments[2].url}>`), csv);
  const page = (await pub(`/public/bodies/${bodyId}/interpellations`)).text;
  assert.ok(page.includes(`<a href="${one.attachments[2].url}">Odpowiedź burmistrza.pdf</a>`), 'the page links the answer file');
  assert.match(page, /data-attachments="filing"[\s\S]*zdjęcie chodnika\.pdf/);

  // Twenty per part at most.
  const n = Number(await sql(srv, `SELECT COUNT(*) FROM interp_files WHERE interp_id = '${a.id}' AND part = 'answer'`));
  assert.equal(n, 1);
  for (let i = 1; i < 20; i++) await ok(upload(op, a.id, 'answer', Buffer.from(`odpowiedź ${i}\n`), { name: `z${i}.txt`, type: 'text/plain' }), `answer file ${i}`);
  expectError(await upload(op, a.id, 'answer', Buffer.from('21\n'), { name: 'z21.txt', type: 'text/plain' }), 409, 'interpellation_files_full');
  // The office may still remove the author's file (a wrong scan), and it is gone from the register.
  assert.equal((await op.api('DELETE', f2.url)).status, 204);
  expectError(await pub(f2.url), 404, 'not_found');
  expectError(await pub(`/api/interpellation-files/not-an-id`), 404, 'not_found');
});
