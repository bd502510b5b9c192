/* sms_repo.c — see sms.h. */
#include <string.h>

#include "store/db.h"
#include "store/db_util.h"
#include "store/sms.h"
#include "util/clock.h"
#include "util/err.h"

DB_QUERY(q_get, "sms_prefs_get", "SELECT phone, is_opted_in FROM sms_prefs WHERE user_id = $1");
DB_QUERY(q_set, "sms_prefs_set",
         "INSERT INTO sms_prefs (user_id, phone, is_opted_in, updated_ms) VALUES ($1, $2, $3, $4) "
         "ON CONFLICT (user_id) DO UPDATE SET phone = excluded.phone, "
         "is_opted_in = excluded.is_opted_in, updated_ms = excluded.updated_ms");
DB_QUERY(q_cancel, "sms_outbox_cancel",
         "UPDATE sms_outbox SET status = 'cancelled' WHERE user_id = $1 AND status = 'pending'");
/* The opt-in and the number are read at queueing time, in the same statement. */
DB_QUERY(q_add, "sms_outbox_add",
         "INSERT INTO sms_outbox (id, user_id, to_phone, kind, ref_id, text, status, attempts, "
         "next_attempt_ms, created_ms) "
         "SELECT $1, p.user_id, p.phone, $3, $4, CASE WHEN u.lang = 'en' THEN $7 ELSE $5 END, "
         "'pending', 0, $6, $6 FROM sms_prefs p JOIN users u ON u.id = p.user_id "
         "WHERE p.user_id = $2 AND p.is_opted_in = 1 AND p.phone <> '' "
         "ON CONFLICT (kind, ref_id, user_id) DO NOTHING");
/* Joined with the preferences again: an opt-out after queueing still wins. */
DB_QUERY(q_due, "sms_outbox_due",
         "SELECT o.id, p.phone, o.text, o.attempts FROM sms_outbox o "
         "JOIN sms_prefs p ON p.user_id = o.user_id AND p.is_opted_in = 1 AND p.phone <> '' "
         "WHERE o.status = 'pending' AND o.next_attempt_ms <= $1 "
         "ORDER BY o.created_ms, o.id LIMIT $2");
DB_QUERY(q_claim, "sms_outbox_claim",
         "UPDATE sms_outbox SET claimed_by = $2, next_attempt_ms = $3 "
         "WHERE id = $1 AND status = 'pending' AND next_attempt_ms <= $4");
DB_QUERY(q_sent, "sms_outbox_sent",
         "UPDATE sms_outbox SET status = 'sent', sent_ms = $2, attempts = attempts + 1, "
         "last_error = NULL WHERE id = $1 AND status = 'pending'");
DB_QUERY(q_failed, "sms_outbox_failed",
         "UPDATE sms_outbox SET status = $5, attempts = $2, last_error = $3, next_attempt_ms = $4 "
         "WHERE id = $1 AND status = 'pending'");

bool sms_phone_is_valid(const char *s)
{
    if (!s || s[0] != '+' || s[1] < '1' || s[1] > '9')
        return false;
    size_t n = 0;
    for (const char *p = s + 1; *p; p++, n++)
        if (*p < '0' || *p > '9')
            return false;
    return n >= 8 && n <= 15;
}

int sms_prefs_get(struct db *db, const char *user_id, char phone[SMS_PHONE_SIZE], bool *is_opted_in)
{
    phone[0] = 0;
    *is_opted_in = false;
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, phone, SMS_PHONE_SIZE);
        *is_opted_in = db_col_int(s, 1) != 0;
    }
    db_stmt_done(s);
    return rc == DB_ROW || rc == OBR_ENOTFOUND ? 0 : rc;
}

int sms_prefs_set(struct db *db, const char *user_id, const char *phone, bool is_opted_in)
{
    struct db_stmt *s = db_prepare(db, &q_set);
    db_bind_text(s, 1, user_id);
    db_bind_text(s, 2, phone);
    db_bind_int(s, 3, is_opted_in ? 1 : 0);
    db_bind_int(s, 4, clock_now_ms());
    int rc = db_run(s);
    if (!rc && !is_opted_in) {
        s = db_prepare(db, &q_cancel);
        db_bind_text(s, 1, user_id);
        rc = db_run(s);
    }
    return rc;
}

int sms_outbox_add(struct db *db, const char *user_id, const char *kind, const char *ref_id,
                   const char *text_pl, const char *text_en, bool *queued)
{
    char id[ID_SIZE];
    id_new(id);
    struct db_stmt *s = db_prepare(db, &q_add);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, user_id);
    db_bind_text(s, 3, kind);
    db_bind_text(s, 4, ref_id);
    db_bind_text(s, 5, text_pl);
    db_bind_int(s, 6, clock_now_ms());
    db_bind_text(s, 7, text_en);
    int rc = db_run(s);
    if (queued)
        *queued = !rc && db_changes(db) == 1;
    return rc;
}

int sms_outbox_due(struct db *db, int64_t now_ms, struct sms_row *rows, int max)
{
    struct db_stmt *s = db_prepare(db, &q_due);
    db_bind_int(s, 1, now_ms);
    db_bind_int(s, 2, max);
    int n = 0, rc = DB_DONE;
    while (n < max && (rc = db_step(s)) == DB_ROW) {
        struct sms_row *r = &rows[n];
        db_col_copy(s, 0, r->id, sizeof r->id);
        db_col_copy(s, 1, r->to_phone, sizeof r->to_phone);
        db_col_copy(s, 2, r->text, sizeof r->text);
        r->attempts = (unsigned)db_col_int(s, 3);
        if (strlen(r->id) == ID_LEN && sms_phone_is_valid(r->to_phone))
            n++;
    }
    db_stmt_done(s);
    return rc < 0 ? rc : n;
}

bool sms_outbox_claim(struct db *db, const char *id, const char *node, int64_t now_ms,
                      int64_t lease_until_ms)
{
    struct db_stmt *s = db_prepare(db, &q_claim);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, node);
    db_bind_int(s, 3, lease_until_ms);
    db_bind_int(s, 4, now_ms);
    return db_run_take(db, s) == 1;
}

int sms_outbox_sent(struct db *db, const char *id, int64_t now_ms)
{
    struct db_stmt *s = db_prepare(db, &q_sent);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, now_ms);
    return db_run(s);
}

int sms_outbox_failed(struct db *db, const char *id, unsigned attempts, const char *err,
                      int64_t next_ms)
{
    struct db_stmt *s = db_prepare(db, &q_failed);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, attempts);
    db_bind_text(s, 3, err);
    db_bind_int(s, 4, next_ms);
    db_bind_text(s, 5, next_ms ? "pending" : "failed");
    return db_run(s);
}
