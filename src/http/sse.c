/* sse.c — server-sent event streams of a meeting's log. A stream pulls: it
 * holds only the seq it needs next, reads the store until it has caught up
 * (or reaches what the hub's ring holds), then takes shared events from the
 * ring. Inside libmicrohttpd it
 * sends the headers and the catch-up; once caught up (everything returned
 * is on the wire) a plain-TCP stream is handed to the epoll writer
 * (sse_writer.c), and MHD, resumed once more, lets the connection go.
 * Over TLS the stream stays in MHD: suspended while idle, resumed by a
 * wake-up, timed out by MHD, and probed every 2 s for a hung-up client
 * (POLLRDHUP, one poll() per idle stream). Suspend/resume follows MHD's
 * rules: suspend only inside the reader with the topic lock held, resume
 * only from a wake-up under the same lock and only if suspended. */
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/req_impl.h"
#include "http/sse_impl.h"
#include "log/eventlog.h"
#include "log/hub.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/fantrace.h"

#define SSE_BLOCK 1024
#define SSE_PROBE_MS 2000
static const char PRELUDE[] = "retry: 3000\n\n";
static const char HEARTBEAT[] = ": hb\n\n";

static const struct sockaddr *client_addr(struct MHD_Connection *conn);

/* Whether the client hung up or the connection failed; never blocks. */
static bool is_peer_gone(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLRDHUP};
    return fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR));
}

/* A writer's stream silent this long gets a heartbeat; set before the
 * heartbeat thread starts, read by it (hub_wake_all). */
static unsigned hb_silence_ms;

static void on_wake(struct hub_sub *sub, enum hub_wake why)
{
    struct sse_stream *st = sub->ctx;
    if (st->is_in_writer) {
        if (st->is_writer_done)
            return;
        if (why == HUB_WAKE_PROBE || why == HUB_WAKE_HEARTBEAT) {
            /* No probe: the writer watches the socket itself (EPOLLRDHUP).
             * A heartbeat only keeps a silent connection alive, so at every
             * tick (2 s) a stream that sent nothing for hb_silence_ms gets
             * one — never silent past the interval, and a stream that just
             * carried events gets none (not 18 000 at once every 15 s, in
             * the middle of a meeting's events). */
            int64_t last = __atomic_load_n(&st->last_send_ms, __ATOMIC_RELAXED);
            if (clock_mono_ms() - last < (int64_t)hb_silence_ms)
                return;
            st->is_heartbeat_due = true;
            sse_writer_wake_heartbeat(st);
            return;
        }
        if (why == HUB_WAKE_SHUTDOWN)
            st->is_closing = true;
        sse_writer_wake(st);
        return;
    }
    if (why == HUB_WAKE_PROBE) {
        if (!st->is_suspended || !is_peer_gone(st->fd))
            return;
        __atomic_store_n(&st->is_peer_gone, true, __ATOMIC_RELAXED);
    }
    if (why == HUB_WAKE_HEARTBEAT)
        st->is_heartbeat_due = true;
    if (why == HUB_WAKE_SHUTDOWN)
        st->is_closing = true;
    if (st->is_suspended) {
        st->is_suspended = false;
        MHD_resume_connection(st->conn);
    }
}

void sse_drop_batch(struct sse_stream *st)
{
    for (int i = st->batch_i; i < st->batch_n; i++)
        event_unref(st->batch[i]);
    st->batch_n = st->batch_i = 0;
    st->frame_off = 0;
}

/* Fills st->batch from the store. Returns the number read, or -1 on error. */
int sse_read_store(struct sse_stream *st)
{
    FANTRACE("store0", st->meeting_id, st->next_seq);
    struct db *db = db_pool_get(st->pool);
    FANTRACE("store1", st->meeting_id, st->next_seq);
    int n = 0;
    if (!db || log_read(db, st->meeting_id, st->next_seq, st->batch, SSE_BATCH, &n))
        return -1;
    FANTRACE("store2", st->meeting_id, n);
    st->batch_n = n;
    st->batch_i = 0;
    return n;
}

/* Takes from the hub's ring when it holds st->next_seq: a stream resuming
 * (or fallen behind) within the ring needs no store read. The ring is
 * contiguous up to the last publish, and every later event is published to
 * it, so from here on the ring (or, past it, -1 and the store) is complete. */
static bool take_from_ring(struct sse_stream *st)
{
    hub_lock(&st->sub);
    int n = hub_fetch_locked(&st->sub, st->next_seq, st->batch, SSE_BATCH);
    hub_unlock(&st->sub);
    if (n <= 0)
        return false;
    st->batch_n = n;
    st->batch_i = 0;
    st->is_caught_up = true;
    return true;
}

int sse_refill(struct sse_stream *st)
{
    if (!st->is_caught_up) {
        if (take_from_ring(st))
            return 1;
        int n = sse_read_store(st);
        if (n < 0) {
            diag(DIAG_WARN, "sse: cannot read the log of %s; ending the stream", st->meeting_id);
            return -1;
        }
        if (n == 0)
            st->is_caught_up = true;
        return 1;
    }
    hub_lock(&st->sub);
    int n = hub_fetch_locked(&st->sub, st->next_seq, st->batch, SSE_BATCH);
    if (n > 0) {
        st->batch_n = n;
        st->batch_i = 0;
        hub_unlock(&st->sub);
        return 1;
    }
    if (n < 0) {
        st->is_caught_up = false; /* fell behind the ring: read the store */
        hub_unlock(&st->sub);
        return 1;
    }
    return 0;
}

/* Copies as much as fits of frames at or below the stream's visibility. */
static size_t copy_frames(struct sse_stream *st, char *buf, size_t max)
{
    size_t out = 0;
    while (st->batch_i < st->batch_n && out < max) {
        struct event *ev = st->batch[st->batch_i];
        if (ev->visibility <= st->visibility) {
            size_t n = event_frame_copy(ev, st->frame_off, buf + out, max - out);
            out += n;
            st->frame_off += n;
            if (st->frame_off < ev->frame_len)
                break;
        }
        st->next_seq = ev->seq + 1;
        event_unref(ev);
        st->batch_i++;
        st->frame_off = 0;
    }
    if (st->batch_i == st->batch_n)
        st->batch_n = st->batch_i = 0;
    return out;
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct sse_stream *st = cls;
    size_t out = 0;
    if (__atomic_load_n(&st->is_peer_gone, __ATOMIC_RELAXED))
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (st->is_in_writer) {
        /* Resumed right after the hand-over: MHD forgets the connection
         * (its descriptor now names a dummy, so its shutdown and close do
         * not touch the writer's socket) and frees its memory. */
        /* MHD may have corked the socket for a body it expected to send:
         * uncorked, with Nagle off, each frame the writer sends goes out at
         * once (a cork left on holds frames back for 200 ms). */
        int off = 0, on = 1;
        setsockopt(st->fd, IPPROTO_TCP, TCP_CORK, &off, sizeof off);
        setsockopt(st->fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        if (sse_writer_detach_fd(st->fd))
            diag(DIAG_WARN, "sse: cannot detach a stream's socket");
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    if (st->prelude_off < sizeof PRELUDE - 1) {
        size_t n = sizeof PRELUDE - 1 - st->prelude_off;
        if (n > max)
            n = max;
        memcpy(buf, PRELUDE + st->prelude_off, n);
        st->prelude_off += n;
        return (ssize_t)n;
    }
    if (st->is_heartbeat_pending) {
        size_t n = sizeof HEARTBEAT - 1 - st->heartbeat_off;
        if (n > max)
            n = max;
        memcpy(buf, HEARTBEAT + st->heartbeat_off, n);
        st->heartbeat_off += n;
        if (st->heartbeat_off == sizeof HEARTBEAT - 1)
            st->is_heartbeat_pending = false;
        return (ssize_t)n;
    }
    for (;;) {
        out += copy_frames(st, buf + out, max - out);
        if (out == max || st->batch_n)
            return (ssize_t)out;
        int r = sse_refill(st);
        if (r < 0)
            return out ? (ssize_t)out : MHD_CONTENT_READER_END_WITH_ERROR;
        if (r > 0)
            continue;
        if (out) {
            hub_unlock(&st->sub);
            return (ssize_t)out;
        }
        if (st->is_closing) {
            hub_unlock(&st->sub);
            return MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (st->is_heartbeat_due) {
            st->is_heartbeat_due = false;
            hub_unlock(&st->sub);
            st->is_heartbeat_pending = true;
            st->heartbeat_off = 0;
            return reader(cls, pos, buf, max);
        }
        st->is_suspended = true;
        MHD_suspend_connection(st->conn);
        /* Caught up and everything returned so far is on the wire (MHD asks
         * for more only then): from here on the writer owns the socket, and
         * MHD, resumed once more, lets its connection go. */
        if (st->is_direct_ok && sse_writer_reserve(st, client_addr(st->conn))) {
            st->wfd = fcntl(st->fd, F_DUPFD_CLOEXEC, 0);
            if (st->wfd >= 0) {
                st->refs = 2;
                sse_writer_adopt(st);
                st->is_suspended = false;
                MHD_resume_connection(st->conn);
            } else {
                sse_writer_unreserve(st);
            }
        }
        hub_unlock(&st->sub);
        return 0;
    }
}

static void stream_destroy(struct sse_stream *st)
{
    hub_unsubscribe(st->hub, &st->sub);
    sse_drop_batch(st);
    if (st->wfd >= 0)
        close(st->wfd);
    free(st->meeting_id);
    free(st);
}

void sse_stream_release(struct sse_stream *st)
{
    if (__atomic_sub_fetch(&st->refs, 1, __ATOMIC_ACQ_REL) == 0)
        stream_destroy(st);
}

static void stream_free(void *cls)
{
    struct sse_stream *st = cls;
    if (st->is_in_writer) {
        sse_trim_note_free(); /* MHD frees the connection's pool now */
        sse_stream_release(st); /* MHD's part; the writer may still send */
    }
    else
        stream_destroy(st);
}

static const struct sockaddr *client_addr(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return ci ? ci->client_addr : NULL;
}

void reply_sse(struct req *rq, const char *meeting_id, int64_t after_seq, int visibility)
{
    if (rq->has_reply) {
        OBR_BUG("second reply to %s", rq->path);
        return;
    }
    struct sse_stream *st = calloc(1, sizeof *st);
    if (!st || !(st->meeting_id = strdup(meeting_id))) {
        free(st);
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    st->hub = rq->srv->hub;
    st->pool = rq->srv->pool;
    st->conn = rq->conn;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    st->fd = ci ? ci->connect_fd : -1;
    st->wfd = -1;
    st->next_seq = after_seq + 1;
    st->visibility = visibility;
    st->sub.wake = on_wake;
    st->sub.ctx = st;
    /* Subscribe before the first read of the store: nothing can slip between. */
    if (hub_subscribe(st->hub, meeting_id, &st->sub)) {
        free(st->meeting_id);
        free(st);
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    rq->has_reply = true;
    rq->status = 200;
    rq->content_type = "text/event-stream; charset=utf-8";
    rq->sse = st;
    reply_header(rq, "Cache-Control", "no-cache, no-store");
    reply_header(rq, "X-Accel-Buffering", "no");
}

struct MHD_Response *sse_response(struct req *rq)
{
    struct sse_stream *st = rq->sse;
    rq->sse = NULL;
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, SSE_BLOCK, reader, st, stream_free);
    if (!r) {
        stream_free(st);
        return NULL;
    }
    /* libmicrohttpd 0.9.75 frames a body of unknown size as chunks for an
     * HTTP/1.1 request and sends it as it is, closing at the end, for 1.0;
     * the writer frames what it sends the same way. Over TLS MHD keeps it. */
    st->is_chunked = !rq->is_http10;
    st->is_direct_ok = !rq->srv->is_tls && st->fd >= 0;
    MHD_set_connection_option(rq->conn, MHD_CONNECTION_OPTION_TIMEOUT, SSE_TIMEOUT_S);
    return r;
}

/* ---- heartbeats ---- */

static pthread_t hb_thread;
static pthread_mutex_t hb_lock = PTHREAD_MUTEX_INITIALIZER; /* guards hb_* below */
static pthread_cond_t hb_cond = PTHREAD_COND_INITIALIZER;
static bool hb_running, hb_stop;
static struct hub *hb_hub;
static unsigned hb_interval_ms;

/* Probes every SSE_PROBE_MS (or the heartbeat interval when shorter) and
 * sends a heartbeat whenever its interval has passed. */
static void *heartbeat_main(void *arg)
{
    pthread_mutex_lock(&hb_lock);
    unsigned tick_ms = hb_interval_ms < SSE_PROBE_MS ? hb_interval_ms : SSE_PROBE_MS;
    int64_t next_hb = clock_mono_ms() + hb_interval_ms;
    while (!hb_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += tick_ms / 1000;
        ts.tv_nsec += (long)(tick_ms % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        if (pthread_cond_timedwait(&hb_cond, &hb_lock, &ts) != 0 && !hb_stop) {
            pthread_mutex_unlock(&hb_lock);
            bool is_hb = clock_mono_ms() >= next_hb;
            if (is_hb)
                next_hb = clock_mono_ms() + hb_interval_ms;
            hub_wake_all(hb_hub, is_hb ? HUB_WAKE_HEARTBEAT : HUB_WAKE_PROBE);
            pthread_mutex_lock(&hb_lock);
        }
    }
    pthread_mutex_unlock(&hb_lock);
    return NULL;
}

int sse_heartbeat_start(struct hub *hub, unsigned interval_ms)
{
    pthread_mutex_lock(&hb_lock);
    if (hb_running) {
        pthread_mutex_unlock(&hb_lock);
        return 0;
    }
    const char *env = getenv("OBRADY_SSE_HEARTBEAT_MS"); /* tests: a shorter interval */
    if (env && strtoul(env, NULL, 10) > 0)
        interval_ms = (unsigned)strtoul(env, NULL, 10);
    hb_hub = hub;
    hb_interval_ms = interval_ms;
    unsigned tick_ms = interval_ms < SSE_PROBE_MS ? interval_ms : SSE_PROBE_MS;
    hb_silence_ms = interval_ms - tick_ms;
    hb_stop = false;
    int rc = pthread_create(&hb_thread, NULL, heartbeat_main, NULL);
    hb_running = rc == 0;
    pthread_mutex_unlock(&hb_lock);
    return rc ? -1 : 0;
}

void sse_heartbeat_stop(void)
{
    pthread_mutex_lock(&hb_lock);
    if (!hb_running) {
        pthread_mutex_unlock(&hb_lock);
        return;
    }
    hb_stop = true;
    pthread_cond_signal(&hb_cond);
    pthread_mutex_unlock(&hb_lock);
    pthread_join(hb_thread, NULL);
    pthread_mutex_lock(&hb_lock);
    hb_running = false;
    pthread_mutex_unlock(&hb_lock);
}
