/* test_pg_nodes.c — several writers and nodes on one PostgreSQL store (issue
 * 12 items 2 and 3): a log transaction holding one meeting's lock never
 * blocks another meeting's append, but does block the same meeting's and a
 * db_begin_write transaction; the group commit's sync NOTIFYs the other
 * nodes; a node's LISTEN connection feeds its hub in seq order, and after
 * pg_terminate_backend kills it, reconnects and catches up with no gap and
 * no duplicate. PostgreSQL only (make test-store-pg); skipped on SQLite. */
#include "testutil.h"

#include <pthread.h>
#include <time.h>

#include <jansson.h>

#include "log/eventlog.h"
#include "log/hub.h"
#include "log/log_follow.h"
#include "log/log_sync.h"
#include "store/pg_listen.h"
#include "util/clock.h"
#include "util/err.h"

#define MEETING_A "pgnodesmeeting00000a"
#define MEETING_B "pgnodesmeeting00000b"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static struct db *open_url(const char *url)
{
    struct db_config dc = {.url = url};
    struct db *db = NULL;
    assert_int_equal(db_open(&dc, &db), 0);
    return db;
}

static int append(struct db *db, struct hub *hub, const char *meeting, int n, int64_t *seq)
{
    json_t *p = json_pack("{s:i}", "n", n);
    int rc = log_append_one(db, hub, meeting, "system", "test.tick", p, EVENT_PUBLIC, seq);
    json_decref(p);
    return rc;
}

/* Runs one statement as the cluster's owner on url; the rows it returned. */
static int run_sql(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQresultErrorMessage(r));
    int rows = PQntuples(r);
    PQclear(r);
    PQfinish(c);
    return rows;
}

struct appender {
    const char *url;
    int64_t seq;
    int rc;
    int done; /* atomic */
};

static void *append_a(void *arg)
{
    struct appender *a = arg;
    struct db *db = open_url(a->url);
    a->rc = append(db, NULL, MEETING_A, 2, &a->seq);
    __atomic_store_n(&a->done, 1, __ATOMIC_RELEASE);
    db_close(db);
    return NULL;
}

/* A migrated database of its own, or the test is skipped on SQLite. */
static void fresh_database(char *url, size_t size)
{
    if (!testutil_pg_base())
        skip();
    testutil_pg_new_database(url, size, true);
}

static void test_two_meetings_never_wait(void **state)
{
    char url[600];
    fresh_database(url, sizeof url);
    struct db *held = open_url(url), *other = open_url(url), *plain = open_url(url);
    /* Meeting A's transaction stays open, its lock held from BEGIN (what the
     * caller reads before appending, the meeting's state, is guarded too). */
    struct log_tx tx;
    assert_int_equal(log_tx_begin_for(&tx, held, NULL, MEETING_A), 0);

    /* Meeting B does not wait: a lock wait over 3 s would fail the append. */
    assert_int_equal(db_exec(other, "SET lock_timeout = '3s'"), 0);
    int64_t t0 = clock_mono_ms(), seq_b = 0;
    assert_int_equal(append(other, NULL, MEETING_B, 1, &seq_b), 0);
    assert_int_equal(seq_b, 1);
    assert_true(clock_mono_ms() - t0 < 3000);

    /* Meeting A's next append, on another connection, waits for the first. */
    struct appender a = {.url = url};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, append_a, &a), 0);
    sleep_ms(400);
    assert_int_equal(__atomic_load_n(&a.done, __ATOMIC_ACQUIRE), 0);

    /* A write outside the logs (db_begin_write) still excludes every log
     * transaction, as the one writer lock did. */
    assert_int_equal(db_exec(plain, "SET lock_timeout = '200ms'"), 0);
    assert_int_equal(db_begin_write(plain), OBR_EBUSY);
    db_rollback(plain);
    struct log_tx wide;
    assert_int_equal(log_tx_begin(&wide, plain, NULL), OBR_EBUSY);

    json_t *p = json_pack("{s:i}", "n", 1);
    int64_t seq_a = 0;
    assert_int_equal(log_append(&tx, MEETING_A, "system", "test.tick", p, EVENT_PUBLIC, &seq_a), 0);
    json_decref(p);
    assert_int_equal(seq_a, 1);
    assert_int_equal(log_tx_commit(&tx), 0);
    pthread_join(t, NULL);
    assert_int_equal(a.rc, 0);
    assert_int_equal(a.seq, 2); /* computed after the first commit, inside its own lock */
    struct log_verify_result r;
    assert_int_equal(log_verify(other, MEETING_A, &r), 0);
    assert_int_equal(r.events, 2);
    assert_int_equal(r.bad_seq, 0);
    /* Once no log transaction is open, db_begin_write gets its lock. */
    assert_int_equal(db_begin_write(plain), 0);
    assert_int_equal(db_commit(plain), 0);
    db_close(held);
    db_close(other);
    db_close(plain);
}

/* ---- notes and the follower ---- */

struct notes_seen {
    pthread_mutex_t lock;
    char last_e[256];
    int n_x;
    char last_x[64];
    int n_connected;
};

static int on_e(const char *rest, void *ctx)
{
    struct notes_seen *n = ctx;
    pthread_mutex_lock(&n->lock);
    snprintf(n->last_e, sizeof n->last_e, "%s", rest);
    pthread_mutex_unlock(&n->lock);
    return 0;
}

static int on_x(const char *rest, void *ctx)
{
    struct notes_seen *n = ctx;
    pthread_mutex_lock(&n->lock);
    n->n_x++;
    snprintf(n->last_x, sizeof n->last_x, "%s", rest);
    pthread_mutex_unlock(&n->lock);
    return 0;
}

static int on_x_connected(void *ctx)
{
    struct notes_seen *n = ctx;
    pthread_mutex_lock(&n->lock);
    n->n_connected++;
    pthread_mutex_unlock(&n->lock);
    return 0;
}

static bool wait_listen_up(struct pg_listen *l)
{
    for (int i = 0; i < 200; i++) {
        int64_t since;
        uint64_t reconnects;
        if (!strcmp(pg_listen_state(l, &since, &reconnects), "up"))
            return true;
        sleep_ms(50);
    }
    return false;
}

/* Waits up to 5 s for the last "e" note to be want. */
static bool wait_last_e(struct notes_seen *n, const char *want)
{
    bool seen = false;
    for (int i = 0; i < 200 && !seen; i++) {
        pthread_mutex_lock(&n->lock);
        seen = !strcmp(n->last_e, want);
        pthread_mutex_unlock(&n->lock);
        if (!seen)
            sleep_ms(25);
    }
    return seen;
}

static void test_sync_notifies_and_other_kinds(void **state)
{
    char url[600];
    fresh_database(url, sizeof url);
    struct notes_seen n = {.lock = PTHREAD_MUTEX_INITIALIZER};
    struct pg_listen *l = pg_listen_new(url);
    assert_non_null(l);
    struct pg_listen_handler he = {.kind = 'e', .on_note = on_e, .ctx = &n};
    struct pg_listen_handler hx = {.kind = 'x', .on_note = on_x, .on_connected = on_x_connected,
                                   .ctx = &n};
    assert_int_equal(pg_listen_add(l, &he), 0);
    assert_int_equal(pg_listen_add(l, &hx), 0);
    assert_int_equal(pg_listen_start(l), 0);
    assert_true(wait_listen_up(l));

    struct db *db = open_url(url);
    for (int i = 1; i <= 3; i++)
        assert_int_equal(append(db, NULL, MEETING_A, i, NULL), 0);
    assert_true(wait_last_e(&n, MEETING_A " 3 3"));
    /* Committed with a hub (a server's write): tagged as this node's own. */
    struct hub *hub = hub_new(0);
    assert_int_equal(append(db, hub, MEETING_A, 4, NULL), 0);
    char tagged[128];
    snprintf(tagged, sizeof tagged, MEETING_A " 4 4 %s", log_sync_node_tag());
    assert_true(wait_last_e(&n, tagged));
    hub_free(hub);

    /* Another kind: delivered at COMMIT, never on ROLLBACK. */
    assert_int_equal(db_begin_write(db), 0);
    assert_int_equal(pg_listen_notify(db, 'x', "dropped"), 0);
    assert_int_equal(db_rollback(db), 0);
    assert_int_equal(db_begin_write(db), 0);
    assert_int_equal(pg_listen_notify(db, 'x', "cache 42"), 0);
    assert_int_equal(db_commit(db), 0);
    for (int i = 0; i < 200; i++) {
        pthread_mutex_lock(&n.lock);
        int got = n.n_x;
        pthread_mutex_unlock(&n.lock);
        if (got)
            break;
        sleep_ms(25);
    }
    sleep_ms(200);
    pthread_mutex_lock(&n.lock);
    assert_int_equal(n.n_x, 1);
    assert_string_equal(n.last_x, "cache 42");
    assert_int_equal(n.n_connected, 1);
    pthread_mutex_unlock(&n.lock);
    db_close(db);
    pg_listen_free(l);
}

/* A subscriber as sse.c is one: from the hub, and from the store when it
 * fell behind the ring (-1: the ring restarted past a gap). */
struct watcher {
    struct hub_sub sub;
    struct db *db;    /* its own connection, for the store reads */
    const char *meeting;
    int64_t next_seq; /* under the topic lock */
    int n_wrong;      /* an event that was not the next seq */
    int n_store_reads;
};

static void on_wake(struct hub_sub *sub, enum hub_wake why)
{
    struct watcher *w = sub->ctx;
    struct event *out[64];
    int n;
    while ((n = hub_fetch_locked(sub, w->next_seq, out, 64)) != 0) {
        if (n < 0) {
            w->n_store_reads++;
            if (log_read(w->db, w->meeting, w->next_seq, out, 64, &n) || n == 0) {
                w->n_wrong++;
                return;
            }
        }
        for (int i = 0; i < n; i++) {
            if (out[i]->seq != w->next_seq)
                w->n_wrong++;
            w->next_seq = out[i]->seq + 1;
            event_unref(out[i]);
        }
    }
}

static int64_t watched(struct watcher *w)
{
    hub_lock(&w->sub);
    int64_t v = w->next_seq - 1;
    hub_unlock(&w->sub);
    return v;
}

static bool wait_watched(struct watcher *w, int64_t seq)
{
    for (int i = 0; i < 400 && watched(w) < seq; i++)
        sleep_ms(25);
    return watched(w) == seq;
}

#define KILL_LISTEN                                                                                \
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "          \
    "'obrady-listen' AND datname = current_database()"

static void test_follower_feeds_hub_across_a_dropped_connection(void **state)
{
    char url[600];
    fresh_database(url, sizeof url);
    struct db_config dc = {.url = url};
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&dc, &pool), 0);
    struct hub *hub = hub_new(4096);
    struct log_follow *f = log_follow_new(hub, pool, url);
    struct pg_listen *l = pg_listen_new(url);
    assert_non_null(f);
    assert_non_null(l);
    assert_int_equal(log_follow_attach(f, l), 0);
    assert_int_equal(pg_listen_start(l), 0);
    assert_true(wait_listen_up(l));
    struct watcher w = {.next_seq = 1, .db = open_url(url), .meeting = MEETING_A};
    w.sub.wake = on_wake;
    w.sub.ctx = &w;
    assert_int_equal(hub_subscribe(hub, MEETING_A, &w.sub), 0);

    /* "Another node" writes: no hub of ours is given the events. */
    struct db *node_a = open_url(url);
    for (int i = 1; i <= 5; i++)
        assert_int_equal(append(node_a, NULL, MEETING_A, i, NULL), 0);
    assert_true(wait_watched(&w, 5));

    /* Kill the LISTEN backend and write while it is away, repeatedly. */
    for (int round = 0; round < 5; round++) {
        int killed = 0;
        for (int i = 0; i < 200 && !killed; i++) /* once it is back from the last round */
            if (!(killed = run_sql(url, KILL_LISTEN)))
                sleep_ms(10);
        assert_int_equal(killed, 1);
        for (int i = 0; i < 3; i++)
            assert_int_equal(append(node_a, NULL, MEETING_A, 100 + i, NULL), 0);
        sleep_ms(round * 40);
    }
    assert_true(wait_watched(&w, 20));

    /* Deaf for sure: no new connection to the database is allowed, the
     * LISTEN backend is killed, meeting B gets 4 events nobody tells us of;
     * they arrive only by the catch-up after the reconnect. */
    struct watcher wb = {.next_seq = 1, .db = open_url(url), .meeting = MEETING_B};
    wb.sub.wake = on_wake;
    wb.sub.ctx = &wb;
    assert_int_equal(hub_subscribe(hub, MEETING_B, &wb.sub), 0);
    assert_int_equal(append(node_a, NULL, MEETING_B, 1, NULL), 0);
    assert_true(wait_watched(&wb, 1));
    int64_t since;
    uint64_t reconnects, before_deaf;
    pg_listen_state(l, &since, &before_deaf);
    assert_true(before_deaf >= 1); /* came back after the kills above */
    const char *name = strrchr(url, '/') + 1;
    char sql[200], admin[600];
    snprintf(admin, sizeof admin, "%s/postgres", testutil_pg_base());
    snprintf(sql, sizeof sql, "ALTER DATABASE %s ALLOW_CONNECTIONS false", name);
    run_sql(admin, sql);
    assert_int_equal(run_sql(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE application_name = 'obrady-listen'"), 1);
    for (int i = 2; i <= 5; i++)
        assert_int_equal(append(node_a, NULL, MEETING_B, i, NULL), 0);
    sleep_ms(500);
    assert_int_equal(watched(&wb), 1);
    assert_string_equal(pg_listen_state(l, &since, &reconnects), "down");
    snprintf(sql, sizeof sql, "ALTER DATABASE %s ALLOW_CONNECTIONS true", name);
    run_sql(admin, sql);
    assert_true(wait_watched(&wb, 5));
    assert_true(wait_listen_up(l));
    pg_listen_state(l, &since, &reconnects);
    assert_true(reconnects > before_deaf);
    /* And this node's own commits are published once, beside the follower's. */
    struct db *node_b = open_url(url);
    for (int i = 0; i < 10; i++)
        assert_int_equal(append(i % 2 ? node_a : node_b, i % 2 ? NULL : hub, MEETING_A, i, NULL),
                         0);
    assert_true(wait_watched(&w, 30));
    sleep_ms(300);
    assert_int_equal(watched(&w), 30);
    hub_lock(&w.sub);
    int wrong = w.n_wrong;
    hub_unlock(&w.sub);
    assert_int_equal(wrong, 0);
    assert_int_equal(wb.n_wrong, 0);
    assert_true(log_follow_count(f) >= 20);

    hub_unsubscribe(hub, &wb.sub);
    hub_unsubscribe(hub, &w.sub);
    db_close(w.db);
    db_close(wb.db);
    db_close(node_a);
    db_close(node_b);
    pg_listen_free(l);
    log_follow_free(f);
    db_pool_close(pool);
    hub_free(hub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_meetings_never_wait),
        cmocka_unit_test(test_sync_notifies_and_other_kinds),
        cmocka_unit_test(test_follower_feeds_hub_across_a_dropped_connection),
    };
    return cmocka_run_group_tests_name("PostgreSQL nodes", tests, NULL, NULL);
}
