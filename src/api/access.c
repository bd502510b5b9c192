/* access.c — per-meeting access links (/m/{token}). The link opens the
 * meeting's sign-in page with the address pre-filled when the link was made
 * for one person; it grants nothing by itself — signing in still takes the
 * e-mailed code. Tokens are 128-bit random and stored only hashed. */
#include "api/access.h"

#include "api/app.h"
#include "api/handlers.h"
#include "store/auth.h"
#include "store/db.h"

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
    int rc = db ? access_links_get(db, hash, meeting_id, user_id) : OBR_EDB;
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    json_t *j = json_pack("{s:s}", "meeting_id", meeting_id);
    struct user u;
    if (user_id[0] && !users_get(db, user_id, &u)) {
        json_object_set_new(j, "email", json_string(u.email));
        json_object_set_new(j, "name", json_string(u.name));
    }
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, 200, j);
}
