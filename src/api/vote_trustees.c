/* vote_trustees.c — the scrutiny committee as trustees of a secret vote
 * (docs/verifiable-voting.md, "Trustees"): the dealer-less key ceremony
 * before opening (each member posts its public coefficients with a proof of
 * knowledge and a box key, then its shares sealed to each other member —
 * the server relays them and cannot read them), and the partial
 * decryptions after closing, each verified before it counts. The private
 * keys never reach the server. */
#include <stdio.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/vote_impl.h"
#include "crypto/evote.h"
#include "store/db.h"
#include "store/secret_votes.h"
#include "util/buf.h"
#include "util/ids.h"

#define SEALED_MAX 1024 /* hex of a sealed share: a small JSON + 48 bytes */

static bool is_hex(const char *s, size_t min, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n < min || n > max || n % 2)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

/* The caller's trustee index, or a refusal. */
static int trustee_index(struct log_tx *tx, const struct meeting_ctx *c, const struct vote *v,
                         struct vact *a, int *idx)
{
    if (!vote_is_secret(v) || strcmp(v->trustee_mode, "committee"))
        return vote_refuse(a, ERR_NOT_TRUSTEE), -1;
    int rc = vote_trustees_of_user(tx->db, v->id, c->p.user.id, idx);
    if (rc == OBR_ENOTFOUND)
        return vote_refuse(a, ERR_NOT_TRUSTEE), -1;
    return rc;
}

static int append_event(struct log_tx *tx, const struct vote *v, const char *actor,
                        const char *type, int idx)
{
    return vote_append(tx, v->meeting_id, actor, type,
                       json_pack("{s:s, s:i}", "vote_id", v->id, "index", idx));
}

/* A posted member object must be this trustee's (its id and index) and
 * pass the crypto core's check, the proof of knowledge included. */
static bool member_verifies(struct db *db, const struct vote *v, const char *user_id, int idx,
                            json_t *member)
{
    json_t *all = vote_trustees_json(db, v->id);
    unsigned n = (unsigned)json_array_size(all);
    json_decref(all);
    char why[EVOTE_WHY_MAX];
    return json_integer_value(json_object_get(member, "index")) == idx &&
           !strcmp(json_string_value(json_object_get(member, "id")) ?: "", user_id) &&
           !evote_member_check(member, v->id, (unsigned)v->trustee_threshold, n, why, sizeof why);
}

struct key_args {
    json_t *member;
    const char *box_public_key;
};

static int act_key(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                   const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    struct key_args *k = arg;
    int idx = 0, rc = trustee_index(tx, c, v, a, &idx);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (strcmp(v->status, "draft"))
        return vote_refuse(a, ERR_VOTE_NOT_DRAFT);
    if (!member_verifies(tx->db, v, c->p.user.id, idx, k->member)) {
        a->field = "member";
        return vote_refuse(a, ERR_BAD_TRUSTEE_KEY);
    }
    rc = vote_trustees_set_key(tx->db, v->id, idx, k->member, k->box_public_key);
    if (rc == OBR_ECONFLICT)
        return vote_refuse(a, ERR_TRUSTEE_DONE);
    if (!rc)
        rc = append_event(tx, v, c->p.user.id, "vote.trustee_key", idx);
    a->reply = json_pack("{s:i}", "index", idx);
    return rc;
}

static void trustee_action(struct req *rq, const struct jfield *spec, vote_fn fn, void *arg)
{
    struct meeting_ctx c;
    char id[ID_SIZE];
    if (vote_ctx_load_id(rq, &c, id) < 0)
        return;
    if (!c.p.is_signed_in) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return;
    }
    if (req_parse_json(rq, spec) < 0)
        return;
    vote_act(rq, &c, id, fn, arg, 200);
}

void api_vote_trustee_key(struct req *rq)
{
    struct key_args k = {0};
    const struct jfield spec[] = {
        {"member", JF_JSON, true, 0, 0, &k.member, NULL},
        {"box_public_key", JF_STRING, true, 64, 64, &k.box_public_key, NULL},
        {NULL},
    };
    struct meeting_ctx c;
    char id[ID_SIZE];
    if (vote_ctx_load_id(rq, &c, id) < 0 || req_parse_json(rq, spec) < 0)
        return;
    if (!json_is_object(k.member) || !is_hex(k.box_public_key, 64, 64)) {
        reply_error(rq, ERR_OUT_OF_RANGE, json_is_object(k.member) ? "box_public_key" : "member");
        return;
    }
    vote_act(rq, &c, id, act_key, &k, 200);
}

/* ---- shares ---- */

static int act_shares(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                      const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    json_t *shares = arg;
    int idx = 0, rc = trustee_index(tx, c, v, a, &idx);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (strcmp(v->status, "draft"))
        return vote_refuse(a, ERR_VOTE_NOT_DRAFT);
    json_t *all = vote_trustees_json(tx->db, v->id);
    size_t n = json_array_size(all), i;
    json_t *t;
    bool keys_in = all != NULL, mine_sent = false;
    json_array_foreach (all, i, t) {
        keys_in = keys_in && json_is_object(json_object_get(t, "member"));
        if (json_integer_value(json_object_get(t, "index")) == idx)
            mine_sent = json_integer_value(json_object_get(t, "shares_sent")) > 0;
    }
    json_decref(all);
    if (!keys_in)
        return vote_refuse(a, ERR_TRUSTEES_NOT_READY);
    if (mine_sent)
        return vote_refuse(a, ERR_TRUSTEE_DONE);
    a->field = "shares";
    if (json_array_size(shares) != n - 1)
        return vote_refuse(a, ERR_OUT_OF_RANGE);
    json_t *s;
    json_array_foreach (shares, i, s) {
        json_int_t from = json_integer_value(json_object_get(s, "from")),
                   to = json_integer_value(json_object_get(s, "to"));
        const char *sealed = json_string_value(json_object_get(s, "sealed"));
        if (from != idx || to < 1 || to > (json_int_t)n || to == idx || !is_hex(sealed, 96, SEALED_MAX))
            return vote_refuse(a, ERR_OUT_OF_RANGE);
        rc = trustee_shares_add(tx->db, v->id, idx, (int)to, sealed);
        if (rc == OBR_EEXISTS) /* two shares for one member */
            return vote_refuse(a, ERR_OUT_OF_RANGE);
        if (rc)
            return rc;
    }
    a->field = NULL;
    rc = append_event(tx, v, c->p.user.id, "vote.trustee_shares", idx);
    json_t *now = rc ? NULL : vote_trustees_json(tx->db, v->id);
    bool ready = now != NULL;
    json_array_foreach (now, i, t)
        ready = ready && json_integer_value(json_object_get(t, "shares_sent")) == (json_int_t)n - 1;
    json_decref(now);
    if (!rc && ready)
        rc = vote_append(tx, v->meeting_id, "system", "vote.trustees_ready",
                         json_pack("{s:s}", "vote_id", v->id));
    a->reply = json_pack("{s:i, s:b}", "index", idx, "ready", ready);
    return rc;
}

void api_vote_trustee_shares(struct req *rq)
{
    json_t *shares = NULL;
    const struct jfield spec[] = {{"shares", JF_JSON, true, 0, 0, &shares, NULL}, {NULL}};
    struct meeting_ctx c;
    char id[ID_SIZE];
    if (vote_ctx_load_id(rq, &c, id) < 0 || req_parse_json(rq, spec) < 0)
        return;
    if (!json_is_array(shares) || json_array_size(shares) > EVOTE_MAX_MEMBERS) {
        reply_error(rq, ERR_OUT_OF_RANGE, "shares");
        return;
    }
    vote_act(rq, &c, id, act_shares, shares, 200);
}

/* ---- reading ---- */

void api_vote_trustees(struct req *rq)
{
    struct meeting_ctx c;
    struct vote v;
    if (vote_ctx_load(rq, &c, &v, false) < 0)
        return;
    struct db *db = req_db(rq);
    int idx = 0;
    bool is_trustee = c.p.is_signed_in && !vote_trustees_of_user(db, v.id, c.p.user.id, &idx);
    json_t *members = vote_trustees_json(db, v.id);
    json_t *j = json_pack("{s:s, s:i, s:o, s:o, s:o}", "mode", v.trustee_mode, "threshold",
                          v.trustee_threshold, "members", members ? members : json_array(),
                          "my_index", is_trustee ? json_integer(idx) : json_null(),
                          "shares_for_me",
                          is_trustee ? trustee_shares_for_json(db, v.id, idx) : json_array());
    vote_clear(&v);
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, 200, j ? j : json_object());
}

/* ---- decryptions ---- */

struct dec_args {
    json_t *factors, *proofs;
};

static int act_decryption(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                          const struct meeting_state *st, struct vote *v, void *arg,
                          struct vact *a)
{
    struct dec_args *d = arg;
    int idx = 0, rc = trustee_index(tx, c, v, a, &idx);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (strcmp(v->status, "counting"))
        return vote_refuse(a, !strcmp(v->status, "closed") ? ERR_TRUSTEE_DONE : ERR_VOTE_NOT_CLOSED);
    json_t *dec = json_pack("{s:i, s:i, s:O, s:O}", "group", 1, "index", idx, "factors", d->factors,
                            "proofs", d->proofs);
    if (!dec)
        return OBR_ENOMEM;
    struct vote_counts n;
    json_t *extra = NULL;
    char why[EVOTE_WHY_MAX] = "";
    rc = vote_secret_add_decryption(tx, v, st, dec, &n, &extra, why, sizeof why);
    json_decref(dec);
    if (rc == OBR_EINVAL || rc == OBR_EEXISTS) {
        if (rc == OBR_EEXISTS)
            return vote_refuse(a, ERR_TRUSTEE_DONE);
        const struct api_err_info *info = api_err_info(ERR_BAD_DECRYPTION);
        a->status = info->status;
        a->reply = json_pack("{s:{s:s, s:s, s:s}}", "error", "code", info->code, "message",
                             req_prefers_polish(rq) ? info->message_pl : info->message_en,
                             "reason", why);
        return vote_refuse(a, ERR_BAD_DECRYPTION);
    }
    if (rc == VOTE_PENDING)
        return append_event(tx, v, c->p.user.id, "vote.decryption", idx);
    if (!rc)
        rc = append_event(tx, v, c->p.user.id, "vote.decryption", idx);
    if (!rc)
        rc = vote_finish(tx, &c->b, st, v, &n, extra, "system");
    else
        json_decref(extra);
    return rc;
}

void api_vote_decryption(struct req *rq)
{
    struct dec_args d = {0};
    const struct jfield spec[] = {
        {"factors", JF_JSON, true, 0, 0, &d.factors, NULL},
        {"proofs", JF_JSON, true, 0, 0, &d.proofs, NULL},
        {NULL},
    };
    trustee_action(rq, spec, act_decryption, &d);
}

/* ---- notice ---- */

/* Set when this thread queued mail in the current transaction: the commit
 * then wakes the outbox at once instead of at its next tick. */
static _Thread_local bool has_queued_mail;

bool vote_take_queued_mail(void)
{
    bool was = has_queued_mail;
    has_queued_mail = false;
    return was;
}

int vote_trustees_notify(struct log_tx *tx, const struct vote *v)
{
    const struct app *app = vote_app();
    json_t *all = vote_trustees_json(tx->db, v->id);
    if (!all || !app)
        return all ? 0 : OBR_ENOMEM;
    char url[512];
    snprintf(url, sizeof url, "%s/#/votes/%s/trustee", app->public_url, v->id);
    int rc = 0;
    size_t i;
    json_t *t;
    json_array_foreach (all, i, t) {
        struct user u;
        if (users_get(tx->db, json_string_value(json_object_get(t, "user_id")), &u))
            continue;
        bool pl = strcmp(u.lang, "en");
        struct buf subject = BUF_INIT, body = BUF_INIT, text = BUF_INIT, html = BUF_INIT;
        buf_printf(&subject, pl ? "Głosowanie tajne „%s” — odszyfruj wynik" : "Secret vote “%s” — decrypt the result",
                   v->title);
        buf_printf(&body,
                   pl ? "Głosowanie tajne „%s” zostało zamknięte. Wynik pozna się dopiero, gdy "
                        "co najmniej %d członków komisji skrutacyjnej odszyfruje sumę głosów "
                        "swoim kluczem.\n\nOtwórz stronę komisji i wczytaj plik klucza "
                        "zapisany przy tworzeniu kluczy."
                      : "The secret vote “%s” is closed. Its result is known only once at least "
                        "%d members of the scrutiny committee decrypt the sum of the votes with "
                        "their keys.\n\nOpen the committee page and load the key file you saved "
                        "when the keys were made.",
                   v->title, v->trustee_threshold);
        rc = mail_tpl_notice(&text, &html, pl ? "pl" : "en", u.name, buf_str(&body),
                             pl ? "Odszyfruj wynik" : "Decrypt the result", url);
        struct mail_message msg = {.to_addr = u.email, .to_name = u.name,
                                   .subject = buf_str(&subject), .text = buf_str(&text),
                                   .html = buf_str(&html)};
        if (!rc)
            rc = outbox_enqueue(tx->db, &app->mail, &msg, false, NULL);
        has_queued_mail = has_queued_mail || !rc;
        buf_free(&subject);
        buf_free(&body);
        buf_free(&text);
        buf_free(&html);
        if (rc)
            break;
    }
    json_decref(all);
    return rc;
}
