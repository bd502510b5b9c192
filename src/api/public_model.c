/* public_model.c — see public_model.h. */
#include "util/json_values.h"
#include "api/public_model.h"

#include <stdio.h>
#include <string.h>

#include "api/app.h"
#include "api/meeting_ctx.h"
#include "core/vote_rules.h"
#include "log/eventlog.h"
#include "store/db.h"
#include "store/documents.h"
#include "store/public.h"
#include "util/clock.h"
#include "util/ids.h"

#define RULE_TEXT_SIZE 1024
#define URL_SIZE 512

const char *pub_lang(struct req *rq)
{
    const char *q = req_query(rq, "lang");
    if (q && (!strcmp(q, "pl") || !strcmp(q, "en")))
        return q;
    const char *al = req_header(rq, "Accept-Language");
    if (!al || req_prefers_polish(rq))
        return "pl";
    return strstr(al, "en") ? "en" : "pl";
}

const char *pub_origin(struct req *rq)
{
    struct app *app = req_app(rq);
    return app ? app->public_url : "";
}

static bool is_published(const struct meeting *m)
{
    return m->is_public && strcmp(m->status, "draft");
}

int pub_meeting_find(struct db *db, const char *meeting_id, bool is_published_only,
                     struct pub_meeting *out)
{
    memset(out, 0, sizeof *out);
    int rc = meeting_id && id_is_valid(meeting_id) ? meetings_get(db, meeting_id, &out->m)
                                                   : OBR_ENOTFOUND;
    if (!rc && is_published_only && !is_published(&out->m))
        rc = OBR_ENOTFOUND;
    if (!rc)
        rc = bodies_get(db, out->m.body_id, &out->b);
    if (!rc)
        rc = orgs_get(db, out->m.org_id, &out->o);
    return rc;
}

int pub_vote_find(struct db *db, const char *vote_id, struct vote *out, struct pub_meeting *pm)
{
    memset(out, 0, sizeof *out);
    int rc = vote_id && id_is_valid(vote_id) ? votes_get(db, vote_id, out) : OBR_ENOTFOUND;
    if (!rc && !strcmp(out->status, "draft"))
        rc = OBR_ENOTFOUND;
    if (!rc)
        rc = pub_meeting_find(db, out->meeting_id, true, pm);
    if (!rc && strcmp(out->status, "closed"))
        rc = OBR_ECONFLICT;
    if (rc)
        vote_clear(out);
    return rc;
}

int pub_meeting_load(struct req *rq, const char *meeting_id, bool is_participant_ok,
                     struct pub_meeting *out)
{
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    int rc = pub_meeting_find(db, meeting_id, false, out);
    if (!rc && !is_published(&out->m)) {
        struct principal p;
        if (is_participant_ok)
            principal_optional(rq, &p);
        if (!is_participant_ok || !p.is_signed_in)
            rc = OBR_ENOTFOUND;
    }
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    if (!is_published(&out->m)) {
        struct meeting_ctx *c = req_alloc(rq, sizeof *c);
        if (!c) {
            reply_error(rq, ERR_INTERNAL, NULL);
            return -1;
        }
        if (meeting_ctx_load_id(rq, c, meeting_id, false) < 0)
            return -1;
    }
    return 0;
}

int pub_vote_load(struct req *rq, struct vote *out, struct pub_meeting *pm)
{
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    int rc = pub_vote_find(db, req_param(rq, "id"), out, pm);
    if (rc == OBR_ECONFLICT)
        reply_error(rq, ERR_VOTE_NOT_CLOSED, NULL);
    else if (rc)
        reply_obr_error(rq, rc);
    return rc ? -1 : 0;
}

static json_t *link(const char *origin, const char *fmt, const char *id)
{
    char path[URL_SIZE];
    snprintf(path, sizeof path, fmt, id);
    char url[URL_SIZE * 2];
    snprintf(url, sizeof url, "%s%s", origin ? origin : "", path);
    return json_string(url);
}

/* The rule in words without numbers, for a vote not yet closed. */
static json_t *rule_words(const char *majority)
{
    enum vote_majority m;
    if (vote_majority_parse(majority, &m))
        return json_null();
    char pl[RULE_TEXT_SIZE], en[RULE_TEXT_SIZE];
    vote_rule_describe(pl, sizeof pl, m, NULL, "pl");
    vote_rule_describe(en, sizeof en, m, NULL, "en");
    return json_pack("{s:s, s:s}", "pl", pl, "en", en);
}

/* The candidate's name by index in an election result, or NULL. */
static const char *candidate_name(const json_t *result, json_int_t index)
{
    size_t i;
    json_t *c;
    json_array_foreach (json_object_get(result, "candidates"), i, c) {
        if (json_integer_value(json_object_get(c, "index")) == index)
            return json_string_value(json_object_get(c, "name"));
    }
    return NULL;
}

/* result.named as published: names and choices, no user ids. */
static json_t *named_json(const json_t *result, bool is_election)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach (json_object_get(result, "named"), i, row) {
        const char *name = json_string_value(json_object_get(row, "name"));
        json_t *r = json_pack("{s:s, s:b}", "name", name ? name : "", "absent",
                              json_is_true(json_object_get(row, "absent")));
        if (!r)
            break;
        if (is_election) {
            json_t *idx = json_object_get(row, "choices");
            json_t *choices = json_is_array(idx) ? json_array() : json_null();
            size_t k;
            json_t *x;
            json_array_foreach (idx, k, x) {
                const char *cn = candidate_name(result, json_integer_value(x));
                json_array_append_new(choices, json_string(cn ? cn : "?"));
            }
            json_object_set_new(r, "choices", choices);
        } else {
            const char *choice = json_string_value(json_object_get(row, "choice"));
            json_object_set_new(r, "choice", json_str_or_null(choice));
        }
        if (json_is_true(json_object_get(row, "by_hand"))) /* roll call by hand */
            json_object_set_new(r, "by_hand", json_true());
        if (json_is_string(json_object_get(row, "cast_by_name"))) /* cast by a proxy holder */
            json_object_set(r, "cast_by_name", json_object_get(row, "cast_by_name"));
        if (json_is_string(json_object_get(row, "weight"))) /* a body with weights */
            json_object_set(r, "weight", json_object_get(row, "weight"));
        json_array_append_new(out, r);
    }
    return out;
}

json_t *pub_vote_json(const struct vote *v, const char *origin)
{
    bool is_open_kind = !strcmp(v->kind, "open");
    bool is_election = !strcmp(v->method, "election");
    json_t *j =
        json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o}", "id", v->id,
                  "meeting_id", v->meeting_id, "item_id", json_str_or_null(v->item_id), "title",
                  v->title, "motion", v->motion, "kind", v->kind, "method", v->method, "majority",
                  v->majority, "status", v->status, "opened_at", json_time_or_null(v->opened_ms),
                  "closed_at", json_time_or_null(v->closed_ms), "repeat_of", json_str_or_null(v->repeat_of));
    if (!j)
        return NULL;
    json_object_set_new(j, "number", v->number ? json_integer(v->number) : json_null());
    if (v->repeat_reason[0])
        json_object_set_new(j, "repeat_reason", json_string(v->repeat_reason));
    /* A result awaiting the scrutiny committee's confirmation is not public yet. */
    const json_t *res = strcmp(v->status, "confirming") ? v->result : NULL;
    json_t *rule = res ? json_object_get(res, "rule_text") : NULL;
    json_object_set_new(j, "rule_text", rule ? json_incref(rule) : rule_words(v->majority));
    json_t *verdict = res ? json_object_get(res, "verdict") : NULL;
    json_object_set(j, "verdict", verdict ? verdict : json_null());
    if (res) {
        json_t *r = json_deep_copy(res);
        json_object_del(r, "named");
        json_object_set_new(j, "result", r ? r : json_null());
        /* Secret votes never publish who chose what, even if a result held it. */
        if (is_open_kind)
            json_object_set_new(j, "named", named_json(res, is_election));
    } else {
        json_object_set_new(j, "result", json_null());
    }
    json_t *links =
        json_pack("{s:o, s:o, s:o, s:o, s:o}", "page", link(origin, "/public/votes/%s", v->id),
                  "html", link(origin, "/api/public/votes/%s/named.html", v->id), "csv",
                  link(origin, "/api/public/votes/%s/named.csv", v->id), "json",
                  link(origin, "/api/public/votes/%s/named.json", v->id), "report_pdf",
                  link(origin, "/api/votes/%s/report.pdf", v->id));
    if (links && !is_open_kind)
        json_object_set_new(links, "verify", link(origin, "/verify?vote=%s", v->id));
    json_object_set_new(j, "links", links ? links : json_object());
    return j;
}

/* Participants without what the public must not see (e-mail, groups). */
static json_t *members_json(struct db *db, const char *meeting_id)
{
    json_t *all = participants_list_json(db, meeting_id);
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach (all, i, p) {
        bool is_guest = json_is_true(json_object_get(p, "is_guest"));
        const char *role = json_string_value(json_object_get(p, "role"));
        json_array_append_new(out,
                              json_pack("{s:O, s:s}", "name", json_object_get(p, "name"), "role",
                                        is_guest ? "guest"
                                        : role   ? role
                                                 : "member"));
    }
    json_decref(all);
    return out;
}

/* Documents: the meeting's own (no agenda item), each with its download URL;
 * agenda items' documents get the URL in place. */
static void add_urls(json_t *docs, const char *origin)
{
    size_t i;
    json_t *d;
    json_array_foreach (docs, i, d) {
        const char *id = json_string_value(json_object_get(d, "id"));
        if (id)
            json_object_set_new(d, "url", link(origin, "/api/documents/%s", id));
    }
}

static json_t *documents_json(struct db *db, const char *meeting_id, const char *origin)
{
    json_t *all = documents_list_json(db, meeting_id);
    json_t *out = json_array();
    size_t i;
    json_t *d;
    json_array_foreach (all, i, d) {
        if (!json_is_null(json_object_get(d, "item_id")))
            continue;
        json_t *copy = json_deep_copy(d);
        json_object_del(copy, "item_id");
        json_object_del(copy, "meeting_id");
        json_array_append_new(out, copy);
    }
    json_decref(all);
    add_urls(out, origin);
    return out;
}

static json_t *agenda_json(struct db *db, const char *meeting_id, const char *origin)
{
    json_t *agenda = agenda_list_json(db, meeting_id);
    size_t i;
    json_t *it;
    json_array_foreach (agenda, i, it) {
        add_urls(json_object_get(it, "documents"), origin);
    }
    return agenda;
}

static json_t *votes_json(struct db *db, const char *meeting_id, const char *origin)
{
    json_t *list = votes_list_json(db, meeting_id);
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach (list, i, x) {
        const char *id = json_string_value(json_object_get(x, "id"));
        struct vote v;
        if (!id || votes_get(db, id, &v))
            continue;
        if (strcmp(v.status, "draft"))
            json_array_append_new(out, pub_vote_json(&v, origin));
        vote_clear(&v);
    }
    json_decref(list);
    return out;
}

json_t *pub_meeting_summary_json(const struct pub_meeting *pm, const char *origin)
{
    const struct meeting *m = &pm->m;
    /* The broadcast link only while there is something to watch. */
    bool is_over = !strcmp(m->status, "closed") || !strcmp(m->status, "archived");
    json_t *j = json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:{s:s, s:s, s:s}, "
                     "s:{s:s, s:s, s:i}}",
                     "id", m->id, "number", m->number, "title", m->title, "starts_at",
                     json_time_or_null(m->starts_at_ms), "place", m->place, "mode", m->mode, "status",
                     m->status, "is_public", m->is_public, "started_at",
                     json_time_or_null(m->started_ms), "closed_at", json_time_or_null(m->closed_ms), "page",
                     link(origin, "/public/meetings/%s", m->id), "org", "id", pm->o.id, "name",
                     pm->o.name, "time_zone", pm->o.time_zone, "body", "id", pm->b.id, "name",
                     pm->b.name, "statutory_size", pm->b.statutory_size);
    if (j && m->broadcast_url[0] && !is_over)
        json_object_set_new(j, "broadcast_url", json_string(m->broadcast_url));
    return j;
}

json_t *pub_meeting_json(struct db *db, const struct pub_meeting *pm, const char *origin)
{
    const struct meeting *m = &pm->m;
    int64_t seq = 0;
    char head[EVENT_HASH_HEX + 1] = "";
    if (log_head(db, m->id, &seq, head))
        return NULL;
    json_t *attendance = public_attendance_json(db, m->id);
    if (!attendance)
        return NULL;
    json_t *meeting = pub_meeting_summary_json(pm, origin);
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:s}, s:{s:o, s:o, s:o}}", "format",
        "obrady.meeting-export/1", "generated_at", json_time_or_null(clock_now_ms()), "meeting",
        meeting ? meeting : json_null(), "agenda", agenda_json(db, m->id, origin), "documents",
        documents_json(db, m->id, origin), "members", members_json(db, m->id), "attendance",
        attendance, "votes", votes_json(db, m->id, origin), "log", "seq", (json_int_t)seq,
        "head_hash", head, "links", "json", link(origin, "/api/meetings/%s/export.json", m->id),
        "csv", link(origin, "/api/meetings/%s/export.csv", m->id), "protocol_pdf",
        link(origin, "/api/meetings/%s/protocol.pdf", m->id));
}
