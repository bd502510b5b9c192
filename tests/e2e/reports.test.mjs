// PDF reports (issue 7, "Reports"): a meeting with open votes, an amendment,
// speakers, arrivals and departures; the vote report and the meeting protocol
// checked with pdftotext (every name with Polish letters, counts, outcome,
// the rule in words, the log's head hash, "strona X z N"), the first page of
// each rendered with pdftoppm into test-artifacts/; cached by the log head;
// 409 for an open vote, 404 for the public on a private meeting and for
// unknown ids; a secret vote shows trustees, who voted, ballots cast, the
// board hash and how to verify it (URL and QR code); the
// reports are e-mailed with the PDF attached — to DATA/mail and through a
// real SMTP server — and not when the body turns it off.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  REPO, startDemo, stopAll, signIn, signInMany, anonymous, newUser, demoIds, DEMO, expectError,
  createMeeting, eventually, sql, sqlq, PG_BASE, fakeId, mailFiles, newMails, api, parseEml, extractCode,
  sessionCookieOf, makeClient, readEvents, ok,
} from './lib.mjs';
import { startSmtpServer } from './smtp_server.mjs';
import { ready } from '../../web/js/evote/sodium.js';
import { parseElection } from '../../web/js/evote/election.js';
import { registerVoterKeys, ballotOf } from './voter_keys.mjs';

after(stopAll);

const ARTIFACTS = path.join(REPO, 'test-artifacts');
const NEW_MEMBERS = [
  { email: 'lukasz.zolc@przykladowo.example', name: 'Łukasz Żółć' },
  { email: 'scibor.cwik@przykladowo.example', name: 'Ścibor Ćwik' },
];

const ballotId = () => crypto.randomUUID();
const squash = (s) => s.replace(/\s+/g, ' ').trim();

/** Saves the PDF under test-artifacts/, renders its first page to PNG → {text, pages, png}. */
function inspectPdf(buf, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const pdf = path.join(ARTIFACTS, `${name}.pdf`);
  fs.writeFileSync(pdf, buf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' });
  const layout = execFileSync('pdftotext', ['-enc', 'UTF-8', '-layout', pdf, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  const prefix = path.join(ARTIFACTS, name);
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', pdf, prefix]);
  const png = `${prefix}.png`;
  assert.ok(fs.statSync(png).size > 5000, `${png} is a real image`);
  return { text, layout, flat: squash(text), pages, png };
}

async function getPdf(client, url, what) {
  const r = await client.get(url);
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text}`);
  assert.equal(r.headers['content-type'], 'application/pdf');
  assert.match(r.headers['content-disposition'], /filename="[a-z-]+-[A-Za-z0-9_-]+\.pdf"/);
  assert.equal(r.body.subarray(0, 5).toString(), '%PDF-');
  return r;
}

/** A meeting started with an attendance check in which `present` press "present". */
async function startWithPresent(op, bodyId, present, fields) {
  const m = await createMeeting(op, bodyId, fields);
  const P = `/api/meetings/${m.id}`;
  const item = (await ok(op.post(`${P}/agenda`, { title: 'Uchwała w sprawie budżetu gminy' }), 'agenda')).item_id;
  await ok(op.post(`${P}/start`, {}), 'start');
  const c = await ok(op.post(`${P}/attendance-checks`, { duration_s: 1, override_minimum: true }), 'attendance check');
  await Promise.all(present.map((x) => ok(x.post(`${P}/attendance-checks/${c.check_id}/present`, {}), `present ${x.email}`)));
  await eventually(async () => {
    const st = (await op.get(`${P}/state`)).json;
    return !st.attendance.is_check_open && st.attendance.present_count === present.length;
  }, 5000);
  return { m, P, item };
}

/** Creates, opens, votes (voters: [[client, choice]]) and closes an open vote → the closed vote. */
async function runVote(op, P, fields, voters) {
  const v = await ok(op.post(`${P}/votes`, { duration_s: 120, ...fields }), 'create vote');
  await ok(op.post(`/api/votes/${v.id}/open`, {}), 'open vote');
  for (const [c, choice] of voters) await ok(c.post(`/api/votes/${v.id}/ballots`, { ballot_id: ballotId(), choice }), `ballot ${c.email}`);
  return ok(op.post(`/api/votes/${v.id}/close`, {}), 'close vote');
}

test('vote report and meeting protocol: content, page numbers, head hash, cache, access, artifacts, e-mails', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { bodyId } = await demoIds(admin);
  for (const nm of NEW_MEMBERS) await ok(admin.post(`/api/bodies/${bodyId}/members`, nm), `add ${nm.name}`);
  const [op, chair, zolc, cwik, ...radni] = await signInMany(srv, [
    DEMO.operator, DEMO.chair, ...NEW_MEMBERS.map((x) => x.email), ...Array.from({ length: 7 }, (_, i) => DEMO.member(i + 1)),
  ]);
  await newUser(srv, 'ktos@other.example', { name: 'Osoba Postronna' });
  const outsider = await signIn(srv, 'ktos@other.example', { via: 'stdout' });
  const present = [chair, zolc, cwik, ...radni]; // 10 of 17 members

  const { m, P, item } = await startWithPresent(op, bodyId, present, { title: 'Sesja budżetowa', number: 'XII', public: true });
  await ok(op.post(`${P}/current-item`, { item_id: item }), 'current item');
  const amended = await ok(op.post(`${P}/agenda`, { title: 'Wniosek o zmianę porządku — sprawy pilne' }), 'amendment');
  const q = await ok(zolc.post(`${P}/speakers`, { kind: 'normal' }), 'Łukasz asks to speak');
  await ok(chair.post(`${P}/speakers/${q.request_id}/grant`, {}), 'grant');
  await ok(chair.post(`${P}/floor/end`, {}), 'end floor');
  const q2 = await ok(cwik.post(`${P}/speakers`, { kind: 'formal' }), 'Ścibor formal motion');
  await ok(chair.post(`${P}/speakers/${q2.request_id}/grant`, {}), 'grant 2');
  await ok(radni[6].post(`${P}/presence`, { is_present: false }), 'radny07 leaves');

  // An open vote: 409 for its report until it closes.
  const motion = 'Rada Gminy Przykładowo uchwala budżet na rok 2032 w brzmieniu załącznika. Zażółć gęślą jaźń.';
  const v0 = await ok(op.post(`${P}/votes`, { title: 'Uchwała budżetowa', motion, item_id: item, duration_s: 120 }), 'create');
  expectError(await zolc.get(`/api/votes/${v0.id}/report.pdf`), 409, 'report_vote_not_closed');
  await ok(op.post(`/api/votes/${v0.id}/open`, {}), 'open');
  expectError(await zolc.get(`/api/votes/${v0.id}/report.pdf`), 409, 'report_vote_not_closed');
  const choices = [[chair, 'yes'], [zolc, 'yes'], [cwik, 'no'], [radni[0], 'yes'], [radni[1], 'abstain'], [radni[2], 'yes'], [radni[3], 'no']];
  for (const [c, choice] of choices) await ok(c.post(`/api/votes/${v0.id}/ballots`, { ballot_id: ballotId(), choice }), `ballot ${c.email}`);
  const closed = await ok(op.post(`/api/votes/${v0.id}/close`, {}), 'close');
  const res = closed.result;
  assert.equal(res.outcome, 'adopted');
  const v1 = await runVote(op, P, { title: 'Wniosek formalny o przerwę', majority: 'absolute' }, [[zolc, 'no'], [cwik, 'yes'], [chair, 'no']]);

  // ---- the vote report
  const head1 = (await ok(op.get(`${P}/state`), 'state')).hash;
  const r1 = await getPdf(zolc, `/api/votes/${v0.id}/report.pdf`, 'vote report');
  assert.match(r1.headers['content-disposition'], new RegExp(`protokol-glosowania-${v0.id}\\.pdf`));
  const vr = inspectPdf(r1.body, 'vote-report');
  for (const s of ['Protokół głosowania', 'Gmina Przykładowo', 'Rada Gminy Przykładowo', 'nr XII — Sesja budżetowa',
    '1. Uchwała w sprawie budżetu gminy', 'Uchwała budżetowa', 'jawne imienne', 'Imienny wykaz głosowania']) {
    assert.ok(vr.flat.includes(s), `vote report says "${s}":\n${vr.text}`);
  }
  assert.ok(vr.flat.includes(squash(motion)), 'the full motion text');
  assert.ok(vr.flat.includes(squash(res.rule_text.pl)), `the rule in words: ${res.rule_text.pl}\n${vr.text}`);
  assert.ok(vr.flat.includes(`Wynik: ${res.verdict.pl}`), `the outcome: ${res.verdict.pl}`);
  // One row under the header Za | Przeciw | Wstrzymało się | Nie głosowało | Oddane głosy.
  assert.match(vr.layout, /Za +Przeciw +Wstrzymało/);
  assert.match(vr.layout, new RegExp(`\\n${res.yes} +${res.no} +${res.abstain} +${res.not_voted} +${res.cast}\\n`), 'the counts');
  assert.match(vr.flat, /17 osób — wszyscy członkowie organu/, 'the electorate and how it was defined');
  assert.match(vr.flat, new RegExp(`Obecni przy otwarciu / zamknięciu ${res.present_at_open} ?/ ?${res.present}`));
  assert.ok(vr.flat.includes(head1), 'the head hash of the log');
  assert.match(vr.flat, new RegExp(`strona 1 z ${vr.pages}`), 'page numbers');
  // Every eligible member by name with the choice, in Polish alphabetical order.
  const names = res.named.map((n) => n.name);
  assert.equal(names.length, 17);
  for (const n of res.named) {
    const word = { yes: 'za', no: 'przeciw', abstain: 'wstrzymał\\(a\\) się' }[n.choice] || (n.absent ? 'nieobecny/nieobecna' : 'nie głosował\\(a\\)');
    assert.match(vr.flat, new RegExp(`\\d+\\. ${n.name} ${word}`), `${n.name}: ${n.choice}`);
  }
  const order = names.map((n) => vr.flat.indexOf(`. ${n} `));
  const collator = new Intl.Collator('pl');
  const surname = (n) => n.split(' ').pop();
  const expected = [...names].sort((a, b) => collator.compare(surname(a), surname(b)) || collator.compare(a, b));
  assert.deepEqual(names, expected, 'the engine lists by surname, Polish order');
  assert.deepEqual([...names].sort((a, b) => order[names.indexOf(a)] - order[names.indexOf(b)]), expected, 'and so does the report');
  assert.ok(vr.flat.indexOf('. Łukasz Żółć ') > vr.flat.indexOf('. Leszek Krawczyk '), 'Ł after L');
  assert.ok(vr.flat.indexOf('. Ścibor Ćwik ') < vr.flat.indexOf('. Zofia Wiśniewska '), 'Ś before Z');

  // Cached by the log head: the same bytes while the log stands still, a file under DATA/reports.
  const again = await getPdf(anonymous(srv), `/api/votes/${v0.id}/report.pdf`, 'public vote report again');
  assert.ok(again.body.equals(r1.body), 'served from the cache');
  if (PG_BASE) { // on PostgreSQL the cache is in the database, for every node (pg_files.test.mjs)
    assert.equal(await sql(srv, `SELECT head FROM report_files WHERE report_id = ${sqlq(v0.id)}`), head1, 'cached in report_files under its head');
  } else {
    assert.ok(fs.existsSync(path.join(srv.dataDir, 'reports', `${v0.id}-${head1}.pdf`)), 'cached as DATA/reports/<id>-<head>.pdf');
  }

  // ---- the protocol while the meeting runs: a draft
  const draft = inspectPdf((await getPdf(op, `${P}/protocol.pdf`, 'draft protocol')).body, 'protocol-draft');
  assert.match(draft.flat, /PROJEKT — posiedzenie nie zostało jeszcze zamknięte/);

  // ---- close: the protocol, and its mail to every member
  const before = mailFiles(srv.dataDir);
  await ok(radni[6].post(`${P}/presence`, { is_present: true }), 'radny07 returns');
  await ok(op.post(`${P}/close`, {}), 'close meeting');
  const head2 = (await ok(op.get(`${P}/state`), 'state')).hash;
  const pr = await getPdf(chair, `${P}/protocol.pdf`, 'protocol');
  assert.match(pr.headers['content-disposition'], new RegExp(`protokol-posiedzenia-${m.id}\\.pdf`));
  const p = inspectPdf(pr.body, 'protocol');
  assert.ok(!p.flat.includes('PROJEKT'), 'no longer a draft');
  if (PG_BASE) {
    assert.equal(await sql(srv, `SELECT string_agg(head, ',') FROM report_files WHERE report_id = ${sqlq(m.id)}`), head2,
      'the draft rendered at an older head was replaced');
  } else {
    const cached = fs.readdirSync(path.join(srv.dataDir, 'reports')).filter((f) => f.startsWith(`${m.id}-`));
    assert.deepEqual(cached, [`${m.id}-${head2}.pdf`], 'the draft rendered at an older head was pruned');
  }
  for (const s of ['Protokół z posiedzenia', 'Lista obecności', 'Porządek obrad',
    '[zmiana porządku obrad — punkt dodany w trakcie posiedzenia]', 'Wniosek o zmianę porządku — sprawy pilne',
    'Głosowanie nr 1: Uchwała budżetowa', 'Głosowanie nr 2: Wniosek formalny o przerwę', 'Wystąpienia',
    'wniosek formalny', 'Przewodnicząca obrad', 'Protokolant']) {
    assert.ok(p.flat.includes(s), `protocol says "${s}":\n${p.text}`);
  }
  for (const n of names) assert.ok(p.flat.includes(n), `protocol names ${n}`);
  assert.ok(p.flat.includes(squash(res.rule_text.pl)) && p.flat.includes(squash(v1.result.rule_text.pl)), 'each rule in words');
  assert.ok(p.flat.includes(`Za: ${res.yes}, przeciw: ${res.no}, wstrzymało się: ${res.abstain}, nie głosowało: ${res.not_voted}`), 'counts');
  assert.ok(p.flat.includes(`Wynik: ${res.verdict.pl}`) && p.flat.includes(`Wynik: ${v1.result.verdict.pl}`), 'outcomes');
  // The named list of each vote by choice, names in the list's (surname) order.
  // Present members who did not vote apart from the absent.
  for (const [choice, label, absent] of [['yes', 'Za'], ['no', 'Przeciw'], ['abstain', 'Wstrzymali się'], [null, 'Obecni, nie głosowali', false], [null, 'Nieobecni', true]]) {
    const who = res.named.filter((n) => n.choice === choice && (absent === undefined || n.absent === absent)).map((n) => n.name);
    const line = `${label} (${who.length}): ${who.join(', ') || '—'}`;
    assert.ok(p.flat.includes(line), `protocol says "${line}"`);
  }
  assert.match(p.flat, /wyjście \d\d:\d\d; przybycie \d\d:\d\d/, 'a departure and the return');
  const speakers = p.flat.slice(p.flat.indexOf('4. Wystąpienia'));
  assert.match(speakers, /1\. \d\d:\d\d Łukasz Żółć zwykłe .*2\. \d\d:\d\d Ścibor Ćwik wniosek formalny/, `speakers in order: ${speakers}`);
  assert.ok(p.flat.includes(head2), 'the head hash after closing');
  assert.match(p.flat, new RegExp(`strona 1 z ${p.pages}`));
  assert.match(p.flat, new RegExp(`strona ${p.pages} z ${p.pages}`));

  // The protocol went to all 17 members with the PDF attached; open votes send no report.
  const mails = await eventually(async () => {
    const got = newMails(srv.dataDir, before).filter((x) => /Protokół posiedzenia/.test(x.headers.subject));
    return got.length >= 17 ? got : null;
  }, 10000);
  assert.equal(mails.length, 17);
  const toZolc = mails.find((x) => x.headers.to.includes('lukasz.zolc@'));
  assert.ok(toZolc, 'Łukasz Żółć gets the protocol');
  assert.match(toZolc.headers.to, /Łukasz Żółć/);
  assert.match(toZolc.headers.subject, /Protokół posiedzenia nr XII: Sesja budżetowa/);
  assert.equal(toZolc.attachments.length, 1);
  assert.equal(toZolc.attachments[0].type, 'application/pdf');
  assert.equal(toZolc.attachments[0].filename, `protokol-posiedzenia-${m.id}.pdf`);
  assert.ok(toZolc.attachments[0].content.startsWith('%PDF-'));
  assert.ok(!newMails(srv.dataDir, before).some((x) => /głosowania tajnego/.test(x.headers.subject)), 'no report mail for open votes');

  // ---- access: public meeting to anyone; private meeting only to participants and staff
  await getPdf(anonymous(srv), `${P}/protocol.pdf`, 'public protocol, anonymous');
  const priv = await startWithPresent(op, bodyId, [chair, zolc, cwik, ...radni], { title: 'Sesja niejawna', public: false });
  const pv = await runVote(op, priv.P, { title: 'Sprawa osobowa' }, [[zolc, 'yes']]);
  expectError(await anonymous(srv).get(`/api/votes/${pv.id}/report.pdf`), 404, 'not_found');
  expectError(await anonymous(srv).get(`${priv.P}/protocol.pdf`), 404, 'not_found');
  expectError(await outsider.get(`/api/votes/${pv.id}/report.pdf`), 404, 'not_found');
  expectError(await outsider.get(`${priv.P}/protocol.pdf`), 404, 'not_found');
  await getPdf(cwik, `/api/votes/${pv.id}/report.pdf`, 'private report for a member');
  await getPdf(op, `${priv.P}/protocol.pdf`, 'private protocol for the operator');
  expectError(await op.get(`/api/votes/${fakeId()}/report.pdf`), 404, 'not_found');
  expectError(await op.get(`/api/meetings/${fakeId()}/protocol.pdf`), 404, 'not_found');
  expectError(await op.get('/api/votes/..%2F..%2Fetc/report.pdf'), 404, 'not_found');

  // ---- a secret vote, its ballots encrypted by the browser's own module
  await ready();
  const sv = await ok(op.post(`${priv.P}/votes`, { title: 'Wybór przewodniczącego komisji', motion: 'Czy powołać Ścibora Ćwika?', kind: 'secret', duration_s: 120 }), 'create secret');
  const seqBefore = (await ok(op.get(`${priv.P}/state`), 'state')).seq;
  await registerVoterKeys([zolc, cwik, chair]);
  await ok(op.post(`/api/votes/${sv.id}/open`, {}), 'open secret');
  const opened = (await readEvents(op, priv.m.id, { since: seqBefore, untilType: 'vote.opened' })).find((e) => e.type === 'vote.opened' && e.payload.vote_id === sv.id);
  const ctx = parseElection(opened.payload.election);
  const picks = [[zolc, 0], [cwik, 1], [chair, 0]];
  for (const [c, k] of picks) {
    const { ballot } = ballotOf(ctx, c, [0, 1, 2].map((j) => (j === k ? 1 : 0)));
    await ok(c.post(`/api/votes/${sv.id}/ballots`, { ballot_id: ballotId(), ballot }), `secret ballot ${c.email}`);
  }
  const before2 = mailFiles(srv.dataDir);
  const sres = (await ok(op.post(`/api/votes/${sv.id}/close`, {}), 'close secret')).result;
  assert.match(sres.board_hash, /^[0-9a-f]{64}$/);
  const secretMails = await eventually(async () => {
    const got = newMails(srv.dataDir, before2).filter((x) => /Protokół głosowania tajnego: Wybór przewodniczącego komisji/.test(x.headers.subject));
    return got.length >= 17 ? got : null;
  }, 10000);
  assert.equal(secretMails.length, 17, 'to every member');
  assert.ok(secretMails.every((x) => x.attachments[0]?.type === 'application/pdf' && x.attachments[0].content.startsWith('%PDF-')), 'each with the PDF');
  const sr = inspectPdf((await getPdf(zolc, `/api/votes/${sv.id}/report.pdf`, 'secret report')).body, 'vote-report-secret');
  for (const s of ['tajne', `Powiernicy klucza ${sres.trustees.join(', ')}`, `Oddane karty ${sres.ballots_cast}`, sres.board_hash,
    'obrady verify board.json', 'Łukasz Żółć', 'Ścibor Ćwik', `Wynik: ${sres.verdict.pl}`]) {
    assert.ok(sr.flat.includes(s), `secret report says "${s}":\n${sr.text}`);
  }
  // The verification address carries the board key (it may wrap across lines in the PDF).
  assert.match(sr.text.replace(/\s+/g, ''), new RegExp(`${srv.url.replace(/[.]/g, '\\.')}/verify\\?vote=${sv.id}&key=[0-9a-f]{32}`), 'verify address with the board key');
  assert.ok(!sr.flat.includes('Imienny wykaz'), 'no named list for a secret vote');

  // ---- the body turns the mail off: closing sends nothing
  expectError(await zolc.patch(`/api/bodies/${bodyId}/report-mail`, { enabled: false }), 403, 'forbidden');
  assert.deepEqual(await ok(admin.patch(`/api/bodies/${bodyId}/report-mail`, { enabled: false }), 'turn off'), { enabled: false });
  assert.deepEqual(await ok(admin.get(`/api/bodies/${bodyId}/report-mail`), 'read'), { enabled: false });
  const before3 = mailFiles(srv.dataDir);
  await ok(op.post(`${priv.P}/close`, {}), 'close the private meeting');
  await new Promise((r) => setTimeout(r, 2500)); // the scheduler runs at least every second
  assert.equal(newMails(srv.dataDir, before3).filter((x) => /Protokół/.test(x.headers.subject)).length, 0, 'no mail when turned off');
  assert.equal(await sql(srv, `SELECT count(*) FROM deadlines WHERE kind = 'report_mail' AND done_ms IS NULL`), '0', 'the deadline is done');
});

test('English organisation: reports in English with "page X of Y"; an election with an exclusion', async (t) => {
  const srv = await startDemo();
  t.after(() => srv.stop());
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const { orgId, bodyId } = await demoIds(admin);
  await ok(admin.patch(`/api/orgs/${orgId}`, { default_lang: 'en' }), 'org in English');
  const [op, chair, r1] = await signInMany(srv, [DEMO.operator, DEMO.chair, DEMO.member(1)]);
  const present = [chair, r1, ...(await signInMany(srv, Array.from({ length: 7 }, (_, i) => DEMO.member(i + 2))))];
  const { P } = await startWithPresent(op, bodyId, present, { title: 'Budget session' });
  const v = await runVote(op, P, { title: 'Budget resolution' }, [[chair, 'yes'], [r1, 'no']]);
  const r = await getPdf(chair, `/api/votes/${v.id}/report.pdf`, 'english report');
  assert.match(r.headers['content-disposition'], /vote-report-/);
  const x = inspectPdf(r.body, 'vote-report-en');
  for (const s of ['Vote report', 'Named list', 'open, by name', squash(v.result.rule_text.en), `Outcome: ${v.result.verdict.en}`, 'Zofia Wiśniewska']) {
    assert.ok(x.flat.includes(s), `english report says "${s}":\n${x.text}`);
  }
  assert.match(x.flat, new RegExp(`page 1 of ${x.pages}`));

  // An election, 2 of 3, with one member excluded from the electorate.
  const excluded = present[8];
  const el = await ok(op.post(`${P}/votes`, {
    title: 'Committee election', method: 'election', candidates: ['Anna Żak', 'Łukasz Ćwik', 'Piotr Nowak'], seats: 2,
    election_rule: 'most_votes', electorate: { exclude: [excluded.user.id] }, duration_s: 120,
  }), 'create election');
  await ok(op.post(`/api/votes/${el.id}/open`, {}), 'open election');
  const picks = [[chair, [0, 1]], [r1, [0]], [present[2], []], [present[3], [2]]];
  for (const [c, choices] of picks) await ok(c.post(`/api/votes/${el.id}/ballots`, { ballot_id: ballotId(), choices }), `ballot ${c.email}`);
  const er = (await ok(op.post(`/api/votes/${el.id}/close`, {}), 'close election')).result;
  const e = inspectPdf((await getPdf(chair, `/api/votes/${el.id}/report.pdf`, 'election report')).body, 'vote-report-election');
  assert.match(e.layout, /Anna Żak +2 +yes/, 'candidate, votes, elected');
  assert.match(e.layout, /Piotr Nowak +1 +(yes|no|tie)/);
  for (const s of [`excluding: ${excluded.user.name}`, 'Zofia Wiśniewska Anna Żak, Łukasz Ćwik', 'blank ballot',
    `Outcome: ${er.verdict.en}`, 'Ballots cast: 4']) {
    assert.ok(e.flat.includes(s), `election report says "${s}":\n${e.text}`);
  }
  const mp = await getPdf(op, `${P}/protocol.pdf`, 'english protocol');
  assert.match(mp.headers['content-disposition'], /filename="minutes-/);
  const pe = inspectPdf(mp.body, 'protocol-en');
  for (const s of ['Minutes of the meeting', 'DRAFT', 'Attendance list', '2. Agenda (as held)', 'Vote no. 1: Budget resolution',
    'Vote no. 2: Committee election', 'Anna Żak: 2 (elected)', 'Chair of the meeting', 'Recorder']) {
    assert.ok(pe.flat.includes(s), `english protocol says "${s}":\n${pe.text}`);
  }
  assert.match(pe.flat, new RegExp(`page ${pe.pages} of ${pe.pages}`));
});

/** Signs in through the SMTP server's mailbox. */
async function signInSmtp(srv, smtp, email) {
  const n = smtp.messages().length;
  const r = await api(srv, 'POST', '/api/auth/code', { email });
  assert.equal(r.status, 202, r.text);
  const msgs = await smtp.waitForMessages(n + 1, 10000);
  const code = extractCode(parseEml(msgs[msgs.length - 1]).text);
  const s = await api(srv, 'POST', '/api/auth/session', { email, code });
  assert.equal(s.status, 200, s.text);
  return makeClient(srv, sessionCookieOf(s).value, s.json.user);
}

test('the protocol travels with its PDF through a real SMTP server', async (t) => {
  const smtp = await startSmtpServer();
  t.after(() => smtp.stop());
  const srv = await startDemo({ config: { mail_transport: 'smtp', smtp_url: `smtp://127.0.0.1:${smtp.port}`, smtp_starttls: 'no' } });
  t.after(() => srv.stop());
  const op = await signInSmtp(srv, smtp, DEMO.operator);
  const admin = await signInSmtp(srv, smtp, DEMO.admin);
  const { bodyId } = await demoIds(admin);
  const m = await createMeeting(op, bodyId, { title: 'Sesja nadzwyczajna' });
  await ok(op.post(`/api/meetings/${m.id}/start`, {}), 'start');
  const n0 = smtp.messages().length;
  await ok(op.post(`/api/meetings/${m.id}/close`, {}), 'close');
  const all = await smtp.waitForMessages(n0 + 15, 20000);
  const protocols = all.slice(n0).map(parseEml).filter((x) => /Protokół posiedzenia/.test(x.headers.subject));
  assert.equal(protocols.length, 15, 'one per member');
  const toChair = protocols.find((x) => String(x.headers['x-rcptto']).includes(DEMO.chair));
  assert.ok(toChair, 'the chair got it');
  assert.match(toChair.headers.to, /Zofia Wiśniewska/);
  assert.equal(toChair.attachments[0].type, 'application/pdf');
  assert.ok(toChair.attachments[0].content.startsWith('%PDF-'));
});
