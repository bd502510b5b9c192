/* secrets.h — the installation's secret key (DATA/secret.key, 32 random bytes,
 * mode 0600), made on first start. It keys the hashes of tokens and codes and,
 * later, wraps the server's trustee keys. Back it up with the database. */
#ifndef OBR_SECRETS_H
#define OBR_SECRETS_H

#include "crypto/tokens.h"

/* Loads DATA/secret.key, creating it when absent. 0 or an OBR_E code. */
int secrets_load(const char *data_dir, unsigned char key[TOKEN_KEY_BYTES]);

#endif
