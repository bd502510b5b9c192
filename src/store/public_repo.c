/* public_repo.c — the store's side of publication (see public.h). The
 * attendance record is read from the meeting's log (attendance.started and
 * attendance.ended events, both public), so it is what the log says happened. */
#include <string.h>

#include "store/db_util.h"
#include "store/public.h"
#include "util/clock.h"

#define PUBLISHED "mt.is_public = 1 AND mt.status <> 'draft'"
#define PUB_COLS                                                                                   \
    "mt.id, mt.number, mt.title, mt.starts_at_ms, mt.status, mt.mode, mt.place, o.id, o.name, "    \
    "b.id, b.name"
#define PUB_FROM                                                                                   \
    " FROM meetings mt JOIN bodies b ON b.id = mt.body_id JOIN orgs o ON o.id = b.org_id "

DB_QUERY(q_users, "public_count_users", "SELECT COUNT(*) FROM users");
DB_QUERY(q_orgs, "public_count_orgs", "SELECT COUNT(*) FROM orgs");
DB_QUERY(q_meetings, "public_count_meetings",
         "SELECT COUNT(*) FROM meetings WHERE status <> 'draft'");
DB_QUERY(q_votes, "public_count_votes", "SELECT COUNT(*) FROM votes WHERE status <> 'draft'");
DB_QUERY(q_ballots, "public_count_ballots",
         "SELECT (SELECT COUNT(*) FROM ballots_current) + " /* a row per voter and vote */
         "(SELECT COUNT(*) FROM secret_voters)");
DB_QUERY(q_upcoming, "public_meetings_upcoming",
         "SELECT " PUB_COLS PUB_FROM "WHERE " PUBLISHED
         " AND mt.status IN ('convened', 'in_progress') "
         "ORDER BY mt.starts_at_ms, mt.id LIMIT $1 OFFSET $2");
DB_QUERY(q_upcoming_n, "public_meetings_upcoming_count",
         "SELECT COUNT(*) FROM meetings mt WHERE " PUBLISHED
         " AND mt.status IN ('convened', 'in_progress')");
DB_QUERY(q_recent, "public_meetings_recent",
         "SELECT " PUB_COLS PUB_FROM "WHERE " PUBLISHED " AND mt.status IN ('closed', 'archived') "
         "ORDER BY mt.starts_at_ms DESC, mt.id LIMIT $1 OFFSET $2");
DB_QUERY(q_recent_n, "public_meetings_recent_count",
         "SELECT COUNT(*) FROM meetings mt WHERE " PUBLISHED
         " AND mt.status IN ('closed', 'archived')");
DB_QUERY(q_is_published, "public_meeting_is_published",
         "SELECT 1 FROM meetings mt WHERE mt.id = $1 AND " PUBLISHED);
DB_QUERY(q_attendance, "public_attendance",
         "SELECT ts_ms, type, payload FROM events WHERE meeting_id = $1 "
         "AND type IN ('attendance.started', 'attendance.ended') ORDER BY seq");

static int count(struct db *db, struct db_query *q, int64_t *out)
{
    struct db_stmt *s = db_prepare(db, q);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        *out = db_col_int(s, 0);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int public_stats_get(struct db *db, struct public_stats *out)
{
    memset(out, 0, sizeof *out);
    int rc = count(db, &q_users, &out->users);
    if (!rc)
        rc = count(db, &q_orgs, &out->orgs);
    if (!rc)
        rc = count(db, &q_meetings, &out->meetings);
    if (!rc)
        rc = count(db, &q_votes, &out->votes);
    if (!rc)
        rc = count(db, &q_ballots, &out->ballots);
    return rc;
}

static json_t *time_json(int64_t ms)
{
    char t[40];
    clock_format_rfc3339(ms, t, sizeof t);
    return json_string(t);
}

json_t *public_meetings_json(struct db *db, enum public_when when, int limit, int offset,
                             int64_t *total)
{
    bool is_upcoming = when == PUBLIC_UPCOMING;
    if (limit < 1 || limit > PUBLIC_LIST_MAX || offset < 0)
        return NULL;
    if (count(db, is_upcoming ? &q_upcoming_n : &q_recent_n, total))
        return NULL;
    json_t *list = json_array();
    struct db_stmt *s = db_prepare(db, is_upcoming ? &q_upcoming : &q_recent);
    db_bind_int(s, 1, limit);
    db_bind_int(s, 2, offset);
    int rc = 0;
    while (list && (rc = db_step(s)) == DB_ROW) {
        json_t *m = json_pack(
            "{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", db_col_text(s, 0),
            "number", db_col_text(s, 1), "title", db_col_text(s, 2), "starts_at",
            time_json(db_col_int(s, 3)), "status", db_col_text(s, 4), "mode", db_col_text(s, 5),
            "place", db_col_text(s, 6), "org_id", db_col_text(s, 7), "org_name", db_col_text(s, 8),
            "body_id", db_col_text(s, 9), "body_name", db_col_text(s, 10));
        if (!m || json_array_append_new(list, m)) {
            json_decref(list);
            list = NULL;
        }
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}

bool public_meeting_is_published(struct db *db, const char *meeting_id)
{
    struct db_stmt *s = db_prepare(db, &q_is_published);
    db_bind_text(s, 1, meeting_id);
    int rc = db_step_one(s);
    db_stmt_done(s);
    return rc == DB_ROW;
}

/* The check with this id in list, or NULL. */
static json_t *find_check(json_t *list, const char *check_id)
{
    size_t i;
    json_t *c;
    json_array_foreach (list, i, c) {
        const char *id = json_string_value(json_object_get(c, "check_id"));
        if (id && check_id && !strcmp(id, check_id))
            return c;
    }
    return NULL;
}

static json_t *present_names(json_t *present)
{
    json_t *names = json_array();
    size_t i;
    json_t *p;
    json_array_foreach (present, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        json_array_append_new(names, json_string(name ? name : ""));
    }
    return names;
}

static void add_event(json_t *list, int64_t ts_ms, const char *type, json_t *pl)
{
    const char *check_id = json_string_value(json_object_get(pl, "check_id"));
    if (!check_id)
        return;
    json_t *c = find_check(list, check_id);
    if (!c) {
        c = json_pack("{s:s, s:n, s:n, s:i, s:i, s:b, s:[]}", "check_id", check_id, "started_at",
                      "ended_at", "present_count", 0, "required", 0, "has_quorum", 0, "present");
        if (!c || json_array_append_new(list, c))
            return;
    }
    if (!strcmp(type, "attendance.started")) {
        json_object_set_new(c, "started_at", time_json(ts_ms));
        return;
    }
    json_object_set_new(c, "ended_at", time_json(ts_ms));
    json_object_set(c, "present_count", json_object_get(pl, "present_count"));
    json_object_set(c, "required", json_object_get(pl, "required"));
    json_object_set(c, "has_quorum", json_object_get(pl, "has_quorum"));
    json_object_set_new(c, "present", present_names(json_object_get(pl, "present")));
}

json_t *public_attendance_json(struct db *db, const char *meeting_id)
{
    json_t *list = json_array();
    struct db_stmt *s = db_prepare(db, &q_attendance);
    db_bind_text(s, 1, meeting_id);
    int rc = 0;
    while (list && (rc = db_step(s)) == DB_ROW) {
        const char *payload = db_col_text(s, 2);
        json_t *pl = payload ? json_loads(payload, 0, NULL) : NULL;
        if (pl)
            add_event(list, db_col_int(s, 0), db_col_text(s, 1), pl);
        json_decref(pl);
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}
