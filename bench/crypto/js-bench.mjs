// bench/crypto/js-bench.mjs — the JavaScript (node, libsodium-wrappers-sumo
// WebAssembly) side of the verifiable-vote benchmark: the same rows and
// columns as bench_crypto.c prints, for N three-option ballots (exactly one
// chosen) under server + committee 2 of 3:
//   enc/s over all cores (worker_threads) and per thread; verify/s of single
//   ballots on 1 thread (a sample of min(N, 1000)) and on all cores (the
//   whole board / its time); aggregate (from the ballots' JSON); 3 partial
//   decryptions with proofs + the tally; the whole board verified from its
//   JSON text on all cores (verify-pool.js, as the /verify page does).
// usage: node bench/crypto/js-bench.mjs [--header] [N ...]   (default 1000 10000)
// Needs `make web-vendor`. bench/crypto/run prints the header and the C rows.

import os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const E = '../../web/js/evote/';
const { ready } = await import(`${E}sodium.js`);
await ready();
const G = await import(`${E}group.js`);
const { parseElection } = await import(`${E}election.js`);
const { encryptBallot, verifyBallot } = await import(`${E}ballot.js`);
const { partialDecrypt } = await import(`${E}trustee.js`);
const { aggregate, combineFactors, decryptCounts } = await import(`${E}tally.js`);
const { makeElection, runGroupKeygen, boardJson } = await import(`${E}board.js`);
const { electionHash } = await import(`${E}election.js`);
const { verifyWithPool } = await import(`${E}verify-pool.js`);

const choiceOf = (i) => [0, 1, 2].map((j) => (j === i % 3 ? 1 : 0));

if (!isMainThread) {
  // An encryption worker: ballots [from, to) of the election it is given.
  const ctx = parseElection(workerData.election);
  const out = [];
  const t0 = performance.now();
  for (let i = workerData.from; i < workerData.to; i++) {
    const m = encryptBallot(ctx, choiceOf(i));
    out.push({ ...m.ballot, tracker: m.tracker });
  }
  parentPort.postMessage({ ballots: out, ms: performance.now() - t0 });
} else {
  await main();
}

function encryptOnWorkers(election, n, threads) {
  return Promise.all(Array.from({ length: threads }, (_, k) => new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { election, from: Math.floor((n * k) / threads), to: Math.floor((n * (k + 1)) / threads) } });
    w.once('message', (m) => {
      resolve(m);
      w.terminate();
    });
    w.once('error', reject);
  })));
}

function nodeVerifyWorker() {
  const w = new Worker(new URL(`${E}verify-worker.js`, import.meta.url));
  let handler = () => {};
  w.on('message', (m) => handler(m));
  return { post: (m) => w.postMessage(m), onMessage: (fn) => { handler = fn; }, terminate: () => w.terminate() };
}

async function run(n, threads) {
  const voteId = `bench-${n}`;
  const server = runGroupKeygen(voteId, 1, [{ id: 'server', name: 'Serwer' }]);
  const committee = runGroupKeygen(voteId, 2, [1, 2, 3].map((i) => ({ id: `k${i}`, name: `Komisja ${i}` })));
  const election = makeElection({ voteId, meetingId: 'bench', title: 'bench', question: 'bench', options: ['za', 'przeciw', 'wstrzymuję się'], min: 1, max: 1, groups: [server.group, committee.group] });
  const ctx = parseElection(election);

  let t0 = performance.now();
  const parts = await encryptOnWorkers(election, n, threads);
  const encS = (performance.now() - t0) / 1000;
  const ballots = parts.flatMap((p) => p.ballots);

  const sample = Math.min(n, 1000);
  t0 = performance.now();
  for (let i = 0; i < sample; i++) verifyBallot(ctx, ballots[i]);
  const ver1S = (performance.now() - t0) / 1000 / sample;

  t0 = performance.now();
  const agg = aggregate(ctx.n, ballots.map((b) => ({
    alphas: b.choices.map((c) => G.parsePoint(c.alpha, 'alpha')),
    betas: b.choices.map((c) => G.parsePoint(c.beta, 'beta')),
  })));
  const aggS = (performance.now() - t0) / 1000;

  // The server (group 0) and committee members 1 and 3 of 2-of-3 decrypt.
  t0 = performance.now();
  const decryptors = [[0, 1, server.trustees[0].x], [1, 1, committee.trustees[0].x], [1, 3, committee.trustees[2].x]];
  const decryptions = decryptors.map(([g, i, x]) => partialDecrypt(ctx, g, i, x, agg.alphas));
  const byGroup = [[], []];
  for (const d of decryptions) byGroup[d.group].push({ index: d.index, Ds: d.factors.map((f) => G.parsePoint(f, 'D', { allowIdentity: true })) });
  const Dtot = agg.alphas.map((_, j) => byGroup.reduce((acc, s) => G.add(acc, combineFactors(s.map((x) => ({ index: x.index, D: x.Ds[j] })))), G.IDENTITY));
  const result = decryptCounts(agg.betas, Dtot, n);
  const decS = (performance.now() - t0) / 1000;
  const expect = [0, 1, 2].map((j) => Math.floor(n / 3) + (j < n % 3 ? 1 : 0));
  if (result.join() !== expect.join()) throw new Error(`bench: tally ${result} != ${expect}`);

  ballots.sort((a, b) => (a.tracker < b.tracker ? -1 : 1));
  const board = {
    election, election_hash: G.bytesToHex(electionHash(election)), ballots,
    voters: ballots.map((_, i) => ({ name: `Wyborca ${String(i).padStart(5, '0')}` })), eligible_count: n,
    aggregate: agg.alphas.map((A, j) => ({ alpha: G.bytesToHex(A), beta: G.bytesToHex(agg.betas[j]) })),
    decryptions, result, log_head: '00'.repeat(32),
  };
  const text = boardJson(board);
  t0 = performance.now();
  const r = await verifyWithPool(text, threads, nodeVerifyWorker);
  const boardS = (performance.now() - t0) / 1000;
  if (!r.ok) throw new Error(`bench: board: ${r.where}: ${r.message}`);

  const f0 = (x) => x.toFixed(0).padStart(8);
  console.log(`| JS (node, libsodium.js wasm) | ${String(n).padStart(6)} | ${f0(n / encS)} | ${f0(n / encS / threads)} | ${f0(1 / ver1S)} | ${f0(n / boardS)} | ${aggS.toFixed(3).padStart(8)} | ${decS.toFixed(3).padStart(8)} | ${boardS.toFixed(2).padStart(8)} |`);
}

async function main() {
  const args = process.argv.slice(2);
  const header = args.includes('--header');
  const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const threads = Math.max(1, Math.min(64, os.availableParallelism ? os.availableParallelism() : os.cpus().length));
  if (header) {
    console.log(`# obrady crypto benchmark (JS) — node ${process.version}, ${threads} threads, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log();
    console.log('| implementation | N | enc/s (all threads) | enc/s per thread | verify/s 1 thread | verify/s all threads | aggregate s | decrypt 3 trustees + tally s | verify board s |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  }
  for (const n of sizes.length ? sizes : [1000, 10000]) await run(n, threads);
}
