// bench/signin/bench.mjs — can the answer to POST /api/auth/code tell a known
// address from an unknown one? (issue 18, finding 5; the audit found 80 % of
// single requests told apart.) Sends N requests alternating a known and an
// unknown address (each address used once, so the per-mailbox limit never
// answers), times each, and prints the medians and the accuracy of the best
// single threshold that guesses "known" from one request's time: 50 % is a
// coin toss, the audit's 80 % was a leak. A statistical check, not a test:
// run it on a quiet machine with `make bench-signin`.
import { performance } from 'node:perf_hooks';
import { startDemo, stopAll, api, newUser, percentile } from '../../tests/e2e/lib.mjs';

const N = Number.parseInt(process.argv[2] || '400', 10);
const srv = await startDemo({ config: { per_ip_connections: 100000 } });
const known = [];
for (let i = 0; i < N / 2; i++) known.push(`znany${i}@bench.example`);
// Accounts made with the CLI while the server runs (the server reads them from the store).
for (const e of known) await newUser(srv, e);
const times = { known: [], unknown: [] };
for (let i = 0; i < N / 2; i++) {
  for (const kind of i % 2 ? ['known', 'unknown'] : ['unknown', 'known']) {
    const email = kind === 'known' ? known[i] : `nieznany${i}@bench.example`;
    const t0 = performance.now();
    const r = await api(srv, 'POST', '/api/auth/code', { email });
    const dt = performance.now() - t0;
    if (r.status !== 202) throw new Error(`${email}: ${r.status} ${r.text}`);
    times[kind].push(dt);
  }
}
await stopAll();
// The best threshold either way round: the share of requests it classifies right.
const all = [...times.known.map((t) => [t, 1]), ...times.unknown.map((t) => [t, 0])].sort((a, b) => a[0] - b[0]);
let best = 0.5;
let knownBelow = 0;
for (let k = 0; k < all.length; k++) {
  if (all[k][1]) knownBelow++;
  const unknownBelow = k + 1 - knownBelow;
  const slowIsKnown = (unknownBelow + (times.known.length - knownBelow)) / all.length;
  best = Math.max(best, slowIsKnown, 1 - slowIsKnown);
}
const f = (x) => x.toFixed(3);
console.log('| requests | known p50 ms | unknown p50 ms | known p90 ms | unknown p90 ms | best single-request guess |');
console.log('|---:|---:|---:|---:|---:|---:|');
console.log(`| ${N} | ${f(percentile(times.known, 50))} | ${f(percentile(times.unknown, 50))} | ${f(percentile(times.known, 90))} | ${f(percentile(times.unknown, 90))} | ${(best * 100).toFixed(1)} % |`);
