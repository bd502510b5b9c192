// evote/trustee.js — a trustee's side, run in the member's own browser:
//  1. generateTrustee: a random polynomial f(z) = a_0 + ... + a_{t-1} z^{t-1},
//     its coefficients C_k = a_k·G with a pok of a_0, and an X25519 box key pair
//     that the other members seal their shares to;
//  2. sealShares: f(j) for every other member j, sealed to j's box key
//     (crypto_box_seal) — never readable by the server that relays them;
//  3. openShare + combineShares: open the shares received, check each against
//     its sender's published coefficients (Feldman) and add them into x_j;
//  4. the key file: the secret parts protected by a passphrase (argon2id +
//     secretbox), see docs/verifiable-voting-js.md for its format;
//  5. partialDecrypt: D = x_j·A per option with a DLEQ proof.

import { S } from './sodium.js';
import {
  EvoteError, parseScalar, parsePoint, bytesToHex, hexToBytes, randomScalar, scalarAdd, scalarMul, scalarFromInt,
  mulG, mul, bytesEqual, canonicalJson, IDENTITY,
} from './group.js';
import { provePok, proveDleq, pokToJson, dleqToJson } from './proofs.js';
import { evalCommitments } from './election.js';

const te = new TextEncoder();
const td = new TextDecoder('utf-8', { fatal: true });

/** f(j) for a polynomial given by its scalar coefficients. */
export function evalPolynomial(coeffs, j) {
  const J = scalarFromInt(j);
  let acc = new Uint8Array(32);
  for (let k = coeffs.length - 1; k >= 0; k--) acc = scalarAdd(scalarMul(acc, J), coeffs[k]);
  return acc;
}

/**
 * A new trustee for vote voteId, member memberId at index (1..n) of a group
 * with threshold t. Returns { public: the election's member entry (id, index,
 * coefficients, pok) plus box_public_key, secret: { polynomial, box_secret_key } }.
 */
export function generateTrustee({ voteId, memberId, name, index, threshold }, rnd = randomScalar) {
  if (!Number.isSafeInteger(threshold) || threshold < 1) throw new RangeError('threshold must be >= 1');
  const poly = Array.from({ length: threshold }, () => rnd());
  const coefficients = poly.map((a) => mulG(a));
  const pok = provePok(voteId, memberId, poly[0], coefficients[0], rnd);
  const box = S.crypto_box_keypair();
  const member = { id: memberId, name: name ?? '', index, coefficients: coefficients.map(bytesToHex), pok: pokToJson(pok) };
  return {
    public: { member, box_public_key: bytesToHex(box.publicKey) },
    secret: { vote_id: voteId, member_id: memberId, index, threshold, polynomial: poly.map(bytesToHex), box_secret_key: bytesToHex(box.privateKey), box_public_key: bytesToHex(box.publicKey) },
  };
}

/**
 * Seals f(j) to every other member: recipients = [{ index, box_public_key }].
 * Returns [{ from, to, sealed (hex) }]; the plaintext is canonical JSON
 * { vote_id, from, to, share } so a share cannot be replayed elsewhere.
 */
export function sealShares(secret, recipients) {
  const poly = secret.polynomial.map((a) => parseScalar(a, 'polynomial'));
  return recipients.filter((r) => r.index !== secret.index).map((r) => {
    const msg = canonicalJson({ vote_id: secret.vote_id, from: secret.index, to: r.index, share: bytesToHex(evalPolynomial(poly, r.index)) });
    const sealed = S.crypto_box_seal(te.encode(msg), hexToBytes(r.box_public_key));
    return { from: secret.index, to: r.index, sealed: bytesToHex(sealed) };
  });
}

/**
 * Opens a sealed share addressed to this trustee and checks it against the
 * sender's coefficients (hex): f_i(j)·G == Σ_k j^k·C_{i,k}. Returns the share scalar.
 */
export function openShare(secret, sealedShare, senderCoefficients) {
  const where = `share from member ${sealedShare.from}`;
  let msg;
  try {
    const plain = S.crypto_box_seal_open(hexToBytes(sealedShare.sealed), hexToBytes(secret.box_public_key), hexToBytes(secret.box_secret_key));
    msg = JSON.parse(td.decode(plain));
  } catch {
    throw new EvoteError('bad_share', where, 'cannot be opened with this key');
  }
  if (msg.vote_id !== secret.vote_id || msg.to !== secret.index || msg.from !== sealedShare.from) throw new EvoteError('bad_share', where, 'addressed to another vote or member');
  const share = parseScalar(msg.share, where);
  const C = senderCoefficients.map((c, k) => parsePoint(c, `${where} coefficient ${k}`));
  if (!bytesEqual(mulG(share), evalCommitments(C, secret.index))) throw new EvoteError('bad_share', where, 'does not match the sender\'s published coefficients');
  return share;
}

/**
 * x_j = f_j(j) + Σ shares received (scalars). Checks x_j·G against VK_j when
 * the group's coefficients are known (vk: 32 bytes). Returns x_j as hex.
 */
export function combineShares(secret, shares, vk) {
  const poly = secret.polynomial.map((a) => parseScalar(a, 'polynomial'));
  let x = evalPolynomial(poly, secret.index);
  for (const s of shares) x = scalarAdd(x, s);
  if (vk && !bytesEqual(mulG(x), vk)) throw new EvoteError('bad_share', `member ${secret.index}`, 'combined share does not match the verification key');
  return bytesToHex(x);
}

/**
 * A partial decryption for the board: per option A (aggregate alphas, points),
 * D = x·A with a DLEQ proof under VK = x·G. Returns the board's decryption entry.
 */
export function partialDecrypt(ctx, group, index, xHex, aggregateAlphas, rnd = randomScalar) {
  const x = parseScalar(xHex, 'share');
  const VK = mulG(x);
  const factors = [];
  const proofs = [];
  for (const A of aggregateAlphas) {
    const D = mul(x, A);
    factors.push(bytesToHex(D));
    proofs.push(dleqToJson(proveDleq(ctx.eh, VK, A, D, x, rnd)));
  }
  return { group, index, factors, proofs };
}

// ---- the key file ----
const KDF = { alg: 'argon2id13', opslimit: 3, memlimit: 64 * 1024 * 1024 };
export const KEYFILE_FORMAT = 'obrady-trustee-key';

/**
 * Encrypts a trustee's secret (any JSON object) under a passphrase: argon2id
 * (opslimit 3, 64 MiB) derives a secretbox key; the file keeps the public
 * identification in clear so the page can say whose key it is.
 */
export function sealKeyFile(secret, passphrase) {
  if (typeof passphrase !== 'string' || passphrase.length < 8) throw new EvoteError('weak_passphrase', 'key file', 'passphrase must have at least 8 characters');
  const salt = S.randombytes_buf(S.crypto_pwhash_SALTBYTES);
  const key = S.crypto_pwhash(S.crypto_secretbox_KEYBYTES, te.encode(passphrase), salt, KDF.opslimit, KDF.memlimit, S.crypto_pwhash_ALG_ARGON2ID13);
  const nonce = S.randombytes_buf(S.crypto_secretbox_NONCEBYTES);
  const ct = S.crypto_secretbox_easy(te.encode(canonicalJson(secret)), nonce, key);
  S.memzero(key);
  return {
    format: KEYFILE_FORMAT, version: 1,
    vote_id: secret.vote_id, member_id: secret.member_id, index: secret.index,
    kdf: { ...KDF, salt: bytesToHex(salt) },
    nonce: bytesToHex(nonce), ciphertext: bytesToHex(ct),
  };
}

/** Opens a key file; EvoteError(bad_passphrase) when the passphrase is wrong or the file altered. */
export function openKeyFile(file, passphrase) {
  if (!file || file.format !== KEYFILE_FORMAT || file.version !== 1 || !file.kdf || file.kdf.alg !== KDF.alg) throw new EvoteError('bad_key_file', 'key file', 'not an obrady trustee key file');
  const { opslimit, memlimit } = file.kdf;
  if (!Number.isSafeInteger(opslimit) || opslimit < 1 || opslimit > 10 || !Number.isSafeInteger(memlimit) || memlimit < 8192 || memlimit > 1024 * 1024 * 1024) throw new EvoteError('bad_key_file', 'key file', 'key derivation parameters out of range');
  const key = S.crypto_pwhash(S.crypto_secretbox_KEYBYTES, te.encode(passphrase), hexToBytes(file.kdf.salt), opslimit, memlimit, S.crypto_pwhash_ALG_ARGON2ID13);
  let plain;
  try {
    plain = S.crypto_secretbox_open_easy(hexToBytes(file.ciphertext), hexToBytes(file.nonce), key);
  } catch {
    throw new EvoteError('bad_passphrase', 'key file', 'wrong passphrase or altered file');
  } finally {
    S.memzero(key);
  }
  return JSON.parse(td.decode(plain));
}

export { IDENTITY };
