/* db_sqlite.c — the store API of db.h on SQLite 3 in WAL mode. Statements are
 * prepared once per connection and cached by the slot of their struct db_query;
 * "$N" placeholders map to SQLite's parameter indexes at prepare time, so
 * repositories write PostgreSQL-style SQL. Migrations come from the table that
 * scripts/embed-migrations.sh makes; the per-thread pool is in db_pool.c. */
#include "store/db.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/db_access.h"
#include "store/db_sqlite_impl.h"
#include "store/migrations.h"
#include "util/clock.h"
#include "util/diag.h"

/* Placeholders above this are rejected at prepare time (PostgreSQL allows
 * 65535; nothing of ours comes near). */
#define MAX_PLACEHOLDER 32766
/* db_migrate retries BEGIN IMMEDIATE this many times, each waiting the busy
 * timeout, while another process applies a long migration. */
#define MIGRATE_BEGIN_ATTEMPTS 12

struct db_stmt {
    const struct db_backend *be; /* &db_sqlite_backend; first, as db.c reads it */
    struct db *db;
    sqlite3_stmt *st;
    const struct db_query *q;
    int *index_of; /* index_of[n]: SQLite's index for "$n", 0 if absent; n in 1..max_n */
    int max_n;
    bool is_borrowed; /* between db_prepare and db_stmt_done */
};

/* struct db is in db_sqlite_impl.h. */

DB_QUERY(q_begin, "db_begin", "BEGIN");
DB_QUERY(q_begin_write, "db_begin_write", "BEGIN IMMEDIATE");
DB_QUERY(q_commit, "db_commit", "COMMIT");
DB_QUERY(q_rollback, "db_rollback", "ROLLBACK");
DB_QUERY(q_ping, "db_ping", "SELECT 1");
DB_QUERY(q_has_migrations_table, "db_has_migrations_table",
         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
DB_QUERY(q_max_version, "db_max_version",
         "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
DB_QUERY(q_has_version, "db_has_version", "SELECT 1 FROM schema_migrations WHERE version = $1");
DB_QUERY(q_record_version, "db_record_version",
         "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES ($1, $2, $3)");

static const char create_migrations_table[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                              " version INTEGER PRIMARY KEY,"
                                              " name TEXT NOT NULL,"
                                              " applied_at_ms BIGINT NOT NULL)";

/* Maps an (extended) SQLite result code to an OBR_E* code and logs it with
 * `what` (a query name or an operation) and SQLite's message. Bound values
 * are never logged: they can be secrets. */
static int map_error(sqlite3 *conn, int rc, const char *what)
{
    int err;
    enum diag_level level = DIAG_ERROR;
    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
            err = OBR_EEXISTS;
            level = DIAG_DEBUG; /* often the expected answer ("already taken") */
        } else {
            err = OBR_EDB; /* see db.h: FK, CHECK, NOT NULL mean we failed to validate */
        }
        break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        err = OBR_EBUSY;
        level = DIAG_WARN;
        break;
    case SQLITE_FULL:
        err = OBR_EFULL;
        break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        err = OBR_EIO;
        break;
    case SQLITE_NOMEM:
        err = OBR_ENOMEM;
        break;
    case SQLITE_TOOBIG:
        err = OBR_ELIMIT;
        break;
    default:
        err = OBR_EDB;
        break;
    }
    diag(level, "db: %s: %s (sqlite %d)", what, conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc),
         rc);
    return err;
}

/* Finalizes s and frees it. Accepts NULL. */
static void stmt_free(struct db_stmt *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->st);
    free(s->index_of);
    free(s);
}

/* ---- connections ---- */

/* Runs a pragma that answers with one text row and copies the answer. */
static int pragma_text(sqlite3 *conn, const char *sql, char *out, size_t size)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(conn, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        snprintf(out, size, "%s", v ? v : "");
        rc = SQLITE_OK;
    }
    int err = rc == SQLITE_OK ? 0 : map_error(conn, rc, sql);
    sqlite3_finalize(st);
    return err;
}

static int configure(sqlite3 *conn, const struct db_config *cfg)
{
    sqlite3_extended_result_codes(conn, 1);
    /* Double-quoted strings are identifiers in PostgreSQL; do not let SQLite
     * accept them as literals, or SQL that works here would break there. */
    sqlite3_db_config(conn, SQLITE_DBCONFIG_DQS_DML, 0, (int *)NULL);
    sqlite3_db_config(conn, SQLITE_DBCONFIG_DQS_DDL, 0, (int *)NULL);
    int timeout_ms = cfg->busy_timeout_ms > 0 ? cfg->busy_timeout_ms : 5000;
    sqlite3_busy_timeout(conn, timeout_ms);

    /* Switching a new file to WAL needs an exclusive lock, and SQLite answers
     * BUSY at once (no busy handler) when another connection opening the same
     * file holds it, so two processes starting together retry here. */
    int64_t deadline_ms = clock_mono_ms() + timeout_ms;
    int rc;
    while ((rc = sqlite3_exec(conn, "PRAGMA journal_mode=WAL", NULL, NULL, NULL)) != SQLITE_OK &&
           (rc & 0xff) == SQLITE_BUSY && clock_mono_ms() < deadline_ms)
        sqlite3_sleep(5);
    if (rc != SQLITE_OK)
        return map_error(conn, rc, "PRAGMA journal_mode=WAL");
    /* The pragma answers with the mode it ended in, which is not always WAL. */
    char mode[32];
    int err = pragma_text(conn, "PRAGMA journal_mode", mode, sizeof mode);
    if (err)
        return err;
    if (strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0) {
        diag(DIAG_ERROR, "db: %s: journal_mode is %s, WAL is required", cfg->sqlite_path, mode);
        return OBR_EDB;
    }
    const char *sync =
        cfg->synchronous_normal ? "PRAGMA synchronous=NORMAL" : "PRAGMA synchronous=FULL";
    const char *pragmas[] = {"PRAGMA foreign_keys=ON", sync};
    for (size_t i = 0; i < sizeof pragmas / sizeof pragmas[0]; i++) {
        rc = sqlite3_exec(conn, pragmas[i], NULL, NULL, NULL);
        if (rc != SQLITE_OK)
            return map_error(conn, rc, pragmas[i]);
    }
    return 0;
}

int db_sqlite_open(const struct db_config *cfg, struct db **out)
{
    *out = NULL;
    if (!cfg || !cfg->sqlite_path) {
        OBR_BUG("db_open without a path");
        return OBR_EINVAL;
    }
    struct db *db = calloc(1, sizeof *db);
    if (!db)
        return OBR_ENOMEM;
    db->be = &db_sqlite_backend;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(cfg->sqlite_path, &db->conn, flags, NULL);
    int err = 0;
    if (rc != SQLITE_OK) {
        char what[512];
        snprintf(what, sizeof what, "open %s", cfg->sqlite_path);
        err = db->conn ? map_error(db->conn, sqlite3_extended_errcode(db->conn), what)
                       : map_error(NULL, rc, what);
    } else {
        err = configure(db->conn, cfg);
        db->is_sync_full = !cfg->synchronous_normal;
        if (!err)
            db_directory_hooks(db);
    }
    if (err) {
        sqlite3_close(db->conn); /* accepts NULL; needed even when open failed */
        free(db);
        return err;
    }
    *out = db;
    return 0;
}

void db_sqlite_close(struct db *db)
{
    if (!db)
        return;
    for (int i = 0; i < db->cache_len; i++)
        stmt_free(db->cache[i]);
    free(db->cache);
    db_access_detach(db);
    /* Every statement was ours and is finalized, so close cannot be busy;
     * an open transaction is rolled back. */
    int rc = sqlite3_close(db->conn);
    if (rc != SQLITE_OK)
        OBR_BUG("sqlite3_close: %s", sqlite3_errstr(rc));
    free(db);
}

/* ---- statements ---- */

/* Parses "$N" into N; 0 for any other form of parameter name. */
static int placeholder_number(const char *name)
{
    if (!name || name[0] != '$' || name[1] < '1' || name[1] > '9')
        return 0;
    long n = 0;
    for (const char *p = name + 1; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return 0;
        n = n * 10 + (*p - '0');
        if (n > MAX_PLACEHOLDER)
            return 0;
    }
    return (int)n;
}

/* Builds s->index_of from the statement's parameters. SQLite numbers named
 * parameters by first appearance, so "$2 ... $1 ... $2" has two parameters,
 * "$2" at index 1 and "$1" at index 2. */
static int map_placeholders(struct db_stmt *s)
{
    int count = sqlite3_bind_parameter_count(s->st);
    int max_n = 0;
    for (int i = 1; i <= count; i++) {
        int n = placeholder_number(sqlite3_bind_parameter_name(s->st, i));
        if (n == 0) {
            OBR_BUG("query %s: parameter %d is not written $N", s->q->name, i);
            return OBR_EINVAL;
        }
        if (n > max_n)
            max_n = n;
    }
    s->max_n = max_n;
    if (max_n == 0)
        return 0;
    s->index_of = calloc((size_t)max_n + 1, sizeof *s->index_of);
    if (!s->index_of)
        return OBR_ENOMEM;
    for (int i = 1; i <= count; i++)
        s->index_of[placeholder_number(sqlite3_bind_parameter_name(s->st, i))] = i;
    return 0;
}

static struct db_stmt *prepare_new(struct db *db, struct db_query *q)
{
    struct db_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->be = &db_sqlite_backend;
    s->db = db;
    s->q = q;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v3(db->conn, q->sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, &tail);
    if (rc != SQLITE_OK) {
        diag(DIAG_ERROR, "db: query %s does not prepare: %s", q->name, sqlite3_errmsg(db->conn));
        goto fail;
    }
    if (!s->st) {
        OBR_BUG("query %s holds no statement", q->name);
        goto fail;
    }
    /* Anything after the first statement would be silently ignored. */
    sqlite3_stmt *rest = NULL;
    if (tail && *tail && sqlite3_prepare_v2(db->conn, tail, -1, &rest, NULL) == SQLITE_OK && rest) {
        sqlite3_finalize(rest);
        OBR_BUG("query %s holds more than one statement", q->name);
        goto fail;
    }
    if (map_placeholders(s) != 0)
        goto fail;
    return s;
fail:
    stmt_free(s);
    return NULL;
}

struct db_stmt *db_sqlite_prepare(struct db *db, struct db_query *q)
{
    if (!db || !q || !q->sql) {
        OBR_BUG("db_prepare without a connection or query");
        return NULL;
    }
    int slot = db_query_slot(q);
    if (slot >= db->cache_len) {
        int len = db->cache_len ? db->cache_len : 16;
        while (len <= slot)
            len *= 2;
        struct db_stmt **cache = realloc(db->cache, (size_t)len * sizeof *cache);
        if (!cache) {
            diag(DIAG_ERROR, "db: query %s: out of memory", q->name);
            return NULL;
        }
        memset(cache + db->cache_len, 0, (size_t)(len - db->cache_len) * sizeof *cache);
        db->cache = cache;
        db->cache_len = len;
    }
    struct db_stmt *s = db->cache[slot];
    if (!s) {
        s = prepare_new(db, q);
        if (!s)
            return NULL;
        db->cache[slot] = s;
    } else {
        if (s->is_borrowed)
            OBR_BUG("query %s prepared again before db_stmt_done", q->name);
        sqlite3_reset(s->st);
        sqlite3_clear_bindings(s->st);
    }
    s->is_borrowed = true;
    return s;
}

void db_sqlite_stmt_done(struct db_stmt *s)
{
    if (!s)
        return;
    /* sqlite3_reset repeats the last step's error, which db_step reported. */
    sqlite3_reset(s->st);
    sqlite3_clear_bindings(s->st);
    s->is_borrowed = false;
}

/* Finds SQLite's index for placeholder "$n" of s. OBR_EDB for the NULL of a
 * failed db_prepare; OBR_EINVAL (logged) if s has no "$n". */
static int bind_index(struct db_stmt *s, int n, int *index)
{
    if (!s)
        return OBR_EDB;
    if (n < 1 || n > s->max_n || s->index_of[n] == 0) {
        OBR_BUG("query %s has no placeholder $%d", s->q->name, n);
        return OBR_EINVAL;
    }
    *index = s->index_of[n];
    return 0;
}

static int bind_result(struct db_stmt *s, int rc)
{
    return rc == SQLITE_OK ? 0 : map_error(s->db->conn, rc, s->q->name);
}

int db_sqlite_bind_text(struct db_stmt *s, int n, const char *v)
{
    int i, err = bind_index(s, n, &i);
    return err ? err : bind_result(s, sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT));
}

int db_sqlite_bind_textn(struct db_stmt *s, int n, const char *v, size_t len)
{
    int i, err = bind_index(s, n, &i);
    return err ? err
               : bind_result(s,
                             sqlite3_bind_text64(s->st, i, v, len, SQLITE_TRANSIENT, SQLITE_UTF8));
}

int db_sqlite_bind_int(struct db_stmt *s, int n, int64_t v)
{
    int i, err = bind_index(s, n, &i);
    return err ? err : bind_result(s, sqlite3_bind_int64(s->st, i, v));
}

int db_sqlite_bind_null(struct db_stmt *s, int n)
{
    int i, err = bind_index(s, n, &i);
    return err ? err : bind_result(s, sqlite3_bind_null(s->st, i));
}

int db_sqlite_bind_blob(struct db_stmt *s, int n, const void *v, size_t len)
{
    int i, err = bind_index(s, n, &i);
    if (err)
        return err;
    if (!v && len > 0) {
        OBR_BUG("query %s: NULL blob of %zu bytes for $%d", s->q->name, len, n);
        return OBR_EINVAL;
    }
    /* sqlite3_bind_blob with a NULL pointer binds SQL NULL; an empty blob is not NULL. */
    if (len == 0)
        return bind_result(s, sqlite3_bind_zeroblob(s->st, i, 0));
    return bind_result(s, sqlite3_bind_blob64(s->st, i, v, len, SQLITE_TRANSIENT));
}

int db_sqlite_step(struct db_stmt *s)
{
    if (!s)
        return OBR_EDB;
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return map_error(s->db->conn, rc, s->q->name);
}

int db_sqlite_run(struct db_stmt *s)
{
    /* One step does all the work, RETURNING included: SQLite makes every
     * change during the first sqlite3_step. */
    int rc = db_sqlite_step(s);
    db_sqlite_stmt_done(s);
    return rc < 0 ? rc : 0;
}

/* False (logged) when col is not a column of s's current row. */
static bool col_ok(struct db_stmt *s, int col)
{
    if (!s)
        return false;
    if (col < 0 || col >= sqlite3_column_count(s->st)) {
        OBR_BUG("query %s has no column %d", s->q->name, col);
        return false;
    }
    return true;
}

const char *db_sqlite_col_text(struct db_stmt *s, int col)
{
    return col_ok(s, col) ? (const char *)sqlite3_column_text(s->st, col) : NULL;
}

int64_t db_sqlite_col_int(struct db_stmt *s, int col)
{
    return col_ok(s, col) ? sqlite3_column_int64(s->st, col) : 0;
}

const void *db_sqlite_col_blob(struct db_stmt *s, int col, size_t *len)
{
    static const unsigned char empty[1];
    *len = 0;
    if (!col_ok(s, col) || sqlite3_column_type(s->st, col) == SQLITE_NULL)
        return NULL;
    /* Pointer before size, as SQLite asks; SQLite gives NULL for an empty blob. */
    const void *p = sqlite3_column_blob(s->st, col);
    *len = (size_t)sqlite3_column_bytes(s->st, col);
    return p ? p : empty;
}

bool db_sqlite_col_is_null(struct db_stmt *s, int col)
{
    return !col_ok(s, col) || sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

int64_t db_sqlite_changes(struct db *db)
{
    return db ? sqlite3_changes64(db->conn) : 0;
}

int db_sqlite_exec(struct db *db, const char *sql)
{
    if (!db || !sql)
        return OBR_EINVAL;
    int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : map_error(db->conn, rc, "db_exec");
}

int db_sqlite_ping(struct db *db)
{
    if (!db)
        return OBR_EINVAL;
    struct db_stmt *s = db_sqlite_prepare(db, &q_ping);
    int rc = db_sqlite_step(s);
    db_sqlite_stmt_done(s);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : OBR_EDB;
}

/* ---- transactions ---- */

static int run_internal(struct db *db, struct db_query *q)
{
    return db_sqlite_run(db_sqlite_prepare(db, q));
}

static int begin(struct db *db, struct db_query *q)
{
    if (!db)
        return OBR_EINVAL;
    if (db_sqlite_in_transaction(db)) {
        OBR_BUG("%s inside a transaction (transactions do not nest)", q->name);
        return OBR_EINVAL;
    }
    return run_internal(db, q);
}

int db_sqlite_begin(struct db *db)
{
    return begin(db, &q_begin);
}

int db_sqlite_begin_write(struct db *db)
{
    return begin(db, &q_begin_write);
}

int db_sqlite_commit(struct db *db)
{
    if (!db)
        return OBR_EINVAL;
    if (!db_sqlite_in_transaction(db)) {
        OBR_BUG("db_commit outside a transaction");
        return OBR_EINVAL;
    }
    return run_internal(db, &q_commit);
}

int db_sqlite_rollback(struct db *db)
{
    if (!db)
        return OBR_EINVAL;
    /* SQLite may already have rolled back on its own (disk full, I/O error). */
    if (!db_sqlite_in_transaction(db))
        return 0;
    return run_internal(db, &q_rollback);
}

bool db_sqlite_in_transaction(struct db *db)
{
    return db && !sqlite3_get_autocommit(db->conn);
}

/* ---- migrations ---- */

/* Runs one query that answers with one integer. */
static int query_int(struct db *db, struct db_query *q, int64_t *out)
{
    struct db_stmt *s = db_sqlite_prepare(db, q);
    int rc = db_sqlite_step(s);
    if (rc == DB_ROW)
        *out = db_sqlite_col_int(s, 0);
    db_sqlite_stmt_done(s);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : OBR_EDB;
}

int db_sqlite_schema_version(struct db *db, int *version)
{
    *version = 0;
    if (!db)
        return OBR_EINVAL;
    int64_t has_table = 0, v = 0;
    int err = query_int(db, &q_has_migrations_table, &has_table);
    if (!err && has_table)
        err = query_int(db, &q_max_version, &v);
    if (!err)
        *version = (int)v;
    return err;
}

static int begin_migration_tx(struct db *db)
{
    int err = OBR_EBUSY;
    for (int i = 0; i < MIGRATE_BEGIN_ATTEMPTS && err == OBR_EBUSY; i++)
        err = db_sqlite_begin_write(db);
    return err;
}

/* Applies m unless it is already recorded. The check is repeated inside the
 * write transaction, so of two processes starting at once only the first
 * applies it and the other, once the lock is free, finds it done. */
static int apply_migration(struct db *db, const struct db_migration *m)
{
    int err = begin_migration_tx(db);
    if (err)
        return err;
    struct db_stmt *s = db_sqlite_prepare(db, &q_has_version);
    err = db_sqlite_bind_int(s, 1, m->version);
    int rc = err ? err : db_sqlite_step(s);
    db_sqlite_stmt_done(s);
    if (rc == DB_ROW) /* someone else applied it */
        return db_sqlite_rollback(db);
    err = rc;
    if (!err) {
        err = db_sqlite_exec(db, m->sql);
        if (err)
            diag(DIAG_ERROR, "db: migration %d %s failed: %s", m->version, m->name,
                 obr_strerror(err));
    }
    if (!err) {
        s = db_sqlite_prepare(db, &q_record_version);
        err = db_sqlite_bind_int(s, 1, m->version);
        if (!err)
            err = db_sqlite_bind_text(s, 2, m->name);
        if (!err)
            err = db_sqlite_bind_int(s, 3, clock_now_ms());
        if (!err)
            err = db_sqlite_run(s);
        else
            db_sqlite_stmt_done(s);
    }
    if (!err)
        err = db_sqlite_commit(db);
    if (err) {
        db_sqlite_rollback(db);
        return err;
    }
    diag(DIAG_INFO, "applied migration %d %s", m->version, m->name);
    return 0;
}

int db_sqlite_migrate(struct db *db)
{
    if (!db)
        return OBR_EINVAL;
    int err = begin_migration_tx(db);
    if (!err)
        err = db_sqlite_exec(db, create_migrations_table);
    if (!err)
        err = db_sqlite_commit(db);
    if (err) {
        db_sqlite_rollback(db);
        return err;
    }
    int version = 0;
    err = db_sqlite_schema_version(db, &version);
    if (err)
        return err;
    int known = db_migrations_count > 0 ? db_migrations[db_migrations_count - 1].version : 0;
    if (version > known) {
        /* A newer binary migrated this database; running on it could corrupt it. */
        diag(DIAG_ERROR, "db: schema version %d is newer than this program's %d", version, known);
        db_set_error("the database's schema version %d is newer than this program's %d; "
                     "run a newer obrady",
                     version, known);
        return OBR_ECONFLICT;
    }
    for (int i = 0; i < db_migrations_count; i++) {
        if (db_migrations[i].version <= version)
            continue;
        err = apply_migration(db, &db_migrations[i]);
        if (err)
            return err;
    }
    return 0;
}

/* One writer at a time already: BEGIN IMMEDIATE excludes every other. */
static int sqlite_lock_log(struct db *db, const char *log_id)
{
    (void)db;
    (void)log_id;
    return 0;
}

const struct db_backend db_sqlite_backend = {
    .name = "sqlite",
    .open = db_sqlite_open,
    .close = db_sqlite_close,
    .migrate = db_sqlite_migrate,
    .schema_version = db_sqlite_schema_version,
    .exec = db_sqlite_exec,
    .prepare = db_sqlite_prepare,
    .stmt_done = db_sqlite_stmt_done,
    .bind_text = db_sqlite_bind_text,
    .bind_textn = db_sqlite_bind_textn,
    .bind_int = db_sqlite_bind_int,
    .bind_blob = db_sqlite_bind_blob,
    .bind_null = db_sqlite_bind_null,
    .step = db_sqlite_step,
    .run = db_sqlite_run,
    .col_text = db_sqlite_col_text,
    .col_int = db_sqlite_col_int,
    .col_blob = db_sqlite_col_blob,
    .col_is_null = db_sqlite_col_is_null,
    .changes = db_sqlite_changes,
    .begin = db_sqlite_begin,
    .begin_write = db_sqlite_begin_write,
    .begin_log_write = db_sqlite_begin_write,
    .lock_log = sqlite_lock_log,
    .commit = db_sqlite_commit,
    .rollback = db_sqlite_rollback,
    .in_transaction = db_sqlite_in_transaction,
    .sees_latest_commits = db_sqlite_sees_latest_commits,
    .set_deferred_sync = db_sqlite_set_deferred_sync,
    .sync_path_of = db_sqlite_sync_path_of,
    .ping = db_sqlite_ping,
};
