/* documents_repo.c — the documents of meetings (see documents.h). */
#include <string.h>

#include "store/db_util.h"
#include "store/documents.h"
#include "util/clock.h"

#define DOC_COLS \
    "id, meeting_id, item_id, filename, content_type, size_bytes, sha256, is_draft_resolution"

DB_QUERY(q_insert, "documents_insert",
         "INSERT INTO documents (id, meeting_id, item_id, filename, content_type, size_bytes, "
         "sha256, is_draft_resolution, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
DB_QUERY(q_get, "documents_get",
         "SELECT " DOC_COLS " FROM documents WHERE id = $1 AND is_removed = 0");
DB_QUERY(q_remove, "documents_remove",
         "UPDATE documents SET is_removed = 1 WHERE id = $1 AND is_removed = 0");
DB_QUERY(q_list, "documents_list",
         "SELECT " DOC_COLS " FROM documents WHERE meeting_id = $1 AND is_removed = 0 "
         "ORDER BY created_ms, id");

static void read_document(struct db_stmt *s, struct document *d)
{
    memset(d, 0, sizeof *d);
    db_col_copy(s, 0, d->id, sizeof d->id);
    db_col_copy(s, 1, d->meeting_id, sizeof d->meeting_id);
    db_col_copy(s, 2, d->item_id, sizeof d->item_id);
    db_col_copy(s, 3, d->filename, sizeof d->filename);
    db_col_copy(s, 4, d->content_type, sizeof d->content_type);
    d->size_bytes = db_col_int(s, 5);
    db_col_copy(s, 6, d->sha256, sizeof d->sha256);
    d->is_draft_resolution = db_col_int(s, 7) != 0;
}

json_t *document_to_json(const struct document *d)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:b}", "id", d->id, "meeting_id",
                          d->meeting_id, "filename", d->filename, "content_type",
                          d->content_type, "size_bytes", (json_int_t)d->size_bytes, "sha256",
                          d->sha256, "is_draft_resolution", d->is_draft_resolution);
    if (j)
        json_object_set_new(j, "item_id", d->item_id[0] ? json_string(d->item_id) : json_null());
    return j;
}

int documents_add(struct db *db, struct document *d)
{
    id_new(d->id);
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, d->id);
    db_bind_text(s, 2, d->meeting_id);
    db_bind_text(s, 3, d->item_id[0] ? d->item_id : NULL);
    db_bind_text(s, 4, d->filename);
    db_bind_text(s, 5, d->content_type);
    db_bind_int(s, 6, d->size_bytes);
    db_bind_text(s, 7, d->sha256);
    db_bind_int(s, 8, d->is_draft_resolution);
    db_bind_int(s, 9, clock_now_ms());
    return db_run(s);
}

int documents_get(struct db *db, const char *id, struct document *out)
{
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        read_document(s, out);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int documents_remove(struct db *db, const char *id)
{
    struct db_stmt *s = db_prepare(db, &q_remove);
    db_bind_text(s, 1, id);
    int rc = db_run(s);
    return rc ? rc : db_changes(db) ? 0 : OBR_ENOTFOUND;
}

json_t *documents_list_json(struct db *db, const char *meeting_id)
{
    struct db_stmt *s = db_prepare(db, &q_list);
    db_bind_text(s, 1, meeting_id);
    json_t *list = json_array();
    struct document d;
    while (db_step(s) == DB_ROW) {
        read_document(s, &d);
        json_array_append_new(list, document_to_json(&d));
    }
    db_stmt_done(s);
    return list;
}
