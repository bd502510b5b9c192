// What offices have (issue 20 point 19): a member list saved by Excel on
// Polish Windows (Windows-1250, semicolons) is decoded, previewed with the
// right Polish letters and imported; named lists and the meeting export
// (with its attendance sheet) also come as .xlsx, checked by unzipping and
// reading the sheets' XML.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startDemo, stopAll, signIn, demoIds, DEMO, ok, anonymous, freeTmpDir, expectError } from './lib.mjs';

after(stopAll);

// Windows-1250 bytes of the Polish letters, from the code page's table.
const CP1250 = {
  ą: 0xb9, ć: 0xe6, ę: 0xea, ł: 0xb3, ń: 0xf1, ó: 0xf3, ś: 0x9c, ź: 0x9f, ż: 0xbf,
  Ą: 0xa5, Ć: 0xc6, Ę: 0xca, Ł: 0xa3, Ń: 0xd1, Ó: 0xd3, Ś: 0x8c, Ź: 0x8f, Ż: 0xaf,
};
function cp1250(text) {
  return Buffer.from([...text].map((ch) => {
    if (ch.charCodeAt(0) < 0x80) return ch.charCodeAt(0);
    if (!(ch in CP1250)) throw new Error(`no Windows-1250 byte for ${ch}`);
    return CP1250[ch];
  }));
}

const csvPost = (client, bodyId, bytes, dry) => client.api('POST', `/api/bodies/${bodyId}/members/import${dry ? '?dry_run=1' : ''}`, bytes,
  { headers: { 'content-type': 'text/csv' }, raw: true });

test('a Windows-1250 CSV with semicolons is decoded, previewed and imported', async () => {
  const srv = await startDemo();
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { orgId } = await demoIds(admin);
  const body = await ok(admin.post(`/api/orgs/${orgId}/bodies`, { name: 'Komisja Rewizyjna', statutory_size: 3 }), 'body');
  const text = `Imię i nazwisko;E-mail;Funkcja\r\nGrażyna Świętoch;g.swietoch@${DEMO.domain};przewodnicząca\r\n`
    + `Łukasz Źrebiec;l.zrebiec@${DEMO.domain};członek\r\nŻaneta Ćwiąkała-Ńóź;z.cwiakala@${DEMO.domain};radna\r\n`;
  const bytes = cp1250(text);
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'the file is not UTF-8');
  assert.equal(new TextDecoder('windows-1250').decode(bytes), text, 'the test file is Windows-1250');

  const dry = await csvPost(admin, body.id, bytes, true);
  assert.equal(dry.status, 200, dry.text);
  assert.equal(dry.json.encoding, 'windows-1250');
  assert.equal(dry.json.ok, true, dry.text);
  assert.deepEqual(dry.json.rows.map((r) => [r.name, r.role]),
    [['Grażyna Świętoch', 'chair'], ['Łukasz Źrebiec', 'member'], ['Żaneta Ćwiąkała-Ńóź', 'member']]);
  const done = await csvPost(admin, body.id, bytes, false);
  assert.equal(done.status, 201, done.text);
  assert.equal(done.json.encoding, 'windows-1250');
  const { members } = await ok(admin.get(`/api/bodies/${body.id}/members`), 'members');
  assert.deepEqual(members.map((m) => m.name).sort(), ['Grażyna Świętoch', 'Łukasz Źrebiec', 'Żaneta Ćwiąkała-Ńóź'].sort());

  // UTF-8 stays UTF-8; a byte Windows-1250 does not define is refused as before.
  const utf8 = await csvPost(admin, body.id, Buffer.from(`name;email\nÓla Źdźbło;ola@${DEMO.domain}\n`), true);
  assert.equal(utf8.json.encoding, 'utf-8');
  assert.equal(utf8.json.rows[0].name, 'Óla Źdźbło');
  const bad = await csvPost(admin, body.id, Buffer.concat([Buffer.from('name;email\nJan '), Buffer.from([0x81]), Buffer.from(`;jan@${DEMO.domain}\n`)]), false);
  expectError(bad, 422, 'csv_invalid');
  assert.equal(bad.json.encoding, 'utf-8');
  assert.match(JSON.stringify(bad.json.errors), /UTF-8/);
});

/** The XML files of an .xlsx (unzipped by python3's zipfile), by name. */
function unzip(buf) {
  const dir = freeTmpDir('obrady-xlsx-');
  const file = path.join(dir, 'book.xlsx');
  fs.writeFileSync(file, buf);
  const out = execFileSync('python3', ['-c', `import zipfile, json, sys
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({n: z.read(n).decode('utf-8') for n in z.namelist() if n.endswith('.xml')}))`, file], { encoding: 'utf8' });
  return JSON.parse(out);
}

/** The cell texts of one sheet, row by row (shared strings resolved). */
function sheetRows(files, sheetFile) {
  const shared = [...(files['xl/sharedStrings.xml'] || '').matchAll(/<si>(.*?)<\/si>/gs)].map((m) => m[1].replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
  return [...files[sheetFile].matchAll(/<row [^>]*>(.*?)<\/row>/gs)].map((r) => [...r[1].matchAll(/<c r="[A-Z]+\d+"([^>]*)>(?:<v>([^<]*)<\/v>)?<\/c>/g)]
    .map(([, attrs, v]) => (/t="s"/.test(attrs) ? shared[Number(v)] : v)));
}

test('named lists and the meeting export as .xlsx', async () => {
  const srv = await startDemo({ meetings: true });
  const op = await signIn(srv, DEMO.operator, { via: 'stdout' });
  const { bodyId } = await demoIds(op);
  const past = (await ok(op.get(`/api/bodies/${bodyId}/meetings`), 'meetings')).meetings.find((m) => m.status === 'closed');
  const open = (await ok(op.get(`/api/meetings/${past.id}/votes`), 'votes')).votes.find((v) => v.kind === 'open');
  const pub = anonymous(srv);

  const named = await pub.api('GET', `/api/public/votes/${open.id}/named.xlsx`, undefined, { raw: true });
  assert.equal(named.status, 200, named.text);
  assert.equal(named.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(named.headers['content-disposition'], new RegExp(`filename="glosowanie-${open.id}\\.xlsx"`));
  assert.equal(named.body.subarray(0, 2).toString(), 'PK');
  const nf = unzip(named.body);
  assert.match(nf['xl/workbook.xml'], /<sheet name="Wykaz imienny"/);
  const rows = sheetRows(nf, 'xl/worksheets/sheet1.xml');
  const csv = await pub.api('GET', `/api/public/votes/${open.id}/named.csv`, undefined, { raw: true });
  const csvRows = csv.text.trim().split('\r\n').map((l) => l.split(','));
  assert.deepEqual(rows, csvRows, 'the workbook says what the CSV says');
  assert.equal(rows.length, 16, 'a header and 15 members');
  assert.ok(rows.some((r) => r[1] === 'Małgorzata Piotrowska'));

  const exp = await op.api('GET', `/api/meetings/${past.id}/export.xlsx`, undefined, { raw: true });
  assert.equal(exp.status, 200, exp.text);
  const ef = unzip(exp.body);
  const sheets = [...ef['xl/workbook.xml'].matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(sheets, ['Posiedzenie', 'Porządek obrad', 'Skład', 'Obecność', 'Głosowania', 'Wykazy imienne']);
  const attendance = sheetRows(ef, `xl/worksheets/sheet${sheets.indexOf('Obecność') + 1}.xml`);
  assert.deepEqual(attendance[0], ['Sekcja', 'Nr', 'Tytuł', 'Osoba', 'Wartość']);
  assert.equal(attendance.filter((r) => r[0] === 'obecny').length, 13, 'the chair and 12 councillors were present');
  expectError(await pub.api('GET', `/api/meetings/${past.id}/export.xlsx?lang=de`), 400, 'bad_parameter', 'lang');
});
