/* test_util.c — the small modules everything stands on: UTF-8 validation,
 * ids and hex, the growable buffer, token-bucket rate limits and the
 * server's configuration (defaults, file, environment, listen addresses). */
#include "testutil.h"

#include <sodium.h>

#include "ops/config.h"
#include "util/buf.h"
#include "util/ids.h"
#include "util/ratelimit.h"
#include "util/utf8.h"

/* ---- utf8 ---- */

struct utf8_case {
    const char *what;
    const char *bytes;
    size_t len;
    bool is_valid;
};

#define U(what, s, ok) {what, s, sizeof(s) - 1, ok}

static const struct utf8_case utf8_cases[] = {
    U("empty", "", true),
    U("ascii", "Hello, world", true),
    U("polish", "Zażółć gęślą jaźń — uchwała nr 5/2026", true),
    U("embedded NUL is well-formed", "a\0b", true),
    U("two-byte lowest U+0080", "\xC2\x80", true),
    U("three-byte lowest U+0800", "\xE0\xA0\x80", true),
    U("last before surrogates U+D7FF", "\xED\x9F\xBF", true),
    U("first after surrogates U+E000", "\xEE\x80\x80", true),
    U("four-byte lowest U+10000", "\xF0\x90\x80\x80", true),
    U("highest U+10FFFF", "\xF4\x8F\xBF\xBF", true),
    U("emoji", "\xF0\x9F\x97\xB3\xEF\xB8\x8F", true),
    U("overlong NUL C0 80", "\xC0\x80", false),
    U("overlong C1 BF", "\xC1\xBF", false),
    U("overlong three-byte E0 80 80", "\xE0\x80\x80", false),
    U("overlong three-byte E0 9F BF", "\xE0\x9F\xBF", false),
    U("overlong four-byte F0 80 80 80", "\xF0\x80\x80\x80", false),
    U("overlong four-byte F0 8F BF BF", "\xF0\x8F\xBF\xBF", false),
    U("high surrogate ED A0 80", "\xED\xA0\x80", false),
    U("low surrogate ED BF BF", "\xED\xBF\xBF", false),
    U("above U+10FFFF F4 90 80 80", "\xF4\x90\x80\x80", false),
    U("lead F5", "\xF5\x80\x80\x80", false),
    U("lead FF", "\xFF", false),
    U("lone continuation", "\x80", false),
    U("continuation after ascii", "a\xBF", false),
    U("truncated two-byte", "\xC5", false),
    U("truncated two-byte before ascii", "\xC5" "a", false),
    U("truncated three-byte", "\xE2\x82", false),
    U("truncated four-byte", "\xF0\x9F\x98", false),
    U("truncated at end of polish", "za\xC5", false),
    U("bad second continuation", "\xE2\x82\x41", false),
};

static void test_utf8_validity_table(void **state)
{
    for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        const struct utf8_case *c = &utf8_cases[i];
        if (utf8_is_valid(c->bytes, c->len) != c->is_valid)
            fail_msg("utf8_is_valid(%s) should be %s", c->what, c->is_valid ? "true" : "false");
    }
}

static void test_utf8_is_valid_respects_length(void **state)
{
    /* Only the first len bytes count: a cut in the middle of a sequence is invalid. */
    const char *s = "ż";
    assert_true(utf8_is_valid(s, 2));
    assert_false(utf8_is_valid(s, 1));
    assert_true(utf8_is_valid(s, 0));
}

static void test_utf8_is_text_single_line(void **state)
{
    assert_true(utf8_is_text("Rada Gminy Żółkiewka", strlen("Rada Gminy Żółkiewka"), false));
    assert_true(utf8_is_text("", 0, false));
    assert_false(utf8_is_text("a\nb", 3, false));
    assert_false(utf8_is_text("a\tb", 3, false));
    assert_false(utf8_is_text("a\rb", 3, false));
    assert_false(utf8_is_text("a\0b", 3, false));
    assert_false(utf8_is_text("a\x1b[31m", 6, false));
    assert_false(utf8_is_text("a\x7f", 2, false));
    assert_false(utf8_is_text("\xC0\x80", 2, false));
}

static void test_utf8_is_text_multi_line(void **state)
{
    assert_true(utf8_is_text("line one\nline two", 17, true));
    assert_true(utf8_is_text("a\tb", 3, true));
    assert_true(utf8_is_text("a\r\nb", 4, true));
    assert_false(utf8_is_text("a\0b", 3, true));
    assert_false(utf8_is_text("\x1b", 1, true));
    assert_false(utf8_is_text("\x07", 1, true));
    assert_false(utf8_is_text("x\x7f", 2, true));
    assert_false(utf8_is_text("ok\n\xED\xA0\x80", 6, true));
}

static void test_utf8_is_text_refuses_c1_controls(void **state)
{
    /* U+0085 (NEL) and U+009B (CSI) are control characters too (Unicode Cc). */
    assert_false(utf8_is_text("a\xC2\x85" "b", 4, false));
    assert_false(utf8_is_text("a\xC2\x9B" "31m", 6, true));
}

static void test_utf8_length_counts_code_points(void **state)
{
    assert_int_equal(utf8_length("", 0), 0);
    assert_int_equal(utf8_length("abc", 3), 3);
    assert_int_equal(utf8_length("zażółć", strlen("zażółć")), 6);
    assert_int_equal(strlen("zażółć"), 10);
    assert_int_equal(utf8_length("\xF0\x9F\x98\x80", 4), 1);
    assert_int_equal(utf8_length("\xE2\x82\xAC" "5", 4), 2);
}

/* ---- ids and hex ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void test_id_new_has_the_documented_format(void **state)
{
    for (int i = 0; i < 1000; i++) {
        char id[ID_SIZE];
        id_new(id);
        assert_int_equal(strlen(id), ID_LEN);
        for (size_t j = 0; j < ID_LEN; j++)
            assert_non_null(strchr("0123456789abcdefghjkmnpqrstvwxyz", id[j]));
        assert_true(id_is_valid(id));
    }
}

static void test_id_new_is_unique_over_10k(void **state)
{
    enum { N = 10000 };
    char(*ids)[ID_SIZE] = calloc(N, ID_SIZE);
    assert_non_null(ids);
    for (int i = 0; i < N; i++)
        id_new(ids[i]);
    qsort(ids, N, ID_SIZE, cmp_str);
    for (int i = 1; i < N; i++)
        if (!strcmp(ids[i - 1], ids[i]))
            fail_msg("duplicate id %s", ids[i]);
    free(ids);
}

static void test_id_is_valid_rejects_malformed(void **state)
{
    assert_true(id_is_valid("0123456789abcdefghjk"));
    assert_false(id_is_valid(NULL));
    assert_false(id_is_valid(""));
    assert_false(id_is_valid("0123456789abcdefghj"));   /* 19 */
    assert_false(id_is_valid("0123456789abcdefghjkm")); /* 21 */
    assert_false(id_is_valid("0123456789ABCDEFGHJK"));  /* uppercase */
    assert_false(id_is_valid("0123456789abcdefghjA"));
    assert_false(id_is_valid("0123456789abcdefghji")); /* ambiguous letters */
    assert_false(id_is_valid("0123456789abcdefghjl"));
    assert_false(id_is_valid("0123456789abcdefghjo"));
    assert_false(id_is_valid("0123456789abcdefghju"));
    assert_false(id_is_valid("0123456789abcdefghj-"));
    assert_false(id_is_valid("0123456789abcdefghj/"));
    assert_false(id_is_valid("0123456789abcdefghj "));
    assert_false(id_is_valid("012345678\0abcdefghjk"));
}

static void test_hex_round_trip(void **state)
{
    unsigned char in[32], out[32];
    char hex[65];
    randombytes_buf(in, sizeof in);
    hex_encode(hex, in, sizeof in);
    assert_int_equal(strlen(hex), 64);
    for (size_t i = 0; i < 64; i++)
        assert_non_null(strchr("0123456789abcdef", hex[i]));
    assert_int_equal(hex_decode(out, sizeof out, hex), 0);
    assert_memory_equal(in, out, sizeof in);

    unsigned char known[] = {0x00, 0x7f, 0xab, 0xff};
    hex_encode(hex, known, sizeof known);
    assert_string_equal(hex, "007fabff");
    assert_int_equal(hex_decode(out, 4, "007FABFF"), 0);
    assert_memory_equal(out, known, 4);
    hex_encode(hex, known, 0);
    assert_string_equal(hex, "");
}

static void test_hex_decode_rejects_bad_hex(void **state)
{
    unsigned char out[4];
    assert_int_equal(hex_decode(out, 2, "zz00"), -1);
    assert_int_equal(hex_decode(out, 2, "0g00"), -1);
    assert_int_equal(hex_decode(out, 2, "abc"), -1);   /* too short */
    assert_int_equal(hex_decode(out, 2, "abcde"), -1); /* odd, too long */
    assert_int_equal(hex_decode(out, 2, "abcdef"), -1);
    assert_int_equal(hex_decode(out, 2, ""), -1);
    assert_int_equal(hex_decode(out, 2, " abc"), -1);
    assert_int_equal(hex_decode(out, 0, ""), 0);
}

/* ---- buf ---- */

static void test_buf_append_grows_and_stays_terminated(void **state)
{
    struct buf b = BUF_INIT;
    assert_string_equal(buf_str(&b), "");
    char chunk[100];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 1000; i++) {
        buf_append(&b, chunk, sizeof chunk);
        assert_int_equal(b.len, (size_t)(i + 1) * sizeof chunk);
        assert_true(b.cap > b.len);
        assert_int_equal(b.p[b.len], '\0');
    }
    assert_int_equal(strlen(buf_str(&b)), 100000);
    assert_false(buf_failed(&b));
    buf_putc(&b, '!');
    buf_puts(&b, "end");
    assert_string_equal(b.p + 100000, "!end");
    buf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
}

static void test_buf_printf_grows(void **state)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s=%d;", "seq", 42);
    assert_string_equal(buf_str(&b), "seq=42;");
    char big[5000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_printf(&b, "[%s]", big);
    assert_int_equal(b.len, 7 + 2 + 4999);
    assert_int_equal(b.p[7], '[');
    assert_int_equal(b.p[b.len - 1], ']');
    assert_int_equal(b.p[b.len], '\0');
    buf_printf(&b, "%lld", (long long)-1);
    assert_string_equal(b.p + b.len - 2, "-1");
    buf_free(&b);
}

static void test_buf_put_html_escapes(void **state)
{
    struct buf b = BUF_INIT;
    buf_put_html(&b, "<a href=\"x\">'Tom & Jerry'</a> — żółw");
    assert_string_equal(buf_str(&b), "&lt;a href=&quot;x&quot;&gt;&#39;Tom &amp; Jerry&#39;"
                                     "&lt;/a&gt; — żółw");
    buf_free(&b);
}

static void test_buf_take_hands_over_and_empties(void **state)
{
    struct buf b = BUF_INIT;
    buf_puts(&b, "hello");
    char *s = buf_take(&b);
    assert_string_equal(s, "hello");
    assert_null(b.p);
    assert_int_equal(b.len, 0);
    free(s);
    /* An empty buf still gives an owned empty string, and b is usable again. */
    s = buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    buf_puts(&b, "again");
    assert_string_equal(buf_str(&b), "again");
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
}

/* ---- ratelimit ---- */

static void test_ratelimit_burst_then_refusal(void **state)
{
    struct ratelimit *rl = ratelimit_new(1.0, 10, 100);
    assert_non_null(rl);
    unsigned retry = 0;
    for (int i = 0; i < 10; i++)
        assert_true(ratelimit_take(rl, "10.0.0.1", 1000, &retry));
    assert_false(ratelimit_take(rl, "10.0.0.1", 1000, &retry));
    assert_int_equal(retry, 1);
    assert_false(ratelimit_take(rl, "10.0.0.1", 1000, NULL));
    ratelimit_free(rl);
}

static void test_ratelimit_retry_after_follows_rate(void **state)
{
    struct ratelimit *rl = ratelimit_new(0.2, 1, 100); /* one per 5 s */
    unsigned retry = 0;
    assert_true(ratelimit_take(rl, "k", 0, &retry));
    assert_false(ratelimit_take(rl, "k", 0, &retry));
    assert_int_equal(retry, 5);
    assert_false(ratelimit_take(rl, "k", 2000, &retry));
    assert_int_equal(retry, 3);
    assert_true(ratelimit_take(rl, "k", 5000, &retry));
    ratelimit_free(rl);
}

static void test_ratelimit_refills_over_time(void **state)
{
    struct ratelimit *rl = ratelimit_new(2.0, 4, 100);
    int64_t t = 50000;
    for (int i = 0; i < 4; i++)
        assert_true(ratelimit_take(rl, "k", t, NULL));
    assert_false(ratelimit_take(rl, "k", t, NULL));
    assert_false(ratelimit_take(rl, "k", t + 499, NULL)); /* 0.998 tokens */
    assert_true(ratelimit_take(rl, "k", t + 500, NULL));
    assert_false(ratelimit_take(rl, "k", t + 500, NULL));
    /* A long pause refills only up to the burst. */
    t += 60000;
    for (int i = 0; i < 4; i++)
        assert_true(ratelimit_take(rl, "k", t, NULL));
    assert_false(ratelimit_take(rl, "k", t, NULL));
    ratelimit_free(rl);
}

static void test_ratelimit_keys_are_independent(void **state)
{
    struct ratelimit *rl = ratelimit_new(1.0, 2, 100);
    assert_true(ratelimit_take(rl, "a", 0, NULL));
    assert_true(ratelimit_take(rl, "a", 0, NULL));
    assert_false(ratelimit_take(rl, "a", 0, NULL));
    assert_true(ratelimit_take(rl, "b", 0, NULL));
    assert_true(ratelimit_take(rl, "b", 0, NULL));
    assert_false(ratelimit_take(rl, "b", 0, NULL));
    assert_true(ratelimit_take(rl, "", 0, NULL));
    ratelimit_free(rl);
}

static void test_ratelimit_full_table_refuses_new_keys(void **state)
{
    struct ratelimit *rl = ratelimit_new(1.0, 5, 2);
    unsigned retry = 0;
    assert_true(ratelimit_take(rl, "a", 0, NULL));
    assert_true(ratelimit_take(rl, "b", 0, NULL));
    /* Neither a nor b is idle: a third key is refused rather than the table grown. */
    assert_false(ratelimit_take(rl, "c", 0, &retry));
    assert_int_equal(retry, 1);
    /* Known keys still get their tokens. */
    assert_true(ratelimit_take(rl, "a", 0, NULL));
    ratelimit_free(rl);
}

static void test_ratelimit_full_table_forgets_idle_keys(void **state)
{
    struct ratelimit *rl = ratelimit_new(1.0, 5, 2);
    assert_true(ratelimit_take(rl, "a", 0, NULL));
    assert_true(ratelimit_take(rl, "b", 0, NULL));
    /* At 10 s both buckets are full again, so they are forgotten for c. */
    assert_true(ratelimit_take(rl, "c", 10000, NULL));
    assert_true(ratelimit_take(rl, "d", 10000, NULL));
    assert_false(ratelimit_take(rl, "e", 10000, NULL));
    ratelimit_free(rl);
}

/* ---- config ---- */

static void test_config_defaults(void **state)
{
    struct config c;
    config_defaults(&c);
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.data_dir, "./var");
    assert_string_equal(c.web_dir, "./web");
    assert_string_equal(c.log_level, "info");
    assert_string_equal(c.tls_cert, "");
    assert_string_equal(c.tls_key, "");
    assert_string_equal(c.public_origin, "");
    assert_int_equal(c.threads, 0);
    assert_int_equal(c.max_connections, 0);
    assert_false(c.demo);
}

static char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    assert_non_null(path);
    sprintf(path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_config_file_sets_keys(void **state)
{
    char *dir = testutil_tmpdir();
    char *path = write_file(dir, "obrady.conf",
                            "# obrady settings\n"
                            "\n"
                            "listen = 0.0.0.0:9090\n"
                            "   data=/srv/obrady   \n"
                            "\t# indented comment\n"
                            "web_dir = /srv/web\r\n"
                            "threads = 4\n"
                            "max_connections = 5000\n"
                            "per_ip_connections = 300\n"
                            "connection_memory_kib = 6\n"
                            "idle_timeout_s = 30\n"
                            "log_level = debug\n"
                            "tls_cert = /etc/cert.pem\n"
                            "tls_key = /etc/key.pem\n");
    struct config c;
    config_defaults(&c);
    char err[256] = "";
    assert_int_equal(config_load_file(&c, path, err, sizeof err), 0);
    assert_string_equal(c.listen, "0.0.0.0:9090");
    assert_string_equal(c.data_dir, "/srv/obrady");
    assert_string_equal(c.web_dir, "/srv/web");
    assert_int_equal(c.threads, 4);
    assert_int_equal(c.max_connections, 5000);
    assert_int_equal(c.per_ip_connections, 300);
    assert_int_equal(c.connection_memory_kib, 6);
    assert_int_equal(c.idle_timeout_s, 30);
    assert_string_equal(c.log_level, "debug");
    assert_string_equal(c.tls_cert, "/etc/cert.pem");
    assert_string_equal(c.tls_key, "/etc/key.pem");
    free(path);
    testutil_rmdir(dir);
}

/* The limits of issue 18: defaults sized for a 100-member meeting, each key
 * settable within its bounds, a bad value refused. */
static void test_config_limits(void **state)
{
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.limits.chat_per_user_min, 12);
    assert_int_equal(c.limits.actions_per_user_min, 30);
    assert_int_equal(c.limits.meeting_writes_per_min, 1200);
    assert_int_equal(c.limits.meeting_log_budget_kib, 65536);
    assert_int_equal(c.limits.access_link_grace_days, 7);
    assert_int_equal(c.limits.access_link_max_age_days, 90);
    assert_int_equal(config_set(&c, "chat_per_user_min", "5"), 0);
    assert_int_equal(c.limits.chat_per_user_min, 5);
    assert_int_equal(config_set(&c, "access_link_grace_days", "0"), 0);
    assert_int_equal(c.limits.access_link_grace_days, 0);
    assert_int_equal(config_set(&c, "chat_per_user_min", "0"), -1);
    assert_int_equal(config_set(&c, "meeting_writes_per_min", "-3"), -1);
    assert_int_equal(config_set(&c, "access_link_max_age_days", "many"), -1);
    assert_int_equal(c.limits.chat_per_user_min, 5);
    assert_int_equal(config_set(&c, "chat_per_user_max", "5"), -1);
    /* The hub's byte bounds (log/hub.h): on by default, never 0. */
    assert_int_equal(c.hub_topic_kib, 256);
    assert_int_equal(c.hub_memory_mib, 64);
    assert_int_equal(config_set(&c, "hub_topic_kib", "64"), 0);
    assert_int_equal(config_set(&c, "hub_memory_mib", "512"), 0);
    assert_int_equal(c.hub_topic_kib, 64);
    assert_int_equal(c.hub_memory_mib, 512);
    assert_int_equal(config_set(&c, "hub_topic_kib", "0"), -1);
    assert_int_equal(config_set(&c, "hub_memory_mib", "0"), -1);
    assert_int_equal(config_set(&c, "hub_memory_mib", "65537"), -1);
    assert_int_equal(c.hub_topic_kib, 64); /* a refused value changes nothing */
    assert_int_equal(c.hub_memory_mib, 512);
    /* The meeting-state cache's byte bound (api/meeting_cache.h). */
    assert_int_equal(c.meeting_cache_mib, 256);
    assert_int_equal(config_set(&c, "meeting_cache_mib", "1024"), 0);
    assert_int_equal(config_set(&c, "meeting_cache_mib", "0"), -1);
    assert_int_equal(c.meeting_cache_mib, 1024);
    /* A refused 0 (e.g. from the environment, whose errors are not fatal)
     * leaves the value as it was, not 0. */
    assert_int_equal(config_set(&c, "sms_retry_s", "30"), 0);
    unsigned keep = c.backup_keep;
    assert_true(keep > 0);
    assert_int_equal(config_set(&c, "backup_keep", "0"), -1);
    assert_int_equal(config_set(&c, "sms_retry_s", "0"), -1);
    assert_int_equal(c.backup_keep, keep);
    assert_int_equal(c.sms_retry_s, 30);
}

static void test_config_file_unknown_key_names_file_and_line(void **state)
{
    char *dir = testutil_tmpdir();
    char *path = write_file(dir, "bad.conf", "# comment\n\nlisten = 127.0.0.1:1\ncolour = blue\n");
    struct config c;
    config_defaults(&c);
    char err[600] = "";
    assert_int_equal(config_load_file(&c, path, err, sizeof err), -1);
    char want[600];
    snprintf(want, sizeof want, "%s:4:", path);
    if (strncmp(err, want, strlen(want)))
        fail_msg("error '%s' does not start with '%s'", err, want);
    assert_non_null(strstr(err, "colour"));
    free(path);
    testutil_rmdir(dir);
}

static void test_config_file_bad_lines_are_errors(void **state)
{
    char *dir = testutil_tmpdir();
    struct config c;
    char err[600];
    char want[600];

    char *path = write_file(dir, "noeq.conf", "listen 127.0.0.1:1\n");
    config_defaults(&c);
    assert_int_equal(config_load_file(&c, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:1:", path);
    assert_int_equal(strncmp(err, want, strlen(want)), 0);
    free(path);

    path = write_file(dir, "badnum.conf", "\nthreads = many\n");
    config_defaults(&c);
    assert_int_equal(config_load_file(&c, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:2:", path);
    assert_int_equal(strncmp(err, want, strlen(want)), 0);
    free(path);

    path = write_file(dir, "neg.conf", "threads = -1\n");
    config_defaults(&c);
    assert_int_equal(config_load_file(&c, path, err, sizeof err), -1);
    free(path);

    config_defaults(&c);
    assert_int_equal(config_load_file(&c, "/nonexistent/obrady.conf", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/obrady.conf"));
    testutil_rmdir(dir);
}

static void test_config_set_rejects_out_of_range(void **state)
{
    struct config c;
    config_defaults(&c);
    assert_int_equal(config_set(&c, "threads", "256"), 0);
    assert_int_equal(config_set(&c, "threads", "257"), -1);
    assert_int_equal(config_set(&c, "threads", "4x"), -1);
    assert_int_equal(config_set(&c, "threads", ""), -1);
    assert_int_equal(c.threads, 256);
    char longv[CONFIG_PATH_MAX + 10];
    memset(longv, 'a', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    assert_int_equal(config_set(&c, "data", longv), -1);
    assert_string_equal(c.data_dir, "./var");
    assert_int_equal(config_set(&c, "nope", "1"), -1);
    assert_int_equal(config_set(&c, "database", "mysql://x"), -1);
    assert_string_equal(c.database, "");
    assert_int_equal(config_set(&c, "database", "postgresql://u:p@h:5432/d"), 0);
    assert_string_equal(c.database, "postgresql://u:p@h:5432/d");
}

static void test_config_split_listen(void **state)
{
    char host[64];
    unsigned port = 1;
    assert_int_equal(config_split_listen("127.0.0.1:8080", host, sizeof host, &port), 0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 8080);
    assert_int_equal(config_split_listen("[::1]:0", host, sizeof host, &port), 0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 0);
    assert_int_equal(config_split_listen("localhost:65535", host, sizeof host, &port), 0);
    assert_string_equal(host, "localhost");
    assert_int_equal(port, 65535);
}

static void test_config_split_listen_rejects_bad(void **state)
{
    static const char *bad[] = {"x",  ":80",         "h:99999", "h:-1",  "h:",
                                "h:8a", "[::1]",     "[::1]80", "[]:80", "h:65536",
                                "",   "[::1:80"};
    char host[64];
    unsigned port;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (config_split_listen(bad[i], host, sizeof host, &port) != -1)
            fail_msg("config_split_listen accepted '%s'", bad[i]);
    char tiny[4];
    assert_int_equal(config_split_listen("127.0.0.1:80", tiny, sizeof tiny, &port), -1);
}

static void test_config_env_overrides(void **state)
{
    struct config c;
    config_defaults(&c);
    config_set(&c, "listen", "10.0.0.1:1");
    setenv("OBRADY_LISTEN", "[::]:8443", 1);
    setenv("OBRADY_DATA", "/tmp/obrady-env", 1);
    config_apply_env(&c);
    unsetenv("OBRADY_LISTEN");
    unsetenv("OBRADY_DATA");
    assert_string_equal(c.listen, "[::]:8443");
    assert_string_equal(c.data_dir, "/tmp/obrady-env");

    /* Empty variables change nothing. */
    config_defaults(&c);
    setenv("OBRADY_LISTEN", "", 1);
    config_apply_env(&c);
    unsetenv("OBRADY_LISTEN");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.data_dir, "./var");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_validity_table),
        cmocka_unit_test(test_utf8_is_valid_respects_length),
        cmocka_unit_test(test_utf8_is_text_single_line),
        cmocka_unit_test(test_utf8_is_text_multi_line),
        cmocka_unit_test(test_utf8_is_text_refuses_c1_controls),
        cmocka_unit_test(test_utf8_length_counts_code_points),
        cmocka_unit_test(test_id_new_has_the_documented_format),
        cmocka_unit_test(test_id_new_is_unique_over_10k),
        cmocka_unit_test(test_id_is_valid_rejects_malformed),
        cmocka_unit_test(test_hex_round_trip),
        cmocka_unit_test(test_hex_decode_rejects_bad_hex),
        cmocka_unit_test(test_buf_append_grows_and_stays_terminated),
        cmocka_unit_test(test_buf_printf_grows),
        cmocka_unit_test(test_buf_put_html_escapes),
        cmocka_unit_test(test_buf_take_hands_over_and_empties),
        cmocka_unit_test(test_ratelimit_burst_then_refusal),
        cmocka_unit_test(test_ratelimit_retry_after_follows_rate),
        cmocka_unit_test(test_ratelimit_refills_over_time),
        cmocka_unit_test(test_ratelimit_keys_are_independent),
        cmocka_unit_test(test_ratelimit_full_table_refuses_new_keys),
        cmocka_unit_test(test_ratelimit_full_table_forgets_idle_keys),
        cmocka_unit_test(test_config_defaults),
        cmocka_unit_test(test_config_file_sets_keys),
        cmocka_unit_test(test_config_limits),
        cmocka_unit_test(test_config_file_unknown_key_names_file_and_line),
        cmocka_unit_test(test_config_file_bad_lines_are_errors),
        cmocka_unit_test(test_config_set_rejects_out_of_range),
        cmocka_unit_test(test_config_split_listen),
        cmocka_unit_test(test_config_split_listen_rejects_bad),
        cmocka_unit_test(test_config_env_overrides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
