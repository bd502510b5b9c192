// Voting keys for API-level tests of secret votes (spec v2,
// docs/verifiable-voting.md): each client gets an Ed25519 key pair made here,
// as a member's browser makes one, and registers its public part with
// PUT /api/me/voter-key before the vote opens. ballotOf encrypts and signs
// with the client's key.
import { ready, S } from '../../web/js/evote/sodium.js';
import { encryptBallot } from '../../web/js/evote/ballot.js';

/** Makes and registers a key for every client (sets client.voterKey). */
export async function registerVoterKeys(clients) {
  await ready();
  await Promise.all(clients.map(async (c) => {
    const kp = S.crypto_sign_keypair();
    const r = await c.api('PUT', '/api/me/voter-key', { public_key: S.to_hex(kp.publicKey) });
    if (r.status !== 200) throw new Error(`voter key: ${r.status} ${r.text}`);
    c.voterKey = { publicKey: kp.publicKey, privateKey: kp.privateKey, hex: S.to_hex(kp.publicKey), fingerprint: r.json.fingerprint };
  }));
}

/** encryptBallot for client c (its voter key); choices one 0/1 per option. */
export function ballotOf(ctx, c, choices) {
  return encryptBallot(ctx, choices, { voterKey: c.voterKey });
}
