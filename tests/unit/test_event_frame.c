/* test_event_frame.c — the SSE frame event_new renders from the stored
 * canonical payload text is exactly what encoding the event as JSON gives,
 * for plain and for escaped, multilingual and nested payloads; text that is
 * not a JSON object is refused. */
#include "testutil.h"

#include <jansson.h>

#include "log/event.h"
#include "log/eventlog.h"

static void assert_frame_is_encoding(const char *actor, const char *type, json_t *payload)
{
    char *text = log_canonical_json(payload);
    assert_non_null(text);
    struct event *ev = event_new("mtg1", 42, 1700000000123, actor, type, text, EVENT_PUBLIC,
                                 LOG_GENESIS_HASH, "ab12cd34");
    assert_non_null(ev);
    json_t *j = event_to_json(ev);
    char *data = json_dumps(j, JSON_COMPACT);
    char want[8192];
    snprintf(want, sizeof want, "id: 42\nevent: %s\ndata: %s\n\n", type, data);
    assert_string_equal(ev->frame, want);
    assert_int_equal(ev->frame_len, strlen(want));
    free(data);
    json_decref(j);
    event_unref(ev);
    free(text);
}

static void test_frame_equals_json_encoding(void **state)
{
    json_t *p = json_pack("{s:s, s:i, s:b, s:n}", "vote_id", "v1", "n", -7, "ok", 1, "item", NULL);
    assert_frame_is_encoding("abcdefghijklmnopqrst", "vote.ballot", p);
    json_decref(p);
    p = json_pack("{s:s, s:[s,s], s:{s:s}}", "text", "Zażółć \"gęślą\" \\ jaźń\n\t</script>",
                  "list", "a", "ß", "nested", "k", "\u2028");
    assert_frame_is_encoding("system", "chat.message", p);
    json_decref(p);
    p = json_object();
    assert_frame_is_encoding("actor with space\"", "odd type", p); /* escaped: the slow path */
    json_decref(p);
}

static void test_non_object_payload_is_refused(void **state)
{
    const char *bad[] = {"not json", "[1,2]", "\"s\"", "{\"a\":", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(event_new("m", 1, 1, "a", "t", bad[i], 0, "", ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_equals_json_encoding),
        cmocka_unit_test(test_non_object_payload_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
