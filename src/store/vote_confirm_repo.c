/* vote_confirm_repo.c — a result awaiting the scrutiny committee's
 * confirmation (status 'confirming') and the committee's confirmations or
 * objections (store/votes.h; migration 0010). */
#include <string.h>

#include "store/db_util.h"
#include "store/votes.h"

DB_QUERY(q_confirming, "votes_set_confirming",
         "UPDATE votes SET status = 'confirming', closed_ms = COALESCE(closed_ms, $2), result = $3 "
         "WHERE id = $1 AND status IN ('open', 'counting')");
DB_QUERY(q_conf_add, "vote_confirmations_add",
         "INSERT INTO vote_confirmations (vote_id, user_id, name, objection, at_ms) "
         "VALUES ($1, $2, $3, $4, $5)");
DB_QUERY(q_conf_list, "vote_confirmations_list",
         "SELECT user_id, name, objection, at_ms FROM vote_confirmations WHERE vote_id = $1 "
         "ORDER BY at_ms, user_id");

int votes_set_confirming(struct db *db, const char *id, int64_t closed_ms, json_t *result)
{
    struct db_stmt *s = db_prepare(db, &q_confirming);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, closed_ms);
    if (db_bind_json(s, 3, result)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    return db_run_one(db, s);
}

int vote_confirmations_add(struct db *db, const char *vote_id, const char *user_id,
                           const char *name, const char *objection, int64_t at_ms)
{
    struct db_stmt *s = db_prepare(db, &q_conf_add);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    db_bind_text(s, 3, name);
    db_bind_text(s, 4, objection);
    db_bind_int(s, 5, at_ms);
    return db_run(s);
}

json_t *vote_confirmations_json(struct db *db, const char *vote_id)
{
    json_t *out = json_array();
    struct db_stmt *s = db_prepare(db, &q_conf_list);
    db_bind_text(s, 1, vote_id);
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW) {
        const char *obj = db_col_text(s, 2);
        json_array_append_new(out, json_pack("{s:s, s:s, s:o, s:I}", "user_id", db_col_text(s, 0),
                                             "name", db_col_text(s, 1), "objection",
                                             obj && obj[0] ? json_string(obj) : json_null(), "at",
                                             (json_int_t)db_col_int(s, 3)));
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}
