/* test_csv.c — the CSV reader: delimiters, quoting, line numbers, blank rows,
 * the BOM, limits and the errors a user sees. */
#include "testutil.h"

#include "core/csv.h"
#include "util/err.h"

static struct csv_doc *parse_ok(const char *s)
{
    struct csv_doc *doc = NULL;
    int line = -1;
    const char *msg = NULL;
    int rc = csv_parse(s, strlen(s), &doc, &line, &msg);
    if (rc != 0)
        fail_msg("csv_parse failed: rc=%d line=%d msg=%s", rc, line, msg ? msg : "(null)");
    assert_non_null(doc);
    return doc;
}

static void assert_row(const struct csv_row *r, int line, int n, const char *const *fields)
{
    assert_int_equal(r->line, line);
    assert_int_equal(r->n_fields, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(r->fields[i], fields[i]);
}

static void test_comma_lf(void **state)
{
    struct csv_doc *d = parse_ok("name,email\nJan,jan@x.pl\nAnna,anna@x.pl\n");
    assert_int_equal(d->delimiter, ',');
    assert_int_equal(d->n_rows, 3);
    assert_row(&d->rows[0], 1, 2, (const char *[]){"name", "email"});
    assert_row(&d->rows[2], 3, 2, (const char *[]){"Anna", "anna@x.pl"});
    csv_free(d);
}

static void test_semicolon_crlf_bom(void **state)
{
    struct csv_doc *d = parse_ok("\xEF\xBB\xBFImię i nazwisko;E-mail\r\nJan Kowalski;jan@x.pl\r\n");
    assert_int_equal(d->delimiter, ';');
    assert_int_equal(d->n_rows, 2);
    assert_row(&d->rows[0], 1, 2, (const char *[]){"Imię i nazwisko", "E-mail"});
    assert_row(&d->rows[1], 2, 2, (const char *[]){"Jan Kowalski", "jan@x.pl"});
    csv_free(d);
}

static void test_tab_delimiter(void **state)
{
    struct csv_doc *d = parse_ok("name\temail\nKowalski, Jan\tjan@x.pl");
    assert_int_equal(d->delimiter, '\t');
    assert_row(&d->rows[1], 2, 2, (const char *[]){"Kowalski, Jan", "jan@x.pl"});
    csv_free(d);
}

static void test_delimiter_detection_ignores_quoted_text(void **state)
{
    struct csv_doc *d = parse_ok("\"a;b;c\",d,e\n1,2,3\n");
    assert_int_equal(d->delimiter, ',');
    assert_row(&d->rows[0], 1, 3, (const char *[]){"a;b;c", "d", "e"});
    csv_free(d);
    d = parse_ok("\"Nazwisko, imię\";email\n");
    assert_int_equal(d->delimiter, ';');
    csv_free(d);
    d = parse_ok("one column\nx\n");
    assert_int_equal(d->delimiter, ',');
    assert_int_equal(d->n_rows, 2);
    csv_free(d);
}

static void test_quotes_escapes_and_embedded_newlines(void **state)
{
    struct csv_doc *d =
        parse_ok("a;b;c\n\"He said \"\"hi\"\"\";\"x;y\";\"line1\r\nline2\nline3\"\nnext;2;3\n");
    assert_int_equal(d->n_rows, 3);
    assert_row(&d->rows[1], 2, 3, (const char *[]){"He said \"hi\"", "x;y", "line1\nline2\nline3"});
    /* The row after a three-line field starts on line 5. */
    assert_row(&d->rows[2], 5, 3, (const char *[]){"next", "2", "3"});
    csv_free(d);
}

static void test_empty_fields_and_ragged_rows(void **state)
{
    struct csv_doc *d = parse_ok("a;b;c\n;;x\n\"\";y\nz;\n");
    assert_row(&d->rows[1], 2, 3, (const char *[]){"", "", "x"});
    assert_row(&d->rows[2], 3, 2, (const char *[]){"", "y"});
    assert_row(&d->rows[3], 4, 2, (const char *[]){"z", ""});
    csv_free(d);
}

static void test_literal_quote_inside_unquoted_field(void **state)
{
    struct csv_doc *d = parse_ok("a,b\nJan \"Kowal\" Kowalski,x\n");
    assert_row(&d->rows[1], 2, 2, (const char *[]){"Jan \"Kowal\" Kowalski", "x"});
    csv_free(d);
}

static void test_blank_lines_skipped_keep_line_numbers(void **state)
{
    struct csv_doc *d = parse_ok("\n\na;b\n\n;;\n  ;\t\nc;d\n\r\n\r\n");
    assert_int_equal(d->n_rows, 2);
    assert_row(&d->rows[0], 3, 2, (const char *[]){"a", "b"});
    assert_row(&d->rows[1], 7, 2, (const char *[]){"c", "d"});
    csv_free(d);
}

static void test_lone_cr_line_endings(void **state)
{
    struct csv_doc *d = parse_ok("a,b\r1,2\r3,4");
    assert_int_equal(d->n_rows, 3);
    assert_row(&d->rows[2], 3, 2, (const char *[]){"3", "4"});
    csv_free(d);
}

static void test_empty_input(void **state)
{
    struct csv_doc *d = parse_ok("");
    assert_int_equal(d->n_rows, 0);
    csv_free(d);
    d = parse_ok("\xEF\xBB\xBF\r\n\r\n");
    assert_int_equal(d->n_rows, 0);
    csv_free(d);
    csv_free(NULL);
}

struct bad_case {
    const char *data;
    size_t len; /* 0: strlen */
    int rc;
    int line;
    const char *msg_part;
};

static void test_errors_table(void **state)
{
    static const struct bad_case v[] = {
        {"a;b\nc;\"open\nmore\n", 0, OBR_EINVAL, 2, "never closed"},
        {"a;b\n\"x\"y;z\n", 0, OBR_EINVAL, 2, "closing quote"},
        {"a;b\n\"x\ny\"z;w\n", 0, OBR_EINVAL, 3, "closing quote"},
        {"a;b\nok;ok\nZa\xBF\xF3\xB3\xE6;x\n", 0, OBR_EINVAL, 3, "UTF-8"}, /* cp1250 */
        {"a;b\n\"multi\nli\xFFne\";x\n", 0, OBR_EINVAL, 3, "UTF-8"},
        {"a;b\nx\0y;z\n", 10, OBR_EINVAL, 2, "NUL"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct csv_doc *d = (struct csv_doc *)1;
        int line = 0;
        const char *msg = NULL;
        size_t len = v[i].len ? v[i].len : strlen(v[i].data);
        int rc = csv_parse(v[i].data, len, &d, &line, &msg);
        if (rc != v[i].rc || line != v[i].line || !msg || !strstr(msg, v[i].msg_part))
            fail_msg("case %zu: rc=%d line=%d msg=%s", i, rc, line, msg ? msg : "(null)");
        assert_null(d);
        assert_string_not_equal(csv_message_pl(msg), msg);
    }
}

static void test_field_length_limit(void **state)
{
    char *s = malloc(1100);
    assert_non_null(s);
    strcpy(s, "a;b\n\n");
    size_t n = strlen(s);
    memset(s + n, 'x', 1000);
    strcpy(s + n + 1000, ";y\n");
    struct csv_doc *d = parse_ok(s);
    assert_int_equal(strlen(d->rows[1].fields[0]), 1000);
    csv_free(d);
    memset(s + n, 'x', 1001);
    strcpy(s + n + 1001, ";y\n");
    int line = 0;
    const char *msg = NULL;
    assert_int_equal(csv_parse(s, strlen(s), &d, &line, &msg), OBR_ELIMIT);
    assert_int_equal(line, 3);
    assert_non_null(strstr(msg, "1000"));
    free(s);
}

static void test_field_count_limit(void **state)
{
    char s[200] = "h;i\n";
    for (int i = 0; i < 31; i++)
        strcat(s, "x;");
    strcat(s, "x\n");
    struct csv_doc *d = parse_ok(s);
    assert_int_equal(d->rows[1].n_fields, 32);
    csv_free(d);
    strcat(s, "x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x;x\n");
    int line = 0;
    const char *msg = NULL;
    assert_int_equal(csv_parse(s, strlen(s), &d, &line, &msg), OBR_ELIMIT);
    assert_int_equal(line, 3);
    assert_non_null(strstr(msg, "fields"));
}

static void test_row_count_limit(void **state)
{
    size_t cap = 16 + 5002 * 4;
    char *s = malloc(cap);
    assert_non_null(s);
    size_t n = 0;
    n += (size_t)sprintf(s + n, "h\n");
    for (int i = 0; i < 5000; i++)
        n += (size_t)sprintf(s + n, "x\n");
    struct csv_doc *d = parse_ok(s);
    assert_int_equal(d->n_rows, 5001);
    csv_free(d);
    n += (size_t)sprintf(s + n, "\ny\n");
    int line = 0;
    const char *msg = NULL;
    assert_int_equal(csv_parse(s, n, &d, &line, &msg), OBR_ELIMIT);
    assert_int_equal(line, 5003);
    assert_non_null(strstr(msg, "rows"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comma_lf),
        cmocka_unit_test(test_semicolon_crlf_bom),
        cmocka_unit_test(test_tab_delimiter),
        cmocka_unit_test(test_delimiter_detection_ignores_quoted_text),
        cmocka_unit_test(test_quotes_escapes_and_embedded_newlines),
        cmocka_unit_test(test_empty_fields_and_ragged_rows),
        cmocka_unit_test(test_literal_quote_inside_unquoted_field),
        cmocka_unit_test(test_blank_lines_skipped_keep_line_numbers),
        cmocka_unit_test(test_lone_cr_line_endings),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_errors_table),
        cmocka_unit_test(test_field_length_limit),
        cmocka_unit_test(test_field_count_limit),
        cmocka_unit_test(test_row_count_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
