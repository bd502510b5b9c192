/* archive_repo.c — what archiving a meeting removes from the live store
 * besides its access links (auth_repo.c): the text of its chat messages
 * (redacted in the log, see eventlog.h) and the e-mail address, sessions (with
 * their IP addresses) and pending sign-in code of each guest who has nothing
 * else here — no membership, no staff role, no other meeting that is not
 * archived. Their names stay: the log and the protocol hold them by law. */
#include <stdio.h>

#include "log/eventlog.h"
#include "store/db_util.h"
#include "store/meetings.h"

DB_QUERY(q_redact_chat, "archive_redact_chat",
         "UPDATE events SET payload = $2 WHERE meeting_id = $1 AND type = $3 AND payload <> $2");

int archive_redact_chat(struct db *db, const char *meeting_id, int64_t *n_redacted)
{
    *n_redacted = 0;
    struct db_stmt *s = db_prepare(db, &q_redact_chat);
    db_bind_text(s, 1, meeting_id);
    db_bind_text(s, 2, LOG_REDACTED_PAYLOAD);
    db_bind_text(s, 3, LOG_REDACTABLE_TYPE);
    int rc = db_run(s);
    if (!rc)
        *n_redacted = db_changes(db);
    return rc;
}

DB_QUERY(q_lone_guests, "archive_lone_guests",
         "SELECT p.user_id FROM meeting_participants p JOIN users u ON u.id = p.user_id "
         "WHERE p.meeting_id = $1 AND p.is_guest = 1 AND u.is_instance_admin = 0 "
         "AND NOT EXISTS (SELECT 1 FROM members mb WHERE mb.user_id = p.user_id) "
         "AND NOT EXISTS (SELECT 1 FROM org_staff s WHERE s.user_id = p.user_id) "
         "AND NOT EXISTS (SELECT 1 FROM meeting_participants q JOIN meetings m ON m.id = "
         "q.meeting_id WHERE q.user_id = p.user_id AND q.meeting_id <> $1 "
         "AND m.status <> 'archived') ORDER BY p.user_id");
DB_QUERY(q_drop_code, "archive_drop_login_code",
         "DELETE FROM login_codes WHERE email = (SELECT email FROM users WHERE id = $1)");
DB_QUERY(q_drop_sessions, "archive_drop_sessions", "DELETE FROM sessions WHERE user_id = $1");
DB_QUERY(q_drop_email, "archive_drop_email",
         "UPDATE users SET email = 'archived-' || id || '@invalid' WHERE id = $1");

int archive_purge_guests(struct db *db, const char *meeting_id, int64_t *n_guests,
                         int64_t *n_sessions)
{
    *n_guests = *n_sessions = 0;
    struct db_stmt *s = db_prepare(db, &q_lone_guests);
    if (db_bind_text(s, 1, meeting_id)) {
        db_stmt_done(s);
        return OBR_EDB;
    }
    json_t *ids = db_texts_json(s);
    if (!ids)
        return OBR_EDB;
    int rc = 0;
    size_t i;
    json_t *v;
    json_array_foreach (ids, i, v) {
        const char *id = json_string_value(v);
        struct db_stmt *c = db_prepare(db, &q_drop_code);
        db_bind_text(c, 1, id);
        rc = db_run(c);
        struct db_stmt *ss = db_prepare(db, &q_drop_sessions);
        db_bind_text(ss, 1, id);
        rc = rc ? rc : db_run(ss);
        *n_sessions += rc ? 0 : db_changes(db);
        struct db_stmt *e = db_prepare(db, &q_drop_email);
        db_bind_text(e, 1, id);
        rc = rc ? rc : db_run(e);
        if (rc)
            break;
        (*n_guests)++;
    }
    json_decref(ids);
    return rc;
}
