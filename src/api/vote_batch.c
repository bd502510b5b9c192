/* vote_batch.c — group commit of the SQL work of ballots: the requests that
 * queue while one transaction runs are taken by one leader (the first
 * waiting request thread) into one transaction, each inside its own
 * savepoint, so a refused or failed ballot is undone alone and the others
 * commit together with one COMMIT and one sync. Each request still gets its
 * reply only once its part is durable (log_part_wait, on its own thread).
 * Validation runs inside the transaction, per part, with the meeting state
 * folded (the batch folds its own events on its own copy) and the vote read
 * after the earlier parts of the batch. SQLite
 * (one writer) only: PostgreSQL keeps vote_act's per-meeting transactions. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/meeting_cache.h"
#include "api/vote_impl.h"
#include "log/eventlog.h"
#include "mail/mail.h"
#include "mail/sms.h"
#include "ops/scheduler.h"
#include "store/db.h"

/* 64 ballots of a batch append 64..~70 events: room is kept below
 * LOG_BATCH_MAX_EVENTS for a part to append LOG_TX_MAX_EVENTS, as a
 * transaction of its own could; a part that would start past it waits for
 * the next batch. */
#define BATCH_MAX_JOBS 64
#define PART_ROOM (LOG_BATCH_MAX_EVENTS - LOG_TX_MAX_EVENTS)

struct vbatch_job {
    struct req *rq;
    struct meeting_ctx *c;
    const char *vote_id;
    vote_fn fn;
    void *arg;
    struct vact a;
    int rc;
    bool is_deferred; /* the request thread's log_defer_is_open() */
    bool is_run;      /* its part was tried (kept, undone or lost) */
    bool is_done;     /* is_run, and the batch is over: the owner may reply */
    struct log_sync_wait *wait;
    pthread_cond_t wake; /* its owner waits on it: woken alone, when done or to lead */
    struct vbatch_job *next;
};

/* q_lock guards the queue, has_leader and every queued job's is_done and wake. */
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vbatch_job *q_head, **q_tail = &q_head;
static bool has_leader;

/* The folded state of each meeting the batch wrote to: loaded by its first
 * part, then the later parts' events folded on a copy of the batch's own,
 * so a meeting's second ballot in a batch neither reads its log again nor
 * copies its state again. People cannot change inside the batch (one
 * SQLite writer, and ballots write no people). */
struct bstate {
    const char *meeting_id;
    struct meeting_state *st; /* NULL: load it */
    bool is_own;              /* st is the batch's copy (not the cache's) */
    /* The cache key st was loaded under: once the batch is committed its
     * copy, which has the same people, is kept under it (bstates_keep), so
     * the next batch's load folds nothing again. */
    unsigned char key[MEETING_CACHE_KEY_SIZE];
};

struct bstates {
    struct bstate s[BATCH_MAX_JOBS];
    int n;
};

static struct bstate *bstate_of(struct bstates *bs, const char *meeting_id)
{
    for (int i = 0; i < bs->n; i++)
        if (!strcmp(bs->s[i].meeting_id, meeting_id))
            return &bs->s[i];
    if (bs->n == BATCH_MAX_JOBS)
        return NULL;
    bs->s[bs->n] = (struct bstate){.meeting_id = meeting_id};
    return &bs->s[bs->n++];
}

/* After the commit: the batch's own states are what the log now holds. */
static void bstates_keep(struct bstates *bs)
{
    for (int i = 0; i < bs->n; i++)
        if (bs->s[i].st && bs->s[i].is_own)
            meeting_cache_put(bs->s[i].key, bs->s[i].st);
}

static void bstates_free(struct bstates *bs)
{
    for (int i = 0; i < bs->n; i++)
        meeting_state_free(bs->s[i].st);
    bs->n = 0;
}

/* Folds the events a kept part appended (tx->pending from mark) into the
 * states of their meetings; a state that cannot take them is dropped, and
 * its meeting's next part loads it from the store. */
static void bstates_fold(struct bstates *bs, struct log_tx *tx, int mark)
{
    for (int i = mark; i < tx->n_pending; i++) {
        const struct event *ev = tx->pending[i];
        struct bstate *b = NULL;
        for (int k = 0; k < bs->n && !b; k++)
            if (!strcmp(bs->s[k].meeting_id, ev->meeting_id))
                b = &bs->s[k];
        if (!b || !b->st)
            continue;
        if (!b->is_own) {
            struct meeting_state *own = meeting_state_clone(b->st);
            meeting_state_free(b->st);
            b->st = own;
            b->is_own = own != NULL;
        }
        if (b->st && meeting_state_apply(b->st, ev) != 0) {
            meeting_state_free(b->st);
            b->st = NULL;
            b->is_own = false;
        }
    }
}

/* Runs one job as a part of tx; 0 when kept, else what ended the batch (the
 * job's own refusal or error is in j). */
static int run_part(struct log_tx *tx, struct vbatch_job *j, struct bstates *bs,
                    struct log_part *part, bool *is_kept, bool *has_mail)
{
    int mark;
    int rc = log_tx_part_begin(tx, &mark);
    if (rc)
        return rc;
    struct bstate *b = bstate_of(bs, j->c->m.id);
    struct meeting_state *st = b ? b->st : NULL;
    struct vote v;
    memset(&v, 0, sizeof v);
    if (!st) {
        unsigned char key[MEETING_CACHE_KEY_SIZE];
        rc = meeting_state_load_keyed(tx->db, &j->c->m, &j->c->b, &st, b ? b->key : key);
        if (!rc && b) {
            b->st = st; /* the batch's reference from now on */
            b->is_own = false;
        }
    }
    if (!rc)
        rc = votes_get(tx->db, j->vote_id, &v);
    if (!rc) {
        snprintf(j->a.vote_id, sizeof j->a.vote_id, "%s", j->vote_id);
        rc = j->fn(j->rq, tx, j->c, st, &v, j->arg, &j->a);
    }
    vote_clear(&v);
    if (!b)
        meeting_state_free(st);
    *is_kept = !rc && j->a.err == ERR__COUNT;
    if (vote_take_queued_mail() && *is_kept)
        *has_mail = true;
    j->rc = rc;
    j->is_run = true;
    int erc = log_tx_part_end(tx, mark, *is_kept);
    if (erc) { /* the whole transaction is gone: report the first cause */
        *is_kept = false;
        return rc ? rc : erc;
    }
    if (*is_kept)
        bstates_fold(bs, tx, mark);
    *part =
        (struct log_part){.first = mark, .n = tx->n_pending - mark, .is_deferred = j->is_deferred};
    return 0;
}

static void lose(struct vbatch_job *j, int rc)
{
    j->rc = rc;
    j->is_run = true;
    json_decref(j->a.reply);
    j->a.reply = NULL;
}

/* One transaction for the jobs of list, in order. Jobs that did not fit
 * are left with is_run false. */
static void run_batch(struct db *db, struct hub *hub, struct vbatch_job *list)
{
    struct log_tx tx;
    int rc = log_tx_begin_batch(&tx, db, hub);
    if (rc) {
        for (struct vbatch_job *j = list; j; j = j->next)
            lose(j, rc);
        return;
    }
    struct log_part parts[BATCH_MAX_JOBS];
    struct vbatch_job *kept[BATCH_MAX_JOBS];
    struct bstates bs = {.n = 0};
    int n = 0;
    bool has_mail = false, has_nudge = false;
    struct vbatch_job *j = list;
    while (j && !rc && tx.n_pending <= PART_ROOM) {
        bool is_kept = false;
        rc = run_part(&tx, j, &bs, &parts[n], &is_kept, &has_mail);
        if (is_kept) {
            has_nudge = has_nudge || j->a.nudge;
            kept[n++] = j;
        }
        if (!rc)
            j = j->next;
    }
    if (rc) { /* lost: the kept parts, this one and those not tried fail */
        bstates_free(&bs);
        log_tx_rollback(&tx);
        for (int i = 0; i < n; i++)
            lose(kept[i], rc);
        for (; j; j = j->next)
            lose(j, rc);
        return;
    }
    if (!n) {
        bstates_free(&bs);
        log_tx_rollback(&tx);
        return;
    }
    rc = log_tx_commit_parts(&tx, parts, n);
    if (!rc)
        bstates_keep(&bs);
    bstates_free(&bs);
    for (int i = 0; i < n; i++) {
        if (rc)
            lose(kept[i], rc);
        else
            kept[i]->wait = parts[i].wait;
    }
    if (!rc && has_nudge) {
        scheduler_nudge();
        sms_nudge(); /* as vote_act: a deadline may come with SMS */
    }
    if (!rc && has_mail)
        outbox_nudge(NULL);
}

/* Leads one batch: takes the queue's first jobs, runs them, puts back those
 * that did not fit (in front, in order) and marks the rest done. Called
 * and returns with q_lock held. */
static void lead(struct db *db, struct hub *hub)
{
    has_leader = true;
    struct vbatch_job *list = q_head;
    struct vbatch_job **cut = &q_head;
    for (int k = 0; *cut && k < BATCH_MAX_JOBS; k++)
        cut = &(*cut)->next;
    q_head = *cut;
    *cut = NULL;
    if (!q_head)
        q_tail = &q_head;
    pthread_mutex_unlock(&q_lock);
    run_batch(db, hub, list);
    pthread_mutex_lock(&q_lock);
    struct vbatch_job *back = NULL, **back_tail = &back;
    for (struct vbatch_job *j = list, *next; j; j = next) {
        next = j->next;
        j->next = NULL;
        if (j->is_run) {
            j->is_done = true;
            pthread_cond_signal(&j->wake);
        } else {
            *back_tail = j;
            back_tail = &j->next;
        }
    }
    if (back) {
        *back_tail = q_head;
        if (!q_head)
            q_tail = back_tail;
        q_head = back;
    }
    has_leader = false;
    /* Only the owners of finished jobs (above) and the next leader wake,
     * not every waiting request thread. */
    if (q_head)
        pthread_cond_signal(&q_head->wake);
}

void vote_act_batched(struct req *rq, struct meeting_ctx *c, const char *vote_id, vote_fn fn,
                      void *arg, unsigned status)
{
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    if (db_has_many_writers(db)) {
        /* PostgreSQL: one transaction per ballot under its meeting's own
         * lock, in parallel across meetings and nodes. */
        vote_act(rq, c, vote_id, fn, arg, status);
        return;
    }
    struct vbatch_job j = {.rq = rq,
                           .c = c,
                           .vote_id = vote_id,
                           .fn = fn,
                           .arg = arg,
                           .a = {.err = ERR__COUNT, .status = status},
                           .is_deferred = log_defer_is_open()};
    pthread_cond_init(&j.wake, NULL);
    pthread_mutex_lock(&q_lock);
    *q_tail = &j;
    q_tail = &j.next;
    while (!j.is_done) {
        if (!has_leader)
            lead(db, req_hub(rq));
        else
            pthread_cond_wait(&j.wake, &q_lock);
    }
    pthread_mutex_unlock(&q_lock);
    pthread_cond_destroy(&j.wake);
    /* Committed: wait for the sync as log_tx_commit would (inside a
     * deferral the reply is held until then by the HTTP layer). */
    int rc = j.wait ? log_part_wait(j.wait) : j.rc;
    if (!rc && !j.wait && j.a.err == ERR__COUNT)
        rc = OBR_EDB; /* cannot happen: a kept part is committed or lost */
    if (rc || j.a.err != ERR__COUNT) {
        if (rc)
            reply_obr_error(rq, rc);
        else if (j.a.reply)
            reply_json(rq, j.a.status, json_incref(j.a.reply));
        else
            reply_error(rq, j.a.err, j.a.field);
        json_decref(j.a.reply);
        return;
    }
    reply_json(rq, j.a.status, j.a.reply ? j.a.reply : json_object());
}
