/* evote_tally.c — from verified ballots to a result: homomorphic aggregation,
 * the check of each trustee's partial decryption, Lagrange combination within
 * each trustee group and the small discrete log of every option's count. */
#include <stdlib.h>
#include <string.h>

#include "crypto/evote_impl.h"
#include "util/err.h"

int ev_read_aggregate(const struct evote_election *e, const json_t *agg,
                      unsigned char (*A)[EV_B], unsigned char (*B)[EV_B])
{
    static const char *const keys[] = {"alpha", "beta"};
    if (!json_is_array(agg) || json_array_size(agg) != e->n_options)
        return -1;
    for (unsigned j = 0; j < e->n_options; j++) {
        const json_t *c = json_array_get(agg, j);
        if (!ev_has_exactly(c, keys, 2) || ev_get_point(json_object_get(c, "alpha"), A[j], true) ||
            ev_get_point(json_object_get(c, "beta"), B[j], true))
            return -1;
    }
    return 0;
}

json_t *ev_aggregate_json(const struct evote_election *e, const unsigned char (*A)[EV_B],
                          const unsigned char (*B)[EV_B])
{
    json_t *out = json_array();
    for (unsigned j = 0; j < e->n_options; j++)
        json_array_append_new(out, json_pack("{s:o,s:o}", "alpha", ev_hex_json(A[j]), "beta",
                                             ev_hex_json(B[j])));
    return out;
}

json_t *evote_aggregate(const struct evote_election *e, const json_t *ballots)
{
    unsigned char A[EVOTE_MAX_OPTIONS][EV_B] = {{0}}, B[EVOTE_MAX_OPTIONS][EV_B] = {{0}};
    unsigned char a[EV_B], b[EV_B];
    size_t i;
    const json_t *ballot;
    if (!json_is_array(ballots))
        return NULL;
    json_array_foreach(ballots, i, ballot) {
        const json_t *choices = json_object_get(ballot, "choices");
        if (json_array_size(choices) != e->n_options)
            return NULL;
        for (unsigned j = 0; j < e->n_options; j++) {
            const json_t *c = json_array_get(choices, j);
            if (ev_get_point(json_object_get(c, "alpha"), a, false) ||
                ev_get_point(json_object_get(c, "beta"), b, false))
                return NULL;
            ev_add(A[j], A[j], a);
            ev_add(B[j], B[j], b);
        }
    }
    return ev_aggregate_json(e, (const unsigned char(*)[EV_B])A, (const unsigned char(*)[EV_B])B);
}

/* Reads and checks one decryption; D receives its factors. */
static int check_decryption(const struct evote_election *e, const unsigned char (*A)[EV_B],
                            const json_t *d, unsigned *group, unsigned *index,
                            unsigned char (*D)[EV_B], char *why, size_t why_size)
{
    static const char *const keys[] = {"group", "index", "factors", "proofs"};
    static const char *const pkeys[] = {"challenge", "response"};
    const json_t *jg = json_object_get(d, "group"), *ji = json_object_get(d, "index");
    const json_t *factors = json_object_get(d, "factors"), *proofs = json_object_get(d, "proofs");
    if (!ev_has_exactly(d, keys, 4) || !json_is_integer(jg) || !json_is_integer(ji) ||
        json_integer_value(jg) < 0 || json_integer_value(jg) >= e->n_groups ||
        json_integer_value(ji) < 1 || json_integer_value(ji) > EVOTE_MAX_MEMBERS)
        return ev_fail(OBR_EINVAL, why, why_size, "a decryption is malformed");
    *group = (unsigned)json_integer_value(jg);
    *index = (unsigned)json_integer_value(ji);
    const struct ev_member *mb = ev_member_find(e, *group, *index);
    if (!mb)
        return ev_fail(OBR_EINVAL, why, why_size, "decryption by an unknown trustee (group %u, "
                       "index %u)", *group, *index);
    if (json_array_size(factors) != e->n_options || json_array_size(proofs) != e->n_options)
        return ev_fail(OBR_EINVAL, why, why_size, "trustee %s: decryption needs one factor and "
                       "proof per option", mb->id);
    for (unsigned j = 0; j < e->n_options; j++) {
        struct ev_chal_resp p;
        const json_t *jp = json_array_get(proofs, j);
        if (ev_get_point(json_array_get(factors, j), D[j], true) || !ev_has_exactly(jp, pkeys, 2) ||
            ev_get_scalar(json_object_get(jp, "challenge"), p.c) ||
            ev_get_scalar(json_object_get(jp, "response"), p.s))
            return ev_fail(OBR_EINVAL, why, why_size,
                           "trustee %s (group %u, index %u): option %u: malformed factor or "
                           "proof", mb->id, *group, *index, j);
        if (!ev_dleq_verify(&p, e->hash, mb->vk, A[j], D[j]))
            return ev_fail(OBR_ECORRUPT, why, why_size,
                           "trustee %s (group %u, index %u): option %u: the decryption proof "
                           "fails", mb->id, *group, *index, j);
    }
    return 0;
}

int evote_decryption_verify(const struct evote_election *e, const json_t *aggregate,
                            const json_t *decryption, char *why, size_t why_size)
{
    unsigned char A[EVOTE_MAX_OPTIONS][EV_B], B[EVOTE_MAX_OPTIONS][EV_B],
        D[EVOTE_MAX_OPTIONS][EV_B];
    unsigned g, j;
    if (ev_read_aggregate(e, aggregate, A, B))
        return ev_fail(OBR_EINVAL, why, why_size, "the aggregate is malformed");
    return check_decryption(e, (const unsigned char(*)[EV_B])A, decryption, &g, &j, D, why,
                            why_size);
}

/* lambda_j = prod_{m in S, m != j} m / (m - j) (mod l) */
static void lagrange(unsigned char out[EV_B], const unsigned *S, size_t n, unsigned j)
{
    unsigned char num[EV_B], den[EV_B], t[EV_B], sm[EV_B], sj[EV_B];
    ev_scalar_from_u64(num, 1);
    ev_scalar_from_u64(den, 1);
    ev_scalar_from_u64(sj, j);
    for (size_t i = 0; i < n; i++) {
        if (S[i] == j)
            continue;
        ev_scalar_from_u64(sm, S[i]);
        crypto_core_ristretto255_scalar_mul(num, num, sm);
        crypto_core_ristretto255_scalar_sub(t, sm, sj);
        crypto_core_ristretto255_scalar_mul(den, den, t);
    }
    crypto_core_ristretto255_scalar_invert(t, den); /* den != 0: indices are distinct */
    crypto_core_ristretto255_scalar_mul(out, num, t);
}

int evote_tally(const struct evote_election *e, const json_t *aggregate,
                const json_t *decryptions, uint64_t max_count, json_t **result, char *why,
                size_t why_size)
{
    *result = NULL;
    unsigned char A[EVOTE_MAX_OPTIONS][EV_B], B[EVOTE_MAX_OPTIONS][EV_B];
    size_t nd = json_array_size(decryptions);
    if (ev_read_aggregate(e, aggregate, A, B))
        return ev_fail(OBR_EINVAL, why, why_size, "the aggregate is malformed");
    if (!json_is_array(decryptions) || nd > (size_t)EVOTE_MAX_GROUPS * EVOTE_MAX_MEMBERS)
        return ev_fail(OBR_EINVAL, why, why_size, "decryptions must be an array");
    unsigned char (*D)[EVOTE_MAX_OPTIONS][EV_B] = malloc((nd ? nd : 1) * sizeof *D);
    unsigned *grp = malloc((nd ? nd : 1) * sizeof *grp), *idx = malloc((nd ? nd : 1) * sizeof *idx);
    int rc = (D && grp && idx) ? 0 : OBR_ENOMEM;
    for (size_t i = 0; i < nd && !rc; i++) {
        rc = check_decryption(e, (const unsigned char(*)[EV_B])A, json_array_get(decryptions, i),
                              &grp[i], &idx[i], D[i], why, why_size);
        for (size_t k = 0; k < i && !rc; k++) {
            if (grp[k] == grp[i] && idx[k] == idx[i])
                rc = ev_fail(OBR_EINVAL, why, why_size,
                             "trustee (group %u, index %u) decrypted twice", grp[i], idx[i]);
        }
    }
    unsigned char total[EVOTE_MAX_OPTIONS][EV_B] = {{0}};
    for (unsigned g = 0; g < e->n_groups && !rc; g++) {
        unsigned S[EVOTE_MAX_MEMBERS];
        size_t pos[EVOTE_MAX_MEMBERS], n = 0;
        for (size_t i = 0; i < nd; i++) {
            if (grp[i] == g) {
                pos[n] = i;
                S[n++] = idx[i];
            }
        }
        if (n < e->groups[g].threshold) {
            rc = ev_fail(OBR_ECORRUPT, why, why_size,
                         "trustee group %u: %zu decryptions, the threshold is %u", g, n,
                         e->groups[g].threshold);
            break;
        }
        for (size_t k = 0; k < n; k++) {
            unsigned char lam[EV_B], t[EV_B];
            lagrange(lam, S, n, S[k]);
            for (unsigned j = 0; j < e->n_options; j++) {
                ev_mul(t, lam, D[pos[k]][j]);
                ev_add(total[j], total[j], t);
            }
        }
    }
    uint64_t counts[EVOTE_MAX_OPTIONS];
    if (!rc) {
        unsigned char M[EVOTE_MAX_OPTIONS][EV_B];
        for (unsigned j = 0; j < e->n_options; j++)
            ev_sub(M[j], B[j], total[j]);
        if (ev_dlog((const unsigned char(*)[EV_B])M, e->n_options, max_count, counts))
            rc = ev_fail(OBR_ECORRUPT, why, why_size,
                         "the decrypted counts are not between 0 and %llu",
                         (unsigned long long)max_count);
    }
    if (!rc) {
        *result = json_array();
        for (unsigned j = 0; j < e->n_options; j++)
            json_array_append_new(*result, json_integer((json_int_t)counts[j]));
    }
    free(D);
    free(grp);
    free(idx);
    return rc;
}
