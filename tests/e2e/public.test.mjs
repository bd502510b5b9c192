// Publication (issue 7): the public JSON API, the BIP exports and the
// server-rendered public pages over real HTTP. One public and one private
// meeting with open votes; the pages escape a hostile title, private meetings
// and their votes are 404 for the public, the named-list CSV/JSON/HTML and
// the whole-meeting export say exactly what the votes API says, and the
// counters move by exactly what the test created.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startDemo, stopAll, signIn, signInMany, anonymous, newUser, demoIds, DEMO, expectError,
  createMeeting, eventually, readEvents, ok,
} from './lib.mjs';
import { ready } from '../../web/js/evote/sodium.js';
import { parseElection } from '../../web/js/evote/election.js';
import { registerVoterKeys, ballotOf } from './voter_keys.mjs';

after(stopAll);

const EVIL = '<script>alert(1)</script> „Łódź”';
const EVIL_HTML = '&lt;script&gt;alert(1)&lt;/script&gt; „Łódź”';
const FORMULA = '=SUM(1,2) „Żółć” "cytat"';
// null: present and did not vote; absent: not present at the close and did not vote.
const PLAIN_WORD = { yes: 'za', no: 'przeciw', abstain: 'wstrzymuję się', null: 'nie głosował(a)', absent: 'nieobecny/nieobecna' };
const EN_WORD = { yes: 'yes', no: 'no', abstain: 'abstain', null: 'did not vote', absent: 'absent' };
const wordOf = (words, n) => words[n.choice ?? (n.absent ? 'absent' : null)];
const BOM = '\uFEFF';

/** RFC 4180 quoting as the export promises (formula guard included). */
function csvField(s) {
  s = s ?? '';
  const isFormula = /^[=+\-@]/.test(s);
  if (isFormula) s = `'${s}`;
  return isFormula || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const csvRow = (cells) => `${cells.map(csvField).join(',')}\r\n`;

/** A strict RFC 4180 parser: rows of fields (CRLF line ends). */
function parseCsv(text) {
  const rows = [];
  let row = [], f = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      f += c; i++; continue;
    }
    if (c === '"' && f === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(f); f = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i += 2; continue; }
    assert.notEqual(c, '\n', 'bare LF in CSV');
    f += c; i++;
  }
  assert.equal(f, '', 'CSV ends with CRLF');
  assert.equal(row.length, 0, 'CSV ends with CRLF');
  return rows;
}

async function startWithPresent(op, meetingId, present) {
  const P = `/api/meetings/${meetingId}`;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'attendance check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), `present ${x.email}`)));
  await eventually(async () => {
    const st = (await op.get(`${P}/state`)).json;
    assert.equal(st.attendance.is_check_open, false);
    return true;
  }, 4000);
}

async function heldVote(op, meetingId, voters, fields) {
  const v = await ok(op.post(`/api/meetings/${meetingId}/votes`, { duration_s: 600, ...fields }), 'create vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open vote');
  await Promise.all(voters.map(([c, choice]) => ok(c.post(`/api/votes/${v.id}/ballots`, { ballot_id: crypto.randomUUID(), choice }), `ballot ${c.email}`)));
  return v;
}

test('public API, BIP exports and public pages: escaping, privacy, exact exports, counters', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const pub = anonymous(srv);
  const stats0 = await ok(pub.get('/api/public/stats'), 'stats before');
  for (const k of ['users', 'organisations', 'meetings', 'votes', 'ballots']) assert.equal(typeof stats0[k], 'number', k);

  const members = [DEMO.chair, ...Array.from({ length: 9 }, (_, i) => DEMO.member(i + 1))];
  const [op, ...present] = await signInMany(srv, [DEMO.operator, ...members]);
  const { bodyId } = await demoIds(op);

  // The public meeting: hostile title, an agenda item with a document.
  const m = await createMeeting(op, bodyId, { title: EVIL, number: 'XII', public: true, starts_at: '2031-05-01T17:00:00+02:00' });
  const item = await ok(op.post(`/api/meetings/${m.id}/agenda`, { title: 'Uchwała „Łódź” <b>budżet</b>', description: 'Projekt & uzasadnienie' }), 'agenda');
  const itemId = item.id || item.item?.id || (await op.get(`/api/meetings/${m.id}`)).json.agenda?.[0]?.id;
  const doc = await op.api('POST', `/api/meetings/${m.id}/documents?item=${itemId}`, Buffer.from('%PDF-1.7\n1 0 obj\n%%EOF\n'), { headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('Projekt Łódź.pdf') }, raw: true });
  assert.equal(doc.status, 201, doc.text);
  // A draft public meeting is not published yet.
  expectError(await pub.get(`/api/meetings/${m.id}/export.json`), 404, 'not_found');
  await startWithPresent(op, m.id, present);
  const ledger = ['yes', 'no', 'yes', 'abstain', 'yes', 'yes', 'no', 'yes', 'yes'];
  const v1 = await heldVote(op, m.id, present.slice(0, 9).map((c, i) => [c, ledger[i]]), { title: 'Uchwała budżetowa „Łódź”', motion: 'Rada <i>uchwala</i> budżet.' });
  await ok(op.post(`/api/votes/${v1.id}/close`, {}), 'close v1');
  const v2 = await heldVote(op, m.id, present.slice(0, 3).map((c) => [c, 'no']), { title: FORMULA });

  // The private meeting: same body, a held vote.
  const pm = await createMeeting(op, bodyId, { title: 'Sesja niejawna', public: false });
  await startWithPresent(op, pm.id, present);
  const pv = await heldVote(op, pm.id, present.slice(0, 2).map((c) => [c, 'yes']), { title: 'Tajemnica' });
  await ok(op.post(`/api/votes/${pv.id}/close`, {}), 'close private vote');

  // ---- JSON API ----
  const list = await ok(pub.get('/api/public/meetings?when=upcoming&limit=100'), 'public meetings');
  assert.equal(list.when, 'upcoming');
  const mine = list.meetings.find((x) => x.id === m.id);
  assert.ok(mine, 'the public meeting is listed');
  assert.equal(mine.title, EVIL);
  assert.equal(mine.org_name, DEMO.orgName);
  assert.equal(mine.body_name, DEMO.bodyName);
  assert.equal(mine.status, 'in_progress');
  assert.equal(mine.starts_at, '2031-05-01T15:00:00.000Z');
  assert.ok(!list.meetings.some((x) => x.id === pm.id), 'the private meeting is not listed');
  assert.equal(list.total, list.meetings.length);
  const page1 = await ok(pub.get('/api/public/meetings?limit=1&offset=0'), 'page of one');
  assert.equal(page1.meetings.length, Math.min(1, list.total));
  assert.equal((await ok(pub.get('/api/public/meetings?when=recent'), 'recent')).meetings.length, 0);
  expectError(await pub.get('/api/public/meetings?limit=0'), 400, 'bad_parameter', 'limit');
  expectError(await pub.get('/api/public/meetings?limit=101'), 400, 'bad_parameter', 'limit');
  expectError(await pub.get('/api/public/meetings?offset=-1'), 400, 'bad_parameter', 'offset');
  expectError(await pub.get('/api/public/meetings?when=soon'), 400, 'bad_parameter', 'when');

  const stats = await ok(pub.get('/api/public/stats'), 'stats after');
  assert.deepEqual(stats, {
    users: stats0.users, // the demo's people only
    organisations: stats0.organisations,
    meetings: stats0.meetings + 2, // both started; drafts do not count
    votes: stats0.votes + 3, // v1, v2 (open) and the private one
    ballots: stats0.ballots + 9 + 3 + 2,
  });

  const truth = await ok(op.get(`/api/votes/${v1.id}`), 'the votes API');
  const pv1 = await ok(pub.get(`/api/public/votes/${v1.id}`), 'public vote');
  assert.equal(pv1.title, 'Uchwała budżetowa „Łódź”');
  assert.equal(pv1.kind, 'open');
  assert.equal(pv1.result.yes, 6);
  assert.equal(pv1.result.no, 2);
  assert.equal(pv1.result.abstain, 1);
  assert.equal(pv1.result.outcome, 'adopted');
  assert.equal(pv1.result.named, undefined, 'the named list is not repeated inside result');
  assert.deepEqual(pv1.rule_text, truth.result.rule_text);
  assert.deepEqual(pv1.named, truth.result.named.map((n) => ({ name: n.name, choice: n.choice, absent: n.absent })));
  assert.ok(!JSON.stringify(pv1).includes('user_id'), 'no user ids in the publication');
  assert.ok(!JSON.stringify(pv1).includes('@'), 'no e-mail addresses in the publication');
  assert.equal(pv1.meeting.title, EVIL);
  assert.equal(pv1.links.csv.endsWith(`/api/public/votes/${v1.id}/named.csv`), true);
  assert.equal(pv1.links.report_pdf.endsWith(`/api/votes/${v1.id}/report.pdf`), true);
  assert.equal(pv1.links.verify, undefined, 'no verification link for an open vote');
  assert.deepEqual(await ok(pub.get(`/api/public/votes/${v1.id}/named.json`), 'named.json'), { ...pv1, meeting: { ...pv1.meeting } });

  expectError(await pub.get(`/api/public/votes/${v2.id}`), 409, 'vote_not_closed');
  expectError(await pub.get(`/api/public/votes/${pv.id}`), 404, 'not_found');
  expectError(await present[0].get(`/api/public/votes/${pv.id}`), 404, 'not_found'); // even for a member
  expectError(await pub.get(`/api/public/votes/${pv.id}/named.csv`), 404, 'not_found');
  expectError(await pub.get('/api/public/votes/00000000000000000000'), 404, 'not_found');
  expectError(await pub.get('/api/public/votes/not-an-id/named.json'), 404, 'not_found');
  expectError(await pub.get(`/api/public/votes/${v1.id}/named.csv?lang=de`), 400, 'bad_parameter', 'lang');
  expectError(await pub.get(`/api/public/votes/${v1.id}/named.csv?bom=2`), 400, 'bad_parameter', 'bom');

  // ---- named list: CSV exact ----
  const expectCsv = (words, header) => header + truth.result.named.map((n, i) => csvRow([String(i + 1), n.name, wordOf(words, n)])).join('');
  const csv = await pub.get(`/api/public/votes/${v1.id}/named.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.match(csv.headers['content-disposition'], new RegExp(`attachment; filename="glosowanie-${v1.id}.csv"`));
  assert.equal(csv.body.subarray(0, 3).toString('hex'), 'efbbbf', 'UTF-8 BOM by default');
  assert.equal(csv.text, BOM + expectCsv(PLAIN_WORD, 'Lp.,Imię i nazwisko,Głos\r\n'));
  const csvEn = await pub.get(`/api/public/votes/${v1.id}/named.csv?lang=en&bom=0`);
  assert.equal(csvEn.text, expectCsv(EN_WORD, 'No.,Name,Choice\r\n'));
  assert.ok(truth.result.named.some((n) => /[ąćęłńóśźżŁŚŻ]/.test(n.name)), 'names with Polish letters');
  assert.equal(parseCsv(csvEn.text).length, 1 + truth.result.named.length);

  // ---- named list: HTML for BIP ----
  const nh = await pub.get(`/api/public/votes/${v1.id}/named.html`);
  assert.equal(nh.status, 200);
  assert.match(nh.headers['content-type'], /^text\/html; charset=utf-8/);
  assert.ok(nh.text.includes('<html lang="pl">'));
  assert.ok(nh.text.includes(EVIL_HTML), 'meeting title escaped');
  assert.ok(!nh.text.includes('<script>alert(1)'), 'no live script');
  assert.ok(nh.text.includes('Rada &lt;i&gt;uchwala&lt;/i&gt; budżet.'), 'motion escaped');
  for (const n of truth.result.named) assert.ok(nh.text.includes(`>${n.name}</th>`), `named row for ${n.name}`);
  assert.equal((nh.text.match(/<tr><td data-label/g) || []).length, truth.result.named.length);
  assert.match(nh.text, /<caption>Kto jak głosował<\/caption>/);

  // ---- whole-meeting export ----
  const xj = await ok(pub.get(`/api/meetings/${m.id}/export.json`), 'export.json');
  assert.equal(xj.format, 'obrady.meeting-export/1');
  assert.equal(xj.meeting.title, EVIL);
  assert.equal(xj.meeting.org.name, DEMO.orgName);
  assert.equal(xj.meeting.body.name, DEMO.bodyName);
  assert.equal(xj.agenda.length, 1);
  assert.equal(xj.agenda[0].title, 'Uchwała „Łódź” <b>budżet</b>');
  assert.equal(xj.agenda[0].documents[0].filename, 'Projekt Łódź.pdf');
  assert.ok(xj.agenda[0].documents[0].url.endsWith(`/api/documents/${doc.json.id}`));
  assert.equal(xj.attendance.length, 1);
  assert.equal(xj.attendance[0].present_count, 10);
  const parts = await ok(op.get(`/api/meetings/${m.id}/participants`), 'participants');
  const presentNames = (parts.participants || parts).filter((x) => members.includes(x.email)).map((x) => x.name);
  assert.deepEqual([...xj.attendance[0].present].sort(), presentNames.sort());
  assert.equal(xj.votes.length, 2, 'both held votes, the open one without a result');
  assert.deepEqual(xj.votes[0].named, pv1.named);
  assert.equal(xj.votes[1].status, 'open');
  assert.equal(xj.votes[1].result, null);
  assert.match(xj.log.head_hash, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(xj).includes('@'), 'no e-mail addresses in the export');
  assert.ok(xj.members.length >= 15 && xj.members.every((x) => x.name && x.role));

  const xc = await pub.get(`/api/meetings/${m.id}/export.csv?bom=0`);
  assert.equal(xc.status, 200, xc.text);
  assert.match(xc.headers['content-type'], /^text\/csv; charset=utf-8/);
  const expected = [['Sekcja', 'Nr', 'Tytuł', 'Osoba', 'Wartość'],
    ['posiedzenie', 'XII', EVIL, '', '2031-05-01 17:00'],
    ['organizacja', '', DEMO.orgName, '', ''],
    ['organ', '', DEMO.bodyName, '', ''],
    ['status', '', '', '', 'w toku'],
    ['porządek obrad', '1', 'Uchwała „Łódź” <b>budżet</b>', '', '']];
  const rows = parseCsv(xc.text);
  assert.deepEqual(rows.slice(0, expected.length), expected);
  const named = rows.filter((r) => r[0] === 'imiennie' && r[1] === '1');
  assert.deepEqual(named, truth.result.named.map((n) => ['imiennie', '1', 'Uchwała budżetowa „Łódź”', n.name, wordOf(PLAIN_WORD, n)]));
  assert.deepEqual(rows.find((r) => r[0] === 'głosowanie' && r[1] === '1'), ['głosowanie', '1', 'Uchwała budżetowa „Łódź”', 'jawne imienne', 'podjęta']);
  assert.deepEqual(rows.filter((r) => r[0] === 'wynik' && r[1] === '1').slice(0, 3).map((r) => [r[3], r[4]]), [['za', '6'], ['przeciw', '2'], ['wstrzymało się', '1']]);
  assert.equal(rows.filter((r) => r[0] === 'obecny').length, 10);
  assert.deepEqual(rows.filter((r) => r[0] === 'skład').map((r) => r[3]), xj.members.map((x) => x.name));
  assert.ok(rows.some((r) => r[0] === 'skład' && r[4] === 'przewodnicząca' && r[3] === 'Zofia Wiśniewska'), 'the chair with her role, in the feminine');
  // A cell a spreadsheet would run as a formula is defused, and quoted exactly.
  assert.ok(xc.text.includes(`głosowanie,2,"'=SUM(1,2) „Żółć” ""cytat""",jawne imienne,trwa\r\n`), 'formula guard and quoting');
  const xcBom = await pub.get(`/api/meetings/${m.id}/export.csv`);
  assert.equal(xcBom.text, BOM + xc.text);

  expectError(await pub.get(`/api/meetings/${pm.id}/export.json`), 404, 'not_found');
  expectError(await pub.get(`/api/meetings/${pm.id}/export.csv`), 404, 'not_found');
  expectError(await pub.get('/api/meetings/00000000000000000000/export.json'), 404, 'not_found');
  expectError(await op.get('/api/meetings/00000000000000000000/export.csv'), 404, 'not_found');
  const xh = await pub.get(`/api/meetings/${m.id}/export.html?lang=en`);
  assert.equal(xh.status, 200);
  assert.match(xh.headers['content-type'], /^text\/html; charset=utf-8/);
  assert.ok(xh.text.includes('<html lang="en">') && xh.text.includes(`<h1>XII — ${EVIL_HTML}</h1>`));
  expectError(await pub.get(`/api/meetings/${pm.id}/export.html`), 404, 'not_found');
  const pxh = await present[4].get(`/api/meetings/${pm.id}/export.html`);
  assert.equal(pxh.status, 200);
  assert.equal(pxh.headers['cache-control'], 'private, no-store');
  assert.ok(pxh.text.includes('Tajemnica'));
  const px = await ok(present[4].get(`/api/meetings/${pm.id}/export.json`), 'a member exports the private meeting');
  assert.equal(px.votes[0].title, 'Tajemnica');
  await newUser(srv, 'obcy@inna.example', { name: 'Osoba Obca' });
  const outsider = await signIn(srv, 'obcy@inna.example', { via: 'stdout' });
  expectError(await outsider.get(`/api/meetings/${pm.id}/export.json`), 403, 'forbidden');

  // ---- pages ----
  const home = await pub.get('/public');
  assert.equal(home.status, 200);
  assert.match(home.headers['content-type'], /^text\/html; charset=utf-8/);
  assert.ok(home.text.includes(EVIL_HTML), 'escaped title on the home page');
  assert.ok(!home.text.includes('<script'), 'no script at all on the home page');
  assert.ok(!home.text.includes('Sesja niejawna'));
  assert.ok(home.text.includes(`href="/public/meetings/${m.id}"`));
  assert.ok(home.text.includes(`<div class="stat" data-stat="votes"><dt>głosowań</dt><dd>${stats.votes}</dd></div>`));
  assert.ok(home.text.includes(`<div class="stat" data-stat="ballots"><dt>oddanych głosów</dt><dd>${stats.ballots}</dd></div>`));
  const homeEn = await pub.get('/public', { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
  assert.ok(homeEn.text.includes('<html lang="en">') && homeEn.text.includes('Upcoming meetings'));
  assert.ok((await pub.get('/public?lang=en')).text.includes('<html lang="en">'));
  assert.ok((await pub.get('/public?lang=pl', { headers: { 'accept-language': 'en' } })).text.includes('<html lang="pl">'));

  const mp = await pub.get(`/public/meetings/${m.id}`);
  assert.equal(mp.status, 200);
  assert.ok(mp.text.includes(`<h1>XII — ${EVIL_HTML}</h1>`), 'escaped heading');
  assert.ok(!mp.text.includes('<script'), 'no script on the meeting page');
  assert.ok(mp.text.includes('Uchwała „Łódź” &lt;b&gt;budżet&lt;/b&gt;'), 'agenda item escaped');
  assert.ok(mp.text.includes(`<a href="/api/documents/${doc.json.id}" download>Projekt Łódź.pdf</a>`), 'document link');
  assert.ok(mp.text.includes(`<a href="/public/votes/${v1.id}">Uchwała budżetowa „Łódź”</a>`));
  for (const n of truth.result.named) assert.ok(mp.text.includes(`>${n.name}</th>`), `meeting page names ${n.name}`);
  assert.ok(mp.text.includes(`href="/api/meetings/${m.id}/protocol.pdf"`), 'protocol link');
  assert.ok(mp.text.includes(`<a href="/meetings/${m.id}/public" class="btn">Obrady na żywo</a>`), 'live view of a meeting in progress');
  assert.ok(mp.text.includes(`href="/api/meetings/${m.id}/export.csv"`), 'export link');

  const vp = await pub.get(`/public/votes/${v1.id}`);
  assert.equal(vp.status, 200);
  assert.ok(vp.text.includes(`href="/api/votes/${v1.id}/report.pdf"`), 'report link');
  // The links lead somewhere: the PDF report and protocol are public for a public meeting.
  const pdf = await pub.get(`/api/votes/${v1.id}/report.pdf`);
  assert.equal(pdf.status, 200, pdf.text.slice(0, 200));
  assert.match(pdf.headers['content-type'], /^application\/pdf/);
  expectError(await pub.get(`/api/votes/${pv.id}/report.pdf`), 404, 'not_found');
  assert.ok(vp.text.includes(`href="/api/public/votes/${v1.id}/named.csv"`), 'CSV link');
  assert.ok(vp.text.includes(truth.result.verdict.pl), 'verdict in words');
  assert.ok(vp.text.includes(truth.result.rule_text.pl.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), 'rule in words');

  for (const p of [`/public/meetings/${pm.id}`, `/public/votes/${pv.id}`, '/public/meetings/00000000000000000000']) {
    const r = await pub.get(p);
    assert.equal(r.status, 404, p);
    assert.match(r.headers['content-type'], /^text\/html/);
    assert.ok(r.text.includes('Nie znaleziono strony'), p);
  }
  assert.equal((await present[0].get(`/public/meetings/${pm.id}`)).status, 404, 'private even for a member');
  assert.equal((await pub.get(`/public/votes/${v2.id}`)).status, 409, 'an open vote is not published yet');
});

test('elections publish choices by candidate name; secret votes publish counts, the board hash and the verification link, never a named list', async (t) => {
  await ready();
  const srv = await startDemo();
  t.after(() => srv.stop());
  const pub = anonymous(srv);
  const members = [DEMO.chair, ...Array.from({ length: 8 }, (_, i) => DEMO.member(i + 1))];
  const [op, ...present] = await signInMany(srv, [DEMO.operator, ...members]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja wyborcza', public: true });
  await startWithPresent(op, m.id, present);
  const P = `/api/meetings/${m.id}`;

  // An open election, 2 of 3.
  const el = await ok(op.post(`${P}/votes`, { title: 'Wybór komisji', method: 'election', candidates: ['Anna Żak', 'Łukasz Ćwik', 'Piotr "Nowak", jr'], seats: 2 }), 'create election');
  await ok(op.post(`/api/votes/${el.id}/open`, {}), 'open election');
  const picks = [[0, 1], [2], [], [0, 2], [1]];
  await Promise.all(picks.map((choices, i) => ok(present[i].post(`/api/votes/${el.id}/ballots`, { ballot_id: crypto.randomUUID(), choices }), 'election ballot')));
  const elRes = (await ok(op.post(`/api/votes/${el.id}/close`, {}), 'close election')).result;
  const names = elRes.candidates.map((c) => c.name);
  const pe = await ok(pub.get(`/api/public/votes/${el.id}`), 'public election');
  assert.deepEqual(pe.result.candidates, elRes.candidates);
  assert.deepEqual(pe.named, elRes.named.map((n) => ({ name: n.name, absent: n.absent, choices: n.choices === null ? null : n.choices.map((k) => names[k]) })));
  assert.ok(pe.named.some((n) => Array.isArray(n.choices) && n.choices.length === 0), 'a blank ballot stays an empty list');
  const cell = (n) => (n.choices === null ? wordOf(PLAIN_WORD, n) : n.choices.length ? n.choices.join('; ') : 'głos pusty');
  const ecsv = await pub.get(`/api/public/votes/${el.id}/named.csv?bom=0`);
  assert.equal(ecsv.text, 'Lp.,Imię i nazwisko,Głos\r\n' + pe.named.map((n, i) => csvRow([String(i + 1), n.name, cell(n)])).join(''));
  assert.ok(ecsv.text.includes('"Piotr ""Nowak"", jr"'), 'quoting inside a joined cell');
  const epage = await pub.get(`/public/votes/${el.id}`);
  assert.ok(epage.text.includes('<caption>Kandydaci</caption>'));
  assert.ok(epage.text.includes('Piotr &quot;Nowak&quot;, jr'));

  // A secret motion, three encrypted ballots.
  const sv = await ok(op.post(`${P}/votes`, { title: 'Głosowanie tajne „Żółć”', kind: 'secret', duration_s: 300 }), 'create secret');
  await registerVoterKeys(present.slice(0, 3));
  await ok(op.post(`/api/votes/${sv.id}/open`, {}), 'open secret');
  const opened = (await readEvents(op, m.id, { since: 0 })).find((e) => e.type === 'vote.opened' && e.payload.vote_id === sv.id);
  assert.ok(opened, 'vote.opened of the secret vote');
  const ctx = parseElection(opened.payload.election);
  await Promise.all([0, 1, 0].map((k, i) => ok(present[i].post(`/api/votes/${sv.id}/ballots`, { ballot_id: crypto.randomUUID(), ballot: ballotOf(ctx, present[i], [0, 1, 2].map((j) => (j === k ? 1 : 0))).ballot }), 'secret ballot')));
  const sRes = (await ok(op.post(`/api/votes/${sv.id}/close`, {}), 'close secret')).result;
  const ps = await ok(pub.get(`/api/public/votes/${sv.id}`), 'public secret vote');
  assert.equal(ps.kind, 'secret');
  assert.equal(ps.named, undefined, 'no named list for a secret vote');
  assert.equal(ps.result.named, undefined);
  assert.deepEqual([ps.result.yes, ps.result.no, ps.result.abstain], [2, 1, 0]);
  assert.equal(ps.result.board_hash, sRes.board_hash);
  assert.ok(ps.links.verify.endsWith(`/verify?vote=${sv.id}`));
  assert.equal((await pub.get(`/api/public/votes/${sv.id}/named.csv?bom=0`)).text, 'Lp.,Imię i nazwisko,Głos\r\n');
  const spage = await pub.get(`/public/votes/${sv.id}`);
  assert.equal(spage.status, 200);
  assert.ok(!spage.text.includes('table named'), 'no named table');
  assert.ok(spage.text.includes(`<a href="/verify?vote=${sv.id}" class="verify-link">weryfikacja głosowania</a>`));
  assert.ok(spage.text.includes(sRes.board_hash), 'the board hash is shown');
  const x = await ok(pub.get(`/api/meetings/${m.id}/export.json`), 'export');
  assert.equal(x.votes.find((v) => v.id === sv.id).named, undefined);
  const xc = parseCsv((await pub.get(`/api/meetings/${m.id}/export.csv?bom=0`)).text);
  assert.equal(xc.filter((r) => r[0] === 'imiennie' && r[2] === 'Głosowanie tajne „Żółć”').length, 0, 'no named rows for the secret vote');
  assert.deepEqual(xc.filter((r) => r[0] === 'kandydat').map((r) => [r[3], r[4]]), elRes.candidates.map((c) => [c.name, String(c.votes)]));
  const stats = await ok(pub.get('/api/public/stats'), 'stats');
  assert.equal(stats.ballots, 5 + 3, 'open election voters and secret voters');
});
