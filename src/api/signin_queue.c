/* signin_queue.c — a bounded ring of code requests and the thread that
 * serves them (see signin_queue.h). The ring holds 4 096 requests: far more
 * than the per-address limits let in within the time the worker needs to
 * drain them; past that, requests are dropped and counted in the log. */
#include "api/signin_queue.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/auth.h"
#include "store/db.h"
#include "store/directory.h"
#include "util/diag.h"
#include "util/err.h"

#define QUEUE_SIZE 4096

struct item {
    char email[EMAIL_SIZE];
    char lang[3];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards everything below */
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static struct item ring[QUEUE_SIZE];
static unsigned head, count;
static bool is_running, is_stopping;
static pthread_t thread;
static struct db_pool *the_pool;
static struct app *the_app;

bool signin_queue_push(const char *email, const char *lang)
{
    pthread_mutex_lock(&lock);
    bool is_ok = is_running && count < QUEUE_SIZE;
    if (is_ok) {
        struct item *it = &ring[(head + count) % QUEUE_SIZE];
        snprintf(it->email, sizeof it->email, "%s", email);
        snprintf(it->lang, sizeof it->lang, "%s", lang ? lang : "");
        count++;
        pthread_cond_signal(&wake);
    }
    pthread_mutex_unlock(&lock);
    if (!is_ok)
        diag(DIAG_WARN, "auth: sign-in queue full, a code request was dropped");
    return is_ok;
}

static void serve(struct db *db, const struct item *it)
{
    struct user u;
    int rc = users_get_by_email(db, it->email, &u);
    if (rc == OBR_ENOTFOUND)
        return; /* nobody: nothing to send, and nothing the caller can see */
    if (!rc)
        rc = auth_send_code(the_app, db, &u, it->lang[0] ? it->lang : u.lang);
    if (rc)
        diag(DIAG_ERROR, "auth: a sign-in code could not be prepared: %s", obr_strerror(rc));
}

static void *worker(void *arg)
{
    for (;;) {
        pthread_mutex_lock(&lock);
        while (!count && !is_stopping)
            pthread_cond_wait(&wake, &lock);
        if (!count && is_stopping) {
            pthread_mutex_unlock(&lock);
            break;
        }
        struct item it = ring[head];
        sodium_memzero(&ring[head], sizeof ring[head]);
        head = (head + 1) % QUEUE_SIZE;
        count--;
        pthread_mutex_unlock(&lock);
        struct db *db = db_pool_get(the_pool);
        if (db)
            serve(db, &it);
        else
            diag(DIAG_ERROR, "auth: no database for a sign-in code");
    }
    return NULL;
}

int signin_queue_start(struct db_pool *pool, struct app *app)
{
    pthread_mutex_lock(&lock);
    the_pool = pool;
    the_app = app;
    is_stopping = false;
    int rc = is_running ? 0 : pthread_create(&thread, NULL, worker, NULL);
    if (!rc)
        is_running = true;
    pthread_mutex_unlock(&lock);
    return rc ? OBR_ENOMEM : 0;
}

void signin_queue_stop(void)
{
    pthread_mutex_lock(&lock);
    bool was_running = is_running;
    is_stopping = true;
    is_running = false;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    if (was_running)
        pthread_join(thread, NULL);
}
