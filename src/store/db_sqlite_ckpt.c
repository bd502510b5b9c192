/* db_sqlite_ckpt.c — the WAL checkpoint off the commit path. SQLite's own
 * auto-checkpoint (which the WAL hook replaces, db_sqlite_hooks.c) runs in
 * the committing thread: with the log's writer lock held, every writer of
 * every meeting then waits for a checkpoint's page copies and two syncs.
 * Here one thread does it on a connection of its own: a PASSIVE checkpoint
 * runs beside writers (WAL readers and the one writer go on), and syncs the
 * WAL and the database file itself (synchronous=FULL on that connection). */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store/db_sqlite_impl.h"
#include "util/diag.h"
#include "util/thread.h"

#define CKPT_PAUSE_MS 100

static pthread_mutex_t ckpt_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ckpt_cond = PTHREAD_COND_INITIALIZER;
static char *wanted; /* the file asked for, or NULL; guarded by ckpt_lock */
static bool has_thread, is_broken;

static bool has_warned; /* since the last checkpoint that worked; the thread's own */

static void checkpoint_file(const char *path)
{
    sqlite3 *conn = NULL;
    /* No SQLITE_OPEN_CREATE: a file removed meanwhile is not made again. */
    int rc = sqlite3_open_v2(path, &conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(conn, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_wal_checkpoint_v2(conn, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    /* Once per failing spell (a full disk fails every try until freed). */
    if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY && !has_warned)
        diag(DIAG_WARN, "db: checkpoint of %s: %s", path,
             conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
    has_warned = rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY;
    sqlite3_close(conn); /* accepts NULL */
}

static void *run(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&ckpt_lock);
    for (;;) {
        while (!wanted)
            pthread_cond_wait(&ckpt_cond, &ckpt_lock);
        char *path = wanted;
        wanted = NULL;
        pthread_mutex_unlock(&ckpt_lock);
        checkpoint_file(path);
        free(path);
        /* Every commit past the threshold asks again; a checkpoint per
         * commit would sync the files per commit. The asks of the pause
         * are one checkpoint after it. */
        struct timespec pause = {0, CKPT_PAUSE_MS * 1000000L};
        while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
        }
        pthread_mutex_lock(&ckpt_lock);
    }
    return NULL;
}

bool db_sqlite_ckpt_request(sqlite3 *conn)
{
    const char *path = sqlite3_db_filename(conn, "main");
    if (!path || !*path) /* in memory: nothing to share with another connection */
        return false;
    pthread_mutex_lock(&ckpt_lock);
    bool is_queued = false;
    if (!is_broken && !has_thread) {
        has_thread = thread_start_detached(run, NULL);
        is_broken = !has_thread;
    }
    if (has_thread) {
        if (wanted && strcmp(wanted, path)) {
            /* Another file is waiting (tests open several): its turn is
             * kept, this one checkpoints in its own thread. */
        } else if (wanted) {
            is_queued = true; /* already asked for */
        } else {
            wanted = strdup(path);
            is_queued = wanted != NULL;
            pthread_cond_signal(&ckpt_cond);
        }
    }
    pthread_mutex_unlock(&ckpt_lock);
    return is_queued;
}
