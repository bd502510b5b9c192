// evote/group.js — ristretto255 helpers shared by every evote module: strict
// hex parsing, points and scalars with the checks of /docs/verifiable-voting.md
// (canonical scalars, valid point encodings, identity refused where a key or
// ciphertext is expected), the Fiat-Shamir hash Hs, canonical JSON, SHA-256
// and the small discrete log of the tally. Points and scalars are 32-byte
// Uint8Arrays inside; lowercase hex only at the JSON boundary.

import { S } from './sodium.js';

export const IDENTITY = new Uint8Array(32);
const ZERO = new Uint8Array(32);
// ℓ = 2^252 + 27742317777372353535851937790883648493, 32 bytes little-endian.
const ORDER = hexToBytes('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010');
const HEX32 = /^[0-9a-f]{64}$/;

/** An error carrying a machine code ("bad_point", ...) and the place it was found. */
export class EvoteError extends Error {
  constructor(code, where, message) {
    super(`${where ? `${where}: ` : ''}${message || code}`);
    this.code = code;
    this.where = where;
  }
}

export function hexToBytes(hex) {
  if (typeof hex !== 'string' || hex.length % 2 || !/^[0-9a-f]*$/.test(hex)) throw new EvoteError('bad_hex', '', 'not lowercase hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

const HEXDIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export function bytesToHex(b) {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEXDIGITS[b[i]];
  return s;
}

export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function isIdentity(p) {
  return bytesEqual(p, IDENTITY);
}

function isCanonicalScalar(b) {
  for (let i = 31; i >= 0; i--) {
    if (b[i] < ORDER[i]) return true;
    if (b[i] > ORDER[i]) return false;
  }
  return false; // equal to ℓ
}

/** 32 bytes from exactly 64 lowercase hex digits, else EvoteError(bad_hex) at where. */
export function parseHex32(hex, where) {
  if (typeof hex !== 'string' || !HEX32.test(hex)) throw new EvoteError('bad_hex', where, 'expected 64 lowercase hex digits');
  return hexToBytes(hex);
}

/** A canonical scalar (< ℓ) from hex. */
export function parseScalar(hex, where) {
  const b = parseHex32(hex, where);
  if (!isCanonicalScalar(b)) throw new EvoteError('bad_scalar', where, 'scalar not canonical (>= group order)');
  return b;
}

/** A valid point from hex; allowIdentity=false refuses the identity (keys, ciphertexts). */
export function parsePoint(hex, where, { allowIdentity = false } = {}) {
  const b = parseHex32(hex, where);
  if (isIdentity(b)) {
    if (!allowIdentity) throw new EvoteError('identity_point', where, 'identity not allowed here');
    return b;
  }
  if (!S.crypto_core_ristretto255_is_valid_point(b)) throw new EvoteError('bad_point', where, 'not a valid ristretto255 encoding');
  return b;
}

// ---- scalars ----
export const scalarAdd = (a, b) => S.crypto_core_ristretto255_scalar_add(a, b);
export const scalarSub = (a, b) => S.crypto_core_ristretto255_scalar_sub(a, b);
export const scalarMul = (a, b) => S.crypto_core_ristretto255_scalar_mul(a, b);
export const scalarInvert = (a) => S.crypto_core_ristretto255_scalar_invert(a);
export const randomScalar = () => S.crypto_core_ristretto255_scalar_random();

/** The scalar of a small non-negative integer (< 2^53). */
export function scalarFromInt(n) {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('scalarFromInt: not a non-negative safe integer');
  const b = new Uint8Array(32);
  let v = BigInt(n);
  for (let i = 0; v > 0n; i++, v >>= 8n) b[i] = Number(v & 0xffn);
  return b;
}

// ---- points ----
/** s·G; the identity when s is 0 (libsodium refuses a zero result). */
export function mulG(s) {
  if (bytesEqual(s, ZERO)) return new Uint8Array(32);
  return S.crypto_scalarmult_ristretto255_base(s);
}

/** s·P; the identity when P is the identity or s is 0. */
export function mul(s, p) {
  if (isIdentity(p) || bytesEqual(s, ZERO)) return new Uint8Array(32);
  return S.crypto_scalarmult_ristretto255(s, p);
}

export const add = (p, q) => S.crypto_core_ristretto255_add(p, q);
export const sub = (p, q) => S.crypto_core_ristretto255_sub(p, q);

let G = null;
/** The standard generator G. */
export function generator() {
  if (!G) G = S.crypto_scalarmult_ristretto255_base(scalarFromInt(1));
  return G;
}

const smallCache = [];
/** m·G for small m by successive additions (m = 0 gives the identity). */
export function smallMulG(m) {
  if (!Number.isSafeInteger(m) || m < 0) throw new RangeError('smallMulG: bad m');
  if (!smallCache.length) smallCache.push(new Uint8Array(32));
  while (smallCache.length <= m && smallCache.length < 4096) smallCache.push(add(smallCache[smallCache.length - 1], generator()));
  if (m < smallCache.length) return smallCache[m];
  return mulG(scalarFromInt(m));
}

/**
 * The discrete log of M in base G within 0..max by a table of k·G built by
 * successive addition; -1 when M is none of them.
 */
export function smallDlog(M, max) {
  let acc = new Uint8Array(32);
  const g = generator();
  for (let k = 0; k <= max; k++) {
    if (bytesEqual(acc, M)) return k;
    acc = add(acc, g);
  }
  return -1;
}

// ---- hashing ----
const te = new TextEncoder();

export const sha256 = (bytes) => S.crypto_hash_sha256(bytes);

/** Lowercase hex SHA-256 of a string's UTF-8 bytes or of bytes. */
export function sha256Hex(data) {
  return bytesToHex(sha256(typeof data === 'string' ? te.encode(data) : data));
}

/**
 * enc(x) pieces for Hs: Uint8Array as is (points, scalars, 32-byte hashes),
 * strings as UTF-8, numbers as 8-byte big-endian unsigned.
 */
function encBytes(x) {
  if (x instanceof Uint8Array) return x;
  if (typeof x === 'string') return te.encode(x);
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x) || x < 0) throw new RangeError('Hs: integers must be non-negative safe integers');
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(x));
    return b;
  }
  throw new TypeError('Hs: unsupported input');
}

/** The exact bytes Hs hashes: enc(tag) || enc(x1) || ... with enc(b) = uint32_be(len) || b. */
export function hsInput(tag, ...xs) {
  const parts = [te.encode(tag), ...xs.map(encBytes)];
  let n = 0;
  for (const p of parts) n += 4 + p.length;
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  let o = 0;
  for (const p of parts) {
    dv.setUint32(o, p.length);
    out.set(p, o + 4);
    o += 4 + p.length;
  }
  return out;
}

/** Hs(tag, x1, ..., xn) = scalar_reduce(SHA-512(enc(tag) || enc(x1) || ...)). */
export function Hs(tag, ...xs) {
  return S.crypto_core_ristretto255_scalar_reduce(S.crypto_hash_sha512(hsInput(tag, ...xs)));
}

// ---- canonical JSON ----
/**
 * Canonical JSON: keys sorted, no whitespace, integers only, strings escaped as
 * JSON.stringify does. Refuses floats, unsafe integers, lone surrogates and
 * anything that is not null/boolean/number/string/array/plain object.
 */
export function canonicalJson(v) {
  if (v === null || v === true || v === false) return String(v);
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw new EvoteError('bad_json', '', 'only safe integers may be hashed');
    return String(v);
  }
  if (typeof v === 'string') {
    if (!(v.isWellFormed ? v.isWellFormed() : isWellFormedFallback(v))) throw new EvoteError('bad_json', '', 'lone surrogate in string');
    return JSON.stringify(v);
  }
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  throw new EvoteError('bad_json', '', 'value cannot be hashed');
}

function isWellFormedFallback(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** Random bytes from libsodium (the platform's CSPRNG). */
export const randomBytes = (n) => S.randombytes_buf(n);
