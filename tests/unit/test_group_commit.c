/* test_group_commit.c — the log's group commit (log/eventlog.c): writers on
 * many threads with synchronous=FULL all commit, their events reach the hub
 * in seq order with nothing missing; a deferred commit (the HTTP server's
 * path) returns before its sync and calls back exactly once afterwards; a
 * request committing twice is called back once, after both. */
#include "testutil.h"

#include <pthread.h>

#include <jansson.h>

#include "log/eventlog.h"
#include "log/hub.h"
#include "util/err.h"

#define MEETING "grpcommit0000000000a"
#define N_THREADS 4
#define N_PER_THREAD 60

struct watcher {
    struct hub_sub sub;
    int64_t next_seq; /* guarded by the topic lock (wake runs under it) */
    int n_out_of_order;
};

static void on_wake(struct hub_sub *sub, enum hub_wake why)
{
    struct watcher *w = sub->ctx;
    struct event *out[64];
    int n;
    while ((n = hub_fetch_locked(sub, w->next_seq, out, 64)) > 0) {
        for (int i = 0; i < n; i++) {
            if (out[i]->seq != w->next_seq)
                w->n_out_of_order++;
            w->next_seq = out[i]->seq + 1;
            event_unref(out[i]);
        }
    }
}

struct fx {
    char *dir;
    struct db_pool *pool;
    struct hub *hub;
};

static int append_one(struct db *db, struct hub *hub, int n)
{
    json_t *p = json_pack("{s:i}", "n", n);
    int rc = log_append_one(db, hub, MEETING, "system", "test.tick", p, EVENT_PUBLIC, NULL);
    json_decref(p);
    return rc;
}

static void *writer(void *arg)
{
    struct fx *fx = arg;
    struct db *db = db_pool_get(fx->pool);
    for (int i = 0; i < N_PER_THREAD; i++)
        if (append_one(db, fx->hub, i))
            return (void *)1;
    return NULL;
}

/* A durable (synchronous=FULL) store behind a pool, as the server has it. */
static struct db_pool *open_full_pool(const char *dir)
{
    db_close(testutil_open_db(dir, false));
    char path[600];
    snprintf(path, sizeof path, "%s/obrady.db", dir);
    struct db_config dc = {.sqlite_path = path};
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&dc, &pool), 0);
    return pool;
}

static void test_concurrent_writers_all_commit_in_seq_order(void **state)
{
    struct fx fx = {.dir = testutil_tmpdir()};
    fx.pool = open_full_pool(fx.dir);
    fx.hub = hub_new(4096);
    struct watcher w = {.next_seq = 1};
    w.sub.wake = on_wake;
    w.sub.ctx = &w;
    assert_int_equal(hub_subscribe(fx.hub, MEETING, &w.sub), 0);
    pthread_t t[N_THREADS];
    for (int i = 0; i < N_THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer, &fx), 0);
    for (int i = 0; i < N_THREADS; i++) {
        void *ret;
        pthread_join(t[i], &ret);
        assert_null(ret);
    }
    /* Every commit returned after its publication: all are in the hub. */
    hub_lock(&w.sub);
    int64_t seen = w.next_seq - 1;
    hub_unlock(&w.sub);
    assert_int_equal(seen, N_THREADS * N_PER_THREAD);
    assert_int_equal(w.n_out_of_order, 0);
    struct log_verify_result r;
    assert_int_equal(log_verify(db_pool_get(fx.pool), MEETING, &r), 0);
    assert_int_equal(r.events, N_THREADS * N_PER_THREAD);
    assert_int_equal(r.bad_seq, 0);
    hub_unsubscribe(fx.hub, &w.sub);
    hub_free(fx.hub);
    db_pool_close(fx.pool);
    testutil_rmdir(fx.dir);
}

struct callback {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int n_calls;
    int rc;
};

static void on_done(void *ctx, int rc)
{
    struct callback *c = ctx;
    pthread_mutex_lock(&c->lock);
    c->n_calls++;
    c->rc = rc;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

/* Ends the deferral and waits for its callback if one is due. */
static void end_and_wait(struct callback *c)
{
    int r = log_defer_end(on_done, c);
    assert_true(r == 0 || r == 1);
    if (r == 0)
        return;
    pthread_mutex_lock(&c->lock);
    while (c->n_calls == 0)
        pthread_cond_wait(&c->cond, &c->lock);
    pthread_mutex_unlock(&c->lock);
    assert_int_equal(c->n_calls, 1);
    assert_int_equal(c->rc, 0);
}

static void test_deferred_commit_calls_back_once(void **state)
{
    char *dir = testutil_tmpdir();
    struct db_pool *pool = open_full_pool(dir);
    struct db *db = db_pool_get(pool);
    struct callback c = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

    log_defer_begin();
    assert_false(log_defer_is_pending());
    assert_int_equal(log_defer_end(on_done, &c), 0); /* nothing committed: no callback */

    log_defer_begin();
    assert_int_equal(append_one(db, NULL, 1), 0);
    assert_true(log_defer_is_pending());
    end_and_wait(&c);

    /* Two commits in one request: one callback, after both. */
    c.n_calls = 0;
    log_defer_begin();
    assert_int_equal(append_one(db, NULL, 2), 0);
    assert_int_equal(append_one(db, NULL, 3), 0);
    end_and_wait(&c);
    int64_t seq;
    char hash[EVENT_HASH_HEX + 1];
    assert_int_equal(log_head(db, MEETING, &seq, hash), 0);
    assert_int_equal(seq, 3);
    usleep(50000); /* a second callback would come now */
    assert_true(c.n_calls <= 1);
    db_pool_close(pool);
    testutil_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_writers_all_commit_in_seq_order),
        cmocka_unit_test(test_deferred_commit_calls_back_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
