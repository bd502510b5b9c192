/* session.c — the session behind a request's cookie, and the permission
 * check every handler uses (see auth.h). */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/principal_cache.h"
#include "crypto/tokens.h"
#include "store/db.h"
#include "util/clock.h"

/* The session and user of hash: from the cache when it was read at gen
 * (has_gen), else from the store (then kept under gen). */
static int read_session(struct db *db, const char *hash, const uint64_t *gen,
                        struct principal *p)
{
    if (gen && pcache_session_get(hash, *gen, &p->session, &p->user))
        return 0;
    int rc = sessions_get_with_user(db, hash, &p->session, &p->user);
    if (!rc && gen)
        pcache_session_put(hash, *gen, &p->session, &p->user);
    return rc;
}

/* Loads the session; 0, or ERR_UNAUTHORIZED / ERR_TOTP_REQUIRED /
 * ERR_UNAVAILABLE. gen: the access generation read for this request, or
 * NULL when the cache may not be used. */
static int load(struct req *rq, struct principal *p, const uint64_t *gen)
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
     * store is asked on every request — for the session itself, or for the
     * access generation that any logout or revocation by any process or
     * node bumps (api/principal_cache.h) — so either counts at once. */
    int rc = read_session(db, hash, gen, p);
    if (rc)
        return rc == OBR_ENOTFOUND ? ERR_UNAUTHORIZED : api_err_from_obr(rc);
    int64_t now = clock_now_ms();
    bool is_over = now > p->session.expires_ms || now > p->session.last_seen_ms + SESSION_IDLE_MS;
    if (is_over && gen) { /* another node may have touched it since: ask the store */
        memset(p, 0, sizeof *p);
        rc = read_session(db, hash, NULL, p);
        if (rc)
            return rc == OBR_ENOTFOUND ? ERR_UNAUTHORIZED : api_err_from_obr(rc);
        is_over = now > p->session.expires_ms || now > p->session.last_seen_ms + SESSION_IDLE_MS;
    }
    if (is_over) {
        sessions_delete(db, p->session.user_id, p->session.id);
        return ERR_UNAUTHORIZED;
    }
    /* Touch at most once a minute: a write per request would serialize
     * readers. Moving last_seen_ms forward does not bump the generation. */
    if (now - p->session.last_seen_ms > 60000 && !sessions_touch(db, p->session.id, now)) {
        p->session.last_seen_ms = now;
        pcache_session_touched(hash, now);
    }
    if (p->session.is_totp_pending)
        return ERR_TOTP_REQUIRED;
    p->is_signed_in = true;
    return 0;
}

static const uint64_t *generation(struct req *rq, uint64_t *gen)
{
    return pcache_generation(req_db(rq), gen) ? gen : NULL;
}

int principal_require(struct req *rq, struct principal *p)
{
    uint64_t gen;
    int err = load(rq, p, generation(rq, &gen));
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
    uint64_t gen;
    principal_optional_at(rq, p, generation(rq, &gen));
}

void principal_optional_at(struct req *rq, struct principal *p, const uint64_t *gen)
{
    if (load(rq, p, gen))
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
