/* scratch_table.h — the store tests' scratch table t (id, n, b, s): its insert
 * and count statements and two helpers, shared by test_db.c (SQLite) and
 * test_store_contract.c (both backends). Each test creates t itself. */
#ifndef OBR_SCRATCH_TABLE_H
#define OBR_SCRATCH_TABLE_H

#include "testutil.h"

DB_QUERY(q_insert, "scratch_insert", "INSERT INTO t (id, n, b, s) VALUES ($1, $2, $3, $4)");
DB_QUERY(q_count, "scratch_count", "SELECT count(*) FROM t");

/* Inserts (id, n) with b and s NULL; db_run's result. */
static inline int insert_row(struct db *db, const char *id, int64_t n)
{
    struct db_stmt *s = db_prepare(db, &q_insert);
    assert_non_null(s);
    assert_int_equal(db_bind_text(s, 1, id), 0);
    assert_int_equal(db_bind_int(s, 2, n), 0);
    assert_int_equal(db_bind_null(s, 3), 0);
    assert_int_equal(db_bind_null(s, 4), 0);
    return db_run(s);
}

static inline int64_t count_rows(struct db *db)
{
    struct db_stmt *s = db_prepare(db, &q_count);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int(s, 0);
    db_stmt_done(s);
    return n;
}

#endif
