/* orgs_repo.c — organisations, their staff and their bodies (see directory.h). */
#include <string.h>

#include "store/db_util.h"
#include "store/directory.h"
#include "util/clock.h"

DB_QUERY(q_org_insert, "orgs_insert",
         "INSERT INTO orgs (id, name, time_zone, default_lang, email_domains, retention_days, "
         "created_ms, retention_months) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
DB_QUERY(q_org_get, "orgs_get",
         "SELECT id, name, time_zone, default_lang, email_domains, retention_days, retention_months FROM orgs "
         "WHERE id = $1");
DB_QUERY(q_org_update, "orgs_update",
         "UPDATE orgs SET name = $2, time_zone = $3, default_lang = $4, email_domains = $5, "
         "retention_days = $6, retention_months = $7 WHERE id = $1");
DB_QUERY(q_org_list_all, "orgs_list_all",
         "SELECT id, name, time_zone, default_lang, email_domains, retention_days, retention_months FROM orgs "
         "ORDER BY name");
DB_QUERY(q_org_list_user, "orgs_list_user",
         "SELECT id, name, time_zone, default_lang, email_domains, retention_days, retention_months FROM orgs "
         "WHERE id IN (SELECT org_id FROM org_staff WHERE user_id = $1 UNION "
         "SELECT b.org_id FROM bodies b JOIN members m ON m.body_id = b.id WHERE m.user_id = $1) "
         "ORDER BY name");
DB_QUERY(q_staff_upsert, "staff_upsert",
         "INSERT INTO org_staff (org_id, user_id, role, created_ms, shown_name) "
         "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role");
DB_QUERY(q_staff_delete, "staff_delete", "DELETE FROM org_staff WHERE org_id = $1 AND user_id = $2");
DB_QUERY(q_staff_role, "staff_role",
         "SELECT role FROM org_staff WHERE org_id = $1 AND user_id = $2");
DB_QUERY(q_staff_list, "staff_list",
         "SELECT u.id, u.email, COALESCE(s.shown_name, u.name), s.role FROM org_staff s "
         "JOIN users u ON u.id = s.user_id WHERE s.org_id = $1 ORDER BY COALESCE(s.shown_name, u.name)");
DB_QUERY(q_staff_of_user, "staff_of_user",
         "SELECT o.id, o.name, s.role FROM org_staff s JOIN orgs o ON o.id = s.org_id "
         "WHERE s.user_id = $1 ORDER BY o.name");
DB_QUERY(q_body_insert, "bodies_insert",
         "INSERT INTO bodies (id, org_id, name, kind, statutory_size, quorum_rule, "
         "vote_duration_s, created_ms, confirm_results, help_phone, attendance_min_s, audio_kbps, "
         "uses_weights) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
DB_QUERY(q_body_get, "bodies_get",
         "SELECT id, org_id, name, kind, statutory_size, quorum_rule, vote_duration_s, "
         "confirm_results, help_phone, attendance_min_s, audio_kbps, uses_weights FROM bodies "
         "WHERE id = $1");
DB_QUERY(q_body_update, "bodies_update",
         "UPDATE bodies SET name = $2, kind = $3, statutory_size = $4, quorum_rule = $5, "
         "vote_duration_s = $6, confirm_results = $7, help_phone = $8, attendance_min_s = $9, "
         "audio_kbps = $10, uses_weights = $11 WHERE id = $1");
DB_QUERY(q_body_list, "bodies_list",
         "SELECT id, org_id, name, kind, statutory_size, quorum_rule, vote_duration_s, "
         "confirm_results, help_phone, attendance_min_s, audio_kbps, uses_weights, "
         "(SELECT COUNT(*) FROM members m WHERE m.body_id = bodies.id) "
         "FROM bodies WHERE org_id = $1 ORDER BY name");

static void read_org(struct db_stmt *s, struct org *o)
{
    memset(o, 0, sizeof *o);
    db_col_copy(s, 0, o->id, sizeof o->id);
    db_col_copy(s, 1, o->name, sizeof o->name);
    db_col_copy(s, 2, o->time_zone, sizeof o->time_zone);
    db_col_copy(s, 3, o->default_lang, sizeof o->default_lang);
    db_col_copy(s, 4, o->email_domains, sizeof o->email_domains);
    o->retention_days = (int)db_col_int(s, 5);
    o->retention_months = (int)db_col_int(s, 6);
}

json_t *org_to_json(const struct org *o)
{
    json_t *domains = json_loads(o->email_domains, 0, NULL);
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:i, s:i}", "id", o->id, "name", o->name,
                     "time_zone", o->time_zone, "default_lang", o->default_lang,
                     "email_domains", domains ? domains : json_array(), "retention_days",
                     o->retention_days, "retention_months", o->retention_months);
}

/* An org made without a period (a zeroed struct) gets the default 3 months,
 * never 0, which would archive a meeting the moment it closes. */
#define ORG_MONTHS(o) ((o)->retention_months > 0 ? (o)->retention_months : 3)

static void bind_org(struct db_stmt *s, const struct org *o)
{
    db_bind_text(s, 1, o->id);
    db_bind_text(s, 2, o->name);
    db_bind_text(s, 3, o->time_zone);
    db_bind_text(s, 4, o->default_lang);
    db_bind_text(s, 5, o->email_domains[0] ? o->email_domains : "[]");
    db_bind_int(s, 6, o->retention_days);
}

int orgs_create(struct db *db, struct org *o)
{
    id_new(o->id);
    struct db_stmt *s = db_prepare(db, &q_org_insert);
    bind_org(s, o);
    db_bind_int(s, 7, clock_now_ms());
    db_bind_int(s, 8, ORG_MONTHS(o));
    return db_run(s);
}

int orgs_get(struct db *db, const char *id, struct org *out)
{
    struct db_stmt *s = db_prepare(db, &q_org_get);
    db_bind_text(s, 1, id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        read_org(s, out);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int orgs_update(struct db *db, const struct org *o)
{
    struct db_stmt *s = db_prepare(db, &q_org_update);
    bind_org(s, o);
    db_bind_int(s, 7, ORG_MONTHS(o));
    return db_run(s);
}

json_t *orgs_list_json(struct db *db, const char *user_id, bool is_all)
{
    struct db_stmt *s = db_prepare(db, is_all ? &q_org_list_all : &q_org_list_user);
    if (!is_all)
        db_bind_text(s, 1, user_id);
    json_t *list = json_array();
    struct org o;
    while (db_step(s) == DB_ROW) {
        read_org(s, &o);
        json_array_append_new(list, org_to_json(&o));
    }
    db_stmt_done(s);
    return list;
}

static const char *staff_role_name(enum staff_role r)
{
    return r == STAFF_ADMIN ? "admin" : r == STAFF_OPERATOR ? "operator" : "none";
}

int staff_set_named(struct db *db, const char *org_id, const char *user_id,
                    enum staff_role role, const char *shown_name)
{
    struct db_stmt *s = db_prepare(db, &q_staff_upsert);
    db_bind_text(s, 1, org_id);
    db_bind_text(s, 2, user_id);
    db_bind_text(s, 3, staff_role_name(role));
    db_bind_int(s, 4, clock_now_ms());
    db_bind_text(s, 5, shown_name && *shown_name ? shown_name : NULL);
    return db_run(s);
}

int staff_set(struct db *db, const char *org_id, const char *user_id, enum staff_role role)
{
    return staff_set_named(db, org_id, user_id, role, NULL);
}

int staff_remove(struct db *db, const char *org_id, const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_staff_delete);
    db_bind_text(s, 1, org_id);
    db_bind_text(s, 2, user_id);
    int rc = db_run(s);
    return rc ? rc : db_changes(db) ? 0 : OBR_ENOTFOUND;
}

enum staff_role staff_role_of(struct db *db, const char *org_id, const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_staff_role);
    db_bind_text(s, 1, org_id);
    db_bind_text(s, 2, user_id);
    enum staff_role r = STAFF_NONE;
    if (db_step(s) == DB_ROW) {
        const char *v = db_col_text(s, 0);
        r = v && !strcmp(v, "admin") ? STAFF_ADMIN : v && !strcmp(v, "operator") ? STAFF_OPERATOR
                                                                                  : STAFF_NONE;
    }
    db_stmt_done(s);
    return r;
}

json_t *staff_list_json(struct db *db, const char *org_id)
{
    struct db_stmt *s = db_prepare(db, &q_staff_list);
    db_bind_text(s, 1, org_id);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s}", "user_id",
                                              db_col_text(s, 0), "email", db_col_text(s, 1),
                                              "name", db_col_text(s, 2), "role",
                                              db_col_text(s, 3)));
    db_stmt_done(s);
    return list;
}

json_t *staff_of_user_json(struct db *db, const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_staff_of_user);
    db_bind_text(s, 1, user_id);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "org_id", db_col_text(s, 0),
                                              "org_name", db_col_text(s, 1), "role",
                                              db_col_text(s, 2)));
    db_stmt_done(s);
    return list;
}

static void read_body(struct db_stmt *s, struct body *b)
{
    memset(b, 0, sizeof *b);
    db_col_copy(s, 0, b->id, sizeof b->id);
    db_col_copy(s, 1, b->org_id, sizeof b->org_id);
    db_col_copy(s, 2, b->name, sizeof b->name);
    db_col_copy(s, 3, b->kind, sizeof b->kind);
    b->statutory_size = (int)db_col_int(s, 4);
    db_col_copy(s, 5, b->quorum_rule, sizeof b->quorum_rule);
    b->vote_duration_s = (int)db_col_int(s, 6);
    b->confirm_results = db_col_int(s, 7) != 0;
    db_col_copy(s, 8, b->help_phone, sizeof b->help_phone);
    b->attendance_min_s = (int)db_col_int(s, 9);
    b->audio_kbps = (int)db_col_int(s, 10);
    b->uses_weights = db_col_int(s, 11) != 0;
}

json_t *body_to_json(const struct body *b)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:b, s:s, s:i, s:i, s:b}", "id", b->id,
                     "org_id", b->org_id, "name", b->name, "kind", b->kind, "statutory_size",
                     b->statutory_size, "quorum_rule", b->quorum_rule, "vote_duration_s",
                     b->vote_duration_s, "confirm_results", b->confirm_results, "help_phone",
                     b->help_phone, "attendance_min_s", b->attendance_min_s, "audio_kbps",
                     b->audio_kbps, "uses_weights", b->uses_weights);
}

int bodies_create(struct db *db, struct body *b)
{
    id_new(b->id);
    if (b->attendance_min_s <= 0) /* 0: the defaults (callers that predate the settings) */
        b->attendance_min_s = BODY_ATTENDANCE_MIN_DEFAULT_S;
    if (b->audio_kbps <= 0)
        b->audio_kbps = BODY_AUDIO_KBPS_DEFAULT;
    struct db_stmt *s = db_prepare(db, &q_body_insert);
    db_bind_text(s, 1, b->id);
    db_bind_text(s, 2, b->org_id);
    db_bind_text(s, 3, b->name);
    db_bind_text(s, 4, b->kind);
    db_bind_int(s, 5, b->statutory_size);
    db_bind_text(s, 6, b->quorum_rule);
    db_bind_int(s, 7, b->vote_duration_s);
    db_bind_int(s, 8, clock_now_ms());
    db_bind_int(s, 9, b->confirm_results);
    db_bind_text(s, 10, b->help_phone);
    db_bind_int(s, 11, b->attendance_min_s);
    db_bind_int(s, 12, b->audio_kbps);
    db_bind_int(s, 13, b->uses_weights);
    return db_run(s);
}

int bodies_get(struct db *db, const char *id, struct body *out)
{
    struct db_stmt *s = db_prepare(db, &q_body_get);
    db_bind_text(s, 1, id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        read_body(s, out);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int bodies_update(struct db *db, const struct body *b)
{
    struct db_stmt *s = db_prepare(db, &q_body_update);
    db_bind_text(s, 1, b->id);
    db_bind_text(s, 2, b->name);
    db_bind_text(s, 3, b->kind);
    db_bind_int(s, 4, b->statutory_size);
    db_bind_text(s, 5, b->quorum_rule);
    db_bind_int(s, 6, b->vote_duration_s);
    db_bind_int(s, 7, b->confirm_results);
    db_bind_text(s, 8, b->help_phone);
    db_bind_int(s, 9, b->attendance_min_s);
    db_bind_int(s, 10, b->audio_kbps);
    db_bind_int(s, 11, b->uses_weights);
    return db_run(s);
}

json_t *bodies_list_json(struct db *db, const char *org_id)
{
    struct db_stmt *s = db_prepare(db, &q_body_list);
    db_bind_text(s, 1, org_id);
    json_t *list = json_array();
    struct body b;
    while (db_step(s) == DB_ROW) {
        read_body(s, &b);
        json_t *j = body_to_json(&b);
        json_object_set_new(j, "member_count", json_integer(db_col_int(s, 12)));
        json_array_append_new(list, j);
    }
    db_stmt_done(s);
    return list;
}
