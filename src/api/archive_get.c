/* archive_get.c — GET /api/meetings/{id}/archive.zip: an archived meeting's
 * bundle for the organisation's staff (who prepare meetings), streamed from
 * archive_dir. The path comes from the stored meeting id, never the URL. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/app.h"
#include "api/archive.h"
#include "api/auth.h"
#include "api/handlers.h"
#include "store/meetings.h"
#include "util/err.h"
#include "util/ids.h"

void api_meeting_archive(struct req *rq)
{
    struct principal p;
    struct meeting m;
    if (principal_require(rq, &p) < 0)
        return;
    const char *id = req_param(rq, "id");
    int rc = id && id_is_valid(id) ? meetings_get(req_db(rq), id, &m) : OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    if (perm_require(rq, &p, ACT_MEETING_PREPARE, m.org_id, m.body_id) < 0)
        return;
    struct app *app = req_app(rq);
    char path[ARCHIVE_PATH_MAX], disposition[128];
    int fd = -1;
    struct stat st;
    if (!strcmp(m.status, "archived") && app->archive_dir &&
        snprintf(path, sizeof path, "%s/obrady-archive-%s.zip", app->archive_dir, m.id) <
            (int)sizeof path)
        fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0)
            close(fd);
        reply_error(rq, ERR_NOT_FOUND, NULL);
        return;
    }
    snprintf(disposition, sizeof disposition, "attachment; filename=\"obrady-archive-%s.zip\"",
             m.id);
    reply_header(rq, "Content-Disposition", disposition);
    reply_header(rq, "Cache-Control", "private");
    reply_fd(rq, 200, "application/zip", fd, (uint64_t)st.st_size);
}
