/* members_repo.c — members of bodies (see directory.h). */
#include <stdio.h>
#include <string.h>

#include "core/vote_weights.h"
#include "store/db_util.h"
#include "store/directory.h"
#include "store/meetings.h"
#include "util/clock.h"

#define MEMBER_COLS "m.id, m.body_id, m.user_id, u.email, COALESCE(m.shown_name, u.name), m.role, m.groups, " \
                    "m.is_external, COALESCE(m.active_from, ''), COALESCE(m.active_to, ''), m.weight_micro"

DB_QUERY(q_insert, "members_insert",
         "INSERT INTO members (id, body_id, user_id, role, groups, is_external, active_from, "
         "active_to, created_ms, shown_name, weight_micro) "
         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
DB_QUERY(q_get, "members_get",
         "SELECT " MEMBER_COLS " FROM members m JOIN users u ON u.id = m.user_id WHERE m.id = $1");
DB_QUERY(q_get_user, "members_get_by_user",
         "SELECT " MEMBER_COLS " FROM members m JOIN users u ON u.id = m.user_id "
         "WHERE m.body_id = $1 AND m.user_id = $2");
DB_QUERY(q_update, "members_update",
         "UPDATE members SET role = $2, groups = $3, is_external = $4, active_from = $5, "
         "active_to = $6, weight_micro = $7 WHERE id = $1");
DB_QUERY(q_delete, "members_delete", "DELETE FROM members WHERE id = $1");
DB_QUERY(q_has_email, "members_has_email",
         "SELECT 1 FROM members m JOIN users u ON u.id = m.user_id "
         "WHERE m.body_id = $1 AND u.email = $2");
DB_QUERY(q_list, "members_list",
         "SELECT " MEMBER_COLS " FROM members m JOIN users u ON u.id = m.user_id "
         "WHERE m.body_id = $1 ORDER BY COALESCE(m.shown_name, u.name)");
DB_QUERY(q_bodies_of_user, "members_bodies_of_user",
         "SELECT b.id, b.name, o.id, o.name, m.role, m.id FROM members m "
         "JOIN bodies b ON b.id = m.body_id JOIN orgs o ON o.id = b.org_id "
         "WHERE m.user_id = $1 ORDER BY o.name, b.name");

static void read_member(struct db_stmt *s, struct member *m)
{
    memset(m, 0, sizeof *m);
    db_col_copy(s, 0, m->id, sizeof m->id);
    db_col_copy(s, 1, m->body_id, sizeof m->body_id);
    db_col_copy(s, 2, m->user_id, sizeof m->user_id);
    db_col_copy(s, 3, m->email, sizeof m->email);
    db_col_copy(s, 4, m->name, sizeof m->name);
    db_col_copy(s, 5, m->role, sizeof m->role);
    db_col_copy(s, 6, m->groups, sizeof m->groups);
    m->is_external = db_col_int(s, 7) != 0;
    db_col_copy(s, 8, m->active_from, sizeof m->active_from);
    db_col_copy(s, 9, m->active_to, sizeof m->active_to);
    m->weight_micro = db_col_int(s, 10);
}

json_t *member_to_json(const struct member *m)
{
    json_t *groups = json_loads(m->groups, 0, NULL);
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b}", "id", m->id, "body_id",
                          m->body_id, "user_id", m->user_id, "email", m->email, "name", m->name,
                          "role", m->role, "groups", groups ? groups : json_array(),
                          "is_external", m->is_external);
    json_object_set_new(j, "active_from", m->active_from[0] ? json_string(m->active_from)
                                                            : json_null());
    json_object_set_new(j, "active_to", m->active_to[0] ? json_string(m->active_to) : json_null());
    char w[WEIGHT_TEXT_SIZE];
    vote_weight_format(m->weight_micro, w, sizeof w);
    json_object_set_new(j, "weight", json_string(w));
    return j;
}

static int get_one(struct db_stmt *s, struct member *out)
{
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        read_member(s, out);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int members_add(struct db *db, struct member *m)
{
    id_new(m->id);
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, m->id);
    db_bind_text(s, 2, m->body_id);
    db_bind_text(s, 3, m->user_id);
    db_bind_text(s, 4, m->role);
    db_bind_text(s, 5, m->groups[0] ? m->groups : "[]");
    db_bind_int(s, 6, m->is_external);
    db_bind_text(s, 7, m->active_from[0] ? m->active_from : NULL);
    db_bind_text(s, 8, m->active_to[0] ? m->active_to : NULL);
    db_bind_int(s, 9, clock_now_ms());
    db_bind_text(s, 10, m->shown_name[0] ? m->shown_name : NULL);
    db_bind_int(s, 11, m->weight_micro > 0 ? m->weight_micro : WEIGHT_ONE);
    return db_run(s);
}

int members_get(struct db *db, const char *id, struct member *out)
{
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, id);
    return get_one(s, out);
}

int members_get_by_user(struct db *db, const char *body_id, const char *user_id,
                        struct member *out)
{
    struct db_stmt *s = db_prepare(db, &q_get_user);
    db_bind_text(s, 1, body_id);
    db_bind_text(s, 2, user_id);
    return get_one(s, out);
}

int members_update(struct db *db, const struct member *m)
{
    struct db_stmt *s = db_prepare(db, &q_update);
    db_bind_text(s, 1, m->id);
    db_bind_text(s, 2, m->role);
    db_bind_text(s, 3, m->groups[0] ? m->groups : "[]");
    db_bind_int(s, 4, m->is_external);
    db_bind_text(s, 5, m->active_from[0] ? m->active_from : NULL);
    db_bind_text(s, 6, m->active_to[0] ? m->active_to : NULL);
    db_bind_int(s, 7, m->weight_micro > 0 ? m->weight_micro : WEIGHT_ONE);
    return db_run(s);
}

int members_remove(struct db *db, const char *id)
{
    struct db_stmt *s = db_prepare(db, &q_delete);
    db_bind_text(s, 1, id);
    int rc = db_run(s);
    return rc ? rc : db_changes(db) ? 0 : OBR_ENOTFOUND;
}

bool members_has_email(struct db *db, const char *body_id, const char *email)
{
    struct db_stmt *s = db_prepare(db, &q_has_email);
    db_bind_text(s, 1, body_id);
    db_bind_text(s, 2, email);
    bool has = db_step(s) == DB_ROW;
    db_stmt_done(s);
    return has;
}

json_t *members_list_json(struct db *db, const char *body_id)
{
    struct db_stmt *s = db_prepare(db, &q_list);
    db_bind_text(s, 1, body_id);
    json_t *list = json_array();
    struct member m;
    while (db_step(s) == DB_ROW) {
        read_member(s, &m);
        json_array_append_new(list, member_to_json(&m));
    }
    db_stmt_done(s);
    return list;
}

json_t *members_bodies_of_user_json(struct db *db, const char *user_id)
{
    struct db_stmt *s = db_prepare(db, &q_bodies_of_user);
    db_bind_text(s, 1, user_id);
    json_t *list = json_array();
    while (db_step(s) == DB_ROW)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "body_id",
                                              db_col_text(s, 0), "body_name", db_col_text(s, 1),
                                              "org_id", db_col_text(s, 2), "org_name",
                                              db_col_text(s, 3), "role", db_col_text(s, 4),
                                              "member_id", db_col_text(s, 5)));
    db_stmt_done(s);
    return list;
}

void org_shown_name(struct db *db, const char *org_id, const struct user *u, const char *typed,
                    char *out, size_t size)
{
    out[0] = '\0';
    if (typed && strcmp(u->name, typed) && !participants_user_in_org(db, org_id, u->id))
        snprintf(out, size, "%s", typed);
}
