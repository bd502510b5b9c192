/* test_log_hash_fast.c — the hash of a stored event written around its
 * stored payload equals log_compute_hash's, for payloads with Polish
 * letters, escapes, nesting and negative numbers; unusual fields are left
 * to log_compute_hash. */
#include "testutil.h"

#include <jansson.h>
#include <sodium.h>

#include "log/eventlog.h"

static void test_the_fast_hash_equals_the_canonical_one(void **state)
{
    const char *payloads[] = {
        "{}",
        "{\"name\":\"Zofia Żółkiewska\",\"choice\":\"za\"}",
        "{\"text\":\"cudzysłów \\\" i ukośnik \\\\ i\\nnowa linia\\u0001\",\"n\":-5}",
        "{\"b\":[1,2,{\"z\":null,\"a\":true}],\"a\":{\"y\":\"x\"}}",
    };
    for (size_t i = 0; i < sizeof payloads / sizeof *payloads; i++) {
        json_t *p = json_loads(payloads[i], 0, NULL);
        assert_non_null(p);
        char *canon = log_canonical_json(p); /* as log_append stores it */
        json_decref(p);
        char slow[EVENT_HASH_HEX + 1], fast[EVENT_HASH_HEX + 1];
        assert_int_equal(log_compute_hash("01JMEETING", 7, 1796351400123, "01JUSER", "chat.message",
                                          canon, 1, LOG_GENESIS_HASH, slow),
                         0);
        assert_true(log_hash_stored("01JMEETING", 7, 1796351400123, "01JUSER", "chat.message",
                                    canon, 1, LOG_GENESIS_HASH, fast));
        assert_string_equal(fast, slow);
        free(canon);
    }
}

static void test_fields_that_need_escaping_are_left_to_the_slow_path(void **state)
{
    char out[EVENT_HASH_HEX + 1];
    assert_false(log_hash_stored("m", 1, 1, "a\"b", "t", "{}", 0, LOG_GENESIS_HASH, out));
    assert_false(log_hash_stored("m", 1, 1, "Żaneta", "t", "{}", 0, LOG_GENESIS_HASH, out));
    assert_false(log_hash_stored("m", 1, 1, "a", "t", "[]", 0, LOG_GENESIS_HASH, out));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_fast_hash_equals_the_canonical_one),
        cmocka_unit_test(test_fields_that_need_escaping_are_left_to_the_slow_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
