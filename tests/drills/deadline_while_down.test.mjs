// Drill: a vote's deadline passes while the server is down. At start it is
// closed with the ballots as they stood, by the system, at or after its
// deadline; ballots after that are refused.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startDemo, stopAll, freeTmpDir, sleep, makeClient, expectError } from '../e2e/lib.mjs';
import { councilInSession, openVote, waitClosed, ok } from './council.mjs';

after(stopAll);

test('deadline passes while the server is down: closed at start with the ballots as they stood', async (t) => {
  const dataDir = freeTmpDir('obrady-drill-clock-');
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let srv = await startDemo({ dataDir });
  const { op, voters, meeting } = await councilInSession(srv, 15);
  const vote = await openVote(op, meeting.id, 4);
  const choices = ['yes', 'yes', 'yes', 'no', 'abstain'];
  for (let i = 0; i < choices.length; i++) {
    await ok(voters[i].post(`/api/votes/${vote.id}/ballots`, { ballot_id: `drill-clock-${i}`, choice: choices[i] }), `ballot ${i}`);
  }
  srv.proc.kill('SIGKILL');
  await srv.exited;
  await sleep(Math.max(0, vote.deadline - Date.now()) + 1500); // down past the deadline

  srv = await startDemo({ dataDir });
  const voter = makeClient(srv, voters[5].cookie, voters[5].user);
  const closed = await waitClosed(voter, vote.id, 10000);
  assert.ok(closed.closed_at >= vote.deadline, `closed at ${closed.closed_at} >= deadline ${vote.deadline}`);
  assert.deepEqual([closed.result.yes, closed.result.no, closed.result.abstain], [3, 1, 1], JSON.stringify(closed.result));
  assert.equal(closed.result.not_voted, closed.result.eligible - 5);
  const late = await voter.post(`/api/votes/${vote.id}/ballots`, { ballot_id: 'drill-clock-late', choice: 'no' });
  expectError(late, 409, 'vote_closed');
  await srv.stop();
});
