/* testutil.h — shared includes and small helpers for the cmocka unit tests. */
#ifndef OBR_TESTUTIL_H
#define OBR_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "store/db.h"

/* Makes a fresh temporary directory for one test; the caller frees the path. */
static inline char *testutil_tmpdir(void)
{
    char tmpl[] = "/tmp/obrady-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

/* Removes a directory made by testutil_tmpdir and everything in it. */
static inline void testutil_rmdir(char *dir)
{
    if (!dir)
        return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    int rc = system(cmd);
    (void)rc;
    free(dir);
}

/* The store tests run on SQLite, or, when OBRADY_TEST_PG holds a cluster's
 * base URL (postgresql://user:pw@host:port, from tests/pg/cluster.sh), on
 * PostgreSQL: `make test-store-pg` runs them so. */
static inline const char *testutil_pg_base(void)
{
    const char *v = getenv("OBRADY_TEST_PG");
    return v && *v ? v : NULL;
}

static inline void testutil_pg_run(const char *sql)
{
    char admin[600];
    snprintf(admin, sizeof admin, "%s/postgres", testutil_pg_base());
    PGconn *c = PQconnectdb(admin);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

/* The URL of a fresh PostgreSQL database of the test cluster, into url (the
 * test fails when it cannot be made). is_migrated: a copy of a template this
 * process migrated once (CREATE DATABASE … TEMPLATE), which is much quicker
 * than migrating every database; otherwise empty. */
static inline void testutil_pg_new_database(char *url, size_t size, bool is_migrated)
{
    static unsigned counter;
    static char template_name[64];
    char name[64], sql[200];
    if (is_migrated && !template_name[0]) {
        snprintf(name, sizeof name, "tmpl_%ld_%u", (long)getpid(), (unsigned)rand());
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        testutil_pg_run(sql);
        snprintf(url, size, "%s/%s", testutil_pg_base(), name);
        struct db_config dc = {.url = url};
        struct db *db = NULL;
        assert_int_equal(db_open(&dc, &db), 0);
        assert_int_equal(db_migrate(db), 0);
        db_close(db);
        memcpy(template_name, name, sizeof name);
    }
    snprintf(name, sizeof name, "t_%ld_%u_%u", (long)getpid(), ++counter, (unsigned)rand());
    if (is_migrated)
        snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", name, template_name);
    else
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    testutil_pg_run(sql);
    snprintf(url, size, "%s/%s", testutil_pg_base(), name);
}

/* The store of the test directory dir: DIR/obrady.db, or on PostgreSQL a
 * database made on the first call for dir (its URL kept in DIR/pg-url, so
 * reopening dir reaches the same data). buf holds the path or URL. */
static inline struct db_config testutil_db_config(const char *dir, bool is_fast, char *buf,
                                                  size_t size)
{
    struct db_config dc = {.synchronous_normal = is_fast};
    if (!testutil_pg_base()) {
        snprintf(buf, size, "%s/obrady.db", dir);
        dc.sqlite_path = buf;
        return dc;
    }
    char keep[600];
    snprintf(keep, sizeof keep, "%s/pg-url", dir);
    FILE *f = fopen(keep, "r");
    if (f) {
        assert_non_null(fgets(buf, (int)size, f));
        buf[strcspn(buf, "\n")] = '\0';
        fclose(f);
    } else {
        testutil_pg_new_database(buf, size, true);
        f = fopen(keep, "w");
        assert_non_null(f);
        fprintf(f, "%s\n", buf);
        fclose(f);
    }
    dc.url = buf;
    return dc;
}

/* Opens the store of dir (testutil_db_config) migrated to the current schema
 * (the test fails otherwise). is_fast: synchronous=NORMAL on SQLite, for
 * tests that do not test durability. */
static inline struct db *testutil_open_db(const char *dir, bool is_fast)
{
    char where[700];
    struct db_config dc = testutil_db_config(dir, is_fast, where, sizeof where);
    struct db *db = NULL;
    assert_int_equal(db_open(&dc, &db), 0);
    assert_int_equal(db_migrate(db), 0);
    return db;
}

/* The same database behind a per-thread pool, as the server uses it. */
static inline struct db_pool *testutil_open_pool(const char *dir)
{
    db_close(testutil_open_db(dir, true));
    char where[700];
    struct db_config dc = testutil_db_config(dir, true, where, sizeof where);
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&dc, &pool), 0);
    return pool;
}

/* The fixture of a test that needs only a fresh migrated store in a
 * directory of its own: a cmocka setup/teardown pair, *state pointing to a
 * struct testutil_store. */
struct testutil_store {
    char *dir;
    struct db *db;
};

static inline int testutil_store_setup(void **state)
{
    struct testutil_store *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->dir = testutil_tmpdir();
    assert_non_null(fx->dir);
    fx->db = testutil_open_db(fx->dir, true);
    *state = fx;
    return 0;
}

static inline int testutil_store_teardown(void **state)
{
    struct testutil_store *fx = *state;
    db_close(fx->db);
    testutil_rmdir(fx->dir);
    free(fx);
    return 0;
}

#endif
