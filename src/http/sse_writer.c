/* sse_writer.c — epoll writer threads that own caught-up event streams.
 * libmicrohttpd sends the headers and the catch-up, then suspends the
 * connection for good and hands the socket here; a publish queues the
 * meeting's streams (O(subscribers of that meeting)) and a writer sends the
 * hub's shared frames with one sendmsg per stream, never copying them. A
 * stream whose socket is full waits for EPOLLOUT holding only its unsent
 * events; one blocked for SSE_TIMEOUT_S, or whose peer hung up (EPOLLRDHUP),
 * is given back to MHD, which ends it. A publish to a small meeting sends
 * straight to its idle streams from the publishing thread (sse_direct.c), so
 * the event does not wait for a writer to get a core. Lock order: topic
 * lock, then w->lock. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "http/sse_impl.h"
#include "log/event.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/fantrace.h"

#define WRITERS_MAX 4
#define EVENTS_MAX 256

static const char HEARTBEAT[] = ": hb\n\n";

struct sse_writer {
    pthread_t thread;
    int epfd, evfd;
    pthread_mutex_t lock;             /* guards head/tail, owned, stop */
    struct sse_stream *head, *tail;   /* streams with events (or an end) due */
    struct sse_stream *lhead, *ltail; /* streams due only a heartbeat: sent in small
                                       * batches between events, never before them */
    struct sse_stream *owned;
    bool stop;
};

static struct sse_writer writers[WRITERS_MAX];
static unsigned n_writers;
static unsigned next_writer; /* atomic round-robin */
static bool is_running;      /* read under topic locks, written before/after all streams */

/* ---- limits: streams per client address and in all ---- */

#define IP_SLOTS 4096
static unsigned ip_count[IP_SLOTS]; /* atomic; addresses hashed, a collision only shares a cap */
static unsigned n_streams;          /* atomic: streams the writers own */
static unsigned n_mhd_conns;        /* atomic: MHD's connections */
static unsigned limit_per_ip, limit_total;
static int dummy_fd = -1;

static unsigned ip_slot_of(const struct sockaddr *sa)
{
    const unsigned char *p = NULL;
    size_t n = 0;
    if (sa && sa->sa_family == AF_INET) {
        p = (const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr;
        n = 4;
    } else if (sa && sa->sa_family == AF_INET6) {
        p = (const unsigned char *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
        n = 16;
    }
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h % IP_SLOTS;
}

bool sse_writer_reserve(struct sse_stream *st, const struct sockaddr *addr)
{
    if (!__atomic_load_n(&is_running, __ATOMIC_ACQUIRE))
        return false;
    unsigned slot = ip_slot_of(addr);
    if (__atomic_add_fetch(&ip_count[slot], 1, __ATOMIC_RELAXED) > limit_per_ip) {
        __atomic_sub_fetch(&ip_count[slot], 1, __ATOMIC_RELAXED);
        return false; /* stays with MHD, whose own per-address cap applies */
    }
    st->ip_slot = slot;
    __atomic_add_fetch(&n_streams, 1, __ATOMIC_RELAXED);
    return true;
}

void sse_writer_unreserve(struct sse_stream *st)
{
    __atomic_sub_fetch(&ip_count[st->ip_slot], 1, __ATOMIC_RELAXED);
    __atomic_sub_fetch(&n_streams, 1, __ATOMIC_RELAXED);
}

static void unreserve(struct sse_stream *st)
{
    sse_writer_unreserve(st);
}

void sse_writer_note_connection(int fd, const struct sockaddr *addr, bool is_started)
{
    if (!is_started) {
        __atomic_sub_fetch(&n_mhd_conns, 1, __ATOMIC_RELAXED);
        return;
    }
    unsigned conns = __atomic_add_fetch(&n_mhd_conns, 1, __ATOMIC_RELAXED);
    unsigned streams = __atomic_load_n(&n_streams, __ATOMIC_RELAXED);
    /* MHD counts only its own connections against its limits; the streams
     * the writers hold count too, so that a full server still refuses new
     * connections at once instead of running out of descriptors. */
    bool is_over = limit_total && conns + streams > limit_total;
    if (!is_over && limit_per_ip && addr) {
        unsigned here = __atomic_load_n(&ip_count[ip_slot_of(addr)], __ATOMIC_RELAXED);
        is_over = here >= limit_per_ip;
    }
    if (is_over && fd >= 0)
        shutdown(fd, SHUT_RDWR); /* MHD reads the end and closes it */
}

unsigned sse_writer_stream_count(void)
{
    return __atomic_load_n(&n_streams, __ATOMIC_RELAXED);
}

int sse_writer_detach_fd(int fd)
{
    return dup3(dummy_fd, fd, O_CLOEXEC) < 0 ? -1 : 0;
}

static void kick_now(struct sse_writer *w)
{
    uint64_t one = 1;
    FANTRACE("kick", "-", (int64_t)(w - writers));
    ssize_t r = write(w->evfd, &one, sizeof one);
    (void)r; /* a full counter still wakes the thread */
}

static __thread unsigned deferred_kicks; /* writers to kick after the wake loop */

/* Inside a hub wake loop the kick waits for its end (hub_in_wake_loop):
 * the writer then finds all the loop's streams queued and the topic lock
 * free, instead of waking for the first and blocking on the lock. */
static void kick(struct sse_writer *w)
{
    if (hub_in_wake_loop())
        deferred_kicks |= 1u << (unsigned)(w - writers);
    else
        kick_now(w);
}

static void kick_deferred(void)
{
    unsigned k = deferred_kicks;
    deferred_kicks = 0;
    for (unsigned i = 0; k; i++, k >>= 1)
        if (k & 1u)
            kick_now(&writers[i]);
}

/* With w->lock held. */
static void push(struct sse_writer *w, struct sse_stream *st)
{
    st->wnext = NULL;
    st->is_in_list = true;
    if (w->tail)
        w->tail->wnext = st;
    else
        w->head = st;
    w->tail = st;
}

void sse_writer_wake_heartbeat(struct sse_stream *st)
{
    struct sse_writer *w = st->writer;
    pthread_mutex_lock(&w->lock);
    bool was_empty = !w->head && !w->lhead;
    if (!st->is_in_low) {
        st->lnext = NULL;
        st->is_in_low = true;
        if (w->ltail)
            w->ltail->lnext = st;
        else
            w->lhead = st;
        w->ltail = st;
    }
    pthread_mutex_unlock(&w->lock);
    if (was_empty)
        kick(w);
}

void sse_writer_wake(struct sse_stream *st)
{
    if (st->is_queued || sse_send_direct(st))
        return;
    st->is_queued = true;
    struct sse_writer *w = st->writer;
    pthread_mutex_lock(&w->lock);
    bool was_empty = !w->head && !w->lhead;
    if (!st->is_in_list) /* is_queued is cleared by any pump, even one on EPOLLOUT */
        push(w, st);
    pthread_mutex_unlock(&w->lock);
    if (was_empty)
        kick(w);
}

void sse_writer_adopt(struct sse_stream *st)
{
    unsigned i = __atomic_fetch_add(&next_writer, 1, __ATOMIC_RELAXED) % n_writers;
    struct sse_writer *w = &writers[i];
    st->writer = w;
    st->is_in_writer = true;
    st->is_queued = false;
    st->blocked_since_ms = 0;
    __atomic_store_n(&st->last_send_ms, clock_mono_ms(), __ATOMIC_RELAXED); /* the catch-up */
    pthread_mutex_lock(&w->lock);
    st->oprev = NULL;
    st->onext = w->owned;
    if (w->owned)
        w->owned->oprev = st;
    w->owned = st;
    pthread_mutex_unlock(&w->lock);
    /* Only the hang-up is watched; EPOLLOUT is asked for while blocked
     * (every ACK would otherwise wake the writer for each stream). */
    struct epoll_event ev = {.events = EPOLLRDHUP, .data.ptr = st};
    if (epoll_ctl(w->epfd, EPOLL_CTL_ADD, st->wfd, &ev)) {
        diag(DIAG_WARN, "sse: epoll_ctl: %s", strerror(errno));
        st->is_closing = true; /* the writer ends it at once */
    }
    sse_writer_wake(st); /* anything published since the reader looked */
}


static const char CHUNK_END[] = "0\r\n\r\n";

/* Ends st: the chunked body's last chunk when it ends cleanly, then the
 * socket is closed and the writer's reference dropped (when st is still in
 * the run queue, the queue drops it). Writer thread only. */
static void finish(struct sse_writer *w, struct sse_stream *st, bool is_clean)
{
    epoll_ctl(w->epfd, EPOLL_CTL_DEL, st->wfd, NULL);
    hub_lock(&st->sub);
    if (st->is_writer_done) {
        hub_unlock(&st->sub);
        return;
    }
    st->is_writer_done = true;
    pthread_mutex_lock(&w->lock);
    bool is_listed = st->is_in_list || st->is_in_low;
    if (st->oprev)
        st->oprev->onext = st->onext;
    else
        w->owned = st->onext;
    if (st->onext)
        st->onext->oprev = st->oprev;
    pthread_mutex_unlock(&w->lock);
    hub_unlock(&st->sub);
    if (is_clean && st->is_chunked && !st->is_in_chunk) {
        ssize_t r = send(st->wfd, CHUNK_END, sizeof CHUNK_END - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
        (void)r; /* best effort: the close ends the body either way */
    }
    close(st->wfd);
    st->wfd = -1;
    unreserve(st);
    if (!is_listed)
        sse_stream_release(st);
}

/* The bytes st has queued but not sent: heartbeat, then visible frames. */
static int gather(struct sse_stream *st, struct iovec *iov, size_t *total)
{
    int n = 0;
    *total = 0;
    if (st->is_heartbeat_pending) {
        iov[n].iov_base = (char *)HEARTBEAT + st->heartbeat_off;
        iov[n].iov_len = sizeof HEARTBEAT - 1 - st->heartbeat_off;
        *total += iov[n++].iov_len;
    }
    for (int i = st->batch_i; i < st->batch_n; i++) {
        struct event *ev = st->batch[i];
        if (ev->visibility > st->visibility)
            continue;
        size_t off = i == st->batch_i ? st->frame_off : 0;
        n += event_frame_iov(ev, off, iov + n);
        *total += ev->frame_len - off;
    }
    return n;
}

/* Marks left bytes of the queued data as sent. */
static void consume(struct sse_stream *st, size_t left)
{
    if (st->is_heartbeat_pending) {
        size_t hb = sizeof HEARTBEAT - 1 - st->heartbeat_off;
        if (left < hb) {
            st->heartbeat_off += left;
            return;
        }
        left -= hb;
        st->is_heartbeat_pending = false;
    }
    while (st->batch_i < st->batch_n) {
        struct event *ev = st->batch[st->batch_i];
        if (ev->visibility <= st->visibility) {
            size_t rest = ev->frame_len - st->frame_off;
            if (left < rest) {
                st->frame_off += left;
                return;
            }
            left -= rest;
        }
        st->next_seq = ev->seq + 1;
        event_unref(ev);
        st->batch_i++;
        st->frame_off = 0;
    }
    st->batch_n = st->batch_i = 0;
}

/* Sends what is queued, as one HTTP/1.1 chunk when the body is chunked (a
 * chunk once announced is finished before anything new is queued, since
 * the writer queues more only when this returns 1). 1: all sent; 0: the
 * socket is full; -1: error. */
int sse_send_pending(struct sse_stream *st)
{
    struct iovec iov[EVENT_FRAME_PARTS * SSE_BATCH + 3];
    size_t total;
    int n = gather(st, iov + 1, &total);
    if (!n && !st->is_in_chunk) {
        /* Only events this stream may not see were left: step past them
         * (dropping them without moving next_seq refetched them forever,
         * and the writer thread spun with every stream it owns). */
        consume(st, 0);
        return 1;
    }
    struct iovec *v = iov + 1;
    size_t hdr = 0, trailer = 0;
    if (st->is_chunked) {
        if (!st->is_in_chunk) {
            st->chunk_hdr_len =
                (unsigned char)snprintf(st->chunk_hdr, sizeof st->chunk_hdr, "%zx\r\n", total);
            st->chunk_hdr_off = 0;
            st->chunk_trailer_off = 0;
            st->is_in_chunk = true;
        }
        hdr = (size_t)(st->chunk_hdr_len - st->chunk_hdr_off);
        if (hdr) {
            v = iov;
            v[0].iov_base = st->chunk_hdr + st->chunk_hdr_off;
            v[0].iov_len = hdr;
            n++;
        }
        trailer = 2 - (size_t)st->chunk_trailer_off;
        v[n].iov_base = (char *)"\r\n" + st->chunk_trailer_off;
        v[n++].iov_len = trailer;
    }
    struct msghdr mh = {.msg_iov = v, .msg_iovlen = (size_t)n};
    ssize_t sent = sendmsg(st->wfd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
    FANTRACE("send", st->meeting_id, (int64_t)(st->writer - writers));
    FANTRACE_THREAD(st->meeting_id, (int64_t)(st->writer - writers));
    if (sent < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
    if (sent > 0)
        __atomic_store_n(&st->last_send_ms, clock_mono_ms(), __ATOMIC_RELAXED);
    size_t left = (size_t)sent;
    size_t h = left < hdr ? left : hdr;
    st->chunk_hdr_off = (unsigned char)(st->chunk_hdr_off + h);
    left -= h;
    size_t d = left < total ? left : total;
    consume(st, d);
    left -= d;
    if (st->is_chunked) {
        st->chunk_trailer_off = (unsigned char)(st->chunk_trailer_off + left);
        if (st->chunk_trailer_off < 2)
            return 0;
        st->is_in_chunk = false;
    } else if (d < total) {
        return 0;
    }
    return 1;
}

/* A writer's claim on st's send state. Without the topic lock when no
 * publishing thread holds it; one that does holds the topic lock until it
 * lets go, so taking the lock waits for it. */
static void claim(struct sse_stream *st)
{
    bool no = false;
    if (__atomic_compare_exchange_n(&st->is_sending, &no, true, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
        return;
    hub_lock(&st->sub);
    __atomic_store_n(&st->is_sending, true, __ATOMIC_RELAXED);
    hub_unlock(&st->sub);
}

/* Lets the claim go; with the topic lock held, together with is_queued. */
static void unclaim(struct sse_stream *st)
{
    __atomic_store_n(&st->is_sending, false, __ATOMIC_RELEASE);
}

/* Whether the writer wants to hear when st's socket can take more. */
static void watch(struct sse_writer *w, struct sse_stream *st, bool is_out)
{
    struct epoll_event ev = {.events = EPOLLRDHUP | (is_out ? EPOLLOUT : 0u), .data.ptr = st};
    epoll_ctl(w->epfd, EPOLL_CTL_MOD, st->wfd, &ev);
}

/* Sends everything the stream is due; from the run queue or on EPOLLOUT.
 * true when the stream ended (st may be gone). */
static bool pump(struct sse_writer *w, struct sse_stream *st, bool is_writable)
{
    /* From here until the claim is let go (under the topic lock, with
     * is_queued), no publishing thread touches st's send state. */
    claim(st);
    if (st->blocked_since_ms && !is_writable) {
        /* Waiting for EPOLLOUT; a stuck reader is ended after the timeout. */
        bool is_stuck = clock_mono_ms() - st->blocked_since_ms > SSE_TIMEOUT_S * 1000;
        hub_lock(&st->sub);
        bool is_closing = st->is_closing;
        st->is_queued = false;
        unclaim(st);
        hub_unlock(&st->sub);
        if (is_stuck || is_closing)
            finish(w, st, false);
        return is_stuck || is_closing;
    }
    if (st->blocked_since_ms) {
        st->blocked_since_ms = 0;
        watch(w, st, false);
    }
    for (;;) {
        int rc = sse_send_pending(st);
        if (rc < 0) {
            finish(w, st, false);
            return true;
        }
        if (rc == 0) {
            st->blocked_since_ms = clock_mono_ms();
            watch(w, st, true);
            hub_lock(&st->sub);
            st->is_queued = false;
            unclaim(st);
            hub_unlock(&st->sub);
            return false;
        }
        int r = sse_refill(st);
        if (r < 0) {
            finish(w, st, false);
            return true;
        }
        if (r > 0)
            continue;
        if (st->is_closing) {
            hub_unlock(&st->sub);
            finish(w, st, true);
            return true;
        }
        if (st->is_heartbeat_due) {
            st->is_heartbeat_due = false;
            hub_unlock(&st->sub);
            st->is_heartbeat_pending = true;
            st->heartbeat_off = 0;
            continue;
        }
        st->is_queued = false; /* the next publish queues it again (or sends itself) */
        unclaim(st);
        hub_unlock(&st->sub);
        return false;
    }
}

#define HEARTBEATS_PER_TURN 64

/* Pumps a stream just taken off a queue; one ended while queued is released
 * once it is on neither queue (both only ever popped by this thread). */
static void take(struct sse_writer *w, struct sse_stream *st, bool is_still_listed)
{
    /* is_writer_done is written only by this thread (finish): no topic lock
     * needed to read it here, one lock round-trip less per stream. */
    bool is_done = st->is_writer_done;
    if (!is_done)
        pump(w, st, false);
    else if (!is_still_listed)
        sse_stream_release(st);
}

/* Runs the queues: every stream with events due, then a few heartbeats,
 * and again, until both are empty. */
static void run_queue(struct sse_writer *w)
{
    for (;;) {
        pthread_mutex_lock(&w->lock);
        struct sse_stream *list = w->head;
        w->head = w->tail = NULL;
        bool is_idle = !list && !w->lhead;
        pthread_mutex_unlock(&w->lock);
        if (is_idle)
            return;
        while (list) {
            struct sse_stream *st = list;
            pthread_mutex_lock(&w->lock);
            list = st->wnext;
            st->is_in_list = false;
            bool is_low = st->is_in_low;
            pthread_mutex_unlock(&w->lock);
            take(w, st, is_low);
        }
        for (int i = 0; i < HEARTBEATS_PER_TURN; i++) {
            pthread_mutex_lock(&w->lock);
            struct sse_stream *st = w->lhead;
            if (st) {
                w->lhead = st->lnext;
                if (!w->lhead)
                    w->ltail = NULL;
                st->is_in_low = false;
            }
            bool is_high = st && st->is_in_list;
            pthread_mutex_unlock(&w->lock);
            if (!st)
                break;
            take(w, st, is_high);
        }
    }
}

/* ---- the writers' time slice ----
 * Traced at 18 000/900 (bench/README.md, issue 16, hotfan), the tail of the
 * fan-out was a writer waiting for a core: kicked but run only later, or
 * preempted right after a sendmsg by the subscriber process that sendmsg
 * woke. Linux >= 6.12 (EEVDF) lets a thread ask for a shorter slice
 * (sched_attr.sched_runtime of a SCHED_OTHER thread; no privilege, the
 * thread's share of the CPU is unchanged): its deadline comes sooner, so a
 * woken writer gets a core first and is not preempted by the readers it
 * wakes. Older kernels refuse or ignore it, which changes nothing. */
#define WRITER_SLICE_NS 100000ull

struct slice_attr { /* struct sched_attr, first version (48 bytes) */
    uint32_t size, sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime, sched_deadline, sched_period;
};

static void ask_short_slice(void)
{
    unsigned long long ns = WRITER_SLICE_NS;
    const char *env = getenv("OBRADY_SSE_SLICE_US"); /* measuring: 0 leaves the default */
    if (env)
        ns = strtoull(env, NULL, 10) * 1000ull;
    if (!ns)
        return;
    struct slice_attr a = {.size = sizeof a, .sched_policy = SCHED_OTHER};
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0); /* keep the thread's nice value */
    a.sched_nice = errno ? 0 : nice;
    a.sched_runtime = ns;
    if (syscall(SYS_sched_setattr, 0, &a, 0))
        diag(DIAG_DEBUG, "sse: no short slice for the writer: %s", strerror(errno));
}

static void *writer_main(void *arg)
{
    struct sse_writer *w = arg;
    ask_short_slice();
    struct epoll_event evs[EVENTS_MAX];
    for (;;) {
        int n = epoll_wait(w->epfd, evs, EVENTS_MAX, -1);
        FANTRACE("wwake", "-", (int64_t)(w - writers));
        if (n < 0 && errno != EINTR) {
            diag(DIAG_ERROR, "sse: epoll_wait: %s", strerror(errno));
            break;
        }
        bool is_kicked = false;
        for (int i = 0; i < n; i++) {
            if (!evs[i].data.ptr) {
                uint64_t v;
                ssize_t r = read(w->evfd, &v, sizeof v);
                (void)r;
                is_kicked = true;
                continue;
            }
            struct sse_stream *st = evs[i].data.ptr;
            if (evs[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
                finish(w, st, false);
            else if (evs[i].events & EPOLLOUT)
                pump(w, st, true);
        }
        (void)is_kicked;
        run_queue(w);
        pthread_mutex_lock(&w->lock);
        bool stop = w->stop;
        pthread_mutex_unlock(&w->lock);
        if (stop)
            break;
    }
    /* Stopping: what is queued (the shutdown wake-ups) is sent first; every
     * stream still here then gets what fits without waiting, and its end. */
    run_queue(w);
    for (;;) {
        pthread_mutex_lock(&w->lock);
        struct sse_stream *st = w->owned;
        pthread_mutex_unlock(&w->lock);
        if (!st)
            break;
        hub_lock(&st->sub);
        st->is_closing = true;
        hub_unlock(&st->sub);
        if (!pump(w, st, true))
            finish(w, st, true);
        run_queue(w);
    }
    return NULL;
}

int sse_writer_start(unsigned n, unsigned per_ip, unsigned max_conn)
{
    if (n_writers)
        return 0; /* one set of writers per process */
    if (!n) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        n = cores > 0 ? (unsigned)cores : 1;
    }
    if (n > WRITERS_MAX)
        n = WRITERS_MAX;
    limit_per_ip = per_ip;
    limit_total = max_conn;
    sse_direct_configure();
    if (dummy_fd < 0)
        dummy_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (dummy_fd < 0) {
        diag(DIAG_ERROR, "sse: cannot make the dummy socket: %s", strerror(errno));
        return -1;
    }
    for (unsigned i = 0; i < n; i++) {
        struct sse_writer *w = &writers[i];
        memset(w, 0, sizeof *w);
        pthread_mutex_init(&w->lock, NULL);
        w->epfd = epoll_create1(EPOLL_CLOEXEC);
        w->evfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
        if (w->epfd < 0 || w->evfd < 0 || epoll_ctl(w->epfd, EPOLL_CTL_ADD, w->evfd, &ev) ||
            pthread_create(&w->thread, NULL, writer_main, w)) {
            diag(DIAG_ERROR, "sse: cannot start writer %u: %s", i, strerror(errno));
            if (w->epfd >= 0)
                close(w->epfd);
            if (w->evfd >= 0)
                close(w->evfd);
            pthread_mutex_destroy(&w->lock);
            n_writers = i;
            sse_writer_stop();
            return -1;
        }
        n_writers = i + 1;
    }
    if (sse_trim_start())
        diag(DIAG_WARN, "sse: no thread to give freed memory back; it stays with malloc");
    hub_set_after_wake(kick_deferred);
    __atomic_store_n(&is_running, true, __ATOMIC_RELEASE);
    return 0;
}

void sse_writer_stop(void)
{
    __atomic_store_n(&is_running, false, __ATOMIC_RELEASE);
    for (unsigned i = 0; i < n_writers; i++) {
        struct sse_writer *w = &writers[i];
        pthread_mutex_lock(&w->lock);
        w->stop = true;
        pthread_mutex_unlock(&w->lock);
        kick_now(w);
    }
    for (unsigned i = 0; i < n_writers; i++) {
        struct sse_writer *w = &writers[i];
        pthread_join(w->thread, NULL);
        close(w->epfd);
        close(w->evfd);
        pthread_mutex_destroy(&w->lock);
    }
    n_writers = 0;
    sse_trim_stop();
}
