/* deadlines.c — what happens when a meeting's deadline falls due: an
 * attendance check ends with the list of who pressed "present". Runs on the
 * scheduler's thread with its own connection. */
#include <string.h>

#include "api/meeting_ctx.h"
#include "api/proceedings.h"
#include "ops/scheduler.h"
#include "store/db.h"
#include "util/clock.h"

static int end_attendance(struct db *db, struct hub *hub, void *ctx, const struct deadline *d)
{
    struct log_tx tx;
    int rc = log_tx_begin(&tx, db, hub);
    if (rc)
        return rc;
    struct meeting m;
    struct body b;
    struct meeting_state *st = NULL;
    rc = meetings_get(db, d->meeting_id, &m);
    if (!rc)
        rc = bodies_get(db, m.body_id, &b);
    if (!rc)
        rc = meeting_state_load(db, &m, &b, &st);
    if (!rc) {
        if (st->is_check_open && !strcmp(st->check_id, d->ref_id))
            rc = proceedings_end_check(&tx, m.id, "system", st);
        else /* ended early by the chair, or the meeting closed */
            rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
    } else if (rc == OBR_ENOTFOUND) {
        rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
    }
    meeting_state_free(st);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc)
        log_tx_rollback(&tx);
    return rc;
}

void proceedings_register_deadlines(void)
{
    scheduler_register("attendance", end_attendance);
}
