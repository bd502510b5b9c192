/* db_sqlite_hooks.c — what the SQLite store does for layers above beyond
 * the db.h basics: the directory generation (a counter the meeting state
 * cache keys on) and the deferred sync behind the log's group commit. */
#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/db_access.h"
#include "store/db_sqlite_impl.h"
#include "util/diag.h"
#include "util/err.h"

/* ---- the directory generation (db_directory_generation) ----
 * An update hook notes that a transaction changed a table the people of a
 * meeting come from; the WAL hook, which SQLite calls after a commit is
 * complete, then bumps the generation. Installing a WAL hook replaces
 * SQLite's automatic checkpoint, so the hook does that job too, by asking
 * the checkpoint thread (db_sqlite_ckpt.c). */

#define AUTOCHECKPOINT_PAGES 1000
#define WAL_MAX_PAGES 4000 /* 16 MB of 4 KiB pages */

static void on_row_change(void *ctx, int op, const char *db_name, const char *table,
                          sqlite3_int64 rowid)
{
    struct db *db = ctx;
    db_access_row(db, table); /* issue 16, hotreq: the access generation (db_access.c) */
    if (!strcmp(table, "users") || !strcmp(table, "members") ||
        !strcmp(table, "meeting_participants") || !strcmp(table, "bodies"))
        db->has_directory_change = true;
}

static void on_rollback(void *ctx)
{
    ((struct db *)ctx)->has_directory_change = false;
    db_access_rolled_back(ctx);
}

static int on_wal_commit(void *ctx, sqlite3 *conn, const char *db_name, int n_pages)
{
    struct db *db = ctx;
    db_access_committed(db);
    if (db->has_directory_change) {
        db->has_directory_change = false;
        db_directory_bump();
    }
    /* Off the commit path when it can be (db_sqlite_ckpt.c). That one runs
     * beside writers, so under a steady stream of them it never copies the
     * last frames and the WAL is never started again: past WAL_MAX_PAGES the
     * commit checkpoints in place (the writers of this process wait, and the
     * little left to copy is copied), and the next writer starts the WAL
     * from the beginning. */
    if (n_pages >= WAL_MAX_PAGES ||
        (n_pages >= AUTOCHECKPOINT_PAGES && !db_sqlite_ckpt_request(conn)))
        sqlite3_wal_checkpoint_v2(conn, db_name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return SQLITE_OK;
}

void db_directory_hooks(struct db *db)
{
    sqlite3_update_hook(db->conn, on_row_change, db);
    sqlite3_rollback_hook(db->conn, on_rollback, db);
    sqlite3_wal_hook(db->conn, on_wal_commit, db);
    db_access_attach(db);
}

bool db_sqlite_sees_latest_commits(struct db *db)
{
    /* Outside a transaction each statement reads the latest commit; a write
     * transaction (BEGIN IMMEDIATE) read from the moment it took the lock.
     * Only a read transaction may look at an older snapshot. */
    return db && sqlite3_txn_state(db->conn, NULL) != SQLITE_TXN_READ;
}

/* ---- group commit (log/eventlog.c) ---- */

DB_QUERY(q_sync_normal, "db_sync_normal", "PRAGMA synchronous=NORMAL");
DB_QUERY(q_sync_full, "db_sync_full", "PRAGMA synchronous=FULL");

int db_sqlite_set_deferred_sync(struct db *db, bool is_deferred)
{
    if (!db)
        return OBR_EINVAL;
    if (!db->is_sync_full)
        return 0; /* never synced on commit: nothing to defer */
    return db_sqlite_run(db_sqlite_prepare(db, is_deferred ? &q_sync_normal : &q_sync_full));
}

char *db_sqlite_sync_path_of(struct db *db)
{
    if (!db || !db->is_sync_full)
        return NULL;
    const char *main_path = sqlite3_db_filename(db->conn, "main");
    return main_path && *main_path ? strdup(main_path) : NULL;
}

int db_sqlite_sync_path(const char *main_path)
{
    if (!main_path)
        return 0;
    char wal[4096];
    if (snprintf(wal, sizeof wal, "%s-wal", main_path) >= (int)sizeof wal)
        return OBR_EINVAL;
    /* fdatasync reaches the file through any descriptor of it. Without a
     * WAL file a checkpoint has moved everything into the main file, which
     * the checkpoint synced; syncing it again is cheap and certain. */
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        fd = open(main_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag(DIAG_ERROR, "db: cannot open %s to sync it: %s", wal, strerror(errno));
        return OBR_EIO;
    }
    int rc = fdatasync(fd);
    int err = errno;
    close(fd);
    if (rc) {
        diag(DIAG_ERROR, "db: cannot sync %s: %s", wal, strerror(err));
        return err == ENOSPC ? OBR_EFULL : OBR_EIO;
    }
    return 0;
}
