/* report_text.c — see report_text.h. */
#include "report/report_text.h"

#include <stdio.h>
#include <string.h>

#include "mail/invitations.h"

/* One code point from *s (advancing it); 0 at the end. Invalid bytes are
 * taken one at a time as themselves: the order only has to be total. */
static unsigned next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    if (!*p)
        return 0;
    if (*p < 0x80 || (*p & 0xE0) != 0xC0 || (p[1] & 0xC0) != 0x80) {
        if ((*p & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            *s += 3;
            return ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        }
        *s += 1;
        return *p;
    }
    *s += 2;
    return ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
}

/* The primary key of a code point: Latin letters as 'a'..'z' times 4 with
 * the Polish letter with a diacritic right after its base letter. */
static unsigned primary(unsigned cp)
{
    static const struct {
        unsigned lower, upper;
        char base;
        unsigned rank;
    } PL[] = {
        {0x105, 0x104, 'a', 1}, {0x107, 0x106, 'c', 1}, {0x119, 0x118, 'e', 1},
        {0x142, 0x141, 'l', 1}, {0x144, 0x143, 'n', 1}, {0xF3, 0xD3, 'o', 1},
        {0x15B, 0x15A, 's', 1}, {0x17A, 0x179, 'z', 1}, {0x17C, 0x17B, 'z', 2},
    };
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    if (cp >= 'a' && cp <= 'z')
        return 0x1000 + (cp - 'a') * 4;
    for (size_t i = 0; i < sizeof PL / sizeof PL[0]; i++)
        if (cp == PL[i].lower || cp == PL[i].upper)
            return 0x1000 + (unsigned)(PL[i].base - 'a') * 4 + PL[i].rank;
    return cp < 0x1000 ? cp : cp + 0x1000; /* spaces, digits, punctuation first */
}

int report_collate(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (;;) {
        unsigned cx = next_cp(&x), cy = next_cp(&y);
        if (!cx || !cy) {
            if (cx != cy)
                return cx ? 1 : -1;
            break;
        }
        unsigned px = primary(cx), py = primary(cy);
        if (px != py)
            return px < py ? -1 : 1;
    }
    return strcmp(a, b);
}

void report_format_time(char *out, size_t size, int64_t ms, const char *zone, bool is_en)
{
    if (!ms) {
        snprintf(out, size, "—");
        return;
    }
    struct invitation_local_time t;
    invitation_local_time(ms, zone, &t);
    if (is_en)
        snprintf(out, size, "%04d-%02d-%02d %02d:%02d %s", t.year, t.month, t.day, t.hour, t.minute,
                 t.abbr);
    else
        snprintf(out, size, "%02d.%02d.%04d %02d:%02d %s", t.day, t.month, t.year, t.hour, t.minute,
                 t.abbr);
}

void report_format_hm(char *out, size_t size, int64_t ms, const char *zone)
{
    if (!ms) {
        snprintf(out, size, "—");
        return;
    }
    struct invitation_local_time t;
    invitation_local_time(ms, zone, &t);
    snprintf(out, size, "%02d:%02d", t.hour, t.minute);
}

void report_format_date(char *out, size_t size, int64_t ms, const char *zone, bool is_en)
{
    struct invitation_local_time t;
    invitation_local_time(ms, zone, &t);
    if (is_en)
        snprintf(out, size, "%04d-%02d-%02d", t.year, t.month, t.day);
    else
        snprintf(out, size, "%02d.%02d.%04d", t.day, t.month, t.year);
}

const char *report_choice_word(const char *choice, bool is_en)
{
    if (!choice)
        return TR(is_en, "nie głosował(a)", "did not vote");
    if (!strcmp(choice, "yes"))
        return TR(is_en, "za", "yes");
    if (!strcmp(choice, "no"))
        return TR(is_en, "przeciw", "no");
    if (!strcmp(choice, "abstain"))
        return TR(is_en, "wstrzymał(a) się", "abstained");
    return choice;
}

const char *report_outcome_word(const char *outcome, bool is_en)
{
    if (outcome && !strcmp(outcome, "adopted"))
        return TR(is_en, "podjęta", "adopted");
    if (outcome && !strcmp(outcome, "rejected"))
        return TR(is_en, "odrzucona", "rejected");
    return TR(is_en, "głosowanie nieważne", "invalid");
}
