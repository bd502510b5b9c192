/* signing_key.c — the installation signing key file (see signing_key.h). */
#include "ops/signing_key.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crypto/seal.h"
#include "util/diag.h"
#include "util/err.h"

#define CONTEXT "obrady installation signing key seal v1"
#define SEALED_HEX SEAL_HEX_SIZE(crypto_sign_SEEDBYTES)

static void seal_key(const unsigned char secret_key[32], unsigned char key[SEAL_KEY_BYTES])
{
    crypto_generichash(key, SEAL_KEY_BYTES, (const unsigned char *)CONTEXT, strlen(CONTEXT),
                       secret_key, 32);
}

static int read_sealed(const char *path, char hex[SEALED_HEX])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? OBR_ENOTFOUND : OBR_EIO;
    size_t n = fread(hex, 1, SEALED_HEX - 1, f);
    fclose(f);
    hex[n] = 0;
    return n == SEALED_HEX - 1 ? 0 : OBR_ECORRUPT;
}

static int write_new(const char *path, const char *hex)
{
    char tmp[1040];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return OBR_EIO;
    size_t n = strlen(hex);
    bool is_ok = write(fd, hex, n) == (ssize_t)n && fsync(fd) == 0;
    close(fd);
    /* link() fails if another process made the file first: then use theirs. */
    if (!is_ok || (link(tmp, path) && errno != EEXIST)) {
        unlink(tmp);
        return OBR_EIO;
    }
    unlink(tmp);
    return 0;
}

int signing_key_load(const char *data_dir, const unsigned char secret_key[32],
                     unsigned char sk[SIGNING_SK_BYTES])
{
    char path[1024], hex[SEALED_HEX];
    unsigned char key[SEAL_KEY_BYTES], seed[crypto_sign_SEEDBYTES], pk[crypto_sign_PUBLICKEYBYTES];
    snprintf(path, sizeof path, "%s/signing.key", data_dir);
    seal_key(secret_key, key);
    int rc = read_sealed(path, hex);
    if (rc == OBR_ENOTFOUND) {
        randombytes_buf(seed, sizeof seed);
        seal_hex(key, seed, sizeof seed, hex);
        sodium_memzero(seed, sizeof seed);
        rc = write_new(path, hex);
        if (!rc) {
            diag(DIAG_INFO, "created the installation signing key %s", path);
            rc = read_sealed(path, hex);
        }
    }
    if (!rc)
        rc = unseal_hex(key, hex, seed, sizeof seed);
    if (!rc)
        crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(key, sizeof key);
    return rc;
}
