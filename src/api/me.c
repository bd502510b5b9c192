/* me.c — the signed-in person's own account: who am I (with my organisations
 * and bodies), my sessions (list, revoke), and my authenticator app (TOTP
 * set-up, enabling with recovery codes, disabling). */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/auth.h"
#include "crypto/tokens.h"
#include "crypto/totp.h"
#include "store/db.h"

#define RECOVERY_CODES 10

int api_totp_check(struct req *rq, struct db *db, const struct user *u, const char *code);

void api_me(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    struct db *db = req_db(rq);
    reply_json(rq, 200,
               json_pack("{s:o, s:o, s:o}", "user", api_user_json(&p.user), "staff",
                         staff_of_user_json(db, p.user.id), "bodies",
                         members_bodies_of_user_json(db, p.user.id)));
}

void api_me_update(struct req *rq)
{
    const char *name = NULL, *lang = NULL;
    const struct jfield spec[] = {
        {"name", JF_STRING, false, 1, 200, &name, NULL},
        {"lang", JF_STRING, false, 2, 2, &lang, NULL},
        {NULL},
    };
    struct principal p;
    if (principal_require(rq, &p) < 0 || req_parse_json(rq, spec) < 0)
        return;
    if (lang && strcmp(lang, "pl") && strcmp(lang, "en")) {
        reply_error(rq, ERR_OUT_OF_RANGE, "lang");
        return;
    }
    struct db *db = req_db(rq);
    int rc = users_update_profile(db, p.user.id, name ? name : p.user.name,
                                  lang ? lang : p.user.lang);
    if (!rc)
        rc = users_get(db, p.user.id, &p.user);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 200, json_pack("{s:o}", "user", api_user_json(&p.user)));
}

void api_me_sessions(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    reply_json(rq, 200, json_pack("{s:o}", "sessions",
                                  sessions_list_json(req_db(rq), p.user.id, p.session.id)));
}

void api_me_session_delete(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    int rc = sessions_delete(req_db(rq), p.user.id, req_param(rq, "id"));
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_empty(rq, 204);
}

void api_me_totp_setup(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    if (p.user.is_totp_enabled) {
        reply_error(rq, ERR_CONFLICT, NULL);
        return;
    }
    char secret[33];
    char *uri = NULL;
    int rc = totp_new_secret(secret);
    if (!rc)
        rc = users_set_totp(req_db(rq), p.user.id, secret, false);
    if (!rc) /* a new secret starts with no used steps */
        rc = users_set_totp_last_step(req_db(rq), p.user.id, 0);
    if (!rc)
        uri = totp_uri("obrady", p.user.email, secret);
    if (rc || !uri) {
        reply_obr_error(rq, rc ? rc : OBR_ENOMEM);
        return;
    }
    reply_json(rq, 200, json_pack("{s:s, s:s}", "secret", secret, "uri", uri));
    free(uri);
}

void api_me_totp_enable(struct req *rq)
{
    const char *code = NULL;
    const struct jfield spec[] = {{"code", JF_STRING, true, 6, 6, &code, NULL}, {NULL}};
    struct principal p;
    if (principal_require(rq, &p) < 0 || req_parse_json(rq, spec) < 0)
        return;
    if (p.user.is_totp_enabled || !p.user.totp_secret[0]) {
        reply_error(rq, p.user.is_totp_enabled ? ERR_CONFLICT : ERR_TOTP_NOT_SET_UP, NULL);
        return;
    }
    struct db *db = req_db(rq);
    if (api_totp_check(rq, db, &p.user, code)) {
        reply_error(rq, ERR_TOTP_INVALID, "code");
        return;
    }
    struct app *app = req_app(rq);
    char codes[RECOVERY_CODES][12];
    char hashes[RECOVERY_CODES][TOKEN_HASH_HEX + 1];
    int rc = totp_recovery_codes(codes, RECOVERY_CODES);
    for (int i = 0; !rc && i < RECOVERY_CODES; i++)
        token_hash(app->secret_key, codes[i], hashes[i]);
    if (!rc)
        rc = db_begin_write(db);
    if (!rc) {
        rc = users_set_totp(db, p.user.id, p.user.totp_secret, true);
        if (!rc)
            rc = recovery_codes_replace(db, p.user.id, hashes, RECOVERY_CODES);
        rc = rc ? (db_rollback(db), rc) : db_commit(db);
    }
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < RECOVERY_CODES; i++)
        json_array_append_new(list, json_string(codes[i]));
    reply_json(rq, 200, json_pack("{s:o}", "recovery_codes", list));
}

void api_me_totp_disable(struct req *rq)
{
    const char *code = NULL;
    const struct jfield spec[] = {{"code", JF_STRING, true, 6, 9, &code, NULL}, {NULL}};
    struct principal p;
    if (principal_require(rq, &p) < 0 || req_parse_json(rq, spec) < 0)
        return;
    struct db *db = req_db(rq);
    if (!p.user.is_totp_enabled) {
        reply_error(rq, ERR_TOTP_NOT_SET_UP, NULL);
        return;
    }
    if (api_totp_check(rq, db, &p.user, code)) {
        reply_error(rq, ERR_TOTP_INVALID, "code");
        return;
    }
    int rc = db_begin_write(db);
    if (!rc) {
        rc = users_set_totp(db, p.user.id, NULL, false);
        if (!rc)
            rc = recovery_codes_replace(db, p.user.id, NULL, 0);
        rc = rc ? (db_rollback(db), rc) : db_commit(db);
    }
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_empty(rq, 204);
}
