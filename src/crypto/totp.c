/* totp.c — RFC 6238 TOTP over RFC 4226 HOTP. HMAC-SHA1 comes from nettle,
 * randomness and constant-time comparison from libsodium; this file only
 * does the truncation, the time steps and the encodings around them. */
#include "crypto/totp.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/hmac.h>
#include <sodium.h>

#include "util/buf.h"
#include "util/err.h"

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char crockford[] = "0123456789abcdefghjkmnpqrstvwxyz";

int totp_base32_encode(const unsigned char *in, size_t len, char *out, size_t out_size)
{
    size_t need = (len * 8 + 4) / 5 + 1;
    if (out_size < need)
        return OBR_ELIMIT;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = b32_alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
    out[o] = '\0';
    return 0;
}

static int b32_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

int totp_base32_decode(const char *b32, unsigned char *out, size_t out_size, size_t *len)
{
    if (!b32 || !len)
        return OBR_EINVAL;
    size_t o = 0, symbols = 0;
    uint32_t acc = 0;
    int bits = 0;
    bool in_padding = false;
    for (const char *p = b32; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p == '=') {
            in_padding = true;
            continue;
        }
        int v = b32_value(*p);
        if (v < 0 || in_padding)
            return OBR_EINVAL;
        symbols++;
        acc = (acc << 5) | (uint32_t)v;
        bits += 5;
        if (bits >= 8) {
            if (o >= out_size)
                return OBR_ELIMIT;
            out[o++] = (unsigned char)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    /* 1, 3 and 6 leftover symbols cannot come from whole bytes. */
    size_t rem = symbols % 8;
    if (rem == 1 || rem == 3 || rem == 6)
        return OBR_EINVAL;
    *len = o;
    return 0;
}

uint32_t totp_hotp(const unsigned char *key, size_t len, uint64_t counter, int digits)
{
    assert(digits >= 1 && digits <= 9);
    unsigned char msg[8], mac[SHA1_DIGEST_SIZE];
    for (int i = 7; i >= 0; i--) {
        msg[i] = (unsigned char)(counter & 0xff);
        counter >>= 8;
    }
    struct hmac_sha1_ctx ctx;
    hmac_sha1_set_key(&ctx, len, key);
    hmac_sha1_update(&ctx, sizeof msg, msg);
    hmac_sha1_digest(&ctx, sizeof mac, mac);
    sodium_memzero(&ctx, sizeof ctx);

    /* RFC 4226 §5.3 dynamic truncation. */
    int off = mac[SHA1_DIGEST_SIZE - 1] & 0x0f;
    uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
    uint32_t mod = 1;
    for (int i = 0; i < digits; i++)
        mod *= 10;
    sodium_memzero(mac, sizeof mac);
    return bin % mod;
}

int totp_verify(const char *secret_b32, const char *code, int64_t now_s, int64_t last_used_step,
                int64_t *matched_step)
{
    if (!secret_b32 || !code || !matched_step || now_s < 0)
        return -1;
    char given[TOTP_DIGITS + 1];
    size_t n = 0;
    for (const char *p = code; *p; p++) {
        if (*p == ' ')
            continue;
        if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
            return -1;
        given[n++] = *p;
    }
    if (n != TOTP_DIGITS)
        return -1;
    given[n] = '\0';

    unsigned char key[64];
    size_t key_len;
    if (totp_base32_decode(secret_b32, key, sizeof key, &key_len) != 0 ||
        key_len < TOTP_MIN_KEY_BYTES) {
        sodium_memzero(key, sizeof key);
        return -1;
    }

    int64_t now_step = now_s / TOTP_PERIOD_S;
    int64_t found = -1;
    /* Every candidate is computed and compared, so timing does not tell which matched. */
    for (int64_t d = -TOTP_WINDOW; d <= TOTP_WINDOW; d++) {
        int64_t step = now_step + d;
        if (step < 0)
            continue;
        char expect[TOTP_DIGITS + 1];
        snprintf(expect, sizeof expect, "%0*u", TOTP_DIGITS,
                 (unsigned)totp_hotp(key, key_len, (uint64_t)step, TOTP_DIGITS));
        bool same = sodium_memcmp(expect, given, TOTP_DIGITS) == 0;
        if (same && step > last_used_step && found < 0)
            found = step;
    }
    sodium_memzero(key, sizeof key);
    if (found < 0)
        return -1;
    *matched_step = found;
    return 0;
}

static void put_pct(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            buf_putc(b, '%');
            buf_putc(b, hex[c >> 4]);
            buf_putc(b, hex[c & 15]);
        }
    }
}

char *totp_uri(const char *issuer, const char *account, const char *secret_b32)
{
    if (!issuer || !account || !secret_b32 || !*issuer || !*account)
        return NULL;
    if (strchr(issuer, ':') || strchr(account, ':'))
        return NULL;
    unsigned char key[64];
    size_t key_len;
    int rc = totp_base32_decode(secret_b32, key, sizeof key, &key_len);
    sodium_memzero(key, sizeof key);
    if (rc != 0 || key_len == 0)
        return NULL;

    struct buf b = BUF_INIT;
    buf_puts(&b, "otpauth://totp/");
    put_pct(&b, issuer);
    buf_putc(&b, ':');
    put_pct(&b, account);
    buf_puts(&b, "?secret=");
    for (const char *p = secret_b32; *p && *p != '='; p++)
        if (*p != ' ')
            buf_putc(&b, (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p);
    buf_puts(&b, "&issuer=");
    put_pct(&b, issuer);
    buf_printf(&b, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_PERIOD_S);
    char *s = buf_take(&b);
    buf_free(&b);
    return s;
}

int totp_new_secret(char out_b32[TOTP_SECRET_B32_LEN + 1])
{
    unsigned char raw[TOTP_SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    int rc = totp_base32_encode(raw, sizeof raw, out_b32, TOTP_SECRET_B32_LEN + 1);
    sodium_memzero(raw, sizeof raw);
    return rc;
}

static void recovery_code(char out[TOTP_RECOVERY_SIZE])
{
    unsigned char raw[5];
    randombytes_buf(raw, sizeof raw);
    uint64_t v = 0;
    for (size_t i = 0; i < sizeof raw; i++)
        v = (v << 8) | raw[i];
    char sym[8];
    for (int i = 7; i >= 0; i--) {
        sym[i] = crockford[v & 31];
        v >>= 5;
    }
    memcpy(out, sym, 4);
    out[4] = '-';
    memcpy(out + 5, sym + 4, 4);
    out[9] = '\0';
    sodium_memzero(raw, sizeof raw);
}

int totp_recovery_codes(char codes[][TOTP_RECOVERY_SIZE], int n)
{
    if (n < 0 || (n > 0 && !codes))
        return OBR_EINVAL;
    for (int i = 0; i < n; i++) {
        bool is_dup;
        do {
            recovery_code(codes[i]);
            is_dup = false;
            for (int j = 0; j < i && !is_dup; j++)
                is_dup = strcmp(codes[i], codes[j]) == 0;
        } while (is_dup);
    }
    return 0;
}
