/* test_role_words.c — role words that agree with the person (core/role_words.h):
 * given names in -a are women's except the listed men's names; titles are
 * skipped; soft hyphens only when asked for. */
#include "testutil.h"

#include "core/role_words.h"

#define SHY "\xc2\xad" /* U+00AD soft hyphen */

static void test_feminine_by_given_name(void **state)
{
    static const struct {
        const char *name;
        bool is_feminine;
    } cases[] = {
        {"Zofia Wiśniewska", true},
        {"prof. dr hab. Zofia Łęcka", true},
        {"dr Anna Nowak", true},
        {"Łukasz Zieliński", false},
        {"Kuba Kowalski", false},
        {"Barnaba Nowak", false},
        {"prof. Jan Kowalski", false},
        {"Ewa", true},
        {"", false},
        {"   ", false},
        {"dr hab.", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (role_words_is_feminine(cases[i].name) != cases[i].is_feminine)
            fail_msg("%s: expected %d", cases[i].name, cases[i].is_feminine);
    }
    assert_false(role_words_is_feminine(NULL));
    (void)state;
}

static void test_role_words_agree(void **state)
{
    assert_string_equal(role_words_pl("chair", "Zofia Wiśniewska", false), "przewodnicząca");
    assert_string_equal(role_words_pl("chair", "Jan Kowalski", false), "przewodniczący");
    assert_string_equal(role_words_pl("vice_chair", "Anna Nowak", false), "wiceprzewodnicząca");
    assert_string_equal(role_words_pl("vice_chair", "Łukasz Zieliński", false), "wiceprzewodniczący");
    assert_string_equal(role_words_pl("member", "Anna Nowak", false), "członek");
    assert_string_equal(role_words_pl("secretary", "Anna Nowak", false), "sekretarz");
    assert_string_equal(role_words_pl("guest", NULL, false), "gość");
    assert_string_equal(role_words_pl(NULL, NULL, false), "członek");
    /* soft hyphens (U+00AD) where a narrow PDF column may break the word */
    assert_string_equal(role_words_pl("vice_chair", "Łukasz Zieliński", true),
                        "wice" SHY "prze" SHY "wod" SHY "ni" SHY "czą" SHY "cy");
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_feminine_by_given_name),
        cmocka_unit_test(test_role_words_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
