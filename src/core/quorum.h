/* quorum.h — how many members must be present for a body to deliberate,
 * under the rule its statute names, and the rule in words for screens and
 * protocols. Pure functions; meeting_state.c folds presence into has_quorum. */
#ifndef OBR_QUORUM_H
#define OBR_QUORUM_H

#include <stdbool.h>
#include <stddef.h>

/* The rules, by the names stored with a body:
 *   "half_statutory"       at least half of the statutory size: ceil(n/2)
 *                          (Polish municipal act, art. 14: "co najmniej połowa
 *                          ustawowego składu")
 *   "majority_statutory"   more than half: n/2 + 1 (integer division)
 *   "two_thirds_statutory" at least two thirds: ceil(2n/3)
 *   "none"                 no quorum: 0
 * Returns the number of present members required, or -1 for an unknown rule,
 * a NULL rule or a negative statutory_size. */
int quorum_required(const char *rule, int statutory_size);

/* True when present >= quorum_required(rule, statutory_size); false for an
 * unknown rule. */
bool quorum_is_met(const char *rule, int statutory_size, int present);

/* True when rule is one of the names above. */
bool quorum_rule_is_known(const char *rule);

/* The rule in words: lang "pl" gives Polish, anything else (NULL, "en")
 * English. Static text; NULL for an unknown rule. */
const char *quorum_rule_text(const char *rule, const char *lang);

/* Writes the rule with its numbers into out, e.g.
 * "co najmniej połowa ustawowego składu (8 z 15)" or
 * "at least half of the statutory composition (8 of 15)"; "none" has no
 * numbers. Returns 0, OBR_EINVAL for an unknown rule or bad arguments,
 * OBR_ELIMIT when out is too small (out then holds a truncated string). */
int quorum_describe(char *out, size_t size, const char *rule, int statutory_size, const char *lang);

#endif
