/* sse_trim.c — gives back to the system what libmicrohttpd freed when its
 * event streams moved to the writers. Each hand-over lets MHD free the
 * connection's memory pool (16 KiB, malloc'd in MHD's worker's arena) while
 * the stream lives on; glibc keeps such blocks inside its arenas, so after a
 * burst of new streams the process stayed at its high-water mark (at 1 000
 * streams in one meeting, more than half the memory per stream). A writer
 * asks for a malloc_trim after SSE_TRIM_BATCH hand-overs or SSE_TRIM_IDLE_MS
 * after the last one; this thread runs it (a walk of every arena, 2 ms and
 * more with 18 000 streams; at most one per SSE_TRIM_GAP_MS), so no writer
 * stops sending for it. */
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "http/sse_impl.h"
#include "util/fantrace.h"

#define SSE_TRIM_WAIT_MS 10 /* after the first free: gathers a burst, bounds the cost */

static unsigned freed; /* atomic: connections MHD let go since the last trim */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards the three below */
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static bool is_due, is_stop, is_running;
static pthread_t thread;

void sse_trim_note_free(void)
{
    if (__atomic_fetch_add(&freed, 1, __ATOMIC_RELAXED))
        return; /* a trim is asked for already */
    pthread_mutex_lock(&lock);
    is_due = true;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

static void *trim_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!is_due && !is_stop)
            pthread_cond_wait(&cond, &lock);
        if (is_stop)
            break;
        is_due = false;
        pthread_mutex_unlock(&lock);
        struct timespec wait = {.tv_nsec = SSE_TRIM_WAIT_MS * 1000000L};
        nanosleep(&wait, NULL);
        unsigned n = __atomic_exchange_n(&freed, 0, __ATOMIC_RELAXED);
        FANTRACE("trim0", "-", n);
        malloc_trim(0);
        FANTRACE("trim1", "-", n);
        (void)n; /* only traced */
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int sse_trim_start(void)
{
    pthread_mutex_lock(&lock);
    is_stop = false;
    is_due = false;
    int rc = is_running ? 0 : pthread_create(&thread, NULL, trim_main, NULL);
    if (!rc)
        is_running = true;
    pthread_mutex_unlock(&lock);
    return rc ? -1 : 0;
}

void sse_trim_stop(void)
{
    pthread_mutex_lock(&lock);
    bool was = is_running;
    is_stop = true;
    is_running = false;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    if (was)
        pthread_join(thread, NULL);
}
