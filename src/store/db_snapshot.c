/* db_snapshot.c — see db_snapshot.h. Why one explicit read transaction: the
 * backup API restarts whenever another connection writes between steps,
 * which under a steady stream of ballots would never finish; holding the
 * source's read transaction pins one WAL snapshot, so steps never restart
 * and writers go on (they only keep the WAL from being checkpointed past
 * the snapshot until the copy ends). */
#include "store/db_snapshot.h"

#include <sched.h>
#include <sqlite3.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/err.h"

static int map(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return OBR_EFULL;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return OBR_EIO;
    case SQLITE_NOMEM:
        return OBR_ENOMEM;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return OBR_EBUSY;
    default:
        return OBR_EDB;
    }
}

int db_snapshot_sqlite(const char *src_path, const char *dst_path, int pages_per_step,
                       void (*progress)(void *ctx, int done, int total), void *ctx)
{
    sqlite3 *src = NULL, *dst = NULL;
    int rc = sqlite3_open_v2(src_path, &src, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc == SQLITE_OK)
        rc =
            sqlite3_exec(dst, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_busy_timeout(src, 5000);
        /* Pins one snapshot for the whole copy (see above). */
        rc = sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL);
    }
    sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", src, "main") : NULL;
    if (rc == SQLITE_OK && !b)
        rc = sqlite3_errcode(dst);
    while (b && (rc = sqlite3_backup_step(b, pages_per_step > 0 ? pages_per_step : 256)) !=
                    SQLITE_DONE) {
        if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        if (progress)
            progress(ctx, sqlite3_backup_pagecount(b) - sqlite3_backup_remaining(b),
                     sqlite3_backup_pagecount(b));
        if (rc != SQLITE_OK)
            usleep(10000);
        else
            sched_yield();
    }
    if (b) {
        if (progress && rc == SQLITE_DONE)
            progress(ctx, sqlite3_backup_pagecount(b), sqlite3_backup_pagecount(b));
        int fin = sqlite3_backup_finish(b);
        if (rc == SQLITE_DONE)
            rc = fin;
    }
    if (rc != SQLITE_OK && rc != SQLITE_DONE)
        diag(DIAG_ERROR, "snapshot of %s: %s", src_path,
             dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
    int err = (rc == SQLITE_OK || rc == SQLITE_DONE) ? 0 : map(rc);
    if (src)
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(src);
    if (dst && sqlite3_close(dst) != SQLITE_OK && !err)
        err = OBR_EIO;
    if (err)
        unlink(dst_path);
    return err;
}
