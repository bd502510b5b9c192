/* evote_ballot.c — one ballot: encryption of 0/1 per option with its proofs
 * (what a voter's device does; here for tests, vectors and benchmarks), the
 * check of a ballot as the server receives it, and its tracker. */
#include <stdlib.h>
#include <string.h>

#include "crypto/evote_impl.h"
#include "util/err.h"

static json_t *cr_pair_json(const struct ev_chal_resp *p, size_t n, const char *c_key,
                            const char *s_key)
{
    json_t *cs = json_array(), *ss = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(cs, ev_hex_json(p[i].c));
        json_array_append_new(ss, ev_hex_json(p[i].s));
    }
    return json_pack("{s:o,s:o}", c_key, cs, s_key, ss);
}

unsigned char *ev_ballot_message(const unsigned char eh[EV_B], const json_t *ballot, size_t *len)
{
    json_t *copy = json_copy((json_t *)ballot);
    if (!copy)
        return NULL;
    json_object_del(copy, "signature");
    size_t cl;
    char *cj = ev_cjson(copy, "tracker", &cl);
    json_decref(copy);
    if (!cj)
        return NULL;
    size_t tl = strlen(EV_TAG2_BALLOT);
    unsigned char *m = malloc(12 + tl + EV_B + cl);
    if (m) {
        *len = 0;
        ev_frame(m, len, EV_TAG2_BALLOT, tl);
        ev_frame(m, len, eh, EV_B);
        ev_frame(m, len, cj, cl);
    }
    free(cj);
    return m;
}

/* Signs a v2 ballot in place with the voter's secret key (crypto_sign). */
static int sign_ballot(const struct evote_election *e, json_t *ballot,
                       const unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
    size_t len;
    unsigned char *m = ev_ballot_message(e->hash, ballot, &len), sig[EV_SIG_B];
    char hex[2 * EV_SIG_B + 1];
    if (!m)
        return OBR_ENOMEM;
    crypto_sign_detached(sig, NULL, m, len, sk);
    free(m);
    sodium_bin2hex(hex, sizeof hex, sig, sizeof sig);
    return json_object_set_new(ballot, "signature", json_string(hex)) ? OBR_ENOMEM : 0;
}

json_t *ev_ballot_encrypt_with(const struct evote_election *e, const unsigned char *v,
                               const unsigned char cred[EV_B], const unsigned char (*r)[EV_B],
                               const struct ev_nonces01 *n01, const unsigned char sum_w[EV_B],
                               const struct ev_chal_resp *sum_fake,
                               const unsigned char *sign_sk)
{
    if ((e->version == 2) != (sign_sk != NULL))
        return NULL;
    if (sign_sk)
        cred = sign_sk + 32; /* libsodium's secret key ends with the public key */
    struct ev_bind bd = {.version = (int)e->version, .eh = e->hash, .key = cred,
                         .vote_id = e->vote_id};
    unsigned m = 0;
    for (unsigned j = 0; j < e->n_options; j++) {
        if (v[j] > 1)
            return NULL;
        m += v[j];
    }
    if (m < e->min || m > e->max)
        return NULL;
    unsigned char A[EV_B] = {0}, B[EV_B] = {0}, R[EV_B] = {0}, G1[EV_B], t[EV_B];
    ev_small(G1, 1);
    json_t *choices = json_array();
    for (unsigned j = 0; j < e->n_options; j++) {
        unsigned char alpha[EV_B], beta[EV_B];
        struct ev_chal_resp p[2];
        ev_base(alpha, r[j]);
        ev_mul(t, r[j], e->Y);
        if (v[j])
            ev_add(beta, t, G1);
        else
            memcpy(beta, t, EV_B);
        bd.option = j;
        ev_01_prove_b(p, &bd, e->Y, alpha, beta, v[j], r[j], &n01[j]);
        ev_add(A, A, alpha);
        ev_add(B, B, beta);
        crypto_core_ristretto255_scalar_add(R, R, r[j]);
        json_array_append_new(choices, json_pack("{s:o,s:o,s:o}", "alpha", ev_hex_json(alpha),
                                                 "beta", ev_hex_json(beta), "proof",
                                                 cr_pair_json(p, 2, "challenges", "responses")));
    }
    struct ev_chal_resp sp[EVOTE_MAX_OPTIONS + 1];
    ev_sum_prove_b(sp, &bd, e->Y, A, B, (int)e->min, (int)e->max, (int)m, R, sum_w, sum_fake);
    sodium_memzero(R, sizeof R);
    json_t *b = json_pack("{s:o,s:o,s:o}", sign_sk ? "voter_key" : "credential", ev_hex_json(cred),
                          "choices", choices, "sum_proof",
                          cr_pair_json(sp, e->max - e->min + 1, "challenges", "responses"));
    if (b && sign_sk && sign_ballot(e, b, sign_sk)) {
        json_decref(b);
        return NULL;
    }
    return b;
}

json_t *evote_ballot_encrypt(const struct evote_election *e, const unsigned char *choices,
                             const unsigned char credential[32])
{
    return evote_ballot_encrypt_signed(e, choices, credential, NULL);
}

json_t *evote_ballot_encrypt_signed(const struct evote_election *e, const unsigned char *choices,
                                    const unsigned char credential[32],
                                    const unsigned char *voter_sk)
{
    unsigned n = e->n_options;
    unsigned char cred[EV_B], r[EVOTE_MAX_OPTIONS][EV_B], w[EV_B];
    struct ev_nonces01 n01[EVOTE_MAX_OPTIONS];
    struct ev_chal_resp fake[EVOTE_MAX_OPTIONS + 1];
    if (credential)
        memcpy(cred, credential, EV_B);
    else
        randombytes_buf(cred, EV_B);
    for (unsigned j = 0; j < n; j++) {
        crypto_core_ristretto255_scalar_random(r[j]);
        crypto_core_ristretto255_scalar_random(n01[j].w);
        crypto_core_ristretto255_scalar_random(n01[j].c_fake);
        crypto_core_ristretto255_scalar_random(n01[j].s_fake);
    }
    crypto_core_ristretto255_scalar_random(w);
    for (unsigned i = 0; i <= e->max - e->min; i++) {
        crypto_core_ristretto255_scalar_random(fake[i].c);
        crypto_core_ristretto255_scalar_random(fake[i].s);
    }
    json_t *b = ev_ballot_encrypt_with(e, choices, cred, (const unsigned char(*)[EV_B])r, n01,
                                       w, fake, voter_sk);
    sodium_memzero(r, sizeof r);
    sodium_memzero(n01, sizeof n01);
    sodium_memzero(w, sizeof w);
    return b;
}

/* {"challenges": [n scalars], "responses": [n scalars]} */
static int read_cr(const json_t *obj, size_t n, struct ev_chal_resp *out)
{
    static const char *const keys[] = {"challenges", "responses"};
    const json_t *cs = json_object_get(obj, "challenges"), *ss = json_object_get(obj, "responses");
    if (!ev_has_exactly(obj, keys, 2) || !json_is_array(cs) || !json_is_array(ss) ||
        json_array_size(cs) != n || json_array_size(ss) != n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (ev_get_scalar(json_array_get(cs, i), out[i].c) ||
            ev_get_scalar(json_array_get(ss, i), out[i].s))
            return -1;
    }
    return 0;
}

int ev_ballot_read(const struct evote_election *e, const json_t *ballot, bool is_tracker_ok,
                   struct ev_ballot *b, char *why, size_t why_size)
{
    static const char *const keys1[] = {"credential", "choices", "sum_proof", "tracker"};
    static const char *const keys2[] = {"voter_key", "choices", "sum_proof", "signature",
                                        "tracker"};
    static const char *const ckeys[] = {"alpha", "beta", "proof"};
    bool has_tracker = json_object_get(ballot, "tracker") != NULL, is_v2 = e->version == 2;
    if (has_tracker && !is_tracker_ok)
        return ev_fail(OBR_EINVAL, why, why_size, "a ballot carries no tracker");
    if (!is_v2 && !ev_has_exactly(ballot, keys1, has_tracker ? 4 : 3))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "a ballot has exactly credential, choices and sum_proof");
    if (is_v2 && !ev_has_exactly(ballot, keys2, has_tracker ? 5 : 4))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "a ballot has exactly voter_key, choices, sum_proof and signature");
    if (ev_unhex(b->cred, EV_B, json_string_value(json_object_get(ballot, is_v2 ? "voter_key"
                                                                                 : "credential"))))
        return ev_fail(OBR_EINVAL, why, why_size, "%s must be 64 lowercase hex digits",
                       is_v2 ? "voter_key" : "credential");
    const char *sig = json_string_value(json_object_get(ballot, "signature"));
    if (is_v2 && ev_unhex(b->sig, EV_SIG_B, sig))
        return ev_fail(OBR_EINVAL, why, why_size, "signature must be 128 lowercase hex digits");
    const json_t *choices = json_object_get(ballot, "choices");
    if (!json_is_array(choices) || json_array_size(choices) != e->n_options)
        return ev_fail(OBR_EINVAL, why, why_size, "choices must hold one entry per option (%u)",
                       e->n_options);
    b->n = e->n_options;
    for (unsigned j = 0; j < b->n; j++) {
        const json_t *c = json_array_get(choices, j);
        if (!ev_has_exactly(c, ckeys, 3))
            return ev_fail(OBR_EINVAL, why, why_size, "option %u: malformed", j);
        if (ev_get_point(json_object_get(c, "alpha"), b->alpha[j], false) ||
            ev_get_point(json_object_get(c, "beta"), b->beta[j], false))
            return ev_fail(OBR_EINVAL, why, why_size,
                           "option %u: the ciphertext is not two valid points", j);
        if (read_cr(json_object_get(c, "proof"), 2, b->p01[j]))
            return ev_fail(OBR_EINVAL, why, why_size,
                           "option %u: the 0/1 proof is not two challenges and two responses "
                           "(canonical scalars)", j);
    }
    if (read_cr(json_object_get(ballot, "sum_proof"), e->max - e->min + 1, b->sum))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "sum_proof must hold %u challenges and responses (canonical scalars)",
                       e->max - e->min + 1);
    return 0;
}

bool ev_in_electorate(const struct evote_election *e, const unsigned char key[EV_B])
{
    size_t lo = 0, hi = e->n_electorate;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(e->electorate[mid], key, EV_B);
        if (!c)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

int ev_ballot_check_signature(const struct evote_election *e, const json_t *ballot,
                              const struct ev_ballot *b, bool is_member_checked, char *why,
                              size_t why_size)
{
    char key[EVOTE_HEX + 1];
    ev_hex(key, b->cred);
    if (is_member_checked && !ev_in_electorate(e, b->cred))
        return ev_fail(OBR_ECORRUPT, why, why_size, "voter key %s is not in the electorate", key);
    size_t len;
    unsigned char *m = ev_ballot_message(e->hash, ballot, &len);
    if (!m)
        return OBR_ENOMEM;
    int bad = crypto_sign_verify_detached(b->sig, m, len, b->cred);
    free(m);
    if (bad)
        return ev_fail(OBR_ECORRUPT, why, why_size,
                       "the signature by voter key %s over the election and the ballot fails",
                       key);
    return 0;
}

int ev_ballot_check(const struct evote_election *e, const struct ev_ballot *b, char *why,
                    size_t why_size)
{
    unsigned char A[EV_B], B[EV_B];
    struct ev_bind bd = {.version = (int)e->version, .eh = e->hash, .key = b->cred,
                         .vote_id = e->vote_id};
    for (unsigned j = 0; j < b->n; j++) {
        bd.option = j;
        if (!ev_01_verify_b(b->p01[j], &bd, e->Y, b->alpha[j], b->beta[j]))
            return ev_fail(OBR_ECORRUPT, why, why_size, "option %u: the 0/1 proof fails", j);
    }
    memcpy(A, b->alpha[0], EV_B);
    memcpy(B, b->beta[0], EV_B);
    for (unsigned j = 1; j < b->n; j++) {
        ev_add(A, A, b->alpha[j]);
        ev_add(B, B, b->beta[j]);
    }
    if (!ev_sum_verify_b(b->sum, &bd, e->Y, A, B, (int)e->min, (int)e->max))
        return ev_fail(OBR_ECORRUPT, why, why_size,
                       "the proof that between %u and %u options are chosen fails", e->min,
                       e->max);
    return 0;
}

int evote_tracker(const json_t *ballot, char out[EVOTE_HEX + 1])
{
    size_t len;
    unsigned char h[EV_B];
    char *cj = ev_cjson(ballot, "tracker", &len);
    if (!cj)
        return OBR_EINVAL;
    crypto_hash_sha256(h, (const unsigned char *)cj, len);
    free(cj);
    ev_hex(out, h);
    return 0;
}

void evote_tracker_short(const char *tracker, char out[EVOTE_TRACKER_SHORT])
{
    size_t k = 0;
    for (size_t i = 0; i < 12 && tracker[i]; i++) {
        if (i && i % 4 == 0)
            out[k++] = '-';
        out[k++] = tracker[i];
    }
    out[k] = 0;
}

int evote_ballot_verify(const struct evote_election *e, const json_t *ballot, char *why,
                        size_t why_size)
{
    struct ev_ballot *b = malloc(sizeof *b);
    if (!b)
        return OBR_ENOMEM;
    int rc = ev_ballot_read(e, ballot, true, b, why, why_size);
    if (!rc && e->version == 2)
        rc = ev_ballot_check(e, b, why, why_size);
    if (!rc && json_object_get(ballot, "tracker")) {
        char t[EVOTE_HEX + 1];
        const char *given = json_string_value(json_object_get(ballot, "tracker"));
        rc = evote_tracker(ballot, t);
        if (rc || !given || strcmp(t, given))
            rc = ev_fail(OBR_ECORRUPT, why, why_size, "the tracker is not the ballot's hash");
    }
    if (!rc && e->version == 2)
        rc = ev_ballot_check_signature(e, ballot, b, false, why, why_size);
    if (!rc && e->version != 2)
        rc = ev_ballot_check(e, b, why, why_size);
    free(b);
    return rc;
}
