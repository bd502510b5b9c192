/* vote_rules.c — the majorities and election rules as tables and integer
 * arithmetic (see vote_rules.h). No floating point anywhere: "at least p/q of
 * n" is yes >= ceil(p*n/q), computed as (p*n + q - 1) / q; counts are capped
 * at VOTE_COUNT_MAX so p*n stays far inside int. */
#include "core/vote_rules.h"

#include <string.h>

#include "util/err.h"

/* How a majority measures: the pool it compares yes against, and the
 * fraction of that pool. "more than half" is written as p/q = 1/2 strict. */
enum pool { POOL_YES_NO, POOL_CAST, POOL_STATUTORY, POOL_WEIGHTS };

struct majority {
    enum vote_majority m;
    const char *name;
    enum pool pool;
    int p, q;
    bool is_strict; /* yes * q > p * pool; otherwise yes * q >= p * pool */
};

static const struct majority majorities[] = {
    {VM_SIMPLE, "simple", POOL_YES_NO, 1, 2, true},
    {VM_ABSOLUTE, "absolute", POOL_CAST, 1, 2, true},
    {VM_ABSOLUTE_STATUTORY, "absolute_statutory", POOL_STATUTORY, 1, 2, true},
    {VM_TWO_THIRDS_CAST, "two_thirds", POOL_CAST, 2, 3, false},
    {VM_THREE_FIFTHS_CAST, "three_fifths", POOL_CAST, 3, 5, false},
    {VM_TWO_THIRDS_STATUTORY, "two_thirds_statutory", POOL_STATUTORY, 2, 3, false},
    {VM_THREE_FIFTHS_STATUTORY, "three_fifths_statutory", POOL_STATUTORY, 3, 5, false},
    {VM_FOUR_FIFTHS_STATUTORY, "four_fifths_statutory", POOL_STATUTORY, 4, 5, false},
    /* Decided in vote_weights.c on sums of weights. */
    {VM_SHARES_CAST, "shares_cast", POOL_WEIGHTS, 1, 2, true},
    {VM_SHARES_ALL, "shares_all", POOL_WEIGHTS, 1, 2, true},
};

enum { N_MAJORITIES = sizeof majorities / sizeof majorities[0] };

static const struct majority *find_majority(enum vote_majority m)
{
    for (size_t i = 0; i < N_MAJORITIES; i++)
        if (majorities[i].m == m)
            return &majorities[i];
    return NULL;
}

int vote_majority_parse(const char *name, enum vote_majority *out)
{
    if (!name || !out)
        return OBR_EINVAL;
    for (size_t i = 0; i < N_MAJORITIES; i++)
        if (strcmp(majorities[i].name, name) == 0) {
            *out = majorities[i].m;
            return 0;
        }
    return OBR_EINVAL;
}

const char *vote_majority_name(enum vote_majority m)
{
    const struct majority *mj = find_majority(m);
    return mj ? mj->name : NULL;
}

bool vote_majority_is_statutory(enum vote_majority m)
{
    const struct majority *mj = find_majority(m);
    return mj && mj->pool == POOL_STATUTORY;
}

bool vote_majority_is_weighted(enum vote_majority m)
{
    const struct majority *mj = find_majority(m);
    return mj && mj->pool == POOL_WEIGHTS;
}

/* The fewest yes votes out of pool that satisfy the fraction: for a strict
 * "more than p/q" floor(p*pool/q) + 1, otherwise ceil(p*pool/q); never below
 * 1, so no motion passes without a single vote for it (2/3 of zero votes
 * cast is zero, and zero votes for adopt nothing). */
static int threshold_of(const struct majority *mj, int pool)
{
    int t = mj->is_strict ? mj->p * pool / mj->q + 1 : (mj->p * pool + mj->q - 1) / mj->q;
    return t < 1 ? 1 : t;
}

static bool count_ok(int n)
{
    return n >= 0 && n <= VOTE_COUNT_MAX;
}

int vote_decide_motion(enum vote_majority m, const struct motion_tally *t,
                       struct motion_result *out)
{
    const struct majority *mj = find_majority(m);
    if (!mj || !t || !out || mj->pool == POOL_WEIGHTS)
        return OBR_EINVAL;
    if (!count_ok(t->yes) || !count_ok(t->no) || !count_ok(t->abstain) || !count_ok(t->eligible) ||
        !count_ok(t->present_at_open) || !count_ok(t->present_at_close) ||
        !count_ok(t->statutory_size) || !count_ok(t->quorum_required))
        return OBR_EINVAL;
    if (mj->pool == POOL_STATUTORY && t->statutory_size < 1)
        return OBR_EINVAL;

    struct motion_result r = {0};
    r.cast = t->yes + t->no + t->abstain;
    int pool = mj->pool == POOL_YES_NO ? t->yes + t->no
               : mj->pool == POOL_CAST ? r.cast
                                       : t->statutory_size;
    r.threshold = threshold_of(mj, pool);

    if (r.cast > t->eligible)
        r.invalid_reason = VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE;
    else if (t->present_at_open < t->quorum_required)
        r.invalid_reason = VOTE_INVALID_NO_QUORUM_AT_OPEN;
    else if (t->present_at_close < t->quorum_required)
        r.invalid_reason = VOTE_INVALID_NO_QUORUM_AT_CLOSE;
    r.not_voted = r.cast > t->eligible ? 0 : t->eligible - r.cast;

    if (r.invalid_reason) {
        r.outcome = VOTE_INVALID;
    } else {
        r.is_tie = t->yes == t->no && t->yes > 0;
        r.outcome = t->yes >= r.threshold ? VOTE_ADOPTED : VOTE_REJECTED;
    }
    *out = r;
    return 0;
}

/* ---- Elections ---- */

static const char *const election_rule_names[] = {
    [ER_MOST_VOTES] = "most_votes",
    [ER_ABSOLUTE_MAJORITY] = "absolute_majority",
};

int election_rule_parse(const char *name, enum election_rule *out)
{
    if (!name || !out)
        return OBR_EINVAL;
    for (size_t i = 0; i < sizeof election_rule_names / sizeof election_rule_names[0]; i++)
        if (strcmp(election_rule_names[i], name) == 0) {
            *out = (enum election_rule)i;
            return 0;
        }
    return OBR_EINVAL;
}

const char *election_rule_name(enum election_rule r)
{
    if ((unsigned)r >= sizeof election_rule_names / sizeof election_rule_names[0])
        return NULL;
    return election_rule_names[r];
}

/* Invalid-count checks beyond the bounds: each non-blank ballot chooses
 * between 1 and seats candidates, once each. */
static bool counts_consistent(const struct election_tally *t)
{
    int nonblank = t->ballots_cast - t->ballots_blank;
    if (nonblank < 0)
        return false;
    long long sum = 0;
    for (int i = 0; i < t->n_candidates; i++) {
        if (t->votes[i] > nonblank)
            return false;
        sum += t->votes[i];
    }
    return sum >= nonblank && sum <= (long long)t->seats * nonblank;
}

int vote_decide_election(enum election_rule rule, const struct election_tally *t,
                         struct election_result *out)
{
    if (!election_rule_name(rule) || !t || !out)
        return OBR_EINVAL;
    if (t->n_candidates < 0 || t->n_candidates > VOTE_MAX_CANDIDATES || t->seats < 1 ||
        t->seats > VOTE_MAX_CANDIDATES || (t->n_candidates > 0 && !t->votes))
        return OBR_EINVAL;
    if (!count_ok(t->ballots_cast) || !count_ok(t->ballots_blank) || !count_ok(t->eligible) ||
        !count_ok(t->present_at_open) || !count_ok(t->present_at_close) ||
        !count_ok(t->quorum_required))
        return OBR_EINVAL;
    for (int i = 0; i < t->n_candidates; i++)
        if (!count_ok(t->votes[i]))
            return OBR_EINVAL;

    struct election_result r = {0};
    r.threshold = rule == ER_ABSOLUTE_MAJORITY ? t->ballots_cast / 2 + 1 : 1;
    r.not_voted = t->ballots_cast > t->eligible ? 0 : t->eligible - t->ballots_cast;
    if (t->ballots_cast > t->eligible)
        r.invalid_reason = VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE;
    else if (!counts_consistent(t))
        r.invalid_reason = VOTE_INVALID_COUNTS_INCONSISTENT;
    else if (t->present_at_open < t->quorum_required)
        r.invalid_reason = VOTE_INVALID_NO_QUORUM_AT_OPEN;
    else if (t->present_at_close < t->quorum_required)
        r.invalid_reason = VOTE_INVALID_NO_QUORUM_AT_CLOSE;
    if (r.invalid_reason) {
        r.outcome = VOTE_INVALID;
        *out = r;
        return 0;
    }

    /* The candidates who reach the threshold, ranked by votes descending,
     * index ascending (insertion sort keeps equal votes in index order). */
    int ranked[VOTE_MAX_CANDIDATES], n = 0;
    for (int i = 0; i < t->n_candidates; i++) {
        if (t->votes[i] < r.threshold)
            continue;
        int j = n++;
        while (j > 0 && t->votes[ranked[j - 1]] < t->votes[i]) {
            ranked[j] = ranked[j - 1];
            j--;
        }
        ranked[j] = i;
    }

    if (n <= t->seats) {
        for (int i = 0; i < n; i++)
            r.elected[r.n_elected++] = ranked[i];
    } else {
        /* More reach the threshold than there are seats. The last seat goes
         * to ranked[seats - 1]; if the next one has as many votes, everyone
         * with that many is tied and none of them is elected. */
        int boundary = t->votes[ranked[t->seats - 1]];
        bool is_tie = t->votes[ranked[t->seats]] == boundary;
        for (int i = 0; i < n; i++) {
            int v = t->votes[ranked[i]];
            if (v > boundary || (!is_tie && i < t->seats))
                r.elected[r.n_elected++] = ranked[i];
            else if (is_tie && v == boundary)
                r.tied[r.n_tied++] = ranked[i];
        }
        r.is_tie = is_tie;
    }
    r.outcome = r.n_elected > 0 ? VOTE_ADOPTED : VOTE_REJECTED;
    *out = r;
    return 0;
}
