/* vote_confirm.c — the scrutiny committee confirms a result before the chair
 * announces it (issue 17 item 7; the university regulation, secret votes
 * §12-14). With the body's confirm_results on, a closed vote waits in
 * 'confirming' (vote_close.c): its result goes only to the chair, operators
 * and the committee; POST /api/votes/{id}/confirm records a member's
 * confirmation or objection with its reason; POST /api/votes/{id}/announce
 * (the chair, after at least one confirmation) closes it with the result and
 * the confirmations, and only then members, the projector and the public see
 * it (vote.closed). */
#include <string.h>

#include "api/handlers.h"
#include "api/report_mail.h"
#include "api/vote_impl.h"
#include "store/db.h"
#include "util/clock.h"

static bool is_scrutiny(struct db *db, const char *meeting_id, const char *uid)
{
    bool is_guest = false, is_scrutiny = false;
    return participants_is_participant(db, meeting_id, uid, &is_guest, &is_scrutiny) &&
           is_scrutiny;
}

void vote_add_pending(struct req *rq, struct db *db, const struct meeting_ctx *c,
                      const struct vote *v, json_t *j)
{
    if (!j || strcmp(v->status, "confirming") || !c->p.is_signed_in)
        return;
    if (!c->can_conduct && !is_scrutiny(db, v->meeting_id, c->p.user.id))
        return;
    json_object_set(j, "pending_result", v->result ? v->result : json_null());
    json_t *list = vote_confirmations_json(db, v->id);
    json_object_set_new(j, "confirmations", list ? list : json_array());
}

static int act_confirm(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                       const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    const char *objection = arg;
    if (strcmp(v->status, "confirming"))
        return vote_refuse(a, ERR_NOT_CONFIRMING);
    if (!is_scrutiny(tx->db, v->meeting_id, c->p.user.id))
        return vote_refuse(a, ERR_NOT_SCRUTINY);
    int64_t now = clock_now_ms();
    int rc = vote_confirmations_add(tx->db, v->id, c->p.user.id, c->p.user.name, objection, now);
    if (rc == OBR_EEXISTS)
        return vote_refuse(a, ERR_ALREADY_CONFIRMED);
    if (!rc)
        rc = vote_append(tx, v->meeting_id, c->p.user.id, "vote.confirmation",
                         json_pack("{s:s, s:s, s:s, s:o}", "vote_id", v->id, "user_id",
                                   c->p.user.id, "name", c->p.user.name, "objection",
                                   objection[0] ? json_string(objection) : json_null()));
    a->status = 200;
    return rc;
}

void api_vote_confirm(struct req *rq)
{
    struct meeting_ctx c;
    char id[ID_SIZE];
    const char *objection = "";
    const struct jfield spec[] = {{"objection", JF_TEXT, false, 1, 2000, &objection, NULL},
                                  {NULL}};
    if (vote_ctx_load_id(rq, &c, id) < 0)
        return;
    if (!c.p.is_signed_in) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return;
    }
    if (req_parse_json(rq, spec) < 0)
        return;
    vote_act(rq, &c, id, act_confirm, (void *)objection, 200);
}

static int act_announce(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                        const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    if (strcmp(v->status, "confirming"))
        return vote_refuse(a, ERR_NOT_CONFIRMING);
    json_t *list = vote_confirmations_json(tx->db, v->id);
    if (!list)
        return OBR_ENOMEM;
    bool confirmed = false;
    size_t i;
    json_t *e;
    json_array_foreach (list, i, e)
        confirmed = confirmed || json_is_null(json_object_get(e, "objection"));
    if (!confirmed) {
        json_decref(list);
        return vote_refuse(a, ERR_NOT_CONFIRMED);
    }
    int64_t now = clock_now_ms();
    json_t *result = json_deep_copy(v->result);
    json_object_set_new(result, "confirmation",
                        json_pack("{s:o, s:s, s:s, s:I}", "by", list, "announced_by",
                                  c->p.user.id, "announced_by_name", c->p.user.name,
                                  "announced_at", (json_int_t)now));
    int rc = result ? votes_close(tx->db, v->id, v->closed_ms, result) : OBR_ENOMEM;
    if (!rc)
        rc = vote_append(tx, v->meeting_id, c->p.user.id, "vote.closed",
                         json_pack("{s:s, s:O, s:I}", "vote_id", v->id, "result", result,
                                   "closed_at", (json_int_t)v->closed_ms));
    if (!rc)
        rc = report_mail_after_vote(tx->db, v);
    json_decref(result);
    a->status = 200;
    return rc;
}

void api_vote_announce(struct req *rq)
{
    struct meeting_ctx c;
    char id[ID_SIZE];
    if (vote_ctx_load_id(rq, &c, id) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0)
        return;
    vote_act(rq, &c, id, act_announce, NULL, 200);
}
