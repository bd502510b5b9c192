/* test_sse_http.c — event streams over real HTTP: the server (server_start)
 * with the real routes, events appended in-process with log_append_one, and
 * libcurl's multi interface reading /api/live (the same stream code as
 * /api/meetings/{id}/events) as a browser's
 * EventSource would. Proves ordered delivery, exact resumption after a
 * disconnect (Last-Event-ID and ?since=), catching up past the hub's ring
 * (bounded by count, or by bytes below one event),
 * public streams skipping staff events, and a graceful stop ending streams. */
#include "testutil.h"

#include "http_fixture.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "api/app.h"
#include "http/server.h"
#include "log/eventlog.h"
#include "log/hub.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/ids.h"
#include "util/ratelimit.h"

#define WAIT_MS 8000 /* generous: the asan build is slow */
#define QUIET_MS 300 /* how long "nothing more arrives" is watched */
#define MAX_FRAMES 256

struct fixture {
    char *dir;
    struct db_pool *pool;
    struct hub *hub;
    struct app app;
    struct server *srv;
    char base[64];
    char meeting[ID_SIZE];
};

static int start(void **state, size_t ring_size)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    http_fixture_open(&f->dir, &f->pool, &f->hub, ring_size);
    f->srv = http_fixture_start(&f->app, f->dir, f->dir, f->pool, f->hub);
    snprintf(f->base, sizeof f->base, "http://127.0.0.1:%u", server_port(f->srv));
    /* The instance log streams at /api/live without a meeting or sign-in, so
     * these tests exercise the stream machinery alone; meeting streams add
     * permissions on top (tests/e2e). */
    snprintf(f->meeting, sizeof f->meeting, "%s", INSTANCE_LOG);
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return start(state, 0);
}

static int setup_small_ring(void **state)
{
    return start(state, 8);
}

/* The hub's rings bounded by bytes below one padded event (payload and
 * frame, ~2 pads): a ring keeps only its newest, and every stream behind it
 * reads the store. */
#define BOUND_BYTES 4096
#define BIG_PAD (6 * 1024)

static int setup_byte_bound(void **state)
{
    int rc = start(state, 0);
    struct fixture *f = *state;
    hub_set_limits(f->hub, BOUND_BYTES, 2 * BOUND_BYTES, 0);
    return rc;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    http_fixture_stop(f->srv, f->pool, f->hub, &f->app, f->dir);
    free(f);
    return 0;
}

/* Appends one event with payload {"n":n} (and "pad": pad_bytes of text when
 * pad_bytes > 0); returns its seq. */
static int64_t append_padded(struct fixture *f, const char *meeting, int n,
                             enum event_visibility vis, size_t pad_bytes)
{
    return http_fixture_append(f->pool, f->hub, meeting, n, vis, pad_bytes);
}

static int64_t append(struct fixture *f, const char *meeting, int n, enum event_visibility vis)
{
    return append_padded(f, meeting, n, vis, 0);
}

static void append_range(struct fixture *f, int64_t first, int64_t last)
{
    for (int64_t n = first; n <= last; n++)
        assert_int_equal(append(f, f->meeting, (int)n, EVENT_PUBLIC), n);
}

/* ---- an EventSource made of libcurl's multi interface ---- */

struct sse_client {
    CURLM *multi;
    CURL *easy;
    struct curl_slist *hl;
    struct buf raw, headers;
    size_t parsed; /* bytes of raw already split into frames */
    int64_t ids[MAX_FRAMES];
    int n;            /* event frames seen */
    int n_heartbeats; /* comment frames */
    bool has_retry;
    bool is_done;
    CURLcode result;
};

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
    buf_append(userdata, data, size * n);
    return size * n;
}

/* Checks one event frame: id, event and data lines agree; records the id. */
static void parse_event(struct sse_client *c, const char *frame, size_t len)
{
    long long id = -1, data_seq = -2;
    char type[64] = "";
    for (const char *line = frame; line < frame + len;) {
        const char *nl = memchr(line, '\n', (size_t)(frame + len - line));
        size_t ll = nl ? (size_t)(nl - line) : (size_t)(frame + len - line);
        if (!strncmp(line, "id: ", 4))
            id = strtoll(line + 4, NULL, 10);
        else if (!strncmp(line, "event: ", 7))
            snprintf(type, sizeof type, "%.*s", (int)(ll - 7), line + 7);
        else if (!strncmp(line, "data: ", 6)) {
            json_t *j = json_loadb(line + 6, ll - 6, 0, NULL);
            if (!j)
                fail_msg("data is not JSON: %.*s", (int)ll, line);
            data_seq = json_integer_value(json_object_get(j, "seq"));
            assert_true(json_is_object(json_object_get(j, "payload")));
            assert_int_equal(strlen(json_string_value(json_object_get(j, "hash"))), 64);
            json_decref(j);
        }
        line += ll + 1;
    }
    if (id < 1 || id != data_seq || strcmp(type, "test.thing"))
        fail_msg("bad frame: %.*s", (int)len, frame);
    assert_true(c->n < MAX_FRAMES);
    c->ids[c->n++] = id;
}

static void parse_frames(struct sse_client *c)
{
    for (;;) {
        const char *start = buf_str(&c->raw) + c->parsed;
        const char *end = strstr(start, "\n\n");
        if (!end)
            return;
        size_t len = (size_t)(end - start);
        if (!strncmp(start, "retry: ", 7))
            c->has_retry = true;
        else if (start[0] == ':')
            c->n_heartbeats++;
        else
            parse_event(c, start, len);
        c->parsed += len + 2;
    }
}

static int small_rcvbuf(void *clientp, curl_socket_t fd, curlsocktype purpose)
{
    int size = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    return CURL_SOCKOPT_OK;
}

/* Opens a stream of path; extra_header (e.g. "Last-Event-ID: 3") may be NULL.
 * is_slow_reader: a small receive buffer, so the server's writes block soon
 * when the client stops reading. */
static void sse_open_with(struct fixture *f, struct sse_client *c, const char *path,
                          const char *extra_header, bool is_slow_reader)
{
    memset(c, 0, sizeof *c);
    c->multi = curl_multi_init();
    c->easy = curl_easy_init();
    assert_non_null(c->multi);
    assert_non_null(c->easy);
    char url[256];
    snprintf(url, sizeof url, "%s%s", f->base, path);
    curl_easy_setopt(c->easy, CURLOPT_URL, url);
    curl_easy_setopt(c->easy, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c->easy, CURLOPT_WRITEDATA, &c->raw);
    curl_easy_setopt(c->easy, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c->easy, CURLOPT_HEADERDATA, &c->headers);
    c->hl = curl_slist_append(NULL, "Accept: text/event-stream");
    if (extra_header)
        c->hl = curl_slist_append(c->hl, extra_header);
    curl_easy_setopt(c->easy, CURLOPT_HTTPHEADER, c->hl);
    if (is_slow_reader)
        curl_easy_setopt(c->easy, CURLOPT_SOCKOPTFUNCTION, small_rcvbuf);
    curl_multi_add_handle(c->multi, c->easy);
}

static void sse_open(struct fixture *f, struct sse_client *c, const char *path,
                     const char *extra_header)
{
    sse_open_with(f, c, path, extra_header, false);
}

/* Runs the transfer until want frames arrived, it ended, or timeout_ms passed. */
static void sse_pump(struct sse_client *c, int want, int timeout_ms)
{
    int64_t deadline = clock_mono_ms() + timeout_ms;
    while (!c->is_done && c->n < want && clock_mono_ms() < deadline) {
        int running = 0;
        curl_multi_perform(c->multi, &running);
        parse_frames(c);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(c->multi, &left)))
            if (m->msg == CURLMSG_DONE) {
                c->is_done = true;
                c->result = m->data.result;
            }
        if (!c->is_done && c->n < want)
            curl_multi_poll(c->multi, NULL, 0, 50, NULL);
    }
}

static long sse_status(struct sse_client *c)
{
    long status = 0;
    curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

/* Disconnects (closes the socket) and frees c. */
static void sse_close(struct sse_client *c)
{
    curl_multi_remove_handle(c->multi, c->easy);
    curl_easy_cleanup(c->easy);
    curl_multi_cleanup(c->multi);
    curl_slist_free_all(c->hl);
    buf_free(&c->raw);
    buf_free(&c->headers);
}

/* Asserts exactly the event ids first..last arrived, in order, once each. */
static void assert_ids(const struct sse_client *c, int64_t first, int64_t last)
{
    int want = (int)(last - first + 1);
    if (c->n != want)
        fail_msg("got %d events, expected %d (%lld..%lld)", c->n, want, (long long)first,
                 (long long)last);
    for (int i = 0; i < c->n; i++)
        if (c->ids[i] != first + i)
            fail_msg("event %d has id %lld, expected %lld", i, (long long)c->ids[i],
                     (long long)(first + i));
}

static void stream_path(struct fixture *f, char *out, size_t size, const char *query)
{
    snprintf(out, size, "/api/live%s", query ? query : "");
}

/* ---- tests ---- */

static void test_stream_sends_stored_then_live_events_in_order(void **state)
{
    struct fixture *f = *state;
    append_range(f, 1, 1);
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    struct sse_client c;
    sse_open(f, &c, path, NULL);
    sse_pump(&c, 1, WAIT_MS);
    assert_ids(&c, 1, 1);
    assert_true(c.has_retry);
    assert_int_equal(sse_status(&c), 200);
    assert_non_null(strcasestr(buf_str(&c.headers), "Content-Type: text/event-stream"));
    assert_non_null(strcasestr(buf_str(&c.headers), "Cache-Control: no-cache"));
    assert_non_null(strcasestr(buf_str(&c.headers), "X-Content-Type-Options: nosniff"));
    assert_non_null(strcasestr(buf_str(&c.headers),
                               "Content-Security-Policy: default-src 'self';"));
    append_range(f, 2, 5);
    sse_pump(&c, 5, WAIT_MS);
    assert_ids(&c, 1, 5);
    for (int64_t n = 6; n <= 20; n++) { /* one at a time, each wakes the stream */
        append_range(f, n, n);
        sse_pump(&c, (int)n, WAIT_MS);
    }
    sse_pump(&c, 21, QUIET_MS);
    assert_ids(&c, 1, 20);
    assert_false(c.is_done);
    sse_close(&c);
}

static void test_resume_with_last_event_id_gets_exactly_the_missed(void **state)
{
    struct fixture *f = *state;
    append_range(f, 1, 3);
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    struct sse_client c;
    sse_open(f, &c, path, NULL);
    sse_pump(&c, 3, WAIT_MS);
    assert_ids(&c, 1, 3);
    int64_t last_seen = c.ids[c.n - 1];
    sse_close(&c);

    append_range(f, 4, 7); /* while disconnected */
    char last[64];
    snprintf(last, sizeof last, "Last-Event-ID: %lld", (long long)last_seen);
    sse_open(f, &c, path, last);
    sse_pump(&c, 4, WAIT_MS);
    sse_pump(&c, 5, QUIET_MS);
    assert_ids(&c, 4, 7);
    append_range(f, 8, 9); /* and live again after the catch-up */
    sse_pump(&c, 6, WAIT_MS);
    sse_pump(&c, 7, QUIET_MS);
    assert_ids(&c, 4, 9);
    sse_close(&c);
}

static void test_resume_with_since_query(void **state)
{
    struct fixture *f = *state;
    append_range(f, 1, 6);
    char path[128];
    stream_path(f, path, sizeof path, "?since=4");
    struct sse_client c;
    sse_open(f, &c, path, NULL);
    sse_pump(&c, 2, WAIT_MS);
    sse_pump(&c, 3, QUIET_MS);
    assert_ids(&c, 5, 6);
    sse_close(&c);

    /* Last-Event-ID (what EventSource sends) wins over ?since=. */
    stream_path(f, path, sizeof path, "?since=1");
    sse_open(f, &c, path, "Last-Event-ID: 5");
    sse_pump(&c, 1, WAIT_MS);
    sse_pump(&c, 2, QUIET_MS);
    assert_ids(&c, 6, 6);
    sse_close(&c);

    /* Resuming at the head waits for what comes next. */
    stream_path(f, path, sizeof path, "?since=6");
    sse_open(f, &c, path, NULL);
    sse_pump(&c, 1, QUIET_MS);
    assert_int_equal(c.n, 0);
    append_range(f, 7, 7);
    sse_pump(&c, 1, WAIT_MS);
    assert_ids(&c, 7, 7);
    sse_close(&c);
}

static void test_catch_up_from_zero_past_a_small_ring(void **state)
{
    struct fixture *f = *state; /* hub ring of 8 */
    append_range(f, 1, 50);
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    struct sse_client c;
    sse_open(f, &c, path, NULL);
    sse_pump(&c, 50, WAIT_MS);
    sse_pump(&c, 51, QUIET_MS);
    assert_ids(&c, 1, 50);
    sse_close(&c);
}

/* Opens c as a slow reader after event 1, then appends 2..last padded by
 * pad bytes while c reads nothing. */
static void burst_to_a_stalled_reader(struct fixture *f, struct sse_client *c, int last, size_t pad)
{
    append_range(f, 1, 1);
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    sse_open_with(f, c, path, NULL, true);
    sse_pump(c, 1, WAIT_MS);
    assert_ids(c, 1, 1);
    for (int n = 2; n <= last; n++)
        assert_int_equal(append_padded(f, f->meeting, n, EVENT_PUBLIC, pad), n);
}

static void test_live_burst_larger_than_the_ring_arrives_whole(void **state)
{
    struct fixture *f = *state; /* hub ring of 8 */
    struct sse_client c;
    /* 49 events of 160 KiB while the client reads nothing: the socket fills, the
     * stream falls behind the ring of 8 and must go back to the store. */
    burst_to_a_stalled_reader(f, &c, 50, 160 * 1024);
    sse_pump(&c, 50, WAIT_MS);
    sse_pump(&c, 51, QUIET_MS);
    assert_ids(&c, 1, 50);
    sse_close(&c);
}

/* Opens a on path after event 1, then appends 2..last (padded by pad bytes)
 * one at a time, each read live by a, which keeps the topic alive. */
static void follow_live(struct fixture *f, struct sse_client *a, const char *path, int last,
                        size_t pad)
{
    append_range(f, 1, 1);
    sse_open(f, a, path, NULL);
    sse_pump(a, 1, WAIT_MS);
    for (int n = 2; n <= last; n++) {
        assert_int_equal(append_padded(f, f->meeting, n, EVENT_PUBLIC, pad), n);
        sse_pump(a, n, WAIT_MS);
    }
    assert_ids(a, 1, last);
}

/* Waits until a holds 1..last and b b_first..last, checks that nothing
 * more arrives and that each came once, in order; closes both. */
static void expect_both_then_close(struct sse_client *a, struct sse_client *b, int b_first, int last)
{
    int b_want = last - b_first + 1;
    sse_pump(a, last, WAIT_MS);
    sse_pump(b, b_want, WAIT_MS);
    sse_pump(a, last + 1, QUIET_MS);
    sse_pump(b, b_want + 1, QUIET_MS);
    assert_ids(a, 1, last);
    assert_ids(b, b_first, last);
    sse_close(a);
    sse_close(b);
}

static void test_resume_within_the_ring_while_others_follow(void **state)
{
    /* Another stream keeps the topic, so the resumed one's events are in
     * the ring: it takes them from there, each once, then goes live. */
    struct fixture *f = *state;
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    struct sse_client a, b;
    follow_live(f, &a, path, 10, 0);
    sse_open(f, &b, path, "Last-Event-ID: 7");
    sse_pump(&b, 3, WAIT_MS);
    append_range(f, 11, 12);
    expect_both_then_close(&a, &b, 8, 12);
}

static void test_byte_bound_live_burst_arrives_whole(void **state)
{
    struct fixture *f = *state; /* rings of 4 KiB, events of 6 KiB */
    struct sse_client c;
    burst_to_a_stalled_reader(f, &c, 60, BIG_PAD);
    /* Only the newest event is kept (the bound held) ... */
    if (hub_ring_bytes(f->hub) <= BIG_PAD || hub_ring_bytes(f->hub) >= 3 * BIG_PAD)
        fail_msg("the ring holds %zu bytes, not one event", hub_ring_bytes(f->hub));
    /* ... yet the stream that read nothing meanwhile gets every one, once. */
    sse_pump(&c, 60, WAIT_MS);
    sse_pump(&c, 61, QUIET_MS);
    assert_ids(&c, 1, 60);
    sse_close(&c);
}

static void test_resume_older_than_a_byte_bound_ring(void **state)
{
    struct fixture *f = *state; /* rings of 4 KiB, events of 6 KiB */
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    struct sse_client a, b;
    follow_live(f, &a, path, 40, BIG_PAD);
    assert_true(hub_ring_bytes(f->hub) < 3 * BIG_PAD); /* one event of ~2 pads */
    /* A reconnect far older than the ring: the store, then live. */
    sse_open(f, &b, path, "Last-Event-ID: 5");
    sse_pump(&b, 35, WAIT_MS);
    assert_ids(&b, 6, 40);
    for (int n = 41; n <= 45; n++)
        assert_int_equal(append_padded(f, f->meeting, n, EVENT_PUBLIC, BIG_PAD), n);
    expect_both_then_close(&a, &b, 6, 45);
}

static void test_public_stream_skips_staff_events(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(append(f, f->meeting, 1, EVENT_PUBLIC), 1);
    assert_int_equal(append(f, f->meeting, 2, EVENT_STAFF), 2);
    assert_int_equal(append(f, f->meeting, 3, EVENT_PUBLIC), 3);
    assert_int_equal(append(f, f->meeting, 4, EVENT_STAFF), 4);
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    struct sse_client c;
    sse_open(f, &c, path, NULL);
    sse_pump(&c, 2, WAIT_MS);
    sse_pump(&c, 3, QUIET_MS);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.ids[0], 1);
    assert_int_equal(c.ids[1], 3);
    /* Live: a staff event is passed over, the stream moves on to the next public one. */
    assert_int_equal(append(f, f->meeting, 5, EVENT_STAFF), 5);
    assert_int_equal(append(f, f->meeting, 6, EVENT_PUBLIC), 6);
    sse_pump(&c, 3, WAIT_MS);
    sse_pump(&c, 4, QUIET_MS);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.ids[2], 6);
    sse_close(&c);

    /* Resuming after a public event skips the staff events behind it. */
    sse_open(f, &c, path, "Last-Event-ID: 3");
    sse_pump(&c, 1, WAIT_MS);
    sse_pump(&c, 2, QUIET_MS);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.ids[0], 6);
    sse_close(&c);
}

static void test_stream_of_unknown_meeting_is_404(void **state)
{
    struct fixture *f = *state;
    char path[128], id[ID_SIZE];
    id_new(id);
    snprintf(path, sizeof path, "/api/meetings/%s/events", id);
    struct sse_client c;
    sse_open(f, &c, path, NULL);
    sse_pump(&c, 1, WAIT_MS);
    assert_true(c.is_done);
    assert_int_equal(sse_status(&c), 404);
    assert_non_null(strstr(buf_str(&c.raw), "\"not_found\""));
    sse_close(&c);
}

static void test_bad_resume_point_is_400(void **state)
{
    struct fixture *f = *state;
    append_range(f, 1, 1);
    static const char *cases[][2] = {
        {"", "Last-Event-ID: abc"}, {"", "Last-Event-ID: -1"}, {"?since=x", NULL},
        {"?since=-5", NULL},        {"?since=", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[128];
        stream_path(f, path, sizeof path, cases[i][0]);
        struct sse_client c;
        sse_open(f, &c, path, cases[i][1]);
        sse_pump(&c, 1, WAIT_MS);
        if (!c.is_done || sse_status(&c) != 400)
            fail_msg("%s %s: status %ld", path, cases[i][1] ? cases[i][1] : "",
                     sse_status(&c));
        assert_non_null(strstr(buf_str(&c.raw), "\"bad_parameter\""));
        sse_close(&c);
    }
}

static void test_many_streams_each_get_every_event(void **state)
{
    struct fixture *f = *state;
    append_range(f, 1, 2);
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    enum { N = 5 };
    struct sse_client c[N];
    for (int i = 0; i < N; i++) {
        sse_open(f, &c[i], path, NULL);
        sse_pump(&c[i], 2, WAIT_MS);
    }
    append_range(f, 3, 10);
    for (int i = 0; i < N; i++) {
        sse_pump(&c[i], 10, WAIT_MS);
        assert_ids(&c[i], 1, 10);
    }
    assert_int_equal(hub_subscriber_count(f->hub), N);
    for (int i = 0; i < N; i++)
        sse_close(&c[i]);
}

static void test_disconnected_stream_leaves_the_hub(void **state)
{
    struct fixture *f = *state;
    append_range(f, 1, 1);
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    struct sse_client c;
    sse_open(f, &c, path, NULL);
    sse_pump(&c, 1, WAIT_MS);
    assert_int_equal(hub_subscriber_count(f->hub), 1);
    sse_close(&c);
    /* A suspended stream notices the vanished client when it next writes
     * (the first write after the peer closed may still succeed). */
    int64_t deadline = clock_mono_ms() + WAIT_MS, n = 2;
    while (hub_subscriber_count(f->hub) > 0 && clock_mono_ms() < deadline) {
        append_range(f, n, n);
        n++;
        usleep(20000);
    }
    assert_int_equal(hub_subscriber_count(f->hub), 0);
    assert_int_equal(server_active_requests(f->srv), 0);
}

static void test_instance_live_stream(void **state)
{
    struct fixture *f = *state;
    struct sse_client c;
    sse_open(f, &c, "/api/live", NULL);
    sse_pump(&c, 1, QUIET_MS);
    assert_int_equal(sse_status(&c), 200);
    assert_int_equal(c.n, 0);
    assert_int_equal(append(f, INSTANCE_LOG, 1, EVENT_PUBLIC), 1);
    assert_int_equal(append(f, INSTANCE_LOG, 2, EVENT_PUBLIC), 2);
    sse_pump(&c, 2, WAIT_MS);
    assert_ids(&c, 1, 2);
    sse_close(&c);
}

static void test_server_stop_ends_open_streams(void **state)
{
    struct fixture *f = *state;
    append_range(f, 1, 2);
    char path[128];
    stream_path(f, path, sizeof path, NULL);
    struct sse_client a, b;
    sse_open(f, &a, path, NULL);
    sse_pump(&a, 2, WAIT_MS);
    assert_ids(&a, 1, 2);
    sse_open(f, &b, "/api/live", NULL);
    sse_pump(&b, 1, QUIET_MS); /* connected and suspended, nothing to send */
    assert_true(b.has_retry);
    /* Two streams, each counted once: a stream handed to the epoll writer
     * is counted there once libmicrohttpd has let its connection go, which
     * may take a moment on a loaded machine. */
    for (int64_t end = clock_mono_ms() + WAIT_MS;
         server_active_requests(f->srv) != 2 && clock_mono_ms() < end;)
        usleep(10000);
    assert_int_equal(server_active_requests(f->srv), 2);

    int64_t t0 = clock_mono_ms();
    server_stop(f->srv, 5000);
    f->srv = NULL;
    int64_t took_ms = clock_mono_ms() - t0;
    if (took_ms >= 5000)
        fail_msg("server_stop waited the whole grace period (%lld ms)", (long long)took_ms);

    sse_pump(&a, 1000, WAIT_MS);
    sse_pump(&b, 1000, WAIT_MS);
    assert_true(a.is_done);
    assert_true(b.is_done);
    /* A clean end of the chunked body, not a reset or a timeout. */
    if (a.result != CURLE_OK || b.result != CURLE_OK)
        fail_msg("streams ended with '%s' and '%s'", curl_easy_strerror(a.result),
                 curl_easy_strerror(b.result));
    assert_ids(&a, 1, 2);
    sse_close(&a);
    sse_close(&b);
}

int main(void)
{
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT))
        return 1;
    diag_set_level(DIAG_ERROR);
    diag_init_from_env();
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define T8(name) cmocka_unit_test_setup_teardown(name, setup_small_ring, teardown)
#define TB(name) cmocka_unit_test_setup_teardown(name, setup_byte_bound, teardown)
    const struct CMUnitTest tests[] = {
        T(test_stream_sends_stored_then_live_events_in_order),
        T(test_resume_with_last_event_id_gets_exactly_the_missed),
        T(test_resume_with_since_query),
        T(test_resume_within_the_ring_while_others_follow),
        T8(test_catch_up_from_zero_past_a_small_ring),
        T8(test_live_burst_larger_than_the_ring_arrives_whole),
        TB(test_byte_bound_live_burst_arrives_whole),
        TB(test_resume_older_than_a_byte_bound_ring),
        T(test_public_stream_skips_staff_events),
        T(test_stream_of_unknown_meeting_is_404),
        T(test_bad_resume_point_is_400),
        T(test_many_streams_each_get_every_event),
        T(test_disconnected_stream_leaves_the_hub),
        T(test_instance_live_stream),
        T(test_server_stop_ends_open_streams),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
