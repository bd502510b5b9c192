// evote/sodium.js — the one place that loads libsodium (libsodium-wrappers-sumo,
// ES module build). The files are copied from node_modules into web/vendor/ by
// `make web-vendor` (never committed), so the same relative import works in the
// browser, in a Web Worker and in node. Call `await ready()` once before any
// other evote function.

import sodium from '../../vendor/libsodium-wrappers.mjs';

export const S = sodium;

let readyPromise = null;

/** Resolves once libsodium is initialised (idempotent). */
export function ready() {
  if (!readyPromise) readyPromise = sodium.ready.then(() => sodium);
  return readyPromise;
}
