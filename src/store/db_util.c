/* db_util.c — see db_util.h. */
#include "store/db_util.h"

#include <string.h>

void db_col_copy(struct db_stmt *s, int col, char *dst, size_t size)
{
    const char *v = db_col_text(s, col);
    if (!v)
        v = "";
    size_t n = strlen(v);
    if (n >= size)
        n = size - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
}

int db_step_one(struct db_stmt *s)
{
    int rc = db_step(s);
    if (rc == DB_DONE)
        return OBR_ENOTFOUND;
    return rc;
}
