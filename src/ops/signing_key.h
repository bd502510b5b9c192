/* signing_key.h — the installation's Ed25519 signing key (DATA/signing.key):
 * it signs every published secret-vote board with the meeting log's head
 * (docs/verifiable-voting.md, spec v2), so two different boards shown for one
 * vote are provable from the two signed copies. The 32-byte seed is stored
 * sealed (crypto/seal.h) under a key derived from secret.key; the public part
 * is served at /.well-known/obrady-key and printed on every protocol. */
#ifndef OBR_SIGNING_KEY_H
#define OBR_SIGNING_KEY_H

#define SIGNING_SK_BYTES 64 /* libsodium crypto_sign secret key (seed || public key) */

/* Loads DATA/signing.key, creating it when absent. 0, or OBR_ECORRUPT (not
 * sealed under this secret.key) / OBR_EIO. */
int signing_key_load(const char *data_dir, const unsigned char secret_key[32],
                     unsigned char sk[SIGNING_SK_BYTES]);
#endif
