/* publication.c — the public JSON API (no sign-in) and the BIP exports:
 * published meetings across organisations, the counters, a published vote
 * with its named list (JSON, CSV, HTML at stable URLs), and the whole-meeting
 * export (JSON, CSV) for the public (public meetings) or the participants.
 * What is said comes from one model (public_model.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/public_model.h"
#include "report/bip.h"
#include "report/public_html.h"
#include "report/xlsx.h"
#include "store/db.h"
#include "store/public.h"
#include "util/buf.h"
#include "util/diag.h"

#define DEFAULT_LIMIT 20
#define OFFSET_MAX 100000

/* A query integer within [min, max]; absent: dflt. -1 (after replying 400)
 * when malformed. */
static int query_int(struct req *rq, const char *name, int min, int max, int dflt, int *out)
{
    const char *s = req_query(rq, name);
    *out = dflt;
    if (!s)
        return 0;
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max || (s[0] == '0' && s[1])) {
        reply_error(rq, ERR_BAD_PARAMETER, name);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* ?bom=0|1 (default 1: spreadsheets read UTF-8 right only with it). */
static int query_bom(struct req *rq, bool *with_bom)
{
    int v;
    if (query_int(rq, "bom", 0, 1, 1, &v) < 0)
        return -1;
    *with_bom = v == 1;
    return 0;
}

/* ?lang must be pl or en when given. */
static int check_lang(struct req *rq)
{
    const char *l = req_query(rq, "lang");
    if (l && strcmp(l, "pl") && strcmp(l, "en")) {
        reply_error(rq, ERR_BAD_PARAMETER, "lang");
        return -1;
    }
    return 0;
}

static void reply_buf(struct req *rq, const char *type, struct buf *b, const char *filename)
{
    size_t len = b->len;
    char *data = buf_take(b);
    if (!data) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    if (filename) {
        char cd[128];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", filename);
        reply_header(rq, "Content-Disposition", cd);
    }
    reply_header(rq, "Cache-Control", "no-cache");
    reply_header(rq, "Access-Control-Allow-Origin", "*"); /* harvestable by any BIP */
    reply_bytes(rq, 200, type, data, len);
}

void api_public_meetings(struct req *rq)
{
    const char *when = req_query(rq, "when");
    int limit, offset;
    if (when && strcmp(when, "upcoming") && strcmp(when, "recent")) {
        reply_error(rq, ERR_BAD_PARAMETER, "when");
        return;
    }
    if (query_int(rq, "limit", 1, PUBLIC_LIST_MAX, DEFAULT_LIMIT, &limit) < 0 ||
        query_int(rq, "offset", 0, OFFSET_MAX, 0, &offset) < 0)
        return;
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    bool is_recent = when && !strcmp(when, "recent");
    int64_t total = 0;
    json_t *list = public_meetings_json(db, is_recent ? PUBLIC_RECENT : PUBLIC_UPCOMING, limit,
                                        offset, &total);
    if (!list) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    reply_header(rq, "Cache-Control", "no-cache");
    reply_json(rq, 200,
               json_pack("{s:s, s:i, s:i, s:I, s:o}", "when", is_recent ? "recent" : "upcoming",
                         "limit", limit, "offset", offset, "total", (json_int_t)total, "meetings",
                         list));
}

json_t *api_public_stats_json(struct db *db)
{
    struct public_stats s;
    if (public_stats_get(db, &s))
        return NULL;
    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "users", (json_int_t)s.users, "organisations",
                     (json_int_t)s.orgs, "meetings", (json_int_t)s.meetings, "votes",
                     (json_int_t)s.votes, "ballots", (json_int_t)s.ballots);
}

void api_public_stats(struct req *rq)
{
    struct db *db = req_db(rq);
    json_t *j = db ? api_public_stats_json(db) : NULL;
    if (!j) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    reply_header(rq, "Cache-Control", "no-cache");
    reply_json(rq, 200, j);
}

/* The vote model with its meeting's summary, or NULL after replying. */
static json_t *load_vote(struct req *rq, struct pub_meeting *pm)
{
    struct vote v;
    if (pub_vote_load(rq, &v, pm) < 0)
        return NULL;
    json_t *j = pub_vote_json(&v, pub_origin(rq));
    vote_clear(&v);
    if (j)
        json_object_set_new(j, "meeting", pub_meeting_summary_json(pm, pub_origin(rq)));
    if (!j)
        reply_error(rq, ERR_INTERNAL, NULL);
    return j;
}

void api_public_vote(struct req *rq)
{
    struct pub_meeting pm;
    json_t *j = load_vote(rq, &pm);
    if (!j)
        return;
    reply_header(rq, "Cache-Control", "no-cache");
    reply_header(rq, "Access-Control-Allow-Origin", "*");
    reply_json(rq, 200, j);
}

/* A vote's named list as CSV into csv, and its file name with ext into
 * name; -1 after replying when the vote cannot be published. */
static int vote_named_csv(struct req *rq, bool with_bom, const char *ext, struct buf *csv,
                          char name[64])
{
    struct pub_meeting pm;
    json_t *j = load_vote(rq, &pm);
    if (!j)
        return -1;
    bip_vote_csv(csv, j, pub_lang(rq), with_bom);
    const char *vid = json_string_value(json_object_get(j, "id"));
    snprintf(name, 64, "glosowanie-%s.%s", vid ? vid : "", ext);
    json_decref(j);
    return 0;
}

void api_public_vote_csv(struct req *rq)
{
    bool with_bom;
    struct buf b = BUF_INIT;
    char name[64];
    if (check_lang(rq) < 0 || query_bom(rq, &with_bom) < 0 ||
        vote_named_csv(rq, with_bom, "csv", &b, name) < 0)
        return;
    reply_buf(rq, "text/csv; charset=utf-8; header=present", &b, name);
}

void api_public_vote_html(struct req *rq)
{
    struct pub_meeting pm;
    if (check_lang(rq) < 0)
        return;
    json_t *j = load_vote(rq, &pm);
    if (!j)
        return;
    struct buf b = BUF_INIT;
    public_html_vote(&b, j, json_object_get(j, "meeting"), true, pub_lang(rq));
    json_decref(j);
    reply_buf(rq, "text/html; charset=utf-8", &b, NULL);
}

/* ---- the whole meeting ---- */

static json_t *load_export(struct req *rq, struct pub_meeting *pm)
{
    if (pub_meeting_load(rq, req_param(rq, "id"), true, pm) < 0)
        return NULL;
    json_t *j = pub_meeting_json(req_db(rq), pm, pub_origin(rq));
    if (!j)
        reply_error(rq, ERR_UNAVAILABLE, NULL);
    return j;
}

/* Participants may export a private meeting: never keep it in a shared cache. */
static void cache_header(struct req *rq, const struct pub_meeting *pm)
{
    bool is_published = pm->m.is_public && strcmp(pm->m.status, "draft");
    reply_header(rq, "Cache-Control", is_published ? "no-cache" : "private, no-store");
}

void api_meeting_export_json(struct req *rq)
{
    struct pub_meeting pm;
    json_t *j = load_export(rq, &pm);
    if (!j)
        return;
    cache_header(rq, &pm);
    reply_json(rq, 200, j);
}

/* Sends a whole-meeting file: the meeting's cache rule, as the attachment
 * posiedzenie-{id}.{ext}; takes b's content. */
static void reply_meeting_file(struct req *rq, const struct pub_meeting *pm, const char *type,
                               const char *ext, struct buf *b)
{
    cache_header(rq, pm);
    size_t len = b->len;
    char *data = buf_take(b);
    if (!data) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    char cd[128];
    snprintf(cd, sizeof cd, "attachment; filename=\"posiedzenie-%s.%s\"", pm->m.id, ext);
    reply_header(rq, "Content-Disposition", cd);
    reply_bytes(rq, 200, type, data, len);
}

void api_meeting_export_csv(struct req *rq)
{
    struct pub_meeting pm;
    bool with_bom;
    if (check_lang(rq) < 0 || query_bom(rq, &with_bom) < 0)
        return;
    json_t *j = load_export(rq, &pm);
    if (!j)
        return;
    struct buf b = BUF_INIT;
    bip_meeting_csv(&b, j, pub_lang(rq), with_bom);
    json_decref(j);
    reply_meeting_file(rq, &pm, "text/csv; charset=utf-8; header=present", "csv", &b);
}

/* The meeting page as a file a BIP can link to; for a private meeting (its
 * participants only) the same page, which the public pages would not show. */
void api_meeting_export_html(struct req *rq)
{
    struct pub_meeting pm;
    if (check_lang(rq) < 0)
        return;
    json_t *j = load_export(rq, &pm);
    if (!j)
        return;
    struct buf b = BUF_INIT;
    public_html_meeting(&b, j, pub_lang(rq));
    json_decref(j);
    cache_header(rq, &pm);
    size_t len = b.len;
    char *data = buf_take(&b);
    if (!data) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_bytes(rq, 200, "text/html; charset=utf-8", data, len);
}

/* ---- the same as workbooks (.xlsx), which offices open and forward ---- */

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Makes the workbook from csv into out; replies 500 and returns -1 on failure. */
static int csv_to_xlsx(struct req *rq, struct buf *csv, bool by_section, const char *sheet,
                       struct buf *out)
{
    const struct app *app = req_app(rq);
    int rc = buf_failed(csv) ? OBR_ENOMEM
                             : xlsx_from_csv(buf_str(csv), csv->len, by_section, sheet,
                                             app->data_dir, out);
    buf_free(csv);
    if (rc) {
        diag(DIAG_ERROR, "xlsx export failed: %s", obr_strerror(rc));
        buf_free(out);
        reply_error(rq, ERR_INTERNAL, NULL);
        return -1;
    }
    return 0;
}

void api_public_vote_xlsx(struct req *rq)
{
    struct buf csv = BUF_INIT, x = BUF_INIT;
    char name[64];
    if (check_lang(rq) < 0 || vote_named_csv(rq, false, "xlsx", &csv, name) < 0)
        return;
    if (csv_to_xlsx(rq, &csv, false, strcmp(pub_lang(rq), "en") ? "Wykaz imienny" : "Named list",
                    &x) == 0)
        reply_buf(rq, XLSX_TYPE, &x, name);
}

void api_meeting_export_xlsx(struct req *rq)
{
    struct pub_meeting pm;
    if (check_lang(rq) < 0)
        return;
    json_t *j = load_export(rq, &pm);
    if (!j)
        return;
    struct buf csv = BUF_INIT, x = BUF_INIT;
    bip_meeting_csv(&csv, j, pub_lang(rq), false);
    json_decref(j);
    if (csv_to_xlsx(rq, &csv, true, NULL, &x) == 0)
        reply_meeting_file(rq, &pm, XLSX_TYPE, "xlsx", &x);
}
