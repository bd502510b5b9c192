/* evote_fixture.h — builds complete secret-vote elections, ballots and boards
 * for the evote tests, the known-answer vector generator and the benchmark.
 * Scalars come either from libsodium's RNG or, for vectors, from a fixed
 * seed; in fixed mode every input is also recorded as JSON. Test-only code. */
#ifndef OBR_EVOTE_FIXTURE_H
#define OBR_EVOTE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/evote.h"
#include "crypto/evote_impl.h"

struct fx_rng {
    bool is_fixed;
    const char *seed;
    uint64_t counter;
};

/* A nonzero scalar: random, or reduce(SHA-512(seed || u64 counter)). */
static inline void fx_scalar(struct fx_rng *rs, unsigned char out[32])
{
    if (!rs->is_fixed) {
        crypto_core_ristretto255_scalar_random(out);
        return;
    }
    struct ev_hs h;
    ev_hs_init(&h, rs->seed);
    ev_hs_u64(&h, rs->counter++);
    ev_hs_final(&h, out);
}

struct fx_election {
    json_t *json;
    struct evote_election *e;
    unsigned n_groups, t[EVOTE_MAX_GROUPS], n[EVOTE_MAX_GROUPS];
    unsigned char x[EVOTE_MAX_GROUPS][EVOTE_MAX_MEMBERS][32]; /* x_j of member index j+1 */
    json_t *record; /* fixed mode: the trustees' inputs */
};

static inline json_t *fx_hexs(const unsigned char (*s)[32], size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, ev_hex_json(s[i]));
    return a;
}

/* An election with the given groups (t[g] of n[g]); dealer-less shares with
 * Feldman checks. 0 or -1. */
static inline int fx_election_new(struct fx_election *f, struct fx_rng *rs, const char *vote_id,
                                  unsigned n_options, unsigned min, unsigned max,
                                  unsigned n_groups, const unsigned *t, const unsigned *n)
{
    memset(f, 0, sizeof *f);
    f->n_groups = n_groups;
    f->record = json_array();
    json_t *groups = json_array(), *options = json_array();
    static const char *const names[] = {"za", "przeciw", "wstrzymuję się"};
    for (unsigned j = 0; j < n_options; j++) {
        char o[32];
        snprintf(o, sizeof o, "Kandydat %u", j + 1);
        json_array_append_new(options, json_string(n_options == 3 ? names[j] : o));
    }
    int rc = 0;
    for (unsigned g = 0; g < n_groups; g++) {
        f->t[g] = t[g];
        f->n[g] = n[g];
        struct evote_poly *polys = calloc(n[g], sizeof *polys);
        json_t *members = json_array();
        for (unsigned i = 0; i < n[g]; i++) {
            char id[32], name[48];
            unsigned char w[32];
            snprintf(id, sizeof id, "t%u-%u", g, i + 1);
            snprintf(name, sizeof name, g == 0 && n_groups > 1 ? "Serwer" : "Członek %u.%u", g,
                     i + 1);
            polys[i].threshold = t[g];
            for (unsigned k = 0; k < t[g]; k++)
                fx_scalar(rs, polys[i].a[k]);
            fx_scalar(rs, w);
            json_t *m = ev_member_public_with(&polys[i], vote_id, id, name, i + 1, w);
            json_array_append_new(members, m);
            if (rs->is_fixed)
                json_array_append_new(f->record,
                                      json_pack("{s:s,s:i,s:i,s:o,s:o}", "member_id", id,
                                                "group", g, "index", i + 1, "a",
                                                fx_hexs((const unsigned char(*)[32])polys[i].a,
                                                        t[g]),
                                                "w", ev_hex_json(w)));
        }
        for (unsigned j = 1; j <= n[g]; j++) {
            unsigned char share[32], *x = f->x[g][j - 1];
            memset(x, 0, 32);
            for (unsigned i = 0; i < n[g]; i++) {
                evote_poly_eval(&polys[i], j, share);
                if (evote_share_check(json_array_get(members, i), j, share))
                    rc = -1;
                evote_share_add(x, share);
            }
        }
        for (unsigned i = 0; i < n[g]; i++)
            evote_poly_wipe(&polys[i]);
        free(polys);
        json_array_append_new(groups, json_pack("{s:i,s:o}", "threshold", t[g], "members",
                                                members));
    }
    char Y[EVOTE_HEX + 1];
    if (evote_public_key(groups, Y))
        rc = -1;
    f->json = json_pack("{s:i,s:s,s:s,s:s,s:s,s:o,s:i,s:i,s:o,s:s}", "version", 1, "vote_id",
                        vote_id, "meeting_id", "m-test", "title", "Uchwała w sprawie testu",
                        "question", "Czy przyjąć uchwałę \"testową\"?\n(ą, ę, €)", "options",
                        options, "min", min, "max", max, "trustee_groups", groups, "public_key",
                        Y);
    char why[EVOTE_WHY_MAX];
    if (rc || evote_election_parse(f->json, &f->e, why, sizeof why)) {
        fprintf(stderr, "fixture election: %s\n", why);
        return -1;
    }
    return 0;
}

static inline void fx_election_free(struct fx_election *f)
{
    evote_election_free(f->e);
    json_decref(f->json);
    json_decref(f->record);
    sodium_memzero(f->x, sizeof f->x);
}

/* A ballot for choices v; in fixed mode *inputs receives every scalar used. */
static inline json_t *fx_ballot(struct fx_election *f, struct fx_rng *rs, const unsigned char *v,
                                json_t **inputs)
{
    const struct evote_election *e = f->e;
    unsigned char cred[32], r[EVOTE_MAX_OPTIONS][32], w[32];
    struct ev_nonces01 n01[EVOTE_MAX_OPTIONS];
    struct ev_chal_resp fake[EVOTE_MAX_OPTIONS + 1];
    fx_scalar(rs, cred); /* any 32 bytes; a scalar is as good */
    for (unsigned j = 0; j < e->n_options; j++) {
        fx_scalar(rs, r[j]);
        fx_scalar(rs, n01[j].w);
        fx_scalar(rs, n01[j].c_fake);
        fx_scalar(rs, n01[j].s_fake);
    }
    fx_scalar(rs, w);
    unsigned m = 0;
    for (unsigned j = 0; j < e->n_options; j++)
        m += v[j];
    for (unsigned i = 0; i <= e->max - e->min; i++) {
        if (e->min + i == m) {
            memset(&fake[i], 0, sizeof fake[i]);
            continue;
        }
        fx_scalar(rs, fake[i].c);
        fx_scalar(rs, fake[i].s);
    }
    if (inputs) {
        json_t *ch = json_array(), *sf = json_array();
        for (unsigned j = 0; j < e->n_options; j++)
            json_array_append_new(ch, json_pack("{s:i,s:o,s:o,s:o,s:o}", "v", v[j], "r",
                                                ev_hex_json(r[j]), "w", ev_hex_json(n01[j].w),
                                                "c_fake", ev_hex_json(n01[j].c_fake), "s_fake",
                                                ev_hex_json(n01[j].s_fake)));
        for (unsigned i = 0; i <= e->max - e->min; i++)
            json_array_append_new(sf, e->min + i == m ? json_null()
                                                      : json_pack("{s:o,s:o}", "c",
                                                                  ev_hex_json(fake[i].c), "s",
                                                                  ev_hex_json(fake[i].s)));
        *inputs = json_pack("{s:o,s:o,s:o,s:o}", "credential", ev_hex_json(cred), "choices", ch,
                            "sum_w", ev_hex_json(w), "sum_fake", sf);
    }
    return ev_ballot_encrypt_with(e, v, cred, (const unsigned char(*)[32])r, n01, w, fake, NULL);
}

/* Random choices within the election's bounds. */
static inline void fx_random_choices(const struct evote_election *e, unsigned char *v)
{
    unsigned n = e->n_options;
    unsigned m = e->min + randombytes_uniform(e->max - e->min + 1);
    memset(v, 0, n);
    for (unsigned k = 0; k < m;) {
        unsigned j = randombytes_uniform(n);
        if (!v[j]) {
            v[j] = 1;
            k++;
        }
    }
}

static int fx_tracker_cmp(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "tracker")),
                  json_string_value(json_object_get(*(json_t *const *)b, "tracker")));
}

/* A complete board. Takes ownership of ballots (an array without trackers).
 * present[g][i] says whether member index i+1 of group g decrypts; NULL:
 * everyone. In fixed mode the DLEQ nonces come from rs and go to *inputs. */
static inline json_t *fx_board(struct fx_election *f, struct fx_rng *rs, json_t *ballots,
                               const bool (*present)[EVOTE_MAX_MEMBERS], json_t **inputs)
{
    const struct evote_election *e = f->e;
    size_t n = json_array_size(ballots);
    json_t **sorted = malloc((n ? n : 1) * sizeof *sorted);
    for (size_t i = 0; i < n; i++) {
        char t[EVOTE_HEX + 1];
        json_t *b = json_array_get(ballots, i);
        evote_tracker(b, t);
        json_object_set_new(b, "tracker", json_string(t));
        sorted[i] = json_incref(b);
    }
    qsort(sorted, n, sizeof *sorted, fx_tracker_cmp);
    json_t *sballots = json_array(), *voters = json_array();
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "Wyborca %05zu", i);
        json_array_append_new(sballots, sorted[i]);
        json_array_append_new(voters, json_pack("{s:s}", "name", name));
    }
    free(sorted);
    json_t *agg = evote_aggregate(e, ballots);
    json_decref(ballots);
    json_t *decs = json_array(), *rec = json_array();
    char why[EVOTE_WHY_MAX];
    for (unsigned g = 0; g < f->n_groups; g++) {
        for (unsigned i = 0; i < f->n[g]; i++) {
            if (present && !present[g][i])
                continue;
            unsigned char w[EVOTE_MAX_OPTIONS][32];
            for (unsigned j = 0; j < e->n_options; j++)
                fx_scalar(rs, w[j]);
            json_array_append_new(decs, ev_partial_decrypt_with(e, g, i + 1, f->x[g][i], agg,
                                                                (const unsigned char(*)[32])w,
                                                                why, sizeof why));
            json_array_append_new(rec, json_pack("{s:i,s:i,s:o}", "group", g, "index", i + 1,
                                                 "w", fx_hexs((const unsigned char(*)[32])w,
                                                              e->n_options)));
        }
    }
    json_t *result = NULL;
    if (evote_tally(e, agg, decs, n, &result, why, sizeof why))
        fprintf(stderr, "fixture tally: %s\n", why);
    char eh[EVOTE_HEX + 1];
    evote_election_hash(e, eh);
    if (inputs)
        *inputs = rec;
    else
        json_decref(rec);
    return json_pack("{s:O,s:s,s:o,s:o,s:I,s:o,s:o,s:o,s:s}", "election", f->json,
                     "election_hash", eh, "ballots", sballots, "voters", voters,
                     "eligible_count", (json_int_t)(n + 2), "aggregate", agg, "decryptions",
                     decs, "result", result ? result : json_null(), "log_head",
                     "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
}

#endif
