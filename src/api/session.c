/* session.c — the session behind a request's cookie, and the permission
 * check every handler uses (see auth.h). */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "crypto/tokens.h"
#include "store/db.h"
#include "util/clock.h"

/* Loads the session; 0, or ERR_UNAUTHORIZED / ERR_TOTP_REQUIRED / ERR_UNAVAILABLE. */
static int load(struct req *rq, struct principal *p)
{
    memset(p, 0, sizeof *p);
    const char *token = req_cookie(rq, SESSION_COOKIE);
    if (!token || strlen(token) != TOKEN_SESSION_LEN)
        return ERR_UNAUTHORIZED;
    struct db *db = req_db(rq);
    if (!db)
        return ERR_UNAVAILABLE;
    struct app *app = req_app(rq);
    char hash[TOKEN_HASH_HEX + 1];
    token_hash(app->secret_key, token, hash);
    /* Only a session that is not there signs the client out; a store that
     * cannot answer (busy, unreachable) is a 503 the client retries. The
     * store is asked on every request, so a logout or revocation by any
     * process or node counts at once; it is one point lookup. */
    int rc = sessions_get_with_user(db, hash, &p->session, &p->user);
    if (rc)
        return rc == OBR_ENOTFOUND ? ERR_UNAUTHORIZED : api_err_from_obr(rc);
    int64_t now = clock_now_ms();
    if (now > p->session.expires_ms || now > p->session.last_seen_ms + SESSION_IDLE_MS) {
        sessions_delete(db, p->session.user_id, p->session.id);
        return ERR_UNAUTHORIZED;
    }
    /* Touch at most once a minute: a write per request would serialize readers. */
    if (now - p->session.last_seen_ms > 60000)
        sessions_touch(db, p->session.id, now);
    if (p->session.is_totp_pending)
        return ERR_TOTP_REQUIRED;
    p->is_signed_in = true;
    return 0;
}

int principal_require(struct req *rq, struct principal *p)
{
    int err = load(rq, p);
    if (err) {
        reply_error(rq, err, NULL);
        return -1;
    }
    if (req_is_state_changing(rq) && !api_is_same_origin(rq)) {
        reply_error(rq, ERR_ORIGIN_MISMATCH, NULL);
        return -1;
    }
    return 0;
}

bool api_is_same_origin(struct req *rq)
{
    /* The server already refused a foreign Origin; a cookie-carrying change
     * must also prove it is same-origin (every current browser says so). */
    const char *origin = req_header(rq, "Origin");
    const char *site = req_header(rq, "Sec-Fetch-Site");
    return origin || (site && !strcmp(site, "same-origin"));
}

void principal_optional(struct req *rq, struct principal *p)
{
    if (load(rq, p))
        p->is_signed_in = false;
}

struct role_facts perm_facts(struct req *rq, const struct principal *p, const char *org_id,
                             const char *body_id)
{
    struct role_facts f = {.is_instance_admin = p->user.is_instance_admin};
    struct db *db = req_db(rq);
    if (!db || !p->is_signed_in)
        return (struct role_facts){0};
    if (org_id) {
        enum staff_role s = staff_role_of(db, org_id, p->user.id);
        f.staff = s == STAFF_ADMIN      ? STAFF_LEVEL_ADMIN
                  : s == STAFF_OPERATOR ? STAFF_LEVEL_OPERATOR
                                        : STAFF_LEVEL_NONE;
    }
    struct member m;
    if (body_id && !members_get_by_user(db, body_id, p->user.id, &m))
        f.body_role = roles_body_role(m.role);
    return f;
}

bool perm_allows(struct req *rq, const struct principal *p, enum role_action a,
                 const char *org_id, const char *body_id)
{
    struct role_facts f = perm_facts(rq, p, org_id, body_id);
    return roles_allow(a, &f);
}

int perm_require(struct req *rq, const struct principal *p, enum role_action a,
                 const char *org_id, const char *body_id)
{
    if (perm_allows(rq, p, a, org_id, body_id))
        return 0;
    reply_error(rq, ERR_FORBIDDEN, NULL);
    return -1;
}
