/* db_pg_sync.c — the sync of PostgreSQL's group commit (db_sync_path with a
 * postgresql:// URL). Log transactions commit with synchronous_commit off
 * (db_set_deferred_sync); the log's syncer thread then calls this once for a
 * whole batch. It commits one tiny write synchronously: PostgreSQL flushes
 * the WAL in order, so when that commit returns, every transaction committed
 * before it was sent is durable too. An xid alone writes no WAL and would
 * not wait, hence the update of a real row (DB_PG_SYNC_TABLE). The same
 * statement may carry NOTIFYs for the other nodes (db_sync_path_notify):
 * delivered at its commit, so after every event they name is durable. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/db_backend.h"
#include "store/db_pg_impl.h"
#include "store/pg_listen.h"
#include "util/buf.h"
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

/* notes as a PostgreSQL text[] literal: {"a","b"} with " and \\ escaped. */
static char *array_literal(const char *const *notes, int n)
{
    struct buf b = BUF_INIT;
    buf_append(&b, "{", 1);
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (!notes[i] || strlen(notes[i]) > DB_NOTE_MAX)
            continue;
        if (kept++)
            buf_append(&b, ",", 1);
        buf_append(&b, "\"", 1);
        for (const char *p = notes[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_append(&b, "\\", 1);
            buf_append(&b, p, 1);
        }
        buf_append(&b, "\"", 1);
    }
    buf_append(&b, "}", 1);
    return buf_take(&b);
}

static int sync_locked(const char *url, const char *notes_array)
{
    int err = OBR_EBUSY;
    /* A second try covers a connection that died since the last batch. */
    for (int attempt = 0; attempt < 2 && err; attempt++) {
        if (connect_locked(url))
            continue;
        PGresult *res;
        if (notes_array) {
            const char *values[1] = {notes_array};
            res = PQexecParams(sync_conn,
                               "WITH n AS (SELECT pg_notify('" PG_LISTEN_CHANNEL "', x) "
                               "FROM unnest($1::text[]) AS x) UPDATE " DB_PG_SYNC_TABLE
                               " SET n = n + 1 WHERE id = 1 AND (SELECT count(*) FROM n) >= 0",
                               1, NULL, values, NULL, NULL, 0);
        } else {
            res = PQexec(sync_conn, "UPDATE " DB_PG_SYNC_TABLE " SET n = n + 1 WHERE id = 1");
        }
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
    return err;
}

int db_pg_sync_url(const char *url)
{
    pthread_mutex_lock(&sync_lock);
    int err = sync_locked(url, NULL);
    pthread_mutex_unlock(&sync_lock);
    return err;
}

int db_pg_sync_url_notify(const char *url, const char *const *notes, int n_notes)
{
    char *array = array_literal(notes, n_notes);
    if (!array)
        return db_pg_sync_url(url); /* no memory: durable all the same; nodes catch up later */
    pthread_mutex_lock(&sync_lock);
    int err = sync_locked(url, array);
    pthread_mutex_unlock(&sync_lock);
    free(array);
    return err;
}
