/* db.c — the db.h API, handed to the backend that opened each connection
 * (db_backend.h): db_open picks SQLite or PostgreSQL from the config, and
 * every later call follows the `be` pointer at the start of the connection
 * or statement. Also what all backends share: query slots and the
 * directory generation. */
#include "store/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "store/db_backend.h"
#include "util/diag.h"

/* The first member of every backend's struct db and struct db_stmt. */
struct db_head {
    const struct db_backend *be;
};

static const struct db_backend *be_of(const void *p)
{
    return ((const struct db_head *)p)->be;
}

/* Process-wide: the next free statement-cache slot. */
static int next_slot;

int db_query_slot(struct db_query *q)
{
    int slot = __atomic_load_n(&q->slot, __ATOMIC_ACQUIRE);
    if (slot >= 0)
        return slot;
    int mine = __atomic_fetch_add(&next_slot, 1, __ATOMIC_RELAXED);
    int expected = -1;
    if (__atomic_compare_exchange_n(&q->slot, &expected, mine, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return mine;
    return expected;
}

static uint64_t directory_generation = 1; /* atomic */

uint64_t db_directory_generation(void)
{
    return __atomic_load_n(&directory_generation, __ATOMIC_ACQUIRE);
}

void db_directory_bump(void)
{
    __atomic_add_fetch(&directory_generation, 1, __ATOMIC_RELEASE);
}

static _Thread_local char last_error[512];

const char *db_last_error(void)
{
    return last_error;
}

void db_set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}

bool db_url_is_postgres(const char *url)
{
    return url && (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11));
}

const char *db_backend_name(struct db *db)
{
    return db ? be_of(db)->name : "";
}

int db_open(const struct db_config *cfg, struct db **out)
{
    *out = NULL;
    if (!cfg) {
        OBR_BUG("db_open without a config");
        return OBR_EINVAL;
    }
    last_error[0] = '\0';
    if (cfg->url && *cfg->url) {
        if (!db_url_is_postgres(cfg->url)) {
            db_set_error("the database must be a postgresql://… URL");
            return OBR_EINVAL;
        }
        return db_pg_backend.open(cfg, out);
    }
    return db_sqlite_backend.open(cfg, out);
}

void db_close(struct db *db)
{
    if (db)
        be_of(db)->close(db);
}

/* Connection calls: NULL is OBR_EINVAL, as each backend answered before. */
#define ON_DB(db, call, none) ((db) ? be_of(db)->call : (none))
/* Statement calls: the NULL of a failed db_prepare is OBR_EDB (db.h). */
#define ON_STMT(s, call, none) ((s) ? be_of(s)->call : (none))

int db_migrate(struct db *db)
{
    last_error[0] = '\0';
    return ON_DB(db, migrate(db), OBR_EINVAL);
}

int db_schema_version(struct db *db, int *version)
{
    *version = 0;
    return ON_DB(db, schema_version(db, version), OBR_EINVAL);
}

int db_exec(struct db *db, const char *sql)
{
    return sql ? ON_DB(db, exec(db, sql), OBR_EINVAL) : OBR_EINVAL;
}

struct db_stmt *db_prepare(struct db *db, struct db_query *q)
{
    if (!db || !q || !q->sql) {
        OBR_BUG("db_prepare without a connection or query");
        return NULL;
    }
    return be_of(db)->prepare(db, q);
}

void db_stmt_done(struct db_stmt *s)
{
    if (s)
        be_of(s)->stmt_done(s);
}

int db_bind_text(struct db_stmt *s, int n, const char *v)
{
    return ON_STMT(s, bind_text(s, n, v), OBR_EDB);
}

int db_bind_textn(struct db_stmt *s, int n, const char *v, size_t len)
{
    return ON_STMT(s, bind_textn(s, n, v, len), OBR_EDB);
}

int db_bind_int(struct db_stmt *s, int n, int64_t v)
{
    return ON_STMT(s, bind_int(s, n, v), OBR_EDB);
}

int db_bind_blob(struct db_stmt *s, int n, const void *v, size_t len)
{
    return ON_STMT(s, bind_blob(s, n, v, len), OBR_EDB);
}

int db_bind_null(struct db_stmt *s, int n)
{
    return ON_STMT(s, bind_null(s, n), OBR_EDB);
}

int db_step(struct db_stmt *s)
{
    return ON_STMT(s, step(s), OBR_EDB);
}

int db_run(struct db_stmt *s)
{
    return ON_STMT(s, run(s), OBR_EDB);
}

const char *db_col_text(struct db_stmt *s, int col)
{
    return ON_STMT(s, col_text(s, col), NULL);
}

int64_t db_col_int(struct db_stmt *s, int col)
{
    return ON_STMT(s, col_int(s, col), 0);
}

const void *db_col_blob(struct db_stmt *s, int col, size_t *len)
{
    *len = 0;
    return ON_STMT(s, col_blob(s, col, len), NULL);
}

bool db_col_is_null(struct db_stmt *s, int col)
{
    return ON_STMT(s, col_is_null(s, col), true);
}

int64_t db_changes(struct db *db)
{
    return ON_DB(db, changes(db), 0);
}

int db_begin(struct db *db)
{
    return ON_DB(db, begin(db), OBR_EINVAL);
}

int db_begin_write(struct db *db)
{
    return ON_DB(db, begin_write(db), OBR_EINVAL);
}

int db_begin_log_write(struct db *db)
{
    return ON_DB(db, begin_log_write(db), OBR_EINVAL);
}

int db_lock_log(struct db *db, const char *log_id)
{
    if (!log_id)
        return OBR_EINVAL;
    return ON_DB(db, lock_log(db, log_id), OBR_EINVAL);
}

bool db_has_many_writers(struct db *db)
{
    return db && !strcmp(db_backend_name(db), "postgresql");
}

int db_commit(struct db *db)
{
    return ON_DB(db, commit(db), OBR_EINVAL);
}

int db_rollback(struct db *db)
{
    return ON_DB(db, rollback(db), OBR_EINVAL);
}

bool db_in_transaction(struct db *db)
{
    return ON_DB(db, in_transaction(db), false);
}

bool db_sees_latest_commits(struct db *db)
{
    return ON_DB(db, sees_latest_commits(db), false);
}

int db_set_deferred_sync(struct db *db, bool is_deferred)
{
    return ON_DB(db, set_deferred_sync(db, is_deferred), OBR_EINVAL);
}

char *db_sync_path_of(struct db *db)
{
    return ON_DB(db, sync_path_of(db), NULL);
}

int db_sync_path(const char *path)
{
    if (!path)
        return 0;
    return db_url_is_postgres(path) ? db_pg_sync_url(path) : db_sqlite_sync_path(path);
}

int db_sync_path_notify(const char *path, const char *const *notes, int n_notes)
{
    if (!path)
        return 0;
    if (!db_url_is_postgres(path))
        return db_sqlite_sync_path(path);
    return n_notes > 0 ? db_pg_sync_url_notify(path, notes, n_notes) : db_pg_sync_url(path);
}

int db_ping(struct db *db)
{
    return ON_DB(db, ping(db), OBR_EINVAL);
}
