// Board verification split over workers (verify-pool.js with node
// worker_threads running the same verify-worker.js as the page's Web Workers):
// same answer as one thread, and the failure of the lowest ballot.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { makeSetup, makeBoard, board as B, verify } from './fixture.mjs';

const { verifyWithPool } = await import('../../web/js/evote/verify-pool.js');
const WORKER = new URL('../../web/js/evote/verify-worker.js', import.meta.url);

function nodeWorker() {
  const w = new Worker(WORKER);
  let handler = () => {};
  w.on('message', (m) => handler(m));
  return { post: (m) => w.postMessage(m), onMessage: (fn) => { handler = fn; }, terminate: () => w.terminate() };
}

const setup = makeSetup({ groups: [[1, 1], [2, 3]] });
const votes = Array.from({ length: 9 }, (_, i) => [0, 1, 2].map((j) => (j === i % 3 ? 1 : 0)));
const bd = makeBoard(setup, votes);
const text = B.boardJson(bd);

test('3 workers give the same summary as one thread, with progress over all ballots', async () => {
  const seen = [];
  const r = await verifyWithPool(text, 3, nodeWorker, (p) => seen.push(p));
  const one = verify.checkBoard(JSON.parse(text));
  assert.equal(r.ok, true, r.message);
  assert.deepEqual(r, one);
  assert.ok(seen.some((p) => p.phase === 'ballots' && p.done === 9 && p.total === 9));
});

test('two bad ballots in different slices: the lower one is reported', async () => {
  const b = JSON.parse(text);
  for (const i of [7, 2]) {
    const ch = b.ballots[i].choices[0];
    [ch.proof.responses[0], ch.proof.responses[1]] = [ch.proof.responses[1], ch.proof.responses[0]];
  }
  const r = await verifyWithPool(JSON.stringify(b), 3, nodeWorker);
  assert.equal(r.code, 'bad_01_proof');
  assert.equal(r.where, `ballot ${b.ballots[2].tracker} option 0`);
  assert.equal((await verifyWithPool('{', 2, nodeWorker)).code, 'bad_json');
  const badResult = { ...JSON.parse(text), result: [0, 0, 9] };
  assert.equal((await verifyWithPool(JSON.stringify(badResult), 2, nodeWorker)).code, 'bad_result');
});
