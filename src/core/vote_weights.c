/* vote_weights.c — weights as exact millionths and motions decided on them
 * (see vote_weights.h). Integer arithmetic only: "more than half of pool" is
 * yes * 2 > pool, i.e. yes >= pool / 2 + 1 in millionths. */
#include "core/vote_weights.h"

#include <stdio.h>
#include <string.h>

#include "util/err.h"

enum weight_error vote_weight_parse(const char *s, int64_t *micro)
{
    if (!s || !micro)
        return WEIGHT_NOT_NUMBER;
    int64_t whole = 0, frac = 0;
    int n_whole = 0, n_frac = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, n_whole++)
        if (n_whole < 8)
            whole = whole * 10 + (*p - '0');
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, n_frac++)
            if (n_frac < WEIGHT_DECIMALS)
                frac = frac * 10 + (*p - '0');
        if (n_frac == 0)
            return WEIGHT_NOT_NUMBER;
    }
    if (*p || n_whole == 0)
        return WEIGHT_NOT_NUMBER;
    if (n_frac > WEIGHT_DECIMALS || n_whole > 7)
        return WEIGHT_TOO_MANY_DIGITS;
    for (int i = n_frac; i < WEIGHT_DECIMALS; i++)
        frac *= 10;
    int64_t v = whole * WEIGHT_ONE + frac;
    if (v == 0)
        return WEIGHT_NOT_POSITIVE;
    if (v > WEIGHT_MAX)
        return WEIGHT_TOO_LARGE;
    *micro = v;
    return WEIGHT_OK;
}

void vote_weight_format(int64_t micro, char *out, size_t size)
{
    if (!out || size == 0)
        return;
    if (micro < 0)
        micro = 0;
    int64_t frac = micro % WEIGHT_ONE;
    if (!frac) {
        snprintf(out, size, "%lld", (long long)(micro / WEIGHT_ONE));
        return;
    }
    char digits[8];
    snprintf(digits, sizeof digits, "%06lld", (long long)frac);
    size_t n = strlen(digits);
    while (n > 1 && digits[n - 1] == '0')
        digits[--n] = '\0';
    snprintf(out, size, "%lld.%s", (long long)(micro / WEIGHT_ONE), digits);
}

static bool sum_ok(int64_t w)
{
    return w >= 0 && w <= (int64_t)VOTE_COUNT_MAX * WEIGHT_MAX;
}

int vote_decide_weighted(enum vote_majority m, const struct motion_tally *t,
                         const struct weight_tally *wt, struct motion_result *heads,
                         struct weight_result *w)
{
    if (!t || !wt || !heads || !w || !vote_majority_name(m))
        return OBR_EINVAL;
    if (!sum_ok(wt->yes) || !sum_ok(wt->no) || !sum_ok(wt->abstain) || !sum_ok(wt->eligible))
        return OBR_EINVAL;
    struct weight_result r = {.cast = wt->yes + wt->no + wt->abstain};
    r.is_tie = wt->yes == wt->no && wt->yes > 0;
    bool is_weighted = vote_majority_is_weighted(m);
    /* Heads decide validity; for a weighted rule any head rule with the same
     * checks will do, and its threshold is not the one that counts. */
    struct motion_result h;
    int rc = vote_decide_motion(is_weighted ? VM_SIMPLE : m, t, &h);
    if (rc)
        return rc;
    if (!h.invalid_reason && r.cast > wt->eligible) {
        h.invalid_reason = VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE;
        h.outcome = VOTE_INVALID;
        h.is_tie = false;
    }
    if (is_weighted) {
        int64_t pool = m == VM_SHARES_ALL ? wt->eligible : r.cast;
        r.threshold = pool / 2 + 1; /* yes * 2 > pool */
        h.threshold = 0;
        h.is_tie = !h.invalid_reason && r.is_tie;
        if (!h.invalid_reason)
            h.outcome = wt->yes >= r.threshold ? VOTE_ADOPTED : VOTE_REJECTED;
    }
    *heads = h;
    *w = r;
    return 0;
}
