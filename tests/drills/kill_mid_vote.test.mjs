// Drill: SIGKILL in the middle of a vote with 200 ballots in flight. After a
// restart on the same data every acknowledged ballot (201) is stored exactly
// once, as a row and as one vote.ballot event; the log verifies; and the
// vote still closes by itself at its deadline, counting what was stored.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startDemo, stopAll, freeTmpDir, sql, sqlq, runCli, sleep, makeClient } from '../e2e/lib.mjs';
import { councilInSession, openVote, waitClosed } from './council.mjs';

after(stopAll);

test('SIGKILL with 200 ballots in flight: acknowledged ballots survive exactly once; the vote closes at its deadline', async (t) => {
  const dataDir = freeTmpDir('obrady-drill-kill-');
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let srv = await startDemo({ dataDir });
  const { op, voters, meeting } = await councilInSession(srv, 200);
  const vote = await openVote(op, meeting.id, 25);
  const deadline = vote.deadline;

  // 200 ballots at once; the server dies once 40 answers are in.
  let answered = 0;
  let killed = false;
  const acked = [];
  const sends = voters.map((v, i) => {
    const ballotId = `drill-kill-${String(i).padStart(3, '0')}`;
    return v.post(`/api/votes/${vote.id}/ballots`, { ballot_id: ballotId, choice: ['yes', 'no', 'abstain'][i % 3] }, { timeoutMs: 5000 })
      .then((r) => {
        if (r.status === 201 || r.status === 200) acked.push(ballotId);
        else assert.ok(r.status >= 500 || killed, `ballot ${ballotId} before the kill: ${r.status} ${r.text}`);
      }, () => { /* cut off by the kill: not acknowledged */ })
      .finally(() => {
        answered++;
        if (answered >= 40 && !killed) {
          killed = true;
          srv.proc.kill('SIGKILL');
        }
      });
  });
  await Promise.all(sends);
  await srv.exited;
  assert.ok(killed, 'the server was killed mid-vote');
  t.diagnostic(`acknowledged before the kill: ${acked.length} of 200`);
  assert.ok(acked.length >= 1, 'some ballots were acknowledged before the kill');

  srv = await startDemo({ dataDir });
  const rows = (await sql(srv, `SELECT ballot_id, count(*) FROM ballots WHERE vote_id = ${sqlq(vote.id)} GROUP BY ballot_id`))
    .split('\n').filter(Boolean).map((l) => l.split('|'));
  const stored = new Map(rows.map(([id, n]) => [id, Number(n)]));
  const evRows = (await sql(srv, `SELECT json_extract(payload, '$.ballot_id') FROM events WHERE meeting_id = ${sqlq(meeting.id)} AND type = 'vote.ballot'`))
    .split('\n').filter(Boolean);
  const events = new Map();
  for (const id of evRows) events.set(id, (events.get(id) || 0) + 1);
  for (const id of acked) {
    assert.equal(stored.get(id), 1, `acknowledged ballot ${id} stored once`);
    assert.equal(events.get(id), 1, `acknowledged ballot ${id} has one vote.ballot event`);
  }
  for (const [id, n] of events) assert.equal(n, 1, `ballot ${id}: one event`);
  assert.equal(events.size, stored.size, 'as many ballot events as ballot rows');
  t.diagnostic(`stored after restart: ${stored.size} (acknowledged ${acked.length}, the rest committed but cut off before their answer)`);

  const verify = await runCli(['log', 'verify', meeting.id, '--data', dataDir]);
  assert.equal(verify.code, 0, `log verify: ${verify.stdout}${verify.stderr}`);

  // The vote is still open and closes by itself at its deadline.
  const voter = makeClient(srv, voters[0].cookie, voters[0].user);
  const before = await voter.get(`/api/votes/${vote.id}`);
  assert.equal(before.status, 200);
  if (Date.now() < deadline - 1000) assert.equal(before.json.status, 'open', 'open until its deadline');
  const closed = await waitClosed(voter, vote.id, Math.max(0, deadline - Date.now()) + 15000);
  assert.ok(closed.closed_at >= deadline, `closed at ${closed.closed_at}, deadline ${deadline}`);
  const r = closed.result;
  assert.equal(r.yes + r.no + r.abstain, stored.size, `the result counts the stored ballots: ${JSON.stringify(r)}`);
  await srv.stop();
  await sleep(10);
});
