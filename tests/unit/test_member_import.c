/* test_member_import.c — validating a body's member list: headers in Polish
 * and English, roles, groups, the external flag, every error code, and that
 * all errors come back at once with the right lines. */
#include "testutil.h"

#include <stdbool.h>

#include "core/member_import.h"
#include "util/err.h"

static bool is_member_stub(void *ctx, const char *email)
{
    const char *const *list = ctx;
    for (; *list; list++)
        if (strcmp(*list, email) == 0)
            return true;
    return false;
}

static const char *const uw_domains[] = {"uw.edu.pl"};
static const char *const existing[] = {"stary@uw.edu.pl", NULL};

static const struct import_policy uw_policy = {uw_domains, 1, is_member_stub, (void *)existing};
static const struct import_policy open_policy = {NULL, 0, NULL, NULL};

static struct import_result *validate(const char *csv, const struct import_policy *pol)
{
    struct import_result *r = NULL;
    assert_int_equal(member_import_validate(csv, strlen(csv), pol, &r), 0);
    assert_non_null(r);
    return r;
}

/* The error on line `line` with this code, or NULL. */
static const struct import_error *find_error(const struct import_result *r, int line,
                                             const char *code)
{
    for (int i = 0; i < r->n_errors; i++)
        if (r->errors[i].line == line && strcmp(r->errors[i].code, code) == 0)
            return &r->errors[i];
    return NULL;
}

static void test_good_polish_file_with_bom_and_semicolons(void **state)
{
    struct import_result *r =
        validate("\xEF\xBB\xBFLp.;Imię i nazwisko;Adres e-mail;Funkcja;Grupy;Zewnętrzny\r\n"
                 "1;Anna Nowak;Anna.Nowak@UW.edu.pl;Przewodnicząca;komisja-budzetu|Klub_A;nie\r\n"
                 "2;  Jan   Kowalski ;jan@uw.edu.pl;wiceprzewodniczący;;\r\n"
                 "3;Ewa Zięba;ewa@uw.edu.pl;członkini;a, b ,a;\r\n"
                 "4;Piotr Łęcki;piotr@uw.edu.pl;SEKRETARZ;;NIE\r\n"
                 "5;Maria Recenzentka;maria@gmail.com;;;tak\r\n"
                 "6;Radny Józef;jozef@uw.edu.pl;radny;;0\r\n",
                 &uw_policy);
    assert_int_equal(r->n_errors, 0);
    assert_int_equal(r->n_rows, 6);

    const struct import_row *a = &r->rows[0];
    assert_int_equal(a->line, 2);
    assert_string_equal(a->name, "Anna Nowak");
    assert_string_equal(a->email, "anna.nowak@uw.edu.pl");
    assert_string_equal(a->role, "chair");
    assert_int_equal(a->n_groups, 2);
    assert_string_equal(a->groups[0], "komisja-budzetu");
    assert_string_equal(a->groups[1], "klub_a");
    assert_false(a->is_external);
    assert_true(a->is_valid);

    assert_string_equal(r->rows[1].name, "Jan Kowalski");
    assert_string_equal(r->rows[1].role, "vice_chair");
    assert_int_equal(r->rows[1].n_groups, 0);
    assert_string_equal(r->rows[2].role, "member");
    assert_int_equal(r->rows[2].n_groups, 2); /* "a" once, "b" */
    assert_string_equal(r->rows[2].groups[0], "a");
    assert_string_equal(r->rows[2].groups[1], "b");
    assert_string_equal(r->rows[3].role, "secretary");
    assert_string_equal(r->rows[4].role, "member");
    assert_true(r->rows[4].is_external); /* outside the domain list, allowed as external */
    assert_string_equal(r->rows[5].role, "member");
    assert_int_equal(r->rows[5].line, 7);
    import_result_free(r);
}

static void test_english_headers_and_roles(void **state)
{
    struct import_result *r = validate("Name,Email,Role,Groups,External\n"
                                       "A B,a@x.pl,chair,,yes\n"
                                       "C D,c@x.pl,Vice Chair,\"g1,g2\",false\n"
                                       "E F,e@x.pl,vice-chair,g3|g4,1\n"
                                       "G H,g@x.pl,member,,TRUE\n"
                                       "I J,i@x.pl,secretary,,\n",
                                       &open_policy);
    assert_int_equal(r->n_errors, 0);
    assert_int_equal(r->n_rows, 5);
    assert_true(r->rows[0].is_external);
    assert_string_equal(r->rows[1].role, "vice_chair");
    assert_int_equal(r->rows[1].n_groups, 2);
    assert_string_equal(r->rows[2].role, "vice_chair");
    assert_string_equal(r->rows[2].groups[1], "g4");
    assert_true(r->rows[3].is_external);
    assert_false(r->rows[4].is_external);
    import_result_free(r);
}

static void test_polish_roles_without_diacritics(void **state)
{
    static const struct {
        const char *given, *role;
    } v[] = {
        {"przewodniczacy", "chair"},
        {"PRZEWODNICZĄCY", "chair"},
        {"przewodniczaca", "chair"},
        {"Przewodnicząca", "chair"},
        {"wiceprzewodniczaca", "vice_chair"},
        {"Wiceprzewodnicząca", "vice_chair"},
        {"czlonek", "member"},
        {"Członek", "member"},
        {"radna", "member"},
        {"czlonkini", "member"},
        {"sekretarz", "secretary"},
        {"", "member"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char csv[200];
        snprintf(csv, sizeof csv, "imie i nazwisko;e-mail;rola\nA B;a@x.pl;%s\n", v[i].given);
        struct import_result *r = validate(csv, &open_policy);
        if (r->n_errors != 0 || strcmp(r->rows[0].role, v[i].role) != 0)
            fail_msg("role \"%s\" should map to %s", v[i].given, v[i].role);
        import_result_free(r);
    }
}

static void test_missing_columns(void **state)
{
    struct import_result *r = validate("Lp;Rola\n1;radny\n", &open_policy);
    assert_int_equal(r->n_errors, 2);
    const struct import_error *e = find_error(r, 1, "missing_column");
    assert_non_null(e);
    assert_string_equal(e->field, "name");
    assert_string_equal(r->errors[1].field, "email");
    assert_non_null(strstr(r->errors[1].message_en, "email"));
    assert_non_null(strstr(r->errors[0].message_pl, "imię i nazwisko"));
    assert_int_equal(r->n_rows, 0);
    import_result_free(r);

    r = validate("", &open_policy);
    assert_int_equal(r->n_errors, 2);
    assert_string_equal(r->errors[0].code, "missing_column");
    import_result_free(r);
}

static void test_duplicate_column(void **state)
{
    struct import_result *r = validate("name;email;e-mail\nA;a@x.pl;b@x.pl\n", &open_policy);
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0].code, "duplicate_column");
    assert_string_equal(r->errors[0].field, "email");
    assert_int_equal(r->errors[0].line, 1);
    import_result_free(r);
}

static void test_csv_syntax_error_becomes_import_error(void **state)
{
    struct import_result *r = validate("name;email\nA;a@x.pl\n\"B;b@x.pl\n", &open_policy);
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0].code, "csv_syntax");
    assert_null(r->errors[0].field);
    assert_int_equal(r->errors[0].line, 3);
    assert_non_null(strstr(r->errors[0].message_en, "never closed"));
    assert_non_null(strstr(r->errors[0].message_pl, "cudzysłowie"));
    assert_int_equal(r->n_rows, 0);
    import_result_free(r);

    r = validate("name;email\nZa\xBF\xF3\xB3\xE6;x@x.pl\n", &open_policy);
    assert_string_equal(r->errors[0].code, "csv_syntax");
    assert_int_equal(r->errors[0].line, 2);
    assert_non_null(strstr(r->errors[0].message_pl, "UTF-8"));
    import_result_free(r);
}

struct code_case {
    const char *row; /* after the header "name;email;role;groups;external" */
    const char *code;
    const char *field;
};

static void test_each_row_error_code(void **state)
{
    char long_name[260];
    memset(long_name, 'x', 201);
    strcpy(long_name + 201, ";l@uw.edu.pl;;;");
    const struct code_case v[] = {
        {";a@uw.edu.pl;;;", "name_missing", "name"},
        {"   ;a@uw.edu.pl;;;", "name_missing", "name"},
        {long_name, "name_too_long", "name"},
        {"A\x01"
         "B;a@uw.edu.pl;;;",
         "name_invalid", "name"},
        {"A;;;;", "email_invalid", "email"},
        {"A;not-an-address;;;", "email_invalid", "email"},
        {"A;a@gmail.com;;;", "email_domain", "email"},
        {"A;a@gmail.com;;;nie", "email_domain", "email"},
        {"A;Stary@uw.edu.pl;;;", "duplicate_member", "email"},
        {"A;a@uw.edu.pl;prezes;;", "role_unknown", "role"},
        {"A;a@uw.edu.pl;;Komisja Rewizyjna;", "group_invalid", "groups"},
        {"A;a@uw.edu.pl;;budżet;", "group_invalid", "groups"},
        {"A;a@uw.edu.pl;;a|b|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx;", "group_invalid",
         "groups"},
        {"A;a@uw.edu.pl;;;maybe", "external_invalid", "external"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char csv[512];
        snprintf(csv, sizeof csv, "name;email;role;groups;external\n%s\n", v[i].row);
        struct import_result *r = validate(csv, &uw_policy);
        if (r->n_errors != 1 || strcmp(r->errors[0].code, v[i].code) != 0 ||
            strcmp(r->errors[0].field, v[i].field) != 0 || r->errors[0].line != 2)
            fail_msg("case %zu: %d errors, first %s", i, r->n_errors,
                     r->n_errors ? r->errors[0].code : "-");
        assert_int_equal(r->n_rows, 1);
        assert_false(r->rows[0].is_valid);
        assert_true(strlen(r->errors[0].message_en) > 0);
        assert_true(strlen(r->errors[0].message_pl) > 0);
        import_result_free(r);
    }
}

/* The weight column (udział): exact millionths, empty = 1, bad values
 * refused by line naming the column. */
static void test_weight_column(void **state)
{
    struct import_result *r = validate("Imię i nazwisko;E-mail;Udział\n"
                                       "Anna Nowak;a@uw.edu.pl;0.0473\n"
                                       "Jan Lis;j@uw.edu.pl;\n"
                                       "Ewa Bąk;e@uw.edu.pl;125\n"
                                       "Piotr Wąs;p@uw.edu.pl;0\n"
                                       "Olga Kot;o@uw.edu.pl;1,5\n"
                                       "Adam Sęk;s@uw.edu.pl;0.0000001\n",
                                       &uw_policy);
    assert_int_equal(r->n_rows, 6);
    assert_true(r->rows[0].weight_micro == 47300);
    assert_true(r->rows[1].weight_micro == 1000000);
    assert_true(r->rows[2].weight_micro == 125000000);
    assert_int_equal(r->n_errors, 3);
    for (int line = 5; line <= 7; line++) {
        const struct import_error *e = find_error(r, line, "weight_invalid");
        assert_non_null(e);
        assert_string_equal(e->field, "weight");
        assert_non_null(strstr(e->message_pl, "poprawną wagą"));
    }
    assert_true(r->rows[0].is_valid && r->rows[2].is_valid);
    assert_false(r->rows[3].is_valid);
    import_result_free(r);
}

static void test_duplicate_in_file_names_earlier_line(void **state)
{
    struct import_result *r = validate("name,email\n"
                                       "A,a@x.pl\n"
                                       "\n"
                                       "B,b@x.pl\n"
                                       "C,A@X.PL\n",
                                       &open_policy);
    assert_int_equal(r->n_errors, 1);
    const struct import_error *e = find_error(r, 5, "duplicate_in_file");
    assert_non_null(e);
    assert_non_null(strstr(e->message_en, "line 2"));
    assert_non_null(strstr(e->message_pl, "wierszu 2"));
    assert_true(r->rows[0].is_valid);
    assert_false(r->rows[2].is_valid);
    import_result_free(r);
}

static void test_many_errors_reported_with_lines(void **state)
{
    struct import_result *r = validate("Imię i nazwisko;E-mail;Rola;Grupy;Zewnętrzny\n"
                                       "Dobry Wiersz;ok@uw.edu.pl;;;\n"
                                       ";zly;prezes;;\n"
                                       "Obcy;obcy@gmail.com;;;\n"
                                       "\"Wielo\n"
                                       "linijny\";ok@uw.edu.pl;;Zła Grupa;może\n"
                                       "Stary;stary@uw.edu.pl;;;\n",
                                       &uw_policy);
    assert_int_equal(r->n_rows, 5);
    assert_int_equal(r->n_errors, 8);
    assert_non_null(find_error(r, 3, "name_missing"));
    assert_non_null(find_error(r, 3, "email_invalid"));
    assert_non_null(find_error(r, 3, "role_unknown"));
    assert_non_null(find_error(r, 4, "email_domain"));
    assert_non_null(find_error(r, 5, "duplicate_in_file"));
    assert_non_null(find_error(r, 5, "group_invalid"));
    assert_non_null(find_error(r, 5, "external_invalid"));
    assert_non_null(find_error(r, 7, "duplicate_member"));
    for (int i = 1; i < r->n_errors; i++)
        assert_true(r->errors[i - 1].line <= r->errors[i].line);
    /* Rows stay for the preview; the multi-line name is joined by a space. */
    assert_true(r->rows[0].is_valid);
    assert_false(r->rows[1].is_valid);
    assert_null(r->rows[1].role);
    assert_string_equal(r->rows[3].name, "Wielo linijny");
    assert_int_equal(r->rows[3].line, 5);
    import_result_free(r);
}

static void test_header_only_file_has_no_rows_and_no_errors(void **state)
{
    struct import_result *r = validate("name;email\n", &open_policy);
    assert_int_equal(r->n_rows, 0);
    assert_int_equal(r->n_errors, 0);
    import_result_free(r);
    import_result_free(NULL);
}

static void test_short_rows_read_missing_cells_as_empty(void **state)
{
    struct import_result *r = validate("name;email;role\nA;a@x.pl\n", &open_policy);
    assert_int_equal(r->n_errors, 0);
    assert_string_equal(r->rows[0].role, "member");
    import_result_free(r);
}

static void test_long_values_are_shortened_in_messages(void **state)
{
    char csv[1200] = "name;email\nA;";
    size_t n = strlen(csv);
    memset(csv + n, 'q', 900);
    strcpy(csv + n + 900, "\n");
    struct import_result *r = validate(csv, &open_policy);
    assert_int_equal(r->n_errors, 1);
    assert_string_equal(r->errors[0].code, "email_invalid");
    assert_true(strlen(r->errors[0].message_en) < 120);
    assert_non_null(strstr(r->errors[0].message_en, "…"));
    import_result_free(r);
}

static void test_invalid_arguments(void **state)
{
    struct import_result *r = NULL;
    assert_int_equal(member_import_validate("a", 1, NULL, &r), OBR_EINVAL);
    assert_int_equal(member_import_validate("a", 1, &open_policy, NULL), OBR_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_polish_file_with_bom_and_semicolons),
        cmocka_unit_test(test_english_headers_and_roles),
        cmocka_unit_test(test_polish_roles_without_diacritics),
        cmocka_unit_test(test_missing_columns),
        cmocka_unit_test(test_duplicate_column),
        cmocka_unit_test(test_csv_syntax_error_becomes_import_error),
        cmocka_unit_test(test_each_row_error_code),
        cmocka_unit_test(test_weight_column),
        cmocka_unit_test(test_duplicate_in_file_names_earlier_line),
        cmocka_unit_test(test_many_errors_reported_with_lines),
        cmocka_unit_test(test_header_only_file_has_no_rows_and_no_errors),
        cmocka_unit_test(test_short_rows_read_missing_cells_as_empty),
        cmocka_unit_test(test_long_values_are_shortened_in_messages),
        cmocka_unit_test(test_invalid_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
