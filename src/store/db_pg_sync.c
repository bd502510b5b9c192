/* db_pg_sync.c — the sync of PostgreSQL's group commit (db_sync_path with a
 * postgresql:// URL). Log transactions commit with synchronous_commit off
 * (db_set_deferred_sync); the log's syncer thread then calls this once for a
 * whole batch. It commits one tiny write synchronously: PostgreSQL flushes
 * the WAL in order, so when that commit returns, every transaction committed
 * before it was sent is durable too. An xid alone writes no WAL and would
 * not wait, hence the update of a real row (DB_PG_SYNC_TABLE). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/db_backend.h"
#include "store/db_pg_impl.h"
#include "util/diag.h"

/* sync_lock guards sync_conn and sync_url: one connection per process, for
 * the last URL synced (the server has one database). */
static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;
static PGconn *sync_conn;
static char *sync_url;

/* Connects sync_conn to url unless it already is; called with sync_lock held. */
static int connect_locked(const char *url)
{
    if (sync_conn && PQstatus(sync_conn) == CONNECTION_OK && sync_url && !strcmp(sync_url, url))
        return 0;
    PQfinish(sync_conn);
    free(sync_url);
    sync_url = strdup(url);
    const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *values[] = {"10", "obrady-sync", url, NULL};
    sync_conn = sync_url ? PQconnectdbParams(keys, values, 1) : NULL;
    if (!sync_conn || PQstatus(sync_conn) != CONNECTION_OK) {
        diag(DIAG_WARN, "db: the sync connection cannot reach the database");
        return OBR_EBUSY;
    }
    PGresult *res = PQexec(sync_conn, "SET synchronous_commit = on");
    bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
    PQclear(res);
    return ok ? 0 : OBR_EBUSY;
}

int db_pg_sync_url(const char *url)
{
    pthread_mutex_lock(&sync_lock);
    int err = OBR_EBUSY;
    /* A second try covers a connection that died since the last batch. */
    for (int attempt = 0; attempt < 2 && err; attempt++) {
        if (connect_locked(url))
            continue;
        PGresult *res =
            PQexec(sync_conn, "UPDATE " DB_PG_SYNC_TABLE " SET n = n + 1 WHERE id = 1");
        if (res && PQresultStatus(res) == PGRES_COMMAND_OK) {
            err = 0;
        } else {
            const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(sync_conn);
            diag(DIAG_WARN, "db: group-commit sync failed: %.*s", (int)strcspn(msg, "\n"), msg);
            PQfinish(sync_conn);
            sync_conn = NULL;
        }
        PQclear(res);
    }
    pthread_mutex_unlock(&sync_lock);
    return err;
}
