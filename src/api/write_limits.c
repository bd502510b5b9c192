/* write_limits.c — the token buckets behind write_limits.h. One person's
 * chat and their button presses have separate buckets (a member asking many
 * questions can still press "present"); every participant write of a meeting
 * also takes from the meeting's bucket, so a hundred people together cannot
 * flood it either. Buckets refill continuously; a burst of a third of a
 * minute's allowance (a quarter for the meeting) is allowed at once. On
 * PostgreSQL the buckets are shared by every node (api/shared_limits.h). */
#include "api/write_limits.h"

#include <stdio.h>

#include "api/shared_limits.h"
#include "http/errors.h"
#include "http/req.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/ratelimit.h"

#define MAX_KEYS 100000

static struct ratelimit *chat_per_user, *actions_per_user, *writes_per_meeting;
static int64_t budget_bytes;

static double at_least(double v, double min)
{
    return v < min ? min : v;
}

int write_limits_init(const struct limits *l)
{
    write_limits_free();
    chat_per_user = ratelimit_new(l->chat_per_user_min / 60.0,
                                  at_least(l->chat_per_user_min / 2.0, 1), MAX_KEYS);
    actions_per_user = ratelimit_new(l->actions_per_user_min / 60.0,
                                     at_least(l->actions_per_user_min / 2.0, 1), MAX_KEYS);
    writes_per_meeting = ratelimit_new(l->meeting_writes_per_min / 60.0,
                                       at_least(l->meeting_writes_per_min / 4.0, 1), MAX_KEYS);
    budget_bytes = (int64_t)l->meeting_log_budget_kib * 1024;
    return chat_per_user && actions_per_user && writes_per_meeting ? 0 : OBR_ENOMEM;
}

void write_limits_free(void)
{
    ratelimit_free(chat_per_user);
    ratelimit_free(actions_per_user);
    ratelimit_free(writes_per_meeting);
    chat_per_user = actions_per_user = writes_per_meeting = NULL;
}

static bool refuse(struct req *rq, unsigned retry_s)
{
    char v[16];
    snprintf(v, sizeof v, "%u", retry_s ? retry_s : 1);
    reply_header(rq, "Retry-After", v);
    reply_error(rq, ERR_RATE_LIMITED, NULL);
    return false;
}

bool write_limits_take(struct req *rq, enum ms_action a, const char *meeting_id,
                       const char *user_id)
{
    struct ratelimit *per_user;
    const char *name = "act";
    switch (a) {
    case MS_ACT_CHAT:
        per_user = chat_per_user;
        name = "chat";
        break;
    case MS_ACT_ATTENDANCE_PRESENT:
    case MS_ACT_PRESENCE:
    case MS_ACT_FLOOR_REQUEST:
    case MS_ACT_FLOOR_WITHDRAW:
        per_user = actions_per_user;
        break;
    default:
        return true;
    }
    if (!per_user || !writes_per_meeting)
        return true; /* not initialised: unit tests of handlers */
    char key[2 * 64];
    snprintf(key, sizeof key, "%s/%s", meeting_id, user_id);
    unsigned retry_s = 1;
    struct db *db = req_db(rq);
    if (!shared_limit_take(db, per_user, name, key, &retry_s))
        return refuse(rq, retry_s);
    if (!shared_limit_take(db, writes_per_meeting, "meeting", meeting_id, &retry_s))
        return refuse(rq, retry_s);
    return true;
}

int write_limits_check_budget(struct log_tx *tx, const struct meeting_state *st)
{
    if (!budget_bytes || st->is_log_over_budget || st->log_bytes <= budget_bytes)
        return 0;
    json_t *j = json_pack("{s:I, s:I}", "bytes", (json_int_t)st->log_bytes, "budget_bytes",
                          (json_int_t)budget_bytes);
    int rc =
        j ? log_append(tx, st->meeting_id, "system", "log.budget_exceeded", j, EVENT_STAFF, NULL)
          : OBR_ENOMEM;
    json_decref(j);
    return rc;
}
