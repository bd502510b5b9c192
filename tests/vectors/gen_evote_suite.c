/* gen_evote_suite.c — prints the spec v2 conformance suite
 * (tests/vectors/evote-v2-suite.json; `make evote-suite` rewrites it): valid
 * and invalid boards, some with the meeting log they must match, each with
 * the verdict every verifier must reach and the words its failure must name.
 * Read by tests/unit/test_evote_suite.c (C), tests/crypto/suite.test.mjs (JS)
 * and tests/pyverify/ (Python). Every invalid board differs from a valid one
 * by one fault; where the fault changes signed content, the ballot is signed
 * again by its voter and the board again by the installation, so that only
 * the fault is wrong. Keys come from fixed seeds; the rest is random. */
#include <sodium.h>

#include "evote_fixture.h"
#include "log/eventlog.h"

#define N_VOTERS 6
#define MEETING "m-test"

struct voter {
    const char *name;
    unsigned char pk[32], sk[64];
};

static struct voter voters[N_VOTERS + 2]; /* the last two: an outsider, an excluded member */
static unsigned char inst_pk[32], inst_sk[64];
static json_t *cases;

static void seeded_keypair(const char *label, unsigned i, unsigned char pk[32],
                           unsigned char sk[64])
{
    char s[64];
    unsigned char seed[32];
    snprintf(s, sizeof s, "obrady suite %s %u", label, i);
    crypto_hash_sha256(seed, (const unsigned char *)s, strlen(s));
    crypto_sign_seed_keypair(pk, sk, seed);
}

static json_t *hexj(const unsigned char *b, size_t n)
{
    char h[129];
    sodium_bin2hex(h, sizeof h, b, n);
    return json_string(h);
}

/* An election of vote_id for voters[0..n) (has_key[i] false: no key at
 * opening), the server and, when is_committee, a 2-of-3 committee. */
static int make_election(struct fx_election *f, const char *vote_id, size_t n,
                         const bool *has_key, bool is_committee)
{
    static const unsigned t[] = {1, 2}, nn[] = {1, 3};
    struct fx_rng rs = {0};
    if (fx_election_new(f, &rs, vote_id, 3, 1, 1, is_committee ? 2 : 1, t, nn))
        return -1;
    json_t *el = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(el, json_pack("{s:s, s:o}", "name", voters[i].name, "key",
                                            !has_key || has_key[i] ? hexj(voters[i].pk, 32)
                                                                   : json_null()));
    json_object_set_new(f->json, "version", json_integer(2));
    json_object_set_new(f->json, "electorate", el);
    evote_election_free(f->e);
    char why[EVOTE_WHY_MAX];
    if (evote_election_parse(f->json, &f->e, why, sizeof why)) {
        fprintf(stderr, "suite election: %s\n", why);
        return -1;
    }
    return 0;
}

static json_t *ballot_of(struct fx_election *f, const unsigned char sk[64], unsigned choice)
{
    unsigned char v[3] = {0};
    v[choice % 3] = 1;
    return evote_ballot_encrypt_signed(f->e, v, NULL, sk);
}

/* Signs a ballot again with sk after a change, and drops its tracker. */
static void resign_ballot(struct fx_election *f, json_t *b, const unsigned char sk[64])
{
    size_t len;
    json_object_del(b, "tracker");
    unsigned char *m = ev_ballot_message(f->e->hash, b, &len), sig[64];
    crypto_sign_detached(sig, NULL, m, len, sk);
    free(m);
    json_object_set_new(b, "signature", hexj(sig, 64));
}

static int cmp_tracker(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "tracker")),
                  json_string_value(json_object_get(*(json_t *const *)b, "tracker")));
}

/* Trackers set (again) and the ballots sorted by them, in place. */
static void sort_ballots(json_t *ballots)
{
    size_t n = json_array_size(ballots);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        char t[EVOTE_HEX + 1];
        v[i] = json_incref(json_array_get(ballots, i));
        json_object_del(v[i], "tracker");
        evote_tracker(v[i], t);
        json_object_set_new(v[i], "tracker", json_string(t));
    }
    qsort(v, n, sizeof *v, cmp_tracker);
    json_array_clear(ballots);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ballots, v[i]);
    free(v);
}

static const char HEAD0[] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

static void sign(json_t *board)
{
    const json_t *seq = json_object_get(board, "log_seq");
    const char *head = json_string_value(json_object_get(board, "log_head"));
    evote_board_sign(board, seq ? json_integer_value(seq) : 1, head ? head : HEAD0, inst_sk);
}

/* A board of f in state ("open", "counting", "final"); takes ballots. The
 * committee's member 2 is absent at the count. Signed with log head HEAD0. */
static json_t *board_of(struct fx_election *f, json_t *ballots, const char *state,
                        json_t *key_changes)
{
    sort_ballots(ballots);
    bool is_open = !strcmp(state, "open"), is_final = !strcmp(state, "final");
    json_t *agg = is_open ? json_null() : evote_aggregate(f->e, ballots);
    json_t *decs = json_array(), *result = json_null();
    char why[EVOTE_WHY_MAX], eh[EVOTE_HEX + 1];
    for (unsigned g = 0; g < f->n_groups && !is_open; g++) {
        for (unsigned i = 0; i < f->n[g]; i++) {
            if ((g == 1 && i == 1) || (!is_final && g > 0))
                continue;
            json_array_append_new(decs, evote_partial_decrypt(f->e, g, i + 1, f->x[g][i], agg,
                                                              why, sizeof why));
        }
    }
    if (is_final && evote_tally(f->e, agg, decs, json_array_size(ballots), &result, why,
                                sizeof why)) {
        fprintf(stderr, "suite tally: %s\n", why);
        result = json_null();
    }
    evote_election_hash(f->e, eh);
    json_t *b = json_pack("{s:i, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "version", 2, "state",
                          state, "election", json_deep_copy(f->json), "election_hash", eh, "key_changes",
                          key_changes ? key_changes : json_array(), "ballots", ballots,
                          "aggregate", agg, "decryptions", decs, "result", result);
    sign(b);
    return b;
}

/* The meeting log a board is anchored in: vote.opened with its election
 * hash, one vote.ballot per ballot counted (n_ballots), and (counting or
 * final) vote.board with board_hash; then the board is signed with its head. */
static json_t *log_for(json_t *board, size_t n_ballots, const char *board_hash)
{
    const json_t *el = json_object_get(board, "election");
    const char *vote = json_string_value(json_object_get(el, "vote_id"));
    json_t *log = json_array();
    char prev[EVENT_HASH_HEX + 1] = LOG_GENESIS_HASH;
    size_t n_events = 2 + n_ballots + (board_hash ? 1 : 0);
    for (size_t i = 0; i < n_events; i++) {
        json_t *p;
        const char *type;
        if (i == 0) {
            type = "meeting.started";
            p = json_pack("{s:s}", "meeting_id", MEETING);
        } else if (i == 1) {
            type = "vote.opened";
            p = json_pack("{s:s, s:O}", "vote_id", vote, "election_hash",
                          json_object_get(board, "election_hash"));
        } else if (i < 2 + n_ballots) {
            type = "vote.ballot";
            p = json_pack("{s:s, s:s}", "vote_id", vote, "name", voters[i - 2].name);
        } else {
            type = "vote.board";
            p = json_pack("{s:s, s:O, s:s, s:I}", "vote_id", vote, "state",
                          json_object_get(board, "state"), "board_hash", board_hash,
                          "ballots", (json_int_t)json_array_size(json_object_get(board, "ballots")));
        }
        char *text = log_canonical_json(p), hash[EVENT_HASH_HEX + 1];
        int64_t ts = 1796000000000 + (int64_t)i * 1000;
        log_compute_hash(MEETING, (int64_t)i + 1, ts, "system", type, text, 1, prev, hash);
        free(text);
        json_array_append_new(log, json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:o, s:s, s:s}", "seq",
                                             (json_int_t)i + 1, "ts", (json_int_t)ts, "meeting",
                                             MEETING, "actor", "system", "type", type, "vis", 1,
                                             "payload", p, "prev", prev, "hash", hash));
        snprintf(prev, sizeof prev, "%s", hash);
    }
    evote_board_sign(board, (int64_t)n_events, prev, inst_sk);
    return log;
}

/* Adds a case; takes board (or NULL with text) and log. mentions: words the
 * failure must contain (NULL-terminated; none for a valid board). */
static void add(const char *name, const char *about, json_t *board, const char *text, json_t *log,
                bool is_ok, const char *const *mentions, bool is_log_ok,
                const char *const *log_mentions)
{
    json_t *m = json_array(), *lm = json_array();
    for (size_t i = 0; mentions && mentions[i]; i++)
        json_array_append_new(m, json_string(mentions[i]));
    for (size_t i = 0; log_mentions && log_mentions[i]; i++)
        json_array_append_new(lm, json_string(log_mentions[i]));
    json_t *c = json_pack("{s:s, s:s, s:{s:b, s:o}}", "name", name, "about", about, "expect", "ok",
                          is_ok, "mentions", m);
    if (board)
        json_object_set_new(c, "board", board);
    else
        json_object_set_new(c, "board_text", json_string(text));
    if (log) {
        json_object_set_new(c, "log", log);
        json_object_set_new(c, "expect_with_log", json_pack("{s:b, s:o}", "ok", is_log_ok,
                                                            "mentions", lm));
    } else {
        json_decref(lm);
    }
    json_array_append_new(cases, c);
}

#define M(...) ((const char *const[]){__VA_ARGS__, NULL})

static const char *tracker_of(const json_t *board, size_t i)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(board, "ballots"), i),
                                             "tracker"));
}

/* Index of the ballot signed by voter k on a board. */
static size_t ballot_by(const json_t *board, unsigned k)
{
    const json_t *bs = json_object_get(board, "ballots");
    char pk[65];
    sodium_bin2hex(pk, sizeof pk, voters[k].pk, 32);
    for (size_t i = 0; i < json_array_size(bs); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(bs, i), "voter_key")), pk))
            return i;
    return 0;
}

static json_t *ballots_by(struct fx_election *f, unsigned n)
{
    json_t *a = json_array();
    for (unsigned k = 0; k < n; k++)
        json_array_append_new(a, ballot_of(f, voters[k].sk, k));
    return a;
}

#include "gen_evote_suite_cases.h"

int main(void)
{
    static const char *const names[] = {"Adam Ąbecki", "Barbara Bąk", "Cezary Ćwik",
                                        "Danuta Dąb", "Edward Ęcki", "Felicja Fąfara",
                                        "Outsider", "Wykluczony Członek"};
    if (sodium_init() < 0)
        return 1;
    for (unsigned i = 0; i < N_VOTERS + 2; i++) {
        voters[i].name = names[i];
        seeded_keypair("voter", i, voters[i].pk, voters[i].sk);
    }
    seeded_keypair("installation", 0, inst_pk, inst_sk);
    cases = json_array();
    if (suite_cases())
        return 1;
    json_t *out = json_pack("{s:s, s:i, s:o, s:s, s:o}", "format", "obrady-evote-conformance",
                            "version", 2, "installation_key", hexj(inst_pk, 32), "spec",
                            "docs/verifiable-voting.md, section 13", "cases", cases);
    char *s = json_dumps(out, JSON_INDENT(1) | JSON_ENSURE_ASCII);
    puts(s);
    free(s);
    json_decref(out);
    return 0;
}
