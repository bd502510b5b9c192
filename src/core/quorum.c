/* quorum.c — the quorum rules as one table (see quorum.h). Integer
 * arithmetic only: ceil(a/b) is (a + b - 1) / b for a >= 0. */
#include "core/quorum.h"

#include <stdio.h>
#include <string.h>

#include "util/err.h"

enum { Q_HALF, Q_MAJORITY, Q_TWO_THIRDS, Q_NONE };

struct rule {
    const char *name;
    int kind;
    const char *text_pl;
    const char *text_en;
};

static const struct rule rules[] = {
    {"half_statutory", Q_HALF, "co najmniej połowa ustawowego składu",
     "at least half of the statutory composition"},
    {"majority_statutory", Q_MAJORITY, "więcej niż połowa ustawowego składu",
     "more than half of the statutory composition"},
    {"two_thirds_statutory", Q_TWO_THIRDS, "co najmniej dwie trzecie ustawowego składu",
     "at least two thirds of the statutory composition"},
    {"none", Q_NONE, "bez wymogu kworum", "no quorum required"},
};

static const struct rule *find_rule(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (strcmp(rules[i].name, name) == 0)
            return &rules[i];
    return NULL;
}

static bool is_polish(const char *lang)
{
    return lang && strcmp(lang, "pl") == 0;
}

int quorum_required(const char *rule, int statutory_size)
{
    const struct rule *r = find_rule(rule);
    if (!r || statutory_size < 0)
        return -1;
    int n = statutory_size;
    switch (r->kind) {
    case Q_HALF:
        return (n + 1) / 2;
    case Q_MAJORITY:
        return n / 2 + 1;
    case Q_TWO_THIRDS:
        /* 2n cannot overflow for any real body; guard anyway. */
        if (n > (1 << 29))
            return -1;
        return (2 * n + 2) / 3;
    default:
        return 0;
    }
}

bool quorum_is_met(const char *rule, int statutory_size, int present)
{
    int required = quorum_required(rule, statutory_size);
    return required >= 0 && present >= required;
}

bool quorum_rule_is_known(const char *rule)
{
    return find_rule(rule) != NULL;
}

const char *quorum_rule_text(const char *rule, const char *lang)
{
    const struct rule *r = find_rule(rule);
    if (!r)
        return NULL;
    return is_polish(lang) ? r->text_pl : r->text_en;
}

int quorum_describe(char *out, size_t size, const char *rule, int statutory_size, const char *lang)
{
    const struct rule *r = find_rule(rule);
    int required = quorum_required(rule, statutory_size);
    if (!out || size == 0 || !r || required < 0)
        return OBR_EINVAL;
    const char *text = is_polish(lang) ? r->text_pl : r->text_en;
    int n;
    if (r->kind == Q_NONE)
        n = snprintf(out, size, "%s", text);
    else
        n = snprintf(out, size, "%s (%d %s %d)", text, required, is_polish(lang) ? "z" : "of",
                     statutory_size);
    if (n < 0)
        return OBR_EINVAL;
    if ((size_t)n < size)
        return 0;
    /* Truncated: never leave half of a multi-byte character at the end. */
    size_t len = size - 1, lead = len;
    while (lead > 0 && ((unsigned char)out[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead > 0) {
        unsigned char c = (unsigned char)out[lead - 1];
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (lead - 1 + need > len)
            out[lead - 1] = '\0';
    }
    return OBR_ELIMIT;
}
