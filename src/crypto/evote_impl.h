/* evote_impl.h — internals shared by the evote_*.c files: ristretto255 point
 * and scalar helpers over libsodium, the Hs transcript, hex, canonical JSON and
 * the proof primitives on raw bytes. Not for use outside src/crypto. */
#ifndef OBR_EVOTE_IMPL_H
#define OBR_EVOTE_IMPL_H

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto/evote.h"

#define EV_B 32 /* bytes of a point or a scalar */

/* ---- points and scalars (evote_group.c) ---------------------------------- */
/* All points are canonical ristretto255 encodings; the identity is 32 zeros. */
bool ev_scalar_is_canonical(const unsigned char s[EV_B]);
void ev_scalar_from_u64(unsigned char out[EV_B], uint64_t v);
/* out = s·G; the identity when s is 0. */
void ev_base(unsigned char out[EV_B], const unsigned char s[EV_B]);
/* out = s·P for a valid P; the identity when s is 0 or P is the identity. */
void ev_mul(unsigned char out[EV_B], const unsigned char s[EV_B], const unsigned char p[EV_B]);
void ev_add(unsigned char out[EV_B], const unsigned char p[EV_B], const unsigned char q[EV_B]);
void ev_sub(unsigned char out[EV_B], const unsigned char p[EV_B], const unsigned char q[EV_B]);
/* m·G for a small m (0 allowed), by one base multiplication. */
void ev_small(unsigned char out[EV_B], uint64_t m);
bool ev_is_identity(const unsigned char p[EV_B]);

/* ---- hex and JSON fields (evote_group.c) --------------------------------- */
void ev_hex(char out[2 * EV_B + 1], const unsigned char in[EV_B]);
json_t *ev_hex_json(const unsigned char in[EV_B]);
/* Lowercase hex of exactly 2·len digits into bytes; -1 otherwise. */
int ev_unhex(unsigned char *out, size_t len, const char *hex);
/* A JSON string holding a canonical scalar. */
int ev_get_scalar(const json_t *v, unsigned char out[EV_B]);
/* A JSON string holding a valid point; is_identity_ok allows the identity. */
int ev_get_point(const json_t *v, unsigned char out[EV_B], bool is_identity_ok);
/* True when obj has exactly the n keys given (in any order). */
bool ev_has_exactly(const json_t *obj, const char *const *keys, size_t n);

/* enc(b) = uint32_be(len) || b, written at out + *at (which advances): the
 * framing of Hs and of the v2 signed messages. */
void ev_frame(unsigned char *out, size_t *at, const void *b, size_t len);

/* ---- Hs transcript (evote_group.c) -------------------------------------- */
struct ev_hs {
    crypto_hash_sha512_state st;
};
void ev_hs_init(struct ev_hs *h, const char *tag);
void ev_hs_bytes(struct ev_hs *h, const void *b, size_t len);
void ev_hs_str(struct ev_hs *h, const char *s);
void ev_hs_u64(struct ev_hs *h, uint64_t v);
void ev_hs_final(struct ev_hs *h, unsigned char out[EV_B]);

/* ---- canonical JSON (evote_cjson.c) -------------------------------------- */
/* The canonical encoding of v as a malloc'd string (*len its length), or NULL
 * for values that have none (reals) or on allocation failure. skip_key, when
 * not NULL, leaves out that member of the top-level object. */
char *ev_cjson(const json_t *v, const char *skip_key, size_t *len);

/* ---- small discrete log (evote_group.c) ---------------------------------- */
/* Finds 0 <= k <= max with k·G == p for each of the n points; -1 if one has
 * none. Baby-step giant-step. */
int ev_dlog(const unsigned char (*p)[EV_B], size_t n, uint64_t max, uint64_t *out);

/* ---- proofs on raw bytes (evote_proofs.c) -------------------------------- */
#define EV_TAG_POK "obrady/v1/pok"
#define EV_TAG_01 "obrady/v1/01"
#define EV_TAG_SUM "obrady/v1/sum"
#define EV_TAG_DLEQ "obrady/v1/dleq"
#define EV_TAG2_01 "obrady/v2/01"
#define EV_TAG2_SUM "obrady/v2/sum"
#define EV_TAG2_BALLOT "obrady/v2/ballot"
#define EV_TAG2_BOARD "obrady/v2/board"
#define EV_SIG_B 64 /* an Ed25519 signature */

/* What a ballot proof's hash binds: v1 the election hash and the ballot's
 * credential (key); v2 the election hash, the vote id, the ballot's voter key
 * (key) and, for a 0/1 proof, the option index. */
struct ev_bind {
    int version;
    const unsigned char *eh, *key;
    const char *vote_id;
    unsigned option;
};

struct ev_chal_resp {
    unsigned char c[EV_B], s[EV_B];
};

void ev_pok_prove(struct ev_chal_resp *out, const char *vote_id, const char *member_id,
                  const unsigned char a[EV_B], const unsigned char C[EV_B],
                  const unsigned char w[EV_B]);
bool ev_pok_verify(const struct ev_chal_resp *p, const char *vote_id, const char *member_id,
                   const unsigned char C[EV_B]);

/* The random values a 0/1 or sum prover needs; fixed ones give test vectors. */
struct ev_nonces01 {
    unsigned char w[EV_B], c_fake[EV_B], s_fake[EV_B];
};
void ev_01_prove(struct ev_chal_resp out[2], const unsigned char eh[EV_B],
                 const unsigned char cred[EV_B], const unsigned char Y[EV_B],
                 const unsigned char alpha[EV_B], const unsigned char beta[EV_B], int v,
                 const unsigned char r[EV_B], const struct ev_nonces01 *n);
bool ev_01_verify(const struct ev_chal_resp p[2], const unsigned char eh[EV_B],
                  const unsigned char cred[EV_B], const unsigned char Y[EV_B],
                  const unsigned char alpha[EV_B], const unsigned char beta[EV_B]);

void ev_01_prove_b(struct ev_chal_resp out[2], const struct ev_bind *bd, const unsigned char Y[EV_B],
                   const unsigned char alpha[EV_B], const unsigned char beta[EV_B], int v,
                   const unsigned char r[EV_B], const struct ev_nonces01 *n);
bool ev_01_verify_b(const struct ev_chal_resp p[2], const struct ev_bind *bd,
                    const unsigned char Y[EV_B], const unsigned char alpha[EV_B],
                    const unsigned char beta[EV_B]);
void ev_sum_prove_b(struct ev_chal_resp *out, const struct ev_bind *bd,
                    const unsigned char Y[EV_B], const unsigned char A[EV_B],
                    const unsigned char B[EV_B], int lo, int hi, int m, const unsigned char R[EV_B],
                    const unsigned char w[EV_B], const struct ev_chal_resp *fake);
bool ev_sum_verify_b(const struct ev_chal_resp *p, const struct ev_bind *bd,
                     const unsigned char Y[EV_B], const unsigned char A[EV_B],
                     const unsigned char B[EV_B], int lo, int hi);

/* Sum proof over m' in [lo, hi]; fake[i] holds (c, s) for m' = lo + i, the
 * entry of the real m is ignored. */
void ev_sum_prove(struct ev_chal_resp *out, const unsigned char eh[EV_B],
                  const unsigned char cred[EV_B], const unsigned char Y[EV_B],
                  const unsigned char A[EV_B], const unsigned char B[EV_B], int lo, int hi, int m,
                  const unsigned char R[EV_B], const unsigned char w[EV_B],
                  const struct ev_chal_resp *fake);
bool ev_sum_verify(const struct ev_chal_resp *p, const unsigned char eh[EV_B],
                   const unsigned char cred[EV_B], const unsigned char Y[EV_B],
                   const unsigned char A[EV_B], const unsigned char B[EV_B], int lo, int hi);

void ev_dleq_prove(struct ev_chal_resp *out, const unsigned char eh[EV_B],
                   const unsigned char VK[EV_B], const unsigned char A[EV_B],
                   const unsigned char D[EV_B], const unsigned char x[EV_B],
                   const unsigned char w[EV_B]);
bool ev_dleq_verify(const struct ev_chal_resp *p, const unsigned char eh[EV_B],
                    const unsigned char VK[EV_B], const unsigned char A[EV_B],
                    const unsigned char D[EV_B]);

/* ---- the parsed election (evote_election.c) ------------------------------ */
struct ev_member {
    const char *id; /* borrowed from the election JSON */
    unsigned index;
    unsigned char vk[EV_B];
    unsigned char (*coef)[EV_B]; /* threshold points */
};

struct ev_group {
    unsigned threshold, n_members;
    struct ev_member *members;
};

/* v2: one electorate entry (names borrowed from the JSON). */
struct ev_voter {
    const char *name;
    bool has_key;
    unsigned char key[EV_B];
};

struct evote_election {
    json_t *json; /* a reference */
    unsigned version; /* 1 or 2 */
    const char *vote_id;
    size_t n_entries;               /* v2: the electorate, ascending by name */
    struct ev_voter *entries;
    size_t n_electorate;            /* v2: the keys in force, ascending */
    unsigned char (*electorate)[EV_B];
    unsigned char hash[EV_B];
    unsigned char Y[EV_B];
    unsigned n_options, min, max;
    unsigned n_groups;
    struct ev_group *groups;
};

/* The member of group g with index j, or NULL. */
const struct ev_member *ev_member_find(const struct evote_election *e, unsigned g, unsigned j);

/* ---- ballots (evote_ballot.c) ------------------------------------------- */
struct ev_ballot {
    unsigned char cred[EV_B]; /* v1 the credential, v2 the voter key */
    unsigned char sig[EV_SIG_B]; /* v2 */
    unsigned n;
    unsigned char alpha[EVOTE_MAX_OPTIONS][EV_B], beta[EVOTE_MAX_OPTIONS][EV_B];
    struct ev_chal_resp p01[EVOTE_MAX_OPTIONS][2];
    struct ev_chal_resp sum[EVOTE_MAX_OPTIONS + 1];
};
/* Reads the ballot's fields (a "tracker" member only if is_tracker_ok, not
 * checked here) into b: 0 or OBR_EINVAL with why. */
int ev_ballot_read(const struct evote_election *e, const json_t *ballot, bool is_tracker_ok,
                   struct ev_ballot *b, char *why, size_t why_size);
/* Checks every proof of a read ballot: 0 or OBR_ECORRUPT with why. */
int ev_ballot_check(const struct evote_election *e, const struct ev_ballot *b, char *why,
                    size_t why_size);
/* Encryption with every random value given (test vectors); NULL on bad
 * choices. sum_fake[i] is used for m' = min + i except the real count.
 * v2 elections need sign_sk (crypto_sign secret key; cred is then ignored),
 * v1 ones NULL. */
json_t *ev_ballot_encrypt_with(const struct evote_election *e, const unsigned char *v,
                               const unsigned char cred[EV_B], const unsigned char (*r)[EV_B],
                               const struct ev_nonces01 *n01, const unsigned char sum_w[EV_B],
                               const struct ev_chal_resp *sum_fake,
                               const unsigned char *sign_sk);
/* v2: the voter key is in force in the electorate (when is_member_checked)
 * and the signature over the election hash and the ballot holds. 0 or
 * OBR_ECORRUPT with why. */
int ev_ballot_check_signature(const struct evote_election *e, const json_t *ballot,
                              const struct ev_ballot *b, bool is_member_checked, char *why,
                              size_t why_size);

/* ---- trustees and tally (evote_trustee.c, evote_tally.c) ---------------- */
json_t *ev_member_public_with(const struct evote_poly *p, const char *vote_id,
                              const char *member_id, const char *name, unsigned index,
                              const unsigned char w[EV_B]);
/* w[option]: the DLEQ nonces, given for test vectors. */
json_t *ev_partial_decrypt_with(const struct evote_election *e, unsigned group, unsigned index,
                                const unsigned char secret[EV_B], const json_t *aggregate,
                                const unsigned char (*w)[EV_B], char *why, size_t why_size);
/* Reads an aggregate array (identity allowed) into A and B. 0 or -1. */
int ev_read_aggregate(const struct evote_election *e, const json_t *agg,
                      unsigned char (*A)[EV_B], unsigned char (*B)[EV_B]);
json_t *ev_aggregate_json(const struct evote_election *e, const unsigned char (*A)[EV_B],
                          const unsigned char (*B)[EV_B]);

/* v2: the message a voter signs: enc(tag) || enc(eh) || enc(canonical JSON
 * of the ballot without "signature" and "tracker"); malloc'd, NULL on a value
 * without a canonical form. */
unsigned char *ev_ballot_message(const unsigned char eh[EV_B], const json_t *ballot, size_t *len);
/* v2: rebuilds the sorted keys in force from the entries. 0 or OBR_ENOMEM. */
int ev_electorate_index(const struct evote_election *e);
/* v2: whether key is in the election's electorate. */
bool ev_in_electorate(const struct evote_election *e, const unsigned char key[EV_B]);

/* ---- the board (evote_board.c, evote_board2.c) -------------------------- */
/* Trackers strictly ascending (so unique) and key_name ("credential" or
 * "voter_key") 64 hex and unique. */
int ev_board_check_order(const json_t *ballots, const char *key_name, char *why,
                         size_t why_size);
/* Every ballot on `threads` threads; A, B (zeroed by the caller) get the sums. */
int ev_board_verify_ballots(const struct evote_election *e, const json_t *ballots,
                            unsigned threads, unsigned char (*A)[EV_B], unsigned char (*B)[EV_B],
                            char *why, size_t why_size);
/* The aggregate against A, B, every decryption (no trustee twice) and, when
 * "result" is not null, the combination and the counts. */
int ev_board_check_tally(const struct evote_election *e, const json_t *board, size_t n_ballots,
                         const unsigned char (*A)[EV_B], const unsigned char (*B)[EV_B],
                         struct evote_board_summary *sum, char *why, size_t why_size);
/* A board with a top-level "version" (spec v2). */
int ev_board2_verify(const json_t *board, unsigned threads, struct evote_board_summary *sum,
                     char *why, size_t why_size);

/* Fills why with a formatted reason and returns rc (an OBR_E... code). */
int ev_fail(int rc, char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
