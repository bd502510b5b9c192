/* db_util.h — small conveniences over db.h shared by the repositories. */
#ifndef OBR_DB_UTIL_H
#define OBR_DB_UTIL_H

#include <jansson.h>
#include <stddef.h>

#include "store/db.h"

/* Copies a text column into dst (always NUL-terminated; "" for NULL). */
void db_col_copy(struct db_stmt *s, int col, char *dst, size_t size);
/* Steps a statement expected to return at most one row: DB_ROW, or
 * OBR_ENOTFOUND for none, or an error. The caller calls db_stmt_done. */
int db_step_one(struct db_stmt *s);
/* Runs a conditional UPDATE that must change exactly one row: 0, or
 * OBR_ECONFLICT when it changed none (the condition did not hold). */
int db_run_one(struct db *db, struct db_stmt *s);
/* Runs a conditional write that takes something (a claim, a lease, a try):
 * 1 when it changed a row, 0 when the condition did not hold, or OBR_E*. */
int db_run_take(struct db *db, struct db_stmt *s);
/* Steps a statement to its end → a JSON array of its first column's texts,
 * or NULL on error. Calls db_stmt_done. */
json_t *db_texts_json(struct db_stmt *s);
/* A column of JSON text parsed (any value; caller decrefs), or NULL for SQL
 * NULL or text that does not parse. */
json_t *db_col_json(struct db_stmt *s, int col);
/* Binds j as compact JSON text, or SQL NULL when j is NULL. 0 or OBR_ENOMEM. */
int db_bind_json(struct db_stmt *s, int n, const json_t *j);

#endif
