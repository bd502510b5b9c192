/* meetings_repo.c — meetings, their agenda and their participants (see
 * meetings.h). The organisation of a meeting is its body's; it is joined in on
 * every read so no copy can go stale. Agenda items are removed softly and the
 * remaining positions stay 1..n without gaps. */
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "util/json_values.h"
#include "store/db_util.h"
#include "store/documents.h"
#include "store/meetings.h"
#include "util/clock.h"

#define MEETING_COLS                                                                          \
    "mt.id, mt.body_id, b.org_id, mt.number, mt.title, mt.starts_at_ms, mt.place, mt.mode, " \
    "mt.is_public, mt.broadcast_url, mt.status, mt.reminder_days, "                          \
    "COALESCE(mt.reminder_sent_ms, 0), COALESCE(mt.convened_ms, 0), "                        \
    "COALESCE(mt.started_ms, 0), COALESCE(mt.closed_ms, 0), mt.help_phone, b.help_phone, " \
    "b.attendance_min_s, b.audio_kbps"
#define MEETING_FROM " FROM meetings mt JOIN bodies b ON b.id = mt.body_id "

DB_QUERY(q_insert, "meetings_insert",
         "INSERT INTO meetings (id, body_id, number, title, starts_at_ms, place, mode, is_public, "
         "broadcast_url, status, reminder_days, created_ms, help_phone) "
         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $12)");
DB_QUERY(q_get, "meetings_get", "SELECT " MEETING_COLS MEETING_FROM "WHERE mt.id = $1");
DB_QUERY(q_update, "meetings_update",
         "UPDATE meetings SET number = $2, title = $3, starts_at_ms = $4, place = $5, mode = $6, "
         "is_public = $7, broadcast_url = $8, reminder_days = $9, help_phone = $10 WHERE id = $1");
DB_QUERY(q_set_status, "meetings_set_status",
         "UPDATE meetings SET status = $2, "
         "convened_ms = CASE WHEN $2 = 'convened' THEN $3 ELSE convened_ms END, "
         "started_ms = CASE WHEN $2 = 'in_progress' THEN $3 ELSE started_ms END, "
         "closed_ms = CASE WHEN $2 = 'closed' THEN $3 ELSE closed_ms END WHERE id = $1");
DB_QUERY(q_set_reminder, "meetings_set_reminder_sent",
         "UPDATE meetings SET reminder_sent_ms = $2 WHERE id = $1");
DB_QUERY(q_list, "meetings_list",
         "SELECT " MEETING_COLS MEETING_FROM "WHERE mt.body_id = $1 ORDER BY mt.starts_at_ms DESC");
DB_QUERY(q_of_user, "meetings_of_user",
         "SELECT " MEETING_COLS ", b.name" MEETING_FROM
         "WHERE mt.body_id IN (SELECT body_id FROM members WHERE user_id = $1) "
         "OR mt.id IN (SELECT meeting_id FROM meeting_participants WHERE user_id = $1 "
         "AND is_guest = 1) ORDER BY mt.starts_at_ms, mt.id");
DB_QUERY(q_of_staff, "meetings_of_staff",
         "SELECT " MEETING_COLS ", b.name, o.name, "
         "(SELECT COUNT(*) FROM agenda_items a WHERE a.meeting_id = mt.id), "
         "(SELECT COUNT(*) FROM documents d WHERE d.meeting_id = mt.id AND d.is_removed = 0)"
         MEETING_FROM "JOIN orgs o ON o.id = b.org_id "
         "WHERE b.org_id IN (SELECT org_id FROM org_staff WHERE user_id = $1) "
         "AND (mt.status IN ('draft', 'convened', 'in_progress') OR mt.closed_ms >= $2) "
         "ORDER BY mt.starts_at_ms, mt.id LIMIT 200");
DB_QUERY(q_ids_in_status, "meetings_ids_in_status",
         "SELECT id FROM meetings WHERE status = $1 ORDER BY starts_at_ms LIMIT $2");
/* Candidates: closed at least retention_months * 28 days ago; the exact
 * calendar months are checked in meetings_due_for_archive_json. */
DB_QUERY(q_due_archive, "meetings_due_for_archive",
         "SELECT mt.id, mt.closed_ms, o.retention_months FROM meetings mt JOIN bodies b ON "
         "b.id = mt.body_id JOIN orgs o ON o.id = b.org_id WHERE mt.status = 'closed' "
         "AND mt.closed_ms + o.retention_months * 28 * 86400000 <= $1 ORDER BY mt.closed_ms");

#define ITEM_COLS "id, meeting_id, position, title, description, is_amendment"
DB_QUERY(q_item_count, "agenda_count",
         "SELECT COUNT(*) FROM agenda_items WHERE meeting_id = $1 AND is_removed = 0");
DB_QUERY(q_item_insert, "agenda_insert",
         "INSERT INTO agenda_items (id, meeting_id, position, title, description, is_amendment, "
         "created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)");
DB_QUERY(q_item_get, "agenda_get",
         "SELECT " ITEM_COLS " FROM agenda_items WHERE id = $1 AND is_removed = 0");
DB_QUERY(q_item_update, "agenda_update",
         "UPDATE agenda_items SET title = $2, description = $3, is_amendment = $4 "
         "WHERE id = $1 AND is_removed = 0");
DB_QUERY(q_item_remove, "agenda_remove",
         "UPDATE agenda_items SET is_removed = 1 WHERE id = $1 AND is_removed = 0");
DB_QUERY(q_item_close_gap, "agenda_close_gap",
         "UPDATE agenda_items SET position = position - 1 "
         "WHERE meeting_id = $1 AND is_removed = 0 AND position > $2");
DB_QUERY(q_item_ids, "agenda_ids",
         "SELECT id FROM agenda_items WHERE meeting_id = $1 AND is_removed = 0");
DB_QUERY(q_item_set_pos, "agenda_set_position",
         "UPDATE agenda_items SET position = $3 WHERE id = $1 AND meeting_id = $2");
DB_QUERY(q_item_list, "agenda_list",
         "SELECT " ITEM_COLS " FROM agenda_items WHERE meeting_id = $1 AND is_removed = 0 "
         "ORDER BY position, created_ms");

DB_QUERY(q_part_upsert, "participants_upsert",
         "INSERT INTO meeting_participants (meeting_id, user_id, is_guest, is_scrutiny) "
         "VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id, user_id) DO UPDATE SET "
         "is_guest = excluded.is_guest, is_scrutiny = excluded.is_scrutiny");
DB_QUERY(q_part_guest_name, "participants_guest_name",
         "UPDATE meeting_participants SET guest_name = $3 WHERE meeting_id = $1 AND user_id = $2");
/* A tie to the organisation: staff, or a member of one of its bodies. */
DB_QUERY(q_user_in_org, "users_in_org",
         "SELECT 1 FROM org_staff WHERE org_id = $1 AND user_id = $2 AND shown_name IS NULL "
         "UNION ALL SELECT 1 FROM members m JOIN bodies b ON b.id = m.body_id "
         "WHERE b.org_id = $1 AND m.user_id = $2 AND m.shown_name IS NULL LIMIT 1");
DB_QUERY(q_part_delete, "participants_delete",
         "DELETE FROM meeting_participants WHERE meeting_id = $1 AND user_id = $2");
/* Members of the body first (with a scrutiny flag from meeting_participants
 * when set), then guests who are not members. */
DB_QUERY(q_part_list, "participants_list",
         "SELECT u.id, COALESCE(m.shown_name, u.name), u.email, m.role, m.groups, 0, "
         "COALESCE(p.is_scrutiny, 0), "
         "m.is_external FROM meetings mt JOIN members m ON m.body_id = mt.body_id "
         "JOIN users u ON u.id = m.user_id LEFT JOIN meeting_participants p "
         "ON p.meeting_id = mt.id AND p.user_id = m.user_id WHERE mt.id = $1 "
         "UNION ALL "
         "SELECT u.id, COALESCE(p.guest_name, u.name), u.email, 'guest', '[]', 1, p.is_scrutiny, 0 "
         "FROM meeting_participants p JOIN meetings mt ON mt.id = p.meeting_id "
         "JOIN users u ON u.id = p.user_id WHERE p.meeting_id = $1 AND p.is_guest = 1 "
         "AND NOT EXISTS (SELECT 1 FROM members m2 WHERE m2.body_id = mt.body_id "
         "AND m2.user_id = p.user_id) ORDER BY 2, 1");
DB_QUERY(q_part_is_member, "participants_is_member",
         "SELECT 1 FROM meetings mt JOIN members m ON m.body_id = mt.body_id "
         "WHERE mt.id = $1 AND m.user_id = $2");
DB_QUERY(q_part_row, "participants_row",
         "SELECT is_guest, is_scrutiny FROM meeting_participants "
         "WHERE meeting_id = $1 AND user_id = $2");

/* ---- meetings ---- */

static void read_meeting(struct db_stmt *s, struct meeting *m)
{
    memset(m, 0, sizeof *m);
    db_col_copy(s, 0, m->id, sizeof m->id);
    db_col_copy(s, 1, m->body_id, sizeof m->body_id);
    db_col_copy(s, 2, m->org_id, sizeof m->org_id);
    db_col_copy(s, 3, m->number, sizeof m->number);
    db_col_copy(s, 4, m->title, sizeof m->title);
    m->starts_at_ms = db_col_int(s, 5);
    db_col_copy(s, 6, m->place, sizeof m->place);
    db_col_copy(s, 7, m->mode, sizeof m->mode);
    m->is_public = db_col_int(s, 8) != 0;
    db_col_copy(s, 9, m->broadcast_url, sizeof m->broadcast_url);
    db_col_copy(s, 10, m->status, sizeof m->status);
    m->reminder_days = (int)db_col_int(s, 11);
    m->reminder_sent_ms = db_col_int(s, 12);
    m->convened_ms = db_col_int(s, 13);
    m->started_ms = db_col_int(s, 14);
    m->closed_ms = db_col_int(s, 15);
    db_col_copy(s, 16, m->help_phone, sizeof m->help_phone);
    db_col_copy(s, 17, m->body_help_phone, sizeof m->body_help_phone);
    m->attendance_min_s = (int)db_col_int(s, 18);
    m->audio_kbps = (int)db_col_int(s, 19);
}

json_t *meeting_to_json(const struct meeting *m)
{
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:b, s:s, s:s, s:i}", "id",
                          m->id, "body_id", m->body_id, "org_id", m->org_id, "number", m->number,
                          "title", m->title, "starts_at_ms", (json_int_t)m->starts_at_ms, "place",
                          m->place, "mode", m->mode, "is_public", m->is_public, "broadcast_url",
                          m->broadcast_url, "status", m->status, "reminder_days",
                          m->reminder_days);
    if (!j)
        return NULL;
    json_object_set_new(j, "starts_at", json_time_or_null(m->starts_at_ms));
    json_object_set_new(j, "convened_at", json_time_or_null(m->convened_ms));
    json_object_set_new(j, "started_at", json_time_or_null(m->started_ms));
    json_object_set_new(j, "closed_at", json_time_or_null(m->closed_ms));
    json_object_set_new(j, "help_phone", json_string(m->help_phone));
    json_object_set_new(j, "help_phone_shown",
                        json_string(m->help_phone[0] ? m->help_phone : m->body_help_phone));
    /* The body's settings the console needs (#20.12, #14). */
    json_object_set_new(j, "attendance_min_s", json_integer(m->attendance_min_s));
    json_object_set_new(j, "audio_kbps", json_integer(m->audio_kbps));
    return j;
}

int meetings_create(struct db *db, struct meeting *m)
{
    id_new(m->id);
    snprintf(m->status, sizeof m->status, "draft");
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, m->id);
    db_bind_text(s, 2, m->body_id);
    db_bind_text(s, 3, m->number);
    db_bind_text(s, 4, m->title);
    db_bind_int(s, 5, m->starts_at_ms);
    db_bind_text(s, 6, m->place);
    db_bind_text(s, 7, m->mode);
    db_bind_int(s, 8, m->is_public);
    db_bind_text(s, 9, m->broadcast_url);
    db_bind_int(s, 10, m->reminder_days);
    db_bind_int(s, 11, clock_now_ms());
    db_bind_text(s, 12, m->help_phone);
    return db_run(s);
}

int meetings_get(struct db *db, const char *id, struct meeting *out)
{
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        read_meeting(s, out);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

/* 0 when the last statement changed a row, else OBR_ENOTFOUND. */
static int changed(struct db *db, int rc)
{
    return rc ? rc : db_changes(db) ? 0 : OBR_ENOTFOUND;
}

int meetings_update(struct db *db, const struct meeting *m)
{
    struct db_stmt *s = db_prepare(db, &q_update);
    db_bind_text(s, 1, m->id);
    db_bind_text(s, 2, m->number);
    db_bind_text(s, 3, m->title);
    db_bind_int(s, 4, m->starts_at_ms);
    db_bind_text(s, 5, m->place);
    db_bind_text(s, 6, m->mode);
    db_bind_int(s, 7, m->is_public);
    db_bind_text(s, 8, m->broadcast_url);
    db_bind_int(s, 9, m->reminder_days);
    db_bind_text(s, 10, m->help_phone);
    return changed(db, db_run(s));
}

int meetings_set_status(struct db *db, const char *id, const char *status, int64_t at_ms)
{
    static const char *const known[] = {"draft", "convened", "in_progress", "closed", "archived"};
    bool is_known = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        is_known |= !strcmp(status, known[i]);
    if (!is_known)
        return OBR_EINVAL;
    struct db_stmt *s = db_prepare(db, &q_set_status);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, status);
    db_bind_int(s, 3, at_ms);
    return changed(db, db_run(s));
}

int meetings_set_reminder_sent(struct db *db, const char *id, int64_t at_ms)
{
    struct db_stmt *s = db_prepare(db, &q_set_reminder);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, at_ms);
    return changed(db, db_run(s));
}

json_t *meetings_list_json(struct db *db, const char *body_id)
{
    struct db_stmt *s = db_prepare(db, &q_list);
    db_bind_text(s, 1, body_id);
    json_t *list = json_array();
    struct meeting m;
    while (db_step(s) == DB_ROW) {
        read_meeting(s, &m);
        json_array_append_new(list, meeting_to_json(&m));
    }
    db_stmt_done(s);
    return list;
}

json_t *meetings_of_user_json(struct db *db, const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_of_user);
    db_bind_text(s, 1, user_id);
    json_t *list = json_array();
    struct meeting m;
    while (db_step(s) == DB_ROW) {
        read_meeting(s, &m);
        json_t *j = meeting_to_json(&m);
        const char *body_name = db_col_text(s, 20);
        json_object_set_new(j, "body_name", json_string(body_name ? body_name : ""));
        json_array_append_new(list, j);
    }
    db_stmt_done(s);
    return list;
}

json_t *meetings_of_staff_json(struct db *db, const char *user_id, int64_t closed_since_ms)
{
    struct db_stmt *s = db_prepare(db, &q_of_staff);
    db_bind_text(s, 1, user_id);
    db_bind_int(s, 2, closed_since_ms);
    json_t *list = json_array();
    struct meeting m;
    while (db_step(s) == DB_ROW) {
        read_meeting(s, &m);
        json_t *j = meeting_to_json(&m);
        const char *body_name = db_col_text(s, 20), *org_name = db_col_text(s, 21);
        json_object_set_new(j, "body_name", json_string(body_name ? body_name : ""));
        json_object_set_new(j, "org_name", json_string(org_name ? org_name : ""));
        json_object_set_new(j, "agenda_count", json_integer(db_col_int(s, 22)));
        json_object_set_new(j, "document_count", json_integer(db_col_int(s, 23)));
        json_array_append_new(list, j);
    }
    db_stmt_done(s);
    return list;
}

int meetings_ids_in_status(struct db *db, const char *status, char (*ids)[ID_SIZE], int max,
                           int *n)
{
    *n = 0;
    struct db_stmt *s = db_prepare(db, &q_ids_in_status);
    db_bind_text(s, 1, status);
    db_bind_int(s, 2, max);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < max)
        db_col_copy(s, 0, ids[(*n)++], ID_SIZE);
    db_stmt_done(s);
    return rc < 0 ? rc : 0;
}

/* ---- agenda ---- */

static void read_item(struct db_stmt *s, struct agenda_item *it)
{
    memset(it, 0, sizeof *it);
    db_col_copy(s, 0, it->id, sizeof it->id);
    db_col_copy(s, 1, it->meeting_id, sizeof it->meeting_id);
    it->position = (int)db_col_int(s, 2);
    db_col_copy(s, 3, it->title, sizeof it->title);
    db_col_copy(s, 4, it->description, sizeof it->description);
    it->is_amendment = db_col_int(s, 5) != 0;
}

static json_t *item_to_json(const struct agenda_item *it)
{
    return json_pack("{s:s, s:i, s:s, s:s, s:b, s:[]}", "id", it->id, "position", it->position,
                     "title", it->title, "description", it->description, "is_amendment",
                     it->is_amendment, "documents");
}

/* The transaction helpers let a multi-statement change run inside the
 * caller's transaction when there is one, and in its own otherwise. */
static int own_begin(struct db *db, bool *is_own)
{
    *is_own = !db_in_transaction(db);
    return *is_own ? db_begin_write(db) : 0;
}

static int own_end(struct db *db, bool is_own, int rc)
{
    if (!is_own)
        return rc;
    if (rc) {
        db_rollback(db);
        return rc;
    }
    return db_commit(db);
}

int agenda_add(struct db *db, struct agenda_item *it)
{
    bool is_own;
    int rc = own_begin(db, &is_own);
    if (rc)
        return rc;
    struct db_stmt *s = db_prepare(db, &q_item_count);
    db_bind_text(s, 1, it->meeting_id);
    rc = db_step_one(s);
    int64_t count = rc == DB_ROW ? db_col_int(s, 0) : 0;
    db_stmt_done(s);
    if (rc == DB_ROW) {
        id_new(it->id);
        it->position = (int)count + 1;
        s = db_prepare(db, &q_item_insert);
        db_bind_text(s, 1, it->id);
        db_bind_text(s, 2, it->meeting_id);
        db_bind_int(s, 3, it->position);
        db_bind_text(s, 4, it->title);
        db_bind_text(s, 5, it->description);
        db_bind_int(s, 6, it->is_amendment);
        db_bind_int(s, 7, clock_now_ms());
        rc = db_run(s);
    }
    return own_end(db, is_own, rc);
}

int agenda_get(struct db *db, const char *id, struct agenda_item *out)
{
    struct db_stmt *s = db_prepare(db, &q_item_get);
    db_bind_text(s, 1, id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        read_item(s, out);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int agenda_update(struct db *db, const struct agenda_item *it)
{
    struct db_stmt *s = db_prepare(db, &q_item_update);
    db_bind_text(s, 1, it->id);
    db_bind_text(s, 2, it->title);
    db_bind_text(s, 3, it->description);
    db_bind_int(s, 4, it->is_amendment);
    return changed(db, db_run(s));
}

int agenda_remove(struct db *db, const char *id)
{
    struct agenda_item it = {0};
    bool is_own;
    int rc = own_begin(db, &is_own);
    if (!rc)
        rc = agenda_get(db, id, &it);
    if (!rc) {
        struct db_stmt *s = db_prepare(db, &q_item_remove);
        db_bind_text(s, 1, id);
        rc = changed(db, db_run(s));
    }
    if (!rc) {
        struct db_stmt *s = db_prepare(db, &q_item_close_gap);
        db_bind_text(s, 1, it.meeting_id);
        db_bind_int(s, 2, it.position);
        rc = db_run(s);
    }
    return own_end(db, is_own, rc);
}

static int cmp_id(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether given (n ids) is exactly the set current (n ids, sorted): sorts a
 * copy of given and compares, so duplicates are caught too. */
static bool same_set(const char *const *given, char (*current)[ID_SIZE], int n)
{
    for (int i = 0; i < n; i++)
        if (!given[i])
            return false;
    const char **sorted = malloc(sizeof *sorted * (size_t)(n ? n : 1));
    if (!sorted)
        return false;
    memcpy(sorted, given, sizeof *sorted * (size_t)n);
    qsort(sorted, (size_t)n, sizeof *sorted, cmp_id);
    bool is_same = true;
    for (int i = 0; i < n && is_same; i++)
        is_same = !strcmp(sorted[i], current[i]);
    free(sorted);
    return is_same;
}

static int cmp_idbuf(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

int agenda_reorder(struct db *db, const char *meeting_id, const char *const *ids, int n)
{
    if (n < 0 || (n > 0 && !ids))
        return OBR_EINVAL;
    bool is_own;
    int rc = own_begin(db, &is_own);
    if (rc)
        return rc;
    int cap = n + 1, count = 0;
    char(*current)[ID_SIZE] = malloc(sizeof *current * (size_t)cap);
    if (!current)
        return own_end(db, is_own, OBR_ENOMEM);
    struct db_stmt *s = db_prepare(db, &q_item_ids);
    db_bind_text(s, 1, meeting_id);
    while ((rc = db_step(s)) == DB_ROW) {
        if (count == cap) {
            count++; /* more items than ids: refused below */
            break;
        }
        db_col_copy(s, 0, current[count++], ID_SIZE);
    }
    db_stmt_done(s);
    if (rc >= 0) {
        rc = 0;
        qsort(current, (size_t)(count < cap ? count : cap), sizeof *current, cmp_idbuf);
        if (count != n || !same_set(ids, current, n))
            rc = OBR_EINVAL;
    }
    for (int i = 0; i < n && !rc; i++) {
        s = db_prepare(db, &q_item_set_pos);
        db_bind_text(s, 1, ids[i]);
        db_bind_text(s, 2, meeting_id);
        db_bind_int(s, 3, i + 1);
        rc = db_run(s);
    }
    free(current);
    return own_end(db, is_own, rc);
}

json_t *agenda_list_json(struct db *db, const char *meeting_id)
{
    struct db_stmt *s = db_prepare(db, &q_item_list);
    db_bind_text(s, 1, meeting_id);
    json_t *list = json_array();
    json_t *by_id = json_object(); /* item id → its documents array (borrowed) */
    struct agenda_item it;
    while (db_step(s) == DB_ROW) {
        read_item(s, &it);
        json_t *j = item_to_json(&it);
        json_object_set(by_id, it.id, json_object_get(j, "documents"));
        json_array_append_new(list, j);
    }
    db_stmt_done(s);
    json_t *docs = documents_list_json(db, meeting_id);
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d) {
        const char *item_id = json_string_value(json_object_get(d, "item_id"));
        json_t *arr = item_id ? json_object_get(by_id, item_id) : NULL;
        if (!arr)
            continue;
        json_t *copy = json_deep_copy(d);
        json_object_del(copy, "item_id");
        json_object_del(copy, "meeting_id");
        json_array_append_new(arr, copy);
    }
    json_decref(docs);
    json_decref(by_id);
    return list;
}

/* ---- participants ---- */

int participants_set(struct db *db, const char *meeting_id, const char *user_id, bool is_guest,
                     bool is_scrutiny)
{
    struct db_stmt *s = db_prepare(db, &q_part_upsert);
    db_bind_text(s, 1, meeting_id);
    db_bind_text(s, 2, user_id);
    db_bind_int(s, 3, is_guest);
    db_bind_int(s, 4, is_scrutiny);
    return db_run(s);
}

int participants_set_guest_name(struct db *db, const char *meeting_id, const char *user_id,
                                const char *name)
{
    struct db_stmt *s = db_prepare(db, &q_part_guest_name);
    db_bind_text(s, 1, meeting_id);
    db_bind_text(s, 2, user_id);
    db_bind_text(s, 3, name);
    return db_run(s);
}

bool participants_user_in_org(struct db *db, const char *org_id, const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_user_in_org);
    db_bind_text(s, 1, org_id);
    db_bind_text(s, 2, user_id);
    bool is_in = db_step(s) == DB_ROW;
    db_stmt_done(s);
    return is_in;
}

int participants_remove(struct db *db, const char *meeting_id, const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_part_delete);
    db_bind_text(s, 1, meeting_id);
    db_bind_text(s, 2, user_id);
    return changed(db, db_run(s));
}

json_t *participants_list_json(struct db *db, const char *meeting_id)
{
    struct db_stmt *s = db_prepare(db, &q_part_list);
    db_bind_text(s, 1, meeting_id);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW) {
        const char *groups_text = db_col_text(s, 4);
        json_t *groups = groups_text ? json_loads(groups_text, 0, NULL) : NULL;
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:b, s:b}", "user_id",
                            db_col_text(s, 0), "name", db_col_text(s, 1), "email",
                            db_col_text(s, 2), "role", db_col_text(s, 3), "groups",
                            groups ? groups : json_array(), "is_guest", db_col_int(s, 5) != 0,
                            "is_scrutiny", db_col_int(s, 6) != 0, "is_external",
                            db_col_int(s, 7) != 0));
    }
    db_stmt_done(s);
    return list;
}

bool participants_is_participant(struct db *db, const char *meeting_id, const char *user_id,
                                 bool *is_guest, bool *is_scrutiny)
{
    struct db_stmt *s = db_prepare(db, &q_part_is_member);
    db_bind_text(s, 1, meeting_id);
    db_bind_text(s, 2, user_id);
    bool is_member = db_step(s) == DB_ROW;
    db_stmt_done(s);
    s = db_prepare(db, &q_part_row);
    db_bind_text(s, 1, meeting_id);
    db_bind_text(s, 2, user_id);
    bool has_row = db_step(s) == DB_ROW;
    bool row_guest = has_row && db_col_int(s, 0) != 0;
    bool row_scrutiny = has_row && db_col_int(s, 1) != 0;
    db_stmt_done(s);
    bool is_in = is_member || row_guest;
    if (is_guest)
        *is_guest = !is_member && row_guest;
    if (is_scrutiny)
        *is_scrutiny = is_in && row_scrutiny;
    return is_in;
}

/* ms plus months calendar months (UTC), the day clamped to the month's end:
 * 31 August + 3 months is 30 November. */
static int64_t plus_months(int64_t ms, int months)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    int day = tm.tm_mday;
    tm.tm_mday = 1;
    tm.tm_mon += months;
    timegm(&tm); /* normalises the month and year */
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = tm.tm_year + 1900;
    int last = DAYS[tm.tm_mon] + (tm.tm_mon == 1 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
    tm.tm_mday = day < last ? day : last;
    return (int64_t)timegm(&tm) * 1000 + ms % 1000;
}

json_t *meetings_due_for_archive_json(struct db *db, int64_t now_ms)
{
    struct db_stmt *s = db_prepare(db, &q_due_archive);
    if (db_bind_int(s, 1, now_ms)) {
        db_stmt_done(s);
        return NULL;
    }
    json_t *ids = json_array();
    int rc;
    while ((rc = db_step(s)) == DB_ROW)
        if (plus_months(db_col_int(s, 1), (int)db_col_int(s, 2)) <= now_ms)
            json_array_append_new(ids, json_string(db_col_text(s, 0)));
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(ids);
        return NULL;
    }
    return ids;
}
