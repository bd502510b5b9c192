/* voter_keys.c — a member's voting key (spec v2, docs/verifiable-voting.md):
 * the browser makes an Ed25519 key pair, keeps the private part and registers
 * the public part here; the key in force when a secret vote opens is frozen
 * into its electorate. Also the installation's own public signing key at
 * /.well-known/obrady-key, against which anyone checks a board's signature. */
#include <sodium.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/handlers.h"
#include "util/err.h"
#include "crypto/evote.h"
#include "log/eventlog.h"
#include "store/voter_keys.h"
#include "util/clock.h"

static json_t *key_json(const char *key_hex, int64_t at_ms)
{
    unsigned char pk[32];
    char fp[EVOTE_FINGERPRINT];
    if (evote_key_parse(key_hex, pk))
        return NULL;
    evote_key_fingerprint(pk, fp);
    return json_pack("{s:s, s:s, s:I}", "public_key", key_hex, "fingerprint", fp,
                     "registered_at", (json_int_t)at_ms);
}

/* GET /api/me/voter-key → {public_key, fingerprint, registered_at}, all
 * null when none is registered (not a 404: a browser logs every 404). */
void api_me_voter_key(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    char key[VOTER_KEY_HEX];
    int64_t at = 0;
    int rc = voter_keys_get(req_db(rq), p.user.id, key, &at);
    json_t *j = !rc ? key_json(key, at)
                    : rc == OBR_ENOTFOUND ? json_pack("{s:n, s:n, s:n}", "public_key",
                                                      "fingerprint", "registered_at")
                                          : NULL;
    rc = rc == OBR_ENOTFOUND ? 0 : rc;
    if (!j) {
        reply_obr_error(rq, rc ? rc : OBR_ECORRUPT);
        return;
    }
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, 200, j);
}

/* PUT /api/me/voter-key {public_key} — registers or replaces the key; the
 * instance log records the fingerprint (staff only). */
void api_me_voter_key_set(struct req *rq)
{
    const char *key = NULL;
    const struct jfield spec[] = {
        {"public_key", JF_STRING, true, 64, 64, &key, NULL},
        {NULL},
    };
    struct principal p;
    if (principal_require(rq, &p) < 0 || req_parse_json(rq, spec) < 0)
        return;
    unsigned char pk[32];
    if (evote_key_parse(key, pk)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "public_key");
        return;
    }
    struct db *db = req_db(rq);
    int64_t now = clock_now_ms();
    int rc = voter_keys_set(db, p.user.id, key, now);
    if (rc == OBR_EEXISTS) {
        reply_error(rq, ERR_VOTER_KEY_TAKEN, "public_key");
        return;
    }
    json_t *j = rc ? NULL : key_json(key, now);
    if (j) {
        json_t *ev = json_pack("{s:s, s:O}", "user_id", p.user.id, "fingerprint",
                               json_object_get(j, "fingerprint"));
        log_append_one(db, req_hub(rq), INSTANCE_LOG, p.user.id, "voter_key.registered", ev,
                       EVENT_STAFF, NULL);
        json_decref(ev);
    }
    if (!j) {
        reply_obr_error(rq, rc ? rc : OBR_ENOMEM);
        return;
    }
    reply_json(rq, 200, j);
}

/* GET /.well-known/obrady-key → {alg, public_key, fingerprint}. */
void api_installation_key(struct req *rq)
{
    const struct app *app = req_app(rq);
    char hex[EVOTE_HEX + 1], fp[EVOTE_FINGERPRINT];
    sodium_bin2hex(hex, sizeof hex, app->sign_sk + 32, 32);
    evote_key_fingerprint(app->sign_sk + 32, fp);
    reply_header(rq, "Cache-Control", "public, max-age=300");
    reply_json(rq, 200, json_pack("{s:s, s:s, s:s}", "alg", "Ed25519", "public_key", hex,
                                  "fingerprint", fp));
}
