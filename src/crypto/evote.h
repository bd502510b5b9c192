/* evote.h — verifiable secret votes: exponential ElGamal on ristretto255 with
 * zero-knowledge proofs, dealer-less threshold trustees and the public board.
 * docs/verifiable-voting.md is the specification; this is its C
 * implementation (libsodium only). Every function here is thread-safe; JSON
 * arguments are borrowed unless a comment says otherwise. Functions that
 * check something fill `why` (EVOTE_WHY_MAX is enough) with the reason. */
#ifndef OBR_EVOTE_H
#define OBR_EVOTE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVOTE_HEX 64            /* hex digits of a point, scalar or hash */
#define EVOTE_SECRET_BYTES 32
#define EVOTE_WHY_MAX 256
#define EVOTE_TRACKER_SHORT 15  /* "3fa2-91bc-0d7e" + NUL */
#define EVOTE_MAX_OPTIONS 64
#define EVOTE_MAX_GROUPS 4
#define EVOTE_MAX_MEMBERS 32    /* per group; also the largest threshold */
#define EVOTE_MAX_BALLOTS 1000000

/* ---- election --------------------------------------------------------- */
struct evote_election;

/* Parses and fully checks an election object (shape, bounds, every trustee's
 * proof of knowledge, the public key) and precomputes its hash and the
 * trustees' verification keys. 0 and *out (free with evote_election_free), or
 * OBR_EINVAL/OBR_ECORRUPT with why. Keeps a reference to `election`. */
int evote_election_parse(const json_t *election, struct evote_election **out, char *why,
                         size_t why_size);
void evote_election_free(struct evote_election *e);
/* SHA-256 of the election's canonical JSON, as hex. */
void evote_election_hash(const struct evote_election *e, char out[EVOTE_HEX + 1]);
unsigned evote_election_options(const struct evote_election *e);
/* 1, or 2 (docs/verifiable-voting.md, spec v2: an electorate of voter keys). */
unsigned evote_election_version(const struct evote_election *e);
/* Y = the sum of every group's C_0 coefficients: the "public_key" to put into
 * an election object whose "trustee_groups" are given. 0 or OBR_EINVAL. */
int evote_public_key(const json_t *trustee_groups, char out[EVOTE_HEX + 1]);

/* ---- ballots ---------------------------------------------------------- */
/* Checks one ballot (without or with a "tracker" member, which must then be
 * right): shape, canonical encodings, every 0/1 proof and the sum proof; v2
 * also the voter's signature (whether the voter key is in force for the
 * voter is the caller's business: the server knows who sends it).
 * 0, or OBR_EINVAL (malformed) / OBR_ECORRUPT (a proof fails) with why naming
 * the option and the proof. */
int evote_ballot_verify(const struct evote_election *e, const json_t *ballot, char *why,
                        size_t why_size);
/* SHA-256 of the ballot's canonical JSON without its "tracker" member. */
int evote_tracker(const json_t *ballot, char out[EVOTE_HEX + 1]);
/* "3fa2-91bc-0d7e": the first 12 hex digits of a tracker in groups of four. */
void evote_tracker_short(const char *tracker, char out[EVOTE_TRACKER_SHORT]);
/* Encrypts choices[0..n_options) (each 0 or 1, their sum within the bounds)
 * with fresh randomness and proofs; credential NULL makes a random one.
 * Returns a new ballot object (caller decrefs) or NULL on bad choices. */
json_t *evote_ballot_encrypt(const struct evote_election *e, const unsigned char *choices,
                             const unsigned char credential[32]);
/* The same for either version: a v2 election needs the voter's crypto_sign
 * secret key (64 bytes; the ballot carries its public half and a signature),
 * a v1 election NULL. */
json_t *evote_ballot_encrypt_signed(const struct evote_election *e, const unsigned char *choices,
                                    const unsigned char credential[32],
                                    const unsigned char *voter_sk);

/* ---- trustees ---------------------------------------------------------- */
/* A member's secret polynomial f(z) = a_0 + a_1 z + ... of degree t-1. */
struct evote_poly {
    unsigned threshold;
    unsigned char a[EVOTE_MAX_MEMBERS][EVOTE_SECRET_BYTES];
};
/* Random coefficients. 0 or OBR_EINVAL for a threshold outside 1..MAX. */
int evote_poly_new(struct evote_poly *p, unsigned threshold);
void evote_poly_wipe(struct evote_poly *p);
/* The member object for an election: {"id","name","index","coefficients",
 * "pok"} with C_k = a_k·G and the proof of knowledge of a_0. New reference. */
json_t *evote_member_public(const struct evote_poly *p, const char *vote_id,
                            const char *member_id, const char *name, unsigned index);
/* Checks a member object a trustee submits for vote_id (exact shape, index
 * 1..n_members, `threshold` valid coefficients, the proof of knowledge).
 * 0, or OBR_EINVAL/OBR_ECORRUPT with why. */
int evote_member_check(const json_t *member, const char *vote_id, unsigned threshold,
                       unsigned n_members, char *why, size_t why_size);
/* f(j): the share this member sends (encrypted) to member j. */
void evote_poly_eval(const struct evote_poly *p, unsigned j, unsigned char out[32]);
/* Feldman check of a received share f_i(j) against member i's public object.
 * 0, or OBR_ECORRUPT when share·G != sum_k j^k·C_k. */
int evote_share_check(const json_t *member_public, unsigned j, const unsigned char share[32]);
/* acc += share (mod l): member j's secret x_j is the sum of its shares. */
void evote_share_add(unsigned char acc[32], const unsigned char share[32]);

/* The server as a 1-of-1 group: writes its secret scalar as hex into
 * secret_hex (store it encrypted; wipe it after) and returns the group object
 * {"threshold":1,"members":[...]} with index 1 (new reference), or NULL. */
json_t *evote_server_trustee_new(const char *vote_id, const char *member_id, const char *name,
                                 char secret_hex[EVOTE_HEX + 1]);
/* A stored secret back to bytes. 0 or OBR_EINVAL (not a canonical scalar). */
int evote_secret_from_hex(const char *hex, unsigned char out[32]);

/* ---- tally ------------------------------------------------------------- */
/* Per option {alpha, beta}: the sums over the ballots (each already
 * verified). New reference, or NULL on a malformed ballot. */
json_t *evote_aggregate(const struct evote_election *e, const json_t *ballots);
/* Member (group g, 0-based; index j) decrypts: {"group","index","factors",
 * "proofs"} with a DLEQ proof per option. Refuses (NULL, why) a secret that
 * does not match the member's verification key. New reference. */
json_t *evote_partial_decrypt(const struct evote_election *e, unsigned group, unsigned index,
                              const unsigned char secret[32], const json_t *aggregate,
                              char *why, size_t why_size);
/* Checks one decryption object against the aggregate. 0 or an error + why. */
int evote_decryption_verify(const struct evote_election *e, const json_t *aggregate,
                            const json_t *decryption, char *why, size_t why_size);
/* Checks every decryption, needs >= threshold distinct members per group,
 * combines them (Lagrange) and finds each option's count in 0..max_count.
 * 0 and *result (a new array of integers), or an error + why. */
int evote_tally(const struct evote_election *e, const json_t *aggregate,
                const json_t *decryptions, uint64_t max_count, json_t **result, char *why,
                size_t why_size);

/* ---- the board --------------------------------------------------------- */
struct evote_board_summary {
    unsigned version; /* 1 or 2 */
    size_t n_ballots, n_voters;
    int64_t eligible_count; /* v2: the size of the electorate */
    unsigned n_options;
    bool is_tallied; /* false: no result yet (decryptions pending) */
    char election_hash[EVOTE_HEX + 1];
    /* v2 only */
    char state[12];                 /* "open", "counting" or "final" */
    char board_hash[EVOTE_HEX + 1];
    char log_head[EVOTE_HEX + 1];
    int64_t log_seq;
    char sign_key[EVOTE_HEX + 1];   /* the installation key that signed the board */
};

/* ---- spec v2: keys, board hash and installation signature -------------- */
#define EVOTE_FINGERPRINT 25 /* "3fa2-91bc-0d7e-55aa-9c01" + NUL */
/* An Ed25519 public key's fingerprint: the first 20 hex digits of its
 * SHA-256 in groups of four (voter keys and the installation key). */
void evote_key_fingerprint(const unsigned char pk[32], char out[EVOTE_FINGERPRINT]);
/* 64 lowercase hex digits of a valid Ed25519 public key into pk: 0 or -1. */
int evote_key_parse(const char *hex, unsigned char pk[32]);

/* SHA-256 of the board's canonical JSON without board_hash, log_seq,
 * log_head and signature (hex). 0 or OBR_EINVAL (no canonical form). */
int evote_board_hash(const json_t *board, char out[EVOTE_HEX + 1]);
/* Sets "board_hash", "log_seq", "log_head" and "signature" {key, signature}
 * on a v2 board: Ed25519 with the installation's crypto_sign secret key over
 * enc("obrady/v2/board") || enc(board hash) || enc(u64 log_seq) ||
 * enc(log head). 0 or an OBR_E code. */
int evote_board_sign(json_t *board, int64_t log_seq, const char *log_head,
                     const unsigned char sign_sk[64]);
/* Verifies everything on a board (docs/verifiable-voting.md, "Verifying a
 * board") using `threads` threads (0: the number of online CPUs). 0 and the
 * summary, or an error with why naming the ballot (tracker, option) or the
 * trustee and the check that failed. */
int evote_board_verify(const json_t *board, unsigned threads, struct evote_board_summary *sum,
                       char *why, size_t why_size);

#endif
