/* role_words.h — a member's role in Polish words that agree with the person:
 * "przewodnicząca" for a woman chair, "przewodniczący" for a man. We keep no
 * gender; a Polish given name ending in -a is a woman's (with the few men's
 * names that end so listed), which is what the office's own lists show.
 * Pure functions, no I/O (tests/unit/test_role_words.c). */
#ifndef OBR_ROLE_WORDS_H
#define OBR_ROLE_WORDS_H

#include <stdbool.h>

/* True when the given name in name ("prof. dr hab. Zofia Łęcka": Zofia) is
 * a woman's by the rule above; false for NULL, "" or no given name. */
bool role_words_is_feminine(const char *name);

/* The role ("chair", "vice_chair", "member", "secretary", "guest") in Polish
 * for the person named name; with is_hyphenated, soft hyphens (U+00AD) mark
 * where a long word may break in a narrow PDF column. Unknown roles: "członek". */
const char *role_words_pl(const char *role, const char *name, bool is_hyphenated);

#endif
