/* auth.h — who is asking (the session behind the cookie) and whether they may
 * do it (core/roles.h over facts from the store). Every handler that needs a
 * signed-in person calls principal_require, then perm_require: one check used
 * by every route. */
#ifndef OBR_API_AUTH_H
#define OBR_API_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/roles.h"
#include "http/req.h"
#include "store/auth.h"
#include "store/directory.h"

#define SESSION_COOKIE "obrady_session"
#define SESSION_IDLE_MS (12LL * 3600 * 1000)
#define SESSION_MAX_MS (30LL * 24 * 3600 * 1000)

struct principal {
    bool is_signed_in;
    struct user user;
    struct session session;
};

struct app;
/* Makes a sign-in code for u, stores its hash and enqueues its mail in one
 * transaction (the signin_queue worker calls it). 0 or OBR_E…. */
int auth_send_code(struct app *app, struct db *db, const struct user *u, const char *lang);

/* Fills p from the session cookie. When nobody is signed in (or the session
 * still waits for its TOTP code) replies 401 and returns -1. For requests that
 * change state, also insists the browser said the request is same-origin. */
int principal_require(struct req *rq, struct principal *p);
/* True when the request says it comes from our own pages (Origin present
 * and already checked by the server, or Sec-Fetch-Site: same-origin). */
bool api_is_same_origin(struct req *rq);
/* Like principal_require but never replies: p->is_signed_in says. */
void principal_optional(struct req *rq, struct principal *p);
/* The same with the access generation already read for this request (NULL:
 * ask the store for the session itself; api/principal_cache.h). */
void principal_optional_at(struct req *rq, struct principal *p, const uint64_t *gen);

/* The facts about p for an organisation and (optionally) a body. */
struct role_facts perm_facts(struct req *rq, const struct principal *p, const char *org_id,
                             const char *body_id);
bool perm_allows(struct req *rq, const struct principal *p, enum role_action a,
                 const char *org_id, const char *body_id);
/* perm_allows, replying 403 and returning -1 when denied. */
int perm_require(struct req *rq, const struct principal *p, enum role_action a,
                 const char *org_id, const char *body_id);

#endif
