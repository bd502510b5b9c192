/* eventlog.h — the append-only, hash-chained log of each meeting.
 * Every append runs inside a log transaction (struct log_tx) which also
 * carries whatever rows the caller writes with it (a ballot, a vote's
 * status), so state and its event commit together or not at all. On SQLite
 * a process-wide writer lock spans BEGIN..COMMIT; on PostgreSQL each log
 * appended to is locked on its own (db_lock_log, across every node) and the
 * process lock only spans COMMIT and queueing, which keeps each log's
 * commit order in the queue; commits are made durable in groups
 * (one sync for every transaction committed while the previous sync ran)
 * and published to the hub after their sync, in commit order, so events
 * reach the hub in seq order, a subscriber can never see seq n+1 before n,
 * and never sees an event that is not durable.
 *
 * Hash chain: hash = SHA-256 over the canonical JSON of
 * {"actor","meeting","payload","prev","seq","ts","type","vis"} (keys sorted,
 * no whitespace, UTF-8, integers only); prev of seq 1 is 64 zeros. */
#ifndef OBR_EVENTLOG_H
#define OBR_EVENTLOG_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "log/event.h"

struct db;
struct hub;

#define LOG_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define LOG_TX_MAX_EVENTS 64
/* A batch (log_tx_begin_batch) holds the events of many requests. */
#define LOG_BATCH_MAX_EVENTS 256

struct log_tx {
    struct db *db;
    struct hub *hub; /* may be NULL (CLI tools): nothing is published */
    struct event *pending[LOG_BATCH_MAX_EVENTS];
    int n_pending;
    int max_events; /* LOG_TX_MAX_EVENTS, or LOG_BATCH_MAX_EVENTS for a batch */
    int part_first; /* a batch: where the open part's events begin (its own
                     * limit is LOG_TX_MAX_EVENTS, as a transaction's) */
    bool active;
    bool is_per_log; /* PostgreSQL: the process lock only at commit */
    bool is_keyed;   /* PostgreSQL: begun for keyed_log (shared writer key, per-log locks) */
    char keyed_log[72];
};

/* Takes the writer lock and begins a write transaction on db. On
 * PostgreSQL the writer key exclusively: it waits for, and holds off, every
 * other writing transaction of every node. */
int log_tx_begin(struct log_tx *tx, struct db *db, struct hub *hub);
/* The same for a transaction about one log (a meeting's): on PostgreSQL it
 * takes the writer key shared and log_id's own lock at BEGIN, so everything
 * the caller reads of that log and its rows (the meeting's state, its votes)
 * before appending is as fresh as under the one writer lock, while other
 * meetings' transactions run side by side. Rows outside the meeting that a
 * check relies on need a transaction from log_tx_begin instead. On SQLite
 * the same as log_tx_begin. */
int log_tx_begin_for(struct log_tx *tx, struct db *db, struct hub *hub, const char *log_id);
/* Appends one event to meeting_id's log. payload is borrowed and must be a
 * JSON object without real numbers. On success *seq_out (if not NULL) holds
 * the new seq. On failure the transaction must be rolled back. */
int log_append(struct log_tx *tx, const char *meeting_id, const char *actor, const char *type,
               json_t *payload, enum event_visibility vis, int64_t *seq_out);
/* Commits, releases the writer lock, and returns once the transaction is
 * durable (group commit: see eventlog.c) and its events are published to
 * the hub, in order. When COMMIT fails everything is rolled back; when only
 * the sync fails (OBR_EIO, OBR_EFULL) the transaction is committed but not
 * known to be durable, and the caller must not acknowledge it. */
int log_tx_commit(struct log_tx *tx);
/* Rolls back, drops the pending events and releases the writer lock. Safe to
 * call on a transaction that is no longer active. */
void log_tx_rollback(struct log_tx *tx);

/* Deferred acknowledgement, for a server thread that must not sit in an
 * fsync. Between log_defer_begin and log_defer_end on one thread,
 * log_tx_commit returns 0 as soon as the transaction is committed, before it
 * is durable. log_defer_is_pending tells whether such a commit happened.
 * log_defer_end then returns 1 when done(ctx, rc) will be called exactly
 * once, from another thread, after the sync (rc 0, or the sync's error: then
 * the transaction is committed but must not be acknowledged); otherwise
 * (nothing deferred, or already synced) done is never called and it returns
 * 0 or the sync's error. */
void log_defer_begin(void);
bool log_defer_is_pending(void);
int log_defer_end(void (*done)(void *ctx, int rc), void *ctx);

/* Group commit of the SQL work (api/vote_batch.c): one transaction holding
 * the parts of many requests, each part inside a savepoint so a refused or
 * failed part is undone alone. log_tx_begin_batch is log_tx_begin with room
 * for LOG_BATCH_MAX_EVENTS events. log_tx_part_begin opens a part (returns
 * 0 or OBR_E*; *mark gets where its events start); log_tx_part_end keeps or
 * undoes it (its events dropped). When log_tx_part_end fails, or the
 * connection is no longer in the transaction, the whole batch is lost and
 * must be rolled back. SQLite only (one writer): on PostgreSQL
 * (db_has_many_writers) log_tx_begin_batch is OBR_EINVAL. */
int log_tx_begin_batch(struct log_tx *tx, struct db *db, struct hub *hub);
int log_tx_part_begin(struct log_tx *tx, int *mark);
int log_tx_part_end(struct log_tx *tx, int mark, bool is_kept);

/* One kept part of a batch: its events are pending[first .. first+n-1].
 * is_deferred: the owning request thread has a deferral open
 * (log_defer_begin); after
 * log_tx_commit_parts, that thread calls log_part_wait(part->wait) (as
 * log_tx_commit would have waited), which frees nothing the caller owns. */
struct log_sync_wait;
struct log_part {
    int first, n;
    bool is_deferred;
    /* NULL: made by log_tx_commit_parts (none on failure). Or made before
     * by log_part_wait_new (is_premade), so that the part's owner could go
     * on before the commit: on failure it is completed with the error. */
    struct log_sync_wait *wait;
    bool is_premade;
};
/* Commits the batch once and queues each part for the sync in order (one
 * sync serves them all; the hub gets the events in seq order), then
 * releases the writer lock. Returns 0 when committed; on failure the batch
 * is rolled back and no part has a wait. Never waits for the sync. */
int log_tx_commit_parts(struct log_tx *tx, struct log_part *parts, int n_parts);
/* Waits for a part's sync, on the thread that owns the request (inside a
 * deferral it returns at once, as log_tx_commit does). */
int log_part_wait(struct log_sync_wait *w);
/* A part's wait made before its batch commits, for log_part.wait with
 * is_premade; is_deferred as log_part's. NULL when out of memory. */
struct log_sync_wait *log_part_wait_new(bool is_deferred);
/* The same for a part whose owner waits on no thread at all (the ballot
 * writer's, api/vote_batch.c): done(ctx, rc) is called exactly once, from
 * the thread that synced it (or log_sync_fail's), once the part is durable
 * and its events published (rc 0) or its batch was lost or not synced (rc
 * the error). The log frees the wait. NULL when out of memory. */
struct log_sync_wait *log_part_wait_new_cb(void (*done)(void *ctx, int rc), void *ctx);
/* A part's wait made before its batch commits (log_part_wait_new): its
 * owner may go on at once and learns the outcome from it. Completes one
 * that will never reach the syncer (its batch was lost) with rc, as the
 * syncer would: the owner's log_part_wait or deferral callback gets rc. */
void log_sync_fail(struct log_sync_wait *w, int rc);

/* Whether the syncer has work: a sync queued or under way (false without a
 * syncer thread). A batch writer keeps its transaction open while it is
 * busy, so that one commit (one write of each page) serves every ballot
 * that arrives during a sync (api/vote_batch.c). */
bool log_sync_is_busy(void);

/* Called by the syncer (no lock of the log held) each time it goes idle:
 * nothing queued, nothing under way. One hook per process. */
void log_sync_set_idle_hook(void (*hook)(void));

/* Convenience: one event in its own transaction. */
int log_append_one(struct db *db, struct hub *hub, const char *meeting_id, const char *actor,
                   const char *type, json_t *payload, enum event_visibility vis,
                   int64_t *seq_out);

/* Reads up to max events of meeting_id with seq >= from_seq, in order, into
 * out (each a new reference the caller unrefs). *n gets the count. */
int log_read(struct db *db, const char *meeting_id, int64_t from_seq, struct event **out,
             int max, int *n);
/* The last seq and hash of meeting_id's log; seq 0 and the genesis hash if empty. */
int log_head(struct db *db, const char *meeting_id, int64_t *seq, char hash[EVENT_HASH_HEX + 1]);

/* At archiving the live copy of a meeting's chat messages is replaced by
 * this payload (api/archive_run.c); the event keeps its seq, hash and place
 * in the chain, and the archive bundle keeps the message (docs/security.md,
 * "Chat at archiving"). */
#define LOG_REDACTED_PAYLOAD "{\"redacted\":\"archived\"}"
#define LOG_REDACTABLE_TYPE "chat.message"

struct log_verify_result {
    int64_t events;    /* events checked */
    int64_t redacted;  /* of them, chat messages redacted at archiving: hash taken as stored */
    int64_t bad_seq;   /* first broken seq, 0 if the chain is whole */
    const char *why;   /* static text describing the break, NULL if whole */
    char head[EVENT_HASH_HEX + 1];
};
/* Walks the whole chain of meeting_id recomputing every hash (a redacted
 * chat message's hash cannot be recomputed: it is taken as stored, still
 * bound by the next event's prev_hash, and allowed only in a log that has a
 * later meeting.archived event). Returns 0 when
 * it could read the log (look at r->bad_seq for the verdict) or an OBR_E* code. */
int log_verify(struct db *db, const char *meeting_id, struct log_verify_result *r);

/* The ids of every log in the store, sorted (a new JSON array of strings), or
 * NULL on a database error (log_list.c). */
json_t *log_list_json(struct db *db);

/* The canonical hash input and hash of one event's fields (exposed for tests
 * and for the verifier). hash_out receives 64 hex digits and a NUL. */
int log_compute_hash(const char *meeting_id, int64_t seq, int64_t ts_ms, const char *actor,
                     const char *type, const char *payload, int visibility,
                     const char *prev_hash, char hash_out[EVENT_HASH_HEX + 1]);

/* log_compute_hash for a stored event whose payload is the canonical text
 * it was appended with, without parsing it (log_hash_fast.c). False when
 * the fields need escaping or the payload is not an object's text: then use
 * log_compute_hash. A different result than the stored hash may still be a
 * payload stored in another (equivalent) form: check with log_compute_hash. */
bool log_hash_stored(const char *meeting_id, int64_t seq, int64_t ts_ms, const char *actor,
                     const char *type, const char *payload, int visibility,
                     const char *prev_hash, char hash_out[EVENT_HASH_HEX + 1]);

/* Canonical JSON text of a value: compact, keys sorted, reals refused.
 * Returns a malloc'd string or NULL (a real number anywhere, or no memory). */
char *log_canonical_json(json_t *value);

#endif
