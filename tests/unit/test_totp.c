/* test_totp.c — HOTP/TOTP against the RFC 4226 and RFC 6238 vectors, base32
 * against RFC 4648, the verification window and replay rule, the otpauth URI
 * and recovery codes. */
#include "testutil.h"

#include <ctype.h>

#include "crypto/totp.h"
#include "util/err.h"

static const unsigned char rfc_key[] = "12345678901234567890";
#define RFC_KEY_LEN 20

static void test_hotp_rfc4226_vectors(void **state)
{
    static const uint32_t expect[] = {755224, 287082, 359152, 969429, 338314,
                                      254676, 287922, 162583, 399871, 520489};
    for (uint64_t c = 0; c < 10; c++)
        assert_int_equal(totp_hotp(rfc_key, RFC_KEY_LEN, c, 6), expect[c]);
}

static void test_totp_rfc6238_sha1_vectors(void **state)
{
    static const struct {
        int64_t t;
        const char *code;
    } v[] = {
        {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
        {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char got[9];
        snprintf(got, sizeof got, "%08u",
                 (unsigned)totp_hotp(rfc_key, RFC_KEY_LEN, (uint64_t)(v[i].t / 30), 8));
        assert_string_equal(got, v[i].code);
    }
}

static void test_base32_rfc4648_vectors(void **state)
{
    static const struct {
        const char *plain, *b32;
    } v[] = {
        {"", ""},
        {"f", "MY"},
        {"fo", "MZXQ"},
        {"foo", "MZXW6"},
        {"foob", "MZXW6YQ"},
        {"fooba", "MZXW6YTB"},
        {"foobar", "MZXW6YTBOI"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char enc[32];
        assert_int_equal(totp_base32_encode((const unsigned char *)v[i].plain, strlen(v[i].plain),
                                            enc, sizeof enc),
                         0);
        assert_string_equal(enc, v[i].b32);
        unsigned char dec[32];
        size_t len = 99;
        assert_int_equal(totp_base32_decode(v[i].b32, dec, sizeof dec, &len), 0);
        assert_int_equal(len, strlen(v[i].plain));
        assert_memory_equal(dec, v[i].plain, len);
    }
}

static void test_base32_decode_lenient_input(void **state)
{
    unsigned char dec[16];
    size_t len;
    assert_int_equal(totp_base32_decode("mzxw 6ytb oi", dec, sizeof dec, &len), 0);
    assert_int_equal(len, 6);
    assert_memory_equal(dec, "foobar", 6);
    assert_int_equal(totp_base32_decode("MZXW6YTBOI======", dec, sizeof dec, &len), 0);
    assert_int_equal(len, 6);
}

static void test_base32_decode_rejects_bad_input(void **state)
{
    unsigned char dec[16];
    size_t len;
    assert_int_equal(totp_base32_decode("MZXW1", dec, sizeof dec, &len), OBR_EINVAL);
    assert_int_equal(totp_base32_decode("MZ-XW", dec, sizeof dec, &len), OBR_EINVAL);
    assert_int_equal(totp_base32_decode("MZ=XW", dec, sizeof dec, &len), OBR_EINVAL);
    assert_int_equal(totp_base32_decode("M", dec, sizeof dec, &len), OBR_EINVAL);
    assert_int_equal(totp_base32_decode("MZXW6YTBOI", dec, 3, &len), OBR_ELIMIT);
    char small[4];
    assert_int_equal(totp_base32_encode((const unsigned char *)"foo", 3, small, sizeof small),
                     OBR_ELIMIT);
}

static void test_new_secret_is_32_base32_chars(void **state)
{
    char a[TOTP_SECRET_B32_LEN + 1], b[TOTP_SECRET_B32_LEN + 1];
    assert_int_equal(totp_new_secret(a), 0);
    assert_int_equal(totp_new_secret(b), 0);
    assert_int_equal(strlen(a), 32);
    assert_string_not_equal(a, b);
    unsigned char raw[32];
    size_t len;
    assert_int_equal(totp_base32_decode(a, raw, sizeof raw, &len), 0);
    assert_int_equal(len, 20);
}

/* base32 of the RFC key "12345678901234567890". */
#define RFC_B32 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static void code_at(int64_t t, char out[7])
{
    snprintf(out, 7, "%06u", (unsigned)totp_hotp(rfc_key, RFC_KEY_LEN, (uint64_t)(t / 30), 6));
}

static void test_verify_accepts_current_step(void **state)
{
    char code[7];
    int64_t now = 1111111111, step = 0;
    code_at(now, code);
    assert_int_equal(totp_verify(RFC_B32, code, now, -1, &step), 0);
    assert_int_equal(step, now / 30);
}

static void test_verify_accepts_one_step_either_side(void **state)
{
    char code[7];
    int64_t now = 1111111111, step = 0;
    code_at(now - 30, code);
    assert_int_equal(totp_verify(RFC_B32, code, now, -1, &step), 0);
    assert_int_equal(step, now / 30 - 1);
    code_at(now + 30, code);
    assert_int_equal(totp_verify(RFC_B32, code, now, -1, &step), 0);
    assert_int_equal(step, now / 30 + 1);
}

static void test_verify_refuses_two_steps_away(void **state)
{
    char code[7];
    int64_t now = 1111111111, step = 0;
    code_at(now - 60, code);
    assert_int_equal(totp_verify(RFC_B32, code, now, -1, &step), -1);
    code_at(now + 60, code);
    assert_int_equal(totp_verify(RFC_B32, code, now, -1, &step), -1);
}

static void test_verify_refuses_replay(void **state)
{
    char code[7];
    int64_t now = 1111111111, step = 0;
    code_at(now, code);
    assert_int_equal(totp_verify(RFC_B32, code, now, -1, &step), 0);
    assert_int_equal(totp_verify(RFC_B32, code, now, step, &step), -1);
    /* An older code is refused too once a later step was used. */
    code_at(now - 30, code);
    assert_int_equal(totp_verify(RFC_B32, code, now, now / 30, &step), -1);
}

static void test_verify_refuses_malformed_code_and_secret(void **state)
{
    char code[7];
    int64_t now = 1111111111, step = 0;
    code_at(now, code);
    char spaced[8] = {code[0], code[1], code[2], ' ', code[3], code[4], code[5], '\0'};
    assert_int_equal(totp_verify(RFC_B32, spaced, now, -1, &step), 0);
    assert_int_equal(totp_verify(RFC_B32, "12345", now, -1, &step), -1);
    assert_int_equal(totp_verify(RFC_B32, "1234567", now, -1, &step), -1);
    assert_int_equal(totp_verify(RFC_B32, "12a456", now, -1, &step), -1);
    assert_int_equal(totp_verify(RFC_B32, "", now, -1, &step), -1);
    assert_int_equal(totp_verify("not base32!", code, now, -1, &step), -1);
    assert_int_equal(totp_verify("MZXW6YTBOI", code, now, -1, &step), -1); /* too short */
}

static void test_uri_percent_encodes_label_and_issuer(void **state)
{
    char *uri = totp_uri("Rada Gminy Łąck", "jan.kowalski+rada@example.pl", "gezd gnbv");
    assert_non_null(uri);
    assert_string_equal(uri, "otpauth://totp/Rada%20Gminy%20%C5%81%C4%85ck:"
                             "jan.kowalski%2Brada%40example.pl?secret=GEZDGNBV"
                             "&issuer=Rada%20Gminy%20%C5%81%C4%85ck"
                             "&algorithm=SHA1&digits=6&period=30");
    free(uri);
}

static void test_uri_refuses_bad_arguments(void **state)
{
    assert_null(totp_uri("a:b", "x@y.pl", RFC_B32));
    assert_null(totp_uri("obrady", "x:y", RFC_B32));
    assert_null(totp_uri("", "x@y.pl", RFC_B32));
    assert_null(totp_uri("obrady", "x@y.pl", "bad!"));
    assert_null(totp_uri(NULL, "x@y.pl", RFC_B32));
}

static void test_recovery_codes_format_and_uniqueness(void **state)
{
    enum { N = 200 };
    char codes[N][TOTP_RECOVERY_SIZE];
    assert_int_equal(totp_recovery_codes(codes, N), 0);
    for (int i = 0; i < N; i++) {
        assert_int_equal(strlen(codes[i]), 9);
        assert_int_equal(codes[i][4], '-');
        for (int k = 0; k < 9; k++) {
            if (k == 4)
                continue;
            assert_non_null(strchr("0123456789abcdefghjkmnpqrstvwxyz", codes[i][k]));
        }
        for (int j = 0; j < i; j++)
            assert_string_not_equal(codes[i], codes[j]);
    }
    assert_int_equal(totp_recovery_codes(codes, 0), 0);
    assert_int_equal(totp_recovery_codes(codes, -1), OBR_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hotp_rfc4226_vectors),
        cmocka_unit_test(test_totp_rfc6238_sha1_vectors),
        cmocka_unit_test(test_base32_rfc4648_vectors),
        cmocka_unit_test(test_base32_decode_lenient_input),
        cmocka_unit_test(test_base32_decode_rejects_bad_input),
        cmocka_unit_test(test_new_secret_is_32_base32_chars),
        cmocka_unit_test(test_verify_accepts_current_step),
        cmocka_unit_test(test_verify_accepts_one_step_either_side),
        cmocka_unit_test(test_verify_refuses_two_steps_away),
        cmocka_unit_test(test_verify_refuses_replay),
        cmocka_unit_test(test_verify_refuses_malformed_code_and_secret),
        cmocka_unit_test(test_uri_percent_encodes_label_and_issuer),
        cmocka_unit_test(test_uri_refuses_bad_arguments),
        cmocka_unit_test(test_recovery_codes_format_and_uniqueness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
