/* evote_group.c — ristretto255 points and scalars over libsodium, hex and JSON
 * fields, the Hs transcript (length-prefixed SHA-512 reduced mod l) and the
 * small discrete log that turns a decrypted count·G back into a count. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/evote_impl.h"
#include "util/err.h"

/* l = 2^252 + 27742317777372353535851937790883648493, little-endian. */
static const unsigned char L_LE[EV_B] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                         0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                         0,    0,    0,    0,    0,    0,    0,    0,
                                         0,    0,    0,    0,    0,    0,    0,    0x10};

bool ev_scalar_is_canonical(const unsigned char s[EV_B])
{
    for (int i = EV_B - 1; i >= 0; i--) {
        if (s[i] != L_LE[i])
            return s[i] < L_LE[i];
    }
    return false; /* equal to l */
}

void ev_scalar_from_u64(unsigned char out[EV_B], uint64_t v)
{
    memset(out, 0, EV_B);
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(v >> (8 * i));
}

bool ev_is_identity(const unsigned char p[EV_B])
{
    return sodium_is_zero(p, EV_B);
}

/* libsodium refuses a zero scalar and an identity result; both mean the
 * identity here, whose encoding is 32 zero bytes. */
void ev_base(unsigned char out[EV_B], const unsigned char s[EV_B])
{
    if (crypto_scalarmult_ristretto255_base(out, s))
        memset(out, 0, EV_B);
}

void ev_mul(unsigned char out[EV_B], const unsigned char s[EV_B], const unsigned char p[EV_B])
{
    if (crypto_scalarmult_ristretto255(out, s, p))
        memset(out, 0, EV_B);
}

void ev_add(unsigned char out[EV_B], const unsigned char p[EV_B], const unsigned char q[EV_B])
{
    if (crypto_core_ristretto255_add(out, p, q))
        memset(out, 0, EV_B); /* unreachable for valid inputs */
}

void ev_sub(unsigned char out[EV_B], const unsigned char p[EV_B], const unsigned char q[EV_B])
{
    if (crypto_core_ristretto255_sub(out, p, q))
        memset(out, 0, EV_B);
}

void ev_small(unsigned char out[EV_B], uint64_t m)
{
    static const unsigned char G[EV_B] = {
        0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9,
        0x61, 0xc5, 0x00, 0x51, 0x5f, 0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82,
        0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76};
    if (m <= 1) { /* the common bounds: no multiplication */
        if (m)
            memcpy(out, G, EV_B);
        else
            memset(out, 0, EV_B);
        return;
    }
    unsigned char s[EV_B];
    ev_scalar_from_u64(s, m);
    ev_base(out, s);
}

void ev_hex(char out[2 * EV_B + 1], const unsigned char in[EV_B])
{
    sodium_bin2hex(out, 2 * EV_B + 1, in, EV_B);
}

json_t *ev_hex_json(const unsigned char in[EV_B])
{
    char h[2 * EV_B + 1];
    ev_hex(h, in);
    return json_string(h);
}

int ev_unhex(unsigned char *out, size_t len, const char *hex)
{
    if (!hex || strlen(hex) != 2 * len)
        return -1;
    for (size_t i = 0; i < 2 * len; i++) {
        char c = hex[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return -1;
    }
    size_t got = 0;
    if (sodium_hex2bin(out, len, hex, 2 * len, NULL, &got, NULL) || got != len)
        return -1;
    return 0;
}

int ev_get_scalar(const json_t *v, unsigned char out[EV_B])
{
    if (!json_is_string(v) || ev_unhex(out, EV_B, json_string_value(v)))
        return -1;
    return ev_scalar_is_canonical(out) ? 0 : -1;
}

int ev_get_point(const json_t *v, unsigned char out[EV_B], bool is_identity_ok)
{
    if (!json_is_string(v) || ev_unhex(out, EV_B, json_string_value(v)))
        return -1;
    if (ev_is_identity(out))
        return is_identity_ok ? 0 : -1;
    return crypto_core_ristretto255_is_valid_point(out) ? 0 : -1;
}

bool ev_has_exactly(const json_t *obj, const char *const *keys, size_t n)
{
    if (!json_is_object(obj) || json_object_size(obj) != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!json_object_get(obj, keys[i]))
            return false;
    }
    return true;
}

void ev_frame(unsigned char *out, size_t *at, const void *b, size_t len)
{
    out[(*at)++] = (unsigned char)(len >> 24);
    out[(*at)++] = (unsigned char)(len >> 16);
    out[(*at)++] = (unsigned char)(len >> 8);
    out[(*at)++] = (unsigned char)len;
    memcpy(out + *at, b, len);
    *at += len;
}

/* Hs: every item enters as uint32_be(length) || bytes. */
static void hs_item(struct ev_hs *h, const void *b, size_t len)
{
    unsigned char n[4] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                          (unsigned char)(len >> 8), (unsigned char)len};
    crypto_hash_sha512_update(&h->st, n, 4);
    crypto_hash_sha512_update(&h->st, b, len);
}

void ev_hs_init(struct ev_hs *h, const char *tag)
{
    crypto_hash_sha512_init(&h->st);
    hs_item(h, tag, strlen(tag));
}

void ev_hs_bytes(struct ev_hs *h, const void *b, size_t len)
{
    hs_item(h, b, len);
}

void ev_hs_str(struct ev_hs *h, const char *s)
{
    hs_item(h, s, strlen(s));
}

void ev_hs_u64(struct ev_hs *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (56 - 8 * i));
    hs_item(h, b, 8);
}

void ev_hs_final(struct ev_hs *h, unsigned char out[EV_B])
{
    unsigned char d[64];
    crypto_hash_sha512_final(&h->st, d);
    crypto_core_ristretto255_scalar_reduce(out, d);
}

struct baby {
    unsigned char p[EV_B];
    uint64_t k;
};

static int baby_cmp(const void *a, const void *b)
{
    return memcmp(((const struct baby *)a)->p, ((const struct baby *)b)->p, EV_B);
}

int ev_dlog(const unsigned char (*p)[EV_B], size_t n, uint64_t max, uint64_t *out)
{
    uint64_t m = 1;
    while (m * m < max + 1)
        m++;
    struct baby *t = malloc(m * sizeof *t);
    if (!t)
        return OBR_ENOMEM;
    unsigned char g[EV_B], step[EV_B];
    ev_small(g, 1);
    memset(t[0].p, 0, EV_B);
    t[0].k = 0;
    for (uint64_t k = 1; k < m; k++) {
        ev_add(t[k].p, t[k - 1].p, g);
        t[k].k = k;
    }
    qsort(t, m, sizeof *t, baby_cmp);
    ev_small(step, m);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        struct baby key = {0}; /* baby_cmp reads only p; k zeroed for the analyser */
        memcpy(key.p, p[i], EV_B);
        rc = -1;
        for (uint64_t j = 0; j * m <= max; j++) {
            const struct baby *hit = bsearch(&key, t, m, sizeof *t, baby_cmp);
            if (hit && j * m + hit->k <= max) {
                out[i] = j * m + hit->k;
                rc = 0;
                break;
            }
            ev_sub(key.p, key.p, step);
        }
    }
    free(t);
    return rc ? OBR_ECORRUPT : 0;
}

int ev_fail(int rc, char *why, size_t why_size, const char *fmt, ...)
{
    if (why && why_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, why_size, fmt, ap);
        va_end(ap);
    }
    return rc;
}
