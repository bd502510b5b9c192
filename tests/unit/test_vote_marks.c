/* test_vote_marks.c — vote_mark_named (api/vote_json.c), the one helper
 * behind the hand-entry and proxy marks on a named list: the exact bytes a
 * marked row serializes to (GET /api/votes/{id} answers must not change),
 * rows without a mark or a user id left alone, out of memory reported. */
#include "testutil.h"

#include <jansson.h>

#include "api/proxies.h"
#include "util/err.h"

static json_t *rows(void)
{
    return json_loads("[{\"user_id\":\"a\",\"name\":\"A\",\"choice\":\"yes\"},"
                      "{\"user_id\":\"b\",\"name\":\"B\",\"choice\":\"no\"},"
                      "{\"name\":\"nobody\"}]",
                      0, NULL);
}

static void assert_dump(json_t *j, const char *want)
{
    char *s = json_dumps(j, JSON_COMPACT);
    assert_non_null(s);
    assert_string_equal(s, want);
    free(s);
}

static void test_hand_marks_set_the_value(void **state)
{
    json_t *named = rows();
    json_t *by = json_pack("{s:s}", "b", "op-1");
    assert_int_equal(vote_mark_named(named, by, "by_hand", "entered_by", NULL), 0);
    assert_dump(named, "[{\"user_id\":\"a\",\"name\":\"A\",\"choice\":\"yes\"},"
                       "{\"user_id\":\"b\",\"name\":\"B\",\"choice\":\"no\",\"by_hand\":true,"
                       "\"entered_by\":\"op-1\"},{\"name\":\"nobody\"}]");
    json_decref(named);
}

static void test_proxy_marks_copy_the_fields(void **state)
{
    static const char *const copy[] = {"cast_by", "cast_by_name", NULL};
    json_t *named = rows();
    json_t *by = json_pack("{s:{s:s, s:s, s:s}}", "a", "proxy_id", "p-1", "cast_by_name",
                           "Holder", "cast_by", "h-1");
    assert_int_equal(vote_mark_named(named, by, "by_proxy", NULL, copy), 0);
    /* The listed fields only, in the listed order (not the map's). */
    assert_dump(named, "[{\"user_id\":\"a\",\"name\":\"A\",\"choice\":\"yes\",\"by_proxy\":true,"
                       "\"cast_by\":\"h-1\",\"cast_by_name\":\"Holder\"},"
                       "{\"user_id\":\"b\",\"name\":\"B\",\"choice\":\"no\"},{\"name\":\"nobody\"}]");
    json_decref(named);
}

static void test_both_marks_on_one_list(void **state)
{
    static const char *const copy[] = {"cast_by", "cast_by_name", NULL};
    json_t *named = rows();
    assert_int_equal(vote_mark_named(named, json_pack("{s:s}", "a", "op-1"), "by_hand",
                                     "entered_by", NULL),
                     0);
    assert_int_equal(vote_mark_named(named,
                                     json_pack("{s:{s:s, s:s}}", "b", "cast_by", "h-2",
                                               "cast_by_name", "Two"),
                                     "by_proxy", NULL, copy),
                     0);
    assert_dump(named, "[{\"user_id\":\"a\",\"name\":\"A\",\"choice\":\"yes\",\"by_hand\":true,"
                       "\"entered_by\":\"op-1\"},{\"user_id\":\"b\",\"name\":\"B\",\"choice\":"
                       "\"no\",\"by_proxy\":true,\"cast_by\":\"h-2\",\"cast_by_name\":\"Two\"},"
                       "{\"name\":\"nobody\"}]");
    json_decref(named);
}

static void test_no_map_is_out_of_memory(void **state)
{
    json_t *named = rows();
    assert_int_equal(vote_mark_named(named, NULL, "by_hand", "entered_by", NULL), OBR_ENOMEM);
    assert_dump(named, "[{\"user_id\":\"a\",\"name\":\"A\",\"choice\":\"yes\"},"
                       "{\"user_id\":\"b\",\"name\":\"B\",\"choice\":\"no\"},{\"name\":\"nobody\"}]");
    json_decref(named);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_marks_set_the_value),
        cmocka_unit_test(test_proxy_marks_copy_the_fields),
        cmocka_unit_test(test_both_marks_on_one_list),
        cmocka_unit_test(test_no_map_is_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
