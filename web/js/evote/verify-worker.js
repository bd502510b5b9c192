// evote/verify-worker.js — board verification off the main thread: a module
// Web Worker on a page, or a worker_threads worker in node (the benchmark).
// Messages in:
//   { op: 'board', text }          verify a whole board here
//   { op: 'part', text, k, n }     check the header and the k-th of n slices of the ballots
//   { op: 'finish', parts }        (after 'part') the rest of the checks over all slices
// Messages out: { type: 'progress', phase, done, total } any number of times;
// then { type: 'done', result } (checkBoard's answer), { type: 'part', part }
// or { type: 'fail', index, result } (index: the failing ballot, -1 before any).

import { parseStrictJson } from './json.js';
import { ready } from './sodium.js';
import { checkBoard, verifyHeader, verifyBallotRange, verifyRest, failureOf } from './verify.js';

const isBrowser = typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope;
const port = isBrowser ? globalThis : (await import('node:worker_threads')).parentPort;
const post = (m) => port.postMessage(m);

let board = null;
let ctx = null;

function throttled() {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.done !== p.total) return;
    last = now;
    post({ type: 'progress', ...p });
  };
}

function parse(text) {
  try {
    return { board: parseStrictJson(text) };
  } catch (e) {
    return { failure: { ok: false, code: 'bad_json', where: e.where ? `board ${e.where}` : 'board', message: `not JSON under the board profile: ${e.message}` } };
  }
}

async function handle(msg) {
  try {
    await ready();
  } catch (e) {
    post({ type: 'done', result: { ok: false, code: 'other', where: 'libsodium', message: String(e && e.message ? e.message : e) } });
    return;
  }
  const progress = throttled();
  if (msg.op === 'board') {
    const p = parse(msg.text);
    post({ type: 'done', result: p.failure || checkBoard(p.board, { onProgress: progress }) });
  } else if (msg.op === 'part') {
    const p = parse(msg.text);
    if (p.failure) return post({ type: 'fail', index: -1, result: p.failure });
    board = p.board;
    const head = failureOf(() => verifyHeader(board));
    if (head.ok === false) return post({ type: 'fail', index: -1, result: head });
    ctx = head;
    const total = board.ballots.length;
    const from = Math.floor((total * msg.k) / msg.n);
    const to = Math.floor((total * (msg.k + 1)) / msg.n);
    let done = 0;
    const r = failureOf(() => verifyBallotRange(ctx, board.ballots, from, to, (d) => {
      done = d;
      progress({ phase: 'ballots', done: d, total: to - from });
    }));
    if (r.ok === false) return post({ type: 'fail', index: from + done, result: r });
    post({ type: 'part', part: r });
  } else if (msg.op === 'finish') {
    post({ type: 'done', result: failureOf(() => verifyRest(board, ctx, msg.parts, { onProgress: progress })) });
  }
  return undefined;
}

if (isBrowser) globalThis.onmessage = (ev) => handle(ev.data);
else port.on('message', handle);
