/* test_evote_vectors.c — the committed known-answer vectors
 * (tests/vectors/evote-v1.json) equal what the code computes now, and every
 * ballot and board in them verifies. */
#include "testutil.h"

#include "evote_vectors.h"

#define VECTORS "tests/vectors/evote-v1.json"

static void test_committed_vectors_equal_recomputed(void **state)
{
    json_error_t err;
    json_t *file = json_load_file(VECTORS, 0, &err);
    if (!file)
        fail_msg("%s: %s", VECTORS, err.text);
    json_t *now = evote_vectors_make();
    assert_non_null(now);
    const char *parts[] = {"canonical_json", "hash_to_scalar", "elections"};
    for (size_t i = 0; i < 3; i++) {
        if (!json_equal(json_object_get(file, parts[i]), json_object_get(now, parts[i])))
            fail_msg("%s: '%s' differs from the code; run make evote-vectors if intended",
                     VECTORS, parts[i]);
    }
    json_decref(now);
    json_decref(file);
}

static void test_vector_ballots_and_boards_verify(void **state)
{
    json_t *file = json_load_file(VECTORS, 0, NULL);
    assert_non_null(file);
    size_t i;
    json_t *el;
    json_array_foreach(json_object_get(file, "elections"), i, el) {
        struct evote_election *e;
        char why[EVOTE_WHY_MAX] = "", eh[EVOTE_HEX + 1];
        if (evote_election_parse(json_object_get(el, "election"), &e, why, sizeof why))
            fail_msg("%s", why);
        evote_election_hash(e, eh);
        assert_string_equal(eh, json_string_value(json_object_get(el, "election_hash")));
        size_t k;
        json_t *b;
        json_array_foreach(json_object_get(el, "ballots"), k, b) {
            char t[EVOTE_HEX + 1];
            if (evote_ballot_verify(e, json_object_get(b, "ballot"), why, sizeof why))
                fail_msg("%s", why);
            evote_tracker(json_object_get(b, "ballot"), t);
            assert_string_equal(t, json_string_value(json_object_get(b, "tracker")));
        }
        struct evote_board_summary s;
        if (evote_board_verify(json_object_get(el, "board"), 1, &s, why, sizeof why))
            fail_msg("%s", why);
        assert_true(s.is_tallied);
        evote_election_free(e);
    }
    json_decref(file);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_committed_vectors_equal_recomputed),
        cmocka_unit_test(test_vector_ballots_and_boards_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
