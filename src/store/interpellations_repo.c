/* interpellations_repo.c — see interpellations.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_util.h"
#include "store/interpellations.h"
#include "util/clock.h"
#include "util/json_values.h"

#define COLS                                                                                       \
    "id, body_id, kind, COALESCE(number, ''), author_id, author_name, subject, text, filed_ms, "   \
    "COALESCE(received_on, ''), COALESCE(due_on, ''), COALESCE(registered_by, ''), "               \
    "COALESCE(answer, ''), COALESCE(answered_on, ''), COALESCE(answered_by, '')"

DB_QUERY(q_insert, "interp_insert",
         "INSERT INTO interpellations (id, body_id, kind, author_id, author_name, subject, text, "
         "filed_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
DB_QUERY(q_get, "interp_get", "SELECT " COLS " FROM interpellations WHERE id = $1");
DB_QUERY(q_list, "interp_list",
         "SELECT " COLS
         " FROM interpellations WHERE body_id = $1 AND ($2 = 0 OR number IS NOT NULL) "
         "ORDER BY filed_ms DESC, id");
DB_QUERY(
    q_register, "interp_register",
    "UPDATE interpellations SET number = $2, received_on = $3, due_on = $4, registered_by = $5 "
    "WHERE id = $1 AND number IS NULL");
DB_QUERY(q_answer, "interp_answer",
         "UPDATE interpellations SET answer = $2, answered_on = $3, answered_by = $4 "
         "WHERE id = $1 AND number IS NOT NULL");

static void read_row(struct db_stmt *s, struct interpellation *it)
{
    memset(it, 0, sizeof *it);
    db_col_copy(s, 0, it->id, sizeof it->id);
    db_col_copy(s, 1, it->body_id, sizeof it->body_id);
    db_col_copy(s, 2, it->kind, sizeof it->kind);
    db_col_copy(s, 3, it->number, sizeof it->number);
    db_col_copy(s, 4, it->author_id, sizeof it->author_id);
    db_col_copy(s, 5, it->author_name, sizeof it->author_name);
    db_col_copy(s, 6, it->subject, sizeof it->subject);
    db_col_copy(s, 7, it->text, sizeof it->text);
    it->filed_ms = db_col_int(s, 8);
    db_col_copy(s, 9, it->received_on, sizeof it->received_on);
    db_col_copy(s, 10, it->due_on, sizeof it->due_on);
    db_col_copy(s, 11, it->registered_by, sizeof it->registered_by);
    db_col_copy(s, 12, it->answer, sizeof it->answer);
    db_col_copy(s, 13, it->answered_on, sizeof it->answered_on);
    db_col_copy(s, 14, it->answered_by, sizeof it->answered_by);
}

int interp_create(struct db *db, struct interpellation *it)
{
    id_new(it->id);
    it->filed_ms = clock_now_ms();
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, it->id);
    db_bind_text(s, 2, it->body_id);
    db_bind_text(s, 3, it->kind);
    db_bind_text(s, 4, it->author_id);
    db_bind_text(s, 5, it->author_name);
    db_bind_text(s, 6, it->subject);
    db_bind_text(s, 7, it->text);
    db_bind_int(s, 8, it->filed_ms);
    return db_run(s);
}

int interp_get(struct db *db, const char *id, struct interpellation *out)
{
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW)
        read_row(s, out);
    db_stmt_done(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? OBR_ENOTFOUND : rc;
}

int interp_register(struct db *db, const char *id, const char *number, const char *received_on,
                    const char *due_on, const char *by)
{
    struct db_stmt *s = db_prepare(db, &q_register);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, number);
    db_bind_text(s, 3, received_on);
    db_bind_text(s, 4, due_on);
    db_bind_text(s, 5, by);
    return db_run_one(db, s);
}

int interp_answer(struct db *db, const char *id, const char *answer, const char *answered_on,
                  const char *by)
{
    struct db_stmt *s = db_prepare(db, &q_answer);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, answer);
    db_bind_text(s, 3, answered_on);
    db_bind_text(s, 4, by);
    return db_run_one(db, s);
}

static json_t *str_or_null(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

json_t *interp_to_json(const struct interpellation *it, const char *today)
{
    const char *status = it->answer[0] ? "answered" : it->number[0] ? "registered" : "filed";
    bool is_overdue = !it->answer[0] && it->due_on[0] && today && strcmp(today, it->due_on) > 0;
    json_t *j = json_pack(
        "{s:s, s:s, s:s, s:o, s:{s:s, s:s}, s:s, s:s, s:o, s:o, s:o, s:o, s:o, "
        "s:o, s:o, s:s, s:b}",
        "id", it->id, "body_id", it->body_id, "kind", it->kind, "number", str_or_null(it->number),
        "author", "id", it->author_id, "name", it->author_name, "subject", it->subject, "text",
        it->text, "filed_at", json_time_or_null(it->filed_ms), "received_on",
        str_or_null(it->received_on), "due_on", str_or_null(it->due_on), "registered_by",
        str_or_null(it->registered_by), "answer", str_or_null(it->answer), "answered_on",
        str_or_null(it->answered_on), "answered_by", str_or_null(it->answered_by), "status", status,
        "is_overdue", is_overdue);
    return j;
}

json_t *interp_list_json(struct db *db, const char *body_id, bool is_registered_only,
                         const char *today)
{
    struct interpellation *it = malloc(sizeof *it);
    json_t *list = json_array();
    struct db_stmt *s = db_prepare(db, &q_list);
    db_bind_text(s, 1, body_id);
    db_bind_int(s, 2, is_registered_only);
    int rc = it && list ? 0 : OBR_ENOMEM;
    while (!rc && (rc = db_step(s)) == DB_ROW) {
        read_row(s, it);
        json_array_append_new(list, interp_to_json(it, today));
        rc = 0;
    }
    db_stmt_done(s);
    free(it);
    if (rc < 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}
