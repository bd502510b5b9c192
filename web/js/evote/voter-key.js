// evote/voter-key.js — the member's voting key on this device (spec v2,
// docs/verifiable-voting.md section 13.2): an Ed25519 key pair made here with
// libsodium's crypto_sign, kept in this browser's localStorage under the
// member's id and never sent; only its public part is registered
// (PUT /api/me/voter-key). Its fingerprint — the first 20 hex digits of
// SHA-256(public key) in groups of four — is what the account page, the
// board's electorate and the verification page show.
//
//   const k = await deviceKey(userId);      // made on first use
//   k.publicKey, k.privateKey (Uint8Array), k.hex, k.fingerprint
//   localKeyHex(userId)                      // the public key here, or null (no libsodium needed)

import { ready, S } from './sodium.js';

const STORE = (uid) => `obrady.voterKey.${uid}`;

function read(uid) {
  try {
    const v = JSON.parse(localStorage.getItem(STORE(uid)) || 'null');
    return v && /^[0-9a-f]{64}$/.test(v.pk) && /^[0-9a-f]{128}$/.test(v.sk) ? v : null;
  } catch {
    return null;
  }
}

/** The public key (64 hex) of this device's voting key for uid, or null. */
export function localKeyHex(uid) {
  const v = read(uid);
  return v ? v.pk : null;
}

/** "3fa2-91bc-0d7e-55aa-9c01" for a 64-hex public key (libsodium must be ready). */
export function keyFingerprint(hex) {
  const h = S.to_hex(S.crypto_hash_sha256(S.from_hex(hex)));
  return h.slice(0, 20).match(/.{4}/g).join('-');
}

/** This device's key for uid, made and stored on first use. */
export async function deviceKey(uid) {
  await ready();
  let v = read(uid);
  if (!v) {
    const kp = S.crypto_sign_keypair();
    v = { pk: S.to_hex(kp.publicKey), sk: S.to_hex(kp.privateKey) };
    try {
      localStorage.setItem(STORE(uid), JSON.stringify(v));
    } catch {
      /* storage off: the key lives as long as the page */
    }
  }
  return { publicKey: S.from_hex(v.pk), privateKey: S.from_hex(v.sk), hex: v.pk, fingerprint: keyFingerprint(v.pk) };
}
