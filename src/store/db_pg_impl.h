/* db_pg_impl.h — the PostgreSQL connection and statement, shared by db_pg.c
 * (connections, statements, transactions) and db_pg_migrate.c (the schema);
 * not part of the store's interface. */
#ifndef OBR_DB_PG_IMPL_H
#define OBR_DB_PG_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "store/db_backend.h"

struct db {
    const struct db_backend *be; /* &db_pg_backend; first, as db.c reads it */
    PGconn *conn;
    struct db_stmt **cache; /* indexed by db_query.slot; NULL where not yet prepared */
    int cache_len;
    int64_t changes;        /* rows changed by the last INSERT/UPDATE/DELETE */
    bool is_in_tx;          /* between our BEGIN and COMMIT/ROLLBACK */
    bool is_read_tx;        /* the transaction is db_begin's snapshot */
    bool has_directory_change; /* this transaction wrote a people table */
    bool is_lost;           /* the connection failed; reset before the next statement */
    bool is_deferred;       /* db_set_deferred_sync: COMMIT without waiting for the flush */
    bool needs_sync;        /* the last COMMIT was deferred; db_sync_path_of hands url out */
    char *url;              /* as given to db_open (the sync connection uses it) */
};

/* Runs sql (one or more statements, no parameters) with the simple protocol:
 * 0 or the mapped error (logged with what). */
int db_pg_exec_what(struct db *db, const char *sql, const char *what);
/* Maps a failed result (or, res NULL, the connection's state) to an OBR_E* code
 * and logs it with what; notes a lost connection in db->is_lost. */
int db_pg_map_error(struct db *db, const PGresult *res, const char *what);

/* The one-row table a group-commit sync updates (db_pg_sync.c); made by
 * db_pg_migrate beside the numbered migrations. */
#define DB_PG_SYNC_TABLE "wal_sync"

/* The highest $n of sql outside quotes and comments; -1 above max_placeholder
 * (db_pg_sql.c). */
int db_pg_count_params(const char *sql, long max_placeholder);
/* Whether sql inserts into, updates or deletes from users, members,
 * meeting_participants or bodies. */
bool db_pg_writes_directory(const char *sql);

int db_pg_migrate(struct db *db);
int db_pg_schema_version(struct db *db, int *version);

#endif
