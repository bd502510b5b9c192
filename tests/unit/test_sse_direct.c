/* test_sse_direct.c — a publish sending straight to the idle streams of a
 * small meeting (sse_writer.c, send_direct), over real HTTP: the server
 * with the real routes, events appended with log_append_one, and plain
 * sockets reading /api/live as HTTP/1.1 chunked streams. Proves that the
 * publishing thread does send (its counter moves), that a meeting above
 * OBRADY_SSE_DIRECT is left to the writers, and that a stream whose socket
 * fills in the middle of a direct send continues, in order, in its writer. */
#include "testutil.h"

#include "http_fixture.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>

#include "api/app.h"
#include "http/server.h"
#include "http/sse_impl.h"
#include "log/eventlog.h"
#include "log/hub.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/ratelimit.h"

#define WAIT_MS 15000 /* generous: the asan build on a loaded machine */
#define MAX_IDS 512

struct fixture {
    char *dir;
    struct db_pool *pool;
    struct hub *hub;
    struct app app;
    struct server *srv;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    http_fixture_open(&f->dir, &f->pool, &f->hub, 0);
    f->srv = http_fixture_start(&f->app, f->dir, f->dir, f->pool, f->hub);
    *state = f;
    return 0;
}

/* The writers read OBRADY_SSE_DIRECT when the server starts. */
static int setup_direct_max_2(void **state)
{
    setenv("OBRADY_SSE_DIRECT", "2", 1);
    int rc = setup(state);
    unsetenv("OBRADY_SSE_DIRECT");
    return rc;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    http_fixture_stop(f->srv, f->pool, f->hub, &f->app, f->dir);
    free(f);
    return 0;
}

/* Appends one instance event with {"n":n} and pad_bytes of padding. */
static void append(struct fixture *f, int n, size_t pad_bytes)
{
    assert_int_equal(http_fixture_append(f->pool, f->hub, INSTANCE_LOG, n, EVENT_PUBLIC, pad_bytes), n);
}

/* ---- a stream read from a plain socket, chunked body decoded ---- */

struct stream {
    int fd;
    struct buf raw;    /* bytes as received */
    size_t raw_at;     /* decoded up to here */
    bool has_headers;
    struct buf body;   /* the decoded body */
    size_t body_at;    /* frames split up to here */
    int64_t ids[MAX_IDS];
    int n;
    int n_heartbeats;
};

static void stream_open(struct fixture *f, struct stream *s, int rcvbuf)
{
    memset(s, 0, sizeof *s);
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(s->fd >= 0);
    if (rcvbuf)
        setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)server_port(f->srv))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    static const char req[] =
        "GET /api/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
    assert_int_equal(write(s->fd, req, sizeof req - 1), (ssize_t)(sizeof req - 1));
}

/* Moves whole chunks from raw to body; false on a malformed chunk. */
static bool dechunk(struct stream *s)
{
    const char *raw = buf_str(&s->raw);
    size_t len = s->raw.len;
    if (!s->has_headers) {
        const char *end = strstr(raw, "\r\n\r\n");
        if (!end)
            return true;
        if (strncmp(raw, "HTTP/1.1 200", 12) || !strstr(raw, "chunked"))
            return false;
        s->has_headers = true;
        s->raw_at = (size_t)(end + 4 - raw);
    }
    while (s->raw_at < len) {
        const char *p = raw + s->raw_at, *eol = memchr(p, '\n', len - s->raw_at);
        if (!eol)
            return true;
        char *hex_end;
        unsigned long size = strtoul(p, &hex_end, 16);
        if (hex_end == p || *hex_end != '\r')
            return false;
        size_t data_at = (size_t)(eol + 1 - raw);
        if (data_at + size + 2 > len)
            return true;
        if (raw[data_at + size] != '\r' || raw[data_at + size + 1] != '\n')
            return false;
        buf_append(&s->body, raw + data_at, size);
        s->raw_at = data_at + size + 2;
    }
    return true;
}

/* Records the id of every whole event frame in the body. */
static void split_frames(struct stream *s)
{
    for (;;) {
        const char *start = buf_str(&s->body) + s->body_at;
        const char *end = strstr(start, "\n\n");
        if (!end)
            return;
        if (!strncmp(start, "id: ", 4)) {
            assert_true(s->n < MAX_IDS);
            s->ids[s->n++] = strtoll(start + 4, NULL, 10);
        } else if (start[0] == ':') {
            s->n_heartbeats++;
        }
        s->body_at += (size_t)(end + 2 - start);
    }
}

/* Reads until want events arrived or timeout_ms passed. */
static void stream_read(struct stream *s, int want, int timeout_ms)
{
    int64_t deadline = clock_mono_ms() + timeout_ms;
    while (s->n < want && clock_mono_ms() < deadline) {
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        if (poll(&p, 1, 50) != 1)
            continue;
        char tmp[16384];
        ssize_t r = read(s->fd, tmp, sizeof tmp);
        if (r <= 0)
            fail_msg("stream ended after %d events", s->n);
        buf_append(&s->raw, tmp, (size_t)r);
        if (!dechunk(s))
            fail_msg("bad HTTP framing: %.80s", buf_str(&s->raw));
        split_frames(s);
    }
}

static void stream_close(struct stream *s)
{
    close(s->fd);
    buf_free(&s->raw);
    buf_free(&s->body);
}

/* Asserts exactly the events 1..last arrived, in order, once each. */
static void assert_ids(const struct stream *s, int64_t last)
{
    if (s->n != last)
        fail_msg("got %d events, expected %lld", s->n, (long long)last);
    for (int i = 0; i < s->n; i++)
        if (s->ids[i] != i + 1)
            fail_msg("event %d has id %lld", i, (long long)s->ids[i]);
}

/* Waits until the writers own n streams (caught up, handed over by MHD). */
static void wait_in_writers(unsigned n)
{
    int64_t deadline = clock_mono_ms() + WAIT_MS;
    while (sse_writer_stream_count() != n && clock_mono_ms() < deadline)
        usleep(5000);
    assert_int_equal(sse_writer_stream_count(), n);
}

enum { N_STREAMS = 4, N_EVENTS = 10 };

/* Opens N_STREAMS caught-up streams, then appends N_EVENTS one by one, each
 * read by every stream before the next; returns the direct sends counted. */
static unsigned long publish_to_idle_streams(struct fixture *f, struct stream *s)
{
    append(f, 1, 0);
    for (int i = 0; i < N_STREAMS; i++) {
        stream_open(f, &s[i], 0);
        stream_read(&s[i], 1, WAIT_MS);
    }
    wait_in_writers(N_STREAMS);
    unsigned long before = sse_writer_direct_count();
    for (int n = 2; n <= N_EVENTS; n++) {
        append(f, n, 0);
        for (int i = 0; i < N_STREAMS; i++)
            stream_read(&s[i], n, WAIT_MS);
    }
    for (int i = 0; i < N_STREAMS; i++)
        assert_ids(&s[i], N_EVENTS);
    return sse_writer_direct_count() - before;
}

static void test_publish_sends_to_idle_streams_itself(void **state)
{
    struct stream s[N_STREAMS];
    unsigned long direct = publish_to_idle_streams(*state, s);
    /* Idle at every publish but for a writer's pump still letting go of its
     * claim on a busy machine: most of the 4 x 9 sends are direct. */
    if (direct < N_STREAMS * (N_EVENTS - 1) / 2)
        fail_msg("only %lu of %d sends were direct", direct, N_STREAMS * (N_EVENTS - 1));
    for (int i = 0; i < N_STREAMS; i++)
        stream_close(&s[i]);
}

static void test_meeting_above_the_limit_is_left_to_the_writers(void **state)
{
    struct stream s[N_STREAMS];
    assert_int_equal(publish_to_idle_streams(*state, s), 0);
    for (int i = 0; i < N_STREAMS; i++)
        stream_close(&s[i]);
}

static void test_stream_full_mid_send_continues_in_its_writer(void **state)
{
    struct fixture *f = *state;
    enum { BIG = 100, PAD = 96 * 1024 };
    append(f, 1, 0);
    struct stream fast, slow;
    stream_open(f, &fast, 0);
    stream_open(f, &slow, 4096);
    stream_read(&fast, 1, WAIT_MS);
    stream_read(&slow, 1, WAIT_MS);
    wait_in_writers(2);
    unsigned long before = sse_writer_direct_count();
    /* ~9.5 MB (above the 4 MB a socket buffer grows to) the slow stream does not read: its socket fills in the middle
     * of a send and the rest (partly past the hub's ring) waits in the
     * writer, while the other stream of the meeting keeps getting events. */
    for (int n = 2; n <= BIG; n++) {
        append(f, n, PAD);
        stream_read(&fast, n, WAIT_MS);
    }
    assert_ids(&fast, BIG);
    assert_true(sse_writer_direct_count() > before);
    stream_read(&slow, BIG, 4 * WAIT_MS);
    assert_ids(&slow, BIG);
    /* And once drained, the slow one is idle again: direct sends resume
     * (the fast one gone first, so the count is the slow one's). */
    stream_close(&fast);
    wait_in_writers(1);
    before = sse_writer_direct_count();
    append(f, BIG + 1, 0);
    stream_read(&slow, BIG + 1, WAIT_MS);
    assert_ids(&slow, BIG + 1);
    assert_true(sse_writer_direct_count() > before);
    stream_close(&slow);
}

/* Heartbeats every 3 s (ticks every 2 s; a writer's stream silent for 1 s
 * gets one at the next tick). */
static int setup_heartbeat_3s(void **state)
{
    setenv("OBRADY_SSE_HEARTBEAT_MS", "3000", 1);
    int rc = setup(state);
    unsetenv("OBRADY_SSE_HEARTBEAT_MS");
    return rc;
}

static void test_heartbeats_go_only_to_silent_streams(void **state)
{
    struct fixture *f = *state;
    append(f, 1, 0);
    struct stream s[2];
    for (int i = 0; i < 2; i++) {
        stream_open(f, &s[i], 0);
        stream_read(&s[i], 1, WAIT_MS);
    }
    wait_in_writers(2);
    /* 5 s of an event every 250 ms: two ticks or more, one of them a
     * heartbeat tick (at 4 s), each finding both streams sent within the
     * last second. */
    int n = 1;
    for (int64_t end = clock_mono_ms() + 5000; clock_mono_ms() < end;) {
        append(f, ++n, 0);
        for (int i = 0; i < 2; i++)
            stream_read(&s[i], n, WAIT_MS);
        usleep(250000);
    }
    for (int i = 0; i < 2; i++) {
        assert_ids(&s[i], n);
        if (s[i].n_heartbeats)
            fail_msg("a stream carrying events every 250 ms got %d heartbeats", s[i].n_heartbeats);
    }
    /* Then silence: each gets its heartbeat at a tick within the interval. */
    for (int i = 0; i < 2; i++) {
        for (int64_t end = clock_mono_ms() + WAIT_MS; !s[i].n_heartbeats && clock_mono_ms() < end;)
            stream_read(&s[i], n + 1, 100);
        assert_true(s[i].n_heartbeats >= 1);
        assert_ids(&s[i], n);
        stream_close(&s[i]);
    }
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    diag_set_level(DIAG_ERROR);
    diag_init_from_env();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_publish_sends_to_idle_streams_itself, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_meeting_above_the_limit_is_left_to_the_writers,
                                        setup_direct_max_2, teardown),
        cmocka_unit_test_setup_teardown(test_stream_full_mid_send_continues_in_its_writer, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_heartbeats_go_only_to_silent_streams,
                                        setup_heartbeat_3s, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
