/* access.c — per-meeting access links (/m/{token}). The link opens the
 * meeting's sign-in page with the address pre-filled when the link was made
 * for one person; it grants nothing by itself — signing in still takes the
 * e-mailed code. Tokens are 128-bit random and stored only hashed. A link
 * expires a grace period after its meeting closes and at a maximum age; an
 * expired link answers 410 and names nobody. */
#include "api/access.h"

#include "api/app.h"
#include "api/handlers.h"
#include "store/auth.h"
#include "store/db.h"
#include "store/meetings.h"
#include "util/clock.h"

#define DAY_MS (24LL * 3600 * 1000)

/* Whether a link made at created_ms for meeting_id still works now. */
static bool is_link_alive(struct db *db, const struct limits *l, const char *meeting_id,
                          int64_t created_ms)
{
    int64_t now = clock_now_ms();
    if (now - created_ms > (int64_t)l->access_link_max_age_days * DAY_MS)
        return false;
    struct meeting m;
    if (meetings_get(db, meeting_id, &m))
        return false;
    return !m.closed_ms || now - m.closed_ms <= (int64_t)l->access_link_grace_days * DAY_MS;
}

int access_link_new(struct db *db, const unsigned char key[TOKEN_KEY_BYTES],
                    const char *meeting_id, const char *user_id, char token[TOKEN_LINK_LEN + 1])
{
    char hash[TOKEN_HASH_HEX + 1];
    token_new_link(token);
    token_hash(key, token, hash);
    return access_links_create(db, hash, meeting_id, user_id);
}

void api_access_page(struct req *rq)
{
    reply_static(rq, "/index.html");
}

void api_access_get(struct req *rq)
{
    struct app *app = req_app(rq);
    struct db *db = req_db(rq);
    char hash[TOKEN_HASH_HEX + 1], meeting_id[ID_SIZE], user_id[ID_SIZE];
    token_hash(app->secret_key, req_param(rq, "token"), hash);
    int64_t created_ms = 0;
    int rc = db ? access_links_get(db, hash, meeting_id, user_id, &created_ms) : OBR_EDB;
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_header(rq, "Cache-Control", "no-store");
    if (!is_link_alive(db, &app->limits, meeting_id, created_ms)) {
        reply_error(rq, ERR_LINK_EXPIRED, NULL);
        return;
    }
    json_t *j = json_pack("{s:s}", "meeting_id", meeting_id);
    struct user u;
    if (user_id[0] && !users_get(db, user_id, &u)) {
        json_object_set_new(j, "email", json_string(u.email));
        json_object_set_new(j, "name", json_string(u.name));
    }
    reply_json(rq, 200, j);
}
