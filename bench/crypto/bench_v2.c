/* bench_v2.c — whole-board verification of spec v2 beside v1 in one run
 * (issue 15: a 10 000-ballot board in under 10 s): for each N, a v1 board and
 * a v2 board (every ballot signed by its voter's Ed25519 key, an electorate of
 * N keys, the installation's signature), three-option ballots, server +
 * committee 2 of 3; each verified on every core. Prints Markdown rows and
 * writes the v2 board (--board-out) for `obrady verify` timing.
 * usage: bench_v2 [--board-out FILE] N... */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "evote_fixture.h"

struct job {
    const struct evote_election *e;
    json_t **out;
    const unsigned char (*sk)[64]; /* NULL: v1 */
    size_t from, to;
};

static void *encrypt_range(void *arg)
{
    struct job *j = arg;
    for (size_t i = j->from; i < j->to; i++) {
        unsigned char v[3] = {0};
        v[i % 3] = 1;
        j->out[i] = evote_ballot_encrypt_signed(j->e, v, NULL, j->sk ? j->sk[i] : NULL);
    }
    return NULL;
}

static json_t *encrypt_all(const struct evote_election *e, size_t n, unsigned threads,
                           const unsigned char (*sk)[64])
{
    json_t **bal = calloc(n, sizeof *bal), *out = json_array();
    struct job jobs[64];
    pthread_t tids[64];
    for (unsigned k = 0; k < threads; k++) {
        jobs[k] = (struct job){e, bal, sk, n * k / threads, n * (k + 1) / threads};
        pthread_create(&tids[k], NULL, encrypt_range, &jobs[k]);
    }
    for (unsigned k = 0; k < threads; k++)
        pthread_join(tids[k], NULL);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, bal[i]);
    free(bal);
    return out;
}

static int cmp_tracker(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "tracker")),
                  json_string_value(json_object_get(*(json_t *const *)b, "tracker")));
}

/* The v2 board of f (final, server + committee members 1 and 3). */
static json_t *board_v2(struct fx_election *f, json_t *ballots, const unsigned char sign_sk[64])
{
    size_t n = json_array_size(ballots);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        char t[EVOTE_HEX + 1];
        v[i] = json_incref(json_array_get(ballots, i));
        evote_tracker(v[i], t);
        json_object_set_new(v[i], "tracker", json_string(t));
    }
    qsort(v, n, sizeof *v, cmp_tracker);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sorted, v[i]);
    free(v);
    char why[EVOTE_WHY_MAX], eh[EVOTE_HEX + 1];
    json_t *agg = evote_aggregate(f->e, sorted), *decs = json_array(), *result = NULL;
    json_array_append_new(decs, evote_partial_decrypt(f->e, 0, 1, f->x[0][0], agg, why, sizeof why));
    json_array_append_new(decs, evote_partial_decrypt(f->e, 1, 1, f->x[1][0], agg, why, sizeof why));
    json_array_append_new(decs, evote_partial_decrypt(f->e, 1, 3, f->x[1][2], agg, why, sizeof why));
    if (evote_tally(f->e, agg, decs, n, &result, why, sizeof why))
        result = json_null();
    evote_election_hash(f->e, eh);
    json_t *b = json_pack("{s:i, s:s, s:O, s:s, s:[], s:o, s:o, s:o, s:o}", "version", 2, "state",
                          "final", "election", f->json, "election_hash", eh, "key_changes",
                          "ballots", sorted, "aggregate", agg, "decryptions", decs, "result",
                          result);
    evote_board_sign(b, 1, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
                     sign_sk);
    json_decref(ballots);
    return b;
}

static double verify_s(const json_t *board, unsigned threads)
{
    struct evote_board_summary s;
    char why[EVOTE_WHY_MAX];
    double t0 = now_s();
    if (evote_board_verify(board, threads, &s, why, sizeof why)) {
        fprintf(stderr, "bench_v2: %s\n", why);
        exit(1);
    }
    return now_s() - t0;
}

static void run(size_t n, unsigned threads, const char *board_out)
{
    static const unsigned t[2] = {1, 2}, m[2] = {1, 3};
    struct fx_rng rs = {0};
    struct fx_election f1, f2;
    if (fx_election_new(&f1, &rs, "bench-v1", 3, 1, 1, 2, t, m) ||
        fx_election_new(&f2, &rs, "bench-v2", 3, 1, 1, 2, t, m))
        exit(1);
    /* v2: an electorate of n voters, names ascending, each with a key */
    unsigned char (*sk)[64] = malloc((n ? n : 1) * sizeof *sk), pk[32], inst_pk[32], inst_sk[64];
    json_t *el = json_array();
    for (size_t i = 0; i < n; i++) {
        char name[32], hex[65];
        crypto_sign_keypair(pk, sk[i]);
        snprintf(name, sizeof name, "Wyborca %07zu", i);
        sodium_bin2hex(hex, sizeof hex, pk, 32);
        json_array_append_new(el, json_pack("{s:s, s:s}", "name", name, "key", hex));
    }
    crypto_sign_keypair(inst_pk, inst_sk);
    json_object_set_new(f2.json, "version", json_integer(2));
    json_object_set_new(f2.json, "electorate", el);
    evote_election_free(f2.e);
    char why[EVOTE_WHY_MAX];
    if (evote_election_parse(f2.json, &f2.e, why, sizeof why)) {
        fprintf(stderr, "bench_v2: %s\n", why);
        exit(1);
    }
    json_t *b1 = fx_board(&f1, &rs, encrypt_all(f1.e, n, threads, NULL), NULL, NULL);
    json_t *b2 = board_v2(&f2, encrypt_all(f2.e, n, threads, (const unsigned char(*)[64])sk),
                          inst_sk);
    sodium_memzero(sk, (n ? n : 1) * sizeof *sk);
    free(sk);
    double s1 = verify_s(b1, threads), s2 = verify_s(b2, threads);
    printf("| v1 (credentials) | %6zu | %7.2f | %6.0f | |\n", n, s1, (double)n / s1);
    printf("| v2 (signed, electorate, signed board) | %6zu | %7.2f | %6.0f | %.2f× v1 |\n", n, s2,
           (double)n / s2, s2 / s1);
    fflush(stdout);
    if (board_out)
        json_dump_file(b2, board_out, JSON_COMPACT);
    json_decref(b1);
    json_decref(b2);
    fx_election_free(&f1);
    fx_election_free(&f2);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = c > 0 ? (unsigned)(c > 64 ? 64 : c) : 1;
    const char *board_out = NULL;
    printf("| board | N | verify board s (%u threads) | ballots/s | v2 / v1 |\n", threads);
    printf("|---|---:|---:|---:|---:|\n");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--board-out") && i + 1 < argc)
            board_out = argv[++i];
        else
            run(strtoul(argv[i], NULL, 10), threads, board_out);
    }
    return 0;
}
