/* vote_weights.h — members' weights (shares, "udziały": 0.0473, or 125 m²)
 * as exact integers, and motions decided on weights ("większość udziałów").
 * A weight is stored and summed in millionths (int64), never as a float, so
 * a result recomputed from the log is the same to the last digit. Pure
 * functions; the vote engine freezes each voter's weight when a vote opens. */
#ifndef OBR_VOTE_WEIGHTS_H
#define OBR_VOTE_WEIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vote_rules.h"

/* One whole unit of weight, in the millionths everything here counts in. */
#define WEIGHT_ONE 1000000LL
/* The largest weight, 1 000 000 (whole units): with at most VOTE_COUNT_MAX
 * voters every sum stays below 10^18 and every product below 4·10^18. */
#define WEIGHT_MAX (1000000LL * WEIGHT_ONE)
/* Most digits after the decimal point (millionths). */
#define WEIGHT_DECIMALS 6
/* Room for the longest weight as text ("1000000.000001" and NUL), and for
 * a sum of weights ("1000000000000.000000"). */
#define WEIGHT_TEXT_SIZE 32

/* Why a weight was refused, for the message naming the field. */
enum weight_error {
    WEIGHT_OK = 0,
    WEIGHT_NOT_NUMBER,      /* empty, a sign, letters, "1e3", "1,5" ... */
    WEIGHT_TOO_MANY_DIGITS, /* more than 6 decimals or 7 whole digits */
    WEIGHT_NOT_POSITIVE,    /* zero ("0", "0.000") */
    WEIGHT_TOO_LARGE,       /* above WEIGHT_MAX */
};

/* Parses a plain decimal "125", "0.0473", "12.5" (digits, at most one dot
 * with digits on both sides) into millionths. Returns WEIGHT_OK and sets
 * *micro, or the reason (then *micro is untouched). */
enum weight_error vote_weight_parse(const char *s, int64_t *micro);

/* Writes micro (>= 0) as the shortest decimal ("0.0473", "125", "1.5")
 * into out (at least WEIGHT_TEXT_SIZE bytes). */
void vote_weight_format(int64_t micro, char *out, size_t size);

/* The sums of the weights of a motion, in millionths. eligible is the sum
 * over the whole electorate frozen at the opening. */
struct weight_tally {
    int64_t yes, no, abstain;
    int64_t eligible;
};

/* The weighted side of a result: cast = yes + no + abstain; threshold is
 * the least weight "for" that adopts under a VM_SHARES_* rule (0 under a
 * rule decided on heads: only the sums are shown); is_tie when yes == no
 * and both are non-zero. */
struct weight_result {
    int64_t cast;
    int64_t threshold;
    bool is_tie;
};

/* Decides a motion when the body uses weights. Under a VM_SHARES_* rule the
 * outcome follows the weights: "for" must exceed half of cast (shares_cast)
 * or half of eligible (shares_all); validity (counts above the electorate,
 * quorum at opening and closing) follows heads exactly as
 * vote_decide_motion, and the head threshold is reported as 0. Under every
 * other rule *heads is vote_decide_motion's result and *w only the sums.
 * A weighted cast above the weighted electorate makes the vote invalid
 * (counts_exceed_eligible). Returns 0, or OBR_EINVAL for NULL pointers, an
 * unknown rule, a count vote_decide_motion refuses, or a weight sum that is
 * negative or above VOTE_COUNT_MAX · WEIGHT_MAX. */
int vote_decide_weighted(enum vote_majority m, const struct motion_tally *t,
                         const struct weight_tally *wt, struct motion_result *heads,
                         struct weight_result *w);

/* The weighted numbers in words, e.g. "udziały: za 0.6, przeciw 0.3,
 * wstrzymujące się 0.1; potrzeba więcej niż 0.5 z 1 oddanych" / "shares:
 * for 0.6, ...". Returns 0, OBR_EINVAL, or OBR_ELIMIT when out is too small. */
int vote_weights_describe(char *out, size_t size, enum vote_majority m,
                          const struct weight_tally *wt, const struct weight_result *w,
                          const char *lang);

#endif
