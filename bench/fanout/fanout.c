/* fanout.c — SSE fan-out load generator (bench/fanout/run drives it).
 *
 * Opens SUBS server-sent-event subscribers spread over PROCS worker processes
 * (each under the per-process open-file limit), subscriber i on channel
 * i % K from source address 127.0.0.(2 + i % 64) — several sources so neither
 * the ephemeral ports nor a per-address limit caps the count. When all are
 * connected the coordinator (this process) publishes ROUNDS events to every
 * channel over a few keep-alive connections, recording when it sent each,
 * and every subscriber records when each event arrived (CLOCK_MONOTONIC is
 * one clock for all processes). Prints one line of JSON:
 *   {subs, connected, failed, rounds, expected, received, lost,
 *    p50_ms, p90_ms, p99_ms, max_ms, publish_s, ack_p50_ms, ack_p99_ms}
 * (ack_*: from the publish request's answer to the event's arrival, 0 when
 * the event came first: the fan-out alone, without the publish's own work).
 *
 * Channels file: one line per channel, "ID SINCE" (obrady: the meeting and
 * the seq to stream after; nchan: the channel and 0).
 * Target obrady: subscribe GET /api/meetings/ID/events?since=SINCE, count
 * frames with "event: item.current", publish POST /api/meetings/ID/current-item
 * {"item_id": ...} alternating between the two items given on the line
 * ("ID SINCE ITEM_A ITEM_B") with the operator's cookie.
 * Target nchan: subscribe GET /sub/ID, count data frames, publish POST /pub/ID.
 *
 * Usage: fanout obrady|nchan PORT CHANNELS_FILE SUBS PROCS ROUNDS [COOKIE] */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define MAX_CHANNELS 2000
#define MAX_ROUNDS 16
#define N_SOURCES 64
#define MAX_CONNECTING 256 /* handshakes in flight per worker */
#define LINE_MAX_BYTES 256

static bool is_obrady;
static int port;
static int n_channels;
static char chan_id[MAX_CHANNELS][64];
static long long chan_since[MAX_CHANNELS];
static char chan_item[MAX_CHANNELS][2][64];

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

/* ---- one subscriber ---- */

enum sub_state { S_IDLE, S_CONNECTING, S_HEADERS, S_BODY, S_DONE, S_FAILED };

struct sub {
    int fd;
    int channel;
    enum sub_state state;
    bool is_chunked;
    long chunk_left; /* bytes of the current chunk still to come; -1: reading a size line */
    char hdr[1024];
    int hdr_len;
    char size_line[32]; /* a chunk-size line being read */
    int size_len;
    char line[LINE_MAX_BYTES];
    int line_len;
    bool frame_has_data, frame_is_wanted, frame_has_event;
    int received;
    int64_t at[MAX_ROUNDS];
};

static int rounds;

static void on_sse_line(struct sub *s, const char *line, int len)
{
    if (len == 0) { /* frame end */
        bool counts = is_obrady ? s->frame_is_wanted : (s->frame_has_data && !s->frame_has_event);
        if (counts && s->received < MAX_ROUNDS)
            s->at[s->received++] = now_ns();
        s->frame_has_data = s->frame_is_wanted = s->frame_has_event = false;
        return;
    }
    if (len >= 5 && !memcmp(line, "data:", 5))
        s->frame_has_data = true;
    else if (len >= 6 && !memcmp(line, "event:", 6)) {
        s->frame_has_event = true;
        const char *v = line + 6;
        while (*v == ' ')
            v++;
        s->frame_is_wanted = !strncmp(v, "item.current", 12);
    }
}

/* Feeds decoded body bytes to the SSE line splitter. */
static void feed_sse(struct sub *s, const char *p, long n)
{
    for (long i = 0; i < n; i++) {
        char c = p[i];
        if (c == '\n') {
            int len = s->line_len;
            if (len > 0 && s->line[len - 1] == '\r')
                len--;
            s->line[len < LINE_MAX_BYTES ? len : LINE_MAX_BYTES - 1] = '\0';
            on_sse_line(s, s->line, len);
            s->line_len = 0;
        } else if (s->line_len < LINE_MAX_BYTES - 1) {
            s->line[s->line_len++] = c;
        } else {
            s->line_len++; /* long data line: only its start matters */
        }
    }
}

/* Decodes chunked transfer coding (or passes through) into feed_sse. */
static void feed_body(struct sub *s, const char *p, long n)
{
    if (!s->is_chunked) {
        feed_sse(s, p, n);
        return;
    }
    while (n > 0) {
        if (s->chunk_left > 0) {
            long k = n < s->chunk_left ? n : s->chunk_left;
            feed_sse(s, p, k);
            p += k;
            n -= k;
            s->chunk_left -= k;
            if (s->chunk_left == 0)
                s->chunk_left = -2; /* expect CRLF after the data */
            continue;
        }
        char c = *p++;
        n--;
        if (s->chunk_left == -2) { /* skipping the CRLF that ends a chunk */
            if (c == '\n')
                s->chunk_left = -1;
            continue;
        }
        /* reading a size line: hex digits, then CRLF */
        if (c == '\n') {
            s->size_line[s->size_len] = '\0';
            s->chunk_left = strtol(s->size_line, NULL, 16);
            s->size_len = 0;
            if (s->chunk_left == 0)
                s->chunk_left = -2;
        } else if (c != '\r' && s->size_len < 30) {
            s->size_line[s->size_len++] = c;
        }
    }
}

/* ---- a worker: its subscribers on one epoll ---- */

static int connect_sub(int ep, struct sub *s, int idx)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int rcv = 8192; /* small buffers: this is about the server's memory */
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    struct sockaddr_in src = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)(idx % N_SOURCES));
    if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0) {
        close(fd);
        return -1;
    }
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    dst.sin_addr.s_addr = htonl(0x7f000001u);
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    s->fd = fd;
    s->state = S_CONNECTING;
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN, .data.u32 = (uint32_t)idx};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        close(fd);
        return -1;
    }
    return 0;
}

static void send_request(int ep, struct sub *s, int idx)
{
    char req[512];
    int n;
    const char *id = chan_id[s->channel];
    if (is_obrady)
        n = snprintf(req, sizeof req,
                     "GET /api/meetings/%s/events?since=%lld HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Accept: text/event-stream\r\nUser-Agent: fanout-bench\r\n\r\n",
                     id, chan_since[s->channel]);
    else
        n = snprintf(req, sizeof req,
                     "GET /sub/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                     "User-Agent: fanout-bench\r\n\r\n",
                     id);
    if (write(s->fd, req, (size_t)n) != n) {
        s->state = S_FAILED;
        return;
    }
    s->state = S_HEADERS;
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)idx};
    epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
}

/* Collects the response headers; moves to S_BODY on a 200, S_FAILED otherwise. */
static void on_headers(struct sub *s, const char *p, long n)
{
    long room = (long)sizeof s->hdr - 1 - s->hdr_len;
    long take = n < room ? n : room;
    memcpy(s->hdr + s->hdr_len, p, (size_t)take);
    s->hdr_len += (int)take;
    s->hdr[s->hdr_len] = '\0';
    char *end = strstr(s->hdr, "\r\n\r\n");
    if (!end) {
        if (s->hdr_len >= (int)sizeof s->hdr - 1)
            s->state = S_FAILED;
        return;
    }
    if (strncmp(s->hdr, "HTTP/1.1 200", 12)) {
        s->state = S_FAILED;
        return;
    }
    s->is_chunked = strcasestr(s->hdr, "transfer-encoding: chunked") != NULL;
    s->chunk_left = -1;
    s->state = S_BODY;
    long used = (end + 4 - s->hdr) - (s->hdr_len - take);
    if (used < n)
        feed_body(s, p + used, n - used);
}

struct report {
    int connected, failed;
};

/* Runs the subscribers idx = first, first + stride, ... < total; writes a
 * report when all are settled, then records events until the control pipe
 * closes, then writes every arrival time. */
static void worker(int first, int stride, int total, int ctl_fd, int out_fd)
{
    int n = 0;
    for (int i = first; i < total; i += stride)
        n++;
    struct sub *subs = calloc((size_t)n, sizeof *subs);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!subs || ep < 0)
        die("worker");
    for (int k = 0; k < n; k++) {
        subs[k].fd = -1;
        subs[k].channel = (first + k * stride) % n_channels;
    }
    struct epoll_event ctl_ev = {.events = EPOLLIN | EPOLLHUP, .data.u32 = UINT32_MAX};
    epoll_ctl(ep, EPOLL_CTL_ADD, ctl_fd, &ctl_ev);
    int next = 0, connecting = 0, settled = 0, failed = 0;
    bool has_reported = false, is_done = false;
    struct epoll_event evs[512];
    char buf[16384];
    int64_t settle_deadline = now_ns() + (int64_t)120 * 1000000000;
    while (!is_done) {
        while (next < n && connecting < MAX_CONNECTING) {
            if (connect_sub(ep, &subs[next], first + next * stride) < 0) {
                subs[next].state = S_FAILED;
                failed++;
                settled++;
            } else {
                connecting++;
            }
            next++;
        }
        if (!has_reported && (settled == n || now_ns() > settle_deadline)) {
            struct report r = {.connected = settled - failed, .failed = n - (settled - failed)};
            if (write(out_fd, &r, sizeof r) != sizeof r)
                die("report");
            has_reported = true;
        }
        int k = epoll_wait(ep, evs, 512, 100);
        for (int e = 0; e < k; e++) {
            if (evs[e].data.u32 == UINT32_MAX) {
                is_done = true; /* the coordinator closed the pipe */
                continue;
            }
            int idx = (int)evs[e].data.u32;
            struct sub *s = &subs[(idx - first) / stride];
            enum sub_state before = s->state;
            if (s->state == S_CONNECTING) {
                if (evs[e].events & (EPOLLERR | EPOLLHUP))
                    s->state = S_FAILED;
                else if (evs[e].events & EPOLLOUT)
                    send_request(ep, s, idx);
            } else if (s->state == S_HEADERS || s->state == S_BODY) {
                for (;;) {
                    ssize_t r = read(s->fd, buf, sizeof buf);
                    if (r > 0) {
                        if (s->state == S_HEADERS)
                            on_headers(s, buf, r);
                        else
                            feed_body(s, buf, r);
                        if (s->state == S_FAILED)
                            break;
                        continue;
                    }
                    if (r == 0 || (errno != EAGAIN && errno != EINTR))
                        s->state = before == S_BODY ? S_DONE : S_FAILED;
                    break;
                }
            }
            bool was_pending = before == S_CONNECTING || before == S_HEADERS;
            bool is_pending = s->state == S_CONNECTING || s->state == S_HEADERS;
            if (was_pending && !is_pending) {
                connecting--;
                settled++;
                if (s->state == S_FAILED)
                    failed++;
            }
            if (s->state == S_FAILED || s->state == S_DONE) {
                epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                close(s->fd);
                s->fd = -1;
                s->state = s->state == S_DONE ? S_DONE : S_FAILED;
            }
        }
    }
    for (int k = 0; k < n; k++) {
        int64_t rec[MAX_ROUNDS + 1];
        rec[0] = subs[k].channel;
        for (int r = 0; r < MAX_ROUNDS; r++)
            rec[r + 1] = r < subs[k].received ? subs[k].at[r] : 0;
        if (write(out_fd, rec, sizeof rec) != (ssize_t)sizeof rec)
            die("arrivals");
        if (subs[k].fd >= 0)
            close(subs[k].fd);
    }
    free(subs);
    _exit(0);
}

/* ---- the publisher: keep-alive connections, one request at a time ---- */

static int http_connect(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    dst.sin_addr.s_addr = htonl(0x7f000001u);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0)
        die("publisher connect");
    return fd;
}

/* Reads one response with Content-Length; returns the status. */
static int read_response(int fd)
{
    char buf[8192];
    int len = 0;
    for (;;) {
        ssize_t r = read(fd, buf + len, sizeof buf - 1 - (size_t)len);
        if (r <= 0)
            return -1;
        len += (int)r;
        buf[len] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (!end)
            continue;
        char *cl = strcasestr(buf, "content-length:");
        long body = cl ? strtol(cl + 15, NULL, 10) : 0;
        long have = len - (end + 4 - buf);
        static int n_shown;
        if (strncmp(buf + 9, "2", 1) && n_shown++ < 3)
            fprintf(stderr, "fanout: publish answered %.200s ... %.200s\n", buf, end + 4);
        int status = atoi(buf + 9); /* before the rest of the body overwrites buf */
        while (have < body) {
            r = read(fd, buf, sizeof buf);
            if (r <= 0)
                return -1;
            have += r;
        }
        return status;
    }
}

/* Sends one publishing request (the answer is read by read_response). */
static int publish(int fd, int ch, int round, const char *cookie)
{
    char body[256], req[1024];
    int bn, n;
    if (is_obrady) {
        bn = snprintf(body, sizeof body, "{\"item_id\":\"%s\"}", chan_item[ch][round % 2]);
        n = snprintf(req, sizeof req,
                     "POST /api/meetings/%s/current-item HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     "Origin: http://127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                     "Cookie: obrady_session=%s\r\nContent-Length: %d\r\n\r\n%s",
                     chan_id[ch], port, port, cookie, bn, body);
    } else {
        bn = snprintf(body, sizeof body, "round %d", round);
        n = snprintf(req, sizeof req,
                     "POST /pub/%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                     "Content-Length: %d\r\n\r\n%s",
                     chan_id[ch], bn, body);
    }
    return write(fd, req, (size_t)n) == n ? 0 : -1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: fanout obrady|nchan PORT CHANNELS_FILE SUBS PROCS ROUNDS [COOKIE]\n");
        return 2;
    }
    is_obrady = !strcmp(argv[1], "obrady");
    port = atoi(argv[2]);
    int total = atoi(argv[4]), procs = atoi(argv[5]);
    rounds = atoi(argv[6]);
    const char *cookie = argc > 7 ? argv[7] : "";
    if (rounds < 1 || rounds > MAX_ROUNDS || procs < 1 || procs > 64 || total < 1)
        return 2;
    FILE *f = fopen(argv[3], "r");
    if (!f)
        die(argv[3]);
    while (n_channels < MAX_CHANNELS &&
           fscanf(f, "%63s %lld %63s %63s", chan_id[n_channels], &chan_since[n_channels],
                  chan_item[n_channels][0], chan_item[n_channels][1]) >= 2)
        n_channels++;
    fclose(f);
    if (!n_channels)
        return 2;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    signal(SIGPIPE, SIG_IGN);

    int ctl[64][2], out[64][2];
    pid_t pids[64];
    for (int w = 0; w < procs; w++) {
        if (pipe2(ctl[w], O_CLOEXEC) || pipe2(out[w], O_CLOEXEC))
            die("pipe");
        pids[w] = fork();
        if (pids[w] < 0)
            die("fork");
        if (pids[w] == 0) {
            /* Only this worker's ends: a copy of another's would keep its
             * pipes from ever reaching end-of-file. */
            for (int j = 0; j < w; j++) {
                close(ctl[j][1]);
                close(out[j][0]);
            }
            close(ctl[w][1]);
            close(out[w][0]);
            worker(w, procs, total, ctl[w][0], out[w][1]);
        }
        close(ctl[w][0]);
        close(out[w][1]);
    }
    int connected = 0, failed = 0;
    for (int w = 0; w < procs; w++) {
        struct report r;
        if (read(out[w][0], &r, sizeof r) != sizeof r)
            die("worker report");
        connected += r.connected;
        failed += r.failed;
    }
    fprintf(stderr, "fanout: %d subscribers connected, %d failed\n", connected, failed);
    usleep(500000); /* every stream registered with its hub */

    enum { N_PUB = 4 };
    int pub[N_PUB];
    for (int i = 0; i < N_PUB; i++)
        pub[i] = http_connect();
    static int64_t sent_at[MAX_CHANNELS][MAX_ROUNDS], acked_at[MAX_CHANNELS][MAX_ROUNDS];
    int publish_errors = 0;
    int64_t t_pub0 = now_ns();
    for (int r = 0; r < rounds; r++) {
        /* N_PUB connections in parallel: one request on each, then the answers. */
        for (int ch = 0; ch < n_channels; ch += N_PUB) {
            int k = n_channels - ch < N_PUB ? n_channels - ch : N_PUB;
            for (int i = 0; i < k; i++) {
                sent_at[ch + i][r] = now_ns();
                if (publish(pub[i], ch + i, r, cookie))
                    die("publish");
            }
            for (int i = 0; i < k; i++) {
                int st = read_response(pub[i]);
                acked_at[ch + i][r] = now_ns();
                if (st < 200 || st >= 300)
                    publish_errors++;
            }
        }
        usleep(1000000);
    }
    double publish_s = (double)(now_ns() - t_pub0) / 1e9 - rounds * 1.0;
    usleep(3000000); /* the last deliveries */
    for (int w = 0; w < procs; w++)
        close(ctl[w][1]);
    size_t cap = (size_t)total * (size_t)rounds;
    int64_t *lat = malloc(cap * sizeof *lat);
    int64_t *after_ack = malloc(cap * sizeof *after_ack);
    size_t n_lat = 0;
    long long received = 0;
    /* FANOUT_TRACE=FILE: every arrival as "CHANNEL ROUND SENT ACKED ARRIVED"
     * (CLOCK_MONOTONIC ns, the server's clock too), to line up with a
     * server trace (src/util/fantrace.h). */
    const char *trace_path = getenv("FANOUT_TRACE");
    FILE *trace = trace_path ? fopen(trace_path, "w") : NULL;
    for (int w = 0; w < procs; w++) {
        int64_t rec[MAX_ROUNDS + 1];
        size_t want = sizeof rec, got = 0;
        for (;;) {
            ssize_t k = read(out[w][0], (char *)rec + got, want - got);
            if (k <= 0)
                break;
            got += (size_t)k;
            if (got < want)
                continue;
            got = 0;
            int ch = (int)rec[0];
            for (int r = 0; r < rounds; r++)
                if (rec[r + 1]) {
                    received++;
                    int64_t a = rec[r + 1] - acked_at[ch][r];
                    after_ack[n_lat] = a > 0 ? a : 0; /* may come before the answer */
                    lat[n_lat++] = rec[r + 1] - sent_at[ch][r];
                    if (trace)
                        fprintf(trace, "%s %d %lld %lld %lld\n", chan_id[ch], r,
                                (long long)sent_at[ch][r], (long long)acked_at[ch][r],
                                (long long)rec[r + 1]);
                }
        }
        waitpid(pids[w], NULL, 0);
    }
    if (trace)
        fclose(trace);
    qsort(lat, n_lat, sizeof *lat, cmp_i64);
    qsort(after_ack, n_lat, sizeof *after_ack, cmp_i64);
#define PCT(p) (n_lat ? (double)lat[(size_t)((p) * (double)(n_lat - 1))] / 1e6 : -1.0)
#define PCT_ACK(p) (n_lat ? (double)after_ack[(size_t)((p) * (double)(n_lat - 1))] / 1e6 : -1.0)
    long long expected = (long long)connected * rounds;
    printf("{\"subs\":%d,\"connected\":%d,\"failed\":%d,\"rounds\":%d,\"expected\":%lld,"
           "\"received\":%lld,\"lost\":%lld,\"publish_errors\":%d,\"p50_ms\":%.2f,"
           "\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"publish_s\":%.3f,"
           "\"ack_p50_ms\":%.2f,\"ack_p99_ms\":%.2f}\n",
           total, connected, failed, rounds, expected, received, expected - received,
           publish_errors, PCT(0.50), PCT(0.90), PCT(0.99), PCT(1.0), publish_s, PCT_ACK(0.5), PCT_ACK(0.99));
    free(lat);
    free(after_ack);
    return 0;
}
