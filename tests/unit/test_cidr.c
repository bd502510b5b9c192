/* test_cidr.c — trusted_proxies lists: parsing, IPv4 and IPv6 ranges,
 * IPv4-mapped addresses, and refusal of malformed entries. */
#include "testutil.h"

#include <stdbool.h>

#include "util/cidr.h"

static bool matches(const char *list, const char *addr)
{
    struct cidr_list l;
    unsigned char a[16];
    assert_int_equal(cidr_list_parse(list, &l), 0);
    assert_true(cidr_addr_parse(addr, strlen(addr), a));
    return cidr_list_match(&l, a);
}

static void test_match_table(void **state)
{
    static const struct {
        const char *list, *addr;
        bool is_match;
    } v[] = {
        {"127.0.0.1", "127.0.0.1", true},
        {"127.0.0.1", "127.0.0.2", false},
        {"10.0.0.0/8", "10.255.1.2", true},
        {"10.0.0.0/8", "11.0.0.1", false},
        {"192.168.1.0/25", "192.168.1.127", true},
        {"192.168.1.0/25", "192.168.1.128", false},
        {"0.0.0.0/0", "203.0.113.9", true},
        {"0.0.0.0/0", "::1", false},
        {"::1", "::1", true},
        {"::1", "::2", false},
        {"2001:db8::/32", "2001:db8:ffff::1", true},
        {"2001:db8::/32", "2001:db9::1", false},
        {"127.0.0.1", "::ffff:127.0.0.1", true},
        {"::ffff:10.0.0.0/104", "10.1.2.3", true},
        {"172.16.0.0/12, ::1 10.0.0.1", "10.0.0.1", true},
        {"172.16.0.0/12, ::1 10.0.0.1", "172.31.255.255", true},
        {"172.16.0.0/12, ::1 10.0.0.1", "172.32.0.0", false},
        {"", "127.0.0.1", false},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        if (matches(v[i].list, v[i].addr) != v[i].is_match)
            fail_msg("%s in [%s]: expected %d", v[i].addr, v[i].list, v[i].is_match);
    }
}

static void test_bad_lists_are_refused(void **state)
{
    static const char *bad[] = {"127.0.0.1/33", "::1/129", "10.0.0.0/", "10.0.0/8", "localhost",
                                "10.0.0.0/8x", "1.2.3.4/-1", "1.2.3.4/0008", "::g"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cidr_list l;
        if (cidr_list_parse(bad[i], &l) == 0)
            fail_msg("accepted %s", bad[i]);
        assert_int_equal(l.n, 0);
    }
    char many[40 * 12] = "";
    for (int i = 0; i < CIDR_LIST_MAX + 1; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d,", i);
    struct cidr_list l;
    assert_int_equal(cidr_list_parse(many, &l), -1);
}

static void test_addr_parse_rejects_garbage(void **state)
{
    unsigned char a[16];
    assert_false(cidr_addr_parse("", 0, a));
    assert_false(cidr_addr_parse("1.2.3.4 ", 8, a));
    assert_false(cidr_addr_parse("unknown", 7, a));
    assert_true(cidr_addr_parse("1.2.3.4, 5.6.7.8", 7, a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_table),
        cmocka_unit_test(test_bad_lists_are_refused),
        cmocka_unit_test(test_addr_parse_rejects_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
