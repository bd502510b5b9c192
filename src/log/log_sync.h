/* log_sync.h — group commit for the event log; private to src/log (the
 * public side, log_defer_*, is in eventlog.h). eventlog.c's log_tx_commit
 * commits without syncing, queues the transaction here while it still holds
 * the writer lock, releases the lock and waits here for the sync. */
#ifndef OBR_LOG_SYNC_H
#define OBR_LOG_SYNC_H

#include <stdbool.h>

#include "log/eventlog.h"

/* One committed transaction waiting for its sync. */
struct log_sync_wait {
    char *sync_path; /* db_sync_path_of: the file to sync; NULL when none is needed */
    struct hub *hub;
    /* Owned references: a transaction's, or a batch part's (each at most
     * LOG_TX_MAX_EVENTS, log_append). */
    struct event *events[LOG_TX_MAX_EVENTS];
    int n_events;
    int rc;
    bool is_done;
    bool is_deferred; /* nobody waits on it: see log_defer_end */
    bool is_inline;   /* to be synced by log_sync_wait on the committing thread */
    void (*done)(void *ctx, int rc);
    void *ctx;
    struct log_sync_wait *next;
};

/* Queues tx's committed events for the next sync. Called with the writer
 * lock held, right after COMMIT, so the queue is in commit order. Takes the
 * events (tx->n_pending becomes 0). Uses on_stack unless this thread has a
 * deferral open. Returns what log_sync_wait needs. */
struct log_sync_wait *log_sync_queue(struct log_tx *tx, struct log_sync_wait *on_stack);

/* The same for the parts of a batch, in order (eventlog.c,
 * log_tx_commit_parts), with one wake of the syncer: each parts[k].wait is
 * zeroed memory from calloc, owned from here on by the log (freed by
 * log_part_wait or, when deferred, by the deferral). Takes each part's
 * events (their slots in tx->pending become NULL). */
void log_sync_queue_parts(struct log_tx *tx, struct log_part *parts, int n_parts);

/* This process's tag in its notes to other nodes (16 hex digits, random per
 * start): log_follow.c skips a note with it, whose events this node's syncer
 * publishes itself. A note carries it only when every event it names was
 * committed with a hub (a CLI append, hub NULL, is followed like a remote one). */
const char *log_sync_node_tag(void);

/* How many commits were synced on their own thread (the syncer idle, see
 * log_sync.c enqueue) and how many were queued to the syncer, since start. */
void log_sync_counts(long *inline_syncs, long *queued);

/* Called after the writer lock is released: waits until w is durable and
 * published (inside a deferral, returns 0 at once). 0 or the sync's error. */
int log_sync_wait(struct log_sync_wait *w);

#endif
