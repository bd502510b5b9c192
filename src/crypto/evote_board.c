/* evote_board.c — verification of a whole bulletin board: the election, every
 * ballot (on several threads, each summing its share of the aggregate), the
 * uniqueness and order rules, the published aggregate, every partial
 * decryption and the result. The first failure is reported exactly. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/evote_impl.h"
#include "util/err.h"

#define MAX_THREADS 64

struct job {
    const struct evote_election *e;
    const json_t *ballots;
    size_t from, to;
    unsigned char A[EVOTE_MAX_OPTIONS][EV_B], B[EVOTE_MAX_OPTIONS][EV_B];
    pthread_mutex_t *lock; /* guards *first_bad and why of the shared result */
    size_t *first_bad;     /* index of the earliest failing ballot so far */
    int *rc;
    char *why;
    size_t why_size;
};

static void record(struct job *jb, size_t i, int rc, const char *why)
{
    pthread_mutex_lock(jb->lock);
    if (i < *jb->first_bad) {
        *jb->first_bad = i;
        *jb->rc = rc;
        snprintf(jb->why, jb->why_size, "%s", why);
    }
    pthread_mutex_unlock(jb->lock);
}

static bool is_past_failure(struct job *jb, size_t i)
{
    pthread_mutex_lock(jb->lock);
    bool past = i > *jb->first_bad;
    pthread_mutex_unlock(jb->lock);
    return past;
}

/* Runs on a worker thread: checks ballots [from, to) and sums them. */
static void *verify_range(void *arg)
{
    struct job *jb = arg;
    struct ev_ballot *b = malloc(sizeof *b);
    if (!b) {
        record(jb, jb->from, OBR_ENOMEM, "out of memory");
        return NULL;
    }
    for (size_t i = jb->from; i < jb->to && !is_past_failure(jb, i); i++) {
        const json_t *jbal = json_array_get(jb->ballots, i);
        const char *given = json_string_value(json_object_get(jbal, "tracker"));
        char t[EVOTE_HEX + 1], why[EVOTE_WHY_MAX], msg[EVOTE_WHY_MAX + 128];
        /* v1: tracker, then proofs; v2 (spec 13.4): proofs, tracker, key, signature */
        bool is_v2 = jb->e->version == 2;
        int rc = ev_ballot_read(jb->e, jbal, true, b, why, sizeof why);
        if (!rc && is_v2)
            rc = ev_ballot_check(jb->e, b, why, sizeof why);
        if (!rc && (!given || evote_tracker(jbal, t) || strcmp(t, given)))
            rc = ev_fail(OBR_ECORRUPT, why, sizeof why, "the tracker is not the ballot's hash");
        if (!rc && is_v2)
            rc = ev_ballot_check_signature(jb->e, jbal, b, true, why, sizeof why);
        if (!rc && !is_v2)
            rc = ev_ballot_check(jb->e, b, why, sizeof why);
        if (rc) {
            snprintf(msg, sizeof msg, "ballot %zu (tracker %.64s): %s", i,
                     given ? given : "missing", why);
            record(jb, i, rc, msg);
            break;
        }
        for (unsigned j = 0; j < b->n; j++) {
            ev_add(jb->A[j], jb->A[j], b->alpha[j]);
            ev_add(jb->B[j], jb->B[j], b->beta[j]);
        }
    }
    free(b);
    return NULL;
}

static int cmp_cred(const void *a, const void *b)
{
    return memcmp(a, b, EV_B);
}

int ev_board_check_order(const json_t *ballots, const char *key_name, char *why,
                         size_t why_size)
{
    bool is_v2 = !strcmp(key_name, "voter_key");
    size_t n = json_array_size(ballots);
    const char *prev = NULL;
    unsigned char (*creds)[EV_B] = malloc((n ? n : 1) * EV_B);
    if (!creds)
        return OBR_ENOMEM;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const json_t *b = json_array_get(ballots, i);
        const char *t = json_string_value(json_object_get(b, "tracker"));
        if (!t || strlen(t) != EVOTE_HEX)
            rc = ev_fail(OBR_EINVAL, why, why_size, "ballot %zu: no tracker", i);
        else if (prev && strcmp(prev, t) >= 0)
            rc = ev_fail(OBR_ECORRUPT, why, why_size,
                         "ballot %zu (tracker %s): ballots are not sorted by tracker or a "
                         "tracker repeats", i, t);
        else if (ev_unhex(creds[i], EV_B, json_string_value(json_object_get(b, key_name))))
            rc = ev_fail(OBR_EINVAL, why, why_size, "ballot %zu (tracker %s): %s must be 64 "
                         "lowercase hex digits", i, t, key_name);
        prev = t;
    }
    if (!rc && n > 1) {
        qsort(creds, n, EV_B, cmp_cred);
        for (size_t i = 1; i < n && !rc; i++) {
            if (!memcmp(creds[i - 1], creds[i], EV_B)) {
                char h[EVOTE_HEX + 1];
                ev_hex(h, creds[i]);
                rc = ev_fail(OBR_ECORRUPT, why, why_size,
                             is_v2 ? "voter key %s has more than one ballot: at most one "
                                     "ballot per key is counted"
                                   : "credential %s is used by more than one ballot", h);
            }
        }
    }
    free(creds);
    return rc;
}

int ev_board_verify_ballots(const struct evote_election *e, const json_t *ballots,
                            unsigned threads, unsigned char (*A)[EV_B], unsigned char (*B)[EV_B],
                          char *why, size_t why_size)
{
    size_t n = json_array_size(ballots);
    if (threads == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        threads = c > 0 ? (unsigned)c : 1;
    }
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if (threads > n)
        threads = n ? (unsigned)n : 1;
    struct job *jobs = calloc(threads, sizeof *jobs);
    pthread_t *tids = calloc(threads, sizeof *tids);
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    size_t first_bad = SIZE_MAX;
    int rc = 0;
    if (!jobs || !tids) {
        free(jobs);
        free(tids);
        return OBR_ENOMEM;
    }
    for (unsigned t = 0; t < threads; t++) {
        jobs[t] = (struct job){.e = e, .ballots = ballots, .from = n * t / threads,
                               .to = n * (t + 1) / threads, .lock = &lock,
                               .first_bad = &first_bad, .rc = &rc, .why = why,
                               .why_size = why_size};
    }
    unsigned started = 0;
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tids[t], NULL, verify_range, &jobs[t]))
            break;
        started = t;
    }
    verify_range(&jobs[0]);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
    for (unsigned t = started + 1; t < threads; t++)
        verify_range(&jobs[t]); /* a thread could not start: do its share here */
    for (unsigned t = 0; t < threads && !rc; t++) {
        for (unsigned j = 0; j < e->n_options; j++) {
            ev_add(A[j], A[j], jobs[t].A[j]);
            ev_add(B[j], B[j], jobs[t].B[j]);
        }
    }
    free(jobs);
    free(tids);
    return rc;
}

static int check_voters(const json_t *board, size_t n_ballots, struct evote_board_summary *sum,
                        char *why, size_t why_size)
{
    const json_t *voters = json_object_get(board, "voters");
    const json_t *elig = json_object_get(board, "eligible_count");
    static const char *const vkeys[] = {"name"};
    if (!json_is_array(voters) || !json_is_integer(elig) || json_integer_value(elig) < 0)
        return ev_fail(OBR_EINVAL, why, why_size, "voters or eligible_count malformed");
    for (size_t i = 0; i < json_array_size(voters); i++) {
        const json_t *v = json_array_get(voters, i);
        if (!ev_has_exactly(v, vkeys, 1) || !json_is_string(json_object_get(v, "name")))
            return ev_fail(OBR_EINVAL, why, why_size, "voter %zu is not {\"name\": text}", i);
    }
    sum->n_voters = json_array_size(voters);
    sum->eligible_count = json_integer_value(elig);
    if (sum->n_voters != n_ballots)
        return ev_fail(OBR_ECORRUPT, why, why_size,
                       "%zu ballots but %zu voters: every voter casts exactly one ballot",
                       n_ballots, sum->n_voters);
    if ((json_int_t)n_ballots > sum->eligible_count)
        return ev_fail(OBR_ECORRUPT, why, why_size, "%zu ballots but only %lld eligible voters",
                       n_ballots, (long long)sum->eligible_count);
    return 0;
}

int ev_board_check_tally(const struct evote_election *e, const json_t *board, size_t n_ballots,
                         const unsigned char (*A)[EV_B], const unsigned char (*B)[EV_B],
                         struct evote_board_summary *sum, char *why, size_t why_size)
{
    unsigned char PA[EVOTE_MAX_OPTIONS][EV_B], PB[EVOTE_MAX_OPTIONS][EV_B];
    const json_t *agg = json_object_get(board, "aggregate");
    const json_t *decs = json_object_get(board, "decryptions");
    const json_t *res = json_object_get(board, "result");
    if (ev_read_aggregate(e, agg, PA, PB))
        return ev_fail(OBR_EINVAL, why, why_size,
                       "aggregate: must be one {alpha, beta} of valid points per option (%u)",
                       e->n_options);
    for (unsigned j = 0; j < e->n_options; j++) {
        if (memcmp(PA[j], A[j], EV_B) || memcmp(PB[j], B[j], EV_B))
            return ev_fail(OBR_ECORRUPT, why, why_size,
                           "aggregate: option %u is not the sum of the ballots", j);
    }
    if (!json_is_array(decs))
        return ev_fail(OBR_EINVAL, why, why_size, "decryptions must be an array");
    if (!res || json_is_null(res)) {
        for (size_t i = 0; i < json_array_size(decs); i++) {
            const json_t *d = json_array_get(decs, i);
            int rc = evote_decryption_verify(e, agg, d, why, why_size);
            for (size_t k = 0; k < i && !rc; k++) {
                const json_t *o = json_array_get(decs, k);
                if (json_equal(json_object_get(o, "group"), json_object_get(d, "group")) &&
                    json_equal(json_object_get(o, "index"), json_object_get(d, "index")))
                    rc = ev_fail(OBR_EINVAL, why, why_size,
                                 "trustee (group %lld, index %lld) decrypted twice",
                                 (long long)json_integer_value(json_object_get(d, "group")),
                                 (long long)json_integer_value(json_object_get(d, "index")));
            }
            if (rc)
                return rc;
        }
        sum->is_tallied = false;
        return 0;
    }
    json_t *result = NULL;
    int rc = evote_tally(e, agg, decs, n_ballots, &result, why, why_size);
    if (rc)
        return rc;
    if (!json_equal(result, (json_t *)res))
        rc = ev_fail(OBR_ECORRUPT, why, why_size,
                     "result: the published counts differ from the decrypted ones");
    json_decref(result);
    sum->is_tallied = !rc;
    return rc;
}

int evote_board_verify(const json_t *board, unsigned threads, struct evote_board_summary *sum,
                       char *why, size_t why_size)
{
    memset(sum, 0, sizeof *sum);
    if (!json_is_object(board))
        return ev_fail(OBR_EINVAL, why, why_size, "the board is not a JSON object");
    if (json_object_get(board, "version"))
        return ev_board2_verify(board, threads, sum, why, why_size);
    sum->version = 1;
    struct evote_election *e;
    int rc = evote_election_parse(json_object_get(board, "election"), &e, why, why_size);
    if (!rc && e->version != 1) {
        rc = ev_fail(OBR_EINVAL, why, why_size,
                     "a board without \"version\" is a version 1 board: its election must "
                     "be version 1");
        evote_election_free(e);
    }
    if (rc)
        return rc;
    evote_election_hash(e, sum->election_hash);
    sum->n_options = e->n_options;
    const char *given = json_string_value(json_object_get(board, "election_hash"));
    const json_t *ballots = json_object_get(board, "ballots");
    const char *head = json_string_value(json_object_get(board, "log_head"));
    unsigned char A[EVOTE_MAX_OPTIONS][EV_B] = {{0}}, B[EVOTE_MAX_OPTIONS][EV_B] = {{0}};
    unsigned char tmp[EV_B];
    if (!given || strcmp(given, sum->election_hash))
        rc = ev_fail(OBR_ECORRUPT, why, why_size,
                     "election_hash: the election's hash is %s", sum->election_hash);
    else if (!head || ev_unhex(tmp, EV_B, head))
        rc = ev_fail(OBR_EINVAL, why, why_size, "log_head must be 64 lowercase hex digits");
    else if (!json_is_array(ballots) || json_array_size(ballots) > EVOTE_MAX_BALLOTS)
        rc = ev_fail(OBR_EINVAL, why, why_size, "ballots must be an array");
    if (!rc)
        rc = ev_board_check_order(ballots, "credential", why, why_size);
    if (!rc) {
        sum->n_ballots = json_array_size(ballots);
        rc = check_voters(board, sum->n_ballots, sum, why, why_size);
    }
    if (!rc)
        rc = ev_board_verify_ballots(e, ballots, threads, A, B, why, why_size);
    if (!rc)
        rc = ev_board_check_tally(e, board, sum->n_ballots, (const unsigned char(*)[EV_B])A,
                         (const unsigned char(*)[EV_B])B, sum, why, why_size);
    evote_election_free(e);
    return rc;
}
