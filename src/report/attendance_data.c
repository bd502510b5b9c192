/* attendance_data.c — the attendance model of a body over a period (see
 * attendance.h): the body's started meetings in the period, each read from
 * its log (report_data.h) for the attendance checks and movements, and its
 * closed votes from the store for who was entitled and who cast a ballot
 * (open votes: the named list of the result, hand entries included; secret
 * votes: the list of voters, never the choices). */
#include "report/attendance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pl_collate.h"
#include "mail/invitations.h"
#include "report/report_data.h"
#include "report/report_text.h"
#include "store/db.h"
#include "store/secret_votes.h"
#include "store/votes.h"
#include "util/clock.h"
#include "util/err.h"

int attendance_parse_day(const char *s, int *ymd)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    bool is_leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 2000 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days[m - 1] ||
        (m == 2 && d == 29 && !is_leap))
        return -1;
    *ymd = ATT_YMD(y, m, d);
    return 0;
}

static int local_ymd(int64_t ms, const char *zone)
{
    struct invitation_local_time t;
    invitation_local_time(ms, zone, &t);
    return ATT_YMD(t.year, t.month, t.day);
}

static void ymd_text(char out[16], int ymd)
{
    snprintf(out, 16, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static json_t *find_member(json_t *members, const char *user_id)
{
    size_t i;
    json_t *x;
    json_array_foreach (members, i, x) {
        const char *id = json_string_value(json_object_get(x, "user_id"));
        if (id && !strcmp(id, user_id))
            return x;
    }
    return NULL;
}

static json_t *new_member(const char *user_id, const char *name, const char *role)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:[]}", "user_id", user_id,
                     "name", name ? name : "", "role", role ? role : "member", "meetings", 0,
                     "attended", 0, "absences", 0, "votes_eligible", 0, "votes_cast", 0,
                     "votes_not_cast", 0, "per_meeting");
}

static void add_int(json_t *o, const char *key, json_int_t n)
{
    json_object_set_new(o, key, json_integer(json_integer_value(json_object_get(o, key)) + n));
}

static bool has_user(const json_t *arr, const char *user_id)
{
    size_t i;
    json_t *x;
    json_array_foreach (arr, i, x) {
        const char *id = json_is_string(x) ? json_string_value(x)
                                           : json_string_value(json_object_get(x, "user_id"));
        if (id && !strcmp(id, user_id))
            return true;
    }
    return false;
}

/* A closed vote: who was entitled and who cast a ballot. */
struct att_vote {
    json_t *eligible; /* user ids (owned) */
    json_t *voters;   /* user ids (owned) */
};

/* The voters of a closed open vote from its named list: the user ids whose
 * row has a choice (or an election's choices), hand entries included. */
static json_t *named_voters(const json_t *result)
{
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach (json_object_get(result, "named"), i, row) {
        json_t *c = json_object_get(row, "choice"), *cs = json_object_get(row, "choices");
        const char *uid = json_string_value(json_object_get(row, "user_id"));
        if (uid && ((c && !json_is_null(c)) || (cs && !json_is_null(cs))))
            json_array_append_new(out, json_string(uid));
    }
    return out;
}

static int load_votes(struct db *db, const char *meeting_id, struct att_vote **out, int *n)
{
    *out = NULL;
    *n = 0;
    json_t *list = votes_list_json(db, meeting_id);
    if (!list)
        return OBR_EIO;
    *out = calloc(json_array_size(list) + 1, sizeof **out);
    if (!*out) {
        json_decref(list);
        return OBR_ENOMEM;
    }
    int rc = 0;
    size_t i;
    json_t *x;
    json_array_foreach (list, i, x) {
        const char *status = json_string_value(json_object_get(x, "status"));
        if (!status || strcmp(status, "closed"))
            continue;
        struct vote v;
        rc = votes_get(db, json_string_value(json_object_get(x, "id")), &v);
        if (rc)
            break;
        struct att_vote *a = &(*out)[(*n)++];
        a->eligible = json_incref(v.eligible ? v.eligible : json_array());
        a->voters =
            !strcmp(v.kind, "secret") ? secret_voters_json(db, v.id) : named_voters(v.result);
        if (!v.eligible)
            json_decref(a->eligible); /* the json_array() made above */
        vote_clear(&v);
        if (!a->voters) {
            rc = OBR_EIO;
            break;
        }
    }
    json_decref(list);
    return rc;
}

static void free_votes(struct att_vote *v, int n)
{
    for (int i = 0; i < n; i++) {
        json_decref(v[i].eligible);
        json_decref(v[i].voters);
    }
    free(v);
}

static bool voted(const struct att_vote *v, const char *user_id)
{
    return has_user(v->voters, user_id);
}

/* The row of one member in one meeting, added to the member's totals. */
static int member_meeting(const struct report_meeting *rm, const struct att_vote *votes,
                          int n_votes, json_t *mem, const char *user_id)
{
    const char *zone = rm->org.time_zone;
    json_t *checks = json_array(), *moves = json_array();
    char hm[16];
    int64_t started = 0;
    const char *check_id = "";
    for (int i = 0; i < rm->n_ev; i++) {
        const struct report_event *e = &rm->ev[i];
        if (!strcmp(e->type, "attendance.started")) {
            started = e->ts_ms;
            check_id = report_ev_str(e, "check_id");
        } else if (!strcmp(e->type, "attendance.ended") &&
                   !strcmp(report_ev_str(e, "check_id"), check_id) &&
                   has_user(json_object_get(e->payload, "present"), user_id)) {
            report_format_hm(hm, sizeof hm, started ? started : e->ts_ms, zone);
            json_array_append_new(checks, json_string(hm));
        } else if (!strcmp(e->type, "presence.changed") &&
                   !strcmp(report_ev_str(e, "user_id"), user_id)) {
            report_format_hm(hm, sizeof hm, e->ts_ms, zone);
            json_array_append_new(
                moves, json_pack("{s:s, s:b}", "at", hm, "present",
                                 json_is_true(json_object_get(e->payload, "is_present"))));
        }
    }
    int eligible = 0, cast = 0;
    bool has_arrived = false;
    for (int k = 0; k < n_votes; k++)
        if (has_user(votes[k].eligible, user_id)) {
            eligible++;
            cast += voted(&votes[k], user_id);
        }
    size_t i;
    json_t *mv;
    json_array_foreach (moves, i, mv)
        has_arrived |= json_is_true(json_object_get(mv, "present"));
    bool is_present = json_array_size(checks) > 0 || has_arrived || cast > 0;
    json_t *row =
        json_pack("{s:s, s:b, s:o, s:o, s:i, s:i, s:i}", "meeting_id", rm->m.id, "present",
                  is_present, "checks", checks, "movements", moves, "votes_eligible", eligible,
                  "votes_cast", cast, "votes_not_cast", eligible - cast);
    if (!row)
        return OBR_ENOMEM;
    json_array_append_new(json_object_get(mem, "per_meeting"), row);
    add_int(mem, "meetings", 1);
    add_int(mem, is_present ? "attended" : "absences", 1);
    add_int(mem, "votes_eligible", eligible);
    add_int(mem, "votes_cast", cast);
    add_int(mem, "votes_not_cast", eligible - cast);
    return 0;
}

/* Whether the body's member was serving on day (their active_from..active_to,
 * either open); people not in the list (no longer members) count as the log
 * shows them. */
static bool is_serving(const json_t *directory, const char *user_id, const char *day)
{
    const json_t *m = find_member((json_t *)directory, user_id);
    const char *from = json_string_value(json_object_get(m, "active_from"));
    const char *to = json_string_value(json_object_get(m, "active_to"));
    return !((from && strcmp(day, from) < 0) || (to && strcmp(day, to) > 0));
}

/* Adds one meeting: its summary to model.meetings, a row to every member
 * serving that day. */
static int add_meeting(struct db *db, const char *meeting_id, json_t *model,
                       const json_t *directory)
{
    struct report_meeting rm;
    int rc = report_meeting_load(db, meeting_id, &rm);
    struct att_vote *votes = NULL;
    int n_votes = 0;
    if (!rc)
        rc = load_votes(db, meeting_id, &votes, &n_votes);
    int n_checks = 0;
    for (int i = 0; !rc && i < rm.n_ev; i++)
        n_checks += !strcmp(rm.ev[i].type, "attendance.started");
    char day[16] = "", at[40];
    if (!rc) {
        ymd_text(day, local_ymd(rm.m.started_ms, rm.org.time_zone));
        clock_format_rfc3339(rm.m.started_ms, at, sizeof at);
        json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i}", "id", rm.m.id, "number",
                              rm.m.number, "title", rm.m.title, "date", day, "started_at", at,
                              "status", rm.m.status, "checks", n_checks);
        rc = j ? json_array_append_new(json_object_get(model, "meetings"), j) : OBR_ENOMEM;
    }
    json_t *members = json_object_get(model, "members");
    size_t i;
    json_t *p;
    json_array_foreach (rc ? NULL : rm.people, i, p) {
        if (json_is_true(json_object_get(p, "is_guest")))
            continue;
        const char *uid = json_string_value(json_object_get(p, "user_id"));
        if (!uid || !is_serving(directory, uid, day))
            continue;
        json_t *mem = find_member(members, uid);
        if (!mem) {
            mem = new_member(uid, json_string_value(json_object_get(p, "name")),
                             json_string_value(json_object_get(p, "role")));
            if (!mem || json_array_append_new(members, mem)) {
                rc = OBR_ENOMEM;
                break;
            }
        }
        if ((rc = member_meeting(&rm, votes, n_votes, mem, uid)))
            break;
    }
    free_votes(votes, n_votes);
    report_meeting_free(&rm);
    return rc;
}

static int cmp_member(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    return pl_compare_names(json_string_value(json_object_get(x, "name")),
                            json_string_value(json_object_get(y, "name")));
}

static void sort_members(json_t *model)
{
    json_t *members = json_object_get(model, "members");
    size_t n = json_array_size(members);
    json_t **v = calloc(n + 1, sizeof *v);
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(members, i));
    qsort(v, n, sizeof *v, cmp_member);
    json_array_clear(members);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(members, v[i]);
    free(v);
}

/* The body's started meetings on days from..to, oldest first. */
static int meetings_in_period(struct db *db, const struct org *o, const char *body_id, int from_ymd,
                              int to_ymd, json_t *ids)
{
    json_t *list = meetings_list_json(db, body_id);
    if (!list)
        return OBR_EIO;
    size_t i;
    json_t *x;
    int rc = 0;
    json_array_foreach (list, i, x) {
        struct meeting m;
        rc = meetings_get(db, json_string_value(json_object_get(x, "id")), &m);
        if (rc)
            break;
        if (!m.started_ms || !strcmp(m.status, "draft") || !strcmp(m.status, "convened"))
            continue;
        int day = local_ymd(m.started_ms, o->time_zone);
        if (day < from_ymd || day > to_ymd)
            continue;
        json_array_append_new(ids,
                              json_pack("{s:s, s:I}", "id", m.id, "at", (json_int_t)m.started_ms));
    }
    json_decref(list);
    /* oldest first: a stable insertion sort on "at" (a body holds tens of meetings a year) */
    size_t n = json_array_size(ids);
    for (size_t a = 1; a < n; a++)
        for (size_t b = a; b > 0; b--) {
            json_t *p = json_array_get(ids, b - 1), *q = json_array_get(ids, b);
            if (json_integer_value(json_object_get(p, "at")) <=
                json_integer_value(json_object_get(q, "at")))
                break;
            json_incref(p);
            json_array_set(ids, b - 1, q);
            json_array_set_new(ids, b, p);
        }
    return rc;
}

int attendance_model(struct db *db, const char *body_id, int from_ymd, int to_ymd, json_t **out)
{
    *out = NULL;
    struct body b;
    struct org o;
    int rc = bodies_get(db, body_id, &b);
    if (!rc)
        rc = orgs_get(db, b.org_id, &o);
    if (rc)
        return rc;
    char from[16], to[16], now[40];
    ymd_text(from, from_ymd);
    ymd_text(to, to_ymd);
    clock_format_rfc3339(clock_now_ms(), now, sizeof now);
    json_t *model = json_pack("{s:{s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:s, s:s, s:s, s:[], s:[]}",
                              "body", "id", b.id, "name", b.name, "org", "id", o.id, "name", o.name,
                              "time_zone", o.time_zone, "lang", o.default_lang, "from", from, "to",
                              to, "generated_at", now, "meetings", "members");
    json_t *ids = json_array(), *members = members_list_json(db, body_id);
    if (!model || !ids || !members)
        rc = OBR_ENOMEM;
    size_t i;
    json_t *x;
    json_array_foreach (rc ? NULL : members, i, x) {
        /* only members whose mandate overlaps the period */
        const char *af = json_string_value(json_object_get(x, "active_from"));
        const char *at = json_string_value(json_object_get(x, "active_to"));
        if ((af && strcmp(af, to) > 0) || (at && strcmp(at, from) < 0))
            continue;
        json_t *mem = new_member(json_string_value(json_object_get(x, "user_id")),
                                 json_string_value(json_object_get(x, "name")),
                                 json_string_value(json_object_get(x, "role")));
        if (!mem || json_array_append_new(json_object_get(model, "members"), mem))
            rc = OBR_ENOMEM;
    }
    if (!rc)
        rc = meetings_in_period(db, &o, body_id, from_ymd, to_ymd, ids);
    json_array_foreach (rc ? NULL : ids, i, x) {
        if ((rc = add_meeting(db, json_string_value(json_object_get(x, "id")), model, members)))
            break;
    }
    json_decref(ids);
    json_decref(members);
    if (rc) {
        json_decref(model);
        return rc;
    }
    sort_members(model);
    *out = model;
    return 0;
}
