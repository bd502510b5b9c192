/* live.c — the event streams: /api/live (the installation's public log: start,
 * stop, notices) and /api/meetings/{id}/events. Resume point from the
 * Last-Event-ID header (what EventSource sends on reconnect) or ?since=. */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/meeting_ctx.h"
#include "api/handlers.h"
#include "log/event.h"
#include "log/eventlog.h"
#include "store/db.h"

/* Parses a non-negative decimal seq; -1 when malformed. */
static int64_t parse_seq(const char *s)
{
    if (!s || !*s || strlen(s) > 16)
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* The seq after which to stream; -1 with the error reply made. */
static int64_t resume_point(struct req *rq)
{
    const char *last = req_header(rq, "Last-Event-ID");
    const char *since = req_query(rq, "since");
    if (last && *last) {
        int64_t v = parse_seq(last);
        if (v < 0)
            reply_error(rq, ERR_BAD_PARAMETER, "Last-Event-ID");
        return v;
    }
    if (since) {
        int64_t v = parse_seq(since);
        if (v < 0)
            reply_error(rq, ERR_BAD_PARAMETER, "since");
        return v;
    }
    return 0;
}

void api_live(struct req *rq)
{
    int64_t after = resume_point(rq);
    if (after < 0)
        return;
    reply_sse(rq, INSTANCE_LOG, after, EVENT_PUBLIC);
}

void api_meeting_events(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, true) < 0)
        return;
    int64_t after = resume_point(rq);
    if (after < 0)
        return;
    /* Each viewer sees what their role allows: the public view of a public
     * meeting, the participants' view, or the staff's. */
    reply_sse(rq, c.m.id, after, c.visibility);
}
