/* outbox.c — mail that must not be lost: outbox_enqueue stores the complete
 * message as a row of the outbox table (in the caller's transaction), and one
 * worker thread delivers due rows oldest first, recording each outcome in the
 * row, so a restart resumes where the last process stopped. Failures retry
 * with exponential backoff until max_attempts; messages holding a secret are
 * wiped from the table once they are sent or given up on. Several nodes may
 * share the outbox: each row is claimed (a lease) before it is sent. */
#include "mail/mail.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "ops/metrics.h"
#include "store/db.h"
#include "store/db_util.h"
#include "store/jobs.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/err.h"
#include "util/ids.h"

#define BATCH 16
#define TICK_MS 5000
#define DEFAULT_MAX_ATTEMPTS 10
#define CLAIM_LEASE_MS (5 * 60 * 1000)

DB_QUERY(q_insert, "outbox_insert",
         "INSERT INTO outbox (id, to_addr, subject, message, is_sensitive, status, attempts, "
         "next_attempt_ms, created_ms) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)");
DB_QUERY(q_due, "outbox_due",
         "SELECT id, to_addr, message, is_sensitive, attempts, created_ms FROM outbox "
         "WHERE status = 'pending' AND next_attempt_ms <= $1 "
         "ORDER BY created_ms, id LIMIT $2");
/* $3 is an empty blob: what a wiped message becomes. */
DB_QUERY(q_sent, "outbox_sent",
         "UPDATE outbox SET status = 'sent', sent_ms = $2, attempts = attempts + 1, "
         "last_error = NULL, "
         "message = CASE WHEN is_sensitive = 1 THEN $3 ELSE message END, "
         "subject = CASE WHEN is_sensitive = 1 THEN '' ELSE subject END "
         "WHERE id = $1 AND status = 'pending'");
DB_QUERY(q_retry, "outbox_retry",
         "UPDATE outbox SET attempts = $2, last_error = $3, next_attempt_ms = $4 "
         "WHERE id = $1 AND status = 'pending'");
/* A row is claimed before it is sent: its next attempt moves past the
 * lease, so another node (or this one) takes it up again only if this node
 * died before recording the outcome. */
DB_QUERY(q_claim, "outbox_claim",
         "UPDATE outbox SET claimed_by = $2, next_attempt_ms = $3 "
         "WHERE id = $1 AND status = 'pending' AND next_attempt_ms <= $4");
DB_QUERY(q_counts, "outbox_counts",
         "SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), "
         "COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0) FROM outbox");
DB_QUERY(q_failed, "outbox_failed",
         "UPDATE outbox SET status = 'failed', attempts = $2, last_error = $3, "
         "message = CASE WHEN is_sensitive = 1 THEN $4 ELSE message END, "
         "subject = CASE WHEN is_sensitive = 1 THEN '' ELSE subject END "
         "WHERE id = $1 AND status = 'pending'");

/* The process-wide wake-up, so outbox_enqueue needs no pointer to the worker.
 * wake_lock guards is_nudged and the is_stopping flag of the running worker. */
static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond;
static pthread_once_t wake_once = PTHREAD_ONCE_INIT;
static bool is_nudged;

static void wake_init(void)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&wake_cond, &a);
    pthread_condattr_destroy(&a);
}

struct outbox {
    struct db_pool *pool;
    struct mail_config cfg; /* strings below are our copies */
    char *transport, *dir, *from, *smtp_url, *smtp_user, *smtp_password;
    bool is_file;
    pthread_t thread;
    bool is_stopping; /* guarded by wake_lock */
};

int64_t outbox_backoff_ms(unsigned n)
{
    int64_t ms = 30000;
    for (unsigned i = 1; i < n && ms < 3600000; i++)
        ms *= 2;
    return ms < 3600000 ? ms : 3600000;
}

int outbox_counts(struct db *db, int64_t *pending, int64_t *failed)
{
    struct db_stmt *s = db_prepare(db, &q_counts);
    if (!s)
        return OBR_EDB;
    int rc = db_step(s);
    if (rc == DB_ROW) {
        *pending = db_col_int(s, 0);
        *failed = db_col_int(s, 1);
        rc = 0;
    } else if (rc == DB_DONE) {
        rc = OBR_EDB;
    }
    db_stmt_done(s);
    return rc;
}

void outbox_nudge(struct outbox *ob)
{
    (void)ob;
    pthread_once(&wake_once, wake_init);
    pthread_mutex_lock(&wake_lock);
    is_nudged = true;
    pthread_cond_broadcast(&wake_cond);
    pthread_mutex_unlock(&wake_lock);
}

int outbox_enqueue(struct db *db, const struct mail_config *cfg, const struct mail_message *m,
                   bool is_sensitive, char id_out[21])
{
    size_t len;
    char *msg = mime_build(m, cfg->from, &len);
    if (!msg)
        return OBR_EINVAL;
    char id[ID_SIZE];
    id_new(id);
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, id);
    db_bind_text(s, 2, m->to_addr);
    db_bind_text(s, 3, m->subject);
    db_bind_blob(s, 4, msg, len);
    db_bind_int(s, 5, is_sensitive ? 1 : 0);
    db_bind_int(s, 6, clock_now_ms());
    int rc = db_run(s);
    free(msg);
    if (rc != 0)
        return rc;
    if (id_out)
        memcpy(id_out, id, ID_SIZE);
    outbox_nudge(NULL);
    return 0;
}

/* ---- the worker ---- */

struct item {
    char id[ID_SIZE];
    char *to_addr;
    void *msg;
    size_t len;
    bool is_sensitive;
    unsigned attempts;
    int64_t created_ms;
};

static void items_free(struct item *it, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(it[i].to_addr);
        if (it[i].is_sensitive)
            sodium_memzero(it[i].msg, it[i].len);
        free(it[i].msg);
    }
}

/* Reads up to BATCH due rows into it; their count, or a negative OBR_E*. */
static int load_due(struct db *db, struct item *it)
{
    struct db_stmt *s = db_prepare(db, &q_due);
    db_bind_int(s, 1, clock_now_ms());
    db_bind_int(s, 2, BATCH);
    int n = 0, rc;
    while (n < BATCH && (rc = db_step(s)) == DB_ROW) {
        const char *id = db_col_text(s, 0), *to = db_col_text(s, 1);
        size_t len;
        const void *msg = db_col_blob(s, 2, &len);
        struct item *x = &it[n];
        memset(x, 0, sizeof *x);
        if (!id || strlen(id) != ID_LEN || !to) {
            OBR_BUG("outbox row with a malformed id or address");
            continue;
        }
        memcpy(x->id, id, ID_SIZE);
        x->to_addr = strdup(to);
        x->msg = malloc(len ? len : 1);
        if (!x->to_addr || !x->msg) {
            free(x->to_addr);
            free(x->msg);
            rc = OBR_ENOMEM;
            break;
        }
        if (len)
            memcpy(x->msg, msg, len);
        x->len = len;
        x->is_sensitive = db_col_int(s, 3) != 0;
        x->attempts = (unsigned)db_col_int(s, 4);
        x->created_ms = db_col_int(s, 5);
        n++;
    }
    db_stmt_done(s);
    if (rc < 0) {
        items_free(it, (size_t)n);
        return rc;
    }
    return n;
}

static const char *domain_of(const char *addr)
{
    const char *at = strrchr(addr, '@');
    return at ? at + 1 : "?";
}

enum outcome { SENT, RETRY, FAILED };

/* Records an outcome, retrying a few times while the database is busy: a
 * lost update would deliver the message again. */
static int record(struct db *db, const struct item *x, enum outcome o, unsigned attempts,
                  const char *err, int64_t next_ms)
{
    static const char empty[1]; /* a wiped message is an empty blob */
    int rc = OBR_EDB;
    for (int i = 0; i < 5; i++) {
        struct db_stmt *s = db_prepare(db, o == SENT ? &q_sent : o == RETRY ? &q_retry : &q_failed);
        db_bind_text(s, 1, x->id);
        if (o == SENT) {
            db_bind_int(s, 2, clock_now_ms());
            db_bind_blob(s, 3, empty, 0);
        } else {
            db_bind_int(s, 2, attempts);
            db_bind_text(s, 3, err);
            if (o == RETRY)
                db_bind_int(s, 4, next_ms);
            else
                db_bind_blob(s, 4, empty, 0);
        }
        rc = db_run(s);
        if (rc != OBR_EBUSY)
            break;
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return rc;
}

/* True when this node now owns x (several nodes share one outbox). */
static bool claim(struct db *db, const struct item *x)
{
    int64_t now = clock_now_ms();
    struct db_stmt *s = db_prepare(db, &q_claim);
    db_bind_text(s, 1, x->id);
    db_bind_text(s, 2, node_id());
    db_bind_int(s, 3, now + CLAIM_LEASE_MS);
    db_bind_int(s, 4, now);
    return db_run_take(db, s) == 1;
}

static void deliver(struct outbox *ob, struct db *db, struct item *x)
{
    if (!claim(db, x))
        return; /* another node took it, or the store is away: retried later */
    char err[160] = "";
    int rc = ob->is_file
                 ? mail_transport_file_send(ob->cfg.dir, x->id, x->created_ms, x->msg, x->len, err,
                                            sizeof err)
                 : mail_transport_smtp_send(&ob->cfg, x->to_addr, x->msg, x->len, err, sizeof err);
    const char *domain = domain_of(x->to_addr);
    int urc;
    if (rc == 0) {
        urc = record(db, x, SENT, 0, NULL, 0);
        diag(DIAG_INFO, "mail %s to %s sent", x->id, domain);
    } else {
        metrics_mail_failure();
        unsigned attempts = x->attempts + 1;
        unsigned max = ob->cfg.max_attempts ? ob->cfg.max_attempts : DEFAULT_MAX_ATTEMPTS;
        if (!err[0])
            snprintf(err, sizeof err, "%s", obr_strerror(rc));
        if (attempts >= max) {
            urc = record(db, x, FAILED, attempts, err, 0);
            diag(DIAG_WARN, "mail %s to %s failed: %s (after %u attempts)", x->id, domain, err,
                 attempts);
        } else {
            int64_t wait_ms = outbox_backoff_ms(attempts);
            urc = record(db, x, RETRY, attempts, err, clock_now_ms() + wait_ms);
            diag(DIAG_INFO, "mail %s to %s retry in %llds: %s", x->id, domain,
                 (long long)(wait_ms / 1000), err);
        }
    }
    if (urc != 0)
        diag(DIAG_ERROR, "mail %s: recording the outcome failed: %s", x->id, obr_strerror(urc));
}

static bool stopping(struct outbox *ob)
{
    pthread_mutex_lock(&wake_lock);
    bool s = ob->is_stopping;
    pthread_mutex_unlock(&wake_lock);
    return s;
}

/* Delivers one batch of due rows. True when the batch was full (more may be due). */
static bool run_batch(struct outbox *ob, struct db *db)
{
    struct item it[BATCH];
    int n = load_due(db, it);
    if (n < 0) {
        diag(DIAG_WARN, "mail: reading the outbox failed: %s", obr_strerror(n));
        return false;
    }
    int done = 0;
    for (; done < n && !stopping(ob); done++)
        deliver(ob, db, &it[done]);
    items_free(it, (size_t)n);
    return n == BATCH && done == n;
}

/* The worker thread: a batch whenever nudged, and every TICK_MS anyway. */
static void *worker(void *arg)
{
    struct outbox *ob = arg;
    for (;;) {
        struct db *db = db_pool_get(ob->pool);
        bool is_more = db ? run_batch(ob, db) : false;

        pthread_mutex_lock(&wake_lock);
        if (!is_more && !is_nudged && !ob->is_stopping) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += TICK_MS / 1000;
            while (!is_nudged && !ob->is_stopping) {
                if (pthread_cond_timedwait(&wake_cond, &wake_lock, &ts) == ETIMEDOUT)
                    break;
            }
        }
        is_nudged = false;
        bool is_done = ob->is_stopping;
        pthread_mutex_unlock(&wake_lock);
        if (is_done)
            break;
    }
    return NULL;
}

static void outbox_free(struct outbox *ob)
{
    if (!ob)
        return;
    free(ob->transport);
    free(ob->dir);
    free(ob->from);
    free(ob->smtp_url);
    free(ob->smtp_user);
    free(ob->smtp_password);
    free(ob);
}

static bool dup_opt(char **dst, const char *src)
{
    if (!src)
        return true;
    *dst = strdup(src);
    return *dst != NULL;
}

int outbox_start(struct db_pool *pool, const struct mail_config *cfg, struct outbox **out)
{
    *out = NULL;
    char addr[256];
    if (!pool || !cfg || !cfg->transport || !cfg->from ||
        mail_address_of(cfg->from, addr, sizeof addr) != 0)
        return OBR_EINVAL;
    bool is_file = strcmp(cfg->transport, "file") == 0;
    if (!is_file && strcmp(cfg->transport, "smtp") != 0)
        return OBR_EINVAL;
    if ((is_file && !(cfg->dir && cfg->dir[0])) || (!is_file && !cfg->smtp_url))
        return OBR_EINVAL;
    if (mail_global_init() != 0)
        return OBR_EIO;
    pthread_once(&wake_once, wake_init);

    struct outbox *ob = calloc(1, sizeof *ob);
    if (!ob)
        return OBR_ENOMEM;
    ob->pool = pool;
    ob->is_file = is_file;
    ob->cfg = *cfg;
    if (!dup_opt(&ob->transport, cfg->transport) || !dup_opt(&ob->dir, cfg->dir) ||
        !dup_opt(&ob->from, cfg->from) || !dup_opt(&ob->smtp_url, cfg->smtp_url) ||
        !dup_opt(&ob->smtp_user, cfg->smtp_user) ||
        !dup_opt(&ob->smtp_password, cfg->smtp_password)) {
        outbox_free(ob);
        return OBR_ENOMEM;
    }
    ob->cfg.transport = ob->transport;
    ob->cfg.dir = ob->dir;
    ob->cfg.from = ob->from;
    ob->cfg.smtp_url = ob->smtp_url;
    ob->cfg.smtp_user = ob->smtp_user;
    ob->cfg.smtp_password = ob->smtp_password;
    if (pthread_create(&ob->thread, NULL, worker, ob) != 0) {
        outbox_free(ob);
        return OBR_EIO;
    }
    *out = ob;
    return 0;
}

void outbox_stop(struct outbox *ob)
{
    if (!ob)
        return;
    pthread_mutex_lock(&wake_lock);
    ob->is_stopping = true;
    pthread_cond_broadcast(&wake_cond);
    pthread_mutex_unlock(&wake_lock);
    pthread_join(ob->thread, NULL);
    outbox_free(ob);
}
