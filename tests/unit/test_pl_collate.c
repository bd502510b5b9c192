/* test_pl_collate.c — Polish alphabetical order of names: the Polish
 * letters after their base letters, case and foreign accents only as
 * tie-breaks, surnames first, and a sort of a council that must come out in
 * the order a Polish protocol prints it. */
#include "testutil.h"

#include <stdlib.h>

#include "core/pl_collate.h"

static void test_letters(void **state)
{
    (void)state;
    /* Each pair: the first sorts strictly before the second. */
    static const char *const PAIRS[][2] = {
        {"a", "ą"},     {"ą", "b"},     {"c", "ć"},         {"ć", "d"},       {"e", "ę"},
        {"ę", "f"},     {"l", "ł"},     {"ł", "m"},         {"n", "ń"},       {"ń", "o"},
        {"o", "ó"},     {"ó", "p"},     {"s", "ś"},         {"ś", "t"},       {"z", "ź"},
        {"ź", "ż"},     {"Z", "Ź"},     {"Łukasz", "Maria"}, {"Lucyna", "Łukasz"},
        {"żaba", "Żaba"}, {"Zoe", "Zoë"}, {"Zoë", "Zofia"}, {"9", "a"},      {"ab", "abc"},
        {"Śliwa", "Tomasz"}, {"Nowak-Kowalska", "Nowakowska"}, {"Czajka", "Ćwik"},
    };
    for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++) {
        if (pl_compare(PAIRS[i][0], PAIRS[i][1]) >= 0)
            fail_msg("%s should sort before %s", PAIRS[i][0], PAIRS[i][1]);
        if (pl_compare(PAIRS[i][1], PAIRS[i][0]) <= 0)
            fail_msg("%s should sort after %s", PAIRS[i][1], PAIRS[i][0]);
    }
    assert_int_equal(pl_compare("Żółć", "Żółć"), 0);
    assert_int_equal(pl_compare(NULL, ""), 0);
    assert_true(pl_compare(NULL, "a") < 0);
    /* An invalid byte still sorts, stably, after the letters. */
    assert_true(pl_compare("a", "\xff") < 0);
}

static int cmp_names(const void *a, const void *b)
{
    return pl_compare_names(*(const char *const *)a, *(const char *const *)b);
}

static void test_council_order(void **state)
{
    (void)state;
    const char *names[] = {
        "Zofia Źdźbło", "Adam Żak",        "Ewa Ćwik",   "Jan Czajka", "Łucja Łęcka",
        "Ludwik Lis",   "Anna Nowak",      "Jan Nowak",  "Ścibor Sowa", "Stefan Śliwa",
        "Olga Ąbek",    "Piotr Abramowicz", "Marek Zawada",
    };
    const char *expected[] = {
        "Piotr Abramowicz", "Olga Ąbek",   "Jan Czajka", "Ewa Ćwik",     "Ludwik Lis",
        "Łucja Łęcka",      "Anna Nowak",  "Jan Nowak",  "Ścibor Sowa", "Stefan Śliwa",
        "Marek Zawada",     "Zofia Źdźbło", "Adam Żak",
    };
    size_t n = sizeof names / sizeof names[0];
    qsort(names, n, sizeof names[0], cmp_names);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(names[i], expected[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_letters),
        cmocka_unit_test(test_council_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
