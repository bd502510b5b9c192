/* test_store_contract.c — the store's contract, one suite for every backend:
 * run plain it uses SQLite, with OBRADY_TEST_PG (make test-store-pg) a fresh
 * PostgreSQL database per test. The db.h API (values, placeholders, errors,
 * transactions, the writer lock across connections, RETURNING, the schema
 * version), the directory and sign-in repositories, documents, deadlines,
 * proxies (their ballots, their documents kept by the file sweep), and a meeting's and an organisation's audit log (the hash-chained event log). */
#include "testutil.h"
#include "scratch_table.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>

#include "log/eventlog.h"
#include "store/auth.h"
#include "store/db_util.h"
#include "store/directory.h"
#include "store/documents.h"
#include "store/files.h"
#include "store/meetings.h"
#include "store/migrations.h"
#include "store/proxies.h"
#include "store/votes.h"
#include "util/clock.h"

struct fx {
    char *dir;
    char where[700];
    struct db_config cfg;
    struct db *db;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->dir = testutil_tmpdir();
    assert_non_null(fx->dir);
    fx->cfg = testutil_db_config(fx->dir, true, fx->where, sizeof fx->where);
    assert_int_equal(db_open(&fx->cfg, &fx->db), 0);
    assert_int_equal(db_migrate(fx->db), 0);
    assert_int_equal(db_exec(fx->db, "CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, b BYTEA, "
                                     "s TEXT, parent TEXT REFERENCES t(id))"),
                     0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    db_close(fx->db);
    testutil_rmdir(fx->dir);
    free(fx);
    return 0;
}

static bool is_pg(void)
{
    return testutil_pg_base() != NULL;
}

DB_QUERY(q_select, "contract_select", "SELECT n, b, s, id FROM t WHERE id = $1");
DB_QUERY(q_reorder, "contract_reorder",
         "SELECT id FROM t WHERE n = $2 AND id = $1 AND (s = $3 OR $3 IS NULL) AND n = $2");
DB_QUERY(q_bump, "contract_bump", "UPDATE t SET n = n + 1 WHERE n >= $1");
DB_QUERY(q_returning, "contract_returning",
         "INSERT INTO t (id, n) VALUES ($1, $2) RETURNING n * 2, id");
DB_QUERY(q_child, "contract_child", "INSERT INTO t (id, parent) VALUES ($1, $2)");

/* ---- the schema ---- */

static void test_backend_is_the_one_asked_for(void **state)
{
    struct fx *fx = *state;
    assert_string_equal(db_backend_name(fx->db), is_pg() ? "postgresql" : "sqlite");
    assert_int_equal(db_ping(fx->db), 0);
}

static void test_schema_version_is_latest_and_migrate_is_idempotent(void **state)
{
    struct fx *fx = *state;
    int v = -1;
    assert_int_equal(db_schema_version(fx->db, &v), 0);
    int latest = is_pg() ? db_pg_migrations[db_pg_migrations_count - 1].version
                         : db_migrations[db_migrations_count - 1].version;
    assert_int_equal(v, latest);
    assert_int_equal(db_migrate(fx->db), 0);
    assert_int_equal(db_schema_version(fx->db, &v), 0);
    assert_int_equal(v, latest);
}

static void test_newer_schema_is_refused_naming_both_versions(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_exec(fx->db, "INSERT INTO schema_migrations VALUES (999999, 'future', 0)"),
                     0);
    assert_int_equal(db_migrate(fx->db), OBR_ECONFLICT);
    assert_non_null(strstr(db_last_error(), "999999"));
    char known[32];
    snprintf(known, sizeof known, "%d", db_migrations[db_migrations_count - 1].version);
    assert_non_null(strstr(db_last_error(), known));
}

/* ---- values and placeholders ---- */

static void test_roundtrip_text_int_blob_null(void **state)
{
    struct fx *fx = *state;
    const unsigned char blob[] = {0, 1, 0xff, '\\', 'x', 0};
    struct db_stmt *s = db_prepare(fx->db, &q_insert);
    assert_int_equal(db_bind_text(s, 1, "zażółć"), 0);
    assert_int_equal(db_bind_int(s, 2, INT64_MIN + 1), 0);
    assert_int_equal(db_bind_blob(s, 3, blob, sizeof blob), 0);
    assert_int_equal(db_bind_text(s, 4, "it's \"quoted\" $1"), 0);
    assert_int_equal(db_run(s), 0);
    assert_int_equal(insert_row(fx->db, "empty", 7), 0);

    s = db_prepare(fx->db, &q_select);
    assert_int_equal(db_bind_text(s, 1, "zażółć"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_int(s, 0) == INT64_MIN + 1);
    size_t len = 0;
    const unsigned char *b = db_col_blob(s, 1, &len);
    assert_int_equal(len, sizeof blob);
    assert_memory_equal(b, blob, sizeof blob);
    assert_string_equal(db_col_text(s, 2), "it's \"quoted\" $1");
    assert_string_equal(db_col_text(s, 3), "zażółć");
    assert_int_equal(db_step(s), DB_DONE);
    db_stmt_done(s);

    s = db_prepare(fx->db, &q_select);
    assert_int_equal(db_bind_text(s, 1, "empty"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_is_null(s, 1));
    assert_null(db_col_blob(s, 1, &len));
    assert_int_equal(len, 0);
    assert_null(db_col_text(s, 2));
    db_stmt_done(s);
}

static void test_empty_blob_is_not_null(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_insert);
    assert_int_equal(db_bind_text(s, 1, "e"), 0);
    assert_int_equal(db_bind_int(s, 2, 0), 0);
    assert_int_equal(db_bind_blob(s, 3, "", 0), 0);
    assert_int_equal(db_bind_null(s, 4), 0);
    assert_int_equal(db_run(s), 0);
    s = db_prepare(fx->db, &q_select);
    assert_int_equal(db_bind_text(s, 1, "e"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    size_t len = 9;
    assert_false(db_col_is_null(s, 1));
    assert_non_null(db_col_blob(s, 1, &len));
    assert_int_equal(len, 0);
    db_stmt_done(s);
}

static void test_textn_binds_only_len_bytes(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_insert);
    assert_int_equal(db_bind_textn(s, 1, "abcdef", 3), 0);
    assert_int_equal(db_bind_int(s, 2, 1), 0);
    assert_int_equal(db_bind_null(s, 3), 0);
    assert_int_equal(db_bind_null(s, 4), 0);
    assert_int_equal(db_run(s), 0);
    s = db_prepare(fx->db, &q_select);
    assert_int_equal(db_bind_text(s, 1, "abc"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    db_stmt_done(s);
}

static void test_placeholders_out_of_order_and_repeated(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(insert_row(fx->db, "a", 5), 0);
    for (int round = 0; round < 2; round++) { /* the second use runs the cached statement */
        struct db_stmt *s = db_prepare(fx->db, &q_reorder);
        assert_int_equal(db_bind_text(s, 1, "a"), 0);
        assert_int_equal(db_bind_int(s, 2, 5), 0);
        assert_int_equal(db_bind_null(s, 3), 0);
        assert_int_equal(db_step(s), DB_ROW);
        assert_string_equal(db_col_text(s, 0), "a");
        db_stmt_done(s);
    }
}

static void test_unknown_placeholder_is_einval(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_count);
    assert_int_equal(db_bind_int(s, 1, 1), OBR_EINVAL);
    db_stmt_done(s);
    assert_int_equal(db_bind_int(NULL, 1, 1), OBR_EDB);
    assert_int_equal(db_step(NULL), OBR_EDB);
}

static void test_returning_and_changes(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_returning);
    assert_int_equal(db_bind_text(s, 1, "r"), 0);
    assert_int_equal(db_bind_int(s, 2, 21), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 42);
    assert_string_equal(db_col_text(s, 1), "r");
    db_stmt_done(s);
    assert_int_equal(insert_row(fx->db, "x", 1), 0);
    assert_int_equal(insert_row(fx->db, "y", 100), 0);
    s = db_prepare(fx->db, &q_bump);
    assert_int_equal(db_bind_int(s, 1, 20), 0);
    assert_int_equal(db_run(s), 0);
    assert_int_equal(db_changes(fx->db), 2);
    (void)count_rows(fx->db); /* a SELECT leaves the count alone */
    assert_int_equal(db_changes(fx->db), 2);
}

/* ---- errors ---- */

static void test_duplicate_key_is_eexists_and_rollback_recovers(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(insert_row(fx->db, "d", 1), 0);
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(insert_row(fx->db, "d", 2), OBR_EEXISTS);
    assert_int_equal(db_rollback(fx->db), 0);
    assert_false(db_in_transaction(fx->db));
    assert_int_equal(insert_row(fx->db, "e", 1), 0);
    assert_int_equal(count_rows(fx->db), 2);
}

static void test_foreign_key_violation_is_edb(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_child);
    assert_int_equal(db_bind_text(s, 1, "c"), 0);
    assert_int_equal(db_bind_text(s, 2, "no-such-parent"), 0);
    assert_int_equal(db_run(s), OBR_EDB);
}

DB_QUERY(q_bad_sql, "contract_bad_sql", "SELECT nonsense FROM no_such_table");

static void test_bad_sql_fails_without_crashing(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_bad_sql);
    int rc = s ? db_step(s) : OBR_EDB; /* SQLite refuses at prepare, PostgreSQL at the step */
    db_stmt_done(s);
    assert_int_equal(rc, OBR_EDB);
    assert_int_equal(db_ping(fx->db), 0);
}

/* ---- transactions ---- */

static void test_rollback_discards_and_commit_keeps(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_rollback(fx->db), 0); /* outside a transaction: a no-op */
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_true(db_in_transaction(fx->db));
    assert_int_equal(db_begin_write(fx->db), OBR_EINVAL); /* no nesting */
    assert_int_equal(insert_row(fx->db, "gone", 1), 0);
    assert_int_equal(db_rollback(fx->db), 0);
    assert_int_equal(count_rows(fx->db), 0);
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(insert_row(fx->db, "kept", 1), 0);
    assert_int_equal(db_commit(fx->db), 0);
    struct db *other = NULL;
    assert_int_equal(db_open(&fx->cfg, &other), 0);
    assert_int_equal(count_rows(other), 1);
    db_close(other);
}

struct writer {
    const struct db_config *cfg;
    int64_t rows_seen; /* once it had the write lock */
    int err;
};

static void *second_writer(void *p)
{
    struct writer *w = p;
    struct db *db = NULL;
    w->err = db_open(w->cfg, &db);
    if (!w->err)
        w->err = db_begin_write(db);
    if (!w->err) {
        w->rows_seen = count_rows(db);
        w->err = insert_row(db, "second", 2);
    }
    if (!w->err)
        w->err = db_commit(db);
    db_close(db);
    return NULL;
}

/* Two writers on two connections (as on two nodes) take turns: the second
 * waits for the first's commit and then sees its row. */
static void test_writers_on_two_connections_take_turns(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(insert_row(fx->db, "first", 1), 0);
    struct writer w = {.cfg = &fx->cfg, .err = -1};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, second_writer, &w), 0);
    usleep(300 * 1000);
    assert_int_equal(db_commit(fx->db), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(w.err, 0);
    assert_int_equal(w.rows_seen, 1);
    assert_int_equal(count_rows(fx->db), 2);
}

static void test_read_transaction_sees_one_snapshot(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(insert_row(fx->db, "a", 1), 0);
    assert_true(db_sees_latest_commits(fx->db));
    assert_int_equal(db_begin(fx->db), 0);
    assert_int_equal(count_rows(fx->db), 1);
    struct db *other = NULL;
    assert_int_equal(db_open(&fx->cfg, &other), 0);
    assert_int_equal(insert_row(other, "b", 2), 0);
    db_close(other);
    assert_false(db_sees_latest_commits(fx->db));
    assert_int_equal(count_rows(fx->db), 1);
    assert_int_equal(db_commit(fx->db), 0);
    assert_int_equal(count_rows(fx->db), 2);
}

/* ---- repositories ---- */

static void make_people(struct db *db, struct user *u, struct org *o, struct body *b)
{
    assert_int_equal(users_create(db, "ala@example.org", "Ala Nowak", "pl", false, u), 0);
    *o = (struct org){.retention_days = 92};
    snprintf(o->name, sizeof o->name, "Gmina");
    snprintf(o->time_zone, sizeof o->time_zone, "Europe/Warsaw");
    snprintf(o->default_lang, sizeof o->default_lang, "pl");
    snprintf(o->email_domains, sizeof o->email_domains, "[]");
    assert_int_equal(orgs_create(db, o), 0);
    *b = (struct body){.statutory_size = 15, .vote_duration_s = 600};
    snprintf(b->org_id, sizeof b->org_id, "%s", o->id);
    snprintf(b->name, sizeof b->name, "Rada");
    snprintf(b->kind, sizeof b->kind, "council");
    snprintf(b->quorum_rule, sizeof b->quorum_rule, "half_statutory");
    assert_int_equal(bodies_create(db, b), 0);
}

static void test_directory_repositories(void **state)
{
    struct fx *fx = *state;
    uint64_t gen = db_directory_generation();
    struct user u, got;
    struct org o, og;
    struct body b, bg;
    make_people(fx->db, &u, &o, &b);
    assert_true(db_directory_generation() > gen);
    assert_int_equal(users_get_by_email(fx->db, "ala@example.org", &got), 0);
    assert_string_equal(got.id, u.id);
    struct user again;
    assert_int_equal(users_ensure(fx->db, "ala@example.org", "X", "en", &again), 0);
    assert_string_equal(again.id, u.id);
    assert_int_equal(users_create(fx->db, "ala@example.org", "Y", "pl", false, &again),
                     OBR_EEXISTS);
    assert_int_equal(users_update_profile(fx->db, u.id, "Ala Kowalska", "en"), 0);
    assert_int_equal(users_set_instance_admin(fx->db, u.id, true), 0);
    assert_int_equal(users_set_totp(fx->db, u.id, "JBSWY3DPEHPK3PXP", true), 0);
    assert_int_equal(users_set_totp_last_step(fx->db, u.id, 123456789012LL), 0);
    assert_int_equal(users_get(fx->db, u.id, &got), 0);
    assert_string_equal(got.name, "Ala Kowalska");
    assert_string_equal(got.lang, "en");
    assert_true(got.is_instance_admin && got.is_totp_enabled);
    assert_true(got.totp_last_step == 123456789012LL);
    assert_int_equal(users_count(fx->db), 1);

    assert_int_equal(orgs_get(fx->db, o.id, &og), 0);
    assert_string_equal(og.name, "Gmina");
    snprintf(og.email_domains, sizeof og.email_domains, "[\"example.org\"]");
    assert_int_equal(orgs_update(fx->db, &og), 0);
    json_t *list = orgs_list_json(fx->db, NULL, true);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(staff_set(fx->db, o.id, u.id, STAFF_OPERATOR), 0);
    assert_int_equal(staff_set(fx->db, o.id, u.id, STAFF_ADMIN), 0); /* ON CONFLICT updates */
    assert_int_equal(staff_role_of(fx->db, o.id, u.id), STAFF_ADMIN);
    list = staff_list_json(fx->db, o.id);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(staff_remove(fx->db, o.id, u.id), 0);
    assert_int_equal(staff_role_of(fx->db, o.id, u.id), STAFF_NONE);

    assert_int_equal(bodies_get(fx->db, b.id, &bg), 0);
    bg.statutory_size = 21;
    assert_int_equal(bodies_update(fx->db, &bg), 0);
    assert_int_equal(bodies_get(fx->db, b.id, &bg), 0);
    assert_int_equal(bg.statutory_size, 21);
    struct member m = {0};
    snprintf(m.body_id, sizeof m.body_id, "%s", b.id);
    snprintf(m.user_id, sizeof m.user_id, "%s", u.id);
    snprintf(m.role, sizeof m.role, "chair");
    snprintf(m.groups, sizeof m.groups, "[\"A\"]");
    gen = db_directory_generation();
    assert_int_equal(members_add(fx->db, &m), 0);
    assert_true(db_directory_generation() > gen);
    struct member dup = m;
    assert_int_equal(members_add(fx->db, &dup), OBR_EEXISTS);
    assert_true(members_has_email(fx->db, b.id, "ala@example.org"));
    list = members_list_json(fx->db, b.id);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(members_remove(fx->db, m.id), 0);
    assert_false(members_has_email(fx->db, b.id, "ala@example.org"));
}

static void test_sign_in_repositories(void **state)
{
    struct fx *fx = *state;
    struct user u;
    assert_int_equal(users_create(fx->db, "b@example.org", "B", "pl", false, &u), 0);
    char h1[TOKEN_HASH_HEX + 1], h2[TOKEN_HASH_HEX + 1];
    memset(h1, 'a', TOKEN_HASH_HEX);
    memset(h2, 'b', TOKEN_HASH_HEX);
    h1[TOKEN_HASH_HEX] = h2[TOKEN_HASH_HEX] = '\0';
    int64_t later = clock_now_ms() + 600000;
    assert_int_equal(login_codes_put(fx->db, "b@example.org", h1, later), 0);
    assert_int_equal(login_codes_put(fx->db, "b@example.org", h2, later), 0); /* replaces */
    assert_int_equal(login_codes_add_try(fx->db, "b@example.org"), 0);
    struct login_code lc;
    assert_int_equal(login_codes_get(fx->db, "b@example.org", &lc), 0);
    assert_string_equal(lc.code_hash, h2);
    assert_int_equal(lc.tries, 1);
    assert_int_equal(login_codes_delete(fx->db, "b@example.org"), 0);
    assert_int_equal(login_codes_get(fx->db, "b@example.org", &lc), OBR_ENOTFOUND);

    char sid[ID_SIZE];
    assert_int_equal(sessions_create(fx->db, h1, u.id, true, later, "ua", "127.0.0.1", sid), 0);
    struct session s;
    assert_int_equal(sessions_get_by_token(fx->db, h1, &s), 0);
    assert_string_equal(s.id, sid);
    assert_true(s.is_totp_pending);
    assert_int_equal(sessions_clear_totp_pending(fx->db, sid), 0);
    assert_int_equal(sessions_touch(fx->db, sid, clock_now_ms()), 0);
    assert_int_equal(sessions_get_by_token(fx->db, h1, &s), 0);
    assert_false(s.is_totp_pending);
    json_t *list = sessions_list_json(fx->db, u.id, sid);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(sessions_delete(fx->db, u.id, sid), 0);
    assert_int_equal(sessions_get_by_token(fx->db, h1, &s), OBR_ENOTFOUND);

    char codes[2][TOKEN_HASH_HEX + 1];
    memcpy(codes[0], h1, sizeof codes[0]);
    memcpy(codes[1], h2, sizeof codes[1]);
    assert_int_equal(recovery_codes_replace(fx->db, u.id, codes, 2), 0);
    assert_int_equal(recovery_codes_use(fx->db, u.id, h1, clock_now_ms()), 0);
    assert_int_equal(recovery_codes_use(fx->db, u.id, h1, clock_now_ms()), OBR_ENOTFOUND);
    assert_int_equal(access_links_create(fx->db, h2, "m1", u.id), 0);
    char mid[ID_SIZE], uid[ID_SIZE];
    int64_t made_ms = 0, before_ms = clock_now_ms();
    assert_int_equal(access_links_get(fx->db, h2, mid, uid, &made_ms), 0);
    assert_string_equal(mid, "m1");
    assert_string_equal(uid, u.id);
    assert_true(made_ms > 0 && made_ms <= before_ms); /* links expire by age (issue 18) */
}

static void test_documents_and_deadlines(void **state)
{
    struct fx *fx = *state;
    struct user u;
    struct org o;
    struct body b;
    make_people(fx->db, &u, &o, &b);
    struct meeting m = {.starts_at_ms = 1800000000000LL, .reminder_days = 7};
    snprintf(m.body_id, sizeof m.body_id, "%s", b.id);
    snprintf(m.title, sizeof m.title, "Sesja");
    snprintf(m.mode, sizeof m.mode, "remote");
    assert_int_equal(meetings_create(fx->db, &m), 0);
    struct document d = {.size_bytes = 5000000000LL};
    snprintf(d.meeting_id, sizeof d.meeting_id, "%s", m.id);
    snprintf(d.filename, sizeof d.filename, "uchwała.pdf");
    snprintf(d.content_type, sizeof d.content_type, "application/pdf");
    memset(d.sha256, 'c', DOC_SHA256_HEX);
    assert_int_equal(documents_add(fx->db, &d), 0);
    struct document dg;
    assert_int_equal(documents_get(fx->db, d.id, &dg), 0);
    assert_string_equal(dg.filename, "uchwała.pdf");
    assert_true(dg.size_bytes == 5000000000LL);
    json_t *list = documents_list_json(fx->db, m.id);
    assert_int_equal(json_array_size(list), 1);
    json_decref(list);
    assert_int_equal(documents_remove(fx->db, d.id), 0);
    list = documents_list_json(fx->db, m.id);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);

    assert_int_equal(deadlines_add(fx->db, m.id, "vote", "v1", 2000), 0);
    assert_int_equal(deadlines_add(fx->db, m.id, "vote", "v2", 1000), 0);
    assert_int_equal(deadlines_next_ms(fx->db), 1000);
    struct deadline due[4];
    int n = 0;
    assert_int_equal(deadlines_due(fx->db, 1500, due, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(due[0].ref_id, "v2");
    assert_int_equal(deadlines_done(fx->db, m.id, "vote", "v2", 1500), 0);
    assert_int_equal(deadlines_due(fx->db, 5000, due, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(due[0].ref_id, "v1");
}

/* Proxies (migration 0024): add, read back, the active list, revocation
 * once, the listing with names, and a holder's ballot found as the
 * grantor's counted one. */
static void test_proxies_and_their_ballots(void **state)
{
    struct fx *fx = *state;
    struct user u, g;
    struct org o;
    struct body b;
    make_people(fx->db, &u, &o, &b);
    assert_int_equal(users_create(fx->db, "bolek@example.org", "Bolesław Lis", "pl", false, &g), 0);
    struct meeting m = {.starts_at_ms = 1800000000000LL, .reminder_days = 7};
    snprintf(m.body_id, sizeof m.body_id, "%s", b.id);
    snprintf(m.title, sizeof m.title, "Zgromadzenie");
    snprintf(m.mode, sizeof m.mode, "remote");
    assert_int_equal(meetings_create(fx->db, &m), 0);

    struct proxy p = {.size_bytes = 3000000000LL, .created_ms = 1000};
    snprintf(p.body_id, sizeof p.body_id, "%s", b.id);
    snprintf(p.grantor_id, sizeof p.grantor_id, "%s", g.id);
    snprintf(p.holder_id, sizeof p.holder_id, "%s", u.id);
    snprintf(p.valid_from, sizeof p.valid_from, "2027-01-15");
    snprintf(p.valid_until, sizeof p.valid_until, "2027-01-15");
    snprintf(p.meeting_id, sizeof p.meeting_id, "%s", m.id);
    snprintf(p.filename, sizeof p.filename, "pełnomocnictwo.pdf");
    snprintf(p.content_type, sizeof p.content_type, "application/pdf");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)"signed", 6);
    hex_encode(p.sha256, digest, sizeof digest);
    snprintf(p.created_by, sizeof p.created_by, "%s", u.id);
    snprintf(p.created_by_name, sizeof p.created_by_name, "Biuro Rady");
    assert_int_equal(proxies_add(fx->db, &p), 0);
    struct proxy q = p;
    q.meeting_id[0] = '\0'; /* a range of days */
    snprintf(q.valid_until, sizeof q.valid_until, "2027-12-31");
    q.created_ms = 2000;
    assert_int_equal(proxies_add(fx->db, &q), 0);

    struct proxy got;
    assert_int_equal(proxies_get(fx->db, p.id, &got), 0);
    assert_string_equal(got.filename, "pełnomocnictwo.pdf");
    assert_string_equal(got.meeting_id, m.id);
    assert_true(got.size_bytes == 3000000000LL);
    assert_int_equal(got.revoked_ms, 0);
    assert_int_equal(proxies_get(fx->db, "nope", &got), OBR_ENOTFOUND);
    /* The document's blob is referenced: the sweep of old blobs keeps it. */
    assert_int_equal(files_put_mem(fx->db, p.sha256, "signed", 6), 0);
    assert_int_equal(db_exec(fx->db, "UPDATE file_blobs SET touched_ms = 1000"), 0);
    int removed = -1;
    assert_int_equal(files_sweep(fx->db, 10, &removed), 0);
    assert_int_equal(removed, 0);
    assert_int_equal(files_touch(fx->db, p.sha256, NULL), 0);

    struct proxy *all = NULL;
    size_t n = 0;
    assert_int_equal(proxies_active(fx->db, b.id, &all, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(all[0].id, p.id);
    assert_string_equal(all[1].meeting_id, "");
    free(all);

    assert_int_equal(proxies_revoke(fx->db, q.id, u.id, "Biuro Rady", 3000), 0);
    assert_int_equal(proxies_revoke(fx->db, q.id, u.id, "Biuro Rady", 4000), OBR_ENOTFOUND);
    assert_int_equal(proxies_active(fx->db, b.id, &all, &n), 0);
    assert_int_equal(n, 1);
    free(all);
    json_t *list = proxies_list_json(fx->db, b.id);
    assert_int_equal(json_array_size(list), 2);
    json_t *first = json_array_get(list, 0); /* newest first: the revoked one */
    assert_string_equal(json_string_value(json_object_get(first, "grantor_name")), "Bolesław Lis");
    assert_int_equal(json_integer_value(json_object_get(first, "revoked_at")), 3000);
    assert_true(json_is_null(json_object_get(json_array_get(list, 1), "revoked_at")));
    json_decref(list);

    struct vote v = {0};
    snprintf(v.meeting_id, sizeof v.meeting_id, "%s", m.id);
    snprintf(v.title, sizeof v.title, "Uchwała");
    snprintf(v.kind, sizeof v.kind, "open");
    snprintf(v.method, sizeof v.method, "yes_no_abstain");
    snprintf(v.majority, sizeof v.majority, "simple");
    v.duration_s = 60;
    assert_int_equal(votes_create(fx->db, &v), 0);
    assert_int_equal(ballots_add(fx->db, v.id, "ballot-own-1", u.id, "yes", 10), 0);
    assert_int_equal(ballots_add(fx->db, v.id, "ballot-proxy-1", g.id, "no", 20), 0);
    assert_int_equal(proxy_ballots_add(fx->db, v.id, "ballot-proxy-1", g.id, u.id, "Ala Nowak", p.id, 20), 0);
    json_t *by = proxy_ballots_counted_json(fx->db, v.id);
    assert_int_equal(json_object_size(by), 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(by, g.id), "cast_by")), u.id);
    json_decref(by);
    vote_clear(&v);
}

/* ---- the event log: a meeting's and an organisation's (audit) ---- */

static void test_event_logs_chain_per_log(void **state)
{
    struct fx *fx = *state;
    const char *logs[] = {"meeting-1", "org-1"};
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 2; i++) {
            struct log_tx tx;
            assert_int_equal(log_tx_begin(&tx, fx->db, NULL), 0);
            json_t *p = json_pack("{s:i, s:s}", "round", round, "text", "zażółć");
            assert_int_equal(log_append(&tx, logs[i], "user-1", "test.event", p,
                                        i ? EVENT_STAFF : EVENT_PUBLIC, NULL),
                             0);
            json_decref(p);
            assert_int_equal(log_tx_commit(&tx), 0);
        }
    for (int i = 0; i < 2; i++) {
        struct log_verify_result r;
        assert_int_equal(log_verify(fx->db, logs[i], &r), 0);
        assert_int_equal(r.events, 3);
        assert_int_equal(r.bad_seq, 0);
        int64_t seq = 0;
        char head[EVENT_HASH_HEX + 1];
        assert_int_equal(log_head(fx->db, logs[i], &seq, head), 0);
        assert_int_equal(seq, 3);
        assert_string_equal(head, r.head);
        struct event *ev[4];
        int n = 0;
        assert_int_equal(log_read(fx->db, logs[i], 2, ev, 4, &n), 0);
        assert_int_equal(n, 2);
        assert_int_equal(ev[0]->seq, 2);
        for (int k = 0; k < n; k++)
            event_unref(ev[k]);
    }
}

static void test_rolled_back_append_leaves_no_event(void **state)
{
    struct fx *fx = *state;
    struct log_tx tx;
    assert_int_equal(log_tx_begin(&tx, fx->db, NULL), 0);
    json_t *p = json_object();
    assert_int_equal(log_append(&tx, "meeting-2", "u", "test.gone", p, EVENT_PUBLIC, NULL), 0);
    json_decref(p);
    log_tx_rollback(&tx);
    int64_t seq = -1;
    char head[EVENT_HASH_HEX + 1];
    int rc = log_head(fx->db, "meeting-2", &seq, head);
    assert_true(rc == OBR_ENOTFOUND || (rc == 0 && seq == 0));
}

/* Group commit: a deferred commit names what to sync (the SQLite file or the
 * PostgreSQL URL) exactly once, and syncing it succeeds; an ordinary commit
 * needs no sync on PostgreSQL (it waited for its own flush). */
static void test_deferred_commit_names_its_sync_once(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_set_deferred_sync(fx->db, true), 0);
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(insert_row(fx->db, "deferred", 1), 0);
    assert_int_equal(db_commit(fx->db), 0);
    assert_int_equal(db_set_deferred_sync(fx->db, false), 0);
    char *what = db_sync_path_of(fx->db);
    if (is_pg()) {
        assert_non_null(what);
        assert_true(db_url_is_postgres(what));
        assert_null(db_sync_path_of(fx->db)); /* handed out once */
    }
    assert_int_equal(db_sync_path(what), 0);
    free(what);
    assert_int_equal(count_rows(fx->db), 1);
    if (is_pg()) {
        assert_int_equal(db_begin_write(fx->db), 0);
        assert_int_equal(insert_row(fx->db, "plain", 2), 0);
        assert_int_equal(db_commit(fx->db), 0);
        assert_null(db_sync_path_of(fx->db));
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_backend_is_the_one_asked_for),
        T(test_schema_version_is_latest_and_migrate_is_idempotent),
        T(test_newer_schema_is_refused_naming_both_versions),
        T(test_roundtrip_text_int_blob_null),
        T(test_empty_blob_is_not_null),
        T(test_textn_binds_only_len_bytes),
        T(test_placeholders_out_of_order_and_repeated),
        T(test_unknown_placeholder_is_einval),
        T(test_returning_and_changes),
        T(test_duplicate_key_is_eexists_and_rollback_recovers),
        T(test_foreign_key_violation_is_edb),
        T(test_bad_sql_fails_without_crashing),
        T(test_rollback_discards_and_commit_keeps),
        T(test_writers_on_two_connections_take_turns),
        T(test_read_transaction_sees_one_snapshot),
        T(test_deferred_commit_names_its_sync_once),
        T(test_directory_repositories),
        T(test_sign_in_repositories),
        T(test_documents_and_deadlines),
        T(test_proxies_and_their_ballots),
        T(test_event_logs_chain_per_log),
        T(test_rolled_back_append_leaves_no_event),
    };
#undef T
    return cmocka_run_group_tests_name(getenv("OBRADY_TEST_PG") ? "store contract (postgresql)"
                                                                : "store contract (sqlite)",
                                       tests, NULL, NULL);
}
