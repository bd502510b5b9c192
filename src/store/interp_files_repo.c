/* interp_files_repo.c — see interp_files.h. */
#include <stdio.h>
#include <string.h>

#include "store/db_util.h"
#include "store/interp_files.h"
#include "util/clock.h"
#include "util/json_values.h"

#define COLS                                                                                       \
    "f.id, f.interp_id, f.part, f.filename, f.content_type, f.size_bytes, f.sha256, "              \
    "f.added_ms, f.added_by"

DB_QUERY(q_insert, "interp_files_insert",
         "INSERT INTO interp_files (id, interp_id, part, filename, content_type, size_bytes, "
         "sha256, added_ms, added_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
DB_QUERY(q_get, "interp_files_get", "SELECT " COLS " FROM interp_files f WHERE f.id = $1");
DB_QUERY(q_remove, "interp_files_remove", "DELETE FROM interp_files WHERE id = $1");
DB_QUERY(q_count, "interp_files_count",
         "SELECT COUNT(*) FROM interp_files WHERE interp_id = $1 AND part = $2");
DB_QUERY(q_by_body, "interp_files_by_body",
         "SELECT " COLS " FROM interp_files f JOIN interpellations i ON i.id = f.interp_id "
         "WHERE i.body_id = $1 ORDER BY f.added_ms, f.id");

static void read_row(struct db_stmt *s, struct interp_file *f)
{
    memset(f, 0, sizeof *f);
    db_col_copy(s, 0, f->id, sizeof f->id);
    db_col_copy(s, 1, f->interp_id, sizeof f->interp_id);
    db_col_copy(s, 2, f->part, sizeof f->part);
    db_col_copy(s, 3, f->filename, sizeof f->filename);
    db_col_copy(s, 4, f->content_type, sizeof f->content_type);
    f->size_bytes = db_col_int(s, 5);
    db_col_copy(s, 6, f->sha256, sizeof f->sha256);
    f->added_ms = db_col_int(s, 7);
    db_col_copy(s, 8, f->added_by, sizeof f->added_by);
}

int interp_files_add(struct db *db, struct interp_file *f)
{
    id_new(f->id);
    f->added_ms = clock_now_ms();
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, f->id);
    db_bind_text(s, 2, f->interp_id);
    db_bind_text(s, 3, f->part);
    db_bind_text(s, 4, f->filename);
    db_bind_text(s, 5, f->content_type);
    db_bind_int(s, 6, f->size_bytes);
    db_bind_text(s, 7, f->sha256);
    db_bind_int(s, 8, f->added_ms);
    db_bind_text(s, 9, f->added_by);
    return db_run(s);
}

int interp_files_get(struct db *db, const char *id, struct interp_file *out)
{
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW)
        read_row(s, out);
    db_stmt_done(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? OBR_ENOTFOUND : rc;
}

int interp_files_remove(struct db *db, const char *id)
{
    struct db_stmt *s = db_prepare(db, &q_remove);
    db_bind_text(s, 1, id);
    int rc = db_run_one(db, s);
    return rc == OBR_ECONFLICT ? OBR_ENOTFOUND : rc;
}

int interp_files_count(struct db *db, const char *interp_id, const char *part, int *n)
{
    struct db_stmt *s = db_prepare(db, &q_count);
    db_bind_text(s, 1, interp_id);
    db_bind_text(s, 2, part);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        *n = (int)db_col_int(s, 0);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

json_t *interp_files_by_body_json(struct db *db, const char *body_id)
{
    json_t *out = json_object();
    struct db_stmt *s = db_prepare(db, &q_by_body);
    db_bind_text(s, 1, body_id);
    struct interp_file f;
    int rc = out ? 0 : OBR_ENOMEM;
    while (!rc && (rc = db_step(s)) == DB_ROW) {
        read_row(s, &f);
        json_t *arr = json_object_get(out, f.interp_id);
        if (!arr) {
            arr = json_array();
            json_object_set_new(out, f.interp_id, arr);
        }
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "id", f.id, "part",
                                             f.part, "filename", f.filename, "content_type",
                                             f.content_type, "size_bytes", (json_int_t)f.size_bytes,
                                             "added_at", json_time_or_null(f.added_ms)));
        rc = 0;
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}
