// documents.test.mjs — uploading and serving a meeting's documents end to end:
// a raw body streamed to disk and stored by SHA-256, its type decided by its
// content, names checked, served as an attachment only to those who may see it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import {
  DEMO, SESSION_COOKIE, anonymous, demoIds, expectError, newUser, parseRawResponse, rawRequest, signIn, sql,
  sqlq, startDemo, stopAll, eventually,
} from './lib.mjs';

after(stopAll);

let srv, admin, operator, member, outsider, bodyId;

before(async () => {
  srv = await startDemo();
  admin = await signIn(srv, DEMO.admin);
  operator = await signIn(srv, DEMO.operator);
  member = await signIn(srv, DEMO.member(2));
  await newUser(srv, 'outsider@example.org');
  outsider = await signIn(srv, 'outsider@example.org');
  ({ bodyId } = await demoIds(admin));
});

async function newMeeting({ isPublic = false, title = 'XXVI Sesja' } = {}) {
  const r = await operator.post(`/api/bodies/${bodyId}/meetings`, {
    title, starts_at: '2030-03-01T17:00:00+01:00', mode: 'hybrid', public: isPublic,
  });
  assert.equal(r.status, 201, `create meeting: ${r.status} ${r.text}`);
  return r.json.id;
}

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

async function addItem(meetingId, title) {
  // The agenda's own API is tested elsewhere; here a row is enough.
  const itemId = Array.from(crypto.randomBytes(20), (b) => CROCKFORD[b % 32]).join('');
  await sql(srv, `INSERT INTO agenda_items (id, meeting_id, position, title, created_ms) VALUES (${sqlq(itemId)}, ${sqlq(meetingId)}, 1, ${sqlq(title)}, 0)`);
  return itemId;
}

function upload(client, meetingId, bytes, { name, type = 'application/pdf', query = '', headers = {} } = {}) {
  const h = { 'content-type': type, ...headers };
  if (name !== undefined) h['x-filename'] = encodeURIComponent(name);
  return client.api('POST', `/api/meetings/${meetingId}/documents${query}`, bytes, { headers: h, raw: true });
}

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');
const pdf = (n = 64 * 1024) => Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(n), Buffer.from('\n%%EOF\n')]);
const tmpFiles = () => {
  try {
    return fs.readdirSync(path.join(srv.dataDir, 'files', 'tmp'));
  } catch {
    return [];
  }
};
/** No upload left in files/tmp: the server removes a refused upload's file
 * when the request completes, which may be just after the client has its reply. */
const noTmpFiles = async () => {
  await eventually(() => tmpFiles().length === 0, 5000).catch(() => {});
  assert.deepEqual(tmpFiles(), []);
};

/** A ZIP whose first entry is stored: by default the "mimetype" of an OpenDocument file. */
function odf(mimetype, entry = 'mimetype') {
  const name = Buffer.from(entry);
  const data = Buffer.from(mimetype);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(10, 4); // version
  h.writeUInt16LE(0, 8); // stored
  h.writeUInt32LE(data.length, 18);
  h.writeUInt32LE(data.length, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, name, data, crypto.randomBytes(512)]);
}

test('a PDF is stored by its SHA-256 and served back as an attachment with the same bytes', async () => {
  const m = await newMeeting();
  const item = await addItem(m, 'Projekt uchwały budżetowej');
  const bytes = pdf();
  const r = await upload(operator, m, bytes, { name: 'Projekt uchwały nr 1.pdf', query: `?item=${item}&draft_resolution=1` });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sha256, sha256(bytes));
  assert.equal(r.json.size_bytes, bytes.length);
  assert.equal(r.json.content_type, 'application/pdf');
  assert.equal(r.json.filename, 'Projekt uchwały nr 1.pdf');
  assert.equal(r.json.item_id, item);
  assert.equal(r.json.is_draft_resolution, true);
  assert.deepEqual(fs.readFileSync(path.join(srv.dataDir, 'files', sha256(bytes))), bytes);
  await noTmpFiles();
  assert.equal(await sql(srv, `SELECT type FROM events WHERE meeting_id = ${sqlq(m)} AND type LIKE 'document.%'`), 'document.added');

  const g = await member.get(`/api/documents/${r.json.id}`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.headers['content-type'], 'application/pdf');
  assert.equal(g.headers['content-disposition'],
    `attachment; filename="Projekt uchwa_y nr 1.pdf"; filename*=UTF-8''Projekt%20uchwa%C5%82y%20nr%201.pdf`);
  assert.equal(g.headers['x-content-type-options'], 'nosniff');
  assert.match(g.headers['cache-control'] || '', /\bprivate\b/);
  assert.ok(g.body.equals(bytes), 'downloaded bytes differ');
});

test('the same bytes uploaded twice share one file', async () => {
  const m = await newMeeting();
  const bytes = pdf(1000);
  const a = await upload(operator, m, bytes, { name: 'a.pdf' });
  const b = await upload(admin, m, bytes, { name: 'b.PDF', type: 'application/octet-stream' });
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.json.id, b.json.id);
  assert.equal(a.json.sha256, b.json.sha256);
  await noTmpFiles();
});

test('accepted kinds: text, ODF with its mimetype, OOXML by extension, PNG', async () => {
  const m = await newMeeting();
  const t = await upload(operator, m, Buffer.from('Porządek obrad\n1. Otwarcie\n'), { name: 'notatka.txt', type: 'text/plain;charset=UTF-8' });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.content_type, 'text/plain; charset=utf-8');
  const o = await upload(operator, m, odf('application/vnd.oasis.opendocument.text'), { name: 'protokół.odt', type: 'application/vnd.oasis.opendocument.text' });
  assert.equal(o.status, 201, o.text);
  assert.equal(o.json.content_type, 'application/vnd.oasis.opendocument.text');
  const d = await upload(operator, m, odf('<Types/>', '[Content_Types].xml'), { name: 'uchwała.docx', type: '' });
  assert.equal(d.status, 201, d.text);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(100)]);
  const p = await upload(operator, m, png, { name: 'mapa.png', type: 'image/png' });
  assert.equal(p.status, 201, p.text);
});

test('a forged type is refused with 415', async () => {
  const m = await newMeeting();
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4096)]);
  expectError(await upload(operator, m, elf, { name: 'raport.pdf' }), 415, 'file_type', 'file');
  const text = Buffer.from('just text pretending\n');
  expectError(await upload(operator, m, text, { name: 'raport.pdf' }), 415, 'file_type', 'filename');
  expectError(await upload(operator, m, text, { name: 'raport.txt', type: 'application/pdf' }), 415, 'file_type', 'content_type');
  expectError(await upload(operator, m, pdf(100), { name: 'raport.exe', type: 'application/octet-stream' }), 415, 'file_type', 'filename');
  expectError(await upload(operator, m, odf('application/vnd.oasis.opendocument.text'), { name: 'x.ods', type: '' }), 415, 'file_type', 'filename');
  expectError(await upload(operator, m, odf('x'), { name: 'x.odt', type: '' }), 415, 'file_type', 'filename');
  await noTmpFiles();
  assert.equal(await sql(srv, `SELECT COUNT(*) FROM documents WHERE meeting_id = ${sqlq(m)}`), '0');
});

test('over 20 MiB is refused with 413, declared or streamed', async () => {
  const m = await newMeeting();
  // Declared too large by a client that waits for "100 Continue": refused from
  // the headers alone, before any byte is sent. (A client that sends at once
  // has its body drained and then gets the 413: audit.test.mjs, finding 3.)
  const host = new URL(srv.url).host;
  const raw = await rawRequest(srv, `POST /api/meetings/${m}/documents HTTP/1.1\r\nHost: ${host}\r\n`
    + `Origin: ${srv.url}\r\nCookie: ${SESSION_COOKIE}=${operator.cookie}\r\nContent-Type: application/pdf\r\n`
    + `X-Filename: big.pdf\r\nExpect: 100-continue\r\nContent-Length: ${20 * 1024 * 1024 + 1}\r\n\r\n`);
  const declared = parseRawResponse(raw);
  assert.equal(declared.status, 413, raw.slice(0, 300));
  assert.equal(JSON.parse(declared.body).error.code, 'body_too_large');
  // Streamed without a length: counted as it arrives, drained, then refused.
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
  big.write('%PDF-1.7\n');
  const r = await operator.api('POST', `/api/meetings/${m}/documents`, big, {
    raw: true, chunked: true, headers: { 'content-type': 'application/pdf', 'x-filename': 'big.pdf' },
  });
  expectError(r, 413, 'body_too_large');
  const exact = big.subarray(0, 20 * 1024 * 1024);
  const ok = await upload(operator, m, exact, { name: 'exact.pdf' });
  assert.equal(ok.status, 201, ok.text);
  await noTmpFiles();
});

test('unsafe names are refused with 422 on filename', async () => {
  const m = await newMeeting();
  const bytes = pdf(100);
  for (const name of ['../x.pdf', 'dir/x.pdf', 'c:\\x.pdf', '.htaccess', '...', 'a\u0000b.pdf', 'a\nb.pdf',
    'faktura\u202Efdp.pdf', 'x'.repeat(297) + '.pdf', '']) {
    expectError(await upload(operator, m, bytes, { name }), 422, 'out_of_range', 'filename');
  }
  const badUtf8 = await upload(operator, m, bytes, { headers: { 'x-filename': '%C3%28.pdf' } });
  expectError(badUtf8, 422, 'out_of_range', 'filename');
  expectError(await upload(operator, m, bytes, {}), 422, 'missing_field', 'filename');
  const longOk = await upload(operator, m, bytes, { name: 'ż'.repeat(196) + '.pdf' });
  assert.equal(longOk.status, 201, longOk.text);
  await noTmpFiles();
});

test('only staff upload and remove; a member gets 403 and nothing is stored', async () => {
  const m = await newMeeting();
  expectError(await upload(member, m, pdf(100), { name: 'x.pdf' }), 403, 'forbidden');
  expectError(await upload(anonymous(srv), m, pdf(100), { name: 'x.pdf' }), 401, 'unauthorized');
  await noTmpFiles();
  const r = await upload(operator, m, pdf(100), { name: 'x.pdf' });
  assert.equal(r.status, 201, r.text);
  expectError(await member.del(`/api/meetings/${m}/documents/${r.json.id}`), 403, 'forbidden');
  const d = await operator.del(`/api/meetings/${m}/documents/${r.json.id}`);
  assert.equal(d.status, 204, d.text);
  expectError(await operator.get(`/api/documents/${r.json.id}`), 404, 'not_found');
  expectError(await operator.del(`/api/meetings/${m}/documents/${r.json.id}`), 404, 'not_found');
  assert.equal(await sql(srv, `SELECT type FROM events WHERE meeting_id = ${sqlq(m)} AND type LIKE 'document.%' ORDER BY seq`),
    'document.added\ndocument.removed');
});

test('who may download: participants and staff; the public only for a public meeting once convened', async () => {
  const priv = await newMeeting();
  const r = await upload(operator, priv, pdf(100), { name: 'x.pdf' });
  assert.equal(r.status, 201, r.text);
  expectError(await anonymous(srv).get(`/api/documents/${r.json.id}`), 401, 'unauthorized');
  expectError(await outsider.get(`/api/documents/${r.json.id}`), 403, 'forbidden');
  assert.equal((await admin.get(`/api/documents/${r.json.id}`)).status, 200);
  await sql(srv, `UPDATE meetings SET status = 'convened' WHERE id = ${sqlq(priv)}`);
  expectError(await anonymous(srv).get(`/api/documents/${r.json.id}`), 401, 'unauthorized');

  const pub = await newMeeting({ isPublic: true });
  const p = await upload(operator, pub, pdf(100), { name: 'y.pdf' });
  assert.equal(p.status, 201, p.text);
  expectError(await anonymous(srv).get(`/api/documents/${p.json.id}`), 401, 'unauthorized');
  await sql(srv, `UPDATE meetings SET status = 'convened' WHERE id = ${sqlq(pub)}`);
  const g = await anonymous(srv).get(`/api/documents/${p.json.id}`);
  assert.equal(g.status, 200, g.text);
  assert.equal((await outsider.get(`/api/documents/${p.json.id}`)).status, 200);
});

test('a closed meeting takes no documents; bad item and flag parameters are refused', async () => {
  const m = await newMeeting();
  const other = await newMeeting();
  const foreignItem = await addItem(other, 'Cudzy punkt');
  expectError(await upload(operator, m, pdf(100), { name: 'x.pdf', query: `?item=${foreignItem}` }), 409, 'unknown_item', 'item');
  expectError(await upload(operator, m, pdf(100), { name: 'x.pdf', query: '?item=nope' }), 400, 'bad_parameter', 'item');
  expectError(await upload(operator, m, pdf(100), { name: 'x.pdf', query: '?draft_resolution=1' }), 422, 'missing_field', 'item');
  expectError(await upload(operator, m, pdf(100), { name: 'x.pdf', query: '?draft_resolution=yes' }), 400, 'bad_parameter', 'draft_resolution');
  expectError(await upload(operator, m, Buffer.alloc(0), { name: 'x.pdf' }), 422, 'out_of_range', 'file');
  await sql(srv, `UPDATE meetings SET status = 'closed' WHERE id = ${sqlq(m)}`);
  expectError(await upload(operator, m, pdf(100), { name: 'x.pdf' }), 409, 'meeting_closed');
  await noTmpFiles();
});
