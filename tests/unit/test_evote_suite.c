/* test_evote_suite.c — the spec v2 conformance suite
 * (tests/vectors/evote-v2-suite.json) through the C verifier: every case
 * reaches its expected verdict, a failure names every word the case lists,
 * and a case with a meeting log gets the expected verdict against the log too
 * (`obrady verify --log`). The same file is run by the JS and Python readers. */
#include "testutil.h"

#include "crypto/evote.h"
#include "ops/verify_log.h"

#define SUITE "tests/vectors/evote-v2-suite.json"

static json_t *load_suite(void)
{
    json_error_t err;
    json_t *s = json_load_file(SUITE, JSON_REJECT_DUPLICATES, &err);
    if (!s)
        fail_msg("%s: %s", SUITE, err.text);
    return s;
}

/* The verdict on c's board (a parsed object, or text read as obrady verify
 * reads a file): 0 or an error with why. */
static int verdict(const json_t *c, struct evote_board_summary *sum, char *why, size_t n)
{
    const char *text = json_string_value(json_object_get(c, "board_text"));
    json_error_t err;
    json_t *b = text ? json_loads(text, JSON_REJECT_DUPLICATES, &err)
                     : json_incref(json_object_get(c, "board"));
    if (!b) {
        snprintf(why, n, "not JSON: %s", err.text);
        return 1;
    }
    int rc = evote_board_verify(b, 2, sum, why, n);
    json_decref(b);
    return rc;
}

static void expect(const char *name, const json_t *exp, int rc, const char *why, const char *what)
{
    bool is_ok = json_is_true(json_object_get(exp, "ok"));
    if (is_ok != (rc == 0))
        fail_msg("case %s (%s): expected %s, got %s", name, what, is_ok ? "valid" : "a failure",
                 rc ? why : "valid");
    size_t i;
    const json_t *m;
    json_array_foreach(json_object_get(exp, "mentions"), i, m) {
        if (!strstr(why, json_string_value(m)))
            fail_msg("case %s (%s): the failure \"%s\" does not name \"%s\"", name, what, why,
                     json_string_value(m));
    }
}

static void test_every_case_reaches_its_verdict(void **state)
{
    json_t *suite = load_suite();
    size_t i, n_failing = 0, n_valid = 0;
    json_t *c;
    json_array_foreach(json_object_get(suite, "cases"), i, c) {
        const char *name = json_string_value(json_object_get(c, "name"));
        struct evote_board_summary sum;
        char why[EVOTE_WHY_MAX] = "";
        int rc = verdict(c, &sum, why, sizeof why);
        expect(name, json_object_get(c, "expect"), rc, why, "board");
        rc ? n_failing++ : n_valid++;
        if (json_object_get(c, "log")) {
            assert_int_equal(rc, 0);
            char lwhy[EVOTE_WHY_MAX] = "";
            int lrc = verify_log_board(json_object_get(c, "log"), json_object_get(c, "board"),
                                       &sum, lwhy, sizeof lwhy);
            expect(name, json_object_get(c, "expect_with_log"), lrc, lwhy, "with the log");
        }
    }
    assert_true(n_failing >= 15);
    assert_true(n_valid >= 8);
    json_decref(suite);
}

/* Each valid v2 board states its signing key: the suite's installation key. */
static void test_valid_boards_are_signed_by_the_suite_key(void **state)
{
    json_t *suite = load_suite();
    const char *key = json_string_value(json_object_get(suite, "installation_key"));
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(suite, "cases"), i, c) {
        struct evote_board_summary sum;
        char why[EVOTE_WHY_MAX] = "";
        if (!json_object_get(c, "board") || verdict(c, &sum, why, sizeof why))
            continue;
        assert_int_equal(sum.version, 2);
        assert_string_equal(sum.sign_key, key);
    }
    json_decref(suite);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_case_reaches_its_verdict),
        cmocka_unit_test(test_valid_boards_are_signed_by_the_suite_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
