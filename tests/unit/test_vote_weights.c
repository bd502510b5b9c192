/* test_vote_weights.c — weights as exact millionths: parsing and refusals,
 * formatting round trips, and motions decided on weights (shares of votes
 * cast, shares of the electorate) with ties, exact thresholds and sums no
 * floating point could hold, compared against a rational restatement. */
#include "testutil.h"

#include <stdbool.h>

#include "core/vote_weights.h"
#include "util/err.h"

static void test_parse_accepts_plain_decimals(void **state)
{
    static const struct {
        const char *in;
        int64_t micro;
    } rows[] = {
        {"1", 1000000},          {"0.0473", 47300},     {"125", 125000000},
        {"12.5", 12500000},      {"0.000001", 1},       {"007", 7000000},
        {"1000000", WEIGHT_MAX}, {"3.141592", 3141592}, {"0.100000", 100000},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t v = -1;
        if (vote_weight_parse(rows[i].in, &v) != WEIGHT_OK || v != rows[i].micro)
            fail_msg("%s: got %lld", rows[i].in, (long long)v);
    }
}

static void test_parse_refuses_with_the_reason(void **state)
{
    static const struct {
        const char *in;
        enum weight_error why;
    } rows[] = {
        {"", WEIGHT_NOT_NUMBER},
        {"-1", WEIGHT_NOT_NUMBER},
        {"+1", WEIGHT_NOT_NUMBER},
        {"1,5", WEIGHT_NOT_NUMBER},
        {"1e3", WEIGHT_NOT_NUMBER},
        {".5", WEIGHT_NOT_NUMBER},
        {"5.", WEIGHT_NOT_NUMBER},
        {"abc", WEIGHT_NOT_NUMBER},
        {"1.2.3", WEIGHT_NOT_NUMBER},
        {" 1", WEIGHT_NOT_NUMBER},
        {"0", WEIGHT_NOT_POSITIVE},
        {"0.000000", WEIGHT_NOT_POSITIVE},
        {"0.0000001", WEIGHT_TOO_MANY_DIGITS},
        {"12345678", WEIGHT_TOO_MANY_DIGITS},
        {"1000000.000001", WEIGHT_TOO_LARGE},
        {"9999999", WEIGHT_TOO_LARGE},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t v = 42;
        enum weight_error e = vote_weight_parse(rows[i].in, &v);
        if (e != rows[i].why || v != 42)
            fail_msg("\"%s\": got %d (value %lld), want %d", rows[i].in, e, (long long)v,
                     rows[i].why);
    }
    int64_t v;
    assert_int_equal(vote_weight_parse(NULL, &v), WEIGHT_NOT_NUMBER);
}

static void test_format_is_shortest_and_round_trips(void **state)
{
    char out[WEIGHT_TEXT_SIZE];
    vote_weight_format(47300, out, sizeof out);
    assert_string_equal(out, "0.0473");
    vote_weight_format(125000000, out, sizeof out);
    assert_string_equal(out, "125");
    vote_weight_format(1, out, sizeof out);
    assert_string_equal(out, "0.000001");
    vote_weight_format(0, out, sizeof out);
    assert_string_equal(out, "0");
    vote_weight_format((int64_t)VOTE_COUNT_MAX * WEIGHT_MAX, out, sizeof out);
    assert_string_equal(out, "1000000000000");
    for (int64_t m = 1; m < 3 * WEIGHT_ONE; m += 99991) {
        int64_t back = 0;
        vote_weight_format(m, out, sizeof out);
        if (vote_weight_parse(out, &back) != WEIGHT_OK || back != m)
            fail_msg("%lld -> %s -> %lld", (long long)m, out, (long long)back);
    }
}

/* A valid tally of heads (no quorum) around the weights. */
static struct motion_tally heads(int yes, int no, int abstain, int eligible)
{
    return (struct motion_tally){.yes = yes,
                                 .no = no,
                                 .abstain = abstain,
                                 .eligible = eligible,
                                 .present_at_open = eligible,
                                 .present_at_close = eligible,
                                 .statutory_size = eligible};
}

struct wrow {
    enum vote_majority m;
    int yes, no, abstain, eligible;         /* heads */
    int64_t wyes, wno, wabstain, weligible; /* millionths */
    int outcome;
    int64_t threshold;
    bool is_tie;
};

static void test_weighted_rules_table(void **state)
{
    enum { A = VOTE_ADOPTED, R = VOTE_REJECTED };
    static const struct wrow rows[] = {
        /* One owner with 60 % outvotes three with 40 %: shares decide, heads lose. */
        {VM_SHARES_CAST, 1, 3, 0, 4, 600000, 400000, 0, 1000000, A, 500001, false},
        {VM_SHARES_ALL, 1, 3, 0, 4, 600000, 400000, 0, 1000000, A, 500001, false},
        /* Exactly half is not more than half: rejected, a tie. */
        {VM_SHARES_CAST, 1, 1, 0, 2, 500000, 500000, 0, 1000000, R, 500001, true},
        /* Abstentions count in the votes cast. */
        {VM_SHARES_CAST, 2, 1, 1, 4, 500000, 300000, 200000, 1000000, R, 500001, false},
        {VM_SHARES_CAST, 2, 1, 1, 4, 500001, 299999, 200000, 1000000, A, 500001, false},
        /* Of all entitled: those who did not vote count against. */
        {VM_SHARES_ALL, 2, 0, 0, 5, 450000, 0, 0, 1000000, R, 500001, false},
        {VM_SHARES_CAST, 2, 0, 0, 5, 450000, 0, 0, 1000000, A, 225001, false},
        /* An odd pool in millionths: half of 0.000003 is 0.0000015, so 0.000002 passes. */
        {VM_SHARES_CAST, 1, 1, 0, 2, 2, 1, 0, 3, A, 2, false},
        /* Nothing cast: nothing adopted. */
        {VM_SHARES_CAST, 0, 0, 0, 3, 0, 0, 0, 3000000, R, 1, false},
        /* Head rules stay on heads; the weights are only summed. */
        {VM_SIMPLE, 1, 3, 0, 4, 600000, 400000, 0, 1000000, R, 0, false},
        {VM_SIMPLE, 3, 1, 0, 4, 400000, 600000, 0, 1000000, A, 0, false},
        {VM_ABSOLUTE, 2, 2, 0, 4, 250000, 250000, 0, 1000000, R, 0, true},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct wrow *w = &rows[i];
        struct motion_tally t = heads(w->yes, w->no, w->abstain, w->eligible);
        struct weight_tally wt = {w->wyes, w->wno, w->wabstain, w->weligible};
        struct motion_result h;
        struct weight_result r;
        if (vote_decide_weighted(w->m, &t, &wt, &h, &r))
            fail_msg("row %zu refused", i);
        if ((int)h.outcome != w->outcome || r.threshold != w->threshold || r.is_tie != w->is_tie ||
            r.cast != w->wyes + w->wno + w->wabstain || h.cast != w->yes + w->no + w->abstain)
            fail_msg("row %zu (%s): outcome %d threshold %lld tie %d", i, vote_majority_name(w->m),
                     h.outcome, (long long)r.threshold, r.is_tie);
        if (vote_majority_is_weighted(w->m) && (h.threshold != 0 || h.is_tie != w->is_tie))
            fail_msg("row %zu: head threshold %d, tie %d", i, h.threshold, h.is_tie);
    }
}

/* Every split of small weights against "more than half", restated as
 * 2 * yes > pool, for both weighted rules. */
static void test_weighted_matches_definition(void **state)
{
    for (int64_t y = 0; y <= 12; y++)
        for (int64_t n = 0; n <= 12; n++)
            for (int64_t a = 0; a <= 6; a++)
                for (int64_t extra = 0; extra <= 5; extra += 5) {
                    struct motion_tally t = heads(y > 0, n > 0, a > 0, 4);
                    struct weight_tally wt = {y, n, a, y + n + a + extra};
                    struct motion_result h;
                    struct weight_result r;
                    assert_int_equal(vote_decide_weighted(VM_SHARES_CAST, &t, &wt, &h, &r), 0);
                    bool want = 2 * y > y + n + a;
                    assert_int_equal(h.outcome == VOTE_ADOPTED, want);
                    assert_int_equal(vote_decide_weighted(VM_SHARES_ALL, &t, &wt, &h, &r), 0);
                    want = 2 * y > y + n + a + extra;
                    assert_int_equal(h.outcome == VOTE_ADOPTED, want);
                }
}

/* Sums beyond a double's 53 bits stay exact: a million owners of the
 * largest share, decided by a single millionth. */
static void test_huge_sums_are_exact(void **state)
{
    int64_t all = (int64_t)VOTE_COUNT_MAX * WEIGHT_MAX; /* 10^18 */
    struct motion_tally t = heads(500000, 500000, 0, VOTE_COUNT_MAX);
    struct weight_tally wt = {all / 2 + 1, all / 2 - 1, 0, all};
    struct motion_result h;
    struct weight_result r;
    assert_int_equal(vote_decide_weighted(VM_SHARES_ALL, &t, &wt, &h, &r), 0);
    assert_int_equal(h.outcome, VOTE_ADOPTED);
    assert_true(r.threshold == all / 2 + 1);
    wt.yes = all / 2;
    wt.no = all / 2;
    assert_int_equal(vote_decide_weighted(VM_SHARES_ALL, &t, &wt, &h, &r), 0);
    assert_int_equal(h.outcome, VOTE_REJECTED);
    assert_true(r.is_tie);
    wt.eligible = all + 1;
    assert_int_equal(vote_decide_weighted(VM_SHARES_ALL, &t, &wt, &h, &r), OBR_EINVAL);
}

static void test_invalid_votes_follow_heads_and_weights(void **state)
{
    struct motion_tally t = heads(2, 1, 0, 3);
    t.quorum_required = 3;
    t.present_at_close = 2;
    struct weight_tally wt = {900000, 100000, 0, 1000000};
    struct motion_result h;
    struct weight_result r;
    assert_int_equal(vote_decide_weighted(VM_SHARES_CAST, &t, &wt, &h, &r), 0);
    assert_int_equal(h.outcome, VOTE_INVALID);
    assert_string_equal(h.invalid_reason, VOTE_INVALID_NO_QUORUM_AT_CLOSE);
    t = heads(2, 1, 0, 3);
    wt.eligible = 999999; /* more weight cast than the electorate holds */
    assert_int_equal(vote_decide_weighted(VM_SHARES_CAST, &t, &wt, &h, &r), 0);
    assert_int_equal(h.outcome, VOTE_INVALID);
    assert_string_equal(h.invalid_reason, VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE);
    wt.yes = -1;
    assert_int_equal(vote_decide_weighted(VM_SHARES_CAST, &t, &wt, &h, &r), OBR_EINVAL);
    /* Decided on heads alone, a weighted rule is refused. */
    assert_int_equal(vote_decide_motion(VM_SHARES_CAST, &t, &h), OBR_EINVAL);
}

static void test_names_and_words(void **state)
{
    enum vote_majority m;
    assert_int_equal(vote_majority_parse("shares_cast", &m), 0);
    assert_int_equal(m, VM_SHARES_CAST);
    assert_int_equal(vote_majority_parse("shares_all", &m), 0);
    assert_true(vote_majority_is_weighted(VM_SHARES_ALL));
    assert_false(vote_majority_is_weighted(VM_ABSOLUTE));
    assert_false(vote_majority_is_statutory(VM_SHARES_ALL));
    char out[512];
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_SHARES_ALL, NULL, "pl"), 0);
    assert_non_null(strstr(out, "większość udziałów"));
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_SHARES_CAST, NULL, "en"), 0);
    assert_non_null(strstr(out, "majority of the shares"));
    struct weight_tally wt = {600000, 300000, 47300, 1000000};
    struct weight_result r = {.cast = 947300, .threshold = 473651};
    assert_int_equal(vote_weights_describe(out, sizeof out, VM_SHARES_CAST, &wt, &r, "pl"), 0);
    assert_string_equal(out, "udziały: za 0.6, przeciw 0.3, wstrzymujące się 0.0473; oddane "
                             "0.9473 z 1; potrzeba więcej niż połowy z 0.9473");
    assert_int_equal(vote_weights_describe(out, sizeof out, VM_SIMPLE, &wt, &r, "en"), 0);
    assert_string_equal(out, "shares: for 0.6, against 0.3, abstaining 0.0473; cast 0.9473 of 1");
    char small[8];
    assert_int_equal(vote_weights_describe(small, sizeof small, VM_SIMPLE, &wt, &r, "en"),
                     OBR_ELIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts_plain_decimals),
        cmocka_unit_test(test_parse_refuses_with_the_reason),
        cmocka_unit_test(test_format_is_shortest_and_round_trips),
        cmocka_unit_test(test_weighted_rules_table),
        cmocka_unit_test(test_weighted_matches_definition),
        cmocka_unit_test(test_huge_sums_are_exact),
        cmocka_unit_test(test_invalid_votes_follow_heads_and_weights),
        cmocka_unit_test(test_names_and_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
