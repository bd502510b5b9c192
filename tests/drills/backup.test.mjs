// Drill (issue 13): backups of a running installation. A backup taken while
// 50 members vote delays no ballot by more than 1 s and restores to an
// installation whose logs verify; a backup at rest restores to a server with
// the same meetings, votes, documents and PDFs; the 11th backup removes the
// oldest only once it verified itself, and a failed one removes nothing and
// raises the alarm (log line, /metrics, mail to the instance admins).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startDemo, startServer, stopAll, freeTmpDir, sql, sqlq, sleep, signIn, runCli, DEMO, demoIds, createMeeting,
  getMetrics, findSamples, readMail,
} from '../e2e/lib.mjs';
import { councilInSession, openVote, waitClosed, ok } from './council.mjs';
import { makeKey, backupCli, backupsIn, leftoversIn, backUpNow, addFiller } from './backup_lib.mjs';

after(stopAll);


/** A PDF's text without the line saying when it was rendered. */
function pdfText(buf) {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: buf, encoding: 'utf8' })
    .split('\n').filter((l) => !/^(Wygenerowano|Generated):/.test(l)).join('\n');
}

async function logsVerify(dataDir) {
  const ids = (await sql(dataDir, 'SELECT DISTINCT meeting_id FROM events')).split('\n').filter(Boolean);
  assert.ok(ids.length >= 2, `logs in ${dataDir}: ${ids}`);
  for (const id of ids) {
    const r = await runCli(['log', 'verify', id, '--data', dataDir]);
    assert.equal(r.code, 0, `log ${id} verifies after the restore: ${r.stdout}${r.stderr}`);
  }
  return ids.length;
}

test('a backup while 50 members vote delays no ballot by 1 s; restores verify; a restored server has the same meetings, votes, documents and PDFs', async (t) => {
  const key = await makeKey();
  const dir = freeTmpDir('obrady-backups-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const srv = await startDemo({ config: { backup_key_file: key, backup_dir: dir } });
  t.after(() => srv.stop());
  const { op, voters, meeting } = await councilInSession(srv, 50);
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const doc = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(200000), Buffer.from('\n%%EOF\n')]);
  const up = await op.api('POST', `/api/meetings/${meeting.id}/documents`, doc,
    { headers: { 'content-type': 'application/pdf', 'x-filename': 'uchwala.pdf' }, raw: true });
  assert.equal(up.status, 201, up.text);
  await addFiller(srv, 48);
  const vote = await openVote(op, meeting.id, 3600, { allow_change: true });

  // Every member votes again and again: first for a while without a backup
  // (the machine's own baseline), then while two backups are made, one by
  // the CLI (as cron would) and one by the admin's "back up now".
  let isVoting = true;
  let phase = 'baseline';
  const latencies = { baseline: [], backup: [] };
  let n = 0;
  const voterLoop = async (v, i) => {
    while (isVoting) {
      const t0 = performance.now();
      const p = phase;
      const r = await v.post(`/api/votes/${vote.id}/ballots`, { ballot_id: `drill-backup-${i}-${n++}`, choice: ['yes', 'no', 'abstain'][n % 3] });
      latencies[p].push(performance.now() - t0);
      assert.equal(r.status, 201, `ballot during the backup: ${r.status} ${r.text}`);
      await sleep(20);
    }
  };
  const loops = voters.map(voterLoop);
  await sleep(3000);
  phase = 'backup';
  const cli = await backupCli(['create', '--data', srv.dataDir, '--to', dir, '--key', key]);
  assert.equal(cli.code, 0, cli.stderr);
  const during = (await backUpNow(admin)).last_file;
  isVoting = false;
  await Promise.all(loops);
  const stats = (a) => {
    a.sort((x, y) => x - y);
    return { n: a.length, p50: a[a.length >> 1], max: a[a.length - 1] };
  };
  const base = stats(latencies.baseline);
  const bk = stats(latencies.backup);
  t.diagnostic(`without a backup: ${base.n} ballots, p50 ${base.p50.toFixed(1)} ms, max ${base.max.toFixed(1)} ms`);
  t.diagnostic(`during two backups: ${bk.n} ballots, p50 ${bk.p50.toFixed(1)} ms, max ${bk.max.toFixed(1)} ms`);
  assert.ok(bk.n >= 100, `ballots kept flowing during the backups (${bk.n})`);
  // The bound is 1 s. A machine so loaded that ballots take that long with
  // no backup at all cannot show it; then the backup must at least not make
  // the worst case more than half as bad again.
  const bound = base.max < 1000 ? 1000 : base.max * 1.5;
  assert.ok(bk.max < bound, `no ballot delayed by ${bound.toFixed(0)} ms or more during a backup (max ${bk.max.toFixed(0)} ms; without one ${base.max.toFixed(0)} ms)`);
  assert.deepEqual(leftoversIn(dir), [], 'no temp files left behind');

  // The backup made mid-vote restores, and every log in it verifies.
  const mid = path.join(freeTmpDir('obrady-restore-'), 'data');
  t.after(() => fs.rmSync(path.dirname(mid), { recursive: true, force: true }));
  const r1 = await backupCli(['restore', during, '--data', mid, '--key', key]);
  assert.equal(r1.code, 0, r1.stderr);
  await logsVerify(mid);
  const restoredBallots = Number(await sql(mid, `SELECT count(*) FROM ballots WHERE vote_id = ${sqlq(vote.id)}`));
  assert.ok(restoredBallots > 0, 'the mid-vote backup holds ballots');

  // At rest: close the vote, back up, restore, start a server on the copy.
  await ok(op.post(`/api/votes/${vote.id}/close`), 'close vote');
  await waitClosed(op, vote.id, 10000);
  await ok(op.post(`/api/meetings/${meeting.id}/close`), 'close meeting');
  const P = `/api/meetings/${meeting.id}`;
  const before = {
    meeting: (await op.get(P)).json,
    vote: (await op.get(`/api/votes/${vote.id}`)).json,
    protocol: pdfText((await op.get(`${P}/protocol.pdf`)).body),
    report: pdfText((await op.get(`/api/votes/${vote.id}/report.pdf`)).body),
    doc: (await op.get(`/api/documents/${up.json.id}`)).body,
  };
  const rest = (await backUpNow(admin)).last_file;
  const copy = path.join(freeTmpDir('obrady-restore-'), 'data');
  t.after(() => fs.rmSync(path.dirname(copy), { recursive: true, force: true }));
  const r2 = await backupCli(['restore', rest, '--data', copy, '--key', key]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(r2.stdout, /every hash chain whole/);
  await logsVerify(copy);
  const srv2 = await startServer({ dataDir: copy });
  t.after(() => srv2.stop());
  const op2 = await signIn(srv2, DEMO.operator, { via: 'stdout' });
  const after2 = {
    meeting: (await op2.get(P)).json,
    vote: (await op2.get(`/api/votes/${vote.id}`)).json,
    protocol: pdfText((await op2.get(`${P}/protocol.pdf`)).body),
    report: pdfText((await op2.get(`/api/votes/${vote.id}/report.pdf`)).body),
    doc: (await op2.get(`/api/documents/${up.json.id}`)).body,
  };
  assert.deepEqual(after2.meeting, before.meeting, 'the same meeting');
  assert.deepEqual(after2.vote, before.vote, 'the same vote and result');
  const firstDiff = (a, b) => {
    const x = a.split('\n');
    const y = b.split('\n');
    const i = x.findIndex((l, k) => l !== y[k]);
    return i < 0 ? '' : `line ${i}: ${JSON.stringify(x.slice(Math.max(0, i - 2), i + 3))} vs ${JSON.stringify(y.slice(Math.max(0, i - 2), i + 3))}`;
  };
  assert.equal(after2.protocol, before.protocol, `the same protocol PDF text; ${firstDiff(after2.protocol, before.protocol)}`);
  assert.equal(after2.report, before.report, 'the same vote report PDF text');
  assert.ok(after2.doc.equals(doc), 'the same document bytes');
});

test('the 11th backup removes the oldest only after it verified; a failed backup removes nothing and raises the alarm', async (t) => {
  const key = await makeKey();
  const dir = freeTmpDir('obrady-backups-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const hookLog = path.join(dir, '..', `hook-${path.basename(dir)}.log`);
  t.after(() => fs.rmSync(hookLog, { force: true }));
  const srv = await startDemo({
    config: { backup_key_file: key, backup_dir: dir, backup_keep: 10, backup_command: `echo "$OBRADY_BACKUP_FILE" >> ${hookLog}` },
  });
  t.after(() => srv.stop());
  const admin = await signIn(srv, DEMO.admin, { via: 'stdout' });
  const made = [];
  for (let i = 0; i < 11; i++) {
    const s = await backUpNow(admin);
    assert.equal(s.last_error, '', `backup ${i + 1}: ${s.last_error}`);
    made.push(path.basename(s.last_file));
    if (i < 10) assert.equal(backupsIn(dir).length, i + 1, `after backup ${i + 1}`);
  }
  assert.deepEqual(backupsIn(dir), made.slice(1), 'the newest 10 are kept; the first one is gone');
  const hooked = fs.readFileSync(hookLog, 'utf8').trim().split('\n');
  assert.equal(hooked.length, 11, 'backup_command ran after every backup');
  assert.equal(path.basename(hooked[10]), made[10], 'with OBRADY_BACKUP_FILE naming the new backup');

  // The key goes missing: the backup fails, nothing is deleted, the admin hears of it.
  const status0 = (await admin.get('/api/admin/backups')).json;
  assert.equal(status0.backups.length, 10);
  assert.ok(status0.next_run_ms > Date.now(), 'the next scheduled run is in the future');
  fs.renameSync(key, `${key}.away`);
  const s = await backUpNow(admin);
  fs.renameSync(`${key}.away`, key);
  assert.match(s.last_error, /backup key/, 'the failure in plain words');
  assert.deepEqual(backupsIn(dir), made.slice(1), 'a failed backup deletes nothing');
  assert.deepEqual(leftoversIn(dir), []);
  const m = await getMetrics(srv);
  assert.equal(findSamples(m, 'obrady_backup_failures_total')[0].value, 1);
  assert.equal(findSamples(m, 'obrady_backup_successes_total')[0].value, 11);
  const age = findSamples(m, 'obrady_backup_age_seconds')[0].value;
  assert.ok(age >= 0 && age < 600, `backup age ${age}`);
  assert.ok(findSamples(m, 'obrady_backup_last_failure_timestamp_seconds')[0].value > 0);
  await srv.waitForLog(/backup FAILED: .*backup key/, 5000);
  const mail = await readMail(srv.dataDir, { to: DEMO.admin, subject: /backup failed/ });
  assert.match(mail.text, /backup key/);

  // Only an instance admin sees or starts backups.
  const opClient = await signIn(srv, DEMO.operator, { via: 'stdout' });
  assert.equal((await opClient.get('/api/admin/backups')).status, 403);
  assert.equal((await opClient.post('/api/admin/backups', {})).status, 403);
});
