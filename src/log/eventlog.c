/* eventlog.c — appending to, reading and verifying each meeting's hash chain.
 * On SQLite every append runs under one process-wide writer lock and inside
 * one write transaction, so within this process seqs are handed out one
 * writer at a time and events reach the hub in commit order; BEGIN IMMEDIATE
 * serializes us against other processes (the CLI) on the same database. On
 * PostgreSQL a transaction begun for one log (log_tx_begin_for) holds that
 * log's own advisory lock from BEGIN (db_lock_log; another log appended to is
 * locked before its head is read), so its appends and whatever the caller
 * reads of it are serialized across every node; log_tx_begin takes the writer
 * key exclusively, as every log transaction once did. The process lock is
 * held only from COMMIT until the transaction is queued for its sync: the
 * next writer of the same log gets the log's lock only after our COMMIT, so
 * it queues after us, and each log reaches the hub in seq order. */
#include "log/eventlog.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "log/hub.h"
#include "log/log_sync.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/err.h"
#include "util/fair_lock.h"
#include "util/ids.h"

#define NAME_MAX_LEN 64
#define VERIFY_BATCH 1000
#define BEGIN_ATTEMPTS 5

/* SQLite: guards the seq/prev_hash/ts of every meeting's head against other
 * threads of this process, from log_tx_begin until log_tx_commit/
 * log_tx_rollback return. PostgreSQL: held from COMMIT until queued (see
 * above). Taken in the order asked for, so the ballot writer's rounds do
 * not starve other transactions; a thread that begins twice gets an error
 * instead of a deadlock. */
static struct fair_lock writer_lock = FAIR_LOCK_INIT;

DB_QUERY(q_head, "log_head",
         "SELECT seq, hash, ts_ms FROM events WHERE meeting_id = $1 ORDER BY seq DESC LIMIT 1");
DB_QUERY(q_insert, "log_insert",
         "INSERT INTO events (meeting_id, seq, ts_ms, actor, type, payload, visibility, "
         "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
/* A batch's parts (log_tx_part_begin/end): prepared once per connection,
 * not parsed again for every ballot as db_exec would. */
DB_QUERY(q_part_begin, "log_part_begin", "SAVEPOINT obr_part");
DB_QUERY(q_part_undo, "log_part_undo", "ROLLBACK TO SAVEPOINT obr_part");
DB_QUERY(q_part_end, "log_part_end", "RELEASE SAVEPOINT obr_part");
DB_QUERY(q_read, "log_read",
         "SELECT seq, ts_ms, actor, type, payload, visibility, prev_hash, hash FROM events "
         "WHERE meeting_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3");

/* ---- canonical JSON and the hash ---- */

static bool has_real(json_t *v)
{
    if (json_is_real(v))
        return true;
    if (json_is_object(v)) {
        const char *key;
        json_t *child;
        json_object_foreach(v, key, child)
        {
            if (has_real(child))
                return true;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *child;
        json_array_foreach(v, i, child)
        {
            if (has_real(child))
                return true;
        }
    }
    return false;
}

/* Reals are refused because their text form is not canonical across
 * libraries (1.0 vs 1, exponent forms), which would make a hash depend on who
 * printed it. No JSON_ENSURE_ASCII: strings stay raw UTF-8, as a verifier in
 * another language writes them. */
char *log_canonical_json(json_t *value)
{
    if (!value || has_real(value))
        return NULL;
    return json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

int log_compute_hash(const char *meeting_id, int64_t seq, int64_t ts_ms, const char *actor,
                     const char *type, const char *payload, int visibility, const char *prev_hash,
                     char hash_out[EVENT_HASH_HEX + 1])
{
    if (!meeting_id || !actor || !type || !payload || !prev_hash)
        return OBR_EINVAL;
    json_t *p = json_loads(payload, JSON_REJECT_DUPLICATES, NULL);
    if (!p || !json_is_object(p) || has_real(p)) {
        json_decref(p);
        return OBR_EINVAL;
    }
    json_t *o = json_object();
    if (!o) {
        json_decref(p);
        return OBR_ENOMEM;
    }
    /* json_object_set_new takes each value even when it fails. A NULL value
     * (strings that are not UTF-8) fails the set, so rc covers it too. */
    int rc = json_object_set_new(o, "actor", json_string(actor));
    rc |= json_object_set_new(o, "meeting", json_string(meeting_id));
    rc |= json_object_set_new(o, "payload", p);
    rc |= json_object_set_new(o, "prev", json_string(prev_hash));
    rc |= json_object_set_new(o, "seq", json_integer(seq));
    rc |= json_object_set_new(o, "ts", json_integer(ts_ms));
    rc |= json_object_set_new(o, "type", json_string(type));
    rc |= json_object_set_new(o, "vis", json_integer(visibility));
    char *text = rc ? NULL : log_canonical_json(o);
    json_decref(o);
    if (!text)
        return rc ? OBR_EINVAL : OBR_ENOMEM;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
    free(text);
    hex_encode(hash_out, digest, sizeof digest);
    return 0;
}

/* ---- input checks ---- */

/* "attendance.started": lowercase segments of [a-z][a-z0-9_]*, joined by
 * single dots, at most NAME_MAX_LEN bytes. */
static bool is_valid_type(const char *type)
{
    if (!type)
        return false;
    size_t len = strlen(type);
    if (len == 0 || len > NAME_MAX_LEN)
        return false;
    bool at_segment_start = true;
    for (size_t i = 0; i < len; i++) {
        char c = type[i];
        if (c == '.') {
            if (at_segment_start)
                return false;
            at_segment_start = true;
        } else if (c >= 'a' && c <= 'z') {
            at_segment_start = false;
        } else if ((c >= '0' && c <= '9') || c == '_') {
            if (at_segment_start)
                return false;
        } else {
            return false;
        }
    }
    return !at_segment_start;
}

static bool is_valid_actor(const char *actor)
{
    if (!actor)
        return false;
    size_t len = strnlen(actor, NAME_MAX_LEN + 1);
    return len > 0 && len <= NAME_MAX_LEN;
}

/* ---- transactions ---- */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* PostgreSQL: BEGIN with the writer key exclusive (log_id NULL) or shared
 * plus log_id's own lock, retried when a reset connection answers busy. */
static int begin_many(struct log_tx *tx, const char *log_id)
{
    struct db *db = tx->db;
    if (db_in_transaction(db)) {
        OBR_BUG("log_tx_begin on a connection already in a transaction");
        return OBR_ECONFLICT;
    }
    int rc = db_set_deferred_sync(db, true);
    for (int attempt = 1; !rc && attempt <= BEGIN_ATTEMPTS; attempt++) {
        rc = log_id ? db_begin_log_write(db) : db_begin_write(db);
        if (!rc && log_id && (rc = db_lock_log(db, log_id)) != 0)
            db_rollback(db);
        if (rc != OBR_EBUSY)
            break;
        if (attempt < BEGIN_ATTEMPTS) {
            sleep_ms(20L * attempt);
            rc = 0;
        }
    }
    if (rc) {
        db_set_deferred_sync(db, false);
        return rc;
    }
    tx->is_keyed = log_id != NULL;
    tx->active = true;
    return 0;
}

int log_tx_begin_for(struct log_tx *tx, struct db *db, struct hub *hub, const char *log_id)
{
    if (!log_id || !db_has_many_writers(db))
        return log_tx_begin(tx, db, hub);
    memset(tx, 0, offsetof(struct log_tx, pending));
    tx->n_pending = 0;
    tx->active = false;
    tx->is_keyed = false;
    tx->max_events = LOG_TX_MAX_EVENTS;
    tx->part_first = 0;
    tx->db = db;
    tx->hub = hub;
    tx->is_per_log = true;
    snprintf(tx->keyed_log, sizeof tx->keyed_log, "%s", log_id);
    return begin_many(tx, log_id);
}

int log_tx_begin(struct log_tx *tx, struct db *db, struct hub *hub)
{
    /* Not the whole pending array: a batch's is large. */
    memset(tx, 0, offsetof(struct log_tx, pending));
    tx->n_pending = 0;
    tx->active = false;
    tx->is_keyed = false;
    tx->keyed_log[0] = '\0';
    tx->max_events = LOG_TX_MAX_EVENTS;
    tx->part_first = 0;
    tx->db = db;
    tx->hub = hub;
    tx->is_per_log = db_has_many_writers(db);
    if (tx->is_per_log)
        return begin_many(tx, NULL);
    int lrc = fair_lock_take(&writer_lock);
    if (lrc != 0) {
        OBR_BUG("log writer lock: error %d (a log transaction begun twice on one thread?)", lrc);
        return OBR_ECONFLICT;
    }
    if (db_in_transaction(db)) {
        OBR_BUG("log_tx_begin on a connection already in a transaction");
        fair_lock_give(&writer_lock);
        return OBR_ECONFLICT;
    }
    /* The connection's busy timeout already waits for another process; these
     * retries only cover the rare busy answer that comes back at once. */
    int rc = db_set_deferred_sync(db, true);
    for (int attempt = 1; !rc && attempt <= BEGIN_ATTEMPTS; attempt++) {
        rc = db_begin_write(db);
        if (rc != OBR_EBUSY)
            break;
        if (attempt < BEGIN_ATTEMPTS) {
            sleep_ms(20L * attempt);
            rc = 0;
        }
    }
    if (rc != 0) {
        db_set_deferred_sync(db, false);
        fair_lock_give(&writer_lock);
        return rc;
    }
    tx->active = true;
    return 0;
}

/* The head of meeting_id's log as this connection sees it (inside a
 * transaction, that includes its own uncommitted appends). */
static int read_head(struct db *db, const char *meeting_id, int64_t *seq,
                     char hash[EVENT_HASH_HEX + 1], int64_t *ts_ms)
{
    struct db_stmt *s = db_prepare(db, &q_head);
    if (!s)
        return OBR_EDB;
    int rc = db_bind_text(s, 1, meeting_id);
    if (rc == 0)
        rc = db_step(s);
    if (rc == DB_ROW) {
        const char *h = db_col_text(s, 1);
        *seq = db_col_int(s, 0);
        *ts_ms = db_col_int(s, 2);
        if (!h || strlen(h) != EVENT_HASH_HEX) {
            db_stmt_done(s);
            return OBR_ECORRUPT;
        }
        memcpy(hash, h, EVENT_HASH_HEX + 1);
        rc = 0;
    } else if (rc == DB_DONE) {
        *seq = 0;
        *ts_ms = INT64_MIN;
        memcpy(hash, LOG_GENESIS_HASH, EVENT_HASH_HEX + 1);
    }
    db_stmt_done(s);
    return rc;
}

/* The last event of meeting_id appended in this transaction, or NULL. */
static const struct event *last_pending(const struct log_tx *tx, const char *meeting_id)
{
    for (int i = tx->n_pending - 1; i >= 0; i--)
        if (!strcmp(tx->pending[i]->meeting_id, meeting_id))
            return tx->pending[i];
    return NULL;
}

static int insert_event(struct db *db, const struct event *ev)
{
    struct db_stmt *s = db_prepare(db, &q_insert);
    if (!s)
        return OBR_EDB;
    int rc = db_bind_text(s, 1, ev->meeting_id);
    rc = rc ? rc : db_bind_int(s, 2, ev->seq);
    rc = rc ? rc : db_bind_int(s, 3, ev->ts_ms);
    rc = rc ? rc : db_bind_text(s, 4, ev->actor);
    rc = rc ? rc : db_bind_text(s, 5, ev->type);
    rc = rc ? rc : db_bind_text(s, 6, ev->payload);
    rc = rc ? rc : db_bind_int(s, 7, ev->visibility);
    rc = rc ? rc : db_bind_text(s, 8, ev->prev_hash);
    rc = rc ? rc : db_bind_text(s, 9, ev->hash);
    if (rc) {
        db_stmt_done(s);
        return rc;
    }
    return db_run(s);
}

int log_append(struct log_tx *tx, const char *meeting_id, const char *actor, const char *type,
               json_t *payload, enum event_visibility vis, int64_t *seq_out)
{
    if (!tx->active) {
        OBR_BUG("log_append outside an active log transaction");
        return OBR_EINVAL;
    }
    /* Everything the caller passed is checked before the first write. */
    if (!meeting_id || !*meeting_id || !is_valid_actor(actor) || !is_valid_type(type) ||
        !json_is_object(payload) || vis < EVENT_PUBLIC || vis > EVENT_STAFF)
        return OBR_EINVAL;
    if (tx->n_pending >= tx->max_events || tx->n_pending - tx->part_first >= LOG_TX_MAX_EVENTS)
        return OBR_ELIMIT;
    char *text = log_canonical_json(payload);
    if (!text)
        return has_real(payload) ? OBR_EINVAL : OBR_ENOMEM;

    /* Another log than the one begun for: its lock before its head is read
     * (an exclusive transaction holds every log already). */
    const struct event *mine = last_pending(tx, meeting_id);
    bool needs_lock = tx->is_keyed && !mine && strcmp(meeting_id, tx->keyed_log) != 0;
    int rc = needs_lock ? db_lock_log(tx->db, meeting_id) : 0;
    if (rc) {
        free(text);
        return rc;
    }
    int64_t head_seq, head_ts;
    char head_hash[EVENT_HASH_HEX + 1];
    if (mine && !tx->is_per_log) {
        /* SQLite: nobody else writes while the writer lock is held, and a
         * part undone drops its events from pending (log_tx_part_end), so
         * this transaction's last append to the log is its head: no SELECT
         * per event of a ballot batch. */
        head_seq = mine->seq;
        head_ts = mine->ts_ms;
        memcpy(head_hash, mine->hash, EVENT_HASH_HEX + 1);
    } else {
        rc = read_head(tx->db, meeting_id, &head_seq, head_hash, &head_ts);
        if (rc) {
            free(text);
            return rc;
        }
    }
    /* Our own earlier appends in this transaction are visible to the SELECT
     * (same connection); if they were not, seqs would repeat. */
    if (mine && (mine->seq != head_seq || strcmp(mine->hash, head_hash) != 0)) {
        OBR_BUG("log head of %s is #%" PRId64 ", but this transaction appended #%" PRId64,
                meeting_id, head_seq, mine->seq);
        free(text);
        return OBR_ECORRUPT;
    }

    int64_t seq = head_seq + 1;
    /* A clock stepped back must not make the log run backwards in time. */
    int64_t ts = clock_now_ms();
    if (ts < head_ts)
        ts = head_ts;
    /* text is canonical (log_canonical_json), so the envelope can be written
     * around it without parsing it again (log_hash_fast.c); fields that need
     * escaping take the general path, which gives the same bytes. */
    char hash[EVENT_HASH_HEX + 1];
    rc = log_hash_stored(meeting_id, seq, ts, actor, type, text, (int)vis, head_hash, hash)
             ? 0
             : log_compute_hash(meeting_id, seq, ts, actor, type, text, (int)vis, head_hash, hash);
    if (rc) {
        free(text);
        return rc;
    }
    struct event *ev = event_new(meeting_id, seq, ts, actor, type, text, (int)vis, head_hash, hash);
    free(text);
    if (!ev)
        return OBR_ENOMEM;
    rc = insert_event(tx->db, ev);
    if (rc) {
        event_unref(ev);
        return rc;
    }
    tx->pending[tx->n_pending++] = ev;
    if (seq_out)
        *seq_out = seq;
    return 0;
}

static void finish(struct log_tx *tx)
{
    for (int i = 0; i < tx->n_pending; i++) {
        if (tx->pending[i]) /* NULL: handed to the syncer by a batch */
            event_unref(tx->pending[i]);
        tx->pending[i] = NULL;
    }
    tx->n_pending = 0;
    tx->active = false;
}

int log_tx_commit(struct log_tx *tx)
{
    if (!tx->active) {
        OBR_BUG("log_tx_commit on an inactive log transaction");
        return OBR_EINVAL;
    }
    if (tx->is_per_log && fair_lock_take(&writer_lock) != 0) {
        OBR_BUG("log writer lock: held by this thread at commit");
        log_tx_rollback(tx);
        return OBR_ECONFLICT;
    }
    int rc = db_commit(tx->db);
    if (rc) {
        if (db_in_transaction(tx->db))
            db_rollback(tx->db);
        db_set_deferred_sync(tx->db, false);
        finish(tx);
        fair_lock_give(&writer_lock);
        return rc;
    }
    db_set_deferred_sync(tx->db, false);
    /* Durable and published later, in commit order: log_sync.c. */
    struct log_sync_wait on_stack;
    struct log_sync_wait *w = log_sync_queue(tx, &on_stack);
    finish(tx);
    fair_lock_give(&writer_lock);
    return log_sync_wait(w);
}

void log_tx_rollback(struct log_tx *tx)
{
    if (!tx->active)
        return;
    if (db_in_transaction(tx->db))
        db_rollback(tx->db);
    db_set_deferred_sync(tx->db, false);
    bool is_per_log = tx->is_per_log;
    finish(tx);
    if (!is_per_log)
        fair_lock_give(&writer_lock);
}

int log_tx_begin_batch(struct log_tx *tx, struct db *db, struct hub *hub)
{
    /* PostgreSQL writes one meeting per transaction under that meeting's
     * lock (log_tx_begin_for), in parallel: a batch would serialize them. */
    if (db_has_many_writers(db))
        return OBR_EINVAL;
    int rc = log_tx_begin(tx, db, hub);
    if (!rc)
        tx->max_events = LOG_BATCH_MAX_EVENTS;
    return rc;
}

int log_tx_part_begin(struct log_tx *tx, int *mark)
{
    if (!tx->active || !db_in_transaction(tx->db))
        return OBR_EDB;
    *mark = tx->n_pending;
    tx->part_first = tx->n_pending;
    return db_run(db_prepare(tx->db, &q_part_begin));
}

int log_tx_part_end(struct log_tx *tx, int mark, bool is_kept)
{
    int rc = 0;
    if (!is_kept) {
        while (tx->n_pending > mark) {
            event_unref(tx->pending[--tx->n_pending]);
            tx->pending[tx->n_pending] = NULL;
        }
        /* An error that ended the whole transaction (SQLite does so on a
         * full disk or I/O error) leaves no savepoint to go back to. */
        if (!db_in_transaction(tx->db))
            return OBR_EDB;
        rc = db_run(db_prepare(tx->db, &q_part_undo));
    }
    if (!rc)
        rc = db_run(db_prepare(tx->db, &q_part_end));
    return rc;
}

int log_tx_commit_parts(struct log_tx *tx, struct log_part *parts, int n_parts)
{
    if (!tx->active) {
        OBR_BUG("log_tx_commit_parts on an inactive log transaction");
        return OBR_EINVAL;
    }
    int rc = 0;
    for (int i = 0; i < n_parts; i++) {
        if (!parts[i].is_premade)
            parts[i].wait = calloc(1, sizeof *parts[i].wait);
        rc = rc ? rc : parts[i].wait ? 0 : OBR_ENOMEM;
    }
    rc = rc ? rc : db_commit(tx->db);
    if (rc) {
        for (int i = 0; i < n_parts; i++) {
            if (parts[i].is_premade && parts[i].wait) {
                log_sync_fail(parts[i].wait, rc);
            } else {
                free(parts[i].wait);
                parts[i].wait = NULL;
            }
        }
        if (db_in_transaction(tx->db))
            db_rollback(tx->db);
        db_set_deferred_sync(tx->db, false);
        finish(tx);
        fair_lock_give(&writer_lock);
        return rc;
    }
    db_set_deferred_sync(tx->db, false);
    /* Queued in order under the writer lock: durable and published in
     * commit order, one sync for the whole batch (log_sync.c). */
    log_sync_queue_parts(tx, parts, n_parts);
    finish(tx);
    fair_lock_give(&writer_lock);
    return 0;
}

int log_append_one(struct db *db, struct hub *hub, const char *meeting_id, const char *actor,
                   const char *type, json_t *payload, enum event_visibility vis, int64_t *seq_out)
{
    struct log_tx tx;
    int rc = log_tx_begin_for(&tx, db, hub, meeting_id);
    if (rc)
        return rc;
    rc = log_append(&tx, meeting_id, actor, type, payload, vis, seq_out);
    if (rc) {
        log_tx_rollback(&tx);
        return rc;
    }
    return log_tx_commit(&tx);
}

/* ---- reading ---- */

int log_read(struct db *db, const char *meeting_id, int64_t from_seq, struct event **out, int max,
             int *n)
{
    *n = 0;
    if (!meeting_id || max < 0)
        return OBR_EINVAL;
    if (max == 0)
        return 0;
    struct db_stmt *s = db_prepare(db, &q_read);
    if (!s)
        return OBR_EDB;
    int rc = db_bind_text(s, 1, meeting_id);
    rc = rc ? rc : db_bind_int(s, 2, from_seq);
    rc = rc ? rc : db_bind_int(s, 3, max);
    int count = 0;
    while (rc == 0 && count < max && (rc = db_step(s)) == DB_ROW) {
        struct event *ev = event_new(meeting_id, db_col_int(s, 0), db_col_int(s, 1),
                                     db_col_text(s, 2), db_col_text(s, 3), db_col_text(s, 4),
                                     (int)db_col_int(s, 5), db_col_text(s, 6), db_col_text(s, 7));
        if (!ev) {
            /* The columns are NOT NULL, so either the stored payload does
             * not parse (damage) or memory ran out. */
            json_t *p = json_loads(db_col_text(s, 4), 0, NULL);
            rc = p ? OBR_ENOMEM : OBR_ECORRUPT;
            json_decref(p);
            break;
        }
        out[count++] = ev;
        rc = 0;
    }
    db_stmt_done(s);
    if (rc < 0) {
        while (count > 0)
            event_unref(out[--count]);
        return rc;
    }
    *n = count;
    return 0;
}

int log_head(struct db *db, const char *meeting_id, int64_t *seq, char hash[EVENT_HASH_HEX + 1])
{
    int64_t ts;
    if (!meeting_id)
        return OBR_EINVAL;
    return read_head(db, meeting_id, seq, hash, &ts);
}

/* ---- verification ---- */

struct verify_state {
    int64_t next_seq;
    int64_t prev_ts;
    char prev_hash[EVENT_HASH_HEX + 1];
    int64_t redacted, first_redacted; /* redacted chat messages; the seq of the first */
    bool is_archived_after;           /* a meeting.archived event follows the first */
};

static bool is_hash_hex(const char *s)
{
    size_t n = 0;
    for (; s && s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == EVENT_HASH_HEX;
}

/* Checks the current row of s against the chain so far. Returns NULL when it
 * links, or the reason it does not. */
static const char *check_row(struct verify_state *st, const char *meeting_id, struct db_stmt *s)
{
    int64_t seq = db_col_int(s, 0);
    int64_t ts = db_col_int(s, 1);
    const char *prev = db_col_text(s, 6);
    const char *stored = db_col_text(s, 7);
    if (seq != st->next_seq)
        return "gap in seq";
    if (!prev || strcmp(prev, st->prev_hash) != 0)
        return "prev_hash does not match the previous event";
    char hash[EVENT_HASH_HEX + 1];
    const char *type = db_col_text(s, 3), *payload = db_col_text(s, 4);
    if (type && payload && !strcmp(type, LOG_REDACTABLE_TYPE) &&
        !strcmp(payload, LOG_REDACTED_PAYLOAD)) {
        if (!is_hash_hex(stored))
            return "hash mismatch";
        if (ts < st->prev_ts)
            return "time goes backwards";
        if (!st->redacted++)
            st->first_redacted = seq;
        st->next_seq = seq + 1;
        st->prev_ts = ts;
        memcpy(st->prev_hash, stored, EVENT_HASH_HEX + 1);
        return NULL;
    }
    if (st->redacted && type && !strcmp(type, "meeting.archived"))
        st->is_archived_after = true;
    bool is_fast_match =
        stored && log_hash_stored(meeting_id, seq, ts, db_col_text(s, 2), db_col_text(s, 3),
                                  db_col_text(s, 4), (int)db_col_int(s, 5), prev, hash) &&
        strcmp(stored, hash) == 0;
    if (!is_fast_match) {
        int rc = log_compute_hash(meeting_id, seq, ts, db_col_text(s, 2), db_col_text(s, 3),
                                  db_col_text(s, 4), (int)db_col_int(s, 5), prev, hash);
        if (rc == OBR_EINVAL)
            return "payload is not a JSON object of integers and strings";
        if (rc)
            return "hash could not be computed";
        if (!stored || strcmp(stored, hash) != 0)
            return "hash mismatch";
    }
    if (ts < st->prev_ts)
        return "time goes backwards";
    st->next_seq = seq + 1;
    st->prev_ts = ts;
    memcpy(st->prev_hash, hash, sizeof hash);
    return NULL;
}

int log_verify(struct db *db, const char *meeting_id, struct log_verify_result *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->head, LOG_GENESIS_HASH, EVENT_HASH_HEX + 1);
    if (!meeting_id)
        return OBR_EINVAL;
    struct verify_state st = {1, INT64_MIN, LOG_GENESIS_HASH, 0, 0, false};
    /* Batches keep memory flat on long logs (libpq would buffer a whole
     * result); each asks for seq >= the next expected one, so a gap shows as
     * a later seq arriving first. */
    for (;;) {
        struct db_stmt *s = db_prepare(db, &q_read);
        if (!s)
            return OBR_EDB;
        int rc = db_bind_text(s, 1, meeting_id);
        rc = rc ? rc : db_bind_int(s, 2, st.next_seq);
        rc = rc ? rc : db_bind_int(s, 3, VERIFY_BATCH);
        int rows = 0;
        const char *why = NULL;
        while (rc == 0 && (rc = db_step(s)) == DB_ROW) {
            rows++;
            why = check_row(&st, meeting_id, s);
            if (why)
                break;
            r->events++;
            rc = 0;
        }
        db_stmt_done(s);
        if (why) {
            /* The first seq that fails: for a gap, the missing one. */
            r->bad_seq = st.next_seq;
            r->why = why;
            break;
        }
        if (rc < 0)
            return rc;
        if (rows < VERIFY_BATCH)
            break;
    }
    memcpy(r->head, st.prev_hash, EVENT_HASH_HEX + 1);
    r->redacted = st.redacted;
    if (!r->bad_seq && st.redacted && !st.is_archived_after) {
        /* Only archiving redacts; elsewhere it would be a hidden message. */
        r->bad_seq = st.first_redacted;
        r->why = "chat message redacted in a meeting that was not archived";
    }
    return 0;
}
