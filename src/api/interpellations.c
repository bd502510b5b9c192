/* interpellations.c — members' interpellations and questions to the mayor
 * (issue 17 item 2; art. 24 of the municipal act). A member of the body files
 * one; the office (MEETING_PREPARE) registers it with a number and the day of
 * receipt — the answer is due 14 days later — and records the answer and its
 * day. The body's members and staff see all; anyone sees the registered ones
 * (the public register for BIP, JSON or CSV, with search); a meeting lists
 * the ones that arrived since the body's previous session. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/auth.h"
#include "api/handlers.h"
#include "api/interp.h"
#include "api/meeting_ctx.h"
#include "api/members.h"
#include "api/public_model.h"
#include "api/validate.h"
#include "mail/invitations.h"
#include "report/bip.h"
#include "report/public_html.h"
#include "store/db.h"
#include "store/interpellations.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/json_values.h"
#include "util/utf8.h"

#define ANSWER_DAYS 14 /* art. 24 ust. 6: an answer within 14 days of receipt */

static const char *const KINDS[] = {"interpellation", "question", NULL};

/* Today on the organisation's wall clock as YYYY-MM-DD. */
static void today_of(struct db *db, const char *org_id, char out[11])
{
    char tmp[40];
    struct org o;
    struct invitation_local_time t;
    invitation_local_time(clock_now_ms(), orgs_get(db, org_id, &o) ? NULL : o.time_zone, &t);
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", t.year, t.month, t.day);
    snprintf(out, 11, "%.10s", tmp);
}

/* day + n days as YYYY-MM-DD (day already validated). */
static void add_days(const char *day, int n, char out[11])
{
    struct tm tm = {0};
    tm.tm_year = atoi(day) - 1900;
    tm.tm_mon = atoi(day + 5) - 1;
    tm.tm_mday = atoi(day + 8) + n;
    time_t t = timegm(&tm);
    gmtime_r(&t, &tm);
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    snprintf(out, 11, "%.10s", tmp);
}

/* ASCII and Polish letters folded to lower case, for search. */
static void fold(const char *s, struct buf *out)
{
    static const char *const PAIRS[][2] = {{"Ą", "ą"}, {"Ć", "ć"}, {"Ę", "ę"},
                                           {"Ł", "ł"}, {"Ń", "ń"}, {"Ó", "ó"},
                                           {"Ś", "ś"}, {"Ź", "ź"}, {"Ż", "ż"}};
    while (*s) {
        bool done = false;
        for (size_t k = 0; k < sizeof PAIRS / sizeof PAIRS[0] && !done; k++)
            if (!strncmp(s, PAIRS[k][0], 2)) {
                buf_puts(out, PAIRS[k][1]);
                s += 2;
                done = true;
            }
        if (!done) {
            char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
            buf_printf(out, "%c", c);
            s++;
        }
    }
}

static bool matches(const json_t *j, const char *q)
{
    if (!q || !*q)
        return true;
    struct buf hay = BUF_INIT, needle = BUF_INIT;
    const char *keys[] = {"subject", "text", "number", "answer"};
    for (size_t i = 0; i < 4; i++) {
        const char *v = json_string_value(json_object_get(j, keys[i]));
        fold(v ? v : "", &hay);
        buf_puts(&hay, "\n");
    }
    fold(json_string_value(json_object_get(json_object_get(j, "author"), "name")), &hay);
    fold(q, &needle);
    bool is_in = strstr(buf_str(&hay), buf_str(&needle)) != NULL;
    buf_free(&hay);
    buf_free(&needle);
    return is_in;
}

/* The list with ?q (≤ 800 bytes of one-line text) and ?status applied; for
 * the public register (is_registered_only) without account ids or the
 * office's names. Replies 400 and returns NULL on bad ones. */
static json_t *filtered(struct req *rq, const struct body *b, bool is_registered_only)
{
    const char *q = req_query(rq, "q"), *status = req_query(rq, "status");
    if (q && (strlen(q) > 800 || !utf8_is_text(q, strlen(q), false))) {
        reply_error(rq, ERR_BAD_PARAMETER, "q");
        return NULL;
    }
    static const char *const STATUSES[] = {"filed", "registered", "answered", "overdue", NULL};
    bool is_known = !status;
    for (int i = 0; status && STATUSES[i]; i++)
        is_known |= !strcmp(status, STATUSES[i]);
    if (!is_known) {
        reply_error(rq, ERR_BAD_PARAMETER, "status");
        return NULL;
    }
    char today[11];
    today_of(req_db(rq), b->org_id, today);
    json_t *all = interp_list_json(req_db(rq), b->id, is_registered_only, today),
           *out = json_array();
    if (all && interp_files_attach(req_db(rq), all, b->id, is_registered_only ? pub_origin(rq) : "")) {
        json_decref(all);
        all = NULL;
    }
    size_t i;
    json_t *x;
    json_array_foreach (all, i, x) {
        const char *st = json_string_value(json_object_get(x, "status"));
        bool ok =
            !status || (!strcmp(status, "overdue") ? json_is_true(json_object_get(x, "is_overdue"))
                                                   : !strcmp(st, status));
        if (ok && matches(x, q)) {
            if (is_registered_only) {
                json_object_del(json_object_get(x, "author"), "id");
                json_object_del(x, "registered_by");
                json_object_del(x, "answered_by");
            }
            json_array_append(out, x);
        }
    }
    if (!all) {
        json_decref(out);
        reply_error(rq, ERR_INTERNAL, NULL);
        return NULL;
    }
    json_decref(all);
    return out;
}

void api_interp_file(struct req *rq)
{
    struct principal p;
    struct body b;
    const char *kind = NULL, *subject = NULL, *text = NULL;
    const struct jfield spec[] = {
        {"kind", JF_STRING, true, 1, 16, &kind, NULL},
        {"subject", JF_STRING, true, 1, 200, &subject, NULL},
        {"text", JF_TEXT, true, 1, 10000, &text, NULL},
        {NULL},
    };
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0)
        return;
    struct member m;
    if (members_get_by_user(req_db(rq), b.id, p.user.id, &m)) {
        reply_error(rq, ERR_INTERP_NOT_MEMBER, NULL);
        return;
    }
    if (req_parse_json(rq, spec) < 0 || validate_one_of(rq, "kind", kind, KINDS) < 0)
        return;
    struct interpellation *it = calloc(1, sizeof *it);
    if (!it) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    snprintf(it->body_id, sizeof it->body_id, "%s", b.id);
    snprintf(it->kind, sizeof it->kind, "%s", kind);
    snprintf(it->author_id, sizeof it->author_id, "%s", p.user.id);
    snprintf(it->author_name, sizeof it->author_name, "%s", m.name[0] ? m.name : p.user.name);
    snprintf(it->subject, sizeof it->subject, "%s", subject);
    snprintf(it->text, sizeof it->text, "%s", text);
    int rc = interp_create(req_db(rq), it);
    if (rc)
        reply_obr_error(rq, rc);
    else
        reply_json(rq, 201, interp_to_json(it, NULL));
    free(it);
}

void api_interp_list(struct req *rq)
{
    struct principal p;
    struct body b;
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0 ||
        perm_require(rq, &p, ACT_BODY_READ, b.org_id, b.id) < 0)
        return;
    json_t *list = filtered(rq, &b, false);
    if (list)
        reply_json(rq, 200, json_pack("{s:o}", "interpellations", list));
}

/* The interpellation of path "id" and its body, for the office; NULL after a reply. */
static struct interpellation *load_for_office(struct req *rq, struct principal *p, struct body *b)
{
    if (principal_require(rq, p) < 0)
        return NULL;
    const char *id = req_param(rq, "id");
    struct interpellation *it = calloc(1, sizeof *it);
    int rc = !it                     ? OBR_ENOMEM
             : id && id_is_valid(id) ? interp_get(req_db(rq), id, it)
                                     : OBR_ENOTFOUND;
    if (!rc)
        rc = bodies_get(req_db(rq), it->body_id, b);
    if (rc) {
        free(it);
        reply_obr_error(rq, rc);
        return NULL;
    }
    if (perm_require(rq, p, ACT_MEETING_PREPARE, b->org_id, b->id) < 0) {
        free(it);
        return NULL;
    }
    return it;
}

static void reply_one(struct req *rq, const struct body *b, const char *id)
{
    struct interpellation *it = calloc(1, sizeof *it);
    char today[11];
    today_of(req_db(rq), b->org_id, today);
    int rc = it ? interp_get(req_db(rq), id, it) : OBR_ENOMEM;
    if (rc)
        reply_obr_error(rq, rc);
    else
        reply_json(rq, 200, interp_to_json(it, today));
    free(it);
}

void api_interp_register(struct req *rq)
{
    struct principal p;
    struct body b;
    const char *number = NULL, *received = NULL;
    const struct jfield spec[] = {
        {"number", JF_STRING, true, 1, 40, &number, NULL},
        {"received_on", JF_STRING, true, 10, 10, &received, NULL},
        {NULL},
    };
    struct interpellation *it = load_for_office(rq, &p, &b);
    if (!it)
        return;
    if (req_parse_json(rq, spec) < 0 || validate_date(rq, "received_on", received) < 0) {
        free(it);
        return;
    }
    char due[11];
    add_days(received, ANSWER_DAYS, due);
    struct db *db = req_db(rq);
    int rc = db_begin_write(db);
    if (!rc)
        rc = interp_register(db, it->id, number, received, due, p.user.name);
    if (!rc)
        rc = interp_schedule_reminder(db, b.id, it->id, due);
    rc = rc ? (db_rollback(db), rc) : db_commit(db);
    if (rc == OBR_EEXISTS)
        reply_error(rq, ERR_INTERP_NUMBER_TAKEN, "number");
    else if (rc == OBR_ECONFLICT)
        reply_error(rq, ERR_INTERP_REGISTERED, NULL);
    else if (rc)
        reply_obr_error(rq, rc);
    else
        reply_one(rq, &b, it->id);
    free(it);
}

void api_interp_answer(struct req *rq)
{
    struct principal p;
    struct body b;
    const char *answer = NULL, *answered_on = NULL;
    const struct jfield spec[] = {
        {"answer", JF_TEXT, true, 1, 10000, &answer, NULL},
        {"answered_on", JF_STRING, true, 10, 10, &answered_on, NULL},
        {NULL},
    };
    struct interpellation *it = load_for_office(rq, &p, &b);
    if (!it)
        return;
    if (req_parse_json(rq, spec) < 0 || validate_date(rq, "answered_on", answered_on) < 0) {
        free(it);
        return;
    }
    int rc;
    if (!it->number[0])
        rc = OBR_ECONFLICT;
    else if (strcmp(answered_on, it->received_on) < 0) {
        reply_error(rq, ERR_INTERP_ANSWER_EARLY, "answered_on");
        free(it);
        return;
    } else
        rc = interp_answer(req_db(rq), it->id, answer, answered_on, p.user.name);
    if (rc == OBR_ECONFLICT)
        reply_error(rq, ERR_INTERP_NOT_REGISTERED, NULL);
    else if (rc)
        reply_obr_error(rq, rc);
    else
        reply_one(rq, &b, it->id);
    free(it);
}

/* ---- the public register ---- */

void api_public_interp_json(struct req *rq)
{
    struct body b;
    if (api_load_body(rq, "id", &b) < 0)
        return;
    json_t *list = filtered(rq, &b, true);
    if (list)
        reply_json(rq, 200,
                   json_pack("{s:{s:s, s:s}, s:o}", "body", "id", b.id, "name", b.name,
                             "interpellations", list));
}

/* GET /public/bodies/{id}/interpellations[?q][&lang]: the register as a page. */
void api_public_interp_page(struct req *rq)
{
    struct body b;
    if (api_load_body(rq, "id", &b) < 0)
        return;
    json_t *list = filtered(rq, &b, true);
    if (!list)
        return;
    json_t *x = json_pack("{s:{s:s, s:s}, s:o}", "body", "id", b.id, "name", b.name,
                          "interpellations", list);
    struct buf out = BUF_INIT;
    public_html_interpellations(&out, x, req_query(rq, "q"), pub_lang(rq));
    json_decref(x);
    size_t len = out.len;
    char *data = buf_take(&out);
    if (!data) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_header(rq, "Cache-Control", "no-cache");
    reply_header(rq, "Vary", "Accept-Language");
    reply_bytes(rq, 200, "text/html; charset=utf-8", data, len);
}

/* The attachments as one CSV cell: a line "part: filename <url>" each. */
static void attachments_cell(struct buf *out, const json_t *files, bool en)
{
    struct buf cell = BUF_INIT;
    size_t i;
    json_t *f;
    json_array_foreach (files, i, f) {
        bool is_answer = !strcmp(json_string_value(json_object_get(f, "part")), "answer");
        buf_printf(&cell, "%s%s: %s <%s>", i ? "\n" : "",
                   is_answer ? (en ? "answer" : "odpowiedź") : (en ? "filing" : "wniosek"),
                   json_string_value(json_object_get(f, "filename")),
                   json_string_value(json_object_get(f, "url")));
    }
    bip_csv_field(out, buf_str(&cell));
    if (buf_failed(&cell))
        out->failed = true;
    buf_free(&cell);
}

void api_public_interp_csv(struct req *rq)
{
    struct body b;
    if (api_load_body(rq, "id", &b) < 0)
        return;
    const char *lang = req_query(rq, "lang");
    if (lang && strcmp(lang, "pl") && strcmp(lang, "en")) {
        reply_error(rq, ERR_BAD_PARAMETER, "lang");
        return;
    }
    bool en = lang && !strcmp(lang, "en");
    json_t *list = filtered(rq, &b, true);
    if (!list)
        return;
    static const char *const H_PL[] = {"Nr",
                                       "Rodzaj",
                                       "Radny/radna",
                                       "Przedmiot",
                                       "Treść",
                                       "Data wpływu",
                                       "Termin odpowiedzi",
                                       "Odpowiedź",
                                       "Data odpowiedzi",
                                       "Załączniki"};
    static const char *const H_EN[] = {"No.",      "Kind",       "Member", "Subject", "Text",
                                       "Received", "Answer due", "Answer", "Answered",
                                       "Attachments"};
    struct buf out = BUF_INIT;
    buf_puts(&out, "\xEF\xBB\xBF");
    for (int k = 0; k < 10; k++) {
        if (k)
            buf_puts(&out, ",");
        bip_csv_field(&out, en ? H_EN[k] : H_PL[k]);
    }
    buf_puts(&out, "\r\n");
    size_t i;
    json_t *x;
    json_array_foreach (list, i, x) {
        bool is_q = !strcmp(json_string_value(json_object_get(x, "kind")), "question");
        const char *cells[9] = {
            json_string_value(json_object_get(x, "number")),
            is_q ? (en ? "question" : "zapytanie") : (en ? "interpellation" : "interpelacja"),
            json_string_value(json_object_get(json_object_get(x, "author"), "name")),
            json_string_value(json_object_get(x, "subject")),
            json_string_value(json_object_get(x, "text")),
            json_string_value(json_object_get(x, "received_on")),
            json_string_value(json_object_get(x, "due_on")),
            json_string_value(json_object_get(x, "answer")),
            json_string_value(json_object_get(x, "answered_on"))};
        for (int k = 0; k < 9; k++) {
            if (k)
                buf_puts(&out, ",");
            bip_csv_field(&out, cells[k] ? cells[k] : "");
        }
        buf_puts(&out, ",");
        attachments_cell(&out, json_object_get(x, "attachments"), en);
        buf_puts(&out, "\r\n");
    }
    json_decref(list);
    size_t len = out.len;
    char *data = buf_take(&out);
    if (!data) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_header(rq, "Content-Disposition",
                 en ? "attachment; filename=\"interpellations.csv\""
                    : "attachment; filename=\"interpelacje.csv\"");
    reply_bytes(rq, 200, "text/csv; charset=utf-8; header=present", data, len);
}

/* ---- what arrived since the body's previous session ---- */

void api_meeting_interpellations(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, true) < 0)
        return;
    int64_t ref = c.m.started_ms ? c.m.started_ms : c.m.starts_at_ms, prev = 0;
    json_t *meetings = meetings_list_json(req_db(rq), c.b.id);
    size_t i;
    json_t *x;
    json_array_foreach (meetings, i, x) {
        struct meeting m;
        if (meetings_get(req_db(rq), json_string_value(json_object_get(x, "id")), &m) ||
            !strcmp(m.id, c.m.id) || !m.started_ms || m.started_ms >= ref)
            continue;
        if (m.started_ms > prev)
            prev = m.started_ms;
    }
    json_decref(meetings);
    json_t *all = filtered(rq, &c.b, true);
    if (!all)
        return;
    json_t *out = json_array();
    json_array_foreach (all, i, x) {
        int64_t filed = 0;
        clock_parse_rfc3339(json_string_value(json_object_get(x, "filed_at")), &filed);
        if (filed > prev && filed <= ref)
            json_array_append(out, x);
    }
    json_decref(all);
    reply_json(rq, 200,
               json_pack("{s:o, s:o}", "since", prev ? json_time_or_null(prev) : json_null(),
                         "interpellations", out));
}
