/* vote_batch.c — group commit of the SQL work of ballots. Request threads
 * queue their ballots and return at once, the connection held (req_hold);
 * one writer thread (or, without it, the request thread itself) runs them in
 * one transaction on the pool's own writer connection (warm page cache),
 * each inside its own savepoint, so a refused or failed ballot is undone
 * alone. The writer lets a refused part's request go at once (req_resume);
 * a kept part's wait calls req_resume when durable (or lost), and the reply
 * is made then on a server thread: no thread is woken or blocked per ballot
 * but the one that sends its reply. While the syncer is busy the writer
 * keeps its transaction open and adds the ballots that arrive, committing
 * when the syncer goes idle or the batch is full: one commit (one write of
 * each page) and one sync per round however small the ballots. Validation
 * runs inside the transaction, per part, with the meeting state folded and
 * the vote read after the earlier parts. SQLite (one writer) only:
 * PostgreSQL keeps vote_act's per-meeting transactions. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/meeting_cache.h"
#include "api/vote_impl.h"
#include "log/eventlog.h"
#include "mail/mail.h"
#include "mail/sms.h"
#include "ops/scheduler.h"
#include "store/db.h"
#include "util/diag.h"
#include "util/ids.h"
#include "util/thread.h"

/* 64 ballots of a batch append 64..~70 events: room is kept below
 * LOG_BATCH_MAX_EVENTS for a part to append LOG_TX_MAX_EVENTS, as a
 * transaction of its own could; a part that would start past it waits for
 * the next batch. */
#define BATCH_MAX_JOBS 64
#define PART_ROOM (LOG_BATCH_MAX_EVENTS - LOG_TX_MAX_EVENTS)

/* In the request's memory (req_alloc): the writer may run it after the
 * handler returned, and the request ends only after finish. */
struct vbatch_job {
    struct req *rq;
    struct meeting_ctx c; /* a copy: the handler's is gone */
    vote_fn fn;
    void *arg;
    struct vact a; /* a.vote_id: the vote */
    int rc;
    struct log_sync_wait *wait; /* kept: resumes the request when durable */
    struct vbatch_job *next;
};

/* q_lock guards the queue and is_writer_waiting. The writer thread waits on
 * q_work for jobs, or, with a transaction open, for more jobs or the syncer
 * going idle; a request thread signals it only when it waits. */
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_work = PTHREAD_COND_INITIALIZER;
static struct vbatch_job *q_head, **q_tail = &q_head;
static bool is_writer_waiting;
static pthread_once_t writer_once = PTHREAD_ONCE_INIT;
static bool has_writer;

/* The folded state of each meeting the batch wrote to: loaded by its first
 * part, then the later parts' events folded on a copy of the batch's own,
 * so a meeting's second ballot in a batch neither reads its log again nor
 * copies its state again. People cannot change inside the batch (one
 * SQLite writer, and ballots write no people). */
struct bstate {
    char meeting_id[ID_SIZE]; /* a copy: the job's owner may be gone */
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
    bs->s[bs->n] = (struct bstate){.st = NULL};
    snprintf(bs->s[bs->n].meeting_id, sizeof bs->s[bs->n].meeting_id, "%s", meeting_id);
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

/* The JSON lists of each vote the batch read (eligible, candidates,
 * electorate: kilobytes through overflow pages, copied out per read): set
 * while a vote is a draft or at its opening, which no ballot does, and no
 * other writer runs while the batch's transaction is open, so a vote's later
 * parts read only its other columns (votes_get_slim) and take these. */
struct bvote {
    char vote_id[ID_SIZE];
    json_t *eligible, *candidates, *electorate;
};

struct bvotes {
    struct bvote v[BATCH_MAX_JOBS];
    int n;
};

/* The vote vote_id as of now in the batch's transaction into *v. */
static int bvote_get(struct bvotes *bv, struct db *db, const char *vote_id, struct vote *v)
{
    for (int i = 0; i < bv->n; i++) {
        struct bvote *b = &bv->v[i];
        if (strcmp(b->vote_id, vote_id))
            continue;
        int rc = votes_get_slim(db, vote_id, v);
        if (!rc) {
            v->eligible = json_incref(b->eligible);
            v->candidates = json_incref(b->candidates);
            v->electorate = json_incref(b->electorate);
        }
        return rc;
    }
    int rc = votes_get_unnumbered(db, vote_id, v);
    if (!rc && bv->n < BATCH_MAX_JOBS) {
        struct bvote *b = &bv->v[bv->n++];
        snprintf(b->vote_id, sizeof b->vote_id, "%s", vote_id);
        b->eligible = json_incref(v->eligible);
        b->candidates = json_incref(v->candidates);
        b->electorate = json_incref(v->electorate);
    }
    return rc;
}

static void bvotes_free(struct bvotes *bv)
{
    for (int i = 0; i < bv->n; i++) {
        json_decref(bv->v[i].eligible);
        json_decref(bv->v[i].candidates);
        json_decref(bv->v[i].electorate);
    }
    bv->n = 0;
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
                    struct bvotes *bv, struct log_part *part, bool *is_kept, bool *has_mail)
{
    int mark;
    int rc = log_tx_part_begin(tx, &mark);
    if (rc)
        return rc;
    struct bstate *b = bstate_of(bs, j->c.m.id);
    struct meeting_state *st = b ? b->st : NULL;
    struct vote v;
    memset(&v, 0, sizeof v);
    if (!st) {
        unsigned char key[MEETING_CACHE_KEY_SIZE];
        rc = meeting_state_load_keyed(tx->db, &j->c.m, &j->c.b, &st, b ? b->key : key);
        if (!rc && b) {
            b->st = st; /* the batch's reference from now on */
            b->is_own = false;
        }
    }
    if (!rc)
        rc = bvote_get(bv, tx->db, j->a.vote_id, &v);
    if (!rc)
        rc = j->fn(j->rq, tx, &j->c, st, &v, j->arg, &j->a);
    vote_clear(&v);
    if (!b)
        meeting_state_free(st);
    *is_kept = !rc && j->a.err == ERR__COUNT;
    if (vote_take_queued_mail() && *is_kept)
        *has_mail = true;
    j->rc = rc;
    int erc = log_tx_part_end(tx, mark, *is_kept);
    if (erc) { /* the whole transaction is gone: report the first cause */
        *is_kept = false;
        return rc ? rc : erc;
    }
    if (*is_kept)
        bstates_fold(bs, tx, mark);
    *part = (struct log_part){.first = mark,
                              .n = tx->n_pending - mark,
                              .is_deferred = true,
                              .wait = j->wait,
                              .is_premade = true};
    return 0;
}

/* Lets j's request go on at once: its part was refused, failed or lost
 * before it was kept. The writer touches j no more. */
static void release(struct vbatch_job *j)
{
    if (j->wait) { /* not handed out */
        free(j->wait);
        j->wait = NULL;
    }
    req_resume(j->rq, 0);
}

static void lose(struct vbatch_job *j, int rc)
{
    j->rc = rc;
    release(j);
}

/* Takes the whole queue (q_lock held). With is_waiting, first waits, while
 * the queue is empty and the syncer busy, for jobs or the syncer's idle
 * hook: kept parts could not be synced before it is idle anyway. */
static struct vbatch_job *take_locked(bool is_waiting)
{
    while (!q_head && is_waiting && log_sync_is_busy()) {
        is_writer_waiting = true;
        pthread_cond_wait(&q_work, &q_lock);
        is_writer_waiting = false;
    }
    struct vbatch_job *list = q_head;
    q_head = NULL;
    q_tail = &q_head;
    return list;
}

/* Puts jobs not tried back at the queue's head, in order. */
static void put_back(struct vbatch_job *list)
{
    if (!list)
        return;
    pthread_mutex_lock(&q_lock);
    struct vbatch_job *last = list;
    while (last->next)
        last = last->next;
    last->next = q_head;
    if (!q_head)
        q_tail = &last->next;
    q_head = list;
    pthread_mutex_unlock(&q_lock);
}

/* Runs one transaction for the jobs of list, in order, then (is_writer)
 * for whatever queues meanwhile, as take_locked. Every job tried is released
 * once its part ran or was lost; kept parts learn the commit through their
 * waits. Jobs that do not fit are put back. */
static void run_batch(struct vbatch_job *list, bool is_writer)
{
    struct db *db = req_db_writer(list->rq);
    struct hub *hub = req_hub(list->rq);
    struct log_tx tx;
    int rc = db ? log_tx_begin_batch(&tx, db, hub) : OBR_EDB;
    if (rc) {
        struct vbatch_job *first = list;
        put_back(first->next);
        first->next = NULL;
        lose(first, rc);
        return;
    }
    struct log_part parts[BATCH_MAX_JOBS];
    struct bstates bs = {.n = 0};
    struct bvotes bv = {.n = 0};
    int n = 0;
    bool has_mail = false, has_nudge = false;
    for (;;) {
        if (!list && is_writer && n > 0) {
            pthread_mutex_lock(&q_lock);
            list = take_locked(true);
            pthread_mutex_unlock(&q_lock);
        }
        if (!list)
            break;
        if (n == BATCH_MAX_JOBS || tx.n_pending > PART_ROOM)
            break; /* full: the rest go back to the queue */
        struct vbatch_job *j = list;
        list = j->next;
        j->next = NULL;
        j->wait = log_part_wait_new_cb(req_resume, j->rq);
        if (!j->wait) {
            lose(j, OBR_ENOMEM);
            continue;
        }
        bool is_kept = false;
        rc = run_part(&tx, j, &bs, &bv, &parts[n], &is_kept, &has_mail);
        if (rc) { /* the transaction is lost: this part, and those kept */
            lose(j, rc);
            break;
        }
        if (is_kept) { /* from here on its wait lets it go */
            has_nudge = has_nudge || j->a.nudge;
            n++;
        } else {
            release(j);
        }
    }
    bvotes_free(&bv);
    put_back(list);
    if (rc || !n) {
        bstates_free(&bs);
        log_tx_rollback(&tx);
        for (int i = 0; i < n; i++)
            log_sync_fail(parts[i].wait, rc);
        return;
    }
    rc = log_tx_commit_parts(&tx, parts, n); /* on failure: each wait gets rc */
    if (!rc)
        bstates_keep(&bs);
    bstates_free(&bs);
    if (!rc && has_nudge) {
        scheduler_nudge();
        sms_nudge(); /* as vote_act: a deadline may come with SMS */
    }
    if (!rc && has_mail)
        outbox_nudge(NULL);
}

/* The syncer went idle: a writer keeping its transaction open commits. */
static void on_sync_idle(void)
{
    pthread_mutex_lock(&q_lock);
    pthread_cond_signal(&q_work);
    pthread_mutex_unlock(&q_lock);
}

static void *writer_main(void *arg)
{
    (void)arg;
    /* Created on a request thread: not to be taken for one in a profile.
     * Idle at shutdown: every job's request ends (server_stop waits for
     * it) only after its batch committed and synced. */
    pthread_setname_np(pthread_self(), "ballot-writer");
    for (;;) {
        pthread_mutex_lock(&q_lock);
        while (!q_head) {
            is_writer_waiting = true;
            pthread_cond_wait(&q_work, &q_lock);
            is_writer_waiting = false;
        }
        struct vbatch_job *list = take_locked(false);
        pthread_mutex_unlock(&q_lock);
        run_batch(list, true);
    }
    return NULL;
}

static void start_writer(void)
{
    has_writer = thread_start_detached(writer_main, NULL);
    if (has_writer)
        log_sync_set_idle_hook(on_sync_idle);
    else
        diag(DIAG_ERROR, "vote: cannot start the ballot writer thread; ballots commit one by one");
}

/* On a server thread once the request is let go (req_resume): the reply
 * as vote_act makes it (a failed commit or sync is the server's 503/507). */
static void finish(struct req *rq, void *ctx)
{
    struct vbatch_job *j = ctx;
    if (j->rc)
        reply_obr_error(rq, j->rc);
    else if (j->a.err != ERR__COUNT && !j->a.reply)
        reply_error(rq, j->a.err, j->a.field);
    else
        reply_json(rq, j->a.status, j->a.reply ? json_incref(j->a.reply) : json_object());
    json_decref(j->a.reply);
    j->a.reply = NULL;
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
    struct vbatch_job *j = req_alloc(rq, sizeof *j);
    if (!j) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    *j = (struct vbatch_job){.rq = rq,
                             .c = *c,
                             .fn = fn,
                             .arg = arg,
                             .a = {.err = ERR__COUNT, .status = status}};
    snprintf(j->a.vote_id, sizeof j->a.vote_id, "%s", vote_id);
    pthread_once(&writer_once, start_writer);
    req_hold(rq, finish, j); /* before the writer can let it go */
    if (has_writer) {
        pthread_mutex_lock(&q_lock);
        *q_tail = j;
        q_tail = &j->next;
        if (is_writer_waiting)
            pthread_cond_signal(&q_work);
        pthread_mutex_unlock(&q_lock);
    } else {
        /* No writer thread: a batch of one, serialized by the log's writer
         * lock like every log transaction (the writer connection with it). */
        run_batch(j, false);
    }
}
