/* voter_keys_repo.c — see voter_keys.h. */
#include "store/voter_keys.h"

#include <stdlib.h>
#include <string.h>

#include "store/db_util.h"

DB_QUERY(q_vk_set, "voter_keys_set",
         "INSERT INTO voter_keys (user_id, public_key, registered_at) VALUES ($1, $2, $3) "
         "ON CONFLICT (user_id) DO UPDATE SET public_key = excluded.public_key, "
         "registered_at = excluded.registered_at");
DB_QUERY(q_vk_get, "voter_keys_get",
         "SELECT public_key, registered_at FROM voter_keys WHERE user_id = $1");
DB_QUERY(q_el_add, "vote_electorate_add",
         "INSERT INTO vote_electorate (vote_id, user_id, name, public_key) VALUES ($1, $2, $3, $4)");
DB_QUERY(q_el_get, "vote_electorate_get",
         "SELECT name, public_key FROM vote_electorate WHERE vote_id = $1 AND user_id = $2");
DB_QUERY(q_el_change, "vote_electorate_change",
         "UPDATE vote_electorate SET public_key = $3, is_changed = 1 "
         "WHERE vote_id = $1 AND user_id = $2");
DB_QUERY(q_el_changes, "vote_electorate_changes",
         "SELECT name, public_key FROM vote_electorate WHERE vote_id = $1 AND is_changed = 1");

int voter_keys_set(struct db *db, const char *user_id, const char *key_hex, int64_t now_ms)
{
    struct db_stmt *s = db_prepare(db, &q_vk_set);
    db_bind_text(s, 1, user_id);
    db_bind_text(s, 2, key_hex);
    db_bind_int(s, 3, now_ms);
    return db_run(s);
}

int voter_keys_get(struct db *db, const char *user_id, char key_hex[VOTER_KEY_HEX],
                   int64_t *registered_at_ms)
{
    struct db_stmt *s = db_prepare(db, &q_vk_get);
    db_bind_text(s, 1, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, key_hex, VOTER_KEY_HEX);
        *registered_at_ms = db_col_int(s, 1);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int vote_electorate_add(struct db *db, const char *vote_id, const char *user_id,
                        const char *name, const char *key_hex)
{
    struct db_stmt *s = db_prepare(db, &q_el_add);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    db_bind_text(s, 3, name);
    if (key_hex)
        db_bind_text(s, 4, key_hex);
    else
        db_bind_null(s, 4);
    return db_run(s);
}

int vote_electorate_get(struct db *db, const char *vote_id, const char *user_id,
                        char *name, size_t name_size, char key_hex[VOTER_KEY_HEX])
{
    struct db_stmt *s = db_prepare(db, &q_el_get);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, name, name_size);
        db_col_copy(s, 1, key_hex, VOTER_KEY_HEX);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int vote_electorate_change(struct db *db, const char *vote_id, const char *user_id,
                           const char *key_hex)
{
    struct db_stmt *s = db_prepare(db, &q_el_change);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    db_bind_text(s, 3, key_hex);
    return db_run(s);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
                  json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

json_t *vote_electorate_changes_json(struct db *db, const char *vote_id)
{
    struct db_stmt *s = db_prepare(db, &q_el_changes);
    db_bind_text(s, 1, vote_id);
    json_t *out = json_array();
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW)
        json_array_append_new(out, json_pack("{s:s, s:s}", "name", db_col_text(s, 0), "key",
                                             db_col_text(s, 1)));
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    /* byte order of the names, as the specification sorts (not SQL collation) */
    size_t n = json_array_size(out);
    json_t **rows = malloc((n ? n : 1) * sizeof *rows);
    if (!rows) {
        json_decref(out);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        rows[i] = json_incref(json_array_get(out, i));
    qsort(rows, n, sizeof *rows, cmp_name);
    json_array_clear(out);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, rows[i]);
    free(rows);
    return out;
}
