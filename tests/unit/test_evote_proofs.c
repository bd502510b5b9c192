/* test_evote_proofs.c — the evote building blocks one by one: canonical JSON,
 * Hs framing, scalar canonicity, the small discrete log, and each proof
 * (pok, 0/1, sum, DLEQ) accepting honest input and refusing tampered input. */
#include "testutil.h"

#include "crypto/evote.h"
#include "crypto/evote_impl.h"

static void rnd(unsigned char s[32])
{
    crypto_core_ristretto255_scalar_random(s);
}

static void flip(unsigned char s[32])
{
    unsigned char one[32] = {1};
    crypto_core_ristretto255_scalar_add(s, s, one);
}

static void test_canonical_json_sorts_keys_and_escapes_minimally(void **state)
{
    static const struct {
        const char *in, *out;
    } v[] = {
        {"{\"b\":1,\"a\":[true,false,null],\"A\":\"x\"}", "{\"A\":\"x\",\"a\":[true,false,null],\"b\":1}"},
        {"{\"s\":\"q\\\"b\\\\ \\n\\t\\r\\b\\f \\u0001\\u001f / \\u00e9 \\u20ac\"}",
         "{\"s\":\"q\\\"b\\\\ \\n\\t\\r\\b\\f \\u0001\\u001f / \xc3\xa9 \xe2\x82\xac\"}"},
        {"{\"z\":{\"y\":-5,\"x\":0},\"aa\":\"\",\"a\":9007199254740991}",
         "{\"a\":9007199254740991,\"aa\":\"\",\"z\":{\"x\":0,\"y\":-5}}"},
        {"[]", "[]"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        json_t *j = json_loads(v[i].in, 0, NULL);
        assert_non_null(j);
        size_t len;
        char *c = ev_cjson(j, NULL, &len);
        assert_non_null(c);
        assert_string_equal(c, v[i].out);
        assert_int_equal(len, strlen(v[i].out));
        free(c);
        json_decref(j);
    }
    json_t *real = json_pack("{s:f}", "x", 1.5), *big = json_pack("{s:I}", "x", 9007199254740992LL);
    assert_null(ev_cjson(real, NULL, NULL));
    assert_null(ev_cjson(big, NULL, NULL));
    json_decref(real);
    json_decref(big);
}

static void test_hs_frames_every_item_with_its_length(void **state)
{
    unsigned char a[32], b[32];
    struct ev_hs h;
    ev_hs_init(&h, "t");
    ev_hs_str(&h, "ab");
    ev_hs_str(&h, "c");
    ev_hs_final(&h, a);
    ev_hs_init(&h, "t");
    ev_hs_str(&h, "a");
    ev_hs_str(&h, "bc");
    ev_hs_final(&h, b);
    assert_memory_not_equal(a, b, 32);
    /* the same as hashing the framing by hand */
    unsigned char msg[] = {0, 0, 0, 1, 't', 0, 0, 0, 2, 'a', 'b', 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2};
    unsigned char d[64], want[32];
    crypto_hash_sha512(d, msg, sizeof msg);
    crypto_core_ristretto255_scalar_reduce(want, d);
    ev_hs_init(&h, "t");
    ev_hs_str(&h, "ab");
    ev_hs_u64(&h, 258);
    ev_hs_final(&h, a);
    assert_memory_equal(a, want, 32);
}

static void test_scalars_at_or_above_l_are_refused(void **state)
{
    unsigned char l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                           0xa2, 0xde, 0xf9, 0xde, 0x14, [31] = 0x10};
    assert_false(ev_scalar_is_canonical(l));
    l[0]--;
    assert_true(ev_scalar_is_canonical(l));
    memset(l, 0xff, 32);
    assert_false(ev_scalar_is_canonical(l));
    json_t *upper = json_string("ED" "d3f55c1a631258d69cf7a2def9de1400000000000000000000000000000000");
    unsigned char s[32];
    assert_int_not_equal(ev_get_scalar(upper, s), 0);
    json_decref(upper);
}

static void test_small_dlog_finds_counts_and_refuses_out_of_range(void **state)
{
    static const uint64_t ks[] = {0, 1, 2, 99, 100, 101, 1234, 10000};
    unsigned char p[8][32];
    uint64_t got[8];
    for (size_t i = 0; i < 8; i++)
        ev_small(p[i], ks[i]);
    assert_true(ev_is_identity(p[0]));
    assert_int_equal(ev_dlog((const unsigned char(*)[32])p, 8, 10000, got), 0);
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(got[i], ks[i]);
    assert_int_not_equal(ev_dlog((const unsigned char(*)[32])p + 7, 1, 9999, got), 0);
}

static void test_pok_accepts_honest_refuses_tampered(void **state)
{
    unsigned char a[32], C[32], w[32];
    rnd(a);
    rnd(w);
    ev_base(C, a);
    struct ev_chal_resp p, q;
    ev_pok_prove(&p, "v1", "m1", a, C, w);
    assert_true(ev_pok_verify(&p, "v1", "m1", C));
    assert_false(ev_pok_verify(&p, "v2", "m1", C));
    assert_false(ev_pok_verify(&p, "v1", "m2", C));
    q = p;
    flip(q.c);
    assert_false(ev_pok_verify(&q, "v1", "m1", C));
    q = p;
    flip(q.s);
    assert_false(ev_pok_verify(&q, "v1", "m1", C));
    unsigned char C2[32];
    ev_add(C2, C, C);
    assert_false(ev_pok_verify(&p, "v1", "m1", C2));
}

struct enc {
    unsigned char eh[32], cred[32], y[32], Y[32], r[32], alpha[32], beta[32];
};

static void encrypt(struct enc *x, uint64_t v)
{
    unsigned char t[32], vG[32];
    rnd(x->eh);
    rnd(x->cred);
    rnd(x->y);
    ev_base(x->Y, x->y);
    rnd(x->r);
    ev_base(x->alpha, x->r);
    ev_mul(t, x->r, x->Y);
    ev_small(vG, v);
    ev_add(x->beta, t, vG);
}

static void nonces(struct ev_nonces01 *n)
{
    rnd(n->w);
    rnd(n->c_fake);
    rnd(n->s_fake);
}

static void test_01_proof_accepts_0_and_1_refuses_tampered(void **state)
{
    for (int v = 0; v <= 1; v++) {
        struct enc x;
        struct ev_nonces01 n;
        struct ev_chal_resp p[2], q[2];
        encrypt(&x, (uint64_t)v);
        nonces(&n);
        ev_01_prove(p, x.eh, x.cred, x.Y, x.alpha, x.beta, v, x.r, &n);
        assert_true(ev_01_verify(p, x.eh, x.cred, x.Y, x.alpha, x.beta));
        for (int k = 0; k < 4; k++) {
            memcpy(q, p, sizeof q);
            flip(k < 2 ? q[k].c : q[k - 2].s);
            assert_false(ev_01_verify(q, x.eh, x.cred, x.Y, x.alpha, x.beta));
        }
        unsigned char other[32];
        rnd(other);
        assert_false(ev_01_verify(p, other, x.cred, x.Y, x.alpha, x.beta));
        assert_false(ev_01_verify(p, x.eh, other, x.Y, x.alpha, x.beta));
        ev_add(other, x.beta, x.alpha);
        assert_false(ev_01_verify(p, x.eh, x.cred, x.Y, x.alpha, other));
        assert_false(ev_01_verify(p, x.eh, x.cred, x.Y, other, x.beta));
    }
}

static void test_01_proof_cannot_be_made_for_2(void **state)
{
    struct enc x;
    struct ev_nonces01 n;
    struct ev_chal_resp p[2];
    encrypt(&x, 2);
    nonces(&n);
    ev_01_prove(p, x.eh, x.cred, x.Y, x.alpha, x.beta, 1, x.r, &n);
    assert_false(ev_01_verify(p, x.eh, x.cred, x.Y, x.alpha, x.beta));
}

/* Ciphertexts of v[0..n) summed; the sum proof for [lo, hi]. */
static bool sum_case(const uint64_t *v, int n, int lo, int hi, int claim, bool is_tamper)
{
    unsigned char eh[32], cred[32], y[32], Y[32], A[32] = {0}, B[32] = {0}, R[32] = {0}, w[32];
    rnd(eh);
    rnd(cred);
    rnd(y);
    ev_base(Y, y);
    for (int j = 0; j < n; j++) {
        struct enc x;
        encrypt(&x, v[j]);
        unsigned char t[32], vG[32];
        ev_base(x.alpha, x.r);
        ev_mul(t, x.r, Y);
        ev_small(vG, v[j]);
        ev_add(x.beta, t, vG);
        ev_add(A, A, x.alpha);
        ev_add(B, B, x.beta);
        crypto_core_ristretto255_scalar_add(R, R, x.r);
    }
    struct ev_chal_resp fake[8], p[8];
    for (int i = 0; i < 8; i++) {
        rnd(fake[i].c);
        rnd(fake[i].s);
    }
    rnd(w);
    ev_sum_prove(p, eh, cred, Y, A, B, lo, hi, claim, R, w, fake);
    if (is_tamper)
        flip(p[hi - lo].s);
    return ev_sum_verify(p, eh, cred, Y, A, B, lo, hi);
}

static void test_sum_proof_accepts_in_range_refuses_out_of_range(void **state)
{
    static const uint64_t v[] = {1, 0, 1, 1};
    assert_true(sum_case(v, 4, 0, 4, 3, false));
    assert_true(sum_case(v, 4, 3, 3, 3, false));
    assert_true(sum_case(v, 4, 1, 3, 3, false));
    assert_false(sum_case(v, 4, 1, 3, 3, true));
    assert_false(sum_case(v, 4, 0, 2, 2, false)); /* claims 2, the sum is 3 */
    assert_false(sum_case(v, 4, 4, 4, 4, false));
}

static void test_dleq_accepts_honest_refuses_wrong_factor(void **state)
{
    unsigned char eh[32], x[32], VK[32], a[32], A[32], D[32], w[32];
    rnd(eh);
    rnd(x);
    rnd(a);
    rnd(w);
    ev_base(VK, x);
    ev_base(A, a);
    ev_mul(D, x, A);
    struct ev_chal_resp p, q;
    ev_dleq_prove(&p, eh, VK, A, D, x, w);
    assert_true(ev_dleq_verify(&p, eh, VK, A, D));
    unsigned char D2[32];
    ev_add(D2, D, A);
    assert_false(ev_dleq_verify(&p, eh, VK, A, D2));
    q = p;
    flip(q.s);
    assert_false(ev_dleq_verify(&q, eh, VK, A, D));
    /* an identity aggregate (no ballots) decrypts to the identity with a proof */
    unsigned char O[32] = {0};
    ev_dleq_prove(&p, eh, VK, O, O, x, w);
    assert_true(ev_dleq_verify(&p, eh, VK, O, O));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_json_sorts_keys_and_escapes_minimally),
        cmocka_unit_test(test_hs_frames_every_item_with_its_length),
        cmocka_unit_test(test_scalars_at_or_above_l_are_refused),
        cmocka_unit_test(test_small_dlog_finds_counts_and_refuses_out_of_range),
        cmocka_unit_test(test_pok_accepts_honest_refuses_tampered),
        cmocka_unit_test(test_01_proof_accepts_0_and_1_refuses_tampered),
        cmocka_unit_test(test_01_proof_cannot_be_made_for_2),
        cmocka_unit_test(test_sum_proof_accepts_in_range_refuses_out_of_range),
        cmocka_unit_test(test_dleq_accepts_honest_refuses_wrong_factor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
