/* test_email.c — which addresses are accepted, normalisation and the domain policy. */
#include "testutil.h"

#include <stdbool.h>

#include "core/email.h"
#include "util/err.h"

static void test_is_valid_table(void **state)
{
    static const struct {
        const char *s;
        bool is_valid;
    } v[] = {
        {"jan.kowalski@uw.edu.pl", true},
        {"Jan.Kowalski@UW.EDU.PL", true},
        {"a@b.pl", true},
        {"o'brien@example.ie", true},
        {"jan+rada@gmina-lack.pl", true},
        {"first_last%x@sub.domain.example.com", true},
        {"x@xn--d-1ga.pl", true},
        {"x@1and1.com", true},
        {"", false},
        {"plain", false},
        {"@uw.edu.pl", false},
        {"jan@", false},
        {"jan@@uw.edu.pl", false},
        {"jan@uw@edu.pl", false},
        {"jan@localhost", false},
        {".jan@uw.edu.pl", false},
        {"jan.@uw.edu.pl", false},
        {"jan..kowalski@uw.edu.pl", false},
        {"jan kowalski@uw.edu.pl", false},
        {" jan@uw.edu.pl", false},
        {"jan@uw.edu.pl ", false},
        {"jan\"x\"@uw.edu.pl", false},
        {"jan@uw..edu.pl", false},
        {"jan@.uw.edu.pl", false},
        {"jan@uw.edu.pl.", false},
        {"jan@-uw.edu.pl", false},
        {"jan@uw-.edu.pl", false},
        {"jan@uw_x.edu.pl", false},
        {"jan@192.168.1.1", false},
        {"jan@[192.168.1.1]", false},
        {"jan@łódź.pl", false},
        {"żaneta@uw.edu.pl", false},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (email_is_valid(v[i].s) != v[i].is_valid)
            fail_msg("email_is_valid(\"%s\") should be %d", v[i].s, v[i].is_valid);
    }
    assert_false(email_is_valid(NULL));
}

static void test_is_valid_length_limits(void **state)
{
    char s[400];
    /* Local part: 64 accepted, 65 refused. */
    memset(s, 'a', 64);
    strcpy(s + 64, "@uw.edu.pl");
    assert_true(email_is_valid(s));
    memset(s, 'a', 65);
    strcpy(s + 65, "@uw.edu.pl");
    assert_false(email_is_valid(s));
    /* Label: 63 accepted, 64 refused. */
    strcpy(s, "a@");
    memset(s + 2, 'b', 63);
    strcpy(s + 65, ".pl");
    assert_true(email_is_valid(s));
    memset(s + 2, 'b', 64);
    strcpy(s + 66, ".pl");
    assert_false(email_is_valid(s));
    /* Whole address: 254 accepted, 255 refused (labels of 60 plus dots). */
    strcpy(s, "a@");
    size_t n = 2;
    while (n + 61 < 254) {
        memset(s + n, 'c', 60);
        n += 60;
        s[n++] = '.';
    }
    size_t rest = 254 - n;
    memset(s + n, 'd', rest);
    s[254] = '\0';
    assert_int_equal(strlen(s), 254);
    assert_true(email_is_valid(s));
    s[254] = 'd';
    s[255] = '\0';
    assert_false(email_is_valid(s));
}

static void test_normalize_table(void **state)
{
    static const struct {
        const char *in, *out;
    } v[] = {
        {"Jan.Kowalski@UW.EDU.PL", "jan.kowalski@uw.edu.pl"},
        {"  jan@uw.edu.pl\t\r\n", "jan@uw.edu.pl"},
        {"\xc2\xa0jan@uw.edu.pl\xc2\xa0", "jan@uw.edu.pl"},
        {"", ""},
        {"   ", ""},
        {"A B@X.PL", "a b@x.pl"},
        {"Żaneta@X.PL", "Żaneta@x.pl"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char out[64];
        assert_int_equal(email_normalize(v[i].in, out, sizeof out), 0);
        assert_string_equal(out, v[i].out);
    }
}

static void test_normalize_refuses_small_buffer(void **state)
{
    char out[8];
    assert_int_equal(email_normalize("jan@uw.edu.pl", out, sizeof out), OBR_ELIMIT);
    assert_int_equal(email_normalize(" AB@D.PL ", out, sizeof out), 0);
    assert_string_equal(out, "ab@d.pl");
    assert_int_equal(email_normalize(NULL, out, sizeof out), OBR_EINVAL);
}

static void test_domain(void **state)
{
    assert_string_equal(email_domain("jan@uw.edu.pl"), "uw.edu.pl");
    assert_null(email_domain("jan"));
    assert_null(email_domain(NULL));
    assert_string_equal(email_domain("jan@"), "");
}

static void test_domain_allowed_table(void **state)
{
    static const char *const uw[] = {"uw.edu.pl", "student.uw.edu.pl"};
    static const struct {
        const char *email;
        size_t n;
        bool is_allowed;
    } v[] = {
        {"jan@uw.edu.pl", 2, true},           {"jan@UW.edu.PL", 2, true},
        {"jan@student.uw.edu.pl", 2, true},   {"jan@mimuw.edu.pl", 2, false},
        {"jan@fuw.edu.pl", 2, false},         {"jan@a.uw.edu.pl", 2, false},
        {"jan@uw.edu.pl.evil.com", 2, false}, {"jan@gmail.com", 2, false},
        {"jan@gmail.com", 0, true},           {"jan", 2, false},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (email_domain_allowed(v[i].email, uw, v[i].n) != v[i].is_allowed)
            fail_msg("email_domain_allowed(\"%s\", n=%zu) should be %d", v[i].email, v[i].n,
                     v[i].is_allowed);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_is_valid_table),
        cmocka_unit_test(test_is_valid_length_limits),
        cmocka_unit_test(test_normalize_table),
        cmocka_unit_test(test_normalize_refuses_small_buffer),
        cmocka_unit_test(test_domain),
        cmocka_unit_test(test_domain_allowed_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
