/* seal.h — secrets stored at rest under a key from the configuration (the
 * server trustee's scalar of each secret vote): XSalsa20-Poly1305 with a
 * random nonce, as hex text for a TEXT column. */
#ifndef OBR_SEAL_H
#define OBR_SEAL_H

#include <stddef.h>

#define SEAL_KEY_BYTES 32
/* Hex of nonce (24) + MAC (16) + plaintext: for n plaintext bytes. */
#define SEAL_HEX_SIZE(n) (2 * (24 + 16 + (n)) + 1)

/* The sealing key: from the 64 hex digits in key_file when given, otherwise
 * derived from the installation's secret key (so a stolen database alone
 * does not open it). 0, or OBR_EIO / OBR_EINVAL for an unreadable or bad file. */
int seal_key_load(const char *key_file, const unsigned char secret_key[32],
                  unsigned char key[SEAL_KEY_BYTES]);

/* Seals n bytes into out (SEAL_HEX_SIZE(n) bytes). */
void seal_hex(const unsigned char key[SEAL_KEY_BYTES], const unsigned char *plain, size_t n,
              char *out);
/* Opens hex made by seal_hex into plain (n bytes expected). 0, or
 * OBR_ECORRUPT when it was not sealed under key or was altered. */
int unseal_hex(const unsigned char key[SEAL_KEY_BYTES], const char *hex, unsigned char *plain,
               size_t n);

#endif
