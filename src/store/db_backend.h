/* db_backend.h — how db.c hands each db.h call to the backend that opened the
 * connection (db_sqlite.c, db_pg.c). Every backend's struct db and struct
 * db_stmt begin with a `const struct db_backend *be` member, which is all
 * db.c reads of them; the rest of each struct is the backend's own. Not part
 * of the store's interface: repositories include db.h only. */
#ifndef OBR_DB_BACKEND_H
#define OBR_DB_BACKEND_H

#include "store/db.h"

struct db_backend {
    const char *name;
    int (*open)(const struct db_config *cfg, struct db **out);
    void (*close)(struct db *db);
    int (*migrate)(struct db *db);
    int (*schema_version)(struct db *db, int *version);
    int (*exec)(struct db *db, const char *sql);
    struct db_stmt *(*prepare)(struct db *db, struct db_query *q);
    void (*stmt_done)(struct db_stmt *s);
    int (*bind_text)(struct db_stmt *s, int n, const char *v);
    int (*bind_textn)(struct db_stmt *s, int n, const char *v, size_t len);
    int (*bind_int)(struct db_stmt *s, int n, int64_t v);
    int (*bind_blob)(struct db_stmt *s, int n, const void *v, size_t len);
    int (*bind_null)(struct db_stmt *s, int n);
    int (*step)(struct db_stmt *s);
    int (*run)(struct db_stmt *s);
    const char *(*col_text)(struct db_stmt *s, int col);
    int64_t (*col_int)(struct db_stmt *s, int col);
    const void *(*col_blob)(struct db_stmt *s, int col, size_t *len);
    bool (*col_is_null)(struct db_stmt *s, int col);
    int64_t (*changes)(struct db *db);
    int (*begin)(struct db *db);
    int (*begin_write)(struct db *db);
    int (*begin_log_write)(struct db *db);
    int (*lock_log)(struct db *db, const char *log_id);
    int (*commit)(struct db *db);
    int (*rollback)(struct db *db);
    bool (*in_transaction)(struct db *db);
    bool (*sees_latest_commits)(struct db *db);
    int (*set_deferred_sync)(struct db *db, bool is_deferred);
    char *(*sync_path_of)(struct db *db);
    int (*ping)(struct db *db);
};

extern const struct db_backend db_sqlite_backend;
/* db_sync_path for each backend: a SQLite file, or a PostgreSQL URL. */
int db_sqlite_sync_path(const char *main_path);
int db_pg_sync_url(const char *url);
/* db_pg_sync_url that also NOTIFYs every node of notes (pg_listen.h). */
int db_pg_sync_url_notify(const char *url, const char *const *notes, int n_notes);
extern const struct db_backend db_pg_backend;

/* Gives every query its slot in the per-connection statement caches, the same
 * number for every backend. Two threads may race on first use: each draws a
 * fresh number and a compare-and-swap decides which one q keeps. */
int db_query_slot(struct db_query *q);
/* Notes the one-line reason db_last_error gives (printf format). */
void db_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Called by a backend after a commit that changed the people tables. */
void db_directory_bump(void);

#endif
