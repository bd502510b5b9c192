/* test_group_commit.c — the log's group commit (log/eventlog.c): writers on
 * many threads with synchronous=FULL all commit, their events reach the hub
 * in seq order with nothing missing; a deferred commit (the HTTP server's
 * path) returns before its sync and calls back exactly once afterwards; a
 * request committing twice is called back once, after both. The waits a
 * ballot batch hands out before its commit (log_part_wait_new): told only
 * after the sync, with the events published first; a lost batch's deferred
 * wait calls back once with the error; the ballot writer's callback waits
 * (log_part_wait_new_cb) are called once, after the sync and publication,
 * or with a lost batch's error; the syncer's idle hook runs after a
 * round. Commits synced on their own thread while the syncer is idle,
 * interleaved with batches queued to it, still reach the hub in seq order.
 * The pool's writer connection is one for every thread. */
#include "testutil.h"

#include <pthread.h>
#include <unistd.h>

#include <jansson.h>

#include "log/eventlog.h"
#include "log/hub.h"
#include "log/log_sync.h"
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

/* A full pool and a hub with w following MEETING from seq 1. */
static void open_watched(struct fx *fx, struct watcher *w)
{
    *fx = (struct fx){.dir = testutil_tmpdir()};
    fx->pool = open_full_pool(fx->dir);
    fx->hub = hub_new(4096);
    *w = (struct watcher){.next_seq = 1};
    w->sub.wake = on_wake;
    w->sub.ctx = w;
    assert_int_equal(hub_subscribe(fx->hub, MEETING, &w->sub), 0);
}

static void test_concurrent_writers_all_commit_in_seq_order(void **state)
{
    struct fx fx;
    struct watcher w;
    open_watched(&fx, &w);
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

/* The owner of an early wait (vote_batch.c releases it before the commit). */
struct early_owner {
    struct log_sync_wait *w[2];
    struct watcher *watcher;
    pthread_mutex_t lock;
    bool is_done;
    int rc[2];
    int64_t seen_at_return; /* the last seq the hub had given out then */
};

static void *wait_early(void *arg)
{
    struct early_owner *o = arg;
    for (int i = 0; i < 2; i++)
        o->rc[i] = log_part_wait(o->w[i]);
    hub_lock(&o->watcher->sub);
    int64_t seen = o->watcher->next_seq - 1;
    hub_unlock(&o->watcher->sub);
    pthread_mutex_lock(&o->lock);
    o->seen_at_return = seen;
    o->is_done = true;
    pthread_mutex_unlock(&o->lock);
    return NULL;
}

static void append_part(struct log_tx *tx, struct log_part *part, struct log_sync_wait *w)
{
    int mark;
    assert_int_equal(log_tx_part_begin(tx, &mark), 0);
    json_t *p = json_pack("{s:i}", "n", mark);
    assert_int_equal(log_append(tx, MEETING, "system", "test.tick", p, EVENT_PUBLIC, NULL), 0);
    json_decref(p);
    assert_int_equal(log_tx_part_end(tx, mark, true), 0);
    *part = (struct log_part){.first = mark, .n = tx->n_pending - mark, .wait = w, .is_premade = true};
}

static void test_early_waits_told_after_sync_and_publication(void **state)
{
    char *dir = testutil_tmpdir();
    struct db_pool *pool = open_full_pool(dir);
    struct db *db = db_pool_writer(pool);
    assert_non_null(db);
    assert_ptr_equal(db, db_pool_writer(pool));
    assert_ptr_not_equal(db, db_pool_get(pool));
    struct hub *hub = hub_new(4096);
    struct watcher wt = {.next_seq = 1};
    wt.sub.wake = on_wake;
    wt.sub.ctx = &wt;
    assert_int_equal(hub_subscribe(hub, MEETING, &wt.sub), 0);

    struct log_tx tx;
    struct log_part parts[2];
    struct early_owner o = {.watcher = &wt, .lock = PTHREAD_MUTEX_INITIALIZER};
    assert_int_equal(log_tx_begin_batch(&tx, db, hub), 0);
    for (int i = 0; i < 2; i++) {
        o.w[i] = log_part_wait_new(false);
        assert_non_null(o.w[i]);
        append_part(&tx, &parts[i], o.w[i]);
    }
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, wait_early, &o), 0);
    usleep(100000); /* an owner told before the commit would be done now */
    pthread_mutex_lock(&o.lock);
    assert_false(o.is_done);
    pthread_mutex_unlock(&o.lock);
    assert_int_equal(log_tx_commit_parts(&tx, parts, 2), 0);
    pthread_join(t, NULL);
    assert_int_equal(o.rc[0], 0);
    assert_int_equal(o.rc[1], 0);
    /* Published (after the sync, by the syncer) before the owner was told. */
    assert_int_equal(o.seen_at_return, 2);
    assert_int_equal(wt.n_out_of_order, 0);
    hub_unsubscribe(hub, &wt.sub);
    hub_free(hub);
    db_pool_close(pool);
    testutil_rmdir(dir);
}

static void test_early_deferred_wait_of_lost_batch_calls_back_with_error(void **state)
{
    char *dir = testutil_tmpdir();
    struct db_pool *pool = open_full_pool(dir);
    struct db *db = db_pool_writer(pool);
    struct callback c = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
    struct log_tx tx;
    struct log_part part;
    log_defer_begin(); /* the request thread: its part ran, its reply is held */
    struct log_sync_wait *w = log_part_wait_new(true);
    assert_non_null(w);
    assert_int_equal(log_tx_begin_batch(&tx, db, NULL), 0);
    append_part(&tx, &part, w);
    assert_int_equal(log_part_wait(w), 0); /* deferred: at once */
    assert_true(log_defer_is_pending());
    assert_int_equal(log_defer_end(on_done, &c), 1);
    usleep(50000);
    assert_int_equal(c.n_calls, 0); /* nothing before the outcome */
    log_tx_rollback(&tx); /* the batch is lost (vote_batch.c: then fails its waits) */
    log_sync_fail(w, OBR_EFULL);
    pthread_mutex_lock(&c.lock);
    assert_int_equal(c.n_calls, 1);
    assert_int_equal(c.rc, OBR_EFULL);
    pthread_mutex_unlock(&c.lock);
    int64_t seq;
    char hash[EVENT_HASH_HEX + 1];
    assert_int_equal(log_head(db, MEETING, &seq, hash), 0);
    assert_int_equal(seq, 0);
    db_pool_close(pool);
    testutil_rmdir(dir);
}

/* The ballot writer's waits (log_part_wait_new_cb): nobody waits on a
 * thread; each is called back exactly once, after its sync, with its events
 * already published, and a lost batch's with the error. */
struct cb_owner {
    struct callback c;
    struct watcher *watcher;
    int64_t seen_at_call; /* the last seq the hub had given out then */
};

static void on_part_done(void *ctx, int rc)
{
    struct cb_owner *o = ctx;
    hub_lock(&o->watcher->sub);
    o->seen_at_call = o->watcher->next_seq - 1;
    hub_unlock(&o->watcher->sub);
    on_done(&o->c, rc);
}

static void test_callback_waits_called_once_after_sync_and_publication(void **state)
{
    char *dir = testutil_tmpdir();
    struct db_pool *pool = open_full_pool(dir);
    struct db *db = db_pool_writer(pool);
    struct hub *hub = hub_new(4096);
    struct watcher wt = {.next_seq = 1};
    wt.sub.wake = on_wake;
    wt.sub.ctx = &wt;
    assert_int_equal(hub_subscribe(hub, MEETING, &wt.sub), 0);
    struct cb_owner o[3];
    for (int i = 0; i < 3; i++)
        o[i] = (struct cb_owner){.c = {.lock = PTHREAD_MUTEX_INITIALIZER,
                                       .cond = PTHREAD_COND_INITIALIZER},
                                 .watcher = &wt};
    struct log_tx tx;
    struct log_part parts[2];
    assert_int_equal(log_tx_begin_batch(&tx, db, hub), 0);
    for (int i = 0; i < 2; i++) {
        struct log_sync_wait *w = log_part_wait_new_cb(on_part_done, &o[i]);
        assert_non_null(w);
        append_part(&tx, &parts[i], w);
    }
    usleep(50000);
    for (int i = 0; i < 2; i++)
        assert_int_equal(o[i].c.n_calls, 0); /* nothing before the commit */
    assert_int_equal(log_tx_commit_parts(&tx, parts, 2), 0);
    for (int i = 0; i < 2; i++) {
        pthread_mutex_lock(&o[i].c.lock);
        while (o[i].c.n_calls == 0)
            pthread_cond_wait(&o[i].c.cond, &o[i].c.lock);
        pthread_mutex_unlock(&o[i].c.lock);
        assert_int_equal(o[i].c.rc, 0);
        assert_int_equal(o[i].seen_at_call, 2); /* both parts published first */
    }
    /* A lost batch: its kept part's wait is called back with the error. */
    struct log_part lost;
    struct log_sync_wait *w = log_part_wait_new_cb(on_part_done, &o[2]);
    assert_non_null(w);
    assert_int_equal(log_tx_begin_batch(&tx, db, hub), 0);
    append_part(&tx, &lost, w);
    log_tx_rollback(&tx);
    assert_int_equal(o[2].c.n_calls, 0);
    log_sync_fail(w, OBR_EFULL);
    assert_int_equal(o[2].c.n_calls, 1);
    assert_int_equal(o[2].c.rc, OBR_EFULL);
    usleep(50000); /* a second callback would come now */
    for (int i = 0; i < 3; i++)
        assert_int_equal(o[i].c.n_calls, 1);
    int64_t seq;
    char hash[EVENT_HASH_HEX + 1];
    assert_int_equal(log_head(db, MEETING, &seq, hash), 0);
    assert_int_equal(seq, 2);
    assert_int_equal(wt.n_out_of_order, 0);
    hub_unsubscribe(hub, &wt.sub);
    hub_free(hub);
    db_pool_close(pool);
    testutil_rmdir(dir);
}

static pthread_mutex_t idle_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t idle_cond = PTHREAD_COND_INITIALIZER;
static int n_idle;

static void on_idle(void)
{
    pthread_mutex_lock(&idle_lock);
    n_idle++;
    pthread_cond_broadcast(&idle_cond);
    pthread_mutex_unlock(&idle_lock);
}

static void test_syncer_goes_idle_after_a_round(void **state)
{
    char *dir = testutil_tmpdir();
    struct db_pool *pool = open_full_pool(dir);
    log_sync_set_idle_hook(on_idle);
    pthread_mutex_lock(&idle_lock);
    n_idle = 0;
    pthread_mutex_unlock(&idle_lock);
    assert_int_equal(append_one(db_pool_get(pool), NULL, 1), 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&idle_lock);
    while (n_idle == 0 && pthread_cond_timedwait(&idle_cond, &idle_lock, &until) == 0) {
    }
    int n = n_idle;
    pthread_mutex_unlock(&idle_lock);
    assert_true(n >= 1);
    assert_false(log_sync_is_busy());
    log_sync_set_idle_hook(NULL);
    db_pool_close(pool);
    testutil_rmdir(dir);
}

/* A ballot writer's rounds: two parts per commit, always queued. */
static void *batch_writer(void *arg)
{
    struct fx *fx = arg;
    struct db *db = db_pool_writer(fx->pool);
    for (int r = 0; r < N_PER_THREAD / 2; r++) {
        struct log_tx tx;
        struct log_part parts[2];
        if (log_tx_begin_batch(&tx, db, fx->hub))
            return (void *)1;
        for (int i = 0; i < 2; i++) {
            struct log_sync_wait *w = log_part_wait_new(false);
            if (!w)
                return (void *)1;
            int mark;
            json_t *p = json_pack("{s:i}", "n", r);
            int rc = log_tx_part_begin(&tx, &mark);
            rc = rc ? rc : log_append(&tx, MEETING, "system", "test.batch", p, EVENT_PUBLIC, NULL);
            rc = rc ? rc : log_tx_part_end(&tx, mark, true);
            json_decref(p);
            if (rc)
                return (void *)1;
            parts[i] = (struct log_part){
                .first = mark, .n = tx.n_pending - mark, .wait = w, .is_premade = true};
        }
        if (log_tx_commit_parts(&tx, parts, 2))
            return (void *)1;
        for (int i = 0; i < 2; i++)
            if (log_part_wait(parts[i].wait))
                return (void *)1;
    }
    return NULL;
}

static void test_inline_and_queued_syncs_publish_in_seq_order(void **state)
{
    struct fx fx;
    struct watcher w;
    open_watched(&fx, &w);
    long inline0, queued0, inline1, queued1;
    log_sync_counts(&inline0, &queued0);
    pthread_t t[N_THREADS], bt;
    assert_int_equal(pthread_create(&bt, NULL, batch_writer, &fx), 0);
    for (int i = 0; i < N_THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer, &fx), 0);
    void *ret;
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(t[i], &ret);
        assert_null(ret);
    }
    pthread_join(bt, &ret);
    assert_null(ret);
    log_sync_counts(&inline1, &queued1);
    /* Both paths were taken: single commits synced inline while the syncer
     * was idle, and commits queued behind a batch (every batch queues). */
    assert_true(inline1 > inline0);
    assert_true(queued1 - queued0 > N_PER_THREAD / 2);
    int total = N_THREADS * N_PER_THREAD + N_PER_THREAD / 2 * 2;
    hub_lock(&w.sub);
    int64_t seen = w.next_seq - 1;
    hub_unlock(&w.sub);
    assert_int_equal(seen, total);
    assert_int_equal(w.n_out_of_order, 0);
    struct log_verify_result r;
    assert_int_equal(log_verify(db_pool_get(fx.pool), MEETING, &r), 0);
    assert_int_equal(r.events, total);
    assert_int_equal(r.bad_seq, 0);
    hub_unsubscribe(fx.hub, &w.sub);
    hub_free(fx.hub);
    db_pool_close(fx.pool);
    testutil_rmdir(fx.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_writers_all_commit_in_seq_order),
        cmocka_unit_test(test_deferred_commit_calls_back_once),
        cmocka_unit_test(test_early_waits_told_after_sync_and_publication),
        cmocka_unit_test(test_early_deferred_wait_of_lost_batch_calls_back_with_error),
        cmocka_unit_test(test_callback_waits_called_once_after_sync_and_publication),
        cmocka_unit_test(test_syncer_goes_idle_after_a_round),
        cmocka_unit_test(test_inline_and_queued_syncs_publish_in_seq_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
