/* evote_trustee.c — what a trustee does: draw a secret polynomial, publish its
 * Feldman commitments with a proof of knowledge, hand out and check shares,
 * and decrypt its part of the aggregate with a DLEQ proof per option. The
 * server is the degenerate 1-of-1 trustee. */
#include <string.h>

#include "crypto/evote_impl.h"
#include "util/err.h"

int evote_poly_new(struct evote_poly *p, unsigned threshold)
{
    if (threshold < 1 || threshold > EVOTE_MAX_MEMBERS)
        return OBR_EINVAL;
    memset(p, 0, sizeof *p);
    p->threshold = threshold;
    for (unsigned k = 0; k < threshold; k++)
        crypto_core_ristretto255_scalar_random(p->a[k]);
    return 0;
}

void evote_poly_wipe(struct evote_poly *p)
{
    sodium_memzero(p, sizeof *p);
}

json_t *ev_member_public_with(const struct evote_poly *p, const char *vote_id,
                              const char *member_id, const char *name, unsigned index,
                              const unsigned char w[EV_B])
{
    unsigned char C0[EV_B], C[EV_B];
    struct ev_chal_resp pok;
    json_t *coefs = json_array();
    for (unsigned k = 0; k < p->threshold; k++) {
        ev_base(C, p->a[k]);
        if (k == 0)
            memcpy(C0, C, EV_B);
        json_array_append_new(coefs, ev_hex_json(C));
    }
    ev_pok_prove(&pok, vote_id, member_id, p->a[0], C0, w);
    return json_pack("{s:s,s:s,s:I,s:o,s:{s:o,s:o}}", "id", member_id, "name", name, "index",
                     (json_int_t)index, "coefficients", coefs, "pok", "challenge",
                     ev_hex_json(pok.c), "response", ev_hex_json(pok.s));
}

json_t *evote_member_public(const struct evote_poly *p, const char *vote_id,
                            const char *member_id, const char *name, unsigned index)
{
    unsigned char w[EV_B];
    crypto_core_ristretto255_scalar_random(w);
    json_t *j = ev_member_public_with(p, vote_id, member_id, name, index, w);
    sodium_memzero(w, sizeof w);
    return j;
}

void evote_poly_eval(const struct evote_poly *p, unsigned j, unsigned char out[32])
{
    unsigned char z[EV_B], acc[EV_B];
    ev_scalar_from_u64(z, j);
    memcpy(acc, p->a[p->threshold - 1], EV_B);
    for (int k = (int)p->threshold - 2; k >= 0; k--) {
        crypto_core_ristretto255_scalar_mul(acc, acc, z);
        crypto_core_ristretto255_scalar_add(acc, acc, p->a[k]);
    }
    memcpy(out, acc, EV_B);
    sodium_memzero(acc, sizeof acc);
}

int evote_share_check(const json_t *member_public, unsigned j, const unsigned char share[32])
{
    const json_t *coefs = json_object_get(member_public, "coefficients");
    size_t t = json_array_size(coefs);
    if (t < 1 || t > EVOTE_MAX_MEMBERS || !ev_scalar_is_canonical(share))
        return OBR_EINVAL;
    unsigned char z[EV_B], acc[EV_B], C[EV_B], lhs[EV_B];
    ev_scalar_from_u64(z, j);
    if (ev_get_point(json_array_get(coefs, t - 1), acc, false))
        return OBR_EINVAL;
    for (int k = (int)t - 2; k >= 0; k--) {
        if (ev_get_point(json_array_get(coefs, (size_t)k), C, false))
            return OBR_EINVAL;
        ev_mul(acc, z, acc);
        ev_add(acc, acc, C);
    }
    ev_base(lhs, share);
    return sodium_memcmp(lhs, acc, EV_B) ? OBR_ECORRUPT : 0;
}

void evote_share_add(unsigned char acc[32], const unsigned char share[32])
{
    crypto_core_ristretto255_scalar_add(acc, acc, share);
}

json_t *evote_server_trustee_new(const char *vote_id, const char *member_id, const char *name,
                                 char secret_hex[EVOTE_HEX + 1])
{
    struct evote_poly p;
    if (evote_poly_new(&p, 1))
        return NULL;
    json_t *m = evote_member_public(&p, vote_id, member_id, name, 1);
    ev_hex(secret_hex, p.a[0]); /* f(1) = a_0: the 1-of-1 share is the key */
    evote_poly_wipe(&p);
    return m ? json_pack("{s:i,s:[o]}", "threshold", 1, "members", m) : NULL;
}

int evote_secret_from_hex(const char *hex, unsigned char out[32])
{
    if (ev_unhex(out, EV_B, hex) || !ev_scalar_is_canonical(out) || sodium_is_zero(out, EV_B))
        return OBR_EINVAL;
    return 0;
}

json_t *ev_partial_decrypt_with(const struct evote_election *e, unsigned group, unsigned index,
                                const unsigned char secret[EV_B], const json_t *aggregate,
                                const unsigned char (*w)[EV_B], char *why, size_t why_size)
{
    const struct ev_member *mb = ev_member_find(e, group, index);
    unsigned char VK[EV_B], A[EVOTE_MAX_OPTIONS][EV_B], B[EVOTE_MAX_OPTIONS][EV_B];
    if (!mb) {
        ev_fail(OBR_EINVAL, why, why_size, "no trustee %u in group %u", index, group);
        return NULL;
    }
    ev_base(VK, secret);
    if (sodium_memcmp(VK, mb->vk, EV_B)) {
        ev_fail(OBR_EINVAL, why, why_size, "the secret does not match trustee %s's key", mb->id);
        return NULL;
    }
    if (ev_read_aggregate(e, aggregate, A, B)) {
        ev_fail(OBR_EINVAL, why, why_size, "the aggregate is malformed");
        return NULL;
    }
    json_t *factors = json_array(), *proofs = json_array();
    for (unsigned j = 0; j < e->n_options; j++) {
        unsigned char D[EV_B];
        struct ev_chal_resp p;
        ev_mul(D, secret, A[j]);
        ev_dleq_prove(&p, e->hash, mb->vk, A[j], D, secret, w[j]);
        json_array_append_new(factors, ev_hex_json(D));
        json_array_append_new(proofs, json_pack("{s:o,s:o}", "challenge", ev_hex_json(p.c),
                                                "response", ev_hex_json(p.s)));
    }
    return json_pack("{s:I,s:I,s:o,s:o}", "group", (json_int_t)group, "index",
                     (json_int_t)index, "factors", factors, "proofs", proofs);
}

json_t *evote_partial_decrypt(const struct evote_election *e, unsigned group, unsigned index,
                              const unsigned char secret[32], const json_t *aggregate,
                              char *why, size_t why_size)
{
    unsigned char w[EVOTE_MAX_OPTIONS][EV_B];
    for (unsigned j = 0; j < e->n_options; j++)
        crypto_core_ristretto255_scalar_random(w[j]);
    json_t *d = ev_partial_decrypt_with(e, group, index, secret, aggregate,
                                        (const unsigned char(*)[EV_B])w, why, why_size);
    sodium_memzero(w, sizeof w);
    return d;
}
