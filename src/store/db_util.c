/* db_util.c — see db_util.h. */
#include "store/db_util.h"

#include <stdlib.h>
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

json_t *db_col_json(struct db_stmt *s, int col)
{
    if (db_col_is_null(s, col))
        return NULL;
    const char *t = db_col_text(s, col);
    return t ? json_loads(t, JSON_DECODE_ANY, NULL) : NULL;
}

int db_bind_json(struct db_stmt *s, int n, const json_t *j)
{
    if (!j)
        return db_bind_text(s, n, NULL);
    char *t = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!t)
        return OBR_ENOMEM;
    int rc = db_bind_text(s, n, t);
    free(t);
    return rc;
}

int db_run_one(struct db *db, struct db_stmt *s)
{
    int rc = db_run(s);
    if (!rc && db_changes(db) != 1)
        rc = OBR_ECONFLICT;
    return rc;
}

int db_run_take(struct db *db, struct db_stmt *s)
{
    int rc = db_run(s);
    return rc ? rc : db_changes(db) > 0;
}

json_t *db_texts_json(struct db_stmt *s)
{
    json_t *out = json_array();
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW)
        json_array_append_new(out, json_string(db_col_text(s, 0)));
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}
