/* db_sqlite_impl.h — the SQLite connection, shared by db_sqlite.c (the
 * db.h API) and db_sqlite_hooks.c (the directory generation and group
 * commit); not part of the store's interface. */
#ifndef OBR_DB_SQLITE_IMPL_H
#define OBR_DB_SQLITE_IMPL_H

#include <stdbool.h>

#include <sqlite3.h>

#include "store/db_backend.h"

struct db_stmt;

struct db {
    const struct db_backend *be; /* &db_sqlite_backend; first, as db.c reads it */
    sqlite3 *conn;
    bool is_sync_full; /* configured synchronous=FULL (db_set_deferred_sync) */
    bool has_directory_change; /* this transaction changed people (directory_hooks) */
    struct db_access_conn *access; /* the access generation's watch (db_access.c) */
    struct db_stmt **cache; /* indexed by db_query.slot; NULL where not yet prepared */
    int cache_len;
};

/* The db.h calls on SQLite, reached through db_sqlite_backend (db.c). */
int db_sqlite_open(const struct db_config *cfg, struct db **out);
void db_sqlite_close(struct db *db);
int db_sqlite_migrate(struct db *db);
int db_sqlite_schema_version(struct db *db, int *version);
int db_sqlite_exec(struct db *db, const char *sql);
struct db_stmt *db_sqlite_prepare(struct db *db, struct db_query *q);
void db_sqlite_stmt_done(struct db_stmt *s);
int db_sqlite_bind_text(struct db_stmt *s, int n, const char *v);
int db_sqlite_bind_textn(struct db_stmt *s, int n, const char *v, size_t len);
int db_sqlite_bind_int(struct db_stmt *s, int n, int64_t v);
int db_sqlite_bind_blob(struct db_stmt *s, int n, const void *v, size_t len);
int db_sqlite_bind_null(struct db_stmt *s, int n);
int db_sqlite_step(struct db_stmt *s);
int db_sqlite_run(struct db_stmt *s);
const char *db_sqlite_col_text(struct db_stmt *s, int col);
int64_t db_sqlite_col_int(struct db_stmt *s, int col);
const void *db_sqlite_col_blob(struct db_stmt *s, int col, size_t *len);
bool db_sqlite_col_is_null(struct db_stmt *s, int col);
int64_t db_sqlite_changes(struct db *db);
int db_sqlite_begin(struct db *db);
int db_sqlite_begin_write(struct db *db);
int db_sqlite_commit(struct db *db);
int db_sqlite_rollback(struct db *db);
bool db_sqlite_in_transaction(struct db *db);
int db_sqlite_ping(struct db *db);
bool db_sqlite_sees_latest_commits(struct db *db);
int db_sqlite_set_deferred_sync(struct db *db, bool is_deferred);
char *db_sqlite_sync_path_of(struct db *db);
int db_sqlite_sync_path(const char *main_path);

/* Asks the checkpoint thread to checkpoint conn's file (db_sqlite_ckpt.c);
 * false when it cannot (in memory, no thread): then checkpoint in place. */
bool db_sqlite_ckpt_request(sqlite3 *conn);

/* Installs the hooks behind db_directory_generation on a new connection. */
void db_directory_hooks(struct db *db);

#endif
