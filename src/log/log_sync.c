/* log_sync.c — group commit for the event log (see log_sync.h).
 * A log transaction commits without syncing (db_set_deferred_sync) under the
 * writer lock, queues itself (in commit order, as the lock is still held),
 * and lets the next writer in. One syncer thread takes the whole queue,
 * syncs once for all of it, publishes its events in commit order and tells
 * the owners. So one fsync serves every transaction committed while the
 * previous one ran; nobody is told "stored" before its transaction is
 * durable; subscribers see only durable events, in seq order. A single
 * commit made while the syncer is idle is synced by its own thread instead
 * (enqueue), the syncer held off until it is done.
 *
 * An owner either waits (log_sync_wait blocks until its sync), or, inside a
 * deferral (log_defer_begin, used by the HTTP layer), returns at once and is
 * called back after the sync, so a server thread sits in an fsync only for
 * an inline one (nothing else then waits for a sync). */
#include "log/log_sync.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "log/hub.h"
#include "store/db.h"
#include "util/diag.h"
#include "util/fantrace.h"
#include "util/ids.h"
#include "util/thread.h"

/* sync_lock guards the queue and every queued entry's rc, is_done, done, ctx. */
static pthread_mutex_t sync_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t sync_work = PTHREAD_COND_INITIALIZER;
static pthread_cond_t sync_done = PTHREAD_COND_INITIALIZER;
static struct log_sync_wait *queue_head, **queue_tail = &queue_head;
static pthread_once_t syncer_once = PTHREAD_ONCE_INIT;
static bool has_syncer;
static bool is_syncing; /* the syncer took a batch and is not done with it */
static bool is_inline_syncing; /* a committing thread syncs its own commit (enqueue) */
static void (*idle_hook)(void);
static long n_inline, n_queued; /* commits synced inline / queued (sync_lock) */
static bool is_inline_allowed = true; /* OBRADY_SYNC_INLINE=0: never */

/* This thread's deferral: the last deferred commit of the request being
 * handled (earlier ones were waited for), and the first error among them. */
struct deferral {
    bool is_open;
    struct log_sync_wait *last;
    int rc;
};
static __thread struct deferral deferral;

static void release_wait(struct log_sync_wait *w)
{
    for (int i = 0; i < w->n_events; i++) {
        diag(DIAG_INFO, "event %s #%" PRId64 " %s", w->events[i]->meeting_id, w->events[i]->seq,
             w->events[i]->type);
        event_unref(w->events[i]);
    }
    w->n_events = 0;
    free(w->sync_path);
    w->sync_path = NULL;
}

static char node_tag[17];
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static void make_tag(void)
{
    unsigned char r[8];
    randombytes_buf(r, sizeof r);
    hex_encode(node_tag, r, sizeof r);
}

const char *log_sync_node_tag(void)
{
    pthread_once(&tag_once, make_tag);
    return node_tag;
}

/* One note per log of the batch: "e <log id> <first seq> <last seq>", and
 * " <node tag>" when this node published all of them itself. */
struct notes {
    char **text;
    int n;
};

static void notes_free(struct notes *nt)
{
    for (int i = 0; i < nt->n; i++)
        free(nt->text[i]);
    free(nt->text);
}

/* The notes telling other nodes (PostgreSQL: pg_listen.h) which events of
 * the batch are durable once it is synced. Empty when out of memory: then
 * the other nodes learn of them with the next note for that log. */
static struct notes batch_notes(struct log_sync_wait *batch)
{
    struct notes nt = {0};
    size_t total = 0;
    for (struct log_sync_wait *w = batch; w; w = w->next)
        total += (size_t)w->n_events;
    struct {
        const char *id;
        int64_t first, last;
        bool is_unpublished; /* one of its events was committed without a hub */
    } *logs = total ? calloc(total, sizeof *logs) : NULL;
    nt.text = total ? calloc(total, sizeof *nt.text) : NULL;
    if (!logs || !nt.text) {
        free(logs);
        free(nt.text);
        nt.text = NULL;
        return nt;
    }
    int n_logs = 0;
    for (struct log_sync_wait *w = batch; w; w = w->next)
        for (int i = 0; i < w->n_events; i++) {
            const struct event *ev = w->events[i];
            int j = 0;
            while (j < n_logs && strcmp(logs[j].id, ev->meeting_id))
                j++;
            if (j == n_logs) {
                logs[n_logs].id = ev->meeting_id;
                logs[n_logs++].first = ev->seq;
            }
            logs[j].last = ev->seq;
            if (!w->hub)
                logs[j].is_unpublished = true;
        }
    for (int j = 0; j < n_logs; j++) {
        char line[DB_NOTE_MAX + 1];
        int len = snprintf(line, sizeof line, "e %s %" PRId64 " %" PRId64 "%s%s", logs[j].id,
                           logs[j].first, logs[j].last, logs[j].is_unpublished ? "" : " ",
                           logs[j].is_unpublished ? "" : log_sync_node_tag());
        if (len > 0 && (size_t)len < sizeof line && (nt.text[nt.n] = strdup(line)))
            nt.n++;
    }
    free(logs);
    return nt;
}

/* Syncs each distinct file of the batch once; the first sync carries the
 * batch's notes. */
static int sync_batch(struct log_sync_wait *batch)
{
    int rc = 0;
    const char *synced = NULL;
    struct notes nt = {0};
    bool has_notes = false;
    for (struct log_sync_wait *w = batch; w; w = w->next) {
        if (!w->sync_path || (synced && !strcmp(synced, w->sync_path)))
            continue;
        if (!has_notes && db_url_is_postgres(w->sync_path)) {
            nt = batch_notes(batch);
            has_notes = true;
            int r = db_sync_path_notify(w->sync_path, (const char *const *)nt.text, nt.n);
            rc = rc ? rc : r;
        } else {
            int r = db_sync_path(w->sync_path);
            rc = rc ? rc : r;
        }
        synced = w->sync_path;
    }
    notes_free(&nt);
    return rc;
}

/* Ends a synced round (rc: its sync's outcome). Published without
 * sync_lock, so commits queue meanwhile instead of waiting behind the
 * fan-out. Still in commit order: one thread at a time finishes rounds (the
 * syncer, or an inline sync while the syncer is idle, enqueue). Committed
 * but not known to be durable is visible to readers all the same, so
 * streams get the events; the owner gets rc. Every owner is told first (a
 * held reply resumed), then the events logged and let go: the last of a
 * round's parts is not resumed after a log line per event of the others. */
static void finish_round(struct log_sync_wait *batch, int rc)
{
    for (struct log_sync_wait *w = batch; w; w = w->next)
        if (w->hub)
            for (int i = 0; i < w->n_events; i++)
                hub_publish(w->hub, w->events[i]);
    pthread_mutex_lock(&sync_lock);
    struct log_sync_wait *callbacks = NULL, **cb_tail = &callbacks;
    for (struct log_sync_wait *w = batch, *next; w; w = next) {
        next = w->next;
        w->rc = rc;
        w->is_done = true;
        w->next = NULL;
        if (w->is_deferred && w->done) {
            *cb_tail = w;
            cb_tail = &w->next;
        }
    }
    pthread_cond_broadcast(&sync_done);
    pthread_mutex_unlock(&sync_lock);
    for (struct log_sync_wait *w = callbacks; w; w = w->next) {
        if (w->n_events)
            FANTRACE("done", w->events[0]->meeting_id, w->events[0]->seq);
        w->done(w->ctx, w->rc);
    }
    for (struct log_sync_wait *w = callbacks, *next; w; w = next) {
        next = w->next;
        release_wait(w);
        free(w);
    }
}

static void *syncer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&sync_lock);
    for (;;) {
        while (!queue_head || is_inline_syncing)
            pthread_cond_wait(&sync_work, &sync_lock);
        struct log_sync_wait *batch = queue_head;
        queue_head = NULL;
        queue_tail = &queue_head;
        is_syncing = true;
        pthread_mutex_unlock(&sync_lock);
        FANTRACE("sync0", "-", 0);
        int rc = sync_batch(batch);
        FANTRACE("sync1", "-", 0);
        finish_round(batch, rc);
        pthread_mutex_lock(&sync_lock);
        is_syncing = false;
        if (!queue_head && idle_hook) {
            void (*hook)(void) = idle_hook;
            pthread_mutex_unlock(&sync_lock);
            hook();
            pthread_mutex_lock(&sync_lock);
        }
    }
    return NULL;
}

static void start_syncer(void)
{
    const char *env = getenv("OBRADY_SYNC_INLINE");
    is_inline_allowed = !env || strcmp(env, "0") != 0;
    has_syncer = thread_start_detached(syncer_main, NULL);
    if (!has_syncer)
        diag(DIAG_ERROR, "log: cannot start the syncer thread; commits sync one by one");
}

/* Waits for w's sync; called with sync_lock held. */
static void wait_done(struct log_sync_wait *w)
{
    while (!w->is_done)
        pthread_cond_wait(&sync_done, &sync_lock);
}


/* Syncs and publishes the chain at first on this thread and marks it done;
 * a wait made with its callback (log_part_wait_new_cb) is called back, as
 * the syncer would. */
static void sync_here(struct log_sync_wait *first)
{
    finish_round(first, sync_batch(first));
}

/* Syncs and publishes the chain first..(*last) at once, or queues it with
 * one wake of the syncer: a batch's parts cost one lock and one signal, not
 * one each. At once when there is no syncer thread. And (may_inline: a
 * single commit, never a ballot batch's parts, whose owners wait on other
 * threads) when the syncer is idle with nothing queued, the commit is
 * marked for its own thread to sync (w->is_inline, log_sync_wait, after the
 * writer lock is released): one fsync there instead of two thread wakes
 * (syncer, then back). Order holds: every earlier commit is published (not
 * is_syncing, queue empty), and later ones queue meanwhile (busy) and wait
 * for the syncer, which waits for is_inline_syncing to clear: they share
 * its next fsync, so group commit is kept under load. A PostgreSQL commit
 * always queues (its sync is a round trip). */
static void enqueue(struct log_sync_wait *first, struct log_sync_wait **last_next,
                    bool may_inline)
{
    for (struct log_sync_wait *w = first; w; w = w->next)
        if (w->n_events)
            FANTRACE("commit", w->events[0]->meeting_id, w->events[0]->seq);
    if (!has_syncer) {
        sync_here(first); /* no thread to do it: here, under the writer lock */
        return;
    }
    may_inline = may_inline && is_inline_allowed &&
                 (!first->sync_path || !db_url_is_postgres(first->sync_path));
    pthread_mutex_lock(&sync_lock);
    if (may_inline && !is_syncing && !is_inline_syncing && !queue_head) {
        n_inline++;
        is_inline_syncing = true;
        first->is_inline = true;
        pthread_mutex_unlock(&sync_lock);
        return;
    }
    n_queued++;
    *queue_tail = first;
    queue_tail = last_next;
    pthread_cond_signal(&sync_work);
    pthread_mutex_unlock(&sync_lock);
}

/* The inline sync of w (enqueue), on the committing thread with the writer
 * lock released; then the syncer may take what queued meanwhile. */
static void sync_inline(struct log_sync_wait *w)
{
    w->is_inline = false;
    sync_here(w);
    pthread_mutex_lock(&sync_lock);
    is_inline_syncing = false;
    void (*hook)(void) = NULL;
    if (queue_head)
        pthread_cond_signal(&sync_work);
    else
        hook = idle_hook; /* as after a round of the syncer: idle again */
    pthread_mutex_unlock(&sync_lock);
    if (hook)
        hook();
}

void log_sync_counts(long *inline_syncs, long *queued)
{
    pthread_mutex_lock(&sync_lock);
    *inline_syncs = n_inline;
    *queued = n_queued;
    pthread_mutex_unlock(&sync_lock);
}

struct log_sync_wait *log_sync_queue(struct log_tx *tx, struct log_sync_wait *on_stack)
{
    pthread_once(&syncer_once, start_syncer);
    bool is_deferred = deferral.is_open && has_syncer;
    struct log_sync_wait *w = is_deferred ? calloc(1, sizeof *w) : NULL;
    if (!w) { /* not deferred, or no memory for it: wait like everyone else */
        w = on_stack;
        memset(w, 0, sizeof *w);
        is_deferred = false;
    }
    w->sync_path = db_sync_path_of(tx->db);
    w->hub = tx->hub;
    w->is_deferred = is_deferred;
    for (int i = 0; i < tx->n_pending; i++)
        w->events[i] = tx->pending[i];
    w->n_events = tx->n_pending;
    tx->n_pending = 0; /* the events now belong to w */
    enqueue(w, &w->next, true);
    return w;
}

void log_sync_queue_parts(struct log_tx *tx, struct log_part *parts, int n_parts)
{
    pthread_once(&syncer_once, start_syncer);
    struct log_sync_wait *first = NULL, **tail = &first;
    for (int k = 0; k < n_parts; k++) {
        struct log_sync_wait *w = parts[k].wait;
        /* The sync path is a copy per wait: each is freed on its own. */
        w->sync_path = db_sync_path_of(tx->db);
        w->hub = tx->hub;
        if (!parts[k].is_premade) /* a premade one's owner may read it already */
            w->is_deferred = parts[k].is_deferred && has_syncer;
        for (int i = 0; i < parts[k].n; i++) {
            w->events[i] = tx->pending[parts[k].first + i];
            tx->pending[parts[k].first + i] = NULL;
        }
        w->n_events = parts[k].n;
        w->next = NULL;
        *tail = w;
        tail = &w->next;
    }
    if (first)
        enqueue(first, tail, false);
}

struct log_sync_wait *log_part_wait_new(bool is_deferred)
{
    pthread_once(&syncer_once, start_syncer);
    struct log_sync_wait *w = calloc(1, sizeof *w);
    if (w)
        w->is_deferred = is_deferred && has_syncer;
    return w;
}

struct log_sync_wait *log_part_wait_new_cb(void (*done)(void *ctx, int rc), void *ctx)
{
    pthread_once(&syncer_once, start_syncer);
    struct log_sync_wait *w = calloc(1, sizeof *w);
    if (w) {
        /* Deferred with or without the syncer: sync_here calls back too. */
        w->is_deferred = true;
        w->done = done;
        w->ctx = ctx;
    }
    return w;
}

void log_sync_fail(struct log_sync_wait *w, int rc)
{
    pthread_mutex_lock(&sync_lock);
    w->rc = rc;
    w->is_done = true;
    bool is_called = w->is_deferred && w->done;
    pthread_cond_broadcast(&sync_done);
    pthread_mutex_unlock(&sync_lock);
    if (is_called) { /* as the syncer does for a deferred wait */
        release_wait(w);
        w->done(w->ctx, w->rc);
        free(w);
    }
}

bool log_sync_is_busy(void)
{
    pthread_mutex_lock(&sync_lock);
    bool is_busy = is_syncing || is_inline_syncing || queue_head;
    pthread_mutex_unlock(&sync_lock);
    return is_busy;
}

void log_sync_set_idle_hook(void (*hook)(void))
{
    pthread_mutex_lock(&sync_lock);
    idle_hook = hook;
    pthread_mutex_unlock(&sync_lock);
}

int log_part_wait(struct log_sync_wait *w)
{
    if (w->is_deferred)
        return log_sync_wait(w); /* the deferral frees it */
    int rc = log_sync_wait(w);
    free(w);
    return rc;
}

int log_sync_wait(struct log_sync_wait *w)
{
    if (w->is_inline)
        sync_inline(w);
    pthread_mutex_lock(&sync_lock);
    if (w->is_deferred) {
        /* One deferred commit per request at a time: an earlier one of this
         * request is waited for here (rare: most requests commit once). */
        struct log_sync_wait *prev = deferral.last;
        deferral.last = w;
        if (prev) {
            wait_done(prev);
            deferral.rc = deferral.rc ? deferral.rc : prev->rc;
            pthread_mutex_unlock(&sync_lock);
            release_wait(prev);
            free(prev);
            return 0;
        }
        pthread_mutex_unlock(&sync_lock);
        return 0;
    }
    wait_done(w);
    pthread_mutex_unlock(&sync_lock);
    release_wait(w);
    return w->rc;
}

void log_defer_begin(void)
{
    deferral = (struct deferral){.is_open = true};
}

int log_defer_end(void (*done)(void *ctx, int rc), void *ctx)
{
    struct log_sync_wait *w = deferral.last;
    int rc = deferral.rc;
    deferral = (struct deferral){0};
    if (!w)
        return rc;
    pthread_mutex_lock(&sync_lock);
    if (!w->is_done) {
        w->done = done;
        w->ctx = ctx;
        pthread_mutex_unlock(&sync_lock);
        return 1;
    }
    pthread_mutex_unlock(&sync_lock);
    rc = rc ? rc : w->rc;
    release_wait(w);
    free(w);
    return rc;
}

bool log_defer_is_pending(void)
{
    return deferral.last != NULL;
}
