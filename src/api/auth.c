/* auth.c — signing in with an e-mailed one-time code, the optional TOTP
 * second step, and signing out. POST /api/auth/code answers 202 whether or not
 * the address is known, after the same steps for both (the code itself is
 * made by signin_queue.c's worker), so nobody can probe who has an account. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/auth.h"
#include "api/shared_limits.h"
#include "api/signin_queue.h"
#include "core/email.h"
#include "crypto/tokens.h"
#include "crypto/totp.h"
#include "mail/mail.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/ratelimit.h"
#include "util/utf8.h"

#define CODE_VALID_MS (10 * 60 * 1000)
#define CODE_MAX_TRIES 5

/* Shared by every node on PostgreSQL (api/shared_limits.h). */
static bool take(struct req *rq, struct ratelimit *rl, const char *name, const char *key)
{
    unsigned retry_s = 1;
    if (shared_limit_take(req_db(rq), rl, name, key, &retry_s))
        return true;
    char v[16];
    snprintf(v, sizeof v, "%u", retry_s);
    reply_header(rq, "Retry-After", v);
    reply_error(rq, ERR_RATE_LIMITED, NULL);
    return false;
}

/* Normalises and checks an address; replies 422 and returns -1 when bad. */
static int parse_email(struct req *rq, const char *in, char out[EMAIL_SIZE])
{
    if (email_normalize(in, out, EMAIL_SIZE) || !email_is_valid(out)) {
        reply_error(rq, ERR_EMAIL_INVALID, "email");
        return -1;
    }
    return 0;
}

/* The code is hashed with its address so equal codes of two people differ. */
static void code_hash(struct app *app, const char *email, const char *code,
                      char out[TOKEN_HASH_HEX + 1])
{
    char input[EMAIL_SIZE + 16];
    snprintf(input, sizeof input, "%s\n%s", email, code);
    token_hash(app->secret_key, input, out);
}

int auth_send_code(struct app *app, struct db *db, const struct user *u, const char *lang)
{
    char code[7], hash[TOKEN_HASH_HEX + 1];
    token_new_code(code);
    code_hash(app, u->email, code, hash);
    struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
    int rc = mail_tpl_signin_code(&subject, &text, &html, lang, u->name, code,
                                  CODE_VALID_MS / 60000, app->public_url);
    struct mail_message msg = {
        .to_addr = u->email, .to_name = u->name, .subject = buf_str(&subject),
        .text = buf_str(&text), .html = buf_str(&html),
    };
    if (!rc)
        rc = db_begin_write(db);
    if (!rc) {
        rc = login_codes_put(db, u->email, hash, clock_now_ms() + CODE_VALID_MS);
        if (!rc)
            rc = outbox_enqueue(db, &app->mail, &msg, true, NULL);
        rc = rc ? (db_rollback(db), rc) : db_commit(db);
    }
    buf_free(&subject);
    buf_free(&text);
    buf_free(&html);
    /* With mail written to files (the embedded default) the newcomer reads the
     * code here, before the mail is out; it goes to stdout, never into the log. */
    if (!rc && app->is_code_echo) {
        printf("sign-in code for %s: %s (valid 10 minutes)\n", u->email, code);
        fflush(stdout);
    }
    if (!rc)
        outbox_nudge(NULL); /* the row is visible to the worker only now */
    sodium_memzero(code, sizeof code);
    return rc;
}

void api_auth_code(struct req *rq)
{
    const char *email_in = NULL, *lang = NULL;
    const struct jfield spec[] = {
        {"email", JF_STRING, true, 3, 254, &email_in, NULL},
        {"lang", JF_STRING, false, 2, 2, &lang, NULL},
        {NULL},
    };
    char email[EMAIL_SIZE];
    if (req_parse_json(rq, spec) < 0 || parse_email(rq, email_in, email) < 0)
        return;
    struct app *app = req_app(rq);
    if (!take(rq, app->code_per_ip, "code_ip", req_client_ip(rq)) ||
        !take(rq, app->code_per_email, "code_email", email))
        return;
    /* The same steps for every address: who it belongs to is looked up by
     * the worker, after the answer (signin_queue.h). */
    signin_queue_push(email, lang && (!strcmp(lang, "en") || !strcmp(lang, "pl")) ? lang : NULL);
    reply_json(rq, 202, json_pack("{s:s}", "status", "accepted"));
}

static void set_session_cookie(struct req *rq, const char *token, bool is_clear)
{
    char cookie[256];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld%s",
             SESSION_COOKIE, is_clear ? "" : token, is_clear ? 0LL : SESSION_MAX_MS / 1000,
             req_is_tls(rq) ? "; Secure" : "");
    reply_header(rq, "Set-Cookie", cookie);
}

json_t *api_user_json(const struct user *u)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "id", u->id, "email", u->email, "name",
                     u->name, "lang", u->lang, "is_instance_admin", u->is_instance_admin,
                     "is_totp_enabled", u->is_totp_enabled);
}

/* Checks email + code; 0 when they match, else the error to answer. */
static int check_code(struct req *rq, struct db *db, const char *email, const char *code)
{
    struct app *app = req_app(rq);
    struct login_code lc;
    if (login_codes_get(db, email, &lc))
        return ERR_CODE_EXPIRED;
    if (clock_now_ms() > lc.expires_ms) {
        login_codes_delete(db, email);
        return ERR_CODE_EXPIRED;
    }
    if (lc.tries >= CODE_MAX_TRIES)
        return ERR_CODE_DEAD;
    /* The try is counted in the store before the comparison: concurrent
     * guesses, through this node or another, each use up one. */
    int taken = login_codes_take_try(db, email, CODE_MAX_TRIES);
    if (taken < 0)
        return ERR_UNAVAILABLE;
    if (taken == 0)
        return ERR_CODE_DEAD;
    char hash[TOKEN_HASH_HEX + 1];
    code_hash(app, email, code, hash);
    if (strlen(code) == 6 && token_hash_equal(hash, lc.code_hash)) {
        login_codes_delete(db, email);
        return 0;
    }
    return lc.tries + 1 >= CODE_MAX_TRIES ? ERR_CODE_DEAD : ERR_CODE_INVALID;
}

void api_auth_session(struct req *rq)
{
    const char *email_in = NULL, *code = NULL;
    const struct jfield spec[] = {
        {"email", JF_STRING, true, 3, 254, &email_in, NULL},
        {"code", JF_STRING, true, 1, 12, &code, NULL},
        {NULL},
    };
    char email[EMAIL_SIZE];
    if (req_parse_json(rq, spec) < 0 || parse_email(rq, email_in, email) < 0)
        return;
    struct app *app = req_app(rq);
    if (!take(rq, app->session_per_ip, "session_ip", req_client_ip(rq)))
        return;
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    /* One write transaction for the counted try, the used code's deletion
     * and the new session: one commit (one fsync) instead of three. The try
     * is still counted before the comparison under the store's write lock,
     * and no answer leaves before the commit that holds it. */
    int rc = db_begin_write(db);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    int err = check_code(rq, db, email, code);
    struct user u;
    if (!err && users_get_by_email(db, email, &u))
        err = ERR_CODE_EXPIRED;
    if (err) {
        rc = db_commit(db); /* the try counted (or the expired code deleted) */
        if (rc) {
            db_rollback(db);
            reply_obr_error(rq, rc);
            return;
        }
        diag(DIAG_INFO, "sign-in refused for an address at %s: %s", email_domain(email),
             api_err_info(err)->code);
        reply_error(rq, err, "code");
        return;
    }
    char token[TOKEN_SESSION_LEN + 1], hash[TOKEN_HASH_HEX + 1], sid[ID_SIZE];
    token_new_session(token);
    token_hash(app->secret_key, token, hash);
    const char *ua = req_header(rq, "User-Agent");
    char ua_short[201];
    snprintf(ua_short, sizeof ua_short, "%s", ua && utf8_is_text(ua, strlen(ua), false) ? ua : "");
    rc = sessions_create(db, hash, u.id, u.is_totp_enabled, clock_now_ms() + SESSION_MAX_MS,
                         ua_short, req_client_ip(rq), sid);
    rc = rc ? rc : db_commit(db);
    if (rc) {
        db_rollback(db);
        reply_obr_error(rq, rc);
        return;
    }
    set_session_cookie(rq, token, false);
    diag(DIAG_INFO, "signed in: user %s, session %s", u.id, sid);
    reply_json(rq, 200, json_pack("{s:o, s:b}", "user", api_user_json(&u), "totp_required",
                                  u.is_totp_enabled));
}

void api_auth_logout(struct req *rq)
{
    struct principal p;
    principal_optional(rq, &p);
    if (p.session.id[0] && !api_is_same_origin(rq)) {
        reply_error(rq, ERR_ORIGIN_MISMATCH, NULL);
        return;
    }
    struct db *db = req_db(rq);
    if (db && p.session.id[0])
        sessions_delete(db, p.session.user_id, p.session.id);
    set_session_cookie(rq, NULL, true);
    reply_empty(rq, 204);
}

/* Accepts a TOTP code or a recovery code for user u; 0 on success. */
int api_totp_check(struct req *rq, struct db *db, const struct user *u, const char *code)
{
    struct app *app = req_app(rq);
    int64_t step;
    if (strlen(code) == 6 && u->totp_secret[0] &&
        !totp_verify(u->totp_secret, code, clock_now_ms() / 1000, u->totp_last_step, &step))
        return users_set_totp_last_step(db, u->id, step);
    if (strlen(code) == 9 && code[4] == '-') {
        char hash[TOKEN_HASH_HEX + 1];
        token_hash(app->secret_key, code, hash);
        if (!recovery_codes_use(db, u->id, hash, clock_now_ms()))
            return 0;
    }
    return -1;
}

void api_auth_totp(struct req *rq)
{
    const char *code = NULL;
    const struct jfield spec[] = {{"code", JF_STRING, true, 6, 9, &code, NULL}, {NULL}};
    if (req_parse_json(rq, spec) < 0)
        return;
    struct app *app = req_app(rq);
    if (!take(rq, app->session_per_ip, "session_ip", req_client_ip(rq)))
        return;
    struct principal p;
    principal_optional(rq, &p);
    struct db *db = req_db(rq);
    if (!p.session.id[0] || !p.session.is_totp_pending || !db) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return;
    }
    if (!api_is_same_origin(rq)) {
        reply_error(rq, ERR_ORIGIN_MISMATCH, NULL);
        return;
    }
    if (api_totp_check(rq, db, &p.user, code)) {
        reply_error(rq, ERR_TOTP_INVALID, "code");
        return;
    }
    sessions_clear_totp_pending(db, p.session.id);
    reply_json(rq, 200, json_pack("{s:o}", "user", api_user_json(&p.user)));
}
