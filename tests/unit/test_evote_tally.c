/* test_evote_tally.c — trustees, tally and whole boards: threshold 2 of 3 with
 * an absent member, zero-vote options, empty boards, the server-only trustee,
 * refused decryptions, and the exact reason a tampered board fails. */
#include "testutil.h"

#include "evote_fixture.h"
#include "util/err.h"

static const unsigned T_SC[2] = {1, 2}, N_SC[2] = {1, 3};

static json_t *ballots_for(struct fx_election *f, struct fx_rng *rs, const unsigned *choice,
                           size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        unsigned char v[EVOTE_MAX_OPTIONS] = {0};
        v[choice[i]] = 1;
        json_array_append_new(a, fx_ballot(f, rs, v, NULL));
    }
    return a;
}

static void assert_result(const json_t *board, const json_int_t *want, size_t n)
{
    const json_t *res = json_object_get(board, "result");
    assert_int_equal(json_array_size(res), n);
    for (size_t j = 0; j < n; j++)
        assert_int_equal(json_integer_value(json_array_get(res, j)), want[j]);
}

/* Sorts a board's ballots by tracker again after one was changed. */
static void resort(json_t *ballots)
{
    size_t n = json_array_size(ballots);
    json_t **v = malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(ballots, i));
    qsort(v, n, sizeof *v, fx_tracker_cmp);
    json_array_clear(ballots);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ballots, v[i]);
    free(v);
}

static void assert_board_fails(const json_t *board, const char *needle)
{
    struct evote_board_summary s;
    char why[EVOTE_WHY_MAX] = "";
    assert_int_not_equal(evote_board_verify(board, 2, &s, why, sizeof why), 0);
    if (!strstr(why, needle))
        fail_msg("reason '%s' lacks '%s'", why, needle);
}

static void test_two_of_three_with_absent_member_counts_right(void **state)
{
    struct fx_rng rs = {0};
    struct fx_election f;
    assert_int_equal(fx_election_new(&f, &rs, "v-2of3", 3, 1, 1, 2, T_SC, N_SC), 0);
    static const unsigned choice[] = {0, 0, 1, 0, 2, 1, 0};
    bool present[2][EVOTE_MAX_MEMBERS] = {{true}, {true, false, true}};
    json_t *board = fx_board(&f, &rs, ballots_for(&f, &rs, choice, 7),
                             (const bool(*)[EVOTE_MAX_MEMBERS])present, NULL);
    static const json_int_t want[] = {4, 2, 1};
    assert_result(board, want, 3);
    struct evote_board_summary s;
    char why[EVOTE_WHY_MAX] = "";
    if (evote_board_verify(board, 2, &s, why, sizeof why))
        fail_msg("%s", why);
    assert_true(s.is_tallied);
    assert_int_equal(s.n_ballots, 7);
    assert_int_equal(json_array_size(json_object_get(board, "decryptions")), 3);
    json_decref(board);
    fx_election_free(&f);
}

static void test_zero_vote_option_and_empty_board_decrypt_to_zero(void **state)
{
    struct fx_rng rs = {0};
    struct fx_election f;
    assert_int_equal(fx_election_new(&f, &rs, "v-zero", 3, 1, 1, 2, T_SC, N_SC), 0);
    static const unsigned choice[] = {0, 0, 2};
    json_t *board = fx_board(&f, &rs, ballots_for(&f, &rs, choice, 3), NULL, NULL);
    static const json_int_t want[] = {2, 0, 1};
    assert_result(board, want, 3);
    json_decref(board);
    board = fx_board(&f, &rs, json_array(), NULL, NULL);
    static const json_int_t zero[] = {0, 0, 0};
    assert_result(board, zero, 3);
    struct evote_board_summary s;
    char why[EVOTE_WHY_MAX] = "";
    if (evote_board_verify(board, 0, &s, why, sizeof why))
        fail_msg("%s", why);
    json_decref(board);
    fx_election_free(&f);
}

static void test_below_threshold_gives_no_result(void **state)
{
    struct fx_rng rs = {0};
    struct fx_election f;
    assert_int_equal(fx_election_new(&f, &rs, "v-thr", 3, 1, 1, 2, T_SC, N_SC), 0);
    static const unsigned choice[] = {1, 2};
    json_t *ballots = ballots_for(&f, &rs, choice, 2);
    json_t *agg = evote_aggregate(f.e, ballots);
    char why[EVOTE_WHY_MAX];
    json_t *decs = json_array(), *res = NULL;
    json_array_append_new(decs, evote_partial_decrypt(f.e, 0, 1, f.x[0][0], agg, why, sizeof why));
    json_array_append_new(decs, evote_partial_decrypt(f.e, 1, 2, f.x[1][1], agg, why, sizeof why));
    assert_int_not_equal(evote_tally(f.e, agg, decs, 2, &res, why, sizeof why), 0);
    assert_non_null(strstr(why, "threshold is 2"));
    assert_null(res);
    json_array_append_new(decs, evote_partial_decrypt(f.e, 1, 3, f.x[1][2], agg, why, sizeof why));
    assert_int_equal(evote_tally(f.e, agg, decs, 2, &res, why, sizeof why), 0);
    assert_int_equal(json_integer_value(json_array_get(res, 1)), 1);
    json_decref(res);
    /* the same member twice does not count twice */
    json_array_append(decs, json_array_get(decs, 2));
    assert_int_not_equal(evote_tally(f.e, agg, decs, 2, &res, why, sizeof why), 0);
    assert_non_null(strstr(why, "twice"));
    json_decref(decs);
    json_decref(agg);
    json_decref(ballots);
    fx_election_free(&f);
}

static void test_wrong_secret_cannot_decrypt(void **state)
{
    struct fx_rng rs = {0};
    struct fx_election f;
    assert_int_equal(fx_election_new(&f, &rs, "v-sec", 2, 1, 1, 2, T_SC, N_SC), 0);
    json_t *none = json_array(), *agg = evote_aggregate(f.e, none);
    json_decref(none);
    char why[EVOTE_WHY_MAX];
    assert_null(evote_partial_decrypt(f.e, 1, 1, f.x[1][1], agg, why, sizeof why));
    assert_null(evote_partial_decrypt(f.e, 1, 4, f.x[1][1], agg, why, sizeof why));
    json_decref(agg);
    fx_election_free(&f);
}

static void test_server_trustee_round_trip(void **state)
{
    char hex[EVOTE_HEX + 1], why[EVOTE_WHY_MAX] = "", Y[EVOTE_HEX + 1];
    unsigned char x[32];
    json_t *group = evote_server_trustee_new("v-srv", "server", "Serwer", hex);
    assert_non_null(group);
    assert_int_equal(evote_secret_from_hex(hex, x), 0);
    assert_int_not_equal(evote_secret_from_hex("00", x), 0);
    json_t *groups = json_pack("[O]", group);
    assert_int_equal(evote_public_key(groups, Y), 0);
    json_t *el = json_pack("{s:i,s:s,s:s,s:s,s:s,s:[s,s],s:i,s:i,s:o,s:s}", "version", 1,
                           "vote_id", "v-srv", "meeting_id", "m", "title", "t", "question", "q",
                           "options", "tak", "nie", "min", 1, "max", 1, "trustee_groups", groups,
                           "public_key", Y);
    struct evote_election *e;
    if (evote_election_parse(el, &e, why, sizeof why))
        fail_msg("%s", why);
    json_t *ballots = json_array();
    unsigned char v[2] = {0, 1};
    json_array_append_new(ballots, evote_ballot_encrypt(e, v, NULL));
    assert_int_equal(evote_ballot_verify(e, json_array_get(ballots, 0), why, sizeof why), 0);
    json_t *agg = evote_aggregate(e, ballots);
    json_t *decs = json_pack("[o]", evote_partial_decrypt(e, 0, 1, x, agg, why, sizeof why));
    assert_int_equal(evote_decryption_verify(e, agg, json_array_get(decs, 0), why, sizeof why), 0);
    json_t *res = NULL;
    assert_int_equal(evote_tally(e, agg, decs, 1, &res, why, sizeof why), 0);
    assert_int_equal(json_integer_value(json_array_get(res, 0)), 0);
    assert_int_equal(json_integer_value(json_array_get(res, 1)), 1);
    sodium_memzero(x, sizeof x);
    json_decref(res);
    json_decref(decs);
    json_decref(agg);
    json_decref(ballots);
    evote_election_free(e);
    json_decref(el);
    json_decref(group);
}

static void test_member_check_accepts_own_key_refuses_others(void **state)
{
    struct evote_poly p;
    char why[EVOTE_WHY_MAX];
    assert_int_equal(evote_poly_new(&p, 2), 0);
    json_t *m = evote_member_public(&p, "v-m", "alice", "Alicja", 2);
    assert_int_equal(evote_member_check(m, "v-m", 2, 3, why, sizeof why), 0);
    assert_int_equal(evote_member_check(m, "v-other", 2, 3, why, sizeof why), OBR_ECORRUPT);
    assert_int_equal(evote_member_check(m, "v-m", 3, 3, why, sizeof why), OBR_EINVAL);
    assert_int_equal(evote_member_check(m, "v-m", 1, 1, why, sizeof why), OBR_EINVAL);
    json_object_set_new(m, "id", json_string("mallory"));
    assert_int_equal(evote_member_check(m, "v-m", 2, 3, why, sizeof why), OBR_ECORRUPT);
    unsigned char share[32];
    json_object_set_new(m, "id", json_string("alice"));
    evote_poly_eval(&p, 3, share);
    assert_int_equal(evote_share_check(m, 3, share), 0);
    assert_int_equal(evote_share_check(m, 2, share), OBR_ECORRUPT);
    evote_poly_wipe(&p);
    json_decref(m);
}

/* Each tampering is refused and the reason names the item and the check. */
static void test_tampered_boards_fail_with_exact_reason(void **state)
{
    struct fx_rng rs = {0};
    struct fx_election f;
    assert_int_equal(fx_election_new(&f, &rs, "v-tamper", 3, 1, 1, 2, T_SC, N_SC), 0);
    static const unsigned choice[] = {0, 1, 2, 0};
    json_t *board = fx_board(&f, &rs, ballots_for(&f, &rs, choice, 4), NULL, NULL);
    json_t *b;
    char hex[EVOTE_HEX + 1];

    b = json_deep_copy(board); /* wrong result */
    json_array_set_new(json_object_get(b, "result"), 0, json_integer(3));
    assert_board_fails(b, "result");
    json_decref(b);

    b = json_deep_copy(board); /* a ballot's 0/1 proof: option 2 of ballot 1 */
    json_t *bal = json_array_get(json_object_get(b, "ballots"), 1);
    json_t *pr = json_object_get(json_array_get(json_object_get(bal, "choices"), 2), "proof");
    json_t *resp = json_object_get(pr, "responses");
    unsigned char s[32];
    ev_get_scalar(json_array_get(resp, 0), s);
    s[0] ^= 1;
    s[31] &= 0x0f;
    json_array_set_new(resp, 0, ev_hex_json(s));
    evote_tracker(bal, hex);
    json_object_set_new(bal, "tracker", json_string(hex));
    resort(json_object_get(b, "ballots"));
    char needle[EVOTE_WHY_MAX];
    snprintf(needle, sizeof needle, "(tracker %s): option 2: the 0/1 proof fails", hex);
    assert_board_fails(b, needle);
    json_decref(b);

    b = json_deep_copy(board); /* tracker altered */
    bal = json_array_get(json_object_get(b, "ballots"), 2);
    json_object_set_new(bal, "credential", json_string(
        "0000000000000000000000000000000000000000000000000000000000000001"));
    assert_board_fails(b, "ballot 2 (tracker ");
    json_decref(b);

    b = json_deep_copy(board); /* a ballot dropped */
    json_array_remove(json_object_get(b, "ballots"), 0);
    assert_board_fails(b, "voters");
    json_array_remove(json_object_get(b, "voters"), 0);
    assert_board_fails(b, "aggregate: option");
    json_decref(b);

    b = json_deep_copy(board); /* a ballot repeated */
    json_array_insert(json_object_get(b, "ballots"), 1,
                      json_array_get(json_object_get(b, "ballots"), 1));
    assert_board_fails(b, "tracker repeats");
    json_decref(b);

    b = json_deep_copy(board); /* a decryption factor of trustee t1-3 */
    json_t *dec = json_array_get(json_object_get(b, "decryptions"), 3);
    json_array_set(json_object_get(dec, "factors"), 1,
                   json_array_get(json_object_get(dec, "factors"), 0));
    assert_board_fails(b, "trustee t1-3 (group 1, index 3): option 1: the decryption proof");
    json_decref(b);

    b = json_deep_copy(board); /* the election's wording changed after the fact */
    json_object_set_new(json_object_get(b, "election"), "title", json_string("Inna uchwała"));
    assert_board_fails(b, "election_hash");
    json_decref(b);

    b = json_deep_copy(board); /* eligible count below the number of ballots */
    json_object_set_new(b, "eligible_count", json_integer(3));
    assert_board_fails(b, "eligible");
    json_decref(b);

    json_decref(board);
    fx_election_free(&f);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_of_three_with_absent_member_counts_right),
        cmocka_unit_test(test_zero_vote_option_and_empty_board_decrypt_to_zero),
        cmocka_unit_test(test_below_threshold_gives_no_result),
        cmocka_unit_test(test_wrong_secret_cannot_decrypt),
        cmocka_unit_test(test_server_trustee_round_trip),
        cmocka_unit_test(test_member_check_accepts_own_key_refuses_others),
        cmocka_unit_test(test_tampered_boards_fail_with_exact_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
