/* reports.c — the PDF protocols over HTTP: the report of a closed vote and
 * the protocol of a meeting, rendered on demand and cached by the log's head
 * (report/report.h); and the body's setting whether they are e-mailed.
 * Participants and the body's staff may read them, anyone may for a public
 * meeting; to everyone else a private meeting's report does not exist (404,
 * so its existence is not revealed). */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/handlers.h"
#include "report/report.h"
#include "store/db.h"
#include "store/meetings.h"
#include "store/report_settings.h"
#include "store/votes.h"

/* 0 when the caller may read the reports of m; otherwise replies 404 and returns -1. */
static int may_read(struct req *rq, const struct meeting *m)
{
    if (m->is_public && strcmp(m->status, "draft"))
        return 0;
    struct principal p;
    principal_optional(rq, &p);
    if (p.is_signed_in &&
        (participants_is_participant(req_db(rq), m->id, p.user.id, NULL, NULL) ||
         perm_allows(rq, &p, ACT_MEETING_READ, m->org_id, m->body_id)))
        return 0;
    reply_error(rq, ERR_NOT_FOUND, NULL);
    return -1;
}

static void reply_report(struct req *rq, enum report_kind kind, const char *id)
{
    struct app *app = req_app(rq);
    struct report_file f;
    int rc = report_get(req_db(rq), app->data_dir, app->public_url, app->secret_key, kind, id, &f);
    if (rc == OBR_ECONFLICT) {
        reply_error(rq, ERR_REPORT_VOTE_NOT_CLOSED, NULL);
        return;
    }
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    char disposition[160], etag[EVENT_HASH_HEX + 3];
    snprintf(disposition, sizeof disposition, "inline; filename=\"%s\"", f.filename);
    snprintf(etag, sizeof etag, "\"%s\"", f.head);
    reply_header(rq, "Content-Disposition", disposition);
    reply_header(rq, "Cache-Control", "no-cache");
    reply_header(rq, "ETag", etag);
    reply_bytes(rq, 200, "application/pdf", f.data, f.len);
}

void api_vote_report(struct req *rq)
{
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    const char *id = req_param(rq, "id");
    struct vote *v = calloc(1, sizeof *v);
    struct meeting m;
    int rc = !v ? OBR_ENOMEM : id && id_is_valid(id) ? votes_get(db, id, v) : OBR_ENOTFOUND;
    if (!rc)
        rc = meetings_get(db, v->meeting_id, &m);
    bool is_closed = !rc && !strcmp(v->status, "closed");
    if (v)
        vote_clear(v);
    free(v);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    if (may_read(rq, &m) < 0)
        return;
    if (!is_closed) {
        reply_error(rq, ERR_REPORT_VOTE_NOT_CLOSED, NULL);
        return;
    }
    reply_report(rq, REPORT_VOTE, id);
}

void api_meeting_protocol(struct req *rq)
{
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    const char *id = req_param(rq, "id");
    struct meeting m;
    int rc = id && id_is_valid(id) ? meetings_get(db, id, &m) : OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    if (may_read(rq, &m) < 0)
        return;
    reply_report(rq, REPORT_PROTOCOL, m.id);
}

/* ---- GET/PUT /api/bodies/{id}/report-mail {enabled} ---- */

static int load_body(struct req *rq, struct principal *p, struct body *b, enum role_action a)
{
    if (principal_require(rq, p) < 0)
        return -1;
    const char *id = req_param(rq, "id");
    int rc = id && id_is_valid(id) ? bodies_get(req_db(rq), id, b) : OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return perm_require(rq, p, a, b->org_id, b->id);
}

void api_body_report_mail_get(struct req *rq)
{
    struct principal p;
    struct body b;
    bool is_on = true;
    if (load_body(rq, &p, &b, ACT_BODY_READ) < 0)
        return;
    int rc = report_mail_get(req_db(rq), b.id, &is_on);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 200, json_pack("{s:b}", "enabled", is_on));
}

void api_body_report_mail_set(struct req *rq)
{
    struct principal p;
    struct body b;
    bool is_on = true;
    const struct jfield spec[] = {{"enabled", JF_BOOL, true, 0, 0, &is_on, NULL}, {NULL}};
    if (load_body(rq, &p, &b, ACT_BODY_UPDATE) < 0 || req_parse_json(rq, spec) < 0)
        return;
    int rc = report_mail_set(req_db(rq), b.id, is_on);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 200, json_pack("{s:b}", "enabled", is_on));
}
