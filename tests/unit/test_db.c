/* test_db.c — the store API of db.h against SQLite: opening and migrating,
 * binding and reading every type, placeholders, errors, transactions, locking
 * between connections, the statement cache and the per-thread pool. */
#include "testutil.h"
#include "scratch_table.h"

#include <pthread.h>

#include "store/db.h"
#include "store/migrations.h"

/* ---- fixtures ---- */

struct fx {
    char *dir;
    char path[512];
    struct db *db;
};

static struct db_config config_for(const char *path, int busy_timeout_ms)
{
    struct db_config cfg = {.sqlite_path = path, .busy_timeout_ms = busy_timeout_ms};
    return cfg;
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->dir = testutil_tmpdir();
    assert_non_null(fx->dir);
    snprintf(fx->path, sizeof fx->path, "%s/obrady.db", fx->dir);
    struct db_config cfg = config_for(fx->path, 0);
    assert_int_equal(db_open(&cfg, &fx->db), 0);
    assert_int_equal(db_migrate(fx->db), 0);
    assert_int_equal(db_exec(fx->db, "CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, b BLOB, "
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

DB_QUERY(q_select, "test_select", "SELECT n, b, s, id FROM t WHERE id = $1");
DB_QUERY(q_echo, "test_echo", "SELECT $1");

/* ---- opening and migrating ---- */

static void test_open_and_migrate_creates_event_table(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_exec(fx->db, "SELECT meeting_id, seq, hash FROM events"), 0);
    assert_int_equal(db_ping(fx->db), 0);
}

static void test_schema_version_is_latest_migration(void **state)
{
    struct fx *fx = *state;
    int v = -1;
    assert_int_equal(db_schema_version(fx->db, &v), 0);
    assert_true(db_migrations_count > 0);
    assert_int_equal(v, db_migrations[db_migrations_count - 1].version);
}

static void test_schema_version_of_empty_database_is_zero(void **state)
{
    char *dir = testutil_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/empty.db", dir);
    struct db_config cfg = config_for(path, 0);
    struct db *db = NULL;
    assert_int_equal(db_open(&cfg, &db), 0);
    int v = -1;
    assert_int_equal(db_schema_version(db, &v), 0);
    assert_int_equal(v, 0);
    db_close(db);
    testutil_rmdir(dir);
}

DB_QUERY(q_migration_rows, "test_migration_rows", "SELECT count(*) FROM schema_migrations");

static void test_migrate_twice_is_noop(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_migrate(fx->db), 0);
    struct db_stmt *s = db_prepare(fx->db, &q_migration_rows);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), db_migrations_count);
    db_stmt_done(s);
}

static void test_migrate_refuses_newer_schema(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_exec(fx->db, "INSERT INTO schema_migrations VALUES (999999, 'future', 0)"),
                     0);
    assert_int_equal(db_migrate(fx->db), OBR_ECONFLICT);
}

static void test_open_fails_on_missing_directory(void **state)
{
    struct db_config cfg = config_for("/nonexistent-obrady-dir/x/obrady.db", 0);
    struct db *db = (struct db *)1;
    assert_int_equal(db_open(&cfg, &db), OBR_EIO);
    assert_null(db);
}

/* ---- values ---- */

static void test_roundtrip_text_int_blob_null(void **state)
{
    struct fx *fx = *state;
    const char polish[] = "Zażółć gęślą jaźń";
    const unsigned char blob[] = {0x00, 0xff, 0x00, 0x41, 0x00};
    struct db_stmt *s = db_prepare(fx->db, &q_insert);
    assert_int_equal(db_bind_text(s, 1, "a"), 0);
    assert_int_equal(db_bind_int(s, 2, INT64_MIN), 0);
    assert_int_equal(db_bind_blob(s, 3, blob, sizeof blob), 0);
    assert_int_equal(db_bind_text(s, 4, polish), 0);
    assert_int_equal(db_run(s), 0);
    assert_int_equal(db_changes(fx->db), 1);

    s = db_prepare(fx->db, &q_select);
    assert_int_equal(db_bind_text(s, 1, "a"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_int(s, 0) == INT64_MIN);
    size_t len = 0;
    const void *b = db_col_blob(s, 1, &len);
    assert_int_equal(len, sizeof blob);
    assert_memory_equal(b, blob, sizeof blob);
    assert_string_equal(db_col_text(s, 2), polish);
    assert_false(db_col_is_null(s, 2));
    assert_int_equal(db_step(s), DB_DONE);
    db_stmt_done(s);
}

static void test_null_values_read_as_null(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_insert);
    assert_int_equal(db_bind_text(s, 1, "n"), 0);
    assert_int_equal(db_bind_null(s, 2), 0);
    assert_int_equal(db_bind_blob(s, 3, NULL, 0), 0); /* empty, not NULL */
    assert_int_equal(db_bind_text(s, 4, NULL), 0);
    assert_int_equal(db_run(s), 0);

    s = db_prepare(fx->db, &q_select);
    assert_int_equal(db_bind_text(s, 1, "n"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_true(db_col_is_null(s, 0));
    assert_int_equal(db_col_int(s, 0), 0);
    size_t len = 99;
    assert_false(db_col_is_null(s, 1));
    assert_non_null(db_col_blob(s, 1, &len));
    assert_int_equal(len, 0);
    assert_true(db_col_is_null(s, 2));
    assert_null(db_col_text(s, 2));
    len = 99;
    assert_null(db_col_blob(s, 2, &len));
    assert_int_equal(len, 0);
    db_stmt_done(s);
}

static void test_textn_binds_only_len_bytes(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_echo);
    assert_int_equal(db_bind_textn(s, 1, "gęślą-and-more", strlen("gęślą")), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_col_text(s, 0), "gęślą");
    db_stmt_done(s);
}

/* ---- placeholders ---- */

DB_QUERY(q_out_of_order, "test_out_of_order", "SELECT $2 || '-' || $1, $2, $1 || $1");
DB_QUERY(q_insert_reversed, "test_insert_reversed", "INSERT INTO t (n, id) VALUES ($2, $1)");

static void test_placeholders_out_of_order_and_repeated(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_out_of_order);
    assert_int_equal(db_bind_text(s, 1, "a"), 0);
    assert_int_equal(db_bind_text(s, 2, "b"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_string_equal(db_col_text(s, 0), "b-a");
    assert_string_equal(db_col_text(s, 1), "b");
    assert_string_equal(db_col_text(s, 2), "aa");
    db_stmt_done(s);

    s = db_prepare(fx->db, &q_insert_reversed);
    assert_int_equal(db_bind_text(s, 1, "rev"), 0);
    assert_int_equal(db_bind_int(s, 2, 42), 0);
    assert_int_equal(db_run(s), 0);
    s = db_prepare(fx->db, &q_select);
    assert_int_equal(db_bind_text(s, 1, "rev"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 42);
    db_stmt_done(s);
}

static void test_binding_unknown_placeholder_fails(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_echo);
    assert_int_equal(db_bind_text(s, 2, "x"), OBR_EINVAL);
    assert_int_equal(db_bind_int(s, 0, 1), OBR_EINVAL);
    assert_int_equal(db_bind_null(s, -1), OBR_EINVAL);
    assert_int_equal(db_bind_blob(s, 1000, "x", 1), OBR_EINVAL);
    db_stmt_done(s);
}

DB_QUERY(q_question_mark, "test_question_mark", "SELECT ?");
DB_QUERY(q_bad_sql, "test_bad_sql", "SELEKT 1");
DB_QUERY(q_two_statements, "test_two_statements", "SELECT 1; SELECT 2");

static void test_prepare_rejects_bad_sql_and_foreign_placeholders(void **state)
{
    struct fx *fx = *state;
    assert_null(db_prepare(fx->db, &q_question_mark));
    assert_null(db_prepare(fx->db, &q_bad_sql));
    assert_null(db_prepare(fx->db, &q_two_statements));
    /* The NULL of a failed prepare flows through to one checkable error. */
    assert_int_equal(db_bind_int(NULL, 1, 1), OBR_EDB);
    assert_int_equal(db_run(NULL), OBR_EDB);
}

/* ---- errors ---- */

static void test_duplicate_primary_key_is_eexists(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(insert_row(fx->db, "dup", 1), 0);
    assert_int_equal(insert_row(fx->db, "dup", 2), OBR_EEXISTS);
    assert_int_equal(count_rows(fx->db), 1);
}

DB_QUERY(q_insert_child, "test_insert_child", "INSERT INTO t (id, parent) VALUES ($1, $2)");

static void test_foreign_key_violation_is_edb(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *s = db_prepare(fx->db, &q_insert_child);
    assert_int_equal(db_bind_text(s, 1, "child"), 0);
    assert_int_equal(db_bind_text(s, 2, "no-such-parent"), 0);
    assert_int_equal(db_run(s), OBR_EDB);
    assert_int_equal(count_rows(fx->db), 0);
}

/* ---- transactions ---- */

static void test_rollback_discards(void **state)
{
    struct fx *fx = *state;
    assert_false(db_in_transaction(fx->db));
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_true(db_in_transaction(fx->db));
    assert_int_equal(insert_row(fx->db, "x", 1), 0);
    assert_int_equal(count_rows(fx->db), 1);
    assert_int_equal(db_rollback(fx->db), 0);
    assert_false(db_in_transaction(fx->db));
    assert_int_equal(count_rows(fx->db), 0);
}

static void test_rollback_outside_transaction_is_noop(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_rollback(fx->db), 0);
}

static void test_begin_does_not_nest(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_begin(fx->db), 0);
    assert_int_equal(db_begin_write(fx->db), OBR_EINVAL);
    assert_true(db_in_transaction(fx->db));
    assert_int_equal(db_commit(fx->db), 0);
    assert_int_equal(db_commit(fx->db), OBR_EINVAL);
}

static void test_commit_persists_across_reopen(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(insert_row(fx->db, "kept", 7), 0);
    assert_int_equal(insert_row(fx->db, "kept2", 8), 0);
    assert_int_equal(db_commit(fx->db), 0);
    db_close(fx->db);
    fx->db = NULL;

    struct db_config cfg = config_for(fx->path, 0);
    assert_int_equal(db_open(&cfg, &fx->db), 0);
    assert_int_equal(count_rows(fx->db), 2);
    struct db_stmt *s = db_prepare(fx->db, &q_select);
    assert_int_equal(db_bind_text(s, 1, "kept"), 0);
    assert_int_equal(db_step(s), DB_ROW);
    assert_int_equal(db_col_int(s, 0), 7);
    db_stmt_done(s);
}

DB_QUERY(q_bump, "test_bump", "UPDATE t SET n = n + 1");

static void test_changes_counts_updated_rows(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(insert_row(fx->db, "a", 1), 0);
    assert_int_equal(insert_row(fx->db, "b", 2), 0);
    assert_int_equal(db_run(db_prepare(fx->db, &q_bump)), 0);
    assert_int_equal(db_changes(fx->db), 2);
}

static void test_write_lock_makes_second_writer_busy(void **state)
{
    struct fx *fx = *state;
    struct db_config cfg = config_for(fx->path, 50);
    struct db *other = NULL;
    assert_int_equal(db_open(&cfg, &other), 0);
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(insert_row(fx->db, "locked", 1), 0);

    assert_int_equal(db_begin_write(other), OBR_EBUSY);
    assert_false(db_in_transaction(other));
    /* Readers are not blocked in WAL mode, and see only committed rows. */
    assert_int_equal(count_rows(other), 0);

    assert_int_equal(db_commit(fx->db), 0);
    assert_int_equal(db_begin_write(other), 0);
    assert_int_equal(count_rows(other), 1);
    assert_int_equal(db_rollback(other), 0);
    db_close(other);
}

/* ---- statement cache ---- */

static void test_statement_cache_returns_same_handle(void **state)
{
    struct fx *fx = *state;
    struct db_stmt *a = db_prepare(fx->db, &q_echo);
    assert_non_null(a);
    assert_int_equal(db_bind_text(a, 1, "bound"), 0);
    db_stmt_done(a);
    struct db_stmt *b = db_prepare(fx->db, &q_echo);
    assert_ptr_equal(a, b);
    /* ...and the old binding is gone. */
    assert_int_equal(db_step(b), DB_ROW);
    assert_true(db_col_is_null(b, 0));
    db_stmt_done(b);
    assert_true(q_echo.slot >= 0);
}

/* ---- pool ---- */

struct pool_arg {
    struct db_pool *pool;
    struct db *got;
    int err;
};

static void *get_and_query(void *p)
{
    struct pool_arg *a = p;
    a->got = db_pool_get(a->pool);
    a->err = a->got ? db_ping(a->got) : OBR_EDB;
    if (!a->err && db_pool_get(a->pool) != a->got)
        a->err = OBR_ECONFLICT;
    return NULL;
}

static void test_pool_same_thread_same_connection(void **state)
{
    struct fx *fx = *state;
    struct db_config cfg = config_for(fx->path, 0);
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&cfg, &pool), 0);
    struct db *a = db_pool_get(pool);
    assert_non_null(a);
    assert_ptr_equal(db_pool_get(pool), a);
    assert_int_equal(db_ping(a), 0);
    db_pool_close(pool);
}

struct pair_arg {
    struct db_pool *pool;
    pthread_barrier_t *both_hold;
    struct db *got;
    struct db *theirs; /* the other thread's connection, read while both hold theirs */
    struct pair_arg *other;
    int err;
};

static void *get_and_compare(void *p)
{
    struct pair_arg *a = p;
    a->got = db_pool_get(a->pool);
    a->err = a->got ? db_ping(a->got) : OBR_EDB;
    pthread_barrier_wait(a->both_hold);
    a->theirs = a->other->got;
    pthread_barrier_wait(a->both_hold); /* neither exits (closing) before both compared */
    return NULL;
}

static void test_pool_threads_get_different_connections(void **state)
{
    struct fx *fx = *state;
    struct db_config cfg = config_for(fx->path, 0);
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&cfg, &pool), 0);
    struct db *mine = db_pool_get(pool);
    assert_non_null(mine);

    pthread_barrier_t both_hold;
    pthread_barrier_init(&both_hold, NULL, 2);
    struct pair_arg args[2] = {{.pool = pool, .both_hold = &both_hold},
                               {.pool = pool, .both_hold = &both_hold}};
    args[0].other = &args[1];
    args[1].other = &args[0];
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, get_and_compare, &args[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    pthread_barrier_destroy(&both_hold);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(args[i].err, 0);
        assert_non_null(args[i].got);
        assert_ptr_not_equal(args[i].got, args[i].theirs);
        assert_ptr_not_equal(args[i].got, mine);
    }
    db_pool_close(pool);
}

static void test_pool_copies_config_path(void **state)
{
    struct fx *fx = *state;
    char path[512];
    snprintf(path, sizeof path, "%s", fx->path);
    struct db_config cfg = config_for(path, 0);
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&cfg, &pool), 0);
    memset(path, 0, sizeof path);
    struct db *db = db_pool_get(pool);
    assert_non_null(db);
    assert_int_equal(db_exec(db, "SELECT count(*) FROM t"), 0);
    db_pool_close(pool);
}

static void test_pool_close_after_threads_exited(void **state)
{
    struct fx *fx = *state;
    struct db_config cfg = config_for(fx->path, 0);
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&cfg, &pool), 0);
    assert_non_null(db_pool_get(pool));
    for (int round = 0; round < 3; round++) {
        struct pool_arg arg = {.pool = pool};
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, get_and_query, &arg), 0);
        assert_int_equal(pthread_join(t, NULL), 0);
        assert_int_equal(arg.err, 0);
    }
    /* The sanitizer build checks that nothing leaks and nothing closes twice. */
    db_pool_close(pool);
}

/* The pool owns what db_pool_get hands out: a pooled connection left holding
 * the write lock releases it only when the pool closes the connection. */
static void *take_write_lock_and_exit(void *p)
{
    struct pool_arg *a = p;
    a->got = db_pool_get(a->pool);
    a->err = a->got ? db_begin_write(a->got) : OBR_EDB;
    return NULL; /* no commit, no db_close: the pool closes it */
}

static void test_pool_closes_connection_when_thread_exits(void **state)
{
    struct fx *fx = *state;
    struct db_config cfg = config_for(fx->path, 0);
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&cfg, &pool), 0);
    struct pool_arg arg = {.pool = pool};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, take_write_lock_and_exit, &arg), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(arg.err, 0);
    assert_int_equal(db_begin_write(fx->db), 0); /* the lock went with the connection */
    assert_int_equal(db_rollback(fx->db), 0);
    db_pool_close(pool);
}

static void test_pool_close_closes_remaining_connections(void **state)
{
    struct fx *fx = *state;
    struct db_config cfg = config_for(fx->path, 0);
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&cfg, &pool), 0);
    struct db *db = db_pool_get(pool);
    assert_non_null(db);
    assert_int_equal(db_begin_write(db), 0);
    assert_int_equal(insert_row(db, "uncommitted", 1), 0);
    db_pool_close(pool);
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(count_rows(fx->db), 0); /* closing rolled back */
    assert_int_equal(db_rollback(fx->db), 0);
}

/* Holds a thread parked with its connection open, and the write lock taken,
 * until released, so db_pool_close meets a connection whose thread is still
 * alive. */
struct parked {
    struct db_pool *pool;
    pthread_barrier_t got, release;
    int err;
};

static void *park(void *p)
{
    struct parked *a = p;
    struct db *db = db_pool_get(a->pool);
    a->err = db ? db_begin_write(db) : OBR_EDB;
    pthread_barrier_wait(&a->got);
    pthread_barrier_wait(&a->release);
    return NULL;
}

static void test_pool_close_with_live_thread_connection(void **state)
{
    struct fx *fx = *state;
    struct db_config cfg = config_for(fx->path, 0);
    struct parked a = {.err = -1};
    assert_int_equal(db_pool_open(&cfg, &a.pool), 0);
    pthread_barrier_init(&a.got, NULL, 2);
    pthread_barrier_init(&a.release, NULL, 2);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, park, &a), 0);
    pthread_barrier_wait(&a.got);
    assert_int_equal(a.err, 0);
    db_pool_close(a.pool); /* the thread has stopped using it */
    /* The pool closed the live thread's connection, releasing its lock. */
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(db_rollback(fx->db), 0);
    pthread_barrier_wait(&a.release);
    assert_int_equal(pthread_join(t, NULL), 0); /* no destructor may run now */
    pthread_barrier_destroy(&a.got);
    pthread_barrier_destroy(&a.release);
}

/* Two pools on one new file migrating at the same moment, as two processes would. */
struct migrator {
    const char *path;
    pthread_barrier_t *start;
    int err;
};

static void *migrate_thread(void *p)
{
    struct migrator *m = p;
    struct db_config cfg = config_for(m->path, 5000);
    struct db_pool *pool = NULL;
    m->err = db_pool_open(&cfg, &pool);
    if (m->err)
        return NULL;
    pthread_barrier_wait(m->start);
    struct db *db = db_pool_get(pool);
    m->err = db ? db_migrate(db) : OBR_EDB;
    db_pool_close(pool);
    return NULL;
}

static void test_concurrent_migrate_applies_once(void **state)
{
    for (int round = 0; round < 20; round++) {
        char *dir = testutil_tmpdir();
        char path[512];
        snprintf(path, sizeof path, "%s/race.db", dir);
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, 2);
        struct migrator m[2] = {{path, &start, -1}, {path, &start, -1}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&t[i], NULL, migrate_thread, &m[i]), 0);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_join(t[i], NULL), 0);
        pthread_barrier_destroy(&start);
        assert_int_equal(m[0].err, 0);
        assert_int_equal(m[1].err, 0);

        struct db_config cfg = config_for(path, 0);
        struct db *db = NULL;
        assert_int_equal(db_open(&cfg, &db), 0);
        struct db_stmt *s = db_prepare(db, &q_migration_rows);
        assert_int_equal(db_step(s), DB_ROW);
        assert_int_equal(db_col_int(s, 0), db_migrations_count);
        db_stmt_done(s);
        int v = 0;
        assert_int_equal(db_schema_version(db, &v), 0);
        assert_int_equal(v, db_migrations[db_migrations_count - 1].version);
        db_close(db);
        testutil_rmdir(dir);
    }
}

/* ---- the WAL checkpoint (db_sqlite_ckpt.c) ---- */

/* mxFrame (frames in the WAL) and nBackfill (frames copied into the
 * database by checkpoints) from the WAL index, as SQLite's file format
 * documents it: the header's mxFrame at byte 16, nBackfill at byte 96. */
static void wal_index_frames(const char *db_path, uint32_t *mx_frame, uint32_t *n_backfill)
{
    char shm[600];
    snprintf(shm, sizeof shm, "%s-shm", db_path);
    unsigned char head[100] = {0};
    FILE *f = fopen(shm, "rb");
    assert_non_null(f);
    assert_int_equal(fread(head, 1, sizeof head, f), sizeof head);
    fclose(f);
    memcpy(mx_frame, head + 16, 4);
    memcpy(n_backfill, head + 96, 4);
}

static void test_commit_past_1000_wal_pages_gets_checkpointed(void **state)
{
    struct fx *fx = *state;
    /* About 1 300 pages in one transaction: past the 1 000 that ask for a
     * checkpoint, which the checkpoint thread then runs (the commit only
     * asks). Nothing else checkpoints this file while the test waits. */
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(db_exec(fx->db, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                                     "FROM c WHERE x < 1200) INSERT INTO t (id, n, b) "
                                     "SELECT 'r' || x, x, randomblob(4000) FROM c"),
                     0);
    assert_int_equal(db_commit(fx->db), 0);
    uint32_t mx = 0, backfill = 0;
    for (int i = 0; i < 600; i++) { /* up to 60 s on a loaded machine */
        wal_index_frames(fx->path, &mx, &backfill);
        if (backfill > 0 && backfill == mx)
            break;
        usleep(100 * 1000);
    }
    assert_true(mx > 1000);
    assert_int_equal(backfill, mx);
    assert_int_equal(count_rows(fx->db), 1200);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_open_and_migrate_creates_event_table),
        T(test_schema_version_is_latest_migration),
        cmocka_unit_test(test_schema_version_of_empty_database_is_zero),
        T(test_migrate_twice_is_noop),
        T(test_migrate_refuses_newer_schema),
        cmocka_unit_test(test_open_fails_on_missing_directory),
        T(test_roundtrip_text_int_blob_null),
        T(test_null_values_read_as_null),
        T(test_textn_binds_only_len_bytes),
        T(test_placeholders_out_of_order_and_repeated),
        T(test_binding_unknown_placeholder_fails),
        T(test_prepare_rejects_bad_sql_and_foreign_placeholders),
        T(test_duplicate_primary_key_is_eexists),
        T(test_foreign_key_violation_is_edb),
        T(test_rollback_discards),
        T(test_rollback_outside_transaction_is_noop),
        T(test_begin_does_not_nest),
        T(test_commit_persists_across_reopen),
        T(test_changes_counts_updated_rows),
        T(test_write_lock_makes_second_writer_busy),
        T(test_statement_cache_returns_same_handle),
        T(test_pool_same_thread_same_connection),
        T(test_pool_threads_get_different_connections),
        T(test_pool_copies_config_path),
        T(test_pool_close_after_threads_exited),
        T(test_pool_closes_connection_when_thread_exits),
        T(test_pool_close_closes_remaining_connections),
        T(test_pool_close_with_live_thread_connection),
        cmocka_unit_test(test_concurrent_migrate_applies_once),
        T(test_commit_past_1000_wal_pages_gets_checkpointed),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
