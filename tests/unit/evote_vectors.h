/* evote_vectors.h — the known-answer vectors of the evote scheme, computed
 * from fixed inputs. tests/vectors/gen_evote_vectors.c prints them into
 * tests/vectors/evote-v1.json; test_evote_vectors.c recomputes them and
 * compares, so the committed file can never drift from the code. */
#ifndef OBR_EVOTE_VECTORS_H
#define OBR_EVOTE_VECTORS_H

#include "evote_fixture.h"

static inline json_t *vec_canonical(void)
{
    static const char *const inputs[] = {
        "{\"b\":1,\"a\":[true,false,null,-7],\"A\":\"x\"}",
        "{\"s\":\"q\\\"b\\\\ \\n\\t\\r\\b\\f \\u0001\\u001f\\u007f / \\u00e9 \\u20ac \\ud83d\\ude00\"}",
        "{\"options\":[\"za\",\"przeciw\",\"wstrzymuj\\u0119 si\\u0119\"],\"min\":1,\"max\":1}",
    };
    json_t *out = json_array();
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        json_t *v = json_loads(inputs[i], 0, NULL);
        size_t len;
        char *c = ev_cjson(v, NULL, &len);
        unsigned char h[32];
        crypto_hash_sha256(h, (const unsigned char *)c, len);
        json_array_append_new(out, json_pack("{s:o,s:s,s:o}", "value", v, "canonical", c,
                                             "sha256", ev_hex_json(h)));
        free(c);
    }
    return out;
}

static inline json_t *vec_hs(void)
{
    json_t *out = json_array();
    unsigned char p[32], s[32], G[32];
    struct ev_hs h;
    ev_small(G, 1);
    ev_hs_init(&h, "obrady/v1/pok");
    ev_hs_str(&h, "v-1");
    ev_hs_str(&h, "członek-1");
    ev_hs_bytes(&h, G, 32);
    ev_hs_u64(&h, 42);
    ev_hs_final(&h, s);
    json_array_append_new(out, json_pack("{s:s,s:[{s:s},{s:s},{s:o},{s:i}],s:o}", "tag",
                                         "obrady/v1/pok", "items", "string", "v-1", "string",
                                         "członek-1", "hex", ev_hex_json(G), "u64", 42, "scalar",
                                         ev_hex_json(s)));
    ev_hs_init(&h, "");
    ev_hs_final(&h, p);
    json_array_append_new(out, json_pack("{s:s,s:[],s:o}", "tag", "", "items", "scalar",
                                         ev_hex_json(p)));
    json_array_append_new(out, json_pack("{s:s,s:o}", "generator_G", "1·G", "point",
                                         ev_hex_json(G)));
    return out;
}

/* One election with its ballots and complete board. */
static inline json_t *vec_election(const char *seed, const char *vote_id, unsigned n_options,
                                   unsigned min, unsigned max, unsigned n_groups,
                                   const unsigned *t, const unsigned *n,
                                   const unsigned char (*choices)[EVOTE_MAX_OPTIONS],
                                   size_t n_ballots, const bool (*present)[EVOTE_MAX_MEMBERS])
{
    struct fx_rng rs = {.is_fixed = true, .seed = seed};
    struct fx_election f;
    if (fx_election_new(&f, &rs, vote_id, n_options, min, max, n_groups, t, n))
        return NULL;
    json_t *ballots = json_array(), *list = json_array();
    for (size_t i = 0; i < n_ballots; i++) {
        json_t *inputs = NULL, *b = fx_ballot(&f, &rs, choices[i], &inputs);
        char tr[EVOTE_HEX + 1], sh[EVOTE_TRACKER_SHORT];
        evote_tracker(b, tr);
        evote_tracker_short(tr, sh);
        json_array_append_new(list, json_pack("{s:o,s:O,s:s,s:s}", "inputs", inputs, "ballot", b,
                                              "tracker", tr, "tracker_short", sh));
        json_array_append_new(ballots, json_deep_copy(b));
        json_decref(b);
    }
    json_t *dec_inputs = NULL;
    json_t *board = fx_board(&f, &rs, ballots, present, &dec_inputs);
    char eh[EVOTE_HEX + 1];
    evote_election_hash(f.e, eh);
    json_t *out = json_pack("{s:s,s:O,s:O,s:s,s:o,s:o,s:o}", "seed", seed, "trustee_inputs",
                            f.record, "election", f.json, "election_hash", eh, "ballots", list,
                            "decryption_inputs", dec_inputs, "board", board);
    fx_election_free(&f);
    return out;
}

static inline json_t *evote_vectors_make(void)
{
    static const unsigned tA[2] = {1, 2}, nA[2] = {1, 3}, tB[1] = {1}, nB[1] = {1};
    static const unsigned char cA[5][EVOTE_MAX_OPTIONS] = {
        {1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 0, 1}, {1, 0, 0}};
    static const unsigned char cB[3][EVOTE_MAX_OPTIONS] = {{1, 0, 1, 0}, {0, 0, 0, 0}, {0, 0, 1, 0}};
    static const bool pA[2][EVOTE_MAX_MEMBERS] = {{true}, {true, false, true}};
    json_t *a = vec_election("obrady/v1/test-vectors/A", "vote-A", 3, 1, 1, 2, tA, nA, cA, 5, pA);
    json_t *b = vec_election("obrady/v1/test-vectors/B", "vote-B", 4, 0, 2, 1, tB, nB, cB, 3, NULL);
    return json_pack("{s:s,s:s,s:o,s:o,s:[o,o]}", "spec",
                     "obrady verifiable secret votes v1 (docs/verifiable-voting.md)", "note",
                     "every scalar under *inputs is given; recompute and compare everything else",
                     "canonical_json", vec_canonical(), "hash_to_scalar", vec_hs(), "elections",
                     a, b);
}

#endif
