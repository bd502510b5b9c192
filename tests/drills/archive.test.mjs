// Drill (issue 13): a meeting with a secret vote, an open named vote and a
// document is archived into one ZIP; `obrady archive verify` passes, so do
// `sha256sum -c`, the README's python hash-chain check and `obrady verify` on
// the board inside; a changed file fails naming it; `archive run` picks
// exactly the meetings past their organisation's retention period.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemo, stopAll, signInMany, demoIds, DEMO, createMeeting, readEvents, runCli, freeTmpDir, sql, sqlq, ok,
  DEMO_MEMBERS,
} from '../e2e/lib.mjs';
import { makeKey, backUpNow } from './backup_lib.mjs';
import { ready } from '../../web/js/evote/sodium.js';
import { parseElection } from '../../web/js/evote/election.js';
import { registerVoterKeys, ballotOf } from '../e2e/voter_keys.mjs';

after(stopAll);

const unzip = (zip, dir) => execFileSync('python3', ['-c',
  'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, dir]);

/** Rewrites one entry of a ZIP with changed bytes (python's zipfile, as anyone could). */
function rewriteEntry(zip, out, name, change) {
  execFileSync('python3', ['-c', `
import sys, zipfile
src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as b:
    for i in a.infolist():
        data = a.read(i.filename)
        if i.filename == name:
            assert b'${change[0]}' in data, 'the text to change is not in ' + name
            data = data.replace(b'${change[0]}', b'${change[1]}', 1)
        b.writestr(i, data)
`, zip, out, name]);
}

test('a meeting with a secret vote is archived; the bundle verifies with and without obrady; a changed file is named', async (t) => {
  await ready();
  const key = await makeKey();
  const out = freeTmpDir('obrady-archive-');
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  const srv = await startDemo({ config: { backup_key_file: key, backup_dir: path.join(out, 'backups'), archive_dir: path.join(out, 'daily') } });
  t.after(() => srv.stop());
  const [op, ...members] = await signInMany(srv, [DEMO.operator, ...DEMO_MEMBERS]);
  const { bodyId } = await demoIds(op);
  const m = await createMeeting(op, bodyId, { title: 'Sesja do archiwum' });
  const P = `/api/meetings/${m.id}`;
  const doc = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(5000), Buffer.from('\n%%EOF\n')]);
  const up = await op.api('POST', `${P}/documents`, doc, { headers: { 'content-type': 'application/pdf', 'x-filename': encodeURIComponent('Projekt uchwały.pdf') }, raw: true });
  assert.equal(up.status, 201, up.text);
  const GUEST = `gosc.archiwum.${Date.now()}@example.org`;
  await ok(op.post(`${P}/participants`, { email: GUEST, name: 'Gość Archiwalny' }), 'add guest');
  await ok(op.post(`${P}/convene`, {}), 'convene');
  const [guest] = await signInMany(srv, [GUEST]);
  assert.equal((await guest.get('/api/me')).status, 200);
  await ok(op.post(`${P}/start`, {}), 'start');
  await ok(members[1].post(`${P}/chat`, { text: 'Proszę o głos w sprawie archiwum', to: 'all' }), 'chat');
  const chk = await ok(op.post(`${P}/attendance-checks`, { duration_s: 600 }), 'check');
  await Promise.all(members.slice(0, 10).map((x) => ok(x.post(`${P}/attendance-checks/${chk.check_id}/present`, {}), 'present')));

  await registerVoterKeys(members.slice(0, 6));
  const sv = await ok(op.post(`${P}/votes`, { title: 'Wybór skarbnika', kind: 'secret', duration_s: 300 }), 'secret vote');
  await ok(op.post(`/api/votes/${sv.id}/open`, {}), 'open');
  const opened = (await readEvents(op, m.id, { since: 0, untilType: 'vote.opened' })).find((e) => e.type === 'vote.opened');
  const ctx = parseElection(opened.payload.election);
  await Promise.all(members.slice(0, 6).map((x, i) => ok(x.post(`/api/votes/${sv.id}/ballots`,
    { ballot_id: crypto.randomUUID(), ballot: ballotOf(ctx, x, [0, 1, 2].map((j) => (j === i % 3 ? 1 : 0))).ballot }), 'secret ballot')));
  await ok(op.post(`/api/votes/${sv.id}/close`, {}), 'close secret');
  const ov = await ok(op.post(`${P}/votes`, { title: 'Uchwała budżetowa', kind: 'open', method: 'yes_no_abstain', majority: 'simple', duration_s: 300 }), 'open vote');
  await ok(op.post(`/api/votes/${ov.id}/open`, {}), 'open');
  await Promise.all(members.slice(0, 5).map((x, i) => ok(x.post(`/api/votes/${ov.id}/ballots`, { ballot_id: `archive-drill-${i}`, choice: 'yes' }), 'ballot')));
  await ok(op.post(`/api/votes/${ov.id}/close`, {}), 'close open');
  await ok(op.post(`${P}/close`, {}), 'close meeting');

  const run = await runCli(['archive', 'run', '--data', srv.dataDir, '--to', out, '--meeting', m.id], { timeoutMs: 60000 });
  assert.equal(run.code, 0, run.stderr);
  const zip = path.join(out, `obrady-archive-${m.id}.zip`);
  const v = await runCli(['archive', 'verify', zip], { timeoutMs: 60000 });
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /1 secret-vote boards verified/);

  // Without obrady: sha256sum, the README's python, and the board by `obrady verify`.
  const dir = path.join(out, 'x');
  unzip(zip, dir);
  const names = execFileSync('find', ['.', '-type', 'f'], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean).map((n) => n.slice(2)).sort();
  for (const want of ['README.txt', 'SHA256SUMS', 'events.jsonl', 'manifest.json', 'meeting.csv', 'meeting.json', 'protocol.pdf',
    `votes/${sv.id}-board.json`, `votes/${sv.id}.pdf`, `votes/${ov.id}.pdf`, `votes/${ov.id}.csv`, `votes/${ov.id}.json`]) {
    assert.ok(names.includes(want), `${want} in the bundle: ${names}`);
  }
  const docName = names.find((n) => n.startsWith('documents/'));
  assert.ok(docName && fs.readFileSync(path.join(dir, docName)).equals(doc), 'the document, byte for byte');
  const sums = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });
  assert.equal(sums.trim().split('\n').length, names.length - 1);
  const readme = fs.readFileSync(path.join(dir, 'README.txt'), 'utf8');
  assert.match(readme, /Jak sprawdzić bez programu obrady/);
  assert.match(readme, /How to check it without obrady/);
  const script = readme.split('----8<----\n')[1];
  fs.writeFileSync(path.join(out, 'check_log.py'), script);
  const py = execFileSync('python3', [path.join(out, 'check_log.py'), path.join(dir, 'events.jsonl')], { encoding: 'utf8' });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  assert.equal(py.trim(), `ok: ${manifest.log.events} events, head ${manifest.log.head}`);
  assert.equal(manifest.log.head, await sql(srv, `SELECT hash FROM events WHERE meeting_id = ${sqlq(m.id)} ORDER BY seq DESC LIMIT 1`));
  const board = await runCli(['verify', path.join(dir, `votes/${sv.id}-board.json`)], { timeoutMs: 60000 });
  assert.equal(board.code, 0, board.stderr);
  const named = fs.readFileSync(path.join(dir, `votes/${ov.id}.csv`), 'utf8');
  assert.equal(named.split('\n').filter((l) => /,za\r?$/.test(l)).length, 5, named);
  const protocol = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'protocol.pdf'), '-'], { encoding: 'utf8' });
  assert.match(protocol, /Wybór skarbnika/);

  // A changed file, a changed log line, a changed board: each named.
  const cases = [
    [docName, ['%PDF-1.7', '%PDF-1.6'], new RegExp(`${docName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: changed`)],
    ['events.jsonl', ['"seq":2,', '"seq":3,'], /events\.jsonl: changed/],
    [`votes/${sv.id}-board.json`, ['"election_hash"', '"election_hasH"'], new RegExp(`votes/${sv.id}-board\\.json: changed`)],
  ];
  for (const [name, change, re] of cases) {
    const bad = path.join(out, 'bad.zip');
    rewriteEntry(zip, bad, name, change);
    const r = await runCli(['archive', 'verify', bad], { timeoutMs: 60000 });
    assert.equal(r.code, 1, `${name} changed must fail\n${r.stdout}`);
    assert.match(r.stderr, re);
  }
  // A file slipped in, a file taken out, something that is not a ZIP.
  const added = path.join(out, 'added.zip');
  execFileSync('python3', ['-c', 'import sys, shutil, zipfile; shutil.copy(sys.argv[1], sys.argv[2]); zipfile.ZipFile(sys.argv[2], "a").writestr("documents/extra.pdf", b"%PDF-1.4")', zip, added]);
  const ra = await runCli(['archive', 'verify', added], { timeoutMs: 60000 });
  assert.equal(ra.code, 1);
  assert.match(ra.stderr, /documents\/extra\.pdf: a file not listed in SHA256SUMS/);
  const removed = path.join(out, 'removed.zip');
  execFileSync('python3', ['-c', `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as a, zipfile.ZipFile(sys.argv[2], 'w') as b:
    for i in a.infolist():
        if i.filename != 'protocol.pdf': b.writestr(i, a.read(i.filename))
`, zip, removed]);
  const rr = await runCli(['archive', 'verify', removed], { timeoutMs: 60000 });
  assert.equal(rr.code, 1);
  assert.match(rr.stderr, /protocol\.pdf: listed in SHA256SUMS but missing/);
  fs.writeFileSync(path.join(out, 'not.zip'), 'not a zip at all');
  const rn = await runCli(['archive', 'verify', path.join(out, 'not.zip')]);
  assert.equal(rn.code, 1);
  assert.match(rn.stderr, /not a readable ZIP/);

  // Changed together with its SHA256SUMS line, the chain or the board check still catches it.
  const forged = path.join(out, 'forged.zip');
  execFileSync('python3', ['-c', `
import sys, zipfile, hashlib, json
src, dst, board = sys.argv[1], sys.argv[2], sys.argv[3]
with zipfile.ZipFile(src) as a:
    files = {i.filename: a.read(i.filename) for i in a.infolist()}
b = json.loads(files[board]); b['result'][0] += 1
files[board] = json.dumps(b).encode()
sums = ''.join('%s  %s\\n' % (hashlib.sha256(d).hexdigest(), n) for n, d in files.items() if n != 'SHA256SUMS')
files['SHA256SUMS'] = sums.encode()
with zipfile.ZipFile(dst, 'w') as z:
    for n, d in files.items(): z.writestr(n, d)
`, zip, forged, `votes/${sv.id}-board.json`]);
  const f = await runCli(['archive', 'verify', forged], { timeoutMs: 60000 });
  assert.equal(f.code, 1, f.stdout);
  assert.match(f.stderr, new RegExp(`votes/${sv.id}-board\\.json: the board does not verify`));

  // The daily job archives only meetings closed longer ago than retention_days:
  // a bundle, then the meeting is "archived", its access links gone, an event says so.
  const run2 = await runCli(['archive', 'run', '--data', srv.dataDir, '--to', path.join(out, 'cli')]);
  assert.equal(run2.code, 0, run2.stderr);
  assert.match(run2.stdout, /^0 meetings archived/m);
  const admin = (await signInMany(srv, [DEMO.admin]))[0];
  await backUpNow(admin);
  assert.equal((await op.get(P)).json.status, 'closed', 'not yet past the retention period');
  assert.equal((await op.get(`${P}/archive.zip`)).status, 404, 'no bundle to download before');
  assert.ok(Number(await sql(srv, `SELECT count(*) FROM access_links WHERE meeting_id = ${sqlq(m.id)}`)) > 0, 'the invitations made access links');
  await sql(srv, `UPDATE meetings SET closed_ms = closed_ms - 93 * 86400000 WHERE id = ${sqlq(m.id)}`);
  await backUpNow(admin);
  const daily = path.join(out, 'daily', `obrady-archive-${m.id}.zip`);
  const end = Date.now() + 30000;
  while ((await op.get(P)).json.status !== 'archived') {
    assert.ok(Date.now() < end, 'the meeting becomes archived');
    await new Promise((r) => setTimeout(r, 200));
  }
  const ev = (await readEvents(op, m.id, { since: 0, untilType: 'meeting.archived' })).find((e) => e.type === 'meeting.archived');
  const zipSha = crypto.createHash('sha256').update(fs.readFileSync(daily)).digest('hex');
  assert.equal(ev.payload.bundle, path.basename(daily));
  assert.equal(ev.payload.sha256, zipSha, 'the event records the bundle\'s SHA-256');
  assert.ok(ev.payload.removed.access_links > 0, `the event records what was removed: ${JSON.stringify(ev.payload)}`);
  assert.equal(ev.payload.removed.guest_emails, 1, 'the guest\'s e-mail address');
  assert.ok(ev.payload.removed.guest_sessions >= 1, 'and sessions');
  assert.equal(await sql(srv, `SELECT count(*) FROM users WHERE email = ${sqlq(GUEST)}`), '0', 'the guest\'s address is gone');
  assert.equal((await guest.get('/api/me')).status, 401, 'the guest\'s session is gone');
  assert.match(await sql(srv, `SELECT count(*) FROM users WHERE email = ${sqlq(DEMO.member(3))}`), /^1$/, 'members keep theirs');
  assert.equal(await sql(srv, `SELECT count(*) FROM access_links WHERE meeting_id = ${sqlq(m.id)}`), '0');
  const dl = await op.get(`${P}/archive.zip`);
  assert.equal(dl.status, 200, dl.text);
  assert.equal(dl.headers['content-type'], 'application/zip');
  assert.ok(dl.body.equals(fs.readFileSync(daily)), 'staff download the bundle');
  assert.equal((await members[0].get(`${P}/archive.zip`)).status, 403, 'a member does not');
  const dv = await runCli(['archive', 'verify', daily], { timeoutMs: 60000 });
  assert.equal(dv.code, 0, dv.stderr);
  const lv = await runCli(['log', 'verify', m.id, '--data', srv.dataDir]);
  assert.equal(lv.code, 0, lv.stdout);
  // Chat: the text is gone from the live log, its event keeps its place and
  // hash (the log above still verifies), and the bundle holds the message.
  assert.equal(ev.payload.removed.chat_messages, 1, 'the event records the chat messages removed');
  assert.equal(await sql(srv, `SELECT payload FROM events WHERE meeting_id = ${sqlq(m.id)} AND type = 'chat.message'`),
    '{"redacted":"archived"}');
  assert.equal(await sql(srv, `SELECT count(*) FROM events WHERE meeting_id = ${sqlq(m.id)} AND payload LIKE '%głos w sprawie archiwum%'`), '0');
  const dailyDir = freeTmpDir();
  unzip(daily, dailyDir);
  assert.match(fs.readFileSync(path.join(dailyDir, 'events.jsonl'), 'utf8'), /Proszę o głos w sprawie archiwum/, 'the bundle keeps the chat');
  const st = await op.get(`${P}/state`);
  assert.equal(st.status, 200, st.text);
  assert.ok(!JSON.stringify(st.json).includes('głos w sprawie archiwum'), 'the state no longer shows it');
  const after = await op.get(`${P}/protocol.pdf`);
  assert.equal(after.status, 200, 'the protocol stays published');
  assert.match(execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: after.body, encoding: 'utf8' }), /Wybór skarbnika/);
});
