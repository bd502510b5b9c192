/* pl_collate.c — see pl_collate.h. Three levels as in the Unicode collation
 * algorithm, cut down to what names need: the letter (Polish letters are
 * letters of their own), then the accent of a foreign letter, then case. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/pl_collate.h"

#define KEY_MAX 256

struct weight {
    uint32_t primary;   /* 0: ignorable */
    uint32_t secondary; /* accent of a foreign letter */
    uint32_t tertiary;  /* 0 lower, 1 upper */
};

/* Decodes one UTF-8 sequence at *p (advancing it); invalid bytes come out
 * as themselves above the Unicode range so they still sort stably. */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) {
        *p = s + 1;
        return 0x110000 + c;
    }
    c = n ? c & (0x3F >> n) : c;
    for (int i = 1; i <= n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *p = s + 1;
            return 0x110000 + s[0];
        }
        c = (c << 6) | (s[i] & 0x3F);
    }
    *p = s + n + 1;
    return c;
}

/* Place of a Polish letter (lower case) in the alphabet, or -1. */
static int polish_rank(uint32_t lower)
{
    static const uint32_t ORDER[] = {
        'a', 0x105, 'b', 'c', 0x107, 'd', 'e', 0x119, 'f', 'g', 'h', 'i', 'j', 'k', 'l', 0x142, 'm',
        'n', 0x144, 'o', 0xF3, 'p', 'q', 'r', 's', 0x15B, 't', 'u', 'v', 'w', 'x', 'y', 'z', 0x17A,
        0x17C,
    };
    for (size_t i = 0; i < sizeof ORDER / sizeof ORDER[0]; i++)
        if (ORDER[i] == lower)
            return (int)i;
    return -1;
}

/* Foreign accented Latin letters fold to their base letter. */
static uint32_t fold_accent(uint32_t c, uint32_t *accent)
{
    static const struct {
        const char *from;
        char base;
    } FOLDS[] = {
        {"àáâãäåā", 'a'}, {"çčĉ", 'c'}, {"ďđ", 'd'}, {"èéêëěē", 'e'}, {"ğ", 'g'},
        {"ìíîïī", 'i'},   {"ľĺ", 'l'},  {"ňñ", 'n'}, {"òôõöøō", 'o'}, {"řŕ", 'r'},
        {"šşß", 's'},     {"ťţ", 't'},  {"ùúûüůū", 'u'}, {"ýÿ", 'y'}, {"žẑ", 'z'},
    };
    for (size_t i = 0; i < sizeof FOLDS / sizeof FOLDS[0]; i++) {
        const unsigned char *p = (const unsigned char *)FOLDS[i].from;
        for (uint32_t k = 1; *p; k++)
            if (next_cp(&p) == c) {
                *accent = k;
                return (uint32_t)FOLDS[i].base;
            }
    }
    return c;
}

static uint32_t to_lower(uint32_t c, bool *is_upper)
{
    *is_upper = false;
    if (c >= 'A' && c <= 'Z') {
        *is_upper = true;
        return c + 32;
    }
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) { /* Latin-1 capitals */
        *is_upper = true;
        return c + 32;
    }
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x17F) {
        /* Latin Extended-A pairs capital/small as even/odd, except the
         * ranges 0x139..0x148 and 0x179..0x17E where capitals are odd. */
        bool odd_capitals = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        bool is_cap = odd_capitals ? (c & 1) : !(c & 1);
        if (is_cap) {
            *is_upper = true;
            return c + 1;
        }
    }
    return c;
}

static struct weight weigh(uint32_t c)
{
    struct weight w = {0, 0, 0};
    if (c == ' ' || c == '-' || c == '\'' || c == '.' || c == 0x2019 || c == 0xA0)
        return w;
    bool upper;
    uint32_t lower = to_lower(c, &upper);
    w.tertiary = upper;
    if (c >= '0' && c <= '9') {
        w.primary = 10 + (c - '0');
        return w;
    }
    int r = polish_rank(lower);
    if (r < 0) {
        uint32_t base = fold_accent(lower, &w.secondary);
        r = base != lower ? polish_rank(base) : -1;
    }
    w.primary = r >= 0 ? 100 + (uint32_t)r : 1000 + lower;
    return w;
}

static int weigh_all(const char *s, struct weight *out)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int n = 0;
    while (*p && n < KEY_MAX) {
        struct weight w = weigh(next_cp(&p));
        if (w.primary)
            out[n++] = w;
    }
    return n;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
    return (a > b) - (a < b);
}

int pl_compare(const char *a, const char *b)
{
    struct weight wa[KEY_MAX], wb[KEY_MAX];
    int na = weigh_all(a, wa), nb = weigh_all(b, wb);
    int n = na < nb ? na : nb;
    for (int i = 0; i < n; i++)
        if (wa[i].primary != wb[i].primary)
            return cmp_u32(wa[i].primary, wb[i].primary);
    if (na != nb)
        return na < nb ? -1 : 1;
    for (int i = 0; i < n; i++)
        if (wa[i].secondary != wb[i].secondary)
            return cmp_u32(wa[i].secondary, wb[i].secondary);
    for (int i = 0; i < n; i++)
        if (wa[i].tertiary != wb[i].tertiary)
            return cmp_u32(wa[i].tertiary, wb[i].tertiary);
    int r = strcmp(a ? a : "", b ? b : "");
    return (r > 0) - (r < 0);
}

static const char *surname(const char *name)
{
    const char *s = name ? name : "";
    const char *last = s;
    for (const char *p = s; *p; p++)
        if (*p == ' ' && p[1] && p[1] != ' ')
            last = p + 1;
    return last;
}

int pl_compare_names(const char *a, const char *b)
{
    int r = pl_compare(surname(a), surname(b));
    return r ? r : pl_compare(a, b);
}
