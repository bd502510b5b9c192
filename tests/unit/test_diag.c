/* test_diag.c — the log lines of util/diag.c: the request line put
 * together by hand (issue 16) reads as the printf version did, in plain
 * text and JSON; line breaks in a path cannot split a line; a long path is
 * cut, never overflowing; nothing is written below the level. While the
 * queue runs, info lines go out in order with the warnings between them,
 * and by the writer thread without anyone stopping it. */
#include "testutil.h"

#include <fcntl.h>
#include <regex.h>
#include <unistd.h>

#include "util/diag.h"

/* Runs fn with stderr sent to a file; returns what it wrote (malloc'd). */
static char *captured(void (*fn)(void))
{
    char path[] = "/tmp/obrady-diag-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    int saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    fn();
    dup2(saved, STDERR_FILENO);
    close(saved);
    off_t len = lseek(fd, 0, SEEK_END);
    char *out = calloc(1, (size_t)len + 1);
    assert_non_null(out);
    assert_int_equal(pread(fd, out, (size_t)len, 0), len);
    close(fd);
    return out;
}

static bool matches(const char *s, const char *re)
{
    regex_t r;
    assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
    bool ok = !regexec(&r, s, 0, NULL, 0);
    regfree(&r);
    return ok;
}

static void plain_lines(void)
{
    diag_set_json(false);
    diag_set_level(DIAG_INFO);
    diag_request("POST", "/api/votes/x/ballots", 201, 8.25, "127.0.0.1", true);
    diag_request("GET", "/a\nb\rc", 404, 1234.04, "::1", false);
    diag(DIAG_WARN, "plain %d", 7);
    diag_set_level(DIAG_WARN);
    diag_request("GET", "/quiet", 200, 1.0, "127.0.0.1", true);
    diag_set_level(DIAG_INFO);
}

static void test_request_line_plain(void **state)
{
    char *out = captured(plain_lines);
    const char *stamp = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z";
    char re[512];
    snprintf(re, sizeof re, "^%s info POST /api/votes/x/ballots 201 8\\.[23]ms from 127\\.0\\.0\\.1\n"
             "%s info GET /a b c 404 1234\\.0ms from ::1 \\(connection ended early\\)\n"
             "%s warn plain 7\n$", stamp, stamp, stamp);
    assert_true(matches(out, re));
    assert_null(strstr(out, "quiet"));
    free(out);
}

static void json_lines(void)
{
    diag_set_json(true);
    diag_request("DELETE", "/api/x\"y", 204, 0.04, "10.0.0.1", true);
    diag_set_json(false);
}

static void test_request_line_json(void **state)
{
    char *out = captured(json_lines);
    assert_true(matches(out, "^\\{\"time\":\"[-0-9T:.]+Z\",\"level\":\"info\",\"msg\":\"DELETE "
                             "/api/x\\\\\"y 204 0\\.0ms from 10\\.0\\.0\\.1\",\"method\":\"DELETE\","
                             "\"path\":\"/api/x\\\\\"y\",\"status\":204,\"ms\":0\\.0,"
                             "\"client\":\"10\\.0\\.0\\.1\"\\}\n$"));
    free(out);
}

static void long_line(void)
{
    static char path[5000];
    memset(path, 'p', sizeof path - 1);
    diag_request("GET", path, 200, 1.0, "127.0.0.1", true);
}

static void test_request_line_long_path_is_cut(void **state)
{
    char *out = captured(long_line);
    size_t len = strlen(out);
    assert_true(len > 1000 && len <= 2048);
    assert_int_equal(out[len - 1], '\n');
    assert_ptr_equal(strchr(out, '\n'), out + len - 1);
    free(out);
}

static void queued_lines(void)
{
    diag_set_json(false);
    assert_int_equal(diag_queue_start(), 0);
    diag_request("GET", "/first", 200, 1.0, "127.0.0.1", true);
    diag(DIAG_WARN, "between");
    diag_request("GET", "/second", 200, 1.0, "127.0.0.1", true);
    diag(DIAG_INFO, "last");
    diag_queue_stop();
}

static void test_queued_lines_keep_order(void **state)
{
    char *out = captured(queued_lines);
    const char *a = strstr(out, "GET /first 200"), *w = strstr(out, "warn between");
    const char *b = strstr(out, "GET /second 200"), *l = strstr(out, "info last");
    assert_true(a && w && b && l);
    assert_true(a < w && w < b && b < l);
    free(out);
}

/* Whether the queued line reached the file before anyone stopped the queue. */
static bool is_seen_unstopped;

static void queued_then_read(void)
{
    assert_int_equal(diag_queue_start(), 0);
    diag_request("GET", "/queued", 200, 1.0, "127.0.0.1", true);
    char got[512] = "";
    for (int i = 0; i < 200 && !strstr(got, "GET /queued 200"); i++) {
        usleep(10000);
        ssize_t n = pread(STDERR_FILENO, got, sizeof got - 1, 0); /* the capture file */
        got[n > 0 ? n : 0] = '\0';
    }
    is_seen_unstopped = strstr(got, "GET /queued 200") != NULL;
    diag_queue_stop();
}

static void test_queued_line_is_written_by_the_writer(void **state)
{
    free(captured(queued_then_read));
    assert_true(is_seen_unstopped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_line_plain),
        cmocka_unit_test(test_request_line_json),
        cmocka_unit_test(test_request_line_long_path_is_cut),
        cmocka_unit_test(test_queued_lines_keep_order),
        cmocka_unit_test(test_queued_line_is_written_by_the_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
