/* users_repo.c — the users table (see directory.h). */
#include <stdio.h>
#include <string.h>

#include "store/db_util.h"
#include "store/auth.h"
#include "store/directory.h"
#include "util/clock.h"

#define USER_COLS "id, email, name, lang, is_instance_admin, is_totp_enabled, " \
                  "COALESCE(totp_secret, ''), totp_last_step"

DB_QUERY(q_get, "users_get", "SELECT " USER_COLS " FROM users WHERE id = $1");
DB_QUERY(q_get_email, "users_get_by_email", "SELECT " USER_COLS " FROM users WHERE email = $1");
DB_QUERY(q_insert, "users_insert",
         "INSERT INTO users (id, email, name, lang, is_instance_admin, created_ms) "
         "VALUES ($1, $2, $3, $4, $5, $6)");
DB_QUERY(q_profile, "users_update_profile", "UPDATE users SET name = $2, lang = $3 WHERE id = $1");
DB_QUERY(q_set_admin, "users_set_admin", "UPDATE users SET is_instance_admin = $2 WHERE id = $1");
DB_QUERY(q_set_totp, "users_set_totp",
         "UPDATE users SET totp_secret = $2, is_totp_enabled = $3 WHERE id = $1");
DB_QUERY(q_set_step, "users_set_totp_step", "UPDATE users SET totp_last_step = $2 WHERE id = $1");
/* A session with its user in one point lookup (api/session.c, every request). */
DB_QUERY(q_session_user, "sessions_get_with_user",
         "SELECT u.id, u.email, u.name, u.lang, u.is_instance_admin, u.is_totp_enabled, "
         "COALESCE(u.totp_secret, ''), u.totp_last_step, s.id, s.is_totp_pending, s.created_ms, "
         "s.last_seen_ms, s.expires_ms FROM sessions s JOIN users u ON u.id = s.user_id "
         "WHERE s.token_hash = $1");
DB_QUERY(q_count, "users_count", "SELECT COUNT(*) FROM users");
DB_QUERY(q_admins, "users_instance_admins",
         "SELECT email, name, lang FROM users WHERE is_instance_admin = 1 ORDER BY email");

/* The user in the row's first columns (USER_COLS). */
static void user_from_row(struct db_stmt *s, struct user *u)
{
    memset(u, 0, sizeof *u);
    db_col_copy(s, 0, u->id, sizeof u->id);
    db_col_copy(s, 1, u->email, sizeof u->email);
    db_col_copy(s, 2, u->name, sizeof u->name);
    db_col_copy(s, 3, u->lang, sizeof u->lang);
    u->is_instance_admin = db_col_int(s, 4) != 0;
    u->is_totp_enabled = db_col_int(s, 5) != 0;
    db_col_copy(s, 6, u->totp_secret, sizeof u->totp_secret);
    u->totp_last_step = db_col_int(s, 7);
}

static int read_user(struct db_stmt *s, struct user *u)
{
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        user_from_row(s, u);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int sessions_get_with_user(struct db *db, const char *token_hash, struct session *sess,
                           struct user *u)
{
    struct db_stmt *s = db_prepare(db, &q_session_user);
    db_bind_text(s, 1, token_hash);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        user_from_row(s, u);
        memset(sess, 0, sizeof *sess);
        db_col_copy(s, 8, sess->id, sizeof sess->id);
        snprintf(sess->user_id, sizeof sess->user_id, "%s", u->id);
        sess->is_totp_pending = db_col_int(s, 9) != 0;
        sess->created_ms = db_col_int(s, 10);
        sess->last_seen_ms = db_col_int(s, 11);
        sess->expires_ms = db_col_int(s, 12);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int users_get(struct db *db, const char *id, struct user *out)
{
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, id);
    return read_user(s, out);
}

int users_get_by_email(struct db *db, const char *email, struct user *out)
{
    struct db_stmt *s = db_prepare(db, &q_get_email);
    db_bind_text(s, 1, email);
    return read_user(s, out);
}

int users_create(struct db *db, const char *email, const char *name, const char *lang,
                 bool is_instance_admin, struct user *out)
{
    char id[ID_SIZE];
    id_new(id);
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, email);
    db_bind_text(s, 3, name);
    db_bind_text(s, 4, lang);
    db_bind_int(s, 5, is_instance_admin);
    db_bind_int(s, 6, clock_now_ms());
    int rc = db_run(s);
    return rc ? rc : users_get(db, id, out);
}

int users_ensure(struct db *db, const char *email, const char *name, const char *lang,
                 struct user *out)
{
    int rc = users_get_by_email(db, email, out);
    if (rc == OBR_ENOTFOUND)
        rc = users_create(db, email, name, lang, false, out);
    return rc;
}

int users_update_profile(struct db *db, const char *id, const char *name, const char *lang)
{
    struct db_stmt *s = db_prepare(db, &q_profile);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, name);
    db_bind_text(s, 3, lang);
    return db_run(s);
}

int users_set_instance_admin(struct db *db, const char *id, bool is_admin)
{
    struct db_stmt *s = db_prepare(db, &q_set_admin);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, is_admin);
    return db_run(s);
}

int users_set_totp(struct db *db, const char *id, const char *secret, bool is_enabled)
{
    struct db_stmt *s = db_prepare(db, &q_set_totp);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, secret && *secret ? secret : NULL);
    db_bind_int(s, 3, is_enabled);
    return db_run(s);
}

int users_set_totp_last_step(struct db *db, const char *id, int64_t step)
{
    struct db_stmt *s = db_prepare(db, &q_set_step);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, step);
    return db_run(s);
}

int64_t users_count(struct db *db)
{
    struct db_stmt *s = db_prepare(db, &q_count);
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : 0;
    db_stmt_done(s);
    return n;
}

json_t *users_instance_admins_json(struct db *db)
{
    json_t *out = json_array();
    struct db_stmt *s = db_prepare(db, &q_admins);
    int rc = (out && s) ? 0 : OBR_EDB;
    while (rc == 0 && (rc = db_step(s)) == DB_ROW)
        rc = json_array_append_new(out, json_pack("{s:s,s:s,s:s}", "email", db_col_text(s, 0),
                                                  "name", db_col_text(s, 1), "lang",
                                                  db_col_text(s, 2)))
                 ? OBR_ENOMEM
                 : 0;
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}
