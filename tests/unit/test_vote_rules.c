/* test_vote_rules.c — the majorities and election rules as tables: one table
 * per majority with the edge cases (ties, zero votes, all abstaining, odd and
 * even sizes, statutory vs cast), quorum at opening and closing, elections
 * k-of-n with ties, brute-force comparisons against definitions restated
 * here with rational comparisons, and the wording in Polish and English. */
#include "testutil.h"

#include <stdbool.h>

#include "core/vote_rules.h"
#include "util/err.h"
#include "util/utf8.h"

enum { A = VOTE_ADOPTED, R = VOTE_REJECTED, I = VOTE_INVALID };

/* ---- Motions: one table per rule ----
 * Every row is valid: present at opening and closing equal `present`, the
 * quorum is half the statutory size (the municipal default). */
struct motion_row {
    int yes, no, abstain, statutory, eligible, present;
    int outcome, threshold;
    bool is_tie;
};

static void check_rows(enum vote_majority m, const struct motion_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct motion_row *w = &rows[i];
        struct motion_tally t = {.yes = w->yes,
                                 .no = w->no,
                                 .abstain = w->abstain,
                                 .eligible = w->eligible,
                                 .present_at_open = w->present,
                                 .present_at_close = w->present,
                                 .statutory_size = w->statutory,
                                 .quorum_required = (w->statutory + 1) / 2};
        struct motion_result r;
        if (vote_decide_motion(m, &t, &r) != 0)
            fail_msg("%s row %zu: refused", vote_majority_name(m), i);
        int cast = w->yes + w->no + w->abstain;
        if ((int)r.outcome != w->outcome || r.threshold != w->threshold || r.is_tie != w->is_tie ||
            r.cast != cast || r.not_voted != w->eligible - cast || r.invalid_reason != NULL)
            fail_msg("%s row %zu (%d/%d/%d of S=%d): got outcome %d threshold %d tie %d, "
                     "want %d %d %d",
                     vote_majority_name(m), i, w->yes, w->no, w->abstain, w->statutory, r.outcome,
                     r.threshold, r.is_tie, w->outcome, w->threshold, w->is_tie);
    }
}

#define CHECK_ROWS(m, rows) check_rows(m, rows, sizeof rows / sizeof rows[0])

static void test_simple_majority_table(void **state)
{
    static const struct motion_row rows[] = {
        /* yes no abst  S  elig pres  outcome thr tie */
        {8, 7, 0, 15, 15, 15, A, 8, false},
        {7, 7, 1, 15, 15, 15, R, 8, true},  /* tie: rejected, no casting vote */
        {2, 2, 11, 15, 15, 15, R, 3, true}, /* tie among the few who chose */
        {1, 1, 0, 2, 2, 2, R, 2, true},
        {0, 0, 0, 15, 15, 15, R, 1, false},  /* nobody voted: 0 > 0 is false */
        {0, 0, 15, 15, 15, 15, R, 1, false}, /* all abstain */
        {1, 0, 14, 15, 15, 15, A, 1, false}, /* abstentions do not count */
        {5, 6, 4, 15, 15, 15, R, 6, false},
        {6, 5, 4, 15, 15, 15, A, 6, false},
        {10, 0, 0, 15, 15, 15, A, 6, false},
        {3, 1, 0, 15, 15, 8, A, 3, false},  /* most present did not vote */
        {7, 6, 1, 14, 14, 14, A, 7, false}, /* even statutory size */
    };
    CHECK_ROWS(VM_SIMPLE, rows);
}

static void test_absolute_majority_of_cast_table(void **state)
{
    static const struct motion_row rows[] = {
        {8, 7, 0, 15, 15, 15, A, 8, false}, {8, 4, 3, 15, 15, 15, A, 8, false},
        {7, 4, 4, 15, 15, 15, R, 8, false}, /* more yes than no, not than no + abstain */
        {7, 0, 7, 15, 15, 15, R, 8, false}, /* yes equal to the rest is not more */
        {7, 7, 0, 15, 15, 15, R, 8, true},  {6, 5, 0, 15, 15, 15, A, 6, false}, /* odd cast */
        {6, 6, 0, 15, 15, 15, R, 7, true},                                      /* even cast, tie */
        {7, 5, 0, 15, 15, 15, A, 7, false},                                     /* even cast */
        {0, 0, 0, 15, 15, 15, R, 1, false}, {0, 0, 15, 15, 15, 15, R, 8, false},
        {1, 0, 0, 15, 15, 15, A, 1, false},
    };
    CHECK_ROWS(VM_ABSOLUTE, rows);
}

static void test_absolute_majority_of_statutory_table(void **state)
{
    static const struct motion_row rows[] = {
        {8, 1, 0, 15, 15, 9, A, 8, false}, /* 8 of 15 statutory with only 9 present */
        {7, 0, 0, 15, 15, 9, R, 8, false}, /* all present yes, still too few */
        {8, 7, 0, 15, 15, 15, A, 8, false},
        {7, 7, 0, 14, 14, 14, R, 8, true}, /* even size: half is not more than half */
        {8, 6, 0, 14, 14, 14, A, 8, false},
        {1, 0, 0, 1, 1, 1, A, 1, false},
        {0, 0, 1, 1, 1, 1, R, 1, false},
        {0, 0, 0, 15, 15, 15, R, 8, false},
    };
    CHECK_ROWS(VM_ABSOLUTE_STATUTORY, rows);
}

static void test_two_thirds_of_cast_table(void **state)
{
    static const struct motion_row rows[] = {
        {10, 5, 0, 15, 15, 15, A, 10, false},
        {9, 5, 1, 15, 15, 15, R, 10, false}, /* abstentions count in the cast */
        {10, 0, 5, 15, 15, 15, A, 10, false},
        {2, 1, 0, 15, 15, 15, A, 2, false}, /* exactly 2/3 */
        {1, 1, 0, 15, 15, 15, R, 2, true},
        {4, 2, 0, 15, 15, 15, A, 4, false},
        {3, 1, 2, 15, 15, 15, R, 4, false},
        {0, 0, 0, 15, 15, 15, R, 1, false}, /* 2/3 of nothing still needs one yes */
        {0, 0, 5, 15, 15, 15, R, 4, false},
        {1, 0, 0, 15, 15, 15, A, 1, false},
    };
    CHECK_ROWS(VM_TWO_THIRDS_CAST, rows);
}

static void test_three_fifths_of_cast_table(void **state)
{
    static const struct motion_row rows[] = {
        {9, 6, 0, 15, 15, 15, A, 9, false}, /* exactly 3/5 */
        {8, 6, 1, 15, 15, 15, R, 9, false}, {3, 2, 0, 15, 15, 15, A, 3, false},
        {3, 1, 1, 15, 15, 15, A, 3, false}, {6, 4, 0, 15, 15, 15, A, 6, false},
        {5, 4, 1, 15, 15, 15, R, 6, false}, {2, 2, 0, 15, 15, 15, R, 3, true},
        {7, 4, 0, 15, 15, 15, A, 7, false}, /* 6.6 rounds up to 7 */
        {6, 5, 0, 15, 15, 15, R, 7, false}, {0, 0, 0, 15, 15, 15, R, 1, false},
    };
    CHECK_ROWS(VM_THREE_FIFTHS_CAST, rows);
}

static void test_two_thirds_of_statutory_table(void **state)
{
    static const struct motion_row rows[] = {
        {10, 5, 0, 15, 15, 15, A, 10, false},
        {9, 0, 0, 15, 15, 9, R, 10, false},   /* unanimous but too few present */
        {10, 4, 0, 14, 14, 14, A, 10, false}, /* 9.33 rounds up */
        {9, 5, 0, 14, 14, 14, R, 10, false},
        {14, 7, 0, 21, 21, 21, A, 14, false},
        {13, 0, 8, 21, 21, 21, R, 14, false},
        {2, 1, 0, 3, 3, 3, A, 2, false},
    };
    CHECK_ROWS(VM_TWO_THIRDS_STATUTORY, rows);
}

static void test_three_fifths_of_statutory_table(void **state)
{
    static const struct motion_row rows[] = {
        {8, 1, 0, 15, 15, 9, R, 9, false}, /* 3/5 of 15 is 9 */
        {9, 6, 0, 15, 15, 15, A, 9, false},
        {9, 5, 0, 14, 14, 14, A, 9, false}, /* 8.4 rounds up */
        {8, 0, 6, 14, 14, 14, R, 9, false},
        {13, 8, 0, 21, 21, 21, A, 13, false},
        {12, 1, 8, 21, 21, 21, R, 13, false},
        {6, 4, 0, 10, 10, 10, A, 6, false},
    };
    CHECK_ROWS(VM_THREE_FIFTHS_STATUTORY, rows);
}

static void test_four_fifths_of_statutory_table(void **state)
{
    static const struct motion_row rows[] = {
        {12, 3, 0, 15, 15, 15, A, 12, false}, {11, 0, 4, 15, 15, 15, R, 12, false},
        {12, 2, 0, 14, 14, 14, A, 12, false}, /* 11.2 rounds up */
        {11, 3, 0, 14, 14, 14, R, 12, false}, {8, 2, 0, 10, 10, 10, A, 8, false},
        {17, 4, 0, 21, 21, 21, A, 17, false}, {16, 0, 0, 21, 21, 21, R, 17, false},
    };
    CHECK_ROWS(VM_FOUR_FIFTHS_STATUTORY, rows);
}

/* The example from the issue: 15 statutory, 9 present, 8 yes and 1 no. */
static void test_one_tally_under_every_rule_statutory_vs_cast(void **state)
{
    static const struct {
        enum vote_majority m;
        int outcome, threshold;
    } rows[] = {
        {VM_SIMPLE, A, 5},
        {VM_ABSOLUTE, A, 5},
        {VM_ABSOLUTE_STATUTORY, A, 8},
        {VM_TWO_THIRDS_CAST, A, 6},
        {VM_THREE_FIFTHS_CAST, A, 6},
        {VM_TWO_THIRDS_STATUTORY, R, 10},
        {VM_THREE_FIFTHS_STATUTORY, R, 9},
        {VM_FOUR_FIFTHS_STATUTORY, R, 12},
    };
    struct motion_tally t = {.yes = 8,
                             .no = 1,
                             .eligible = 15,
                             .present_at_open = 9,
                             .present_at_close = 9,
                             .statutory_size = 15,
                             .quorum_required = 8};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct motion_result r;
        assert_int_equal(vote_decide_motion(rows[i].m, &t, &r), 0);
        if ((int)r.outcome != rows[i].outcome || r.threshold != rows[i].threshold)
            fail_msg("%s: got %d/%d", vote_majority_name(rows[i].m), r.outcome, r.threshold);
        assert_int_equal(r.cast, 9);
        assert_int_equal(r.not_voted, 6);
    }
}

/* Quorum is checked at opening and at closing; counts above the electorate
 * come first, as a broken count makes every other statement meaningless. */
static void test_quorum_at_open_and_close_table(void **state)
{
    static const struct {
        int yes, no, abstain, eligible, open, close, quorum;
        int outcome;
        const char *reason;
        int not_voted;
    } rows[] = {
        {5, 2, 1, 15, 8, 8, 8, A, NULL, 7},
        {5, 2, 1, 15, 7, 9, 8, I, VOTE_INVALID_NO_QUORUM_AT_OPEN, 7},
        {5, 2, 1, 15, 9, 7, 8, I, VOTE_INVALID_NO_QUORUM_AT_CLOSE, 7},
        {5, 2, 1, 15, 7, 7, 8, I, VOTE_INVALID_NO_QUORUM_AT_OPEN, 7},
        {3, 3, 0, 15, 7, 7, 8, I, VOTE_INVALID_NO_QUORUM_AT_OPEN, 9}, /* no tie reported */
        {5, 2, 1, 15, 0, 0, 0, A, NULL, 7},                           /* no quorum rule */
        {10, 5, 1, 15, 15, 15, 8, I, VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE, 0},
        {10, 5, 1, 15, 2, 2, 8, I, VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE, 0},
        {10, 5, 0, 15, 15, 15, 8, A, NULL, 0}, /* everyone voted */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct motion_tally t = {.yes = rows[i].yes,
                                 .no = rows[i].no,
                                 .abstain = rows[i].abstain,
                                 .eligible = rows[i].eligible,
                                 .present_at_open = rows[i].open,
                                 .present_at_close = rows[i].close,
                                 .statutory_size = 15,
                                 .quorum_required = rows[i].quorum};
        struct motion_result r;
        assert_int_equal(vote_decide_motion(VM_SIMPLE, &t, &r), 0);
        if ((int)r.outcome != rows[i].outcome || r.not_voted != rows[i].not_voted)
            fail_msg("row %zu: outcome %d not_voted %d", i, r.outcome, r.not_voted);
        if (rows[i].reason)
            assert_string_equal(r.invalid_reason, rows[i].reason);
        else
            assert_null(r.invalid_reason);
        if (r.outcome == VOTE_INVALID)
            assert_false(r.is_tie);
        assert_int_equal(r.cast, rows[i].yes + rows[i].no + rows[i].abstain);
    }
}

static void test_motion_refuses_bad_input_and_leaves_result_untouched(void **state)
{
    struct motion_tally good = {.yes = 1,
                                .eligible = 5,
                                .present_at_open = 5,
                                .present_at_close = 5,
                                .statutory_size = 5,
                                .quorum_required = 3};
    struct motion_result r = {.threshold = -77};
    assert_int_equal(vote_decide_motion(VM_SIMPLE, NULL, &r), OBR_EINVAL);
    assert_int_equal(vote_decide_motion(VM_SIMPLE, &good, NULL), OBR_EINVAL);
    assert_int_equal(vote_decide_motion((enum vote_majority)99, &good, &r), OBR_EINVAL);
    struct motion_tally t = good;
    t.no = -1;
    assert_int_equal(vote_decide_motion(VM_SIMPLE, &t, &r), OBR_EINVAL);
    t = good;
    t.present_at_close = -1;
    assert_int_equal(vote_decide_motion(VM_SIMPLE, &t, &r), OBR_EINVAL);
    t = good;
    t.yes = VOTE_COUNT_MAX + 1;
    assert_int_equal(vote_decide_motion(VM_SIMPLE, &t, &r), OBR_EINVAL);
    t = good;
    t.statutory_size = 0;
    for (int m = VM_SIMPLE; m <= VM_FOUR_FIFTHS_STATUTORY; m++)
        if (vote_majority_is_statutory((enum vote_majority)m))
            assert_int_equal(vote_decide_motion((enum vote_majority)m, &t, &r), OBR_EINVAL);
    assert_int_equal(r.threshold, -77);
    /* The "of votes cast" rules do not need the statutory size. */
    t.quorum_required = 0;
    assert_int_equal(vote_decide_motion(VM_ABSOLUTE, &t, &r), 0);
    assert_int_equal(r.outcome, VOTE_ADOPTED);
    /* The largest allowed counts do not overflow. */
    t = (struct motion_tally){.yes = VOTE_COUNT_MAX,
                              .no = VOTE_COUNT_MAX,
                              .abstain = VOTE_COUNT_MAX,
                              .eligible = VOTE_COUNT_MAX,
                              .statutory_size = VOTE_COUNT_MAX};
    assert_int_equal(vote_decide_motion(VM_FOUR_FIFTHS_STATUTORY, &t, &r), 0);
    assert_int_equal(r.outcome, VOTE_INVALID);
    assert_int_equal(r.threshold, 800000);
}

static void test_majority_names_round_trip(void **state)
{
    static const char *const names[] = {"simple",
                                        "absolute",
                                        "absolute_statutory",
                                        "two_thirds",
                                        "three_fifths",
                                        "two_thirds_statutory",
                                        "three_fifths_statutory",
                                        "four_fifths_statutory"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        enum vote_majority m;
        assert_int_equal(vote_majority_parse(names[i], &m), 0);
        assert_int_equal(m, (enum vote_majority)i);
        assert_string_equal(vote_majority_name(m), names[i]);
        assert_int_equal(vote_majority_is_statutory(m), strstr(names[i], "statutory") != NULL);
    }
    enum vote_majority m = VM_ABSOLUTE;
    assert_int_equal(vote_majority_parse("Simple", &m), OBR_EINVAL);
    assert_int_equal(vote_majority_parse("", &m), OBR_EINVAL);
    assert_int_equal(vote_majority_parse(NULL, &m), OBR_EINVAL);
    assert_int_equal(vote_majority_parse("simple", NULL), OBR_EINVAL);
    assert_int_equal(m, VM_ABSOLUTE);
    assert_null(vote_majority_name((enum vote_majority)(VM_SHARES_ALL + 1)));
    assert_null(vote_majority_name((enum vote_majority) - 1));

    enum election_rule er;
    assert_int_equal(election_rule_parse("most_votes", &er), 0);
    assert_int_equal(er, ER_MOST_VOTES);
    assert_int_equal(election_rule_parse("absolute_majority", &er), 0);
    assert_int_equal(er, ER_ABSOLUTE_MAJORITY);
    assert_int_equal(election_rule_parse("absolute", &er), OBR_EINVAL);
    assert_string_equal(election_rule_name(ER_MOST_VOTES), "most_votes");
    assert_null(election_rule_name((enum election_rule)2));
}

/* ---- Motions: brute force against the definitions ----
 * Each rule restated from its wording with cross-multiplied rational
 * comparisons, and the threshold found by counting up rather than by
 * formula. */
static bool reference_passes(enum vote_majority m, int yes, int no, int abstain, int statutory)
{
    int cast = yes + no + abstain;
    switch (m) {
    case VM_SIMPLE:
        return yes > no;
    case VM_ABSOLUTE:
        return yes > no + abstain;
    case VM_ABSOLUTE_STATUTORY:
        return 2 * yes > statutory; /* yes / S > 1/2 */
    case VM_TWO_THIRDS_CAST:
        return yes > 0 && 3 * yes >= 2 * cast; /* yes / cast >= 2/3 */
    case VM_THREE_FIFTHS_CAST:
        return yes > 0 && 5 * yes >= 3 * cast;
    case VM_TWO_THIRDS_STATUTORY:
        return 3 * yes >= 2 * statutory;
    case VM_THREE_FIFTHS_STATUTORY:
        return 5 * yes >= 3 * statutory;
    case VM_FOUR_FIFTHS_STATUTORY:
        return 5 * yes >= 4 * statutory;
    case VM_SHARES_CAST: /* decided on weights: test_vote_weights.c */
    case VM_SHARES_ALL:
        return false;
    }
    return false;
}

/* The fewest yes votes that pass when the pool the rule measures stays as it
 * is: the rest of the pool is made of "no" (simple: yes + no fixed; cast
 * rules: cast fixed; statutory rules: any tally with that many yes). */
static int reference_threshold(enum vote_majority m, int yes, int no, int abstain, int statutory)
{
    int cast = yes + no + abstain;
    for (int k = 1;; k++) {
        bool ok;
        switch (m) {
        case VM_SIMPLE:
            ok = reference_passes(m, k, yes + no - k, 0, statutory);
            break;
        case VM_ABSOLUTE:
        case VM_TWO_THIRDS_CAST:
        case VM_THREE_FIFTHS_CAST:
            ok = reference_passes(m, k, cast - k, 0, statutory);
            break;
        default:
            ok = reference_passes(m, k, 0, 0, statutory);
        }
        if (ok)
            return k;
    }
}

static void test_every_rule_matches_reference_for_all_small_tallies(void **state)
{
    long checked = 0;
    for (int m = VM_SIMPLE; m <= VM_FOUR_FIFTHS_STATUTORY; m++)
        for (int s = 1; s <= 25; s++)
            for (int yes = 0; yes <= 20; yes++)
                for (int no = 0; no <= 20; no++)
                    for (int ab = 0; ab <= 20; ab++) {
                        int cast = yes + no + ab;
                        struct motion_tally t = {.yes = yes,
                                                 .no = no,
                                                 .abstain = ab,
                                                 .eligible = cast + s,
                                                 .present_at_open = cast + s,
                                                 .present_at_close = cast + s,
                                                 .statutory_size = s,
                                                 .quorum_required = (s + 1) / 2};
                        struct motion_result r;
                        enum vote_majority vm = (enum vote_majority)m;
                        if (vote_decide_motion(vm, &t, &r) != 0)
                            fail_msg("refused");
                        bool want = reference_passes(vm, yes, no, ab, s);
                        int want_threshold = reference_threshold(vm, yes, no, ab, s);
                        if ((r.outcome == VOTE_ADOPTED) != want ||
                            (r.outcome != VOTE_ADOPTED && r.outcome != VOTE_REJECTED) ||
                            r.threshold != want_threshold || (yes >= r.threshold) != want ||
                            r.is_tie != (yes == no && yes > 0) || r.cast != cast ||
                            r.not_voted != s)
                            fail_msg("%s S=%d %d/%d/%d: outcome %d threshold %d (want %d, %d)",
                                     vote_majority_name(vm), s, yes, no, ab, r.outcome, r.threshold,
                                     want, want_threshold);
                        checked++;
                    }
    assert_int_equal(checked, 8L * 25 * 21 * 21 * 21);
}

/* ---- Elections ---- */

struct election_row {
    enum election_rule rule;
    int n, votes[6], cast, blank, seats;
    int outcome, threshold;
    int n_elected, elected[6];
    bool is_tie;
    int n_tied, tied[6];
};

static void test_election_table(void **state)
{
    static const struct election_row rows[] = {
        /* most votes, one seat */
        {ER_MOST_VOTES, 3, {5, 3, 2}, 10, 0, 1, A, 1, 1, {0}, false, 0, {0}},
        {ER_MOST_VOTES, 3, {4, 4, 2}, 10, 0, 1, R, 1, 0, {0}, true, 2, {0, 1}}, /* k=1 tie */
        {ER_MOST_VOTES, 3, {2, 4, 4}, 10, 0, 1, R, 1, 0, {0}, true, 2, {1, 2}},
        {ER_MOST_VOTES, 2, {3, 2}, 9, 4, 1, A, 1, 1, {0}, false, 0, {0}}, /* blanks */
        {ER_MOST_VOTES, 2, {0, 0}, 4, 4, 1, R, 1, 0, {0}, false, 0, {0}}, /* all blank */
        {ER_MOST_VOTES, 0, {0}, 3, 3, 1, R, 1, 0, {0}, false, 0, {0}},    /* no candidates */
        {ER_MOST_VOTES, 2, {0, 0}, 0, 0, 1, R, 1, 0, {0}, false, 0, {0}}, /* no ballots */
        /* most votes, k of n */
        {ER_MOST_VOTES, 4, {6, 5, 5, 2}, 9, 0, 2, A, 1, 1, {0}, true, 2, {1, 2}},
        {ER_MOST_VOTES, 4, {6, 5, 3, 3}, 9, 0, 2, A, 1, 2, {0, 1}, false, 0, {0}},
        {ER_MOST_VOTES, 4, {5, 7, 7, 1}, 10, 0, 2, A, 1, 2, {1, 2}, false, 0, {0}},
        {ER_MOST_VOTES, 3, {3, 3, 3}, 5, 0, 2, R, 1, 0, {0}, true, 3, {0, 1, 2}},
        {ER_MOST_VOTES, 3, {0, 4, 2}, 5, 0, 3, A, 1, 2, {1, 2}, false, 0, {0}}, /* 0 votes */
        {ER_MOST_VOTES, 3, {2, 9, 5}, 9, 0, 3, A, 1, 3, {1, 2, 0}, false, 0, {0}},
        {ER_MOST_VOTES, 5, {4, 4, 4, 1, 4}, 6, 0, 3, R, 1, 0, {0}, true, 4, {0, 1, 2, 4}},
        {ER_MOST_VOTES, 5, {6, 4, 4, 1, 4}, 7, 0, 3, A, 1, 1, {0}, true, 3, {1, 2, 4}},
        {ER_MOST_VOTES, 2, {3, 3}, 4, 0, 3, A, 1, 2, {0, 1}, false, 0, {0}}, /* seats > n */
        /* absolute majority */
        {ER_ABSOLUTE_MAJORITY, 3, {8, 5, 2}, 15, 0, 1, A, 8, 1, {0}, false, 0, {0}},
        {ER_ABSOLUTE_MAJORITY, 3, {7, 6, 2}, 15, 0, 1, R, 8, 0, {0}, false, 0, {0}},
        {ER_ABSOLUTE_MAJORITY, 2, {8, 5}, 16, 3, 1, R, 9, 0, {0}, false, 0, {0}}, /* blanks */
        {ER_ABSOLUTE_MAJORITY, 2, {8, 5}, 13, 0, 1, A, 7, 1, {0}, false, 0, {0}},
        {ER_ABSOLUTE_MAJORITY, 2, {5, 5}, 10, 0, 1, R, 6, 0, {0}, false, 0, {0}}, /* k=1 tie */
        {ER_ABSOLUTE_MAJORITY, 3, {5, 5, 5}, 8, 0, 2, R, 5, 0, {0}, true, 3, {0, 1, 2}},
        {ER_ABSOLUTE_MAJORITY, 3, {7, 5, 5}, 9, 0, 2, A, 5, 1, {0}, true, 2, {1, 2}},
        {ER_ABSOLUTE_MAJORITY, 3, {6, 7, 5}, 9, 0, 2, A, 5, 2, {1, 0}, false, 0, {0}},
        {ER_ABSOLUTE_MAJORITY, 3, {7, 3, 2}, 9, 0, 2, A, 5, 1, {0}, false, 0, {0}},
        {ER_ABSOLUTE_MAJORITY, 1, {0}, 0, 0, 1, R, 1, 0, {0}, false, 0, {0}},
        {ER_ABSOLUTE_MAJORITY, 1, {1}, 1, 0, 1, A, 1, 1, {0}, false, 0, {0}},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct election_row *w = &rows[i];
        struct election_tally t = {.n_candidates = w->n,
                                   .votes = w->votes,
                                   .ballots_cast = w->cast,
                                   .ballots_blank = w->blank,
                                   .eligible = 20,
                                   .present_at_open = 20,
                                   .present_at_close = 20,
                                   .quorum_required = 11,
                                   .seats = w->seats};
        struct election_result r;
        if (vote_decide_election(w->rule, &t, &r) != 0)
            fail_msg("row %zu: refused", i);
        bool ok = (int)r.outcome == w->outcome && r.threshold == w->threshold &&
                  r.n_elected == w->n_elected && r.is_tie == w->is_tie && r.n_tied == w->n_tied &&
                  r.invalid_reason == NULL && r.not_voted == 20 - w->cast;
        for (int k = 0; ok && k < w->n_elected; k++)
            ok = r.elected[k] == w->elected[k];
        for (int k = 0; ok && k < w->n_tied; k++)
            ok = r.tied[k] == w->tied[k];
        if (!ok)
            fail_msg("row %zu: outcome %d threshold %d elected %d (first %d) tie %d tied %d", i,
                     r.outcome, r.threshold, r.n_elected, r.elected[0], r.is_tie, r.n_tied);
    }
}

static void test_election_invalid_table(void **state)
{
    static const struct {
        int n, votes[3], cast, blank, seats, eligible, open, close;
        const char *reason;
    } rows[] = {
        {2, {5, 4}, 9, 0, 1, 8, 8, 8, VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE},
        {2, {5, 4}, 9, 0, 1, 20, 8, 8, VOTE_INVALID_NO_QUORUM_AT_OPEN},
        {2, {5, 4}, 9, 0, 1, 20, 12, 10, VOTE_INVALID_NO_QUORUM_AT_CLOSE},
        {2, {6, 1}, 9, 3, 1, 20, 20, 20, VOTE_INVALID_COUNTS_INCONSISTENT}, /* 7 > 1 x 6 */
        {2, {7, 0}, 9, 3, 2, 20, 20, 20, VOTE_INVALID_COUNTS_INCONSISTENT}, /* 7 > 6 non-blank */
        {2, {1, 1}, 2, 3, 1, 20, 20, 20, VOTE_INVALID_COUNTS_INCONSISTENT}, /* blank > cast */
        {2, {5, 5}, 8, 0, 1, 20, 20, 20, VOTE_INVALID_COUNTS_INCONSISTENT}, /* 10 > 1 x 8 */
        {2, {3, 2}, 8, 0, 1, 20, 20, 20, VOTE_INVALID_COUNTS_INCONSISTENT}, /* 5 < 8 */
        {0, {0}, 2, 0, 1, 20, 20, 20, VOTE_INVALID_COUNTS_INCONSISTENT},
        {2, {9, 9}, 9, 0, 1, 8, 0, 0, VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE}, /* comes first */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct election_tally t = {.n_candidates = rows[i].n,
                                   .votes = rows[i].votes,
                                   .ballots_cast = rows[i].cast,
                                   .ballots_blank = rows[i].blank,
                                   .eligible = rows[i].eligible,
                                   .present_at_open = rows[i].open,
                                   .present_at_close = rows[i].close,
                                   .quorum_required = 11,
                                   .seats = rows[i].seats};
        for (int rule = ER_MOST_VOTES; rule <= ER_ABSOLUTE_MAJORITY; rule++) {
            struct election_result r;
            assert_int_equal(vote_decide_election((enum election_rule)rule, &t, &r), 0);
            if (r.outcome != VOTE_INVALID || !r.invalid_reason ||
                strcmp(r.invalid_reason, rows[i].reason) != 0)
                fail_msg("row %zu rule %d: outcome %d reason %s", i, rule, r.outcome,
                         r.invalid_reason ? r.invalid_reason : "(null)");
            assert_int_equal(r.n_elected, 0);
            assert_int_equal(r.n_tied, 0);
            assert_false(r.is_tie);
        }
    }
}

static void test_election_refuses_bad_input(void **state)
{
    int votes[VOTE_MAX_CANDIDATES + 1] = {1};
    struct election_tally good = {.n_candidates = 2,
                                  .votes = votes,
                                  .ballots_cast = 1,
                                  .eligible = 5,
                                  .present_at_open = 5,
                                  .present_at_close = 5,
                                  .quorum_required = 3,
                                  .seats = 1};
    struct election_result r = {.threshold = -77};
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &good, &r), 0);
    r.threshold = -77;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, NULL, &r), OBR_EINVAL);
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &good, NULL), OBR_EINVAL);
    assert_int_equal(vote_decide_election((enum election_rule)7, &good, &r), OBR_EINVAL);
    struct election_tally t = good;
    t.seats = 0;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &t, &r), OBR_EINVAL);
    t.seats = VOTE_MAX_CANDIDATES + 1;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &t, &r), OBR_EINVAL);
    t = good;
    t.n_candidates = VOTE_MAX_CANDIDATES + 1;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &t, &r), OBR_EINVAL);
    t.n_candidates = -1;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &t, &r), OBR_EINVAL);
    t = good;
    t.votes = NULL;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &t, &r), OBR_EINVAL);
    t = good;
    t.ballots_blank = -1;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &t, &r), OBR_EINVAL);
    int negative[2] = {2, -1};
    t = good;
    t.votes = negative;
    assert_int_equal(vote_decide_election(ER_ABSOLUTE_MAJORITY, &t, &r), OBR_EINVAL);
    assert_int_equal(r.threshold, -77);
}

static void test_election_with_all_sixty_four_candidates(void **state)
{
    int votes[VOTE_MAX_CANDIDATES];
    for (int i = 0; i < VOTE_MAX_CANDIDATES; i++)
        votes[i] = i % 2 ? 3 : 2; /* odd indexes lead */
    struct election_tally t = {.n_candidates = VOTE_MAX_CANDIDATES,
                               .votes = votes,
                               .ballots_cast = 3,
                               .eligible = 3,
                               .present_at_open = 3,
                               .present_at_close = 3,
                               .seats = 64};
    struct election_result r;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &t, &r), 0);
    assert_int_equal(r.n_elected, 64);
    assert_false(r.is_tie);
    for (int i = 0; i < 32; i++) {
        assert_int_equal(r.elected[i], 2 * i + 1);
        assert_int_equal(r.elected[32 + i], 2 * i);
    }
    t.seats = 40;
    t.ballots_cast = 4; /* 160 choices spread over 4 ballots of up to 40 */
    t.eligible = t.present_at_open = t.present_at_close = 4;
    assert_int_equal(vote_decide_election(ER_MOST_VOTES, &t, &r), 0);
    assert_int_equal(r.n_elected, 32);
    assert_true(r.is_tie);
    assert_int_equal(r.n_tied, 32);
    assert_int_equal(r.tied[31], 62);
}

/* ---- Elections: brute force against a set definition ----
 * With Q the candidates reaching the rule's bar: c in Q is elected when
 * |{d in Q : votes[d] >= votes[c]}| <= seats; c in Q not elected is tied when
 * |{d in Q : votes[d] > votes[c]}| < seats (it competes for a seat). */
static void test_elections_match_set_definition_for_all_small_tallies(void **state)
{
    enum { N = 4, MAXV = 5 };
    long checked = 0;
    int v[N];
    for (int code = 0; code < 6 * 6 * 6 * 6; code++) {
        int sum = 0, max = 0;
        for (int i = 0, c = code; i < N; i++, c /= MAXV + 1) {
            v[i] = c % (MAXV + 1);
            sum += v[i];
            max = v[i] > max ? v[i] : max;
        }
        for (int seats = 1; seats <= N; seats++)
            for (int blank = 0; blank <= 2; blank += 2)
                for (int rule = ER_MOST_VOTES; rule <= ER_ABSOLUTE_MAJORITY; rule++) {
                    int nonblank = (sum + seats - 1) / seats;
                    nonblank = nonblank > max ? nonblank : max;
                    int cast = nonblank + blank;
                    struct election_tally t = {.n_candidates = N,
                                               .votes = v,
                                               .ballots_cast = cast,
                                               .ballots_blank = blank,
                                               .eligible = cast,
                                               .present_at_open = cast,
                                               .present_at_close = cast,
                                               .seats = seats};
                    struct election_result r;
                    assert_int_equal(vote_decide_election((enum election_rule)rule, &t, &r), 0);
                    bool in_q[N], want_elected[N], want_tied[N];
                    int n_elected = 0, n_tied = 0;
                    for (int c = 0; c < N; c++)
                        in_q[c] = rule == ER_MOST_VOTES ? v[c] >= 1 : 2 * v[c] > cast;
                    for (int c = 0; c < N; c++) {
                        int ge = 0, gt = 0;
                        for (int d = 0; d < N; d++) {
                            ge += in_q[d] && v[d] >= v[c];
                            gt += in_q[d] && v[d] > v[c];
                        }
                        want_elected[c] = in_q[c] && ge <= seats;
                        want_tied[c] = in_q[c] && !want_elected[c] && gt < seats;
                        n_elected += want_elected[c];
                        n_tied += want_tied[c];
                    }
                    bool got_elected[N] = {false}, got_tied[N] = {false};
                    for (int k = 0; k < r.n_elected; k++)
                        got_elected[r.elected[k]] = true;
                    for (int k = 0; k < r.n_tied; k++)
                        got_tied[r.tied[k]] = true;
                    bool ok = r.n_elected == n_elected && r.n_tied == n_tied &&
                              r.is_tie == (n_tied > 0) &&
                              r.outcome == (n_elected > 0 ? VOTE_ADOPTED : VOTE_REJECTED);
                    for (int c = 0; ok && c < N; c++)
                        ok = got_elected[c] == want_elected[c] && got_tied[c] == want_tied[c];
                    /* Listed by votes descending. */
                    for (int k = 1; ok && k < r.n_elected; k++)
                        ok = v[r.elected[k - 1]] >= v[r.elected[k]];
                    if (!ok)
                        fail_msg("rule %d seats %d votes %d %d %d %d cast %d: elected %d "
                                 "tied %d, want %d %d",
                                 rule, seats, v[0], v[1], v[2], v[3], cast, r.n_elected, r.n_tied,
                                 n_elected, n_tied);
                    checked++;
                }
    }
    assert_int_equal(checked, 1296L * 4 * 2 * 2);
}

/* ---- Wording ---- */

static struct motion_tally tally(int yes, int no, int abstain, int statutory)
{
    return (struct motion_tally){.yes = yes,
                                 .no = no,
                                 .abstain = abstain,
                                 .eligible = statutory,
                                 .present_at_open = statutory,
                                 .present_at_close = statutory,
                                 .statutory_size = statutory};
}

static void test_describe_examples_in_both_languages(void **state)
{
    char out[512];
    struct motion_tally t = tally(8, 4, 3, 15);
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_ABSOLUTE, &t, "pl"), 0);
    assert_string_equal(out, "bezwzględna większość głosów oddanych: więcej głosów „za” niż "
                             "łącznie „przeciw” i „wstrzymujących się” (potrzeba 8 z 15 "
                             "oddanych)");
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_ABSOLUTE, &t, "en"), 0);
    assert_string_equal(out, "absolute majority of votes cast: more votes for than against "
                             "and abstentions together (8 of 15 cast needed)");

    assert_int_equal(vote_rule_describe(out, sizeof out, VM_SIMPLE, &t, "pl"), 0);
    assert_string_equal(out, "zwykła większość głosów: więcej głosów „za” niż „przeciw”; remis "
                             "oznacza odrzucenie (potrzeba 7 z 12 głosów „za” i „przeciw”)");
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_SIMPLE, NULL, "en"), 0);
    assert_string_equal(out, "simple majority: more votes for than against; a tie means "
                             "rejection");

    t = tally(8, 1, 0, 15);
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_THREE_FIFTHS_STATUTORY, &t, "pl"), 0);
    assert_string_equal(out, "większość 3/5 ustawowego składu: co najmniej 3/5 ustawowego "
                             "składu głosuje „za” (potrzeba 9 z 15)");
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_ABSOLUTE_STATUTORY, &t, "en"), 0);
    assert_string_equal(out, "absolute majority of the statutory composition: more votes for "
                             "than half of the statutory composition (8 of 15 needed)");
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_TWO_THIRDS_CAST, &t, "pl"), 0);
    assert_string_equal(out, "większość 2/3 głosów oddanych: co najmniej 2/3 głosów oddanych "
                             "(łącznie „za”, „przeciw” i „wstrzymujących się”) to głosy „za” "
                             "(potrzeba 6 z 9 oddanych)");
}

static void test_describe_every_rule_names_its_numbers(void **state)
{
    char pl[512], en[512], want[64];
    for (int m = VM_SIMPLE; m <= VM_FOUR_FIFTHS_STATUTORY; m++)
        for (int s = 1; s <= 25; s += 4)
            for (int yes = 0; yes <= 9; yes += 3) {
                enum vote_majority vm = (enum vote_majority)m;
                struct motion_tally t = tally(yes, 2, 1, s + 12);
                struct motion_result r;
                assert_int_equal(vote_decide_motion(vm, &t, &r), 0);
                assert_int_equal(vote_rule_describe(pl, sizeof pl, vm, &t, "pl"), 0);
                assert_int_equal(vote_rule_describe(en, sizeof en, vm, &t, "en"), 0);
                int pool = vote_majority_is_statutory(vm) ? s + 12
                           : vm == VM_SIMPLE              ? yes + 2
                                                          : r.cast;
                snprintf(want, sizeof want, "%d z %d", r.threshold, pool);
                if (!strstr(pl, want))
                    fail_msg("%s: \"%s\" lacks \"%s\"", vote_majority_name(vm), pl, want);
                snprintf(want, sizeof want, "%d of %d", r.threshold, pool);
                if (!strstr(en, want))
                    fail_msg("%s: \"%s\" lacks \"%s\"", vote_majority_name(vm), en, want);
                assert_non_null(strstr(pl, "„za”"));
                assert_null(strstr(en, "„"));
                assert_true(utf8_is_valid(pl, strlen(pl)));
                /* Unknown or missing language is English. */
                char other[512];
                assert_int_equal(vote_rule_describe(other, sizeof other, vm, &t, NULL), 0);
                assert_string_equal(other, en);
                assert_int_equal(vote_rule_describe(other, sizeof other, vm, &t, "de"), 0);
                assert_string_equal(other, en);
            }
}

static void test_describe_zero_votes(void **state)
{
    char out[512];
    struct motion_tally t = tally(0, 0, 0, 15);
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_ABSOLUTE, &t, "pl"), 0);
    assert_non_null(strstr(out, "(nie oddano żadnego głosu)"));
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_TWO_THIRDS_CAST, &t, "en"), 0);
    assert_non_null(strstr(out, "(no votes cast)"));
    t.abstain = 15;
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_SIMPLE, &t, "pl"), 0);
    assert_non_null(strstr(out, "(nie oddano głosów „za” ani „przeciw”)"));
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_THREE_FIFTHS_STATUTORY, &t, "en"), 0);
    assert_non_null(strstr(out, "(9 of 15 needed)"));
}

/* Every buffer size from 1 up: the text is a prefix of the full one, valid
 * UTF-8, ends at a whole character, and OBR_ELIMIT exactly when cut. */
static void check_every_cut(int (*describe)(char *, size_t, const void *), const void *arg)
{
    char full[512], small[512];
    assert_int_equal(describe(full, sizeof full, arg), 0);
    size_t len = strlen(full);
    for (size_t size = 1; size <= len + 1; size++) {
        memset(small, 'x', sizeof small);
        int rc = describe(small, size, arg);
        assert_int_equal(rc, size <= len ? OBR_ELIMIT : 0);
        size_t got = strlen(small);
        assert_true(got < size);
        assert_true(got + 4 > size - 1); /* at most one character dropped */
        assert_memory_equal(small, full, got);
        assert_true(utf8_is_valid(small, got));
    }
}

static int describe_absolute_pl(char *out, size_t size, const void *arg)
{
    return vote_rule_describe(out, size, VM_ABSOLUTE, arg, "pl");
}

static int describe_election_pl(char *out, size_t size, const void *arg)
{
    return election_rule_describe(out, size, ER_ABSOLUTE_MAJORITY, arg, "pl");
}

static int describe_result_pl(char *out, size_t size, const void *arg)
{
    return vote_result_describe(out, size, arg, "pl");
}

static void test_describe_cuts_at_whole_characters(void **state)
{
    struct motion_tally t = tally(8, 4, 3, 15);
    check_every_cut(describe_absolute_pl, &t);
    int votes[2] = {8, 5};
    struct election_tally e = {.n_candidates = 2,
                               .votes = votes,
                               .ballots_cast = 15,
                               .ballots_blank = 2,
                               .eligible = 15,
                               .seats = 1};
    check_every_cut(describe_election_pl, &e);
    struct motion_result r = {.outcome = VOTE_INVALID,
                              .invalid_reason = VOTE_INVALID_NO_QUORUM_AT_CLOSE};
    check_every_cut(describe_result_pl, &r);

    /* "zwykła": a cut inside "ł" drops the whole character. */
    char out[7];
    assert_int_equal(vote_rule_describe(out, 6, VM_SIMPLE, NULL, "pl"), OBR_ELIMIT);
    assert_string_equal(out, "zwyk");
    assert_int_equal(vote_rule_describe(out, 7, VM_SIMPLE, NULL, "pl"), OBR_ELIMIT);
    assert_string_equal(out, "zwykł");
}

static void test_describe_refuses_bad_input(void **state)
{
    char out[256];
    struct motion_tally t = tally(1, 0, 0, 0);
    assert_int_equal(vote_rule_describe(NULL, 10, VM_SIMPLE, NULL, "pl"), OBR_EINVAL);
    assert_int_equal(vote_rule_describe(out, 0, VM_SIMPLE, NULL, "pl"), OBR_EINVAL);
    assert_int_equal(vote_rule_describe(out, sizeof out, (enum vote_majority)(VM_SHARES_ALL + 1), NULL, "pl"),
                     OBR_EINVAL);
    /* A statutory rule cannot be worded with numbers without the size. */
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_TWO_THIRDS_STATUTORY, &t, "pl"),
                     OBR_EINVAL);
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_TWO_THIRDS_CAST, &t, "pl"), 0);
    t.no = -1;
    assert_int_equal(vote_rule_describe(out, sizeof out, VM_SIMPLE, &t, "pl"), OBR_EINVAL);
    assert_int_equal(election_rule_describe(out, sizeof out, (enum election_rule)2, NULL, "pl"),
                     OBR_EINVAL);
    struct election_tally e = {.n_candidates = 1, .votes = NULL, .seats = 1};
    assert_int_equal(election_rule_describe(out, sizeof out, ER_MOST_VOTES, &e, "pl"), OBR_EINVAL);
    assert_int_equal(vote_result_describe(out, sizeof out, NULL, "pl"), OBR_EINVAL);
}

static void test_election_describe_in_both_languages(void **state)
{
    char out[512];
    int votes[3] = {8, 5, 0};
    struct election_tally t = {.n_candidates = 3,
                               .votes = votes,
                               .ballots_cast = 15,
                               .ballots_blank = 2,
                               .eligible = 20,
                               .seats = 1};
    assert_int_equal(election_rule_describe(out, sizeof out, ER_ABSOLUTE_MAJORITY, &t, "pl"), 0);
    assert_string_equal(out, "bezwzględna większość głosów: wybrany zostaje kandydat, który "
                             "otrzymał więcej niż połowę ważnych głosów, wliczając głosy puste; "
                             "remis o ostatnie miejsce nie jest rozstrzygany losowo (potrzeba 8 "
                             "z 15 oddanych głosów; miejsc do obsadzenia: 1)");
    assert_int_equal(election_rule_describe(out, sizeof out, ER_ABSOLUTE_MAJORITY, &t, "en"), 0);
    assert_non_null(strstr(out, "more than half of the valid ballots, blank ballots included"));
    assert_non_null(strstr(out, "(8 of 15 ballots needed; seats to fill: 1)"));
    t.seats = 3;
    t.ballots_cast = 8;
    t.ballots_blank = 0;
    assert_int_equal(election_rule_describe(out, sizeof out, ER_MOST_VOTES, &t, "pl"), 0);
    assert_non_null(strstr(out, "najwięcej głosów"));
    assert_non_null(strstr(out, "(miejsc do obsadzenia: 3)"));
    assert_int_equal(election_rule_describe(out, sizeof out, ER_MOST_VOTES, &t, "en"), 0);
    assert_non_null(strstr(out, "not decided by lot (seats to fill: 3)"));
    assert_int_equal(election_rule_describe(out, sizeof out, ER_MOST_VOTES, NULL, "en"), 0);
    assert_null(strstr(out, "seats to fill"));
    int none[1] = {0};
    struct election_tally empty = {.n_candidates = 1, .votes = none, .seats = 1};
    assert_int_equal(election_rule_describe(out, sizeof out, ER_ABSOLUTE_MAJORITY, &empty, "pl"),
                     0);
    assert_non_null(strstr(out, "(nie oddano żadnego głosu; miejsc do obsadzenia: 1)"));
}

static void test_outcome_and_reason_texts(void **state)
{
    assert_string_equal(vote_outcome_text(VOTE_ADOPTED, "pl"), "podjęta");
    assert_string_equal(vote_outcome_text(VOTE_REJECTED, "pl"), "odrzucona");
    assert_string_equal(vote_outcome_text(VOTE_INVALID, "pl"), "nieważne");
    assert_string_equal(vote_outcome_text(VOTE_ADOPTED, "en"), "adopted");
    assert_string_equal(vote_outcome_text(VOTE_REJECTED, NULL), "rejected");
    assert_string_equal(vote_outcome_text(VOTE_INVALID, "en"), "invalid");
    assert_null(vote_outcome_text((enum vote_outcome)3, "pl"));
    assert_string_equal(election_outcome_text(VOTE_ADOPTED, "pl"), "rozstrzygnięte");
    assert_string_equal(election_outcome_text(VOTE_REJECTED, "en"), "no one elected");
    assert_null(election_outcome_text((enum vote_outcome) - 1, "en"));

    static const char *const reasons[] = {
        VOTE_INVALID_NO_QUORUM_AT_OPEN, VOTE_INVALID_NO_QUORUM_AT_CLOSE,
        VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE, VOTE_INVALID_COUNTS_INCONSISTENT};
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        assert_non_null(vote_invalid_reason_text(reasons[i], "pl"));
        assert_non_null(vote_invalid_reason_text(reasons[i], "en"));
        assert_string_not_equal(vote_invalid_reason_text(reasons[i], "pl"),
                                vote_invalid_reason_text(reasons[i], "en"));
    }
    assert_null(vote_invalid_reason_text(NULL, "pl"));
    assert_null(vote_invalid_reason_text("quorum", "pl"));

    static const struct {
        struct motion_result r;
        const char *lang, *want;
    } rows[] = {
        {{.outcome = VOTE_ADOPTED}, "pl", "podjęta"},
        {{.outcome = VOTE_REJECTED, .is_tie = true}, "pl", "odrzucona — remis"},
        {{.outcome = VOTE_REJECTED, .is_tie = true}, "en", "rejected — tie"},
        {{.outcome = VOTE_REJECTED}, "en", "rejected"},
        {{.outcome = VOTE_INVALID, .invalid_reason = VOTE_INVALID_NO_QUORUM_AT_OPEN},
         "pl",
         "nieważne — brak kworum przy otwarciu głosowania"},
        {{.outcome = VOTE_INVALID, .invalid_reason = VOTE_INVALID_NO_QUORUM_AT_CLOSE},
         "en",
         "invalid — no quorum when the vote closed"},
        {{.outcome = VOTE_INVALID}, "en", "invalid"},
    };
    char out[256];
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(vote_result_describe(out, sizeof out, &rows[i].r, rows[i].lang), 0);
        assert_string_equal(out, rows[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_majority_table),
        cmocka_unit_test(test_absolute_majority_of_cast_table),
        cmocka_unit_test(test_absolute_majority_of_statutory_table),
        cmocka_unit_test(test_two_thirds_of_cast_table),
        cmocka_unit_test(test_three_fifths_of_cast_table),
        cmocka_unit_test(test_two_thirds_of_statutory_table),
        cmocka_unit_test(test_three_fifths_of_statutory_table),
        cmocka_unit_test(test_four_fifths_of_statutory_table),
        cmocka_unit_test(test_one_tally_under_every_rule_statutory_vs_cast),
        cmocka_unit_test(test_quorum_at_open_and_close_table),
        cmocka_unit_test(test_motion_refuses_bad_input_and_leaves_result_untouched),
        cmocka_unit_test(test_majority_names_round_trip),
        cmocka_unit_test(test_every_rule_matches_reference_for_all_small_tallies),
        cmocka_unit_test(test_election_table),
        cmocka_unit_test(test_election_invalid_table),
        cmocka_unit_test(test_election_refuses_bad_input),
        cmocka_unit_test(test_election_with_all_sixty_four_candidates),
        cmocka_unit_test(test_elections_match_set_definition_for_all_small_tallies),
        cmocka_unit_test(test_describe_examples_in_both_languages),
        cmocka_unit_test(test_describe_every_rule_names_its_numbers),
        cmocka_unit_test(test_describe_zero_votes),
        cmocka_unit_test(test_describe_cuts_at_whole_characters),
        cmocka_unit_test(test_describe_refuses_bad_input),
        cmocka_unit_test(test_election_describe_in_both_languages),
        cmocka_unit_test(test_outcome_and_reason_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
