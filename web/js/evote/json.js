// evote/json.js — the strict JSON reader of a board (docs/verifiable-voting.md,
// "JSON profile"): exactly what the C verifier (jansson with
// JSON_REJECT_DUPLICATES) and the Python verifier accept. JSON.parse would
// take "version": 2.0 as 2 and keep the last of two equal keys, so two
// readers could see two different boards; this one refuses both, every real
// number, integers beyond ±(2^53 − 1), NUL in strings and lone surrogates.
//
//   const board = parseStrictJson(text);   // throws EvoteError('bad_json', where, why)

import { EvoteError } from './group.js';

const WS = /[ \t\n\r]*/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_DEPTH = 64;

/** Parses text as JSON under the board profile; throws EvoteError('bad_json'). */
export function parseStrictJson(text) {
  let at = 0;
  const fail = (why) => {
    throw new EvoteError('bad_json', `character ${at}`, why);
  };
  const skip = () => {
    WS.lastIndex = at;
    WS.exec(text);
    at = WS.lastIndex;
  };
  const match = (re) => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return null;
    at = re.lastIndex;
    return m;
  };
  const str = () => {
    const m = match(STRING);
    if (!m) fail('malformed string');
    const s = JSON.parse(m[0]);
    if (LONE_SURROGATE.test(s)) fail('a string holds a lone surrogate (not UTF-8)');
    if (s.includes('\0')) fail('a string holds NUL');
    return s;
  };
  const value = (depth) => {
    if (depth > MAX_DEPTH) fail('nested too deeply');
    skip();
    const c = text[at];
    if (c === '{') {
      at++;
      const obj = {};
      skip();
      if (text[at] === '}') {
        at++;
        return obj;
      }
      for (;;) {
        skip();
        const k = str();
        if (Object.hasOwn(obj, k)) fail(`the key "${k.slice(0, 40)}" repeats in one object`);
        skip();
        if (text[at++] !== ':') fail('":" expected');
        Object.defineProperty(obj, k, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        skip();
        const d = text[at++];
        if (d === '}') return obj;
        if (d !== ',') fail('"," or "}" expected');
      }
    }
    if (c === '[') {
      at++;
      const arr = [];
      skip();
      if (text[at] === ']') {
        at++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        skip();
        const d = text[at++];
        if (d === ']') return arr;
        if (d !== ',') fail('"," or "]" expected');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', at)) return (at += 4), true;
    if (text.startsWith('false', at)) return (at += 5), false;
    if (text.startsWith('null', at)) return (at += 4), null;
    const m = match(NUMBER);
    if (!m) fail('unexpected character');
    if (m[1] || m[2]) fail(`${m[0]} is a real number: only integers are allowed`);
    const n = Number(m[0]);
    if (!Number.isSafeInteger(n)) fail(`${m[0]} is outside ±(2^53 − 1)`);
    return n;
  };
  if (typeof text !== 'string') throw new EvoteError('bad_json', 'board', 'not text');
  const v = value(0);
  skip();
  if (at !== text.length) fail('text after the JSON value');
  return v;
}
