// evote/verify-pool.js — verifies a board on n workers (verify-worker.js):
// each checks the header and a slice of the ballots, then worker 0 finishes
// with the sums of all slices. The first failure reported is the one of the
// lowest ballot. makeWorker() returns { post(msg), onMessage(fn), terminate() }
// (a Web Worker on a page, worker_threads in node). Resolves with checkBoard's
// answer; onProgress({ phase, done, total }) with the ballots of all workers.

export async function verifyWithPool(text, n, makeWorker, onProgress = () => {}) {
  const workers = Array.from({ length: Math.max(1, n) }, () => makeWorker());
  try {
    onProgress({ phase: 'election', done: 0, total: 1 });
    const done = workers.map(() => 0);
    const totals = workers.map(() => 0);
    const answers = await Promise.all(workers.map((w, k) => new Promise((resolve) => {
      w.onMessage((m) => {
        if (m.type === 'progress') {
          done[k] = m.done;
          totals[k] = m.total;
          onProgress({ phase: 'ballots', done: done.reduce((a, b) => a + b, 0), total: totals.reduce((a, b) => a + b, 0) });
        } else resolve(m);
      });
      w.post({ op: 'part', text, k, n: workers.length });
    })));
    const fails = answers.filter((a) => a.type === 'fail').sort((a, b) => a.index - b.index);
    if (fails.length) return fails[0].result;
    const parts = answers.map((a) => a.part);
    return await new Promise((resolve) => {
      workers[0].onMessage((m) => {
        if (m.type === 'progress') onProgress(m);
        else resolve(m.result);
      });
      workers[0].post({ op: 'finish', parts });
    });
  } finally {
    for (const w of workers) w.terminate();
  }
}
