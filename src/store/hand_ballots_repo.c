/* hand_ballots_repo.c — which ballots the chair or operator entered by hand
 * in a roll call (store/votes.h; migration 0009). The ballot is a row of
 * ballots like any other; hand_ballots says who entered it. */
#include <string.h>

#include "store/db_util.h"
#include "store/votes.h"

DB_QUERY(q_hand_add, "hand_ballots_add",
         "INSERT INTO hand_ballots (vote_id, ballot_id, user_id, entered_by, entered_by_name, "
         "reason, entered_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)");
DB_QUERY(q_hand_all, "hand_ballots_all",
         "SELECT b.user_id, h.entered_by_name FROM ballots_current b JOIN hand_ballots h "
         "ON h.vote_id = b.vote_id AND h.ballot_id = b.ballot_id WHERE b.vote_id = $1");
DB_QUERY(q_counted_of, "ballots_counted_of",
         "SELECT b.choice, CASE WHEN h.ballot_id IS NULL THEN 0 ELSE 1 END FROM ballots_current b "
         "LEFT JOIN hand_ballots h ON h.vote_id = b.vote_id AND h.ballot_id = b.ballot_id "
         "WHERE b.vote_id = $1 AND b.user_id = $2");
DB_QUERY(q_electronic, "hand_ballots_electronic",
         "SELECT COUNT(*) FROM ballots b WHERE b.vote_id = $1 AND b.user_id = $2 AND NOT EXISTS "
         "(SELECT 1 FROM hand_ballots h WHERE h.vote_id = b.vote_id AND h.ballot_id = b.ballot_id)");

int hand_ballots_add(struct db *db, const char *vote_id, const char *ballot_id, const char *user_id,
                     const char *entered_by, const char *entered_by_name, const char *reason,
                     int64_t entered_ms)
{
    struct db_stmt *s = db_prepare(db, &q_hand_add);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, ballot_id);
    db_bind_text(s, 3, user_id);
    db_bind_text(s, 4, entered_by);
    db_bind_text(s, 5, entered_by_name);
    db_bind_text(s, 6, reason);
    db_bind_int(s, 7, entered_ms);
    return db_run(s);
}

json_t *hand_ballots_counted_json(struct db *db, const char *vote_id)
{
    json_t *out = json_object();
    struct db_stmt *s = db_prepare(db, &q_hand_all);
    db_bind_text(s, 1, vote_id);
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW) {
        const char *uid = db_col_text(s, 0), *by = db_col_text(s, 1);
        if (by)
            json_object_set_new(out, uid, json_string(by));
        else
            json_object_del(out, uid);
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int ballots_counted_of(struct db *db, const char *vote_id, const char *user_id,
                       char choice[BALLOT_CHOICE_SIZE], bool *by_hand)
{
    struct db_stmt *s = db_prepare(db, &q_counted_of);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, choice, BALLOT_CHOICE_SIZE);
        *by_hand = db_col_int(s, 1) != 0;
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int hand_ballots_has_electronic(struct db *db, const char *vote_id, const char *user_id,
                                bool *has)
{
    struct db_stmt *s = db_prepare(db, &q_electronic);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        *has = db_col_int(s, 0) > 0;
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}
