/* sms_outbox.c — the SMS worker (see sms.h): one thread that delivers due
 * rows of the SMS outbox through the gateway, oldest first, each claimed
 * first (a lease) so nodes sharing one PostgreSQL send it once; a failure
 * retries with a doubling wait until max_attempts, as the mail outbox does. */
#include "mail/sms.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/metrics.h"
#include "store/db.h"
#include "store/jobs.h"
#include "store/sms.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/err.h"

#define BATCH 16
#define TICK_MS 5000
#define LEASE_MS (5 * 60 * 1000)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static bool is_nudged, is_stopping, is_running;
static pthread_t thread;
static struct db_pool *pool;
static struct sms_config cfg;
static char *url, *auth, *tpl, *ctype;

bool sms_is_enabled(void)
{
    pthread_mutex_lock(&lock);
    bool r = is_running;
    pthread_mutex_unlock(&lock);
    return r;
}

void sms_nudge(void)
{
    pthread_mutex_lock(&lock);
    is_nudged = true;
    if (is_running)
        pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

static int64_t backoff_ms(unsigned n)
{
    int64_t ms = (cfg.retry_s ? cfg.retry_s : 30) * (int64_t)1000;
    for (unsigned i = 1; i < n && ms < 3600000; i++)
        ms *= 2;
    return ms < 3600000 ? ms : 3600000;
}

static void deliver(struct db *db, const struct sms_row *r)
{
    int64_t now = clock_now_ms();
    if (!sms_outbox_claim(db, r->id, node_id(), now, now + LEASE_MS))
        return; /* another node took it */
    char err[160] = "";
    int rc = sms_gateway_send(&cfg, r->to_phone, r->text, err, sizeof err);
    unsigned attempts = r->attempts + 1;
    unsigned max = cfg.max_attempts ? cfg.max_attempts : 10;
    int urc;
    if (!rc) {
        urc = sms_outbox_sent(db, r->id, clock_now_ms());
        metrics_sms(METRICS_SMS_SENT);
        diag(DIAG_INFO, "sms %s sent", r->id);
    } else if (attempts >= max) {
        urc = sms_outbox_failed(db, r->id, attempts, err, 0);
        metrics_sms(METRICS_SMS_FAILED);
        diag(DIAG_WARN, "sms %s failed: %s (after %u attempts)", r->id, err, attempts);
    } else {
        int64_t wait = backoff_ms(attempts);
        urc = sms_outbox_failed(db, r->id, attempts, err, clock_now_ms() + wait);
        metrics_sms(METRICS_SMS_RETRIED);
        diag(DIAG_INFO, "sms %s retry in %llds: %s", r->id, (long long)(wait / 1000), err);
    }
    if (urc)
        diag(DIAG_ERROR, "sms %s: recording the outcome failed: %s", r->id, obr_strerror(urc));
}

static bool stopping(void)
{
    pthread_mutex_lock(&lock);
    bool s = is_stopping;
    pthread_mutex_unlock(&lock);
    return s;
}

/* Waits for a nudge, the tick, or the next retry (whichever is first). */
static void *worker(void *arg)
{
    (void)arg;
    static struct sms_row rows[BATCH];
    for (;;) {
        struct db *db = db_pool_get(pool);
        int n = db ? sms_outbox_due(db, clock_now_ms(), rows, BATCH) : 0;
        if (n < 0)
            diag(DIAG_WARN, "sms: reading the outbox failed: %s", obr_strerror(n));
        for (int i = 0; i < n && !stopping(); i++)
            deliver(db, &rows[i]);
        unsigned wait_ms =
            cfg.retry_s && cfg.retry_s * 1000u < TICK_MS ? cfg.retry_s * 500u : TICK_MS;
        pthread_mutex_lock(&lock);
        if (n < BATCH && !is_nudged && !is_stopping) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_sec += wait_ms / 1000;
            ts.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
            if (ts.tv_nsec >= 1000000000L)
                ts.tv_sec++, ts.tv_nsec -= 1000000000L;
            while (!is_nudged && !is_stopping)
                if (pthread_cond_timedwait(&cond, &lock, &ts) == ETIMEDOUT)
                    break;
        }
        is_nudged = false;
        bool done = is_stopping;
        pthread_mutex_unlock(&lock);
        if (done)
            break;
    }
    return NULL;
}

static void free_copies(void)
{
    if (auth)
        explicit_bzero(auth, strlen(auth));
    free(url), free(auth), free(tpl), free(ctype);
    url = auth = tpl = ctype = NULL;
}

int sms_start(struct db_pool *p, const struct sms_config *c)
{
    if (!c->url || !c->url[0])
        return 0;
    if (strncmp(c->url, "http://", 7) && strncmp(c->url, "https://", 8))
        return OBR_EINVAL;
    url = strdup(c->url);
    auth = strdup(c->auth_header ? c->auth_header : "");
    tpl = strdup(c->body_template && c->body_template[0] ? c->body_template
                                                         : "to={number}&message={text}");
    ctype = strdup(c->content_type && c->content_type[0] ? c->content_type
                                                         : "application/x-www-form-urlencoded");
    if (!url || !auth || !tpl || !ctype) {
        free_copies();
        return OBR_ENOMEM;
    }
    cfg = *c;
    cfg.url = url, cfg.auth_header = auth, cfg.body_template = tpl, cfg.content_type = ctype;
    pool = p;
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&cond, &a);
    pthread_condattr_destroy(&a);
    is_stopping = false;
    if (pthread_create(&thread, NULL, worker, NULL) != 0) {
        free_copies();
        return OBR_EIO;
    }
    pthread_mutex_lock(&lock);
    is_running = true;
    pthread_mutex_unlock(&lock);
    return 0;
}

void sms_stop(void)
{
    pthread_mutex_lock(&lock);
    bool was = is_running;
    is_stopping = true;
    is_running = false;
    if (was)
        pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    if (!was)
        return;
    pthread_join(thread, NULL);
    pthread_cond_destroy(&cond);
    free_copies();
}
