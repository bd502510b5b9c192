/* vote_weights_repo.c — the weights frozen at a vote's opening (see
 * store/vote_weights.h; the table is migration 0023). */
#include "store/vote_weights.h"

#include "core/vote_weights.h"
#include "store/db_util.h"

DB_QUERY(q_member_weight, "vote_weights_member",
         "SELECT weight_micro FROM members WHERE body_id = $1 AND user_id = $2");
DB_QUERY(q_insert, "vote_weights_insert",
         "INSERT INTO vote_weights (vote_id, user_id, weight_micro) VALUES ($1, $2, $3)");
DB_QUERY(q_list, "vote_weights_list",
         "SELECT user_id, weight_micro FROM vote_weights WHERE vote_id = $1");

static int64_t member_weight(struct db *db, const char *body_id, const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_member_weight);
    db_bind_text(s, 1, body_id);
    db_bind_text(s, 2, user_id);
    int64_t w = db_step(s) == DB_ROW ? db_col_int(s, 0) : WEIGHT_ONE;
    db_stmt_done(s);
    return w > 0 ? w : WEIGHT_ONE;
}

int vote_weights_freeze(struct db *db, const char *vote_id, const char *body_id,
                        const json_t *eligible, json_t **frozen)
{
    json_t *out = json_object();
    if (!out)
        return OBR_ENOMEM;
    size_t i;
    json_t *e;
    json_array_foreach (eligible, i, e) {
        const char *uid = json_string_value(e);
        if (!uid)
            continue;
        int64_t w = member_weight(db, body_id, uid);
        struct db_stmt *s = db_prepare(db, &q_insert);
        db_bind_text(s, 1, vote_id);
        db_bind_text(s, 2, uid);
        db_bind_int(s, 3, w);
        int rc = db_run(s);
        if (!rc)
            rc = json_object_set_new(out, uid, json_integer(w)) ? OBR_ENOMEM : 0;
        if (rc) {
            json_decref(out);
            return rc;
        }
    }
    *frozen = out;
    return 0;
}

json_t *vote_weights_load(struct db *db, const char *vote_id)
{
    struct db_stmt *s = db_prepare(db, &q_list);
    db_bind_text(s, 1, vote_id);
    json_t *out = json_object();
    int rc = DB_DONE;
    while (out && (rc = db_step(s)) == DB_ROW)
        json_object_set_new(out, db_col_text(s, 0), json_integer(db_col_int(s, 1)));
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}
