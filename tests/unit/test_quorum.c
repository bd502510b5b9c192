/* test_quorum.c — the quorum rules as tables: every rule for statutory sizes
 * 1..31 against an independent definition, the boundary present counts, the
 * wording in Polish and English, and bad input. */
#include "testutil.h"

#include <stdbool.h>

#include "core/quorum.h"
#include "util/err.h"

/* The rules restated from their legal wording, by counting up rather than
 * by formula: the smallest k with the property. */
static int expected_required(const char *rule, int n)
{
    for (int k = 0; k <= n + 1; k++) {
        if (strcmp(rule, "half_statutory") == 0 && 2 * k >= n)
            return k; /* at least half */
        if (strcmp(rule, "majority_statutory") == 0 && 2 * k > n)
            return k; /* more than half */
        if (strcmp(rule, "two_thirds_statutory") == 0 && 3 * k >= 2 * n)
            return k; /* at least two thirds */
        if (strcmp(rule, "none") == 0)
            return 0;
    }
    return -1;
}

static const char *const all_rules[] = {"half_statutory", "majority_statutory",
                                        "two_thirds_statutory", "none"};

static void test_required_matches_definition_for_every_rule_and_size(void **state)
{
    for (size_t r = 0; r < sizeof all_rules / sizeof all_rules[0]; r++)
        for (int n = 1; n <= 31; n++) {
            int want = expected_required(all_rules[r], n);
            int got = quorum_required(all_rules[r], n);
            if (got != want)
                fail_msg("%s n=%d: got %d, want %d", all_rules[r], n, got, want);
        }
}

static void test_is_met_exactly_at_required(void **state)
{
    for (size_t r = 0; r < sizeof all_rules / sizeof all_rules[0]; r++)
        for (int n = 1; n <= 31; n++) {
            int req = quorum_required(all_rules[r], n);
            for (int present = 0; present <= n; present++) {
                bool want = present >= req;
                if (quorum_is_met(all_rules[r], n, present) != want)
                    fail_msg("%s n=%d present=%d", all_rules[r], n, present);
            }
        }
}

/* Known values, written out: the table a council office would check. */
static void test_known_values(void **state)
{
    static const struct {
        const char *rule;
        int n, required;
    } rows[] = {
        {"half_statutory", 15, 8},
        {"half_statutory", 14, 7},
        {"half_statutory", 21, 11},
        {"half_statutory", 1, 1},
        {"majority_statutory", 15, 8},
        {"majority_statutory", 14, 8},
        {"majority_statutory", 1, 1},
        {"majority_statutory", 2, 2},
        {"two_thirds_statutory", 15, 10},
        {"two_thirds_statutory", 14, 10},
        {"two_thirds_statutory", 3, 2},
        {"two_thirds_statutory", 31, 21},
        {"none", 15, 0},
        {"none", 31, 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (quorum_required(rows[i].rule, rows[i].n) != rows[i].required)
            fail_msg("%s n=%d: got %d, want %d", rows[i].rule, rows[i].n,
                     quorum_required(rows[i].rule, rows[i].n), rows[i].required);
}

static void test_unknown_rule_and_bad_size(void **state)
{
    assert_int_equal(quorum_required("simple", 15), -1);
    assert_int_equal(quorum_required("", 15), -1);
    assert_int_equal(quorum_required(NULL, 15), -1);
    assert_int_equal(quorum_required("half_statutory", -1), -1);
    assert_false(quorum_is_met("simple", 15, 15));
    assert_false(quorum_is_met(NULL, 15, 15));
    assert_false(quorum_rule_is_known("HALF_STATUTORY"));
    assert_true(quorum_rule_is_known("none"));
    assert_true(quorum_is_met("none", 15, 0));
}

static void test_rule_text_in_both_languages(void **state)
{
    assert_string_equal(quorum_rule_text("half_statutory", "pl"),
                        "co najmniej połowa ustawowego składu");
    assert_string_equal(quorum_rule_text("half_statutory", "en"),
                        "at least half of the statutory composition");
    assert_string_equal(quorum_rule_text("majority_statutory", "pl"),
                        "więcej niż połowa ustawowego składu");
    for (size_t r = 0; r < sizeof all_rules / sizeof all_rules[0]; r++) {
        assert_non_null(quorum_rule_text(all_rules[r], "pl"));
        assert_non_null(quorum_rule_text(all_rules[r], "en"));
        assert_string_not_equal(quorum_rule_text(all_rules[r], "pl"),
                                quorum_rule_text(all_rules[r], "en"));
        /* Unknown or missing language falls back to English. */
        assert_string_equal(quorum_rule_text(all_rules[r], NULL),
                            quorum_rule_text(all_rules[r], "en"));
        assert_string_equal(quorum_rule_text(all_rules[r], "de"),
                            quorum_rule_text(all_rules[r], "en"));
    }
    assert_null(quorum_rule_text("simple", "pl"));
}

static void test_describe_with_numbers(void **state)
{
    char out[200];
    assert_int_equal(quorum_describe(out, sizeof out, "half_statutory", 15, "pl"), 0);
    assert_string_equal(out, "co najmniej połowa ustawowego składu (8 z 15)");
    assert_int_equal(quorum_describe(out, sizeof out, "half_statutory", 15, "en"), 0);
    assert_string_equal(out, "at least half of the statutory composition (8 of 15)");
    assert_int_equal(quorum_describe(out, sizeof out, "two_thirds_statutory", 21, "pl"), 0);
    assert_string_equal(out, "co najmniej dwie trzecie ustawowego składu (14 z 21)");
    assert_int_equal(quorum_describe(out, sizeof out, "none", 21, "en"), 0);
    assert_string_equal(out, "no quorum required");
}

static void test_describe_every_rule_and_size_names_the_numbers(void **state)
{
    char out[200], nums[40];
    for (size_t r = 0; r < 3; r++)
        for (int n = 1; n <= 31; n++) {
            assert_int_equal(quorum_describe(out, sizeof out, all_rules[r], n, "pl"), 0);
            snprintf(nums, sizeof nums, "(%d z %d)", quorum_required(all_rules[r], n), n);
            assert_non_null(strstr(out, nums));
        }
}

static void test_describe_refuses_bad_input_and_small_buffers(void **state)
{
    char out[10];
    assert_int_equal(quorum_describe(out, sizeof out, "simple", 15, "pl"), OBR_EINVAL);
    assert_int_equal(quorum_describe(out, sizeof out, "half_statutory", -3, "pl"), OBR_EINVAL);
    assert_int_equal(quorum_describe(NULL, 10, "half_statutory", 15, "pl"), OBR_EINVAL);
    assert_int_equal(quorum_describe(out, sizeof out, "half_statutory", 15, "pl"), OBR_ELIMIT);
    assert_int_equal(strlen(out), sizeof out - 1);
    /* "co najmniej połowa": a cut inside "ł" drops the whole character. */
    char small[16];
    assert_int_equal(quorum_describe(small, sizeof small, "half_statutory", 15, "pl"), OBR_ELIMIT);
    assert_string_equal(small, "co najmniej po");
    char exact[17];
    assert_int_equal(quorum_describe(exact, sizeof exact, "half_statutory", 15, "pl"), OBR_ELIMIT);
    assert_string_equal(exact, "co najmniej poł");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_required_matches_definition_for_every_rule_and_size),
        cmocka_unit_test(test_is_met_exactly_at_required),
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_unknown_rule_and_bad_size),
        cmocka_unit_test(test_rule_text_in_both_languages),
        cmocka_unit_test(test_describe_with_numbers),
        cmocka_unit_test(test_describe_every_rule_and_size_names_the_numbers),
        cmocka_unit_test(test_describe_refuses_bad_input_and_small_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
