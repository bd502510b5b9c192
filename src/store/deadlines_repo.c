/* deadlines_repo.c — work due at a time that must survive a restart (see
 * meetings.h). The scheduler asks for the next due time, sleeps until then,
 * claims what is due (a lease, so one node of several runs it), runs it and
 * marks it done in the transaction of its event. */
#include <string.h>

#include "store/db_util.h"
#include "store/meetings.h"

DB_QUERY(q_insert, "deadlines_insert",
         "INSERT INTO deadlines (id, meeting_id, kind, ref_id, due_ms) "
         "VALUES ($1, $2, $3, $4, $5)");
DB_QUERY(q_done, "deadlines_done",
         "UPDATE deadlines SET done_ms = $4 WHERE meeting_id = $1 AND kind = $2 AND ref_id = $3 "
         "AND done_ms IS NULL");
DB_QUERY(q_due, "deadlines_due",
         "SELECT id, meeting_id, kind, ref_id, due_ms FROM deadlines "
         "WHERE done_ms IS NULL AND due_ms <= $1 "
         "AND (lease_until_ms IS NULL OR lease_until_ms <= $1) ORDER BY due_ms, id LIMIT $2");
DB_QUERY(q_next, "deadlines_next",
         "SELECT MIN(CASE WHEN lease_until_ms > due_ms THEN lease_until_ms ELSE due_ms END) "
         "FROM deadlines WHERE done_ms IS NULL");
DB_QUERY(q_claim, "deadlines_claim",
         "UPDATE deadlines SET claimed_by = $2, lease_until_ms = $3 WHERE id = $1 "
         "AND done_ms IS NULL AND (lease_until_ms IS NULL OR lease_until_ms <= $4)");
DB_QUERY(q_unclaim, "deadlines_unclaim",
         "UPDATE deadlines SET lease_until_ms = NULL WHERE id = $1 AND claimed_by = $2 "
         "AND done_ms IS NULL");

int deadlines_add(struct db *db, const char *meeting_id, const char *kind, const char *ref_id,
                  int64_t due_ms)
{
    char id[ID_SIZE];
    id_new(id);
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, meeting_id);
    db_bind_text(s, 3, kind);
    db_bind_text(s, 4, ref_id);
    db_bind_int(s, 5, due_ms);
    return db_run(s);
}

int deadlines_done(struct db *db, const char *meeting_id, const char *kind, const char *ref_id,
                   int64_t now_ms)
{
    struct db_stmt *s = db_prepare(db, &q_done);
    db_bind_text(s, 1, meeting_id);
    db_bind_text(s, 2, kind);
    db_bind_text(s, 3, ref_id);
    db_bind_int(s, 4, now_ms);
    return db_run(s);
}

int deadlines_due(struct db *db, int64_t now_ms, struct deadline *out, int max, int *n)
{
    *n = 0;
    struct db_stmt *s = db_prepare(db, &q_due);
    db_bind_int(s, 1, now_ms);
    db_bind_int(s, 2, max);
    int rc = 0;
    while (*n < max && (rc = db_step(s)) == DB_ROW) {
        struct deadline *d = &out[(*n)++];
        memset(d, 0, sizeof *d);
        db_col_copy(s, 0, d->id, sizeof d->id);
        db_col_copy(s, 1, d->meeting_id, sizeof d->meeting_id);
        db_col_copy(s, 2, d->kind, sizeof d->kind);
        db_col_copy(s, 3, d->ref_id, sizeof d->ref_id);
        d->due_ms = db_col_int(s, 4);
    }
    db_stmt_done(s);
    return rc < 0 ? rc : 0;
}

int64_t deadlines_next_ms(struct db *db)
{
    struct db_stmt *s = db_prepare(db, &q_next);
    int64_t next = INT64_MAX;
    if (db_step(s) == DB_ROW && !db_col_is_null(s, 0))
        next = db_col_int(s, 0);
    db_stmt_done(s);
    return next;
}

int deadlines_claim(struct db *db, const char *id, const char *node, int64_t now_ms,
                    int64_t lease_ms)
{
    struct db_stmt *s = db_prepare(db, &q_claim);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, node);
    db_bind_int(s, 3, now_ms + lease_ms);
    db_bind_int(s, 4, now_ms);
    return db_run_take(db, s);
}

int deadlines_unclaim(struct db *db, const char *id, const char *node)
{
    struct db_stmt *s = db_prepare(db, &q_unclaim);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, node);
    return db_run(s);
}
