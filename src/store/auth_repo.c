/* auth_repo.c — codes, sessions, recovery codes and access links (see auth.h). */
#include <string.h>

#include "store/auth.h"
#include "store/db_util.h"
#include "util/clock.h"

DB_QUERY(q_code_put, "login_codes_put",
         "INSERT INTO login_codes (email, code_hash, tries, expires_ms, created_ms) "
         "VALUES ($1, $2, 0, $3, $4) ON CONFLICT (email) DO UPDATE SET "
         "code_hash = excluded.code_hash, tries = 0, expires_ms = excluded.expires_ms, "
         "created_ms = excluded.created_ms");
DB_QUERY(q_code_get, "login_codes_get",
         "SELECT code_hash, tries, expires_ms FROM login_codes WHERE email = $1");
DB_QUERY(q_code_try, "login_codes_try", "UPDATE login_codes SET tries = tries + 1 WHERE email = $1");
DB_QUERY(q_code_take_try, "login_codes_take_try",
         "UPDATE login_codes SET tries = tries + 1 WHERE email = $1 AND tries < $2");
DB_QUERY(q_code_delete, "login_codes_delete", "DELETE FROM login_codes WHERE email = $1");
DB_QUERY(q_sess_insert, "sessions_insert",
         "INSERT INTO sessions (id, token_hash, user_id, is_totp_pending, created_ms, "
         "last_seen_ms, expires_ms, user_agent, ip) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)");
DB_QUERY(q_sess_get, "sessions_get_by_token",
         "SELECT id, user_id, is_totp_pending, created_ms, last_seen_ms, expires_ms "
         "FROM sessions WHERE token_hash = $1");
DB_QUERY(q_sess_touch, "sessions_touch", "UPDATE sessions SET last_seen_ms = $2 WHERE id = $1");
DB_QUERY(q_sess_totp_ok, "sessions_totp_ok",
         "UPDATE sessions SET is_totp_pending = 0 WHERE id = $1");
DB_QUERY(q_sess_delete, "sessions_delete", "DELETE FROM sessions WHERE id = $2 AND user_id = $1");
DB_QUERY(q_sess_delete_others, "sessions_delete_others",
         "DELETE FROM sessions WHERE user_id = $1 AND id <> $2");
DB_QUERY(q_sess_list, "sessions_list",
         "SELECT id, created_ms, last_seen_ms, expires_ms, user_agent, ip FROM sessions "
         "WHERE user_id = $1 ORDER BY last_seen_ms DESC");
DB_QUERY(q_rec_clear, "recovery_clear", "DELETE FROM totp_recovery_codes WHERE user_id = $1");
DB_QUERY(q_rec_insert, "recovery_insert",
         "INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES ($1, $2)");
DB_QUERY(q_rec_use, "recovery_use",
         "UPDATE totp_recovery_codes SET used_ms = $3 "
         "WHERE user_id = $1 AND code_hash = $2 AND used_ms IS NULL");
DB_QUERY(q_link_insert, "access_links_insert",
         "INSERT INTO access_links (token_hash, meeting_id, user_id, created_ms) "
         "VALUES ($1, $2, $3, $4)");
DB_QUERY(q_link_delete_meeting, "access_links_delete_meeting",
         "DELETE FROM access_links WHERE meeting_id = $1");
DB_QUERY(q_link_get, "access_links_get",
         "SELECT meeting_id, COALESCE(user_id, ''), created_ms FROM access_links "
         "WHERE token_hash = $1");

int login_codes_put(struct db *db, const char *email, const char *code_hash, int64_t expires_ms)
{
    struct db_stmt *s = db_prepare(db, &q_code_put);
    db_bind_text(s, 1, email);
    db_bind_text(s, 2, code_hash);
    db_bind_int(s, 3, expires_ms);
    db_bind_int(s, 4, clock_now_ms());
    return db_run(s);
}

int login_codes_get(struct db *db, const char *email, struct login_code *out)
{
    struct db_stmt *s = db_prepare(db, &q_code_get);
    db_bind_text(s, 1, email);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, out->code_hash, sizeof out->code_hash);
        out->tries = (int)db_col_int(s, 1);
        out->expires_ms = db_col_int(s, 2);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

static int run_email(struct db *db, struct db_query *q, const char *email)
{
    struct db_stmt *s = db_prepare(db, q);
    db_bind_text(s, 1, email);
    return db_run(s);
}

int login_codes_add_try(struct db *db, const char *email)
{
    return run_email(db, &q_code_try, email);
}

int login_codes_take_try(struct db *db, const char *email, int max_tries)
{
    struct db_stmt *s = db_prepare(db, &q_code_take_try);
    db_bind_text(s, 1, email);
    db_bind_int(s, 2, max_tries);
    return db_run_take(db, s);
}

int login_codes_delete(struct db *db, const char *email)
{
    return run_email(db, &q_code_delete, email);
}

int sessions_create(struct db *db, const char *token_hash, const char *user_id,
                    bool is_totp_pending, int64_t expires_ms, const char *user_agent,
                    const char *ip, char id_out[ID_SIZE])
{
    id_new(id_out);
    struct db_stmt *s = db_prepare(db, &q_sess_insert);
    db_bind_text(s, 1, id_out);
    db_bind_text(s, 2, token_hash);
    db_bind_text(s, 3, user_id);
    db_bind_int(s, 4, is_totp_pending);
    db_bind_int(s, 5, clock_now_ms());
    db_bind_int(s, 6, expires_ms);
    db_bind_text(s, 7, user_agent ? user_agent : "");
    db_bind_text(s, 8, ip ? ip : "");
    return db_run(s);
}

int sessions_get_by_token(struct db *db, const char *token_hash, struct session *out)
{
    struct db_stmt *s = db_prepare(db, &q_sess_get);
    db_bind_text(s, 1, token_hash);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, out->id, sizeof out->id);
        db_col_copy(s, 1, out->user_id, sizeof out->user_id);
        out->is_totp_pending = db_col_int(s, 2) != 0;
        out->created_ms = db_col_int(s, 3);
        out->last_seen_ms = db_col_int(s, 4);
        out->expires_ms = db_col_int(s, 5);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int sessions_touch(struct db *db, const char *id, int64_t now_ms)
{
    struct db_stmt *s = db_prepare(db, &q_sess_touch);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, now_ms);
    return db_run(s);
}

int sessions_clear_totp_pending(struct db *db, const char *id)
{
    return run_email(db, &q_sess_totp_ok, id);
}

int sessions_delete(struct db *db, const char *user_id, const char *id)
{
    struct db_stmt *s = db_prepare(db, &q_sess_delete);
    db_bind_text(s, 1, user_id);
    db_bind_text(s, 2, id);
    int rc = db_run(s);
    return rc ? rc : db_changes(db) ? 0 : OBR_ENOTFOUND;
}

int sessions_delete_others(struct db *db, const char *user_id, const char *keep_id)
{
    struct db_stmt *s = db_prepare(db, &q_sess_delete_others);
    db_bind_text(s, 1, user_id);
    db_bind_text(s, 2, keep_id ? keep_id : "");
    return db_run(s);
}

json_t *sessions_list_json(struct db *db, const char *user_id, const char *current_id)
{
    struct db_stmt *s = db_prepare(db, &q_sess_list);
    db_bind_text(s, 1, user_id);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW) {
        const char *id = db_col_text(s, 0);
        json_array_append_new(
            list, json_pack("{s:s, s:I, s:I, s:I, s:s, s:s, s:b}", "id", id, "created_ms",
                            (json_int_t)db_col_int(s, 1), "last_seen_ms",
                            (json_int_t)db_col_int(s, 2), "expires_ms",
                            (json_int_t)db_col_int(s, 3), "user_agent", db_col_text(s, 4), "ip",
                            db_col_text(s, 5), "is_current", current_id && !strcmp(id, current_id)));
    }
    db_stmt_done(s);
    return list;
}

int recovery_codes_replace(struct db *db, const char *user_id, char hashes[][TOKEN_HASH_HEX + 1],
                           int n)
{
    int rc = run_email(db, &q_rec_clear, user_id);
    for (int i = 0; !rc && i < n; i++) {
        struct db_stmt *s = db_prepare(db, &q_rec_insert);
        db_bind_text(s, 1, user_id);
        db_bind_text(s, 2, hashes[i]);
        rc = db_run(s);
    }
    return rc;
}

int recovery_codes_use(struct db *db, const char *user_id, const char *hash, int64_t now_ms)
{
    struct db_stmt *s = db_prepare(db, &q_rec_use);
    db_bind_text(s, 1, user_id);
    db_bind_text(s, 2, hash);
    db_bind_int(s, 3, now_ms);
    int rc = db_run(s);
    return rc ? rc : db_changes(db) ? 0 : OBR_ENOTFOUND;
}

int access_links_create(struct db *db, const char *token_hash, const char *meeting_id,
                        const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_link_insert);
    db_bind_text(s, 1, token_hash);
    db_bind_text(s, 2, meeting_id);
    db_bind_text(s, 3, user_id && *user_id ? user_id : NULL);
    db_bind_int(s, 4, clock_now_ms());
    return db_run(s);
}

int access_links_get(struct db *db, const char *token_hash, char meeting_id[ID_SIZE],
                     char user_id[ID_SIZE], int64_t *created_ms)
{
    struct db_stmt *s = db_prepare(db, &q_link_get);
    db_bind_text(s, 1, token_hash);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, meeting_id, ID_SIZE);
        db_col_copy(s, 1, user_id, ID_SIZE);
        *created_ms = db_col_int(s, 2);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int access_links_delete_meeting(struct db *db, const char *meeting_id, int64_t *n_deleted)
{
    struct db_stmt *s = db_prepare(db, &q_link_delete_meeting);
    db_bind_text(s, 1, meeting_id);
    int rc = db_run(s);
    *n_deleted = rc ? 0 : db_changes(db);
    return rc;
}
