/* test_db_access.c — the access generation known without reading it
 * (store/db_access.h, through pcache_generation): kept while only this
 * process commits and leaves it alone; read again at once after a commit
 * of this process that bumps it (directly or by a trigger), after any
 * commit of another connection that the hooks did not see, and after a
 * commit by another process (the sqlite3 shell), and while threads bump and
 * write beside the one asking. A stale answer in any of these fails the
 * test. On PostgreSQL it is always read. */
#include "testutil.h"

#include <pthread.h>
#include <unistd.h>
#include <stdatomic.h>

#include <sqlite3.h>

#include "api/principal_cache.h"
#include "store/db_access.h"
#include "store/directory.h"

struct fx {
    char *dir;
    struct db *a, *b; /* two connections of this process to one file */
    char path[700];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = testutil_tmpdir();
    f->a = testutil_open_db(f->dir, true);
    f->b = testutil_open_db(f->dir, true);
    snprintf(f->path, sizeof f->path, "%s/obrady.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    db_close(f->a);
    db_close(f->b);
    testutil_rmdir(f->dir);
    free(f);
    return 0;
}

static uint64_t known_count(void)
{
    struct db_access_stats st;
    db_access_stats(&st);
    return st.known;
}

/* The generation through the cache's path; *was_known: without a read. */
static uint64_t gen_of(struct db *db, bool *was_known)
{
    uint64_t before = known_count(), gen = 0;
    assert_true(pcache_generation(db, &gen));
    if (was_known)
        *was_known = known_count() > before;
    return gen;
}

/* The value in the store, read with a statement of its own. */
static uint64_t stored(struct fx *f)
{
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(raw, 5000); /* as the server's connections: a checkpoint may hold the WAL index */
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(raw, "SELECT value FROM store_generations WHERE name = 'access'",
                                        -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    uint64_t v = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(raw);
    return v;
}

static void test_own_commits(void **state)
{
    struct fx *f = *state;
    if (testutil_pg_base()) { /* several nodes: never kept */
        bool was_known;
        gen_of(f->a, NULL);
        gen_of(f->a, &was_known);
        assert_false(was_known);
        return;
    }
    bool was_known;
    uint64_t g0 = gen_of(f->a, NULL);
    assert_int_equal(gen_of(f->a, &was_known), g0);
    assert_true(was_known);
    /* A commit of this process that leaves the generation: still known. */
    assert_int_equal(db_exec(f->b, "INSERT INTO rate_buckets (key, tat_ms) VALUES ('k', 1)"), 0);
    assert_int_equal(gen_of(f->a, &was_known), g0);
    assert_true(was_known);
    /* Bumped directly, then by a trigger (a new user renamed): read at once. */
    assert_int_equal(db_exec(f->b, "UPDATE store_generations SET value = value + 1 WHERE name = 'access'"), 0);
    assert_int_equal(gen_of(f->a, &was_known), g0 + 1);
    assert_false(was_known);
    struct user u;
    assert_int_equal(users_create(f->b, "gen@example.org", "Gen", "pl", false, &u), 0);
    const char *uid = u.id;
    assert_int_equal(gen_of(f->a, NULL), stored(f));
    uint64_t g1 = stored(f);
    assert_int_equal(users_update_profile(f->b, uid, "Renamed", "en"), 0);
    assert_int_equal(stored(f), g1 + 1);
    assert_int_equal(gen_of(f->a, &was_known), g1 + 1);
    assert_false(was_known);
    /* In one transaction with other writes, and the same connection. */
    assert_int_equal(db_begin_write(f->a), 0);
    assert_int_equal(db_exec(f->a, "INSERT INTO rate_buckets (key, tat_ms) VALUES ('k2', 1)"), 0);
    assert_int_equal(db_exec(f->a, "UPDATE users SET name = 'Again' WHERE id <> ''"), 0);
    assert_int_equal(db_commit(f->a), 0);
    assert_int_equal(gen_of(f->a, &was_known), g1 + 2);
    assert_false(was_known);
    assert_int_equal(gen_of(f->b, &was_known), g1 + 2);
    assert_true(was_known);
    /* A bump rolled back leaves nothing behind: the next plain commit keeps it known. */
    assert_int_equal(db_begin_write(f->b), 0);
    assert_int_equal(db_exec(f->b, "UPDATE store_generations SET value = value + 1 WHERE name = 'access'"), 0);
    assert_int_equal(db_rollback(f->b), 0);
    assert_int_equal(db_exec(f->b, "DELETE FROM rate_buckets WHERE key = 'k'"), 0);
    assert_int_equal(gen_of(f->a, &was_known), g1 + 2);
    assert_true(was_known);
    assert_int_equal(stored(f), g1 + 2);
}

static void test_other_writers(void **state)
{
    struct fx *f = *state;
    if (testutil_pg_base())
        skip();
    bool was_known;
    uint64_t g0 = gen_of(f->a, NULL);
    assert_int_equal(gen_of(f->a, &was_known), g0);
    assert_true(was_known);
    /* A connection without the hooks (as another process would be). */
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &raw, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(raw, 5000);
    assert_int_equal(sqlite3_exec(raw, "UPDATE store_generations SET value = value + 5 WHERE name = 'access'",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(gen_of(f->a, &was_known), g0 + 5);
    assert_false(was_known);
    /* Even a commit that leaves it is not taken on trust: read once, then known. */
    assert_int_equal(sqlite3_exec(raw, "INSERT INTO rate_buckets (key, tat_ms) VALUES ('r', 1)",
                                  NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(gen_of(f->a, &was_known), g0 + 5);
    assert_false(was_known);
    assert_int_equal(gen_of(f->a, &was_known), g0 + 5);
    assert_true(was_known);
    sqlite3_close(raw);
    /* Another process: the sqlite3 shell, by hand. */
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "sqlite3 -batch -cmd '.timeout 5000' '%s' "
             "\"UPDATE store_generations SET value = value + 7 WHERE name = 'access'\"", f->path);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(gen_of(f->a, &was_known), g0 + 12);
    assert_false(was_known);
    assert_int_equal(gen_of(f->b, &was_known), g0 + 12);
    assert_true(was_known);
}

/* Three threads of this process on their own connections: one bumps the
 * generation, one commits other rows, one asks. A value asked for after a
 * bump was committed is never older than that bump. */
struct race {
    struct db *db;
    atomic_uint_fast64_t *committed;
    atomic_bool *is_done;
};

static void *bumper(void *arg)
{
    struct race *r = arg;
    for (int i = 0; i < 300; i++) {
        assert_int_equal(db_exec(r->db, "UPDATE store_generations SET value = value + 1 WHERE name = 'access'"), 0);
        atomic_fetch_add(r->committed, 1);
    }
    atomic_store(r->is_done, true);
    return NULL;
}

static void *other_writer(void *arg)
{
    struct race *r = arg;
    for (int i = 0; !atomic_load(r->is_done); i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO rate_buckets (key, tat_ms) VALUES ('w%d', %d)", i % 50, i);
        assert_int_equal(db_exec(r->db, sql), 0);
        /* Lets the bumper in: a writer in a tight loop can starve SQLite's
         * sleeping busy handler past its timeout on a loaded machine. */
        usleep(100);
    }
    return NULL;
}

static void test_threads_never_stale(void **state)
{
    struct fx *f = *state;
    if (testutil_pg_base())
        skip();
    struct db *c = testutil_open_db(f->dir, true);
    uint64_t base = gen_of(f->a, NULL);
    atomic_uint_fast64_t committed = 0;
    atomic_bool is_done = false;
    struct race rb = {f->b, &committed, &is_done}, rc = {c, &committed, &is_done};
    pthread_t tb, tc;
    assert_int_equal(pthread_create(&tb, NULL, bumper, &rb), 0);
    assert_int_equal(pthread_create(&tc, NULL, other_writer, &rc), 0);
    uint64_t known_before = known_count();
    while (!atomic_load(&is_done)) {
        uint64_t floor = atomic_load(&committed);
        uint64_t g = gen_of(f->a, NULL);
        if (g < base + floor)
            fail_msg("stale: %llu after %llu bumps from %llu", (unsigned long long)g,
                     (unsigned long long)floor, (unsigned long long)base);
    }
    pthread_join(tb, NULL);
    pthread_join(tc, NULL);
    assert_int_equal(gen_of(f->a, NULL), base + 300);
    assert_int_equal(gen_of(f->a, NULL), stored(f));
    assert_true(known_count() > known_before); /* and it was not always read */
    db_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_own_commits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_never_stale, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
