/* bench_crypto.c — timings of the verifiable-vote crypto for N three-option
 * ballots (exactly one chosen), server + committee 2 of 3 trustees: encryption,
 * single-ballot verification (1 thread and all threads), aggregation, partial
 * decryption by 3 trustees with the tally, and whole-board verification.
 * Prints one Markdown table row per N; bench/crypto/run prints the header.
 * usage: bench_crypto [--board-out FILE] N... */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "evote_fixture.h"

struct enc_job {
    const struct evote_election *e;
    json_t **out;
    size_t from, to;
};

static void *encrypt_range(void *arg)
{
    struct enc_job *j = arg;
    for (size_t i = j->from; i < j->to; i++) {
        unsigned char v[3] = {0};
        v[i % 3 == 2 ? 1 : i % 3 == 1 ? 2 : 0] = 1;
        j->out[i] = evote_ballot_encrypt(j->e, v, NULL);
    }
    return NULL;
}

static void run(size_t n, unsigned threads, const char *board_out)
{
    static const unsigned t[2] = {1, 2}, m[2] = {1, 3};
    struct fx_rng rs = {0};
    struct fx_election f;
    char vote_id[32];
    snprintf(vote_id, sizeof vote_id, "bench-%zu", n);
    if (fx_election_new(&f, &rs, vote_id, 3, 1, 1, 2, t, m))
        exit(1);
    json_t **bal = calloc(n, sizeof *bal);
    struct enc_job jobs[64];
    pthread_t tids[64];
    double t0 = now_s();
    for (unsigned k = 0; k < threads; k++) {
        jobs[k] = (struct enc_job){f.e, bal, n * k / threads, n * (k + 1) / threads};
        pthread_create(&tids[k], NULL, encrypt_range, &jobs[k]);
    }
    for (unsigned k = 0; k < threads; k++)
        pthread_join(tids[k], NULL);
    double enc_s = now_s() - t0;

    size_t sample = n < 1000 ? n : 1000;
    char why[EVOTE_WHY_MAX];
    t0 = now_s();
    for (size_t i = 0; i < sample; i++) {
        if (evote_ballot_verify(f.e, bal[i], why, sizeof why)) {
            fprintf(stderr, "bench: %s\n", why);
            exit(1);
        }
    }
    double ver1_s = (now_s() - t0) / (double)sample;

    json_t *ballots = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ballots, bal[i]);
    free(bal);
    t0 = now_s();
    json_t *agg = evote_aggregate(f.e, ballots);
    double agg_s = now_s() - t0;

    /* server (group 0) and committee members 1 and 3 of 2-of-3 decrypt */
    t0 = now_s();
    json_t *decs = json_array(), *result = NULL;
    json_array_append_new(decs, evote_partial_decrypt(f.e, 0, 1, f.x[0][0], agg, why, sizeof why));
    json_array_append_new(decs, evote_partial_decrypt(f.e, 1, 1, f.x[1][0], agg, why, sizeof why));
    json_array_append_new(decs, evote_partial_decrypt(f.e, 1, 3, f.x[1][2], agg, why, sizeof why));
    if (evote_tally(f.e, agg, decs, n, &result, why, sizeof why)) {
        fprintf(stderr, "bench: %s\n", why);
        exit(1);
    }
    double dec_s = now_s() - t0;
    json_decref(result);
    json_decref(decs);
    json_decref(agg);

    json_t *board = fx_board(&f, &rs, ballots, NULL, NULL);
    struct evote_board_summary s;
    t0 = now_s();
    int rc = evote_board_verify(board, threads, &s, why, sizeof why);
    double board_s = now_s() - t0;
    if (rc) {
        fprintf(stderr, "bench: board: %s\n", why);
        exit(1);
    }
    /* all threads, one ballot at a time: the whole board less its fixed costs */
    double verall = (double)n / board_s;
    if (board_out) {
        json_dump_file(board, board_out, JSON_COMPACT);
    }
    printf("| C (libsodium) | %6zu | %8.0f | %8.0f | %8.0f | %8.0f | %8.3f | %8.3f | %8.2f |\n", n,
           (double)n / enc_s, (double)n / enc_s / threads, 1.0 / ver1_s, verall, agg_s, dec_s,
           board_s);
    fflush(stdout);
    json_decref(board);
    fx_election_free(&f);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = c > 0 ? (unsigned)(c > 64 ? 64 : c) : 1;
    const char *board_out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--board-out") && i + 1 < argc)
            board_out = argv[++i];
        else
            run(strtoul(argv[i], NULL, 10), threads, board_out);
    }
    return 0;
}
