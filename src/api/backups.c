/* backups.c — the instance admin's view of backups: GET /api/admin/backups
 * (status, progress, the backups on disk) and POST /api/admin/backups ("back
 * up now", answered at once; the job runs on its own thread). */
#include "api/auth.h"
#include "api/handlers.h"
#include "ops/backup_job.h"
#include "util/err.h"

static int require_instance_admin(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return -1;
    if (!p.user.is_instance_admin) {
        reply_error(rq, ERR_FORBIDDEN, NULL);
        return -1;
    }
    return 0;
}

void api_backups_status(struct req *rq)
{
    if (require_instance_admin(rq) < 0)
        return;
    json_t *status = backup_job_status_json();
    if (!status) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, 200, status);
}

void api_backups_run(struct req *rq)
{
    if (require_instance_admin(rq) < 0)
        return;
    int rc = backup_job_request();
    if (rc == OBR_ECONFLICT)
        reply_error(rq, ERR_BACKUP_RUNNING, NULL);
    else if (rc)
        reply_error(rq, ERR_BACKUPS_OFF, NULL);
    else
        reply_json(rq, 202, backup_job_status_json());
}
