/* pg_listen.c — the node's LISTEN connection (see pg_listen.h): a thread
 * that connects, LISTENs, waits in poll() on the socket and a wake-up pipe,
 * and dispatches notifications by kind; on a drop it reconnects with
 * backoff and has every handler catch up. libpq directly: this connection
 * never runs a repository's statement. */
#include "store/pg_listen.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store/db.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/err.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define RETRY_CATCH_UP_MS 1000

enum state { ST_CONNECTING, ST_UP, ST_DOWN };

struct pg_listen {
    char *url;
    struct pg_listen_handler handlers[PG_LISTEN_MAX_KINDS];
    int n_handlers;
    pthread_t thread;
    bool is_started;
    int wake[2];        /* pipe: a byte written stops the thread */
    bool is_stopping;   /* atomic */
    int state;          /* atomic enum state */
    int64_t since_ms;   /* atomic */
    uint64_t reconnects; /* atomic */
    PGconn *conn;       /* the listener thread's only */
};

DB_QUERY(q_notify, "pg_listen_notify", "SELECT pg_notify('" PG_LISTEN_CHANNEL "', $1)");

static void set_state(struct pg_listen *l, enum state st)
{
    if (__atomic_exchange_n(&l->state, (int)st, __ATOMIC_ACQ_REL) != (int)st)
        __atomic_store_n(&l->since_ms, clock_now_ms(), __ATOMIC_RELEASE);
}

struct pg_listen *pg_listen_new(const char *url)
{
    struct pg_listen *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->url = strdup(url);
    if (!l->url || pipe(l->wake) != 0) {
        free(l->url);
        free(l);
        return NULL;
    }
    fcntl(l->wake[0], F_SETFL, O_NONBLOCK);
    l->since_ms = clock_now_ms();
    return l;
}

int pg_listen_add(struct pg_listen *l, const struct pg_listen_handler *h)
{
    if (l->is_started) {
        OBR_BUG("pg_listen_add after pg_listen_start");
        return OBR_EINVAL;
    }
    if (l->n_handlers >= PG_LISTEN_MAX_KINDS)
        return OBR_ELIMIT;
    l->handlers[l->n_handlers++] = *h;
    return 0;
}

/* Waits up to ms for the stop pipe (or, fd >= 0, for fd to be readable).
 * Returns -1 when stopping, 1 when fd is readable, 0 on timeout. */
static int wait_for(struct pg_listen *l, int fd, int ms)
{
    struct pollfd p[2] = {{.fd = l->wake[0], .events = POLLIN}, {.fd = fd, .events = POLLIN}};
    int rc = poll(p, fd >= 0 ? 2 : 1, ms);
    if (__atomic_load_n(&l->is_stopping, __ATOMIC_ACQUIRE) || (rc > 0 && p[0].revents))
        return -1;
    if (rc > 0 && fd >= 0 && p[1].revents)
        return 1;
    return 0;
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    diag(DIAG_DEBUG, "pg_listen: postgresql says: %.*s", (int)strcspn(message, "\n"), message);
}

static bool connect_and_listen(struct pg_listen *l)
{
    const char *keys[] = {"connect_timeout", "application_name", "keepalives_idle",
                          "keepalives_interval", "keepalives_count", "dbname", NULL};
    const char *values[] = {"5", "obrady-listen", "10", "5", "3", l->url, NULL};
    l->conn = PQconnectdbParams(keys, values, 1);
    if (l->conn && PQstatus(l->conn) == CONNECTION_OK) {
        PQsetNoticeProcessor(l->conn, quiet, NULL);
        PGresult *res = PQexec(l->conn, "LISTEN " PG_LISTEN_CHANNEL);
        bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        PQclear(res);
        if (ok)
            return true;
    }
    const char *msg = l->conn ? PQerrorMessage(l->conn) : "out of memory";
    diag(DIAG_WARN, "pg_listen: cannot listen: %.*s", (int)strcspn(msg, "\n"), msg);
    PQfinish(l->conn);
    l->conn = NULL;
    return false;
}

/* Every handler's on_connected; false when one failed. */
static bool catch_up(struct pg_listen *l)
{
    bool ok = true;
    for (int i = 0; i < l->n_handlers; i++)
        if (l->handlers[i].on_connected && l->handlers[i].on_connected(l->handlers[i].ctx))
            ok = false;
    return ok;
}

/* Hands every notification received to its handler; false when one failed. */
static bool dispatch(struct pg_listen *l)
{
    bool ok = true;
    PGnotify *n;
    while ((n = PQnotifies(l->conn))) {
        const char *p = n->extra;
        bool is_known = false;
        for (int i = 0; p && p[0] && p[1] == ' ' && i < l->n_handlers; i++) {
            if (l->handlers[i].kind != p[0])
                continue;
            is_known = true;
            if (l->handlers[i].on_note(p + 2, l->handlers[i].ctx))
                ok = false;
        }
        if (!is_known)
            diag(DIAG_DEBUG, "pg_listen: a note of no known kind");
        PQfreemem(n);
    }
    return ok;
}

/* Listens until the connection drops (false) or the node stops (true). */
static bool listen_loop(struct pg_listen *l)
{
    int64_t retry_at = catch_up(l) ? 0 : clock_mono_ms() + RETRY_CATCH_UP_MS;
    for (;;) {
        int ms = retry_at ? (int)(retry_at - clock_mono_ms()) : 60000;
        int rc = wait_for(l, PQsocket(l->conn), ms < 0 ? 0 : ms);
        if (rc < 0)
            return true;
        if (rc > 0 && !PQconsumeInput(l->conn))
            return false;
        if (PQstatus(l->conn) != CONNECTION_OK)
            return false;
        if (!dispatch(l) && !retry_at)
            retry_at = clock_mono_ms() + RETRY_CATCH_UP_MS;
        if (retry_at && clock_mono_ms() >= retry_at)
            retry_at = catch_up(l) ? 0 : clock_mono_ms() + RETRY_CATCH_UP_MS;
    }
}

static void *listen_main(void *arg)
{
    struct pg_listen *l = arg;
    int backoff = BACKOFF_MIN_MS;
    bool was_up = false;
    while (!__atomic_load_n(&l->is_stopping, __ATOMIC_ACQUIRE)) {
        if (!connect_and_listen(l)) {
            set_state(l, was_up ? ST_DOWN : ST_CONNECTING);
            if (wait_for(l, -1, backoff) < 0)
                break;
            backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
            continue;
        }
        if (was_up)
            __atomic_add_fetch(&l->reconnects, 1, __ATOMIC_RELAXED);
        diag(was_up ? DIAG_INFO : DIAG_DEBUG, "pg_listen: listening on channel %s",
             PG_LISTEN_CHANNEL);
        was_up = true;
        backoff = BACKOFF_MIN_MS;
        set_state(l, ST_UP);
        bool is_stop = listen_loop(l);
        PQfinish(l->conn);
        l->conn = NULL;
        if (is_stop)
            break;
        set_state(l, ST_DOWN);
        diag(DIAG_WARN, "pg_listen: the LISTEN connection dropped; reconnecting");
    }
    return NULL;
}

int pg_listen_start(struct pg_listen *l)
{
    if (pthread_create(&l->thread, NULL, listen_main, l) != 0)
        return OBR_ENOMEM;
    l->is_started = true;
    return 0;
}

void pg_listen_free(struct pg_listen *l)
{
    if (!l)
        return;
    if (l->is_started) {
        __atomic_store_n(&l->is_stopping, true, __ATOMIC_RELEASE);
        ssize_t w;
        do
            w = write(l->wake[1], "x", 1);
        while (w < 0 && errno == EINTR);
        pthread_join(l->thread, NULL);
    }
    close(l->wake[0]);
    close(l->wake[1]);
    free(l->url);
    free(l);
}

const char *pg_listen_state(struct pg_listen *l, int64_t *since_ms, uint64_t *reconnects)
{
    *since_ms = __atomic_load_n(&l->since_ms, __ATOMIC_ACQUIRE);
    *reconnects = __atomic_load_n(&l->reconnects, __ATOMIC_RELAXED);
    switch (__atomic_load_n(&l->state, __ATOMIC_ACQUIRE)) {
    case ST_UP:
        return "up";
    case ST_DOWN:
        return "down";
    default:
        return "connecting";
    }
}

int pg_listen_notify(struct db *db, char kind, const char *rest)
{
    if (!db_has_many_writers(db))
        return 0;
    char payload[DB_NOTE_MAX + 1];
    int len = snprintf(payload, sizeof payload, "%c %s", kind, rest ? rest : "");
    if (len < 0 || (size_t)len >= sizeof payload)
        return OBR_ELIMIT;
    struct db_stmt *s = db_prepare(db, &q_notify);
    int rc = db_bind_text(s, 1, payload);
    if (rc) {
        db_stmt_done(s);
        return rc;
    }
    return db_run(s);
}
