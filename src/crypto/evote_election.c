/* evote_election.c — reading and checking an election object: its shape and
 * bounds, every trustee's Schnorr proof, the public key Y as the sum of the
 * groups' C_0, and each member's verification key from the Feldman
 * commitments. The result is the context every other check runs against. */
#include <stdlib.h>
#include <string.h>

#include "crypto/evote_impl.h"
#include "util/err.h"

#define TEXT_MAX 10000 /* bytes of a title, question, option, id or name */

static int bad(char *why, size_t why_size, const char *what)
{
    return ev_fail(OBR_EINVAL, why, why_size, "election: %s", what);
}

static bool is_text(const json_t *v, bool is_empty_ok)
{
    if (!json_is_string(v))
        return false;
    size_t n = json_string_length(v);
    return (is_empty_ok || n > 0) && n <= TEXT_MAX && strlen(json_string_value(v)) == n;
}

static bool get_uint(const json_t *v, json_int_t lo, json_int_t hi, unsigned *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return false;
    *out = (unsigned)json_integer_value(v);
    return true;
}

void evote_election_free(struct evote_election *e)
{
    if (!e)
        return;
    for (unsigned g = 0; g < e->n_groups; g++) {
        for (unsigned m = 0; m < e->groups[g].n_members; m++)
            free(e->groups[g].members[m].coef);
        free(e->groups[g].members);
    }
    free(e->groups);
    free(e->electorate);
    free(e->entries);
    json_decref(e->json);
    free(e);
}

const struct ev_member *ev_member_find(const struct evote_election *e, unsigned g, unsigned j)
{
    if (g >= e->n_groups)
        return NULL;
    for (unsigned m = 0; m < e->groups[g].n_members; m++) {
        if (e->groups[g].members[m].index == j)
            return &e->groups[g].members[m];
    }
    return NULL;
}

/* Reads one member object into mb (shape only). */
static int read_member(const json_t *jm, unsigned t, unsigned n, struct ev_member *mb,
                       struct ev_chal_resp *pok, char *why, size_t why_size, unsigned g,
                       unsigned m)
{
    /* "name" is optional: a member without one is still well-formed */
    static const char *const keys[] = {"id", "index", "coefficients", "pok", "name"};
    static const char *const pok_keys[] = {"challenge", "response"};
    const json_t *coefs = json_object_get(jm, "coefficients");
    const json_t *jp = json_object_get(jm, "pok"), *name = json_object_get(jm, "name");
    if (!ev_has_exactly(jm, keys, name ? 5 : 4) || !is_text(json_object_get(jm, "id"), false) ||
        (name && !is_text(name, true)) ||
        !get_uint(json_object_get(jm, "index"), 1, n, &mb->index) || !json_is_array(coefs) ||
        !ev_has_exactly(jp, pok_keys, 2)) {
        return ev_fail(OBR_EINVAL, why, why_size,
                       "election: trustee group %u member %u is malformed", g, m);
    }
    if (json_array_size(coefs) != t)
        return ev_fail(OBR_EINVAL, why, why_size,
                       "election: trustee %s (group %u): %zu coefficients, but the group's "
                       "threshold is %u", json_string_value(json_object_get(jm, "id")), g,
                       json_array_size(coefs), t);
    mb->id = json_string_value(json_object_get(jm, "id"));
    mb->coef = malloc(t * sizeof *mb->coef);
    if (!mb->coef)
        return OBR_ENOMEM;
    for (unsigned k = 0; k < t; k++) {
        if (ev_get_point(json_array_get(coefs, k), mb->coef[k], false)) {
            return ev_fail(OBR_EINVAL, why, why_size,
                           "election: trustee %s coefficient %u is not a valid point", mb->id, k);
        }
    }
    if (ev_get_scalar(json_object_get(jp, "challenge"), pok->c) ||
        ev_get_scalar(json_object_get(jp, "response"), pok->s)) {
        return ev_fail(OBR_EINVAL, why, why_size,
                       "election: trustee %s proof of knowledge is malformed", mb->id);
    }
    return 0;
}

int evote_member_check(const json_t *member, const char *vote_id, unsigned threshold,
                       unsigned n_members, char *why, size_t why_size)
{
    struct ev_member mb = {0};
    struct ev_chal_resp pok;
    if (threshold < 1 || threshold > n_members || n_members > EVOTE_MAX_MEMBERS)
        return OBR_EINVAL;
    int rc = read_member(member, threshold, n_members, &mb, &pok, why, why_size, 0, 0);
    if (!rc && !ev_pok_verify(&pok, vote_id, mb.id, mb.coef[0]))
        rc = ev_fail(OBR_ECORRUPT, why, why_size,
                     "trustee %s: proof of knowledge of the key fails", mb.id);
    free(mb.coef);
    return rc;
}

/* VK_j = sum_k j^k·S_k with S_k = sum_i C_{i,k}, by Horner's rule. */
static void verification_keys(struct ev_group *gr)
{
    unsigned t = gr->threshold;
    unsigned char S[EVOTE_MAX_MEMBERS][EV_B];
    for (unsigned k = 0; k < t; k++) {
        memcpy(S[k], gr->members[0].coef[k], EV_B);
        for (unsigned i = 1; i < gr->n_members; i++)
            ev_add(S[k], S[k], gr->members[i].coef[k]);
    }
    for (unsigned m = 0; m < gr->n_members; m++) {
        unsigned char j[EV_B], acc[EV_B];
        ev_scalar_from_u64(j, gr->members[m].index);
        memcpy(acc, S[t - 1], EV_B);
        for (int k = (int)t - 2; k >= 0; k--) {
            ev_mul(acc, j, acc);
            ev_add(acc, acc, S[k]);
        }
        memcpy(gr->members[m].vk, acc, EV_B);
    }
}

static int read_groups(struct evote_election *e, const json_t *groups, char *why,
                       size_t why_size)
{
    size_t ng = json_array_size(groups);
    if (!json_is_array(groups) || ng < 1 || ng > EVOTE_MAX_GROUPS)
        return bad(why, why_size, "trustee_groups must be 1 to 4 groups");
    e->groups = calloc(ng, sizeof *e->groups);
    if (!e->groups)
        return OBR_ENOMEM;
    e->n_groups = (unsigned)ng;
    unsigned char Y[EV_B] = {0};
    for (unsigned g = 0; g < ng; g++) {
        const json_t *jg = json_array_get(groups, g);
        const json_t *members = json_object_get(jg, "members");
        static const char *const keys[] = {"threshold", "members"};
        struct ev_group *gr = &e->groups[g];
        size_t n = json_array_size(members);
        if (!ev_has_exactly(jg, keys, 2) || !json_is_array(members) || n < 1 ||
            n > EVOTE_MAX_MEMBERS ||
            !get_uint(json_object_get(jg, "threshold"), 1, (json_int_t)n, &gr->threshold))
            return ev_fail(OBR_EINVAL, why, why_size,
                           "election: trustee group %u needs 1 to 32 members and a "
                           "threshold between 1 and their number", g);
        gr->members = calloc(n, sizeof *gr->members);
        if (!gr->members)
            return OBR_ENOMEM;
        gr->n_members = (unsigned)n;
        for (unsigned m = 0; m < n; m++) {
            struct ev_member *mb = &gr->members[m];
            struct ev_chal_resp pok;
            int rc = read_member(json_array_get(members, m), gr->threshold, (unsigned)n, mb,
                                 &pok, why, why_size, g, m);
            if (rc)
                return rc;
            for (unsigned o = 0; o < m; o++) {
                if (gr->members[o].index == mb->index)
                    return ev_fail(OBR_EINVAL, why, why_size, "election: trustee group %u repeats index %u",
                                   g, mb->index);
            }
            for (unsigned og = 0; og <= g; og++) {
                for (unsigned o = 0; o < (og == g ? m : e->groups[og].n_members); o++) {
                    if (!strcmp(e->groups[og].members[o].id, mb->id))
                        return ev_fail(OBR_EINVAL, why, why_size, "election: trustee id %s repeats",
                                       mb->id);
                }
            }
            if (!ev_pok_verify(&pok, e->vote_id, mb->id, mb->coef[0]))
                return ev_fail(OBR_ECORRUPT, why, why_size,
                               "election: trustee %s (group %u, index %u): proof of knowledge "
                               "of the key fails",
                               mb->id, g, mb->index);
            ev_add(Y, Y, mb->coef[0]);
        }
        verification_keys(gr);
    }
    if (sodium_memcmp(Y, e->Y, EV_B))
        return ev_fail(OBR_ECORRUPT, why, why_size,
                       "election: public_key is not the sum of the trustees' keys");
    return 0;
}

static int cmp_key(const void *a, const void *b)
{
    return memcmp(a, b, EV_B);
}

int ev_electorate_index(const struct evote_election *e)
{
    free(e->electorate);
    struct evote_election *m = (struct evote_election *)e;
    m->electorate = malloc((e->n_entries ? e->n_entries : 1) * EV_B);
    if (!m->electorate)
        return OBR_ENOMEM;
    m->n_electorate = 0;
    for (size_t i = 0; i < e->n_entries; i++) {
        if (e->entries[i].has_key)
            memcpy(m->electorate[m->n_electorate++], e->entries[i].key, EV_B);
    }
    qsort(m->electorate, m->n_electorate, EV_B, cmp_key);
    return 0;
}

/* v2: [{name, key|null}] with names strictly ascending (so distinct), every
 * key a valid Ed25519 public key and no key twice. */
static int read_electorate(struct evote_election *e, const json_t *el, char *why,
                           size_t why_size)
{
    static const char *const keys[] = {"name", "key"};
    size_t n = json_array_size(el);
    if (!json_is_array(el) || n > EVOTE_MAX_BALLOTS)
        return bad(why, why_size, "electorate must be an array of at most 1000000 voters");
    e->entries = calloc(n ? n : 1, sizeof *e->entries);
    e->n_entries = n;
    int rc = e->entries ? 0 : OBR_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        const json_t *v = json_array_get(el, i), *k = json_object_get(v, "key");
        struct ev_voter *vt = &e->entries[i];
        vt->name = json_string_value(json_object_get(v, "name"));
        vt->has_key = !json_is_null(k);
        if (!ev_has_exactly(v, keys, 2) || !is_text(json_object_get(v, "name"), false) ||
            (vt->has_key && ev_unhex(vt->key, EV_B, json_string_value(k))))
            rc = ev_fail(OBR_EINVAL, why, why_size,
                         "election: electorate entry %zu is not {name: text, key: 64 hex or "
                         "null}", i);
        else if (vt->has_key && evote_key_parse(json_string_value(k), vt->key))
            rc = ev_fail(OBR_EINVAL, why, why_size,
                         "election: electorate entry %zu (%.80s): the key is not a valid "
                         "Ed25519 public key", i, vt->name);
        else if (i && strcmp(e->entries[i - 1].name, vt->name) >= 0)
            rc = ev_fail(OBR_EINVAL, why, why_size,
                         "election: electorate entry %zu (%.80s): names are not strictly "
                         "ascending (sorted by their bytes, no name twice)", i, vt->name);
    }
    if (!rc)
        rc = ev_electorate_index(e);
    for (size_t i = 1; i < e->n_electorate && !rc; i++) {
        if (!memcmp(e->electorate[i - 1], e->electorate[i], EV_B)) {
            char h[EVOTE_HEX + 1];
            ev_hex(h, e->electorate[i]);
            rc = ev_fail(OBR_EINVAL, why, why_size,
                         "election: electorate: the key %s is registered to two names", h);
        }
    }
    return rc;
}

static int parse(struct evote_election *e, const json_t *j, char *why, size_t why_size)
{
    static const char *const keys2[] = {"version", "vote_id", "meeting_id", "title", "question",
                                        "options", "min", "max", "trustee_groups",
                                        "public_key", "electorate"};
    const json_t *options = json_object_get(j, "options");
    if (!json_is_object(j))
        return bad(why, why_size, "not an object");
    if (!get_uint(json_object_get(j, "version"), 1, 2, &e->version))
        return bad(why, why_size, "version must be the integer 1 or 2");
    if (e->version == 2 && !ev_has_exactly(j, keys2, 11))
        return bad(why, why_size, "a version 2 election has exactly version, vote_id, "
                                  "meeting_id, title, question, options, min, max, "
                                  "trustee_groups, public_key and electorate");
    static const char *const texts[] = {"vote_id", "meeting_id", "title", "question"};
    for (size_t i = 0; i < 4; i++) {
        if (!is_text(json_object_get(j, texts[i]), i >= 2))
            return ev_fail(OBR_EINVAL, why, why_size, "election: %s must be text", texts[i]);
    }
    e->vote_id = json_string_value(json_object_get(j, "vote_id"));
    size_t n = json_array_size(options);
    if (!json_is_array(options) || n < 1 || n > EVOTE_MAX_OPTIONS)
        return bad(why, why_size, "options must be 1 to 64 texts");
    for (size_t i = 0; i < n; i++) {
        if (!is_text(json_array_get(options, i), false))
            return bad(why, why_size, "options must be 1 to 64 texts");
    }
    e->n_options = (unsigned)n;
    if (!get_uint(json_object_get(j, "min"), 0, (json_int_t)n, &e->min) ||
        !get_uint(json_object_get(j, "max"), 1, (json_int_t)n, &e->max) || e->min > e->max)
        return bad(why, why_size, "need 0 <= min <= max <= number of options, max >= 1");
    if (ev_get_point(json_object_get(j, "public_key"), e->Y, false))
        return bad(why, why_size, "public_key is not a valid point");
    size_t len;
    char *cj = ev_cjson(j, NULL, &len);
    if (!cj)
        return bad(why, why_size, "has no canonical JSON form (a real number?)");
    crypto_hash_sha256(e->hash, (const unsigned char *)cj, len);
    free(cj);
    if (e->version == 2) {
        int rc = read_electorate(e, json_object_get(j, "electorate"), why, why_size);
        if (rc)
            return rc;
    }
    return read_groups(e, json_object_get(j, "trustee_groups"), why, why_size);
}

int evote_election_parse(const json_t *election, struct evote_election **out, char *why,
                         size_t why_size)
{
    *out = NULL;
    struct evote_election *e = calloc(1, sizeof *e);
    if (!e)
        return OBR_ENOMEM;
    e->json = json_incref((json_t *)election);
    int rc = parse(e, election, why, why_size);
    if (rc) {
        evote_election_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

void evote_election_hash(const struct evote_election *e, char out[EVOTE_HEX + 1])
{
    ev_hex(out, e->hash);
}

unsigned evote_election_options(const struct evote_election *e)
{
    return e->n_options;
}

unsigned evote_election_version(const struct evote_election *e)
{
    return e->version;
}

int evote_public_key(const json_t *trustee_groups, char out[EVOTE_HEX + 1])
{
    unsigned char Y[EV_B] = {0}, C[EV_B];
    size_t gi, mi;
    const json_t *g, *m;
    if (!json_is_array(trustee_groups))
        return OBR_EINVAL;
    json_array_foreach(trustee_groups, gi, g) {
        json_array_foreach(json_object_get(g, "members"), mi, m) {
            if (ev_get_point(json_array_get(json_object_get(m, "coefficients"), 0), C, false))
                return OBR_EINVAL;
            ev_add(Y, Y, C);
        }
    }
    if (ev_is_identity(Y))
        return OBR_EINVAL;
    ev_hex(out, Y);
    return 0;
}
