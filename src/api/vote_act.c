/* vote_act.c — loading a vote with its meeting, and the action runner every
 * vote change goes through (see vote_impl.h). */
#include <stdlib.h>
#include <string.h>

#include "api/principal_cache.h"
#include "api/vote_impl.h"
#include "log/event.h"
#include "mail/mail.h"
#include "mail/sms.h"
#include "ops/scheduler.h"
#include "store/db.h"
#include "util/ids.h"

int vote_ctx_load(struct req *rq, struct meeting_ctx *c, struct vote *v, bool is_public_ok)
{
    memset(v, 0, sizeof *v);
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    const char *id = req_param(rq, "id");
    int rc = id && id_is_valid(id) ? votes_get(db, id, v) : OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    if (meeting_ctx_load_id(rq, c, v->meeting_id, is_public_ok) < 0) {
        vote_clear(v);
        return -1;
    }
    return 0;
}

int vote_ctx_load_head(struct req *rq, struct meeting_ctx *c, char id[ID_SIZE], char kind[16])
{
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    const char *param = req_param(rq, "id");
    char meeting_id[ID_SIZE];
    bool is_valid = param && id_is_valid(param);
    /* A vote's meeting and kind never change: kept once read. */
    bool is_known = is_valid && pcache_vote_head_get(param, meeting_id, kind);
    int rc = !is_valid ? OBR_ENOTFOUND : is_known ? 0 : votes_head(db, param, meeting_id, kind);
    if (!rc && !is_known)
        pcache_vote_head_put(param, meeting_id, kind);
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    snprintf(id, ID_SIZE, "%s", param);
    return meeting_ctx_load_id(rq, c, meeting_id, false);
}

int vote_ctx_load_id(struct req *rq, struct meeting_ctx *c, char id[ID_SIZE])
{
    char kind[16];
    return vote_ctx_load_head(rq, c, id, kind);
}

int vote_refuse(struct vact *a, enum api_err err)
{
    a->err = err;
    return 0;
}

int vote_append(struct log_tx *tx, const char *meeting_id, const char *actor, const char *type,
                json_t *j)
{
    int rc = j ? log_append(tx, meeting_id, actor, type, j, EVENT_PUBLIC, NULL) : OBR_ENOMEM;
    json_decref(j);
    return rc;
}

void vote_act(struct req *rq, struct meeting_ctx *c, const char *vote_id, vote_fn fn, void *arg,
              unsigned status)
{
    struct log_tx tx;
    struct db *db = req_db(rq);
    /* One meeting's lock: its votes and ballots are its own rows. */
    if (!db || log_tx_begin_for(&tx, db, req_hub(rq), c->m.id)) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    struct meeting_state *st = NULL;
    struct vote v;
    memset(&v, 0, sizeof v);
    struct vact a = {.err = ERR__COUNT, .status = status};
    int rc = meeting_state_load(db, &c->m, &c->b, &st);
    if (!rc && vote_id)
        rc = votes_get(db, vote_id, &v);
    if (!rc) {
        if (vote_id)
            snprintf(a.vote_id, sizeof a.vote_id, "%s", vote_id);
        rc = fn(rq, &tx, c, st, vote_id ? &v : NULL, arg, &a);
    }
    if (!rc && a.err == ERR__COUNT)
        rc = log_tx_commit(&tx);
    if (rc || a.err != ERR__COUNT)
        log_tx_rollback(&tx); /* safe after a failed commit too */
    vote_clear(&v);
    if (rc || a.err != ERR__COUNT) {
        vote_take_queued_mail();
        meeting_state_free(st);
        if (rc)
            reply_obr_error(rq, rc);
        else if (a.reply) /* a refusal with its own details (e.g. why a proof fails) */
            reply_json(rq, a.status, json_incref(a.reply));
        else
            reply_error(rq, a.err, a.field);
        json_decref(a.reply);
        return;
    }
    if (a.nudge) {
        scheduler_nudge();
        sms_nudge(); /* an opened vote may have queued SMS */
    }
    if (vote_take_queued_mail())
        outbox_nudge(NULL);
    if (!a.reply && a.vote_id[0] && !votes_get(db, a.vote_id, &v)) {
        a.reply = vote_to_json(db, &v, st, c->p.is_signed_in ? c->p.user.id : NULL);
        vote_add_pending(rq, db, c, &v, a.reply);
        vote_clear(&v);
    }
    meeting_state_free(st);
    reply_json(rq, a.status, a.reply ? a.reply : json_object());
}
