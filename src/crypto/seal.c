/* seal.c — see seal.h. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "crypto/seal.h"
#include "util/err.h"

int seal_key_load(const char *key_file, const unsigned char secret_key[32],
                  unsigned char key[SEAL_KEY_BYTES])
{
    if (!key_file || !*key_file) {
        static const char CONTEXT[] = "obrady/v1/trustee-seal";
        crypto_generichash(key, SEAL_KEY_BYTES, (const unsigned char *)CONTEXT,
                           sizeof CONTEXT - 1, secret_key, 32);
        return 0;
    }
    FILE *f = fopen(key_file, "r");
    if (!f)
        return OBR_EIO;
    char hex[2 * SEAL_KEY_BYTES + 2] = "";
    size_t n = fread(hex, 1, sizeof hex - 1, f);
    fclose(f);
    while (n && (hex[n - 1] == '\n' || hex[n - 1] == '\r' || hex[n - 1] == ' '))
        hex[--n] = 0;
    size_t bin_len = 0;
    if (n != 2 * SEAL_KEY_BYTES ||
        sodium_hex2bin(key, SEAL_KEY_BYTES, hex, n, NULL, &bin_len, NULL) ||
        bin_len != SEAL_KEY_BYTES)
        return OBR_EINVAL;
    sodium_memzero(hex, sizeof hex);
    return 0;
}

void seal_hex(const unsigned char key[SEAL_KEY_BYTES], const unsigned char *plain, size_t n,
              char *out)
{
    unsigned char buf[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 256];
    if (n > 256) {
        out[0] = 0;
        return;
    }
    randombytes_buf(buf, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(buf + crypto_secretbox_NONCEBYTES, plain, n, buf, key);
    size_t total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    sodium_bin2hex(out, SEAL_HEX_SIZE(n), buf, total);
}

int unseal_hex(const unsigned char key[SEAL_KEY_BYTES], const char *hex, unsigned char *plain,
               size_t n)
{
    unsigned char buf[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + 256];
    size_t total = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n, got = 0;
    if (n > 256 || !hex || strlen(hex) != 2 * total ||
        sodium_hex2bin(buf, sizeof buf, hex, 2 * total, NULL, &got, NULL) || got != total)
        return OBR_ECORRUPT;
    if (crypto_secretbox_open_easy(plain, buf + crypto_secretbox_NONCEBYTES,
                                   total - crypto_secretbox_NONCEBYTES, buf, key))
        return OBR_ECORRUPT;
    return 0;
}
