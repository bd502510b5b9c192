// evote/verify-worker.js — a module Web Worker that verifies a board off the
// page's main thread. In: { text } (the board's JSON text). Out: any number of
// { type: 'progress', phase, done, total }, then { type: 'done', result } with
// verify.js checkBoard's answer.

import { ready } from './sodium.js';
import { checkBoard } from './verify.js';

self.onmessage = async (ev) => {
  try {
    await ready();
  } catch (e) {
    self.postMessage({ type: 'done', result: { ok: false, code: 'other', where: 'libsodium', message: String(e && e.message ? e.message : e) } });
    return;
  }
  let board;
  try {
    board = JSON.parse(ev.data.text);
  } catch (e) {
    self.postMessage({ type: 'done', result: { ok: false, code: 'bad_json', where: 'board', message: `not JSON: ${e.message}` } });
    return;
  }
  let last = 0;
  const onProgress = (p) => {
    const now = Date.now();
    if (now - last < 100 && p.done !== p.total) return;
    last = now;
    self.postMessage({ type: 'progress', ...p });
  };
  self.postMessage({ type: 'done', result: checkBoard(board, { onProgress }) });
};
