/* role_words.c — see role_words.h. */
#include "core/role_words.h"

#include <string.h>

/* Men's given names that end in -a (lower case). */
static const char *const MEN_IN_A[] = {"kuba", "barnaba", "bonawentura", "kosma", "jarema",
                                       "zawisza", "sasza", "misza", "nikita", "luca", NULL};

/* A title or an initial ("prof.", "dr", "hab.", "inż.", "mgr", "ks.") rather than a name. */
static bool is_title(const char *w, size_t n)
{
    static const char *const T[] = {"dr", "mgr", "prof", "hab", "inż", "lic", "ks", "o", NULL};
    if (n && w[n - 1] == '.')
        return true;
    for (const char *const *t = T; *t; t++)
        if (strlen(*t) == n && !strncmp(*t, w, n))
            return true;
    return false;
}

bool role_words_is_feminine(const char *name)
{
    if (!name)
        return false;
    const char *p = name;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return false;
        size_t n = strcspn(p, " \t");
        if (is_title(p, n)) {
            p += n;
            continue;
        }
        if (p[n - 1] != 'a' && p[n - 1] != 'A')
            return false;
        char low[32];
        if (n >= sizeof low)
            return true;
        for (size_t i = 0; i < n; i++)
            low[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
        low[n] = '\0';
        for (const char *const *m = MEN_IN_A; *m; m++)
            if (!strcmp(*m, low))
                return false;
        return true;
    }
}

const char *role_words_pl(const char *role, const char *name, bool is_hyphenated)
{
    bool f = role_words_is_feminine(name);
    if (role && !strcmp(role, "chair"))
        return is_hyphenated ? (f ? "prze\u00adwod\u00adni\u00adczą\u00adca" : "prze\u00adwod\u00adni\u00adczą\u00adcy")
                             : (f ? "przewodnicząca" : "przewodniczący");
    if (role && !strcmp(role, "vice_chair"))
        return is_hyphenated
                   ? (f ? "wice\u00adprze\u00adwod\u00adni\u00adczą\u00adca"
                        : "wice\u00adprze\u00adwod\u00adni\u00adczą\u00adcy")
                   : (f ? "wiceprzewodnicząca" : "wiceprzewodniczący");
    if (role && !strcmp(role, "secretary"))
        return "sekretarz";
    if (role && !strcmp(role, "guest"))
        return "gość";
    return "członek";
}
