/* test_cp1250.c — Windows-1250 to UTF-8: every Polish letter, the bytes
 * Windows-1250 leaves undefined refused, ASCII untouched, and a line as Excel
 * on Polish Windows saves it. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "util/cp1250.h"
#include "util/utf8.h"

static char *decode(const char *in, size_t len, int *rc)
{
    char *out = NULL;
    size_t n = 0;
    *rc = cp1250_to_utf8(in, len, &out, &n);
    if (out)
        assert_int_equal(strlen(out), n);
    return out;
}

static void test_polish_letters(void **state)
{
    (void)state;
    /* ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ in Windows-1250. */
    static const char in[] =
        "\xB9\xE6\xEA\xB3\xF1\xF3\x9C\x9F\xBF \xA5\xC6\xCA\xA3\xD1\xD3\x8C\x8F\xAF";
    int rc;
    char *out = decode(in, sizeof in - 1, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ");
    free(out);
}

static void test_punctuation_and_ascii(void **state)
{
    (void)state;
    static const char in[] = "\x84"
                             "cudzys\xB3\xF3w\x94 \x96 \x80 5;a,b\r\n";
    int rc;
    char *out = decode(in, sizeof in - 1, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "„cudzysłów” – € 5;a,b\r\n");
    assert_true(utf8_is_valid(out, strlen(out)));
    free(out);
}

static void test_undefined_bytes_refused(void **state)
{
    (void)state;
    static const unsigned char UNDEFINED[] = {0x81, 0x83, 0x88, 0x90, 0x98};
    for (size_t i = 0; i < sizeof UNDEFINED; i++) {
        char in[4] = {'a', (char)UNDEFINED[i], 'b', 0};
        int rc;
        char *out = decode(in, 3, &rc);
        assert_int_equal(rc, OBR_EINVAL);
        assert_null(out);
    }
}

static void test_excel_line(void **state)
{
    (void)state;
    static const char in[] = "Imi\xEA i nazwisko;E-mail;Funkcja\r\n"
                             "Gra\xBFyna \x8Cwi\xEAtoch;g.swietoch@gmina.example;przewodnicz\xB9"
                             "ca\r\n";
    int rc;
    char *out = decode(in, sizeof in - 1, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "Imię i nazwisko;E-mail;Funkcja\r\n"
                             "Grażyna Świętoch;g.swietoch@gmina.example;przewodnicząca\r\n");
    free(out);
    out = decode("", 0, &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "");
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_polish_letters),
        cmocka_unit_test(test_punctuation_and_ascii),
        cmocka_unit_test(test_undefined_bytes_refused),
        cmocka_unit_test(test_excel_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
