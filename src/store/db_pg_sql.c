/* db_pg_sql.c — what db_pg.c reads from a statement's SQL text before
 * preparing it: how many $n placeholders it has, and whether it writes one
 * of the people tables the directory generation follows. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "store/db_pg_impl.h"

/* The highest $n of sql, outside quoted text, identifiers and comments; -1
 * when one is above max_placeholder. */
int db_pg_count_params(const char *sql, long max_placeholder)
{
    int max_n = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'' || *p == '"') {
            char quote = *p;
            while (p[1] && p[1] != quote)
                p++;
            if (p[1])
                p++;
        } else if (p[0] == '-' && p[1] == '-') {
            while (p[1] && p[1] != '\n')
                p++;
        } else if (*p == '$' && isdigit((unsigned char)p[1])) {
            long n = 0;
            while (isdigit((unsigned char)p[1])) {
                n = n * 10 + (*++p - '0');
                if (n > max_placeholder)
                    return -1;
            }
            if (n > max_n)
                max_n = (int)n;
        }
    }
    return max_n;
}

/* Whether sql writes one of the tables the directory generation follows. */
bool db_pg_writes_directory(const char *sql)
{
    static const char *const verbs[] = {"INSERT INTO ", "UPDATE ", "DELETE FROM "};
    static const char *const tables[] = {"users", "members", "meeting_participants", "bodies"};
    while (isspace((unsigned char)*sql))
        sql++;
    for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
        size_t vn = strlen(verbs[v]);
        if (strncasecmp(sql, verbs[v], vn))
            continue;
        const char *t = sql + vn;
        for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
            size_t tn = strlen(tables[i]);
            if (!strncmp(t, tables[i], tn) && (!t[tn] || isspace((unsigned char)t[tn]) ||
                                               t[tn] == '('))
                return true;
        }
    }
    return false;
}

