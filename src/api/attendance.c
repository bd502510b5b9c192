/* attendance.c — GET /api/bodies/{id}/attendance[.csv|.pdf]?from=&to=: the
 * attendance and activity of a body's members over a period (a term or any
 * date range; report/attendance.h), for the office (allowances) and the
 * body's chair, vice-chair and secretary: ACT_MEMBER_READ_CONTACT, since it
 * tells about each member what the contact list does. */
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/handlers.h"
#include "report/attendance.h"
#include "store/db.h"
#include "store/directory.h"
#include "util/buf.h"

/* The period's longest span in years: a term is five. */
#define PERIOD_MAX_YEARS 6

enum att_format { ATT_JSON, ATT_CSV, ATT_PDF };

/* Checks the caller, the query and builds the model; replies and returns
 * NULL when refused. *is_en: ?lang, else the organisation's language. */
static json_t *load(struct req *rq, bool *is_en, bool *with_bom, char body_id[ID_SIZE])
{
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return NULL;
    }
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return NULL;
    const char *id = req_param(rq, "id");
    struct body b;
    int rc = id && id_is_valid(id) ? bodies_get(db, id, &b) : OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return NULL;
    }
    if (perm_require(rq, &p, ACT_MEMBER_READ_CONTACT, b.org_id, b.id) < 0)
        return NULL;
    int from, to;
    if (attendance_parse_day(req_query(rq, "from"), &from) < 0) {
        reply_error(rq, ERR_BAD_PARAMETER, "from");
        return NULL;
    }
    if (attendance_parse_day(req_query(rq, "to"), &to) < 0) {
        reply_error(rq, ERR_BAD_PARAMETER, "to");
        return NULL;
    }
    if (to < from) {
        reply_error(rq, ERR_PERIOD_REVERSED, "to");
        return NULL;
    }
    if (to - from >= PERIOD_MAX_YEARS * 10000) {
        reply_error(rq, ERR_PERIOD_TOO_LONG, "to");
        return NULL;
    }
    const char *lang = req_query(rq, "lang");
    if (lang && strcmp(lang, "pl") && strcmp(lang, "en")) {
        reply_error(rq, ERR_BAD_PARAMETER, "lang");
        return NULL;
    }
    const char *bom = req_query(rq, "bom");
    if (bom && strcmp(bom, "0") && strcmp(bom, "1")) {
        reply_error(rq, ERR_BAD_PARAMETER, "bom");
        return NULL;
    }
    *with_bom = !bom || !strcmp(bom, "1");
    json_t *model = NULL;
    rc = attendance_model(db, b.id, from, to, &model);
    if (rc) {
        reply_obr_error(rq, rc);
        return NULL;
    }
    const char *org_lang =
        json_string_value(json_object_get(json_object_get(model, "org"), "lang"));
    *is_en = lang ? !strcmp(lang, "en") : org_lang && !strcmp(org_lang, "en");
    snprintf(body_id, ID_SIZE, "%s", b.id);
    return model;
}

static void reply_file(struct req *rq, const char *type, struct buf *b, const char *name,
                       const json_t *model)
{
    char cd[160];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s-%s-%s.%s\"", name,
             json_string_value(json_object_get(model, "from")),
             json_string_value(json_object_get(model, "to")), strstr(type, "pdf") ? "pdf" : "csv");
    size_t len = b->len;
    char *data = buf_take(b);
    if (!data) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_header(rq, "Content-Disposition", cd);
    reply_bytes(rq, 200, type, data, len);
}

static void serve(struct req *rq, enum att_format f)
{
    bool is_en = false, with_bom = true;
    char body_id[ID_SIZE];
    json_t *model = load(rq, &is_en, &with_bom, body_id);
    if (!model)
        return;
    const char *name = is_en ? "attendance" : "obecnosc";
    struct buf b = BUF_INIT;
    if (f == ATT_JSON) {
        reply_json(rq, 200, model);
        return;
    }
    if (f == ATT_CSV) {
        attendance_csv(&b, model, is_en, with_bom);
        reply_file(rq, "text/csv; charset=utf-8; header=present", &b, name, model);
    } else {
        int rc = attendance_pdf(model, is_en, &b);
        if (rc)
            reply_obr_error(rq, rc);
        else
            reply_file(rq, "application/pdf", &b, name, model);
    }
    buf_free(&b);
    json_decref(model);
}

void api_body_attendance(struct req *rq)
{
    serve(rq, ATT_JSON);
}

void api_body_attendance_csv(struct req *rq)
{
    serve(rq, ATT_CSV);
}

void api_body_attendance_pdf(struct req *rq)
{
    serve(rq, ATT_PDF);
}
