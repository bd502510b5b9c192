/* db_sqlite_impl.h — the SQLite connection, shared by db_sqlite.c (the
 * db.h API) and db_sqlite_hooks.c (the directory generation and group
 * commit); not part of the store's interface. */
#ifndef OBR_DB_SQLITE_IMPL_H
#define OBR_DB_SQLITE_IMPL_H

#include <stdbool.h>

#include <sqlite3.h>

struct db_stmt;

struct db {
    sqlite3 *conn;
    bool is_sync_full; /* configured synchronous=FULL (db_set_deferred_sync) */
    bool has_directory_change; /* this transaction changed people (directory_hooks) */
    struct db_stmt **cache; /* indexed by db_query.slot; NULL where not yet prepared */
    int cache_len;
};

/* Installs the hooks behind db_directory_generation on a new connection. */
void db_directory_hooks(struct db *db);

#endif
