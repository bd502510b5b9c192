/* scheduler.c — see scheduler.h. The thread sleeps until the earliest
 * deadline (at most a second, so a deadline added by another process is not
 * missed for long) or a nudge. Each due deadline is claimed first (a lease
 * naming this node), so of several nodes on one database one runs it; a
 * node that dies mid-run loses the claim after LEASE_MS. */
#include "ops/scheduler.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "ops/metrics.h"
#include "store/db.h"
#include "store/jobs.h"
#include "util/clock.h"
#include "util/diag.h"

#define MAX_KINDS 8
#define BATCH 32
#define MAX_SLEEP_MS 1000
#define LEASE_MS 30000
#define SWEEP_MS 60000

static struct {
    const char *kind;
    scheduler_fn fn;
} handlers[MAX_KINDS];
static int n_handlers;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards is_running, is_stopping, is_nudged */
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static bool is_running, is_stopping, is_nudged;
static struct db_pool *s_pool;
static struct hub *s_hub;
static void *s_ctx;

int scheduler_register(const char *kind, scheduler_fn fn)
{
    if (n_handlers == MAX_KINDS)
        return OBR_ELIMIT;
    for (int i = 0; i < n_handlers; i++)
        if (!strcmp(handlers[i].kind, kind)) {
            handlers[i].fn = fn;
            return 0;
        }
    handlers[n_handlers].kind = kind;
    handlers[n_handlers].fn = fn;
    n_handlers++;
    return 0;
}

static scheduler_fn handler_of(const char *kind)
{
    for (int i = 0; i < n_handlers; i++)
        if (!strcmp(handlers[i].kind, kind))
            return handlers[i].fn;
    return NULL;
}

/* Runs what is due; returns how long to sleep. */
static int64_t run_due(struct db *db)
{
    struct deadline due[BATCH];
    int n = 0;
    int64_t now = clock_now_ms();
    if (deadlines_due(db, now, due, BATCH, &n))
        return MAX_SLEEP_MS;
    bool has_failed = false;
    for (int i = 0; i < n; i++) {
        int claimed = deadlines_claim(db, due[i].id, node_id(), clock_now_ms(), LEASE_MS);
        if (claimed != 1) {
            if (claimed < 0)
                has_failed = true;
            continue; /* another node has it */
        }
        metrics_deadline_run(clock_now_ms() - due[i].due_ms);
        scheduler_fn fn = handler_of(due[i].kind);
        int rc = fn ? fn(db, s_hub, s_ctx, &due[i])
                    : deadlines_done(db, due[i].meeting_id, due[i].kind, due[i].ref_id, now);
        if (!fn)
            diag(DIAG_WARN, "scheduler: no handler for %s deadlines; dropped", due[i].kind);
        if (rc) {
            has_failed = true;
            deadlines_unclaim(db, due[i].id, node_id());
            diag(DIAG_WARN, "scheduler: %s deadline of %s failed (%s); will retry", due[i].kind,
                 due[i].meeting_id, obr_strerror(rc));
        }
    }
    if (n == BATCH && !has_failed)
        return 0;
    int64_t next = deadlines_next_ms(db);
    int64_t wait = next - clock_now_ms();
    if (has_failed && wait < MAX_SLEEP_MS)
        wait = MAX_SLEEP_MS;
    return wait < 0 ? 0 : wait > MAX_SLEEP_MS ? MAX_SLEEP_MS : wait;
}

/* Now and then: shared rate-limit buckets that are full again are
 * forgotten (PostgreSQL only; SQLite keeps its limits in memory). */
static void sweep(struct db *db, int64_t *last_ms)
{
    int64_t now = clock_now_ms();
    if (now - *last_ms < SWEEP_MS || strcmp(db_backend_name(db), "postgresql"))
        return;
    *last_ms = now;
    rate_buckets_sweep(db, now);
}

static void *scheduler_main(void *arg)
{
    struct db *db = db_pool_get(s_pool);
    int64_t last_sweep_ms = 0;
    pthread_mutex_lock(&lock);
    while (!is_stopping) {
        pthread_mutex_unlock(&lock);
        if (db)
            sweep(db, &last_sweep_ms);
        int64_t wait_ms = db ? run_due(db) : MAX_SLEEP_MS;
        pthread_mutex_lock(&lock);
        if (is_stopping)
            break;
        if (is_nudged) {
            is_nudged = false;
            continue;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += wait_ms / 1000;
        ts.tv_nsec += (long)(wait_ms % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        while (!is_stopping && !is_nudged &&
               pthread_cond_timedwait(&cond, &lock, &ts) == 0)
            ;
        is_nudged = false;
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int scheduler_start(struct db_pool *pool, struct hub *hub, void *ctx)
{
    pthread_mutex_lock(&lock);
    s_pool = pool;
    s_hub = hub;
    s_ctx = ctx;
    is_stopping = false;
    int rc = is_running ? 0 : pthread_create(&thread, NULL, scheduler_main, NULL);
    if (!rc)
        is_running = true;
    pthread_mutex_unlock(&lock);
    return rc ? OBR_EIO : 0;
}

void scheduler_nudge(void)
{
    pthread_mutex_lock(&lock);
    is_nudged = true;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

void scheduler_stop(void)
{
    pthread_mutex_lock(&lock);
    if (!is_running) {
        pthread_mutex_unlock(&lock);
        return;
    }
    is_stopping = true;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    pthread_join(thread, NULL);
    pthread_mutex_lock(&lock);
    is_running = false;
    pthread_mutex_unlock(&lock);
}
