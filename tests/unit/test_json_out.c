/* test_json_out.c — http/json_out.c writes what json_dumps(v, JSON_COMPACT)
 * writes, byte for byte: every control character, quotes, backslashes,
 * '/', UTF-8, NUL inside strings, integers at their limits, empty and
 * nested containers, reals and very deep values (left to jansson), and
 * thousands of random values; NULL for a bare scalar, as jansson. */
#include "testutil.h"

#include <jansson.h>

#include "http/json_out.h"

static void same(json_t *v)
{
    char *want = json_dumps(v, JSON_COMPACT);
    size_t len = 12345;
    char *got = json_out_dump(v, &len);
    if (!want) {
        assert_null(got);
    } else {
        assert_non_null(got);
        assert_int_equal(len, strlen(want));
        assert_string_equal(got, want);
    }
    free(want);
    free(got);
}

static void test_strings_and_scalars(void **state)
{
    json_t *o = json_object();
    char all[40];
    for (int c = 1; c < 32; c++)
        all[c - 1] = (char)c;
    memcpy(all + 31, "\"\\/\x7f", 5);
    json_object_set_new(o, "controls", json_stringn(all, 35));
    json_object_set_new(o, "nul inside", json_stringn("a\0b", 3));
    json_object_set_new(o, "zażółć \"klucz\"\n", json_string("Gęślą jaźń — € 𝄞"));
    json_object_set_new(o, "min", json_integer(INT64_MIN));
    json_object_set_new(o, "max", json_integer(INT64_MAX));
    json_object_set_new(o, "zero", json_integer(0));
    json_object_set_new(o, "t", json_true());
    json_object_set_new(o, "f", json_false());
    json_object_set_new(o, "n", json_null());
    json_object_set_new(o, "empty o", json_object());
    json_object_set_new(o, "empty a", json_array());
    json_object_set_new(o, "", json_string(""));
    same(o);
    json_object_set_new(o, "real", json_real(0.1)); /* jansson's own precision */
    same(o);
    json_decref(o);
    json_t *s = json_string("bare");
    size_t len;
    assert_null(json_out_dump(s, &len));
    json_decref(s);
    json_t *deep = json_array();
    for (int i = 0; i < 200; i++) {
        json_t *outer = json_array();
        json_array_append_new(outer, deep);
        deep = outer;
    }
    same(deep);
    json_decref(deep);
}

static json_t *random_value(unsigned *seed, int depth)
{
    int kind = (int)(rand_r(seed) % (depth > 4 ? 5 : 7));
    switch (kind) {
    case 0: {
        char s[24];
        size_t n = (size_t)(rand_r(seed) % sizeof s);
        for (size_t i = 0; i < n; i++)
            s[i] = (char)(rand_r(seed) % 128); /* ASCII with controls and NUL */
        return json_stringn(s, n);
    }
    case 1:
        return json_integer((json_int_t)rand_r(seed) * (rand_r(seed) % 2 ? -1 : 1) * 1000003);
    case 2:
        return json_boolean(rand_r(seed) % 2);
    case 3:
        return json_null();
    case 4:
        return json_string("ąę/ü");
    case 5: {
        json_t *a = json_array();
        for (int n = (int)(rand_r(seed) % 5); n > 0; n--)
            json_array_append_new(a, random_value(seed, depth + 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        for (int n = (int)(rand_r(seed) % 5); n > 0; n--) {
            char key[12];
            snprintf(key, sizeof key, "k%c%u", (char)(rand_r(seed) % 94 + 33), rand_r(seed) % 100);
            json_object_set_new(o, key, random_value(seed, depth + 1));
        }
        return o;
    }
    }
}

static void test_random_values(void **state)
{
    unsigned seed = 16;
    for (int i = 0; i < 5000; i++) {
        json_t *a = json_array();
        json_array_append_new(a, random_value(&seed, 0));
        same(a);
        json_decref(a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_and_scalars),
        cmocka_unit_test(test_random_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
