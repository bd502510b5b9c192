/* meeting_state_get.c — GET /api/meetings/{id}/state: the live state for
 * the viewer's class. The serialized answer (and its gzip) is made once per
 * state snapshot and class and kept with the snapshot (core/meeting_state.h,
 * struct ms_memo), so a read of an unchanged meeting is a lookup and a copy. */
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/meeting_ctx.h"
#include "log/event.h"

/* Slots: visibility * 2 (+ 1 for the gzip of the same text); 6 and 7 are
 * the vote's (vote_get.c). */
#define SLOT(vis, gz) ((vis) * 2 + ((gz) ? 1 : 0))

static struct ms_memo *memo_of(const char *bytes, size_t len)
{
    struct ms_memo *m = malloc(sizeof *m + len + 1);
    if (m) {
        m->len = len;
        if (len)
            memcpy(m->bytes, bytes, len);
        m->bytes[len] = '\0';
    }
    return m;
}

/* Whether the answer depends on who asks beyond the class: a participant
 * sees their own messages to the operator or the chair, nobody else's. */
static bool is_personal(const struct meeting_state *st, int visibility, const char *viewer)
{
    if (visibility != EVENT_PARTICIPANTS || !viewer)
        return false;
    for (int i = 0; i < st->n_chat; i++) {
        const struct ms_chat *c = &st->chat[i];
        if (!c->is_hidden && (c->is_to_operator || c->is_to_chair) &&
            !strcmp(c->user_id, viewer))
            return true;
    }
    return false;
}

/* The compact JSON text for the class, from the memo or made now. */
static const struct ms_memo *text_memo(const struct meeting_state *st, int visibility)
{
    const struct ms_memo *m = meeting_state_memo(st, SLOT(visibility, false));
    if (m)
        return m;
    json_t *j = meeting_state_to_json(st, visibility, NULL);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    struct ms_memo *made = text ? memo_of(text, strlen(text)) : NULL;
    free(text);
    return made ? meeting_state_memo_put(st, SLOT(visibility, false), made) : NULL;
}

/* Its gzip; a memo of length 0 when gzip does not pay (then plain). */
static const struct ms_memo *gzip_memo(const struct meeting_state *st, int visibility,
                                       const struct ms_memo *text)
{
    const struct ms_memo *m = meeting_state_memo(st, SLOT(visibility, true));
    if (m)
        return m;
    size_t len = 0;
    char *gz = http_gzip(text->bytes, text->len, &len);
    struct ms_memo *made = memo_of(gz, gz ? len : 0);
    free(gz);
    return made ? meeting_state_memo_put(st, SLOT(visibility, true), made) : NULL;
}

static void reply_memo(struct req *rq, const struct ms_memo *m, const char *coding)
{
    char *copy = malloc(m->len + 1);
    if (!copy) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    memcpy(copy, m->bytes, m->len);
    reply_coded(rq, 200, "application/json", coding, copy, m->len);
}

void api_meeting_state(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, true) < 0)
        return;
    struct meeting_state *st = NULL;
    int rc = meeting_state_load(req_db(rq), &c.m, &c.b, &st);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    const char *viewer = c.p.is_signed_in ? c.p.user.id : NULL;
    reply_header(rq, "Cache-Control", "no-store");
    int vis = c.visibility;
    if (vis < EVENT_PUBLIC || vis > EVENT_STAFF || is_personal(st, vis, viewer)) {
        reply_json(rq, 200, meeting_state_to_json(st, vis, viewer));
        meeting_state_free(st);
        return;
    }
    const struct ms_memo *text = text_memo(st, vis);
    const struct ms_memo *gz = text && req_accepts_gzip(rq) ? gzip_memo(st, vis, text) : NULL;
    if (gz && gz->len)
        reply_memo(rq, gz, "gzip");
    else if (text)
        reply_memo(rq, text, NULL);
    else
        reply_error(rq, ERR_INTERNAL, NULL);
    meeting_state_free(st);
}
