/* test_evote_ballot.c — property tests of single ballots: random elections
 * (1..6 options, random bounds) with random choices always verify and tally
 * right; changing any byte of a ballot or of one of its proofs makes it fail;
 * malformed, non-canonical, replayed and out-of-bounds ballots are refused. */
#include "testutil.h"

#include "evote_fixture.h"
#include "util/err.h"

static const unsigned T1[1] = {1}, N1[1] = {1};

static void random_election(struct fx_election *f, struct fx_rng *rs, unsigned n)
{
    unsigned max = 1 + randombytes_uniform(n);
    unsigned min = randombytes_uniform(max + 1);
    static const unsigned t2[2] = {1, 2}, n2[2] = {1, 3};
    bool is_committee = randombytes_uniform(2);
    assert_int_equal(fx_election_new(f, rs, "v-prop", n, min, max, is_committee ? 2 : 1,
                                     is_committee ? t2 : T1, is_committee ? n2 : N1),
                     0);
}

static void expect_refused(const struct evote_election *e, const char *text, const char *where)
{
    json_t *b = json_loads(text, 0, NULL);
    if (!b)
        return; /* no longer JSON: refused before any crypto */
    char why[EVOTE_WHY_MAX];
    if (evote_ballot_verify(e, b, why, sizeof why) == 0)
        fail_msg("a ballot changed at %s still verifies", where);
    json_decref(b);
}

/* Changes byte i of the compact JSON text to another character. */
static void mutate_at(const struct evote_election *e, const char *text, size_t i)
{
    char *m = strdup(text), where[32];
    char c = m[i];
    m[i] = (c >= '0' && c <= '8') || (c >= 'a' && c <= 'e') ? c + 1 : c == '9' ? 'a' : c == 'f' ? '0' : 'x';
    snprintf(where, sizeof where, "byte %zu", i);
    expect_refused(e, m, where);
    free(m);
}

static void test_random_elections_verify_and_tally(void **state)
{
    for (unsigned round = 0; round < 12; round++) {
        struct fx_rng rs = {0};
        struct fx_election f;
        random_election(&f, &rs, 1 + round % 6);
        const struct evote_election *e = f.e;
        json_int_t want[EVOTE_MAX_OPTIONS] = {0};
        json_t *ballots = json_array();
        unsigned nb = 1 + randombytes_uniform(5);
        for (unsigned i = 0; i < nb; i++) {
            unsigned char v[EVOTE_MAX_OPTIONS];
            fx_random_choices(e, v);
            json_t *b = evote_ballot_encrypt(e, v, NULL);
            char why[EVOTE_WHY_MAX] = "";
            if (evote_ballot_verify(e, b, why, sizeof why))
                fail_msg("round %u ballot %u: %s", round, i, why);
            for (unsigned j = 0; j < e->n_options; j++)
                want[j] += v[j];
            json_array_append_new(ballots, b);
        }
        json_t *board = fx_board(&f, &rs, ballots, NULL, NULL);
        const json_t *res = json_object_get(board, "result");
        for (unsigned j = 0; j < e->n_options; j++)
            assert_int_equal(json_integer_value(json_array_get(res, j)), want[j]);
        struct evote_board_summary s;
        char why[EVOTE_WHY_MAX] = "";
        if (evote_board_verify(board, 2, &s, why, sizeof why))
            fail_msg("round %u: %s", round, why);
        json_decref(board);
        fx_election_free(&f);
    }
}

/* Every byte of a whole ballot (1 option, 0..1 chosen), one at a time. */
static void test_changing_any_byte_of_a_ballot_fails(void **state)
{
    struct fx_rng rs = {0};
    struct fx_election f;
    assert_int_equal(fx_election_new(&f, &rs, "v-bytes", 1, 0, 1, 1, T1, N1), 0);
    unsigned char v[1] = {1};
    json_t *b = evote_ballot_encrypt(f.e, v, NULL);
    char *text = json_dumps(b, JSON_COMPACT);
    for (size_t i = 0; text[i]; i++)
        mutate_at(f.e, text, i);
    free(text);
    json_decref(b);
    fx_election_free(&f);
}

/* Random elections: a sample of bytes inside every hex field of the ballot. */
static void test_changing_bytes_of_random_ballots_fails(void **state)
{
    for (unsigned round = 0; round < 6; round++) {
        struct fx_rng rs = {0};
        struct fx_election f;
        random_election(&f, &rs, 1 + round);
        unsigned char v[EVOTE_MAX_OPTIONS];
        fx_random_choices(f.e, v);
        json_t *b = evote_ballot_encrypt(f.e, v, NULL);
        char *text = json_dumps(b, JSON_COMPACT);
        size_t len = strlen(text);
        for (unsigned k = 0; k < 40; k++)
            mutate_at(f.e, text, randombytes_uniform((uint32_t)len));
        /* and each hex field at one random position */
        for (char *p = strchr(text, '"'); p; p = strchr(p + 1, '"')) {
            if (strspn(p + 1, "0123456789abcdef") == EVOTE_HEX)
                mutate_at(f.e, text, (size_t)(p + 1 - text) + randombytes_uniform(EVOTE_HEX));
        }
        free(text);
        json_decref(b);
        fx_election_free(&f);
    }
}

static void test_malformed_and_malleated_ballots_are_refused(void **state)
{
    struct fx_rng rs = {0};
    struct fx_election f, other;
    assert_int_equal(fx_election_new(&f, &rs, "v-mal", 3, 1, 1, 1, T1, N1), 0);
    assert_int_equal(fx_election_new(&other, &rs, "v-other", 3, 1, 1, 1, T1, N1), 0);
    unsigned char v[3] = {0, 1, 0}, bad[3] = {1, 1, 0}, none[3] = {0};
    assert_null(evote_ballot_encrypt(f.e, bad, NULL));
    assert_null(evote_ballot_encrypt(f.e, none, NULL));
    json_t *b = evote_ballot_encrypt(f.e, v, NULL);
    char why[EVOTE_WHY_MAX];
    assert_int_equal(evote_ballot_verify(f.e, b, why, sizeof why), 0);
    /* bound to its election */
    assert_int_equal(evote_ballot_verify(other.e, b, why, sizeof why), OBR_ECORRUPT);
    /* bound to its credential: a replay under a new credential fails */
    json_t *c = json_deep_copy(b);
    json_object_set_new(c, "credential", json_string(
        "1111111111111111111111111111111111111111111111111111111111111111"));
    assert_int_equal(evote_ballot_verify(f.e, c, why, sizeof why), OBR_ECORRUPT);
    json_decref(c);
    /* extra members, a missing proof, a wrong tracker */
    c = json_deep_copy(b);
    json_object_set_new(c, "note", json_string("x"));
    assert_int_equal(evote_ballot_verify(f.e, c, why, sizeof why), OBR_EINVAL);
    json_object_del(c, "note");
    json_object_set_new(c, "tracker", json_string("00"));
    assert_int_not_equal(evote_ballot_verify(f.e, c, why, sizeof why), 0);
    char t[EVOTE_HEX + 1];
    assert_int_equal(evote_tracker(c, t), 0);
    json_object_set_new(c, "tracker", json_string(t));
    assert_int_equal(evote_ballot_verify(f.e, c, why, sizeof why), 0);
    json_object_del(json_array_get(json_object_get(c, "choices"), 1), "proof");
    assert_int_equal(evote_ballot_verify(f.e, c, why, sizeof why), OBR_EINVAL);
    json_decref(c);
    /* a response plus l is the same number mod l but not canonical */
    c = json_deep_copy(b);
    json_t *resp = json_object_get(json_object_get(c, "sum_proof"), "responses");
    unsigned char s[32];
    assert_int_equal(ev_get_scalar(json_array_get(resp, 0), s), 0);
    static const unsigned char L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                        0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                        [31] = 0x10};
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned x = s[i] + L[i] + carry;
        s[i] = (unsigned char)x;
        carry = x >> 8;
    }
    char h[EVOTE_HEX + 1];
    sodium_bin2hex(h, sizeof h, s, 32);
    json_array_set_new(resp, 0, json_string(h));
    assert_int_equal(evote_ballot_verify(f.e, c, why, sizeof why), OBR_EINVAL);
    assert_non_null(strstr(why, "canonical"));
    json_decref(c);
    /* the identity as a ciphertext component */
    c = json_deep_copy(b);
    json_object_set_new(json_array_get(json_object_get(c, "choices"), 0), "alpha", json_string(
        "0000000000000000000000000000000000000000000000000000000000000000"));
    assert_int_equal(evote_ballot_verify(f.e, c, why, sizeof why), OBR_EINVAL);
    json_decref(c);
    json_decref(b);
    fx_election_free(&other);
    fx_election_free(&f);
}

static void test_tracker_is_hash_of_canonical_ballot(void **state)
{
    json_t *b = json_loads("{\"sum_proof\":{\"responses\":[],\"challenges\":[]},"
                           "\"credential\":\"ab\",\"choices\":[],\"tracker\":\"x\"}", 0, NULL);
    char t[EVOTE_HEX + 1], s[EVOTE_TRACKER_SHORT];
    assert_int_equal(evote_tracker(b, t), 0);
    const char *cj = "{\"choices\":[],\"credential\":\"ab\",\"sum_proof\":{\"challenges\":[],"
                     "\"responses\":[]}}";
    unsigned char h[32];
    char want[EVOTE_HEX + 1];
    crypto_hash_sha256(h, (const unsigned char *)cj, strlen(cj));
    sodium_bin2hex(want, sizeof want, h, 32);
    assert_string_equal(t, want);
    evote_tracker_short("3fa291bc0d7e55", s);
    assert_string_equal(s, "3fa2-91bc-0d7e");
    json_decref(b);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_elections_verify_and_tally),
        cmocka_unit_test(test_changing_any_byte_of_a_ballot_fails),
        cmocka_unit_test(test_changing_bytes_of_random_ballots_fails),
        cmocka_unit_test(test_malformed_and_malleated_ballots_are_refused),
        cmocka_unit_test(test_tracker_is_hash_of_canonical_ballot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
