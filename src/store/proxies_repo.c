/* proxies_repo.c — proxies and the ballots their holders cast (store/
 * proxies.h; migration 0024). Plain rows: which proxy may be registered and
 * which ballot a holder may cast is decided in api/proxies.c and
 * api/vote_proxy.c. */
#include <stdlib.h>
#include <string.h>

#include "store/db_util.h"
#include "store/proxies.h"
#include "util/ids.h"

#define PROXY_COLS                                                                                 \
    "p.id, p.body_id, p.grantor_id, p.holder_id, p.meeting_id, p.valid_from, p.valid_until, "      \
    "p.filename, p.content_type, p.sha256, p.size_bytes, p.created_by, p.created_by_name, "        \
    "p.created_ms, p.revoked_by_name, p.revoked_ms"

DB_QUERY(q_add, "proxies_add",
         "INSERT INTO proxies (id, body_id, grantor_id, holder_id, meeting_id, valid_from, "
         "valid_until, filename, content_type, sha256, size_bytes, created_by, created_by_name, "
         "created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)");
DB_QUERY(q_get, "proxies_get", "SELECT " PROXY_COLS " FROM proxies p WHERE p.id = $1");
DB_QUERY(q_revoke, "proxies_revoke",
         "UPDATE proxies SET revoked_by = $2, revoked_by_name = $3, revoked_ms = $4 "
         "WHERE id = $1 AND revoked_ms IS NULL");
DB_QUERY(q_active, "proxies_active",
         "SELECT " PROXY_COLS " FROM proxies p WHERE p.body_id = $1 AND p.revoked_ms IS NULL "
         "ORDER BY p.created_ms, p.id LIMIT $2");
DB_QUERY(q_list, "proxies_list",
         "SELECT " PROXY_COLS ", COALESCE((SELECT m.shown_name FROM members m WHERE m.body_id = "
         "p.body_id AND m.user_id = p.grantor_id AND m.shown_name IS NOT NULL LIMIT 1), gu.name), "
         "COALESCE((SELECT m.shown_name FROM members m WHERE m.body_id = p.body_id AND m.user_id = "
         "p.holder_id AND m.shown_name IS NOT NULL LIMIT 1), hu.name) FROM proxies p "
         "LEFT JOIN users gu ON gu.id = p.grantor_id LEFT JOIN users hu ON hu.id = p.holder_id "
         "WHERE p.body_id = $1 ORDER BY p.created_ms DESC, p.id LIMIT 5000");
DB_QUERY(q_ballot_add, "proxy_ballots_add",
         "INSERT INTO proxy_ballots (vote_id, ballot_id, user_id, cast_by, cast_by_name, "
         "proxy_id, cast_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)");
DB_QUERY(q_counted, "proxy_ballots_counted",
         "SELECT b.user_id, x.cast_by, x.cast_by_name FROM ballots_current b JOIN proxy_ballots x "
         "ON x.vote_id = b.vote_id AND x.ballot_id = b.ballot_id WHERE b.vote_id = $1");

static void read_proxy(struct db_stmt *s, struct proxy *p)
{
    memset(p, 0, sizeof *p);
    db_col_copy(s, 0, p->id, sizeof p->id);
    db_col_copy(s, 1, p->body_id, sizeof p->body_id);
    db_col_copy(s, 2, p->grantor_id, sizeof p->grantor_id);
    db_col_copy(s, 3, p->holder_id, sizeof p->holder_id);
    db_col_copy(s, 4, p->meeting_id, sizeof p->meeting_id);
    db_col_copy(s, 5, p->valid_from, sizeof p->valid_from);
    db_col_copy(s, 6, p->valid_until, sizeof p->valid_until);
    db_col_copy(s, 7, p->filename, sizeof p->filename);
    db_col_copy(s, 8, p->content_type, sizeof p->content_type);
    db_col_copy(s, 9, p->sha256, sizeof p->sha256);
    p->size_bytes = db_col_int(s, 10);
    db_col_copy(s, 11, p->created_by, sizeof p->created_by);
    db_col_copy(s, 12, p->created_by_name, sizeof p->created_by_name);
    p->created_ms = db_col_int(s, 13);
    db_col_copy(s, 14, p->revoked_by_name, sizeof p->revoked_by_name);
    p->revoked_ms = db_col_is_null(s, 15) ? 0 : db_col_int(s, 15);
}

int proxies_add(struct db *db, struct proxy *p)
{
    id_new(p->id);
    struct db_stmt *s = db_prepare(db, &q_add);
    db_bind_text(s, 1, p->id);
    db_bind_text(s, 2, p->body_id);
    db_bind_text(s, 3, p->grantor_id);
    db_bind_text(s, 4, p->holder_id);
    db_bind_text(s, 5, p->meeting_id[0] ? p->meeting_id : NULL);
    db_bind_text(s, 6, p->valid_from);
    db_bind_text(s, 7, p->valid_until);
    db_bind_text(s, 8, p->filename);
    db_bind_text(s, 9, p->content_type);
    db_bind_text(s, 10, p->sha256);
    db_bind_int(s, 11, p->size_bytes);
    db_bind_text(s, 12, p->created_by);
    db_bind_text(s, 13, p->created_by_name);
    db_bind_int(s, 14, p->created_ms);
    return db_run(s);
}

int proxies_get(struct db *db, const char *id, struct proxy *out)
{
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        read_proxy(s, out);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int proxies_revoke(struct db *db, const char *id, const char *by, const char *by_name,
                   int64_t at_ms)
{
    struct db_stmt *s = db_prepare(db, &q_revoke);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, by);
    db_bind_text(s, 3, by_name);
    db_bind_int(s, 4, at_ms);
    int rc = db_run(s);
    if (!rc && db_changes(db) == 0)
        rc = OBR_ENOTFOUND;
    return rc;
}

int proxies_active(struct db *db, const char *body_id, struct proxy **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct proxy *all = calloc(PROXIES_MAX, sizeof *all);
    if (!all)
        return OBR_ENOMEM;
    struct db_stmt *s = db_prepare(db, &q_active);
    db_bind_text(s, 1, body_id);
    db_bind_int(s, 2, PROXIES_MAX);
    int rc;
    while ((rc = db_step(s)) == DB_ROW && *n < PROXIES_MAX)
        read_proxy(s, &all[(*n)++]);
    db_stmt_done(s);
    if (rc < 0) {
        free(all);
        *n = 0;
        return rc;
    }
    *out = all;
    return 0;
}

json_t *proxies_list_json(struct db *db, const char *body_id)
{
    struct db_stmt *s = db_prepare(db, &q_list);
    db_bind_text(s, 1, body_id);
    json_t *list = json_array();
    struct proxy p;
    int rc;
    while (list && (rc = db_step(s)) == DB_ROW) {
        read_proxy(s, &p);
        json_t *j = proxy_to_json(&p);
        const char *gn = db_col_text(s, 16), *hn = db_col_text(s, 17);
        json_object_set_new(j, "grantor_name", json_string(gn ? gn : ""));
        json_object_set_new(j, "holder_name", json_string(hn ? hn : ""));
        json_array_append_new(list, j);
    }
    db_stmt_done(s);
    if (list && rc < 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}

json_t *proxy_to_json(const struct proxy *p)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:{s:s, s:s, s:I}, s:s, s:I, s:o, s:o}", "id", p->id,
        "body_id", p->body_id, "grantor_id", p->grantor_id, "holder_id", p->holder_id, "meeting_id",
        p->meeting_id[0] ? json_string(p->meeting_id) : json_null(), "valid_from", p->valid_from,
        "valid_until", p->valid_until, "document", "filename", p->filename, "content_type",
        p->content_type, "size_bytes", (json_int_t)p->size_bytes, "created_by_name",
        p->created_by_name, "created_at", (json_int_t)p->created_ms, "revoked_at",
        p->revoked_ms ? json_integer(p->revoked_ms) : json_null(), "revoked_by_name",
        p->revoked_ms ? json_string(p->revoked_by_name) : json_null());
}

int proxy_ballots_add(struct db *db, const char *vote_id, const char *ballot_id,
                      const char *user_id, const char *cast_by, const char *cast_by_name,
                      const char *proxy_id, int64_t cast_ms)
{
    struct db_stmt *s = db_prepare(db, &q_ballot_add);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, ballot_id);
    db_bind_text(s, 3, user_id);
    db_bind_text(s, 4, cast_by);
    db_bind_text(s, 5, cast_by_name);
    db_bind_text(s, 6, proxy_id);
    db_bind_int(s, 7, cast_ms);
    return db_run(s);
}

json_t *proxy_ballots_counted_json(struct db *db, const char *vote_id)
{
    json_t *out = json_object();
    struct db_stmt *s = db_prepare(db, &q_counted);
    db_bind_text(s, 1, vote_id);
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW) {
        const char *uid = db_col_text(s, 0), *by = db_col_text(s, 1), *name = db_col_text(s, 2);
        if (uid && by)
            json_object_set_new(
                out, uid, json_pack("{s:s, s:s}", "cast_by", by, "cast_by_name", name ? name : ""));
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}
