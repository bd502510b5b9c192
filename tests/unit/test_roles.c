/* test_roles.c — the permission table (core/roles.h): every action × every
 * kind of person, written out as data; combinations of facts (an instance
 * admin who is also a chair ...) allow the union of what each fact allows;
 * role names; out-of-range actions. */
#include "testutil.h"

#include "core/roles.h"

/* One kind of person: a single fact set. */
enum who {
    W_NOBODY,
    W_ADMIN,
    W_ORG_ADMIN,
    W_OPERATOR,
    W_CHAIR,
    W_VICE,
    W_SECRETARY,
    W_MEMBER,
    W__COUNT
};

static const char *const who_name[W__COUNT] = {
    "nobody", "instance admin", "org admin", "operator",
    "chair",  "vice-chair",     "secretary", "member",
};

static const struct role_facts who_facts[W__COUNT] = {
    [W_NOBODY] = {false, STAFF_LEVEL_NONE, BODY_ROLE_NONE},
    [W_ADMIN] = {true, STAFF_LEVEL_NONE, BODY_ROLE_NONE},
    [W_ORG_ADMIN] = {false, STAFF_LEVEL_ADMIN, BODY_ROLE_NONE},
    [W_OPERATOR] = {false, STAFF_LEVEL_OPERATOR, BODY_ROLE_NONE},
    [W_CHAIR] = {false, STAFF_LEVEL_NONE, BODY_ROLE_CHAIR},
    [W_VICE] = {false, STAFF_LEVEL_NONE, BODY_ROLE_VICE_CHAIR},
    [W_SECRETARY] = {false, STAFF_LEVEL_NONE, BODY_ROLE_SECRETARY},
    [W_MEMBER] = {false, STAFF_LEVEL_NONE, BODY_ROLE_MEMBER},
};

static const char *const action_name[ACT__COUNT] = {
    [ACT_ORG_CREATE] = "org create",
    [ACT_ORG_READ] = "org read",
    [ACT_ORG_UPDATE] = "org update",
    [ACT_STAFF_READ] = "staff read",
    [ACT_STAFF_MANAGE] = "staff manage",
    [ACT_BODY_CREATE] = "body create",
    [ACT_BODY_READ] = "body read",
    [ACT_BODY_UPDATE] = "body update",
    [ACT_MEMBER_READ] = "member read",
    [ACT_MEMBER_READ_CONTACT] = "member read contact",
    [ACT_MEMBER_MANAGE] = "member manage",
    [ACT_MEMBER_ADD_EXTERNAL] = "member add external",
    [ACT_MEETING_READ] = "meeting read",
    [ACT_MEETING_PREPARE] = "meeting prepare",
    [ACT_MEETING_CONDUCT] = "meeting conduct",
};

/* clang-format off */
/* The expected table. Columns: nobody, instance admin, org admin, operator,
 * chair, vice-chair, secretary, member. */
static const bool expected[ACT__COUNT][W__COUNT] = {
    /*                             nob adm oad opr chr vic sec mem */
    [ACT_ORG_CREATE] =            {0, 1, 0, 0, 0, 0, 0, 0},
    [ACT_ORG_READ] =              {0, 1, 1, 1, 0, 0, 0, 0},
    [ACT_ORG_UPDATE] =            {0, 1, 1, 0, 0, 0, 0, 0},
    [ACT_STAFF_READ] =            {0, 1, 1, 1, 0, 0, 0, 0},
    [ACT_STAFF_MANAGE] =          {0, 1, 1, 0, 0, 0, 0, 0},
    [ACT_BODY_CREATE] =           {0, 1, 1, 0, 0, 0, 0, 0},
    [ACT_BODY_READ] =             {0, 1, 1, 1, 1, 1, 1, 1},
    [ACT_BODY_UPDATE] =           {0, 1, 1, 0, 0, 0, 0, 0},
    [ACT_MEMBER_READ] =           {0, 1, 1, 1, 1, 1, 1, 1},
    [ACT_MEMBER_READ_CONTACT] =   {0, 1, 1, 1, 1, 1, 1, 0},
    [ACT_MEMBER_MANAGE] =         {0, 1, 1, 1, 0, 0, 0, 0},
    [ACT_MEMBER_ADD_EXTERNAL] =   {0, 1, 1, 1, 1, 0, 0, 0},
    [ACT_MEETING_READ] =          {0, 1, 1, 1, 1, 1, 1, 1},
    [ACT_MEETING_PREPARE] =       {0, 1, 1, 1, 0, 0, 0, 0},
    [ACT_MEETING_CONDUCT] =       {0, 1, 1, 1, 1, 1, 0, 0},
};
/* clang-format on */

static void test_every_action_every_role(void **state)
{
    (void)state;
    int mismatches = 0;
    for (int a = 0; a < ACT__COUNT; a++) {
        if (!action_name[a])
            fail_msg("action %d has no row in this test's table: add one", a);
        for (int w = 0; w < W__COUNT; w++) {
            bool got = roles_allow((enum role_action)a, &who_facts[w]);
            if (got != expected[a][w]) {
                print_error("%s by %s: got %s, expected %s\n", action_name[a], who_name[w],
                            got ? "allowed" : "denied", expected[a][w] ? "allowed" : "denied");
                mismatches++;
            }
        }
    }
    assert_int_equal(mismatches, 0);
}

/* The component kinds of person of a combination of facts. */
static int components(const struct role_facts *f, enum who out[3])
{
    int n = 0;
    if (f->is_instance_admin)
        out[n++] = W_ADMIN;
    if (f->staff == STAFF_LEVEL_ADMIN)
        out[n++] = W_ORG_ADMIN;
    if (f->staff == STAFF_LEVEL_OPERATOR)
        out[n++] = W_OPERATOR;
    switch (f->body_role) {
    case BODY_ROLE_CHAIR:
        out[n++] = W_CHAIR;
        break;
    case BODY_ROLE_VICE_CHAIR:
        out[n++] = W_VICE;
        break;
    case BODY_ROLE_SECRETARY:
        out[n++] = W_SECRETARY;
        break;
    case BODY_ROLE_MEMBER:
        out[n++] = W_MEMBER;
        break;
    case BODY_ROLE_NONE:
        break;
    }
    return n;
}

static void test_combinations_allow_the_union(void **state)
{
    (void)state;
    static const enum staff_level staff[] = {STAFF_LEVEL_NONE, STAFF_LEVEL_OPERATOR,
                                             STAFF_LEVEL_ADMIN};
    static const enum body_role body[] = {BODY_ROLE_NONE, BODY_ROLE_MEMBER, BODY_ROLE_SECRETARY,
                                          BODY_ROLE_VICE_CHAIR, BODY_ROLE_CHAIR};
    int checked = 0;
    for (int adm = 0; adm < 2; adm++)
        for (size_t s = 0; s < sizeof staff / sizeof staff[0]; s++)
            for (size_t b = 0; b < sizeof body / sizeof body[0]; b++) {
                struct role_facts f = {adm != 0, staff[s], body[b]};
                enum who parts[3];
                int n = components(&f, parts);
                for (int a = 0; a < ACT__COUNT; a++) {
                    bool want = false;
                    for (int i = 0; i < n; i++)
                        want |= expected[a][parts[i]];
                    bool got = roles_allow((enum role_action)a, &f);
                    if (got != want)
                        fail_msg("%s with admin=%d staff=%d body_role=%d: got %d, want %d",
                                 action_name[a], adm, (int)staff[s], (int)body[b], got, want);
                    checked++;
                }
            }
    assert_int_equal(checked, 2 * 3 * 5 * ACT__COUNT);
}

static void test_out_of_range_action_is_denied(void **state)
{
    (void)state;
    struct role_facts all = {true, STAFF_LEVEL_ADMIN, BODY_ROLE_CHAIR};
    assert_false(roles_allow(ACT__COUNT, &all));
    assert_false(roles_allow((enum role_action)(ACT__COUNT + 7), &all));
    assert_false(roles_allow((enum role_action) - 1, &all));
}

static void test_body_role_names(void **state)
{
    (void)state;
    assert_int_equal(roles_body_role("chair"), BODY_ROLE_CHAIR);
    assert_int_equal(roles_body_role("vice_chair"), BODY_ROLE_VICE_CHAIR);
    assert_int_equal(roles_body_role("secretary"), BODY_ROLE_SECRETARY);
    assert_int_equal(roles_body_role("member"), BODY_ROLE_MEMBER);
    static const char *const not_roles[] = {"",           "Chair", "CHAIR",    "vice-chair",
                                            "vice chair", "admin", "operator", "chair ",
                                            "members",    "guest"};
    for (size_t i = 0; i < sizeof not_roles / sizeof not_roles[0]; i++) {
        assert_int_equal(roles_body_role(not_roles[i]), BODY_ROLE_NONE);
        assert_false(roles_is_member_role(not_roles[i]));
    }
    assert_int_equal(roles_body_role(NULL), BODY_ROLE_NONE);
    assert_false(roles_is_member_role(NULL));
    assert_true(roles_is_member_role("chair"));
    assert_true(roles_is_member_role("vice_chair"));
    assert_true(roles_is_member_role("secretary"));
    assert_true(roles_is_member_role("member"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_action_every_role),
        cmocka_unit_test(test_combinations_allow_the_union),
        cmocka_unit_test(test_out_of_range_action_is_denied),
        cmocka_unit_test(test_body_role_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
