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

/* Opens DIR/obrady.db migrated to the current schema (the test fails otherwise).
 * is_fast: synchronous=NORMAL, for tests that do not test durability. */
static inline struct db *testutil_open_db(const char *dir, bool is_fast)
{
    char path[600];
    snprintf(path, sizeof path, "%s/obrady.db", dir);
    struct db_config dc = {.sqlite_path = path, .synchronous_normal = is_fast};
    struct db *db = NULL;
    assert_int_equal(db_open(&dc, &db), 0);
    assert_int_equal(db_migrate(db), 0);
    return db;
}

/* The same database behind a per-thread pool, as the server uses it. */
static inline struct db_pool *testutil_open_pool(const char *dir)
{
    db_close(testutil_open_db(dir, true));
    char path[600];
    snprintf(path, sizeof path, "%s/obrady.db", dir);
    struct db_config dc = {.sqlite_path = path, .synchronous_normal = true};
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&dc, &pool), 0);
    return pool;
}

#endif
