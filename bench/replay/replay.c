/* replay.c — bench: rebuild a meeting's live state from a log of N events
 * (default 100 000) the way the server does (meeting_state_load), cold and
 * from the state cache, with the cold time split into reading and folding.
 * Goal (DESIGN.md, scale targets): a cold rebuild of 100 000 events < 1 s.
 * Usage: replay [EVENTS] [DIR]   (run by bench/replay/run) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api/meeting_cache.h"
#include "api/meeting_ctx.h"
#include "log/eventlog.h"
#include "store/db.h"
#include "store/meetings.h"
#include "util/diag.h"
#include "util/ids.h"

#define N_MEMBERS 50
#define BATCH 512

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process: steady on a machine shared with other work. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "replay: %s failed (%d)\n", what, rc);
    exit(1);
}

static struct user members[N_MEMBERS];

static void setup(struct db *db, struct body *b, struct meeting *m)
{
    struct org o = {.retention_days = 92};
    snprintf(o.name, sizeof o.name, "Gmina");
    snprintf(o.time_zone, sizeof o.time_zone, "Europe/Warsaw");
    snprintf(o.default_lang, sizeof o.default_lang, "pl");
    if (orgs_create(db, &o))
        die("org", 0);
    memset(b, 0, sizeof *b);
    snprintf(b->org_id, sizeof b->org_id, "%s", o.id);
    snprintf(b->name, sizeof b->name, "Rada");
    snprintf(b->kind, sizeof b->kind, "council");
    snprintf(b->quorum_rule, sizeof b->quorum_rule, "half_statutory");
    b->statutory_size = N_MEMBERS;
    b->vote_duration_s = 60;
    if (bodies_create(db, b))
        die("body", 0);
    for (int i = 0; i < N_MEMBERS; i++) {
        char email[64], name[64];
        snprintf(email, sizeof email, "radny%d@example.pl", i);
        snprintf(name, sizeof name, "Radny Numer %d", i);
        if (users_create(db, email, name, "pl", false, &members[i]))
            die("user", 0);
        struct member mb = {.role = "member", .groups = "[]"};
        snprintf(mb.body_id, sizeof mb.body_id, "%s", b->id);
        memcpy(mb.user_id, members[i].id, sizeof mb.user_id);
        if (members_add(db, &mb))
            die("member", 0);
    }
    memset(m, 0, sizeof *m);
    snprintf(m->body_id, sizeof m->body_id, "%s", b->id);
    snprintf(m->title, sizeof m->title, "Sesja budżetowa");
    snprintf(m->mode, sizeof m->mode, "hybrid");
    m->starts_at_ms = 1700000000000;
    if (meetings_create(db, m))
        die("meeting", 0);
}

/* One event of a long session: mostly ballots and chat, with attendance
 * checks, presence changes, the floor and votes in between. */
static json_t *next_event(int64_t i, const char **type, char vote_id[ID_SIZE],
                          char check_id[ID_SIZE], char req_id[ID_SIZE])
{
    char id[ID_SIZE];
    id_new(id);
    const struct user *u = &members[i % N_MEMBERS];
    int64_t at = 1700000000000 + i * 1000;
    int k = (int)(i % 100);
    if (i == 0) {
        *type = "meeting.started";
        return json_object();
    }
    if (k < 40) {
        if (k == 1 || !vote_id[0]) {
            snprintf(vote_id, ID_SIZE, "%s", id);
            *type = "vote.created";
            return json_pack("{s:s, s:n, s:s, s:s, s:s, s:s, s:s, s:i, s:b}", "vote_id", id,
                             "item_id", "title", "Uchwała", "motion", "Wniosek", "kind", "open",
                             "method", "yes_no_abstain", "majority", "simple", "duration_s", 60,
                             "allow_change", 0);
        }
        *type = "vote.ballot";
        return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "vote_id", vote_id, "ballot_id", id,
                         "user_id", u->id, "name", u->name, "choice",
                         k % 3 ? "yes" : k % 2 ? "no" : "abstain", "is_change", 0);
    }
    if (k < 70) {
        char text[120];
        snprintf(text, sizeof text, "Pytanie %" PRId64 " do przewodniczącego w sprawie punktu", i);
        *type = "chat.message";
        return json_pack("{s:s, s:s, s:s, s:s, s:s}", "message_id", id, "user_id", u->id, "name",
                         u->name, "text", text, "to", k % 5 ? "all" : "operator");
    }
    if (k == 70) {
        snprintf(check_id, ID_SIZE, "%s", id);
        *type = "attendance.started";
        return json_pack("{s:s, s:i, s:I}", "check_id", id, "duration_s", 120, "ends_at", at);
    }
    if (k < 85) {
        *type = "attendance.present";
        return json_pack("{s:s, s:s}", "check_id", check_id, "user_id", u->id);
    }
    if (k == 85) {
        *type = "attendance.ended";
        return json_pack("{s:s, s:[], s:i, s:i, s:b}", "check_id", check_id, "present",
                         "present_count", 14, "required", 26, "has_quorum", 0);
    }
    if (k < 92) {
        *type = "presence.changed";
        return json_pack("{s:s, s:b}", "user_id", u->id, "is_present", k % 2);
    }
    if (k < 95) {
        snprintf(req_id, ID_SIZE, "%s", id);
        *type = "floor.requested";
        return json_pack("{s:s, s:s, s:s, s:s}", "request_id", id, "user_id", u->id, "name",
                         u->name, "kind", "normal");
    }
    if (k < 97) {
        *type = "floor.granted";
        return json_pack("{s:s, s:s, s:s, s:i, s:I}", "request_id", req_id, "user_id", u->id,
                         "name", u->name, "speaking_time_s", 300, "ends_at", at + 300000);
    }
    *type = "floor.ended";
    return json_pack("{s:s}", "request_id", req_id);
}

static void fill(struct db *db, const struct meeting *m, int64_t n)
{
    char vote_id[ID_SIZE] = "", check_id[ID_SIZE] = "", req_id[ID_SIZE] = "";
    int64_t i = 0;
    while (i < n) {
        struct log_tx tx;
        if (log_tx_begin(&tx, db, NULL))
            die("begin", 0);
        for (int k = 0; k < LOG_TX_MAX_EVENTS && i < n; k++, i++) {
            const char *type;
            json_t *p = next_event(i, &type, vote_id, check_id, req_id);
            int rc = log_append(&tx, m->id, members[i % N_MEMBERS].id, type, p, EVENT_PUBLIC, NULL);
            json_decref(p);
            if (rc)
                die("append", rc);
        }
        int rc = log_tx_commit(&tx);
        if (rc)
            die("commit", rc);
    }
}

static const char *loadavg(void)
{
    static char text[64] = "?";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (!fgets(text, sizeof text, f))
            snprintf(text, sizeof text, "?");
        fclose(f);
        text[strcspn(text, "\n")] = '\0';
    }
    return text;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 100000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    diag_set_level(DIAG_WARN);
    char path[600];
    snprintf(path, sizeof path, "%s/replay.db", dir);
    remove(path);
    struct db_config dc = {.sqlite_path = path};
    struct db *db = NULL;
    if (db_open(&dc, &db) || db_migrate(db))
        die("open", 0);
    struct body b;
    struct meeting m;
    setup(db, &b, &m);
    double t0 = now_s();
    fill(db, &m, n);
    double t_fill = now_s() - t0;

    enum { RUNS = 5 };
    double cold[RUNS], cold_cpu[RUNS], read_only[RUNS];
    struct meeting_state *st = NULL;
    for (int r = 0; r < RUNS; r++) {
        meeting_cache_reset(MEETING_CACHE_DEFAULT_CAPACITY);
        t0 = now_s();
        double c0 = cpu_s();
        if (meeting_state_load(db, &m, &b, &st))
            die("load", 0);
        cold[r] = now_s() - t0;
        cold_cpu[r] = cpu_s() - c0;
        if (st->seq != n)
            die("seq", (int)st->seq);
        meeting_state_free(st);
        /* Reading alone, to split the cold time. */
        struct event *batch[BATCH];
        int got = BATCH;
        int64_t from = 1;
        t0 = now_s();
        while (got == BATCH) {
            if (log_read(db, m.id, from, batch, BATCH, &got))
                die("read", 0);
            for (int i = 0; i < got; i++)
                event_unref(batch[i]);
            from += got;
        }
        read_only[r] = now_s() - t0;
    }
    /* Warm: the state is cached; nothing new, then one new event. */
    double warm[RUNS], warm1[RUNS];
    for (int r = 0; r < RUNS; r++) {
        t0 = now_s();
        if (meeting_state_load(db, &m, &b, &st))
            die("warm load", 0);
        warm[r] = now_s() - t0;
        meeting_state_free(st);
        json_t *p = json_pack("{s:s, s:b}", "user_id", members[r].id, "is_present", 1);
        if (log_append_one(db, NULL, m.id, members[r].id, "presence.changed", p, EVENT_PUBLIC,
                           NULL))
            die("append one", 0);
        json_decref(p);
        t0 = now_s();
        if (meeting_state_load(db, &m, &b, &st))
            die("warm load", 0);
        warm1[r] = now_s() - t0;
        meeting_state_free(st);
    }
    qsort(cold, RUNS, sizeof cold[0], cmp_double);
    qsort(cold_cpu, RUNS, sizeof cold_cpu[0], cmp_double);
    qsort(read_only, RUNS, sizeof read_only[0], cmp_double);
    qsort(warm, RUNS, sizeof warm[0], cmp_double);
    qsort(warm1, RUNS, sizeof warm1[0], cmp_double);
    printf("replay of one meeting log: %" PRId64 " events, %d members (median of %d runs; wall "
           "time unless marked CPU; load average %s)\n",
           n, N_MEMBERS, RUNS, loadavg());
    printf("| %-44s | %12s |\n", "measure", "time");
    printf("|%s|%s|\n", "----------------------------------------------", "--------------");
    printf("| %-44s | %9.3f s  |\n", "write the log (setup, 64 events/commit)", t_fill);
    printf("| %-44s | %9.1f ms |\n", "cold rebuild (meeting_state_load, no cache)", cold[RUNS / 2] * 1e3);
    printf("| %-44s | %9.1f ms |\n", "cold rebuild, CPU time", cold_cpu[RUNS / 2] * 1e3);
    printf("| %-44s | %9.1f ms |\n", "  of which reading the events from SQLite", read_only[RUNS / 2] * 1e3);
    printf("| %-44s | %9.3f ms |\n", "cached, nothing new", warm[RUNS / 2] * 1e3);
    printf("| %-44s | %9.3f ms |\n", "cached, one new event", warm1[RUNS / 2] * 1e3);
    printf("goal: cold rebuild < 1000 ms -> %s\n", cold[RUNS / 2] < 1.0 ? "MET" : "MISSED");
    meeting_cache_reset(0);
    db_close(db);
    remove(path);
    return 0;
}
