/* evote_proofs.c — the four zero-knowledge proofs of a vote on raw bytes:
 * Schnorr proof of knowledge (trustee keys), disjunctive Chaum-Pedersen 0/1
 * proof (each option), the sum-in-[min,max] proof (each ballot) and the DLEQ
 * proof (partial decryptions). Equations: docs/verifiable-voting.md. */
#include <string.h>

#include "crypto/evote_impl.h"

/* G, the ristretto255 generator, so the verifier need not recompute it. */
static const unsigned char G[EV_B] = {
    0xe2, 0xf2, 0xae, 0x0a, 0x6a, 0xbc, 0x4e, 0x71, 0xa8, 0x84, 0xa9, 0x61, 0xc5, 0x00, 0x51, 0x5f,
    0x58, 0xe3, 0x0b, 0x6a, 0xa5, 0x82, 0xdd, 0x8d, 0xb6, 0xa6, 0x59, 0x45, 0xe0, 0x8d, 0x2d, 0x76};

/* out = s·G − c·X */
static void lin_base(unsigned char out[EV_B], const unsigned char s[EV_B],
                     const unsigned char c[EV_B], const unsigned char X[EV_B])
{
    unsigned char a[EV_B], b[EV_B];
    ev_base(a, s);
    ev_mul(b, c, X);
    ev_sub(out, a, b);
}

/* out = s·P − c·X */
static void lin(unsigned char out[EV_B], const unsigned char s[EV_B], const unsigned char P[EV_B],
                const unsigned char c[EV_B], const unsigned char X[EV_B])
{
    unsigned char a[EV_B], b[EV_B];
    ev_mul(a, s, P);
    ev_mul(b, c, X);
    ev_sub(out, a, b);
}

/* out = w + c·x (mod l) */
static void respond(unsigned char out[EV_B], const unsigned char w[EV_B],
                    const unsigned char c[EV_B], const unsigned char x[EV_B])
{
    unsigned char cx[EV_B];
    crypto_core_ristretto255_scalar_mul(cx, c, x);
    crypto_core_ristretto255_scalar_add(out, w, cx);
    sodium_memzero(cx, sizeof cx);
}

static void pok_challenge(unsigned char c[EV_B], const char *vote_id, const char *member_id,
                          const unsigned char C[EV_B], const unsigned char T[EV_B])
{
    struct ev_hs h;
    ev_hs_init(&h, EV_TAG_POK);
    ev_hs_str(&h, vote_id);
    ev_hs_str(&h, member_id);
    ev_hs_bytes(&h, C, EV_B);
    ev_hs_bytes(&h, T, EV_B);
    ev_hs_final(&h, c);
}

void ev_pok_prove(struct ev_chal_resp *out, const char *vote_id, const char *member_id,
                  const unsigned char a[EV_B], const unsigned char C[EV_B],
                  const unsigned char w[EV_B])
{
    unsigned char T[EV_B];
    ev_base(T, w);
    pok_challenge(out->c, vote_id, member_id, C, T);
    respond(out->s, w, out->c, a);
}

bool ev_pok_verify(const struct ev_chal_resp *p, const char *vote_id, const char *member_id,
                   const unsigned char C[EV_B])
{
    unsigned char T[EV_B], c[EV_B];
    lin_base(T, p->s, p->c, C);
    pok_challenge(c, vote_id, member_id, C, T);
    return sodium_memcmp(c, p->c, EV_B) == 0;
}

/* The start of a ballot proof's hash: v1 (eh, credential); v2 (eh, vote id,
 * voter key and, for a 0/1 proof, the option index). */
static void bind_start(struct ev_hs *h, const struct ev_bind *bd, bool is_01)
{
    if (bd->version == 2) {
        ev_hs_init(h, is_01 ? EV_TAG2_01 : EV_TAG2_SUM);
        ev_hs_bytes(h, bd->eh, EV_B);
        ev_hs_str(h, bd->vote_id);
        ev_hs_bytes(h, bd->key, EV_B);
        if (is_01)
            ev_hs_u64(h, bd->option);
        return;
    }
    ev_hs_init(h, is_01 ? EV_TAG_01 : EV_TAG_SUM);
    ev_hs_bytes(h, bd->eh, EV_B);
    ev_hs_bytes(h, bd->key, EV_B);
}

static void challenge_01(unsigned char c[EV_B], const struct ev_bind *bd,
                         const unsigned char alpha[EV_B], const unsigned char beta[EV_B],
                         unsigned char AB[4][EV_B])
{
    struct ev_hs h;
    bind_start(&h, bd, true);
    ev_hs_bytes(&h, alpha, EV_B);
    ev_hs_bytes(&h, beta, EV_B);
    for (int i = 0; i < 4; i++)
        ev_hs_bytes(&h, AB[i], EV_B);
    ev_hs_final(&h, c);
}

void ev_01_prove_b(struct ev_chal_resp out[2], const struct ev_bind *bd, const unsigned char Y[EV_B],
                 const unsigned char alpha[EV_B], const unsigned char beta[EV_B], int v,
                 const unsigned char r[EV_B], const struct ev_nonces01 *n)
{
    unsigned char AB[4][EV_B], beta_k[EV_B], c[EV_B];
    int k = 1 - v; /* the simulated branch */
    ev_base(AB[2 * v], n->w);
    ev_mul(AB[2 * v + 1], n->w, Y);
    memcpy(out[k].c, n->c_fake, EV_B);
    memcpy(out[k].s, n->s_fake, EV_B);
    if (k == 1)
        ev_sub(beta_k, beta, G);
    else
        memcpy(beta_k, beta, EV_B);
    lin_base(AB[2 * k], out[k].s, out[k].c, alpha);
    lin(AB[2 * k + 1], out[k].s, Y, out[k].c, beta_k);
    challenge_01(c, bd, alpha, beta, AB);
    crypto_core_ristretto255_scalar_sub(out[v].c, c, out[k].c);
    respond(out[v].s, n->w, out[v].c, r);
}

void ev_01_prove(struct ev_chal_resp out[2], const unsigned char eh[EV_B],
                 const unsigned char cred[EV_B], const unsigned char Y[EV_B],
                 const unsigned char alpha[EV_B], const unsigned char beta[EV_B], int v,
                 const unsigned char r[EV_B], const struct ev_nonces01 *n)
{
    struct ev_bind bd = {.version = 1, .eh = eh, .key = cred};
    ev_01_prove_b(out, &bd, Y, alpha, beta, v, r, n);
}

bool ev_01_verify_b(const struct ev_chal_resp p[2], const struct ev_bind *bd,
                    const unsigned char Y[EV_B], const unsigned char alpha[EV_B],
                    const unsigned char beta[EV_B])
{
    unsigned char AB[4][EV_B], beta_1[EV_B], c[EV_B], sum[EV_B];
    ev_sub(beta_1, beta, G);
    lin_base(AB[0], p[0].s, p[0].c, alpha);
    lin(AB[1], p[0].s, Y, p[0].c, beta);
    lin_base(AB[2], p[1].s, p[1].c, alpha);
    lin(AB[3], p[1].s, Y, p[1].c, beta_1);
    challenge_01(c, bd, alpha, beta, AB);
    crypto_core_ristretto255_scalar_add(sum, p[0].c, p[1].c);
    return sodium_memcmp(c, sum, EV_B) == 0;
}

bool ev_01_verify(const struct ev_chal_resp p[2], const unsigned char eh[EV_B],
                  const unsigned char cred[EV_B], const unsigned char Y[EV_B],
                  const unsigned char alpha[EV_B], const unsigned char beta[EV_B])
{
    struct ev_bind bd = {.version = 1, .eh = eh, .key = cred};
    return ev_01_verify_b(p, &bd, Y, alpha, beta);
}

/* Hs(tag, binding..., A, B, A_lo, B_lo, ..., A_hi, B_hi) */
static void challenge_sum(unsigned char c[EV_B], const struct ev_bind *bd,
                          const unsigned char A[EV_B], const unsigned char B[EV_B],
                          unsigned char (*AB)[EV_B], int count)
{
    struct ev_hs h;
    bind_start(&h, bd, false);
    ev_hs_bytes(&h, A, EV_B);
    ev_hs_bytes(&h, B, EV_B);
    for (int i = 0; i < 2 * count; i++)
        ev_hs_bytes(&h, AB[i], EV_B);
    ev_hs_final(&h, c);
}

void ev_sum_prove_b(struct ev_chal_resp *out, const struct ev_bind *bd,
                    const unsigned char Y[EV_B], const unsigned char A[EV_B],
                    const unsigned char B[EV_B], int lo, int hi, int m, const unsigned char R[EV_B],
                    const unsigned char w[EV_B], const struct ev_chal_resp *fake)
{
    int count = hi - lo + 1;
    unsigned char AB[2 * EVOTE_MAX_OPTIONS + 2][EV_B], Bm[EV_B], c[EV_B], cm[EV_B] = {0};
    ev_small(Bm, (uint64_t)lo);
    ev_sub(Bm, B, Bm); /* B − m'·G, stepped down by G below */
    for (int i = 0; i < count; i++) {
        if (lo + i == m) {
            ev_base(AB[2 * i], w);
            ev_mul(AB[2 * i + 1], w, Y);
        } else {
            out[i] = fake[i];
            lin_base(AB[2 * i], out[i].s, out[i].c, A);
            lin(AB[2 * i + 1], out[i].s, Y, out[i].c, Bm);
            crypto_core_ristretto255_scalar_add(cm, cm, out[i].c);
        }
        ev_sub(Bm, Bm, G);
    }
    challenge_sum(c, bd, A, B, AB, count);
    int i = m - lo;
    crypto_core_ristretto255_scalar_sub(out[i].c, c, cm);
    respond(out[i].s, w, out[i].c, R);
}

void ev_sum_prove(struct ev_chal_resp *out, const unsigned char eh[EV_B],
                  const unsigned char cred[EV_B], const unsigned char Y[EV_B],
                  const unsigned char A[EV_B], const unsigned char B[EV_B], int lo, int hi, int m,
                  const unsigned char R[EV_B], const unsigned char w[EV_B],
                  const struct ev_chal_resp *fake)
{
    struct ev_bind bd = {.version = 1, .eh = eh, .key = cred};
    ev_sum_prove_b(out, &bd, Y, A, B, lo, hi, m, R, w, fake);
}

bool ev_sum_verify_b(const struct ev_chal_resp *p, const struct ev_bind *bd,
                     const unsigned char Y[EV_B], const unsigned char A[EV_B],
                     const unsigned char B[EV_B], int lo, int hi)
{
    int count = hi - lo + 1;
    unsigned char AB[2 * EVOTE_MAX_OPTIONS + 2][EV_B], Bm[EV_B], c[EV_B], sum[EV_B] = {0};
    ev_small(Bm, (uint64_t)lo);
    ev_sub(Bm, B, Bm);
    for (int i = 0; i < count; i++) {
        lin_base(AB[2 * i], p[i].s, p[i].c, A);
        lin(AB[2 * i + 1], p[i].s, Y, p[i].c, Bm);
        crypto_core_ristretto255_scalar_add(sum, sum, p[i].c);
        if (i + 1 < count)
            ev_sub(Bm, Bm, G);
    }
    challenge_sum(c, bd, A, B, AB, count);
    return sodium_memcmp(c, sum, EV_B) == 0;
}

bool ev_sum_verify(const struct ev_chal_resp *p, const unsigned char eh[EV_B],
                   const unsigned char cred[EV_B], const unsigned char Y[EV_B],
                   const unsigned char A[EV_B], const unsigned char B[EV_B], int lo, int hi)
{
    struct ev_bind bd = {.version = 1, .eh = eh, .key = cred};
    return ev_sum_verify_b(p, &bd, Y, A, B, lo, hi);
}

static void challenge_dleq(unsigned char c[EV_B], const unsigned char eh[EV_B],
                           const unsigned char VK[EV_B], const unsigned char A[EV_B],
                           const unsigned char D[EV_B], const unsigned char T1[EV_B],
                           const unsigned char T2[EV_B])
{
    struct ev_hs h;
    ev_hs_init(&h, EV_TAG_DLEQ);
    ev_hs_bytes(&h, eh, EV_B);
    ev_hs_bytes(&h, VK, EV_B);
    ev_hs_bytes(&h, A, EV_B);
    ev_hs_bytes(&h, D, EV_B);
    ev_hs_bytes(&h, T1, EV_B);
    ev_hs_bytes(&h, T2, EV_B);
    ev_hs_final(&h, c);
}

void ev_dleq_prove(struct ev_chal_resp *out, const unsigned char eh[EV_B],
                   const unsigned char VK[EV_B], const unsigned char A[EV_B],
                   const unsigned char D[EV_B], const unsigned char x[EV_B],
                   const unsigned char w[EV_B])
{
    unsigned char T1[EV_B], T2[EV_B];
    ev_base(T1, w);
    ev_mul(T2, w, A);
    challenge_dleq(out->c, eh, VK, A, D, T1, T2);
    respond(out->s, w, out->c, x);
}

bool ev_dleq_verify(const struct ev_chal_resp *p, const unsigned char eh[EV_B],
                    const unsigned char VK[EV_B], const unsigned char A[EV_B],
                    const unsigned char D[EV_B])
{
    unsigned char T1[EV_B], T2[EV_B], c[EV_B];
    lin_base(T1, p->s, p->c, VK);
    lin(T2, p->s, A, p->c, D);
    challenge_dleq(c, eh, VK, A, D, T1, T2);
    return sodium_memcmp(c, p->c, EV_B) == 0;
}
