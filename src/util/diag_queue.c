/* diag_queue.c — where diag.c's finished lines go. While the server runs,
 * info and debug lines (one per request and per appended event) are queued
 * in memory and a writer thread sends them in batches, one write(2) per
 * batch instead of one per line (issue 16: the line's write was 12 % of a
 * meeting-state read). Warnings and errors go out at once, after whatever
 * is queued, so the order of lines is kept. Before diag_queue_start and
 * after diag_queue_stop every line is written at once. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/diag_impl.h"

#define QUEUE_BYTES (64 * 1024)
/* How long the writer lets lines gather after the first one of a batch:
 * a line goes out at most about 1 ms late, and a busy server makes at
 * most about a thousand writes a second. */
#define GATHER_NS 1000000L

/* out_lock orders the writes to stderr (a batch, or a line written at
 * once after the batch before it); taken before queue_lock. */
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
/* queue_lock guards queue, used, is_running, is_writer_idle, is_stopping. */
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_cond = PTHREAD_COND_INITIALIZER;
static char buf_a[QUEUE_BYTES], buf_b[QUEUE_BYTES];
static char *queue = buf_a; /* lines being queued (queue_lock) */
static char *batch = buf_b; /* lines being written (out_lock) */
static size_t used;
static bool is_running, is_writer_idle, is_stopping;
static pthread_t writer;

/* Writes all of s, retrying on EINTR and short writes; gives up on errors
 * (nowhere left to report them). */
static void write_all(const char *s, size_t len)
{
    while (len) {
        ssize_t w = write(STDERR_FILENO, s, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        len -= (size_t)w;
    }
}

/* Writes whole lines in pieces of at most PIPE_BUF bytes, so each write
 * to a pipe is atomic and no other writer of stderr (a fprintf of main's)
 * lands inside one of our lines. Caller holds out_lock. */
static void write_lines(const char *s, size_t len)
{
    while (len) {
        size_t n = len;
        if (n > PIPE_BUF) {
            n = PIPE_BUF;
            while (n && s[n - 1] != '\n')
                n--;
            if (!n) /* one line longer than PIPE_BUF: diag never makes one */
                n = PIPE_BUF;
        }
        write_all(s, n);
        s += n;
        len -= n;
    }
}

/* Makes the queued lines the batch (a swap: producers never wait for a
 * copy); caller holds out_lock and queue_lock. */
static size_t take_queued(void)
{
    size_t n = used;
    char *t = queue;
    queue = batch;
    batch = t;
    used = 0;
    return n;
}

static void *writer_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&queue_lock);
    for (;;) {
        while (!used && !is_stopping) {
            is_writer_idle = true;
            pthread_cond_wait(&queue_cond, &queue_lock);
        }
        is_writer_idle = false;
        if (!used && is_stopping)
            break;
        if (!is_stopping) {
            pthread_mutex_unlock(&queue_lock);
            struct timespec gather = {0, GATHER_NS};
            nanosleep(&gather, NULL);
            pthread_mutex_lock(&queue_lock);
        }
        pthread_mutex_unlock(&queue_lock);
        pthread_mutex_lock(&out_lock);
        pthread_mutex_lock(&queue_lock);
        size_t n = take_queued();
        pthread_mutex_unlock(&queue_lock);
        write_lines(batch, n);
        pthread_mutex_unlock(&out_lock);
        pthread_mutex_lock(&queue_lock);
    }
    pthread_mutex_unlock(&queue_lock);
    return NULL;
}

/* Writes what is queued, then line; caller holds out_lock and queue_lock. */
static void write_through(const char *line, size_t len)
{
    size_t n = take_queued();
    write_lines(batch, n);
    write_all(line, len);
}

void diag_out(bool is_urgent, const char *line, size_t len)
{
    pthread_mutex_lock(&queue_lock);
    if (is_running && !is_urgent && used + len <= QUEUE_BYTES) {
        memcpy(queue + used, line, len);
        used += len;
        if (is_writer_idle) {
            is_writer_idle = false;
            pthread_cond_signal(&queue_cond);
        }
        pthread_mutex_unlock(&queue_lock);
        return;
    }
    pthread_mutex_unlock(&queue_lock);
    /* At once: urgent, not running, or the queue is full (then this
     * thread writes the backlog itself, which also slows it down). */
    pthread_mutex_lock(&out_lock);
    pthread_mutex_lock(&queue_lock);
    write_through(line, len);
    pthread_mutex_unlock(&queue_lock);
    pthread_mutex_unlock(&out_lock);
}

/* An exit() while the queue runs still writes what is queued. */
static void stop_at_exit(void)
{
    diag_queue_stop();
}

static void register_exit(void)
{
    atexit(stop_at_exit);
}

int diag_queue_start(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, register_exit);
    pthread_mutex_lock(&queue_lock);
    if (is_running) {
        pthread_mutex_unlock(&queue_lock);
        return 0;
    }
    is_stopping = false;
    int rc = pthread_create(&writer, NULL, writer_main, NULL);
    is_running = rc == 0;
    pthread_mutex_unlock(&queue_lock);
    if (!rc)
        pthread_setname_np(writer, "diag-writer");
    return rc ? -1 : 0;
}

void diag_queue_stop(void)
{
    pthread_mutex_lock(&queue_lock);
    if (!is_running) {
        pthread_mutex_unlock(&queue_lock);
        return;
    }
    is_stopping = true;
    pthread_cond_signal(&queue_cond);
    pthread_mutex_unlock(&queue_lock);
    pthread_join(writer, NULL);
    pthread_mutex_lock(&queue_lock);
    is_running = false;
    pthread_mutex_unlock(&queue_lock);
    diag_out(true, "", 0); /* anything queued after the writer's last batch */
}
