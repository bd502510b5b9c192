/* chat_mute.c — the chair (or whoever conducts) mutes or unmutes one
 * participant's chat: POST /api/meetings/{id}/chat/mute. The change is a
 * chat.muted event, so every screen and the protocol's log see it, and the
 * fold refuses that person's chat (403 chat_muted) until unmuted. */
#include "api/app.h"
#include "api/handlers.h"
#include "api/meeting_ctx.h"
#include "util/err.h"
#include "util/ids.h"

struct mute_args {
    const char *user_id;
    bool is_muted;
};

static int append_mute(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                       const struct meeting_state *st, void *arg, json_t **reply)
{
    struct mute_args *a = arg;
    json_t *j = json_pack("{s:s, s:b}", "user_id", a->user_id, "is_muted", a->is_muted);
    int rc = j ? log_append(tx, c->m.id, c->p.user.id, "chat.muted", j, EVENT_PARTICIPANTS, NULL)
               : OBR_ENOMEM;
    *reply = j;
    return rc;
}

void api_chat_mute(struct req *rq)
{
    struct meeting_ctx c;
    struct mute_args a = {0};
    const struct jfield spec[] = {
        {"user_id", JF_STRING, true, 1, 64, &a.user_id, NULL},
        {"is_muted", JF_BOOL, true, 0, 0, &a.is_muted, NULL},
        {NULL},
    };
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0 ||
        req_parse_json(rq, spec) < 0)
        return;
    if (!id_is_valid(a.user_id)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "user_id");
        return;
    }
    meeting_act(rq, &c, MS_ACT_CHAT_MUTE, a.user_id, append_mute, &a, 200);
}
