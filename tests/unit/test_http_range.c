/* test_http_range.c — Range header parsing for the recording download:
 * first/last/suffix ranges, clamping to the size, unsatisfiable starts, and
 * everything else (several ranges, other units, garbage) ignored. */
#include "testutil.h"

#include "http/range.h"

static void test_ranges(void **state)
{
    static const struct {
        const char *v;
        uint64_t size;
        enum http_range want;
        uint64_t start, len;
    } t[] = {
        {"bytes=0-99", 1000, HTTP_RANGE_PARTIAL, 0, 100},
        {"bytes=100-", 1000, HTTP_RANGE_PARTIAL, 100, 900},
        {"bytes=-100", 1000, HTTP_RANGE_PARTIAL, 900, 100},
        {"bytes=-5000", 1000, HTTP_RANGE_PARTIAL, 0, 1000},
        {"bytes=990-5000", 1000, HTTP_RANGE_PARTIAL, 990, 10},
        {"bytes=999-999", 1000, HTTP_RANGE_PARTIAL, 999, 1},
        {"bytes=1000-", 1000, HTTP_RANGE_UNSATISFIABLE, 0, 0},
        {"bytes=5000-6000", 1000, HTTP_RANGE_UNSATISFIABLE, 0, 0},
        {"bytes=-0", 1000, HTTP_RANGE_UNSATISFIABLE, 0, 0},
        {"bytes=0-", 0, HTTP_RANGE_UNSATISFIABLE, 0, 0},
        {NULL, 1000, HTTP_RANGE_NONE, 0, 0},
        {"", 1000, HTTP_RANGE_NONE, 0, 0},
        {"items=0-1", 1000, HTTP_RANGE_NONE, 0, 0},
        {"bytes=0-1,5-6", 1000, HTTP_RANGE_NONE, 0, 0},
        {"bytes=5-1", 1000, HTTP_RANGE_NONE, 0, 0},
        {"bytes=-", 1000, HTTP_RANGE_NONE, 0, 0},
        {"bytes=+1-2", 1000, HTTP_RANGE_NONE, 0, 0},
        {"bytes=1-2x", 1000, HTTP_RANGE_NONE, 0, 0},
        {"bytes=99999999999999999999-", 1000, HTTP_RANGE_NONE, 0, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint64_t s = 7, l = 7;
        enum http_range r = http_range_parse(t[i].v, t[i].size, &s, &l);
        if (r != t[i].want)
            fail_msg("%s: got %d, want %d", t[i].v ? t[i].v : "(null)", r, t[i].want);
        if (r == HTTP_RANGE_PARTIAL && (s != t[i].start || l != t[i].len))
            fail_msg("%s: got %llu+%llu", t[i].v, (unsigned long long)s, (unsigned long long)l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
