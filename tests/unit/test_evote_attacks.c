/* test_evote_attacks.c — the attacks of issue 15, each shown twice: a
 * version 1 board carrying it verifies (what a hostile server could do
 * before), and the version 2 board carrying it (from the conformance suite,
 * tests/vectors/evote-v2-suite.json) is refused, naming the item. */
#include "testutil.h"

#include "evote_fixture.h"
#include "ops/verify_log.h"

#define SUITE "tests/vectors/evote-v2-suite.json"

static json_t *suite_case(const char *name)
{
    static json_t *suite;
    if (!suite)
        suite = json_load_file(SUITE, JSON_REJECT_DUPLICATES, NULL);
    assert_non_null(suite);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(suite, "cases"), i, c) {
        if (!strcmp(json_string_value(json_object_get(c, "name")), name))
            return c;
    }
    fail_msg("no case %s in %s", name, SUITE);
    return NULL;
}

/* The v2 board of a suite case fails (alone, or against its log) naming `word`. */
static void v2_refuses(const char *name, bool with_log, const char *word)
{
    json_t *c = suite_case(name);
    struct evote_board_summary s;
    char why[EVOTE_WHY_MAX] = "";
    int rc = evote_board_verify(json_object_get(c, "board"), 2, &s, why, sizeof why);
    if (with_log) {
        assert_int_equal(rc, 0); /* alone it verifies: only the log tells */
        rc = verify_log_board(json_object_get(c, "log"), json_object_get(c, "board"), &s, why,
                              sizeof why);
    }
    assert_int_not_equal(rc, 0);
    if (!strstr(why, word))
        fail_msg("%s: \"%s\" does not name \"%s\"", name, why, word);
}

/* A valid v1 board: 1-of-1 server, 3 options, 4 ballots. */
static json_t *v1_board(struct fx_election *f)
{
    static const unsigned t[] = {1}, n[] = {1};
    struct fx_rng rs = {0};
    assert_int_equal(fx_election_new(f, &rs, "v-attack", 3, 1, 1, 1, t, n), 0);
    json_t *ballots = json_array();
    for (unsigned k = 0; k < 4; k++) {
        unsigned char v[3] = {0};
        v[k % 3] = 1;
        json_array_append_new(ballots, evote_ballot_encrypt(f->e, v, NULL));
    }
    return fx_board(f, &rs, ballots, NULL, NULL);
}

static int v1_verify(json_t *b)
{
    struct evote_board_summary s;
    char why[EVOTE_WHY_MAX];
    return evote_board_verify(b, 2, &s, why, sizeof why);
}

static void test_stuffed_ballot(void **state)
{
    struct fx_election f;
    json_t *b = v1_board(&f);
    /* v1: anyone can make a ballot; add it with a repeated voter name and a
     * bigger eligible_count, re-sort by tracker: it verifies. */
    unsigned char v[3] = {1, 0, 0};
    json_t *extra = evote_ballot_encrypt(f.e, v, NULL);
    char t[EVOTE_HEX + 1];
    evote_tracker(extra, t);
    json_object_set_new(extra, "tracker", json_string(t));
    json_t *ballots = json_object_get(b, "ballots");
    size_t at = 0;
    while (at < json_array_size(ballots) &&
           strcmp(json_string_value(json_object_get(json_array_get(ballots, at), "tracker")), t) < 0)
        at++;
    json_array_insert_new(ballots, at, extra);
    json_array_append_new(json_object_get(b, "voters"), json_pack("{s:s}", "name", "Wyborca 00000"));
    json_object_set_new(b, "eligible_count", json_integer(100000));
    json_object_set_new(b, "aggregate", evote_aggregate(f.e, ballots));
    json_object_set_new(b, "decryptions", json_array());
    json_object_set_new(b, "result", json_null());
    assert_int_equal(v1_verify(b), 0);
    json_decref(b);
    fx_election_free(&f);
    v2_refuses("stuffed-unknown-key", false, "not in the electorate");
    v2_refuses("repeated-name", false, "electorate");
    v2_refuses("excluded-member", false, "not in the electorate");
}

static void test_dropped_ballot(void **state)
{
    struct fx_election f;
    json_t *b = v1_board(&f);
    json_array_remove(json_object_get(b, "ballots"), 1);
    json_array_remove(json_object_get(b, "voters"), 1);
    json_object_set_new(b, "aggregate", evote_aggregate(f.e, json_object_get(b, "ballots")));
    json_object_set_new(b, "decryptions", json_array());
    json_object_set_new(b, "result", json_null());
    assert_int_equal(v1_verify(b), 0);
    json_decref(b);
    fx_election_free(&f);
    v2_refuses("dropped-ballot", true, "4 ballots");
}

static void test_permuted_options_with_recomputed_tracker(void **state)
{
    struct fx_election f;
    json_t *b = v1_board(&f);
    json_t *ballots = json_object_get(b, "ballots");
    json_t *ch = json_object_get(json_array_get(ballots, 0), "choices");
    json_t *o0 = json_incref(json_array_get(ch, 0));
    json_array_set(ch, 0, json_array_get(ch, 2));
    json_array_set_new(ch, 2, o0);
    json_t *sorted = json_array();
    for (size_t i = 0; i < json_array_size(ballots); i++)
        json_array_append(sorted, json_array_get(ballots, i));
    for (size_t i = 0; i < json_array_size(sorted); i++) {
        char t[EVOTE_HEX + 1];
        json_t *x = json_array_get(sorted, i);
        json_object_del(x, "tracker");
        evote_tracker(x, t);
        json_object_set_new(x, "tracker", json_string(t));
    }
    json_t *agg = evote_aggregate(f.e, sorted);
    json_object_set_new(b, "aggregate", agg);
    json_object_set_new(b, "decryptions", json_array());
    json_object_set_new(b, "result", json_null());
    /* v1 needs the trackers sorted: sort by hand */
    size_t n = json_array_size(sorted);
    json_t **v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(sorted, i));
    qsort(v, n, sizeof *v, fx_tracker_cmp);
    json_array_clear(ballots);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ballots, v[i]);
    free(v);
    json_decref(sorted);
    assert_int_equal(v1_verify(b), 0); /* the proofs did not bind the option */
    json_decref(b);
    fx_election_free(&f);
    v2_refuses("permuted-options", false, "option 0");
}

static void test_log_head_not_matching_the_log(void **state)
{
    struct fx_election f;
    json_t *b = v1_board(&f);
    json_object_set_new(b, "log_head", json_string("0000000000000000000000000000000000000000000000000000000000000000"));
    assert_int_equal(v1_verify(b), 0); /* v1 checked the form only */
    json_decref(b);
    fx_election_free(&f);
    v2_refuses("log-head-mismatch", true, "log_head");
}

static void test_two_signed_boards_for_one_vote(void **state)
{
    /* v1 boards carry no signature: two different ones prove nothing. In v2
     * both copies carry the installation's signature (each verifies alone,
     * so the two signed copies are the proof), and the log names only one. */
    json_t *one = suite_case("equivocation-logged"), *two = suite_case("equivocation-other");
    struct evote_board_summary s1, s2;
    char why[EVOTE_WHY_MAX];
    assert_int_equal(evote_board_verify(json_object_get(one, "board"), 2, &s1, why, sizeof why), 0);
    assert_int_equal(evote_board_verify(json_object_get(two, "board"), 2, &s2, why, sizeof why), 0);
    assert_string_equal(s1.sign_key, s2.sign_key);
    assert_int_equal(s1.log_seq, s2.log_seq);
    assert_string_equal(s1.log_head, s2.log_head);
    assert_string_not_equal(s1.board_hash, s2.board_hash);
    v2_refuses("equivocation-other", true, "vote.board");
}

static void test_ballot_replayed_from_another_vote(void **state)
{
    v2_refuses("replayed-from-another-vote", false, "option 0");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stuffed_ballot),
        cmocka_unit_test(test_dropped_ballot),
        cmocka_unit_test(test_permuted_options_with_recomputed_tracker),
        cmocka_unit_test(test_log_head_not_matching_the_log),
        cmocka_unit_test(test_two_signed_boards_for_one_vote),
        cmocka_unit_test(test_ballot_replayed_from_another_vote),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
