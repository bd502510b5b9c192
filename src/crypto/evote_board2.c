/* evote_board2.c — the version 2 bulletin board (docs/verifiable-voting.md,
 * section 13): one shape for every published state (open, counting, final),
 * the board hash, the installation's Ed25519 signature over the board hash and
 * the meeting log's head, the electorate bound on the number of ballots and
 * one ballot per voter key. Ballots and the tally reuse evote_board.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/evote_impl.h"
#include "util/err.h"

static const char *const BOARD_KEYS[] = {"version",     "state",       "election",
                                         "election_hash", "key_changes", "ballots",
                                         "aggregate",   "decryptions", "result",
                                         "log_seq",     "log_head",    "board_hash",
                                         "signature"};
#define N_BOARD_KEYS (sizeof BOARD_KEYS / sizeof *BOARD_KEYS)
#define JSON_SAFE_MAX 9007199254740991LL /* 2^53 - 1 */

void evote_key_fingerprint(const unsigned char pk[32], char out[EVOTE_FINGERPRINT])
{
    unsigned char h[EV_B];
    char hex[EVOTE_HEX + 1];
    crypto_hash_sha256(h, pk, EV_B);
    ev_hex(hex, h);
    size_t k = 0;
    for (size_t i = 0; i < 20; i++) {
        if (i && i % 4 == 0)
            out[k++] = '-';
        out[k++] = hex[i];
    }
    out[k] = 0;
}

int evote_key_parse(const char *hex, unsigned char pk[32])
{
    unsigned char x[crypto_scalarmult_curve25519_BYTES];
    if (!hex || ev_unhex(pk, EV_B, hex) || crypto_sign_ed25519_pk_to_curve25519(x, pk))
        return -1;
    return 0;
}

int evote_board_hash(const json_t *board, char out[EVOTE_HEX + 1])
{
    json_t *copy = json_copy((json_t *)board);
    if (!copy)
        return OBR_ENOMEM;
    json_object_del(copy, "log_seq");
    json_object_del(copy, "log_head");
    json_object_del(copy, "signature");
    size_t len;
    char *cj = ev_cjson(copy, "board_hash", &len);
    json_decref(copy);
    if (!cj)
        return OBR_EINVAL;
    unsigned char h[EV_B];
    crypto_hash_sha256(h, (const unsigned char *)cj, len);
    free(cj);
    ev_hex(out, h);
    return 0;
}

/* The message the installation signs (evote.h, evote_board_sign). */
static void board_message(unsigned char out[4 + 15 + 4 + 32 + 4 + 8 + 4 + 32], size_t *len,
                          const unsigned char hash[EV_B], int64_t seq,
                          const unsigned char head[EV_B])
{
    size_t at = 0;
    unsigned char u[8];
    for (int i = 0; i < 8; i++)
        u[i] = (unsigned char)((uint64_t)seq >> (56 - 8 * i));
    ev_frame(out, &at, EV_TAG2_BOARD, strlen(EV_TAG2_BOARD));
    ev_frame(out, &at, hash, EV_B);
    ev_frame(out, &at, u, 8);
    ev_frame(out, &at, head, EV_B);
    *len = at;
}

int evote_board_sign(json_t *board, int64_t log_seq, const char *log_head,
                     const unsigned char sign_sk[64])
{
    char hash_hex[EVOTE_HEX + 1], key[EVOTE_HEX + 1], sig_hex[2 * EV_SIG_B + 1];
    unsigned char hash[EV_B], head[EV_B], sig[EV_SIG_B], msg[128];
    size_t len;
    int rc = evote_board_hash(board, hash_hex);
    if (rc)
        return rc;
    if (log_seq < 1 || ev_unhex(head, EV_B, log_head) || ev_unhex(hash, EV_B, hash_hex))
        return OBR_EINVAL;
    board_message(msg, &len, hash, log_seq, head);
    crypto_sign_detached(sig, NULL, msg, len, sign_sk);
    ev_hex(key, sign_sk + 32);
    sodium_bin2hex(sig_hex, sizeof sig_hex, sig, sizeof sig);
    json_t *s = json_pack("{s:s, s:s}", "key", key, "signature", sig_hex);
    if (!s || json_object_set_new(board, "signature", s) ||
        json_object_set_new(board, "board_hash", json_string(hash_hex)) ||
        json_object_set_new(board, "log_seq", json_integer(log_seq)) ||
        json_object_set_new(board, "log_head", json_string(log_head)))
        return OBR_ENOMEM;
    return 0;
}

/* board_hash, log_seq, log_head and the installation signature. */
static int check_anchor(const json_t *board, struct evote_board_summary *sum, char *why,
                        size_t why_size)
{
    static const char *const skeys[] = {"key", "signature"};
    const json_t *seq = json_object_get(board, "log_seq"), *sg = json_object_get(board, "signature");
    const char *head = json_string_value(json_object_get(board, "log_head"));
    const char *given = json_string_value(json_object_get(board, "board_hash"));
    const char *key = json_string_value(json_object_get(sg, "key"));
    const char *sig_hex = json_string_value(json_object_get(sg, "signature"));
    unsigned char h[EV_B], hd[EV_B], pk[EV_B], sig[EV_SIG_B], msg[128];
    if (!json_is_integer(seq) || json_integer_value(seq) < 1 ||
        json_integer_value(seq) > JSON_SAFE_MAX)
        return ev_fail(OBR_EINVAL, why, why_size, "log_seq must be an integer from 1");
    if (!head || ev_unhex(hd, EV_B, head))
        return ev_fail(OBR_EINVAL, why, why_size, "log_head must be 64 lowercase hex digits");
    int rc = evote_board_hash(board, sum->board_hash);
    if (rc)
        return ev_fail(rc, why, why_size, "the board has no canonical JSON form");
    if (!given || strcmp(given, sum->board_hash))
        return ev_fail(OBR_ECORRUPT, why, why_size, "board_hash: the board's hash is %s",
                       sum->board_hash);
    if (!ev_has_exactly(sg, skeys, 2) || !key || ev_unhex(pk, EV_B, key) ||
        ev_unhex(sig, EV_SIG_B, sig_hex))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "signature must be {key: 64 hex, signature: 128 hex}");
    size_t len;
    ev_unhex(h, EV_B, given);
    board_message(msg, &len, h, json_integer_value(seq), hd);
    if (crypto_sign_verify_detached(sig, msg, len, pk))
        return ev_fail(OBR_ECORRUPT, why, why_size,
                       "signature: the installation key %s did not sign this board hash and "
                       "log head", key);
    sum->log_seq = json_integer_value(seq);
    snprintf(sum->log_head, sizeof sum->log_head, "%s", head);
    snprintf(sum->sign_key, sizeof sum->sign_key, "%s", key);
    return 0;
}

/* state and which of aggregate / result may be null in it. */
static int check_state(const json_t *board, struct evote_board_summary *sum, char *why,
                       size_t why_size)
{
    const char *state = json_string_value(json_object_get(board, "state"));
    const json_t *agg = json_object_get(board, "aggregate"), *res = json_object_get(board, "result");
    const json_t *decs = json_object_get(board, "decryptions");
    bool is_open = state && !strcmp(state, "open"), is_final = state && !strcmp(state, "final");
    if (!state || (!is_open && !is_final && strcmp(state, "counting")))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "state must be \"open\", \"counting\" or \"final\"");
    snprintf(sum->state, sizeof sum->state, "%s", state);
    if (!json_is_array(decs))
        return ev_fail(OBR_EINVAL, why, why_size, "decryptions must be an array");
    if (is_open && (!json_is_null(agg) || json_array_size(decs) || !json_is_null(res)))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "state open: aggregate and result must be null, decryptions empty");
    if (!is_open && !json_is_array(agg))
        return ev_fail(OBR_EINVAL, why, why_size, "state %s: aggregate must be an array", state);
    if (is_final != !json_is_null(res))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "state %s: result must be %s", state, is_final ? "the counts" : "null");
    if (is_final && !json_is_array(res))
        return ev_fail(OBR_EINVAL, why, why_size, "result must be an array of counts");
    return 0;
}

static int cmp_voter_name(const void *key, const void *entry)
{
    return strcmp(key, ((const struct ev_voter *)entry)->name);
}

/* key_changes: [{name, key}] ascending by name; each names an electorate
 * entry and gives the key in force for it in this vote (the member cast
 * their one ballot from a device whose key was not the frozen one). */
static int apply_key_changes(struct evote_election *e, const json_t *changes, char *why,
                             size_t why_size)
{
    static const char *const keys[] = {"name", "key"};
    if (!json_is_array(changes) || json_array_size(changes) > e->n_entries)
        return ev_fail(OBR_EINVAL, why, why_size,
                       "key_changes must be an array of at most one change per voter");
    const char *prev = NULL;
    for (size_t i = 0; i < json_array_size(changes); i++) {
        const json_t *c = json_array_get(changes, i);
        const char *name = json_string_value(json_object_get(c, "name"));
        const char *key = json_string_value(json_object_get(c, "key"));
        unsigned char pk[EV_B];
        if (!ev_has_exactly(c, keys, 2) || !name || !key || evote_key_parse(key, pk))
            return ev_fail(OBR_EINVAL, why, why_size,
                           "key_changes entry %zu is not {name, key: a valid Ed25519 key}", i);
        if (prev && strcmp(prev, name) >= 0)
            return ev_fail(OBR_EINVAL, why, why_size,
                           "key_changes entry %zu (%.80s): names are not strictly ascending", i,
                           name);
        struct ev_voter *v = bsearch(name, e->entries, e->n_entries, sizeof *e->entries,
                                     cmp_voter_name);
        if (!v)
            return ev_fail(OBR_ECORRUPT, why, why_size,
                           "key_changes entry %zu: \"%.80s\" is not in the electorate", i, name);
        if (v->has_key && !memcmp(v->key, pk, EV_B))
            return ev_fail(OBR_EINVAL, why, why_size,
                           "key_changes entry %zu (%.80s): the key is the frozen one", i, name);
        v->has_key = true;
        memcpy(v->key, pk, EV_B);
        prev = name;
    }
    int rc = ev_electorate_index(e);
    for (size_t i = 1; i < e->n_electorate && !rc; i++) {
        if (!memcmp(e->electorate[i - 1], e->electorate[i], EV_B)) {
            char h[EVOTE_HEX + 1];
            ev_hex(h, e->electorate[i]);
            rc = ev_fail(OBR_ECORRUPT, why, why_size,
                         "key_changes: the key %s would be in force for two voters", h);
        }
    }
    return rc;
}

int ev_board2_verify(const json_t *board, unsigned threads, struct evote_board_summary *sum,
                     char *why, size_t why_size)
{
    const json_t *ver = json_object_get(board, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) != 2)
        return ev_fail(OBR_EINVAL, why, why_size, "version must be the integer 2");
    sum->version = 2;
    if (!ev_has_exactly(board, BOARD_KEYS, N_BOARD_KEYS))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "a version 2 board has exactly version, state, election, election_hash, "
                       "key_changes, ballots, aggregate, decryptions, result, log_seq, "
                       "log_head, board_hash and signature");
    struct evote_election *e;
    int rc = evote_election_parse(json_object_get(board, "election"), &e, why, why_size);
    if (rc)
        return rc;
    if (e->version != 2)
        rc = ev_fail(OBR_EINVAL, why, why_size, "a version 2 board needs a version 2 election");
    evote_election_hash(e, sum->election_hash);
    sum->n_options = e->n_options;
    sum->eligible_count = (int64_t)e->n_entries;
    const char *given = json_string_value(json_object_get(board, "election_hash"));
    const json_t *ballots = json_object_get(board, "ballots");
    if (!rc && (!given || strcmp(given, sum->election_hash)))
        rc = ev_fail(OBR_ECORRUPT, why, why_size, "election_hash: the election's hash is %s",
                     sum->election_hash);
    if (!rc)
        rc = check_state(board, sum, why, why_size);
    if (!rc)
        rc = apply_key_changes(e, json_object_get(board, "key_changes"), why, why_size);
    if (!rc && !json_is_array(ballots))
        rc = ev_fail(OBR_EINVAL, why, why_size, "ballots must be an array");
    if (!rc && json_array_size(ballots) > e->n_electorate)
        rc = ev_fail(OBR_ECORRUPT, why, why_size,
                     "%zu ballots but only %zu voters of the electorate have a key",
                     json_array_size(ballots), e->n_electorate);
    if (!rc)
        rc = ev_board_check_order(ballots, "voter_key", why, why_size);
    sum->n_ballots = sum->n_voters = json_array_size(ballots);
    unsigned char A[EVOTE_MAX_OPTIONS][EV_B] = {{0}}, B[EVOTE_MAX_OPTIONS][EV_B] = {{0}};
    if (!rc)
        rc = ev_board_verify_ballots(e, ballots, threads, A, B, why, why_size);
    if (!rc && strcmp(sum->state, "open"))
        rc = ev_board_check_tally(e, board, sum->n_ballots, (const unsigned char(*)[EV_B])A,
                                  (const unsigned char(*)[EV_B])B, sum, why, why_size);
    /* Last, so that a changed ballot or count is named by the check it fails. */
    if (!rc)
        rc = check_anchor(board, sum, why, why_size);
    evote_election_free(e);
    return rc;
}
