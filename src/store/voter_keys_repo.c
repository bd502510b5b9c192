/* voter_keys_repo.c — see voter_keys.h. */
#include "store/voter_keys.h"

#include "store/db_util.h"

DB_QUERY(q_vk_set, "voter_keys_set",
         "INSERT INTO voter_keys (user_id, public_key, registered_at) VALUES ($1, $2, $3) "
         "ON CONFLICT (user_id) DO UPDATE SET public_key = excluded.public_key, "
         "registered_at = excluded.registered_at");
DB_QUERY(q_vk_get, "voter_keys_get",
         "SELECT public_key, registered_at FROM voter_keys WHERE user_id = $1");
DB_QUERY(q_el_add, "vote_electorate_add",
         "INSERT INTO vote_electorate (vote_id, user_id, public_key) VALUES ($1, $2, $3)");
DB_QUERY(q_el_key, "vote_electorate_key",
         "SELECT public_key FROM vote_electorate WHERE vote_id = $1 AND user_id = $2");

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
                        const char *key_hex)
{
    struct db_stmt *s = db_prepare(db, &q_el_add);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    db_bind_text(s, 3, key_hex);
    return db_run(s);
}

int vote_electorate_key(struct db *db, const char *vote_id, const char *user_id,
                        char key_hex[VOTER_KEY_HEX])
{
    struct db_stmt *s = db_prepare(db, &q_el_key);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, key_hex, VOTER_KEY_HEX);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}
