/* tokens.c — random tokens and their keyed hashes (libsodium). */
#include "crypto/tokens.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "util/ids.h"

static void new_b64(char *out, size_t out_size, size_t n_bytes)
{
    unsigned char raw[32];
    randombytes_buf(raw, n_bytes);
    sodium_bin2base64(out, out_size, raw, n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
}

void token_new_session(char out[TOKEN_SESSION_LEN + 1])
{
    new_b64(out, TOKEN_SESSION_LEN + 1, 32);
}

void token_new_link(char out[TOKEN_LINK_LEN + 1])
{
    new_b64(out, TOKEN_LINK_LEN + 1, 16);
}

void token_new_code(char out[7])
{
    snprintf(out, 7, "%06u", (unsigned)randombytes_uniform(1000000));
}

void token_hash(const unsigned char key[TOKEN_KEY_BYTES], const char *token,
                char out[TOKEN_HASH_HEX + 1])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), key,
                       TOKEN_KEY_BYTES);
    hex_encode(out, h, sizeof h);
}

void token_board_key(const unsigned char key[TOKEN_KEY_BYTES], const char *vote_id,
                     char out[TOKEN_BOARD_KEY_HEX + 1])
{
    char label[128], h[TOKEN_HASH_HEX + 1];
    snprintf(label, sizeof label, "obrady board key v1:%s", vote_id);
    token_hash(key, label, h);
    memcpy(out, h, TOKEN_BOARD_KEY_HEX);
    out[TOKEN_BOARD_KEY_HEX] = '\0';
}

bool token_hash_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
