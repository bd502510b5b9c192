/* test_sms.c — SMS numbers (E.164) and the gateway request body: placeholders
 * replaced, percent-encoded for a form, JSON-escaped for a JSON body. */
#include "testutil.h"

#include <stdbool.h>
#include <stdlib.h>

#include "mail/sms.h"
#include "store/sms.h"

static void test_phone_table(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool is_valid;
    } v[] = {
        {"+48601234567", true},
        {"+12025550123", true},
        {"+48601234", true},
        {"+123456789012345", true},
        {"", false},
        {"48601234567", false},
        {"0048601234567", false},
        {"+0601234567", false},
        {"+4860123", false},
        {"+486012", false},
        {"+1234567890123456", false},
        {"+48 601234567", false},
        {"+48-601234567", false},
        {"+48601234567 ", false},
        {"+48６01234567", false},
        {"++48601234567", false},
        {"+48601a34567", false},
        {NULL, false},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (sms_phone_is_valid(v[i].s) != v[i].is_valid)
            fail_msg("%s: expected %s", v[i].s ? v[i].s : "(null)",
                     v[i].is_valid ? "valid" : "invalid");
    }
}

static void test_body_form(void **state)
{
    (void)state;
    char *b = sms_render_body("to={number}&message={text}&from=Rada", NULL, "+48601234567",
                              "Sesja „X” & 2=1 {number}");
    assert_non_null(b);
    assert_string_equal(b, "to=%2B48601234567&message=Sesja%20%E2%80%9EX%E2%80%9D%20%26%202%3D1%20"
                           "%7Bnumber%7D&from=Rada");
    free(b);
}

static void test_body_json(void **state)
{
    (void)state;
    char *b =
        sms_render_body("{\"phone\":\"{number}\",\"text\":\"{text}\"}",
                        "application/json; charset=utf-8", "+48601234567", "a \"b\" \\ c\nd ż");
    assert_non_null(b);
    assert_string_equal(b,
                        "{\"phone\":\"+48601234567\",\"text\":\"a \\\"b\\\" \\\\ c\\u000ad ż\"}");
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phone_table),
        cmocka_unit_test(test_body_form),
        cmocka_unit_test(test_body_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
