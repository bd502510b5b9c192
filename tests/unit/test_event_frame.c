/* test_event_frame.c — the SSE frame event_new renders from the stored
 * canonical payload text is exactly what encoding the event as JSON gives,
 * for plain and for escaped, multilingual and nested payloads; text that is
 * not a JSON object is refused, exactly as json_loads would refuse it. */
#include "testutil.h"

#include <stdbool.h>

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
    char *frame = event_frame_dup(ev);
    assert_string_equal(frame, want);
    free(frame);
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

/* event_new accepts a payload exactly when json_loads gives an object, over
 * every truncation and many one-byte changes of varied payloads (numbers
 * too large for jansson aside: those are refused when parsed). */
/* Found by tests/fuzz/fuzz_event_frame.c: a line break in the type would end
 * the "event:" line and the frame early. */
static void test_type_with_line_break_is_refused(void **state)
{
    const char *types[] = {"a b\n", "chat.message\n\ndata: {}", "x\ry", "", "tab\there"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        assert_null(event_new("mtg1", 1, 1, "system", types[i], "{}", EVENT_PUBLIC,
                              LOG_GENESIS_HASH, "ab"));
    struct event *ok = event_new("mtg1", 1, 1, "system", "chat.message", "{}", EVENT_PUBLIC,
                                 LOG_GENESIS_HASH, "ab");
    assert_non_null(ok);
    event_unref(ok);
}

static void test_payload_check_agrees_with_jansson(void **state)
{
    const char *corpus[] = {
        "{}",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
        "{\"t\":\"Za\u017c\u00f3\u0142\u0107 \\\"g\u0119\u015bl\u0105\\\" \\n\\t \\u00e9 \\ud83d\\ude00\"}",
        "{\"n\":-12.5e+3,\"m\":0,\"k\":[1,-0,2.25,3E2]}",
        "{\"s\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
        " { \"x\" : [ { } , [ ] ] } ",
    };
    const char subst[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '.', 't',
                          'u', 'n', ' ', '\x01', (char)0xc3, (char)0xa9, (char)0xed, (char)0xa0,
                          (char)0xf4, (char)0x90, (char)0xff};
    int n_checked = 0, n_accepted = 0;
    for (size_t c = 0; c < sizeof corpus / sizeof corpus[0]; c++) {
        size_t len = strlen(corpus[c]);
        for (size_t i = 0; i <= len; i++) {
            for (size_t k = 0; k <= sizeof subst; k++) {
                char text[512];
                memcpy(text, corpus[c], len + 1);
                if (k == sizeof subst)
                    text[i] = '\0'; /* truncated */
                else if (i < len)
                    text[i] = subst[k];
                else
                    continue;
                json_error_t err;
                json_t *j = json_loads(text, 0, &err);
                bool want = json_is_object(j);
                json_decref(j);
                if (!want && (strstr(err.text, "too big") || strstr(err.text, "overflow")))
                    continue;
                struct event *ev = event_new("m", 1, 1, "a", "t", text, 0, "", "");
                if ((ev != NULL) != want)
                    fail_msg("payload %zu, byte %zu -> %02x: jansson %s, event_new %s", c, i,
                             k < sizeof subst ? (unsigned char)subst[k] : 0,
                             want ? "accepts" : "refuses", ev ? "accepts" : "refuses");
                n_accepted += ev != NULL;
                event_unref(ev);
                n_checked++;
            }
        }
    }
    assert_true(n_checked > 1000);
    assert_true(n_accepted > 50); /* the corpus itself is valid: many changes keep it so */
    for (size_t c = 0; c < sizeof corpus / sizeof corpus[0]; c++) {
        struct event *ev = event_new("m", 1, 1, "a", "t", corpus[c], 0, "", "");
        assert_non_null(ev);
        event_unref(ev);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_equals_json_encoding),
        cmocka_unit_test(test_non_object_payload_is_refused),
        cmocka_unit_test(test_payload_check_agrees_with_jansson),
        cmocka_unit_test(test_type_with_line_break_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
