// evote/verify-client.js — the page's side of verify-worker.js: runs one
// verification in a fresh module worker and resolves with its result.
//
//   const job = verifyInWorker(text, (p) => show(p));
//   const result = await job.done;   // job.cancel() stops the worker

export function verifyInWorker(text, onProgress = () => {}) {
  const worker = new Worker(new URL('./verify-worker.js', import.meta.url), { type: 'module' });
  let settle;
  const done = new Promise((resolve, reject) => {
    settle = { resolve, reject };
    worker.onmessage = (ev) => {
      if (ev.data.type === 'progress') onProgress(ev.data);
      else if (ev.data.type === 'done') {
        worker.terminate();
        resolve(ev.data.result);
      }
    };
    worker.onerror = (ev) => {
      worker.terminate();
      reject(new Error(ev.message || 'verification worker failed'));
    };
  });
  worker.postMessage({ text });
  return {
    done,
    cancel() {
      worker.terminate();
      settle.resolve({ ok: false, code: 'cancelled', where: '', message: 'cancelled' });
    },
  };
}
