// evote/verify-client.js — the page's side of board verification: runs
// verify-worker.js in module Web Workers (one per core, at most 4) so the page
// stays responsive, and reports progress.
//
//   const job = verifyInWorkers(text, (p) => show(p));
//   const result = await job.done;   // job.cancel() stops the workers

import { verifyWithPool } from './verify-pool.js';

export function verifyInWorkers(text, onProgress = () => {}, n = Math.min(4, Math.max(1, navigator.hardwareConcurrency || 2))) {
  const live = new Set();
  let cancelled = false;
  let cancelResolve;
  const cancelledP = new Promise((resolve) => {
    cancelResolve = resolve;
  });
  const makeWorker = () => {
    const w = new Worker(new URL('./verify-worker.js', import.meta.url), { type: 'module' });
    live.add(w);
    let handler = () => {};
    w.onmessage = (ev) => handler(ev.data);
    w.onerror = (ev) => handler({ type: 'fail', index: -1, result: { ok: false, code: 'other', where: '', message: ev.message || 'worker failed' } });
    return {
      post: (m) => w.postMessage(m),
      onMessage: (fn) => {
        handler = fn;
      },
      terminate: () => {
        w.terminate();
        live.delete(w);
      },
    };
  };
  const done = Promise.race([
    verifyWithPool(text, n, makeWorker, (p) => {
      if (!cancelled) onProgress(p);
    }),
    cancelledP,
  ]);
  return {
    done,
    cancel() {
      cancelled = true;
      for (const w of live) w.terminate();
      live.clear();
      cancelResolve({ ok: false, code: 'cancelled', where: '', message: 'cancelled' });
    },
  };
}
