/* verify_cli.c — `obrady verify BOARD.json`: loads a board (a file or "-" for
 * standard input), runs evote_board_verify on every core and prints what was
 * verified: ballots, trustees, the result per option and the election hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/evote.h"
#include "ops/verify_cli.h"
#include "ops/verify_log.h"

#define BOARD_MAX_BYTES (512u << 20)

static const char USAGE[] =
    "usage: obrady verify BOARD.json [--log LOG.json] [--key HEX] [--threads N]\n"
    "\n"
    "Checks a secret vote's bulletin board (GET /api/votes/{v}/board, or '-' for\n"
    "standard input): the election and its hash, every trustee's key proof, every\n"
    "ballot's proofs and tracker, the aggregate, every partial decryption and the\n"
    "result. Version 2 boards also: the electorate, every ballot's signature by a\n"
    "distinct electorate key, the board hash and the installation's signature.\n"
    "--log checks the board against the meeting's exported log (`obrady log\n"
    "export`): its head, the election hash, the number of ballots and the board\n"
    "hash; --key requires the board to be signed by that installation key\n"
    "(GET /.well-known/obrady-key). Exits 0 and prints a summary, or exits 1\n"
    "naming the first failing item.\n";

/* Board text is hostile: control characters (terminal escapes) become '?'. */
static const char *safe(const json_t *v)
{
    static __thread char buf[512];
    const char *s = json_string_value(v);
    size_t i = 0;
    for (; s && s[i] && i + 1 < sizeof buf; i++)
        buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    buf[i] = 0;
    return buf;
}

static void print_trustees(const json_t *election, const json_t *decryptions)
{
    size_t g, m;
    const json_t *grp, *mem;
    json_array_foreach(json_object_get(election, "trustee_groups"), g, grp) {
        const json_t *members = json_object_get(grp, "members");
        printf("trustees, group %zu (%lld of %zu):", g,
               (long long)json_integer_value(json_object_get(grp, "threshold")),
               json_array_size(members));
        json_array_foreach(members, m, mem) {
            json_int_t idx = json_integer_value(json_object_get(mem, "index"));
            bool has_decrypted = false;
            size_t d;
            const json_t *dec;
            json_array_foreach(decryptions, d, dec) {
                if ((size_t)json_integer_value(json_object_get(dec, "group")) == g &&
                    json_integer_value(json_object_get(dec, "index")) == idx)
                    has_decrypted = true;
            }
            const json_t *name = json_object_get(mem, "name");
            printf("%s %s", m ? "," : "", safe(name ? name : json_object_get(mem, "id")));
            printf(" [%s]%s", safe(json_object_get(mem, "id")), has_decrypted ? " decrypted" : "");
        }
        printf("\n");
    }
}

static void print_summary(const json_t *board, const struct evote_board_summary *s,
                          double seconds)
{
    const json_t *e = json_object_get(board, "election");
    printf("board verified in %.2f s\n", seconds);
    printf("vote:          %s", safe(json_object_get(e, "title")));
    printf(" (%s)\n", safe(json_object_get(e, "vote_id")));
    printf("election hash: %s\n", s->election_hash);
    if (s->version == 2) {
        unsigned char pk[32];
        char fp[EVOTE_FINGERPRINT] = "?";
        if (!evote_key_parse(s->sign_key, pk))
            evote_key_fingerprint(pk, fp);
        printf("version:       2, state %s\n", s->state);
        printf("ballots:       %zu, each signed by a distinct key of the %lld in the electorate\n",
               s->n_ballots, (long long)s->eligible_count);
        printf("board hash:    %s\n", s->board_hash);
        printf("log head:      %s (event %lld)\n", s->log_head, (long long)s->log_seq);
        printf("signed by:     installation key %s (fingerprint %s)\n", s->sign_key, fp);
    } else {
        printf("ballots:       %zu from %zu voters, %lld eligible\n", s->n_ballots, s->n_voters,
               (long long)s->eligible_count);
    }
    print_trustees(e, json_object_get(board, "decryptions"));
    if (!s->is_tallied) {
        printf("result:        not decrypted yet\n");
        return;
    }
    printf("result:\n");
    const json_t *res = json_object_get(board, "result");
    for (unsigned j = 0; j < s->n_options; j++)
        printf("  %8lld  %s\n", (long long)json_integer_value(json_array_get(res, j)),
               safe(json_array_get(json_object_get(e, "options"), j)));
}

static json_t *load(const char *path)
{
    json_error_t err;
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        perror(path);
        return NULL;
    }
    char *buf = malloc(BOARD_MAX_BYTES);
    size_t n = buf ? fread(buf, 1, BOARD_MAX_BYTES, f) : 0;
    bool is_too_big = buf && n == BOARD_MAX_BYTES;
    if (f != stdin)
        fclose(f);
    json_t *j = NULL;
    if (!buf)
        fprintf(stderr, "obrady verify: out of memory\n");
    else if (is_too_big)
        fprintf(stderr, "obrady verify: %s is larger than %u MiB\n", path, BOARD_MAX_BYTES >> 20);
    else if (!(j = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &err)))
        fprintf(stderr, "obrady verify: FAILED: %s is not JSON (line %d: %s)\n", path, err.line,
                err.text);
    free(buf);
    return j;
}

int verify_cli_main(int argc, char **argv)
{
    const char *path = NULL, *log_path = NULL, *key = NULL;
    unsigned threads = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(USAGE, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--log") && i + 1 < argc) {
            log_path = argv[++i];
        } else if (!strcmp(argv[i], "--key") && i + 1 < argc) {
            key = argv[++i];
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
            threads = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (!path && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
            path = argv[i];
        } else {
            fprintf(stderr, "obrady: unexpected '%s'\n%s", argv[i], USAGE);
            return 2;
        }
    }
    if (!path) {
        fputs(USAGE, stderr);
        return 2;
    }
    json_t *board = load(path);
    if (!board)
        return 1;
    struct evote_board_summary s;
    char why[EVOTE_WHY_MAX] = "";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = evote_board_verify(board, threads, &s, why, sizeof why);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!rc && key && (s.version != 2 || strcmp(key, s.sign_key))) {
        snprintf(why, sizeof why, "signature: the board is not signed by installation key %.64s",
                 key);
        rc = 1;
    }
    json_t *log = !rc && log_path ? load(log_path) : NULL;
    if (!rc && log_path && !log)
        rc = snprintf(why, sizeof why, "log: cannot read %s as JSON", log_path) > 0;
    else if (!rc && log_path)
        rc = verify_log_board(log, board, &s, why, sizeof why);
    json_decref(log);
    if (rc)
        fprintf(stderr, "obrady verify: FAILED: %s\n", why);
    else
        print_summary(board, &s, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
    if (!rc && log_path)
        printf("log:           %s commits to this board\n", log_path);
    json_decref(board);
    return rc ? 1 : 0;
}
