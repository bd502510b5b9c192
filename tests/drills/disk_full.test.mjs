// Drill: the data directory's file system fills up (a small tmpfs mounted for
// the drill). Ballots then get a clear 507/503 JSON error, nothing is
// acknowledged that was not stored, and once space returns the server takes
// ballots again without a restart. Needs permission to mount (root or
// CAP_SYS_ADMIN); where mounting is impossible the drill is skipped, saying why.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startDemo, stopAll, sql, sqlq, sleep } from '../e2e/lib.mjs';
import { councilInSession, openVote } from './council.mjs';
import { smallDisk } from './tmpfs.mjs';

after(stopAll);

/** Fills the file system holding dir; returns the filler's path. */
function fill(dir) {
  const file = path.join(dir, 'filler.bin');
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(16384, 1);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (e) {
    if (e.code !== 'ENOSPC') throw e;
  }
  try {
    for (;;) fs.writeSync(fd, chunk, 0, 512);
  } catch { /* the last bytes */ }
  fs.closeSync(fd);
  return file;
}

test('disk full on the data dir: 507/503, nothing acknowledged that was not stored, recovery when space returns', async (t) => {
  const mnt = smallDisk(t, 'obrady-drill-full-', '24m');
  if (!mnt) return;
  const srv = await startDemo({ dataDir: mnt });
  t.after(() => srv.stop());
  const { op, voters, meeting } = await councilInSession(srv, 15);
  const vote = await openVote(op, meeting.id, 3600, { allow_change: true });

  const acked = [];
  const statuses = {};
  let n = 0;
  const castRound = async (label, count) => {
    for (let k = 0; k < count; k++) {
      const i = n++;
      const id = `drill-full-${label}-${String(i).padStart(5, '0')}`;
      const r = await voters[i % voters.length].post(`/api/votes/${vote.id}/ballots`, { ballot_id: id, choice: 'yes' });
      statuses[r.status] = (statuses[r.status] || 0) + 1;
      if (r.status === 201) acked.push(id);
      else {
        assert.ok([503, 507].includes(r.status), `ballot ${id}: ${r.status} ${r.text}`);
        assert.ok(r.json && r.json.error && r.json.error.code, `a JSON error: ${r.text}`);
      }
    }
  };
  await castRound('before', 20);
  assert.equal(acked.length, 20, 'ballots are taken while there is space');

  const filler = fill(mnt);
  const errorsBefore = (statuses[503] || 0) + (statuses[507] || 0);
  await castRound('full', 400);
  // Concurrent ballots share one transaction (group commit): a batch lost
  // to the full disk must acknowledge none of its ballots.
  await Promise.all(Array.from({ length: 16 }, () => castRound('full-batch', 10)));
  const errors = (statuses[503] || 0) + (statuses[507] || 0) - errorsBefore;
  t.diagnostic(`while full: ${JSON.stringify(statuses)}`);
  assert.ok(errors > 0, `a full disk is reported (507/503): ${JSON.stringify(statuses)}`);

  fs.rmSync(filler);
  await sleep(200);
  const ackedBefore = acked.length;
  await castRound('after', 20);
  assert.equal(acked.length - ackedBefore, 20, `ballots are taken again once space returns: ${JSON.stringify(statuses)}`);
  await Promise.all(Array.from({ length: 16 }, () => castRound('after-batch', 5)));
  assert.equal(acked.length - ackedBefore, 100, `concurrent ballots are taken once space returns: ${JSON.stringify(statuses)}`);

  const stored = new Set((await sql(srv, `SELECT ballot_id FROM ballots WHERE vote_id = ${sqlq(vote.id)}`)).split('\n').filter(Boolean));
  for (const id of acked) assert.ok(stored.has(id), `acknowledged ballot ${id} is stored`);
  const health = await op.get('/healthz');
  assert.equal(health.status, 200, `healthy again: ${health.text}`);
});
