/* templates_repo.c — see templates.h. */
#include <stdio.h>
#include <string.h>

#include "store/db_util.h"
#include "store/templates.h"
#include "util/clock.h"
#include "util/json_values.h"

#define COLS                                                                                       \
    "id, body_id, name, agenda, mode, place, is_public, reminder_days, broadcast_url, created_ms"

DB_QUERY(q_insert, "templates_insert",
         "INSERT INTO meeting_templates (" COLS
         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
DB_QUERY(q_get, "templates_get", "SELECT " COLS " FROM meeting_templates WHERE id = $1");
DB_QUERY(q_list, "templates_list",
         "SELECT " COLS " FROM meeting_templates WHERE body_id = $1 ORDER BY name, id");
DB_QUERY(q_remove, "templates_remove", "DELETE FROM meeting_templates WHERE id = $1");

void template_clear(struct meeting_template *t)
{
    json_decref(t->agenda);
    t->agenda = NULL;
}

static int read_row(struct db_stmt *s, struct meeting_template *t)
{
    memset(t, 0, sizeof *t);
    db_col_copy(s, 0, t->id, sizeof t->id);
    db_col_copy(s, 1, t->body_id, sizeof t->body_id);
    db_col_copy(s, 2, t->name, sizeof t->name);
    t->agenda = db_col_json(s, 3);
    db_col_copy(s, 4, t->mode, sizeof t->mode);
    db_col_copy(s, 5, t->place, sizeof t->place);
    t->is_public = db_col_int(s, 6) != 0;
    t->reminder_days = (int)db_col_int(s, 7);
    db_col_copy(s, 8, t->broadcast_url, sizeof t->broadcast_url);
    t->created_ms = db_col_int(s, 9);
    return json_is_array(t->agenda) ? 0 : OBR_ECORRUPT;
}

int templates_create(struct db *db, struct meeting_template *t)
{
    id_new(t->id);
    t->created_ms = clock_now_ms();
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, t->id);
    db_bind_text(s, 2, t->body_id);
    db_bind_text(s, 3, t->name);
    if (db_bind_json(s, 4, t->agenda)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    db_bind_text(s, 5, t->mode);
    db_bind_text(s, 6, t->place);
    db_bind_int(s, 7, t->is_public);
    db_bind_int(s, 8, t->reminder_days);
    db_bind_text(s, 9, t->broadcast_url);
    db_bind_int(s, 10, t->created_ms);
    return db_run(s);
}

int templates_get(struct db *db, const char *id, struct meeting_template *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW)
        rc = read_row(s, out);
    else if (rc == DB_DONE)
        rc = OBR_ENOTFOUND;
    db_stmt_done(s);
    return rc;
}

int templates_remove(struct db *db, const char *id)
{
    struct db_stmt *s = db_prepare(db, &q_remove);
    db_bind_text(s, 1, id);
    int rc = db_run_one(db, s);
    return rc == OBR_ECONFLICT ? OBR_ENOTFOUND : rc;
}

json_t *template_to_json(const struct meeting_template *t)
{
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:O, s:s, s:s, s:b, s:i, s:s}", "id", t->id, "body_id",
                  t->body_id, "name", t->name, "agenda", t->agenda ? t->agenda : json_array(),
                  "mode", t->mode, "place", t->place, "is_public", t->is_public, "reminder_days",
                  t->reminder_days, "broadcast_url", t->broadcast_url);
    if (j)
        json_object_set_new(j, "created_at", json_time_or_null(t->created_ms));
    return j;
}

json_t *templates_list_json(struct db *db, const char *body_id)
{
    json_t *list = json_array();
    struct db_stmt *s = db_prepare(db, &q_list);
    db_bind_text(s, 1, body_id);
    int rc = 0;
    while (list && (rc = db_step(s)) == DB_ROW) {
        struct meeting_template t;
        if (read_row(s, &t) == 0)
            json_array_append_new(list, template_to_json(&t));
        template_clear(&t);
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}
