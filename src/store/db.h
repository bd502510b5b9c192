/* db.h — the one store API. Handlers never see SQL: repositories (store/<noun>_repo.c,
 * log/eventlog.c) declare their statements with DB_QUERY and run them through
 * this API, which db.c hands to the backend that opened the connection: SQLite
 * (db_sqlite.c, the default) or PostgreSQL (db_pg.c, when db_config.url is a
 * postgresql:// URL). SQL is written portably: placeholders $1..$N,
 * integers as BIGINT, booleans as 0/1 integers, times as BIGINT milliseconds,
 * ids as TEXT, RETURNING where a generated value is needed.
 *
 * Ownership: a struct db is one connection, used by one thread at a time. One
 * from db_open belongs to the caller, who db_closes it; one from db_pool_get
 * belongs to the pool (see below). A struct db_stmt belongs to its
 * connection's cache; callers borrow it from db_prepare() until
 * db_stmt_done(). Column values borrowed from a row stay valid until the next
 * db_step()/db_stmt_done() on that statement. */
#ifndef OBR_DB_H
#define OBR_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct db;
struct db_stmt;
struct db_pool;

struct db_config {
    const char *sqlite_path;  /* file path; ":memory:" for tests; unused with url */
    int busy_timeout_ms;      /* 0: 5000 */
    bool synchronous_normal;  /* false (default): synchronous=FULL, every commit fsynced */
    const char *url;          /* "postgresql://…" or "postgres://…" selects PostgreSQL */
};

/* A statement known by name. Declare with DB_QUERY at file scope; slot is
 * assigned on first use and indexes each connection's statement cache. */
struct db_query {
    const char *name;
    const char *sql;
    int slot;
};
#define DB_QUERY(var, name, sql) static struct db_query var = {name, sql, -1}

/* db_step results besides the negative OBR_E* codes (OBR_EEXISTS for a
 * uniqueness violation, OBR_EBUSY when retrying may succeed, OBR_EFULL when
 * the disk is full, OBR_EDB otherwise). */
enum { DB_DONE = 0, DB_ROW = 1 };
/* SQLite mapping (db_sqlite.c): UNIQUE/PRIMARY KEY violations are OBR_EEXISTS;
 * other constraint failures (FOREIGN KEY, CHECK, NOT NULL) are OBR_EDB, since
 * repositories validate before writing and such a failure is our bug, not the
 * client's; BUSY/LOCKED are OBR_EBUSY (roll back and retry the transaction);
 * FULL is OBR_EFULL; IOERR/CANTOPEN are OBR_EIO; NOMEM is OBR_ENOMEM; TOOBIG
 * is OBR_ELIMIT. Errors are logged with the query name, never bound values. */

/* PostgreSQL mapping (db_pg.c): SQLSTATE 23505 is OBR_EEXISTS; 40001
 * (serialization) and 40P01 (deadlock) are OBR_EBUSY; a lost or refused
 * connection (class 08, 57P01-57P03, or the connection found bad) is OBR_EBUSY
 * too, and the connection is reset before its next statement outside a
 * transaction; 53100 is OBR_EFULL; 54xxx is OBR_ELIMIT. */

/* True when url names a PostgreSQL database (postgresql:// or postgres://). */
bool db_url_is_postgres(const char *url);
/* Why this thread's last db_open or db_migrate failed, in one line for the
 * operator ("" when nothing was noted); never holds a password. */
const char *db_last_error(void);
/* "sqlite" or "postgresql". */
const char *db_backend_name(struct db *db);

/* Opens one connection: SQLite in WAL mode with foreign keys on, or a
 * PostgreSQL session with synchronous_commit on, in UTC. */
int db_open(const struct db_config *cfg, struct db **out);
/* Finalizes cached statements and closes; an open transaction is rolled back.
 * Accepts NULL. Only for connections from db_open, never one from db_pool_get. */
void db_close(struct db *db);

/* Applies every migration newer than the stored schema version, each in its
 * own transaction. Safe to call from several processes: the loser waits. A
 * migration's SQL must not contain BEGIN/COMMIT. OBR_ECONFLICT if the database
 * was migrated by a newer program (its version is above every known one). */
int db_migrate(struct db *db);
/* The schema version now in the database (0 for an empty one). */
int db_schema_version(struct db *db, int *version);

/* Runs a script of statements without parameters (migrations, pragmas). */
int db_exec(struct db *db, const char *sql);

/* Returns q prepared on this connection (prepared once, then reused), reset
 * and with bindings cleared. NULL if the SQL does not prepare (logged). */
struct db_stmt *db_prepare(struct db *db, struct db_query *q);
/* Resets s and clears its bindings; s goes back to the cache. Accepts NULL. */
void db_stmt_done(struct db_stmt *s);

/* Binders take the 1-based placeholder number n of "$n". Text and blobs are copied.
 * A number the statement does not have is OBR_EINVAL (logged as a bug). The
 * binders, db_step and db_run accept the NULL of a failed db_prepare and return
 * OBR_EDB, so a caller may check once at the end. A zero-length blob is stored
 * as an empty blob, not NULL. */
int db_bind_text(struct db_stmt *s, int n, const char *v); /* NULL binds NULL */
int db_bind_textn(struct db_stmt *s, int n, const char *v, size_t len);
int db_bind_int(struct db_stmt *s, int n, int64_t v);
int db_bind_blob(struct db_stmt *s, int n, const void *v, size_t len);
int db_bind_null(struct db_stmt *s, int n);

/* DB_ROW, DB_DONE or a negative OBR_E* code. */
int db_step(struct db_stmt *s);
/* Runs a statement that returns no rows (or ignores them): 0 or OBR_E*. Calls db_stmt_done. */
int db_run(struct db_stmt *s);

/* Columns are 0-based. Text is NULL for SQL NULL. A blob is NULL (len 0) for
 * SQL NULL and non-NULL for an empty blob. */
const char *db_col_text(struct db_stmt *s, int col);
int64_t db_col_int(struct db_stmt *s, int col);
const void *db_col_blob(struct db_stmt *s, int col, size_t *len);
bool db_col_is_null(struct db_stmt *s, int col);

/* Rows changed by the last INSERT/UPDATE/DELETE on this connection. */
int64_t db_changes(struct db *db);

/* Transactions. db_begin_write takes the write lock at once (SQLite
 * BEGIN IMMEDIATE; on PostgreSQL the writer key, a transaction-scoped
 * advisory lock, taken exclusively), so a transaction that reads then writes
 * cannot fail half-way on a lock upgrade. db_begin reads one snapshot
 * (PostgreSQL REPEATABLE READ). Not nestable. db_rollback outside a transaction
 * is a no-op returning 0 (SQLite may already have rolled back on an error), so
 * error paths may always call it.
 *
 * Log transactions (log/eventlog.c) begin with db_begin_log_write instead:
 * on PostgreSQL it takes the writer key shared, so log transactions of every
 * node run side by side while a db_begin_write transaction still excludes all
 * of them (what it protected before stays protected), and each log appended
 * to is then locked by db_lock_log (an exclusive advisory lock keyed on the
 * log's id: a meeting's, or an organisation's audit log) before its head is
 * read. Two logs never wait for each other. On SQLite both are the single
 * writer's BEGIN IMMEDIATE and db_lock_log does nothing. */
int db_begin(struct db *db);
int db_begin_write(struct db *db);
int db_begin_log_write(struct db *db);
int db_lock_log(struct db *db, const char *log_id);
/* True when other processes may write the same store at once (PostgreSQL). */
bool db_has_many_writers(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
bool db_in_transaction(struct db *db);

/* Group commit (log/eventlog.c). With is_deferred, this connection's next
 * COMMITs return once the transaction is written to the write-ahead log,
 * without syncing it (PostgreSQL: synchronous_commit off for that
 * transaction, which also frees the writer lock before the flush); false
 * restores the configured behaviour. On PostgreSQL the "path" is the
 * database's URL and the sync a tiny synchronously committed write, whose
 * flush covers every earlier commit (the WAL is flushed in order). Then
 * db_sync_path(db_sync_path_of(db)) makes every transaction committed so far,
 * by any connection of that file, durable with one sync. db_sync_path_of is
 * a malloc'd path, or NULL when nothing needs syncing (a connection
 * configured with synchronous_normal, or in memory); db_sync_path(NULL)
 * does nothing. Both db_sync_path and the path may be used on any thread. */
/* A counter of this process that grows after every commit that changed the
 * people tables (users, members, meeting participants, bodies), on any
 * connection of this process; read it before reading those tables. Changes
 * made by another process (the CLI) are not counted. */
uint64_t db_directory_generation(void);
/* True when db's next read sees every commit made before it (no read
 * transaction holding an older snapshot is open). */
bool db_sees_latest_commits(struct db *db);
int db_set_deferred_sync(struct db *db, bool is_deferred);
char *db_sync_path_of(struct db *db);
int db_sync_path(const char *main_path);
/* db_sync_path that, on PostgreSQL, also sends each of notes (short text,
 * at most DB_NOTE_MAX bytes; longer ones are dropped) as a NOTIFY on the
 * channel pg_listen.h follows, in the same synchronously committed
 * transaction: a node hears of events only once they are durable. */
#define DB_NOTE_MAX 200
int db_sync_path_notify(const char *main_path, const char *const *notes, int n_notes);

/* A pool hands every thread its own connection, opened with db_open on first
 * use. The pool owns every connection it hands out: it closes a thread's one
 * when that thread exits, and db_pool_close closes the rest. Callers borrow
 * them and must never db_close one (the pool would close it a second time).
 * Implemented once for every backend (db_pool.c), on db_open/db_close only.
 * cfg is copied; it need not outlive the call. */
int db_pool_open(const struct db_config *cfg, struct db_pool **out);
/* This thread's connection, the same one on every call from this thread;
 * borrowed from the pool. NULL if it cannot be opened (logged). */
struct db *db_pool_get(struct db_pool *pool);
/* One more connection of the pool, the same for every thread, for a writer
 * that runs on whichever thread holds its own exclusive role (the ballot
 * batch's leader, api/vote_batch.c): its page cache stays warm across its
 * own commits, which a connection per thread's does not. Never used by two
 * threads at once (the caller's duty); borrowed like db_pool_get's. NULL if
 * it cannot be opened (logged). */
struct db *db_pool_writer(struct db_pool *pool);
/* Closes every connection still open, including those of threads still alive
 * (no thread-exit close runs for this pool afterwards). Call after all threads
 * using the pool have stopped using it. Accepts NULL. */
void db_pool_close(struct db_pool *pool);

/* Liveness check used by /healthz: 0 when a trivial query succeeds. */
int db_ping(struct db *db);

#endif
