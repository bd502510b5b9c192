/* bench_shared.c — what sharing state between nodes costs per request on
 * PostgreSQL (issue 12, item 5): the directory-generation read a warm meeting
 * state load now makes, beside a bare round trip (SELECT 1, the floor of any
 * query) and beside the people query it lets the cache skip; and one shared
 * rate-limit step (UPSERT into the UNLOGGED rate_buckets) beside the same
 * statement on a logged copy of the table. Prints median and p99 per call
 * and ratios to the round trip. Usage: bench_shared URL [CALLS]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/meeting_ctx.h"
#include "core/meeting_state.h"
#include "store/db.h"
#include "store/directory.h"
#include "store/jobs.h"
#include "store/meetings.h"
#include "util/clock.h"
#include "bench/crypto/bench_util.h"

DB_QUERY(q_logged, "bench_logged_bucket",
         "INSERT INTO bench_buckets (key, tat_ms) VALUES ($1, $2 + $3) "
         "ON CONFLICT (key) DO UPDATE SET tat_ms = "
         "(CASE WHEN bench_buckets.tat_ms > $2 THEN bench_buckets.tat_ms ELSE $2 END) + $3 "
         "WHERE (CASE WHEN bench_buckets.tat_ms > $2 THEN bench_buckets.tat_ms ELSE $2 END) + $3 "
         "<= $2 + $4 RETURNING tat_ms");

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct ctx {
    struct db *db;
    struct meeting m;
    struct body b;
    int i;
};

static void op_ping(struct ctx *c) { db_ping(c->db); }
static void op_generation(struct ctx *c)
{
    uint64_t g;
    store_directory_generation(c->db, &g);
}
static void op_people(struct ctx *c) { json_decref(participants_list_json(c->db, c->m.id)); }
static void op_state(struct ctx *c)
{
    struct meeting_state *st = NULL;
    if (!meeting_state_load(c->db, &c->m, &c->b, &st))
        meeting_state_free(st);
}
static void op_bucket(struct ctx *c)
{
    char k[32];
    snprintf(k, sizeof k, "bench:%d", c->i % 100);
    int64_t retry;
    rate_buckets_take(c->db, k, clock_now_ms(), 1, 1000000, &retry);
}
static void op_logged(struct ctx *c)
{
    char k[32];
    snprintf(k, sizeof k, "bench:%d", c->i % 100);
    struct db_stmt *s = db_prepare(c->db, &q_logged);
    db_bind_text(s, 1, k);
    db_bind_int(s, 2, clock_now_ms());
    db_bind_int(s, 3, 1);
    db_bind_int(s, 4, 1000000);
    db_step(s);
    db_stmt_done(s);
}

static double run(struct ctx *c, void (*fn)(struct ctx *), int n, double *p50, double *p99)
{
    double *t = malloc(sizeof *t * (size_t)n);
    for (int i = 0; i < n / 10; i++) /* warm-up */
        c->i = i, fn(c);
    for (int i = 0; i < n; i++) {
        c->i = i;
        double t0 = now_s();
        fn(c);
        t[i] = (now_s() - t0) * 1e6;
    }
    qsort(t, (size_t)n, sizeof *t, cmp);
    *p50 = t[n / 2];
    *p99 = t[n * 99 / 100];
    free(t);
    return *p50;
}

static void make_meeting(struct ctx *c)
{
    struct user u;
    struct org o = {.retention_days = 92};
    snprintf(o.name, sizeof o.name, "Gmina");
    snprintf(o.time_zone, sizeof o.time_zone, "Europe/Warsaw");
    snprintf(o.default_lang, sizeof o.default_lang, "pl");
    snprintf(o.email_domains, sizeof o.email_domains, "[]");
    if (orgs_create(c->db, &o))
        exit(1);
    c->b = (struct body){.statutory_size = 15, .vote_duration_s = 600};
    snprintf(c->b.org_id, sizeof c->b.org_id, "%s", o.id);
    snprintf(c->b.name, sizeof c->b.name, "Rada");
    snprintf(c->b.kind, sizeof c->b.kind, "council");
    snprintf(c->b.quorum_rule, sizeof c->b.quorum_rule, "half_statutory");
    if (bodies_create(c->db, &c->b))
        exit(1);
    for (int i = 0; i < 15; i++) {
        char email[64], name[64];
        snprintf(email, sizeof email, "radny%02d@example.org", i);
        snprintf(name, sizeof name, "Radny %02d", i);
        struct member mb = {0};
        if (users_create(c->db, email, name, "pl", false, &u))
            exit(1);
        snprintf(mb.body_id, sizeof mb.body_id, "%s", c->b.id);
        snprintf(mb.user_id, sizeof mb.user_id, "%s", u.id);
        snprintf(mb.role, sizeof mb.role, i ? "member" : "chair");
        snprintf(mb.groups, sizeof mb.groups, "[]");
        if (members_add(c->db, &mb))
            exit(1);
    }
    c->m = (struct meeting){.starts_at_ms = clock_now_ms(), .reminder_days = 0};
    snprintf(c->m.body_id, sizeof c->m.body_id, "%s", c->b.id);
    snprintf(c->m.title, sizeof c->m.title, "Sesja");
    snprintf(c->m.mode, sizeof c->m.mode, "remote");
    if (meetings_create(c->db, &c->m) || meetings_get(c->db, c->m.id, &c->m))
        exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 2 || !db_url_is_postgres(argv[1])) {
        fprintf(stderr, "usage: bench_shared postgresql://… [CALLS]\n");
        return 2;
    }
    int n = argc > 2 ? atoi(argv[2]) : 5000;
    if (n < 100)
        n = 100;
    struct db_config cfg = {.url = argv[1]};
    struct ctx c = {0};
    if (db_open(&cfg, &c.db) || db_migrate(c.db) ||
        db_exec(c.db, "CREATE TABLE IF NOT EXISTS bench_buckets (key TEXT PRIMARY KEY, "
                      "tat_ms BIGINT NOT NULL)")) {
        fprintf(stderr, "bench_shared: %s\n", db_last_error());
        return 1;
    }
    make_meeting(&c);
    static const struct {
        const char *what;
        void (*fn)(struct ctx *);
    } ops[] = {
        {"round trip (SELECT 1), the floor", op_ping},
        {"directory generation read (new per load)", op_generation},
        {"people of a 15-member meeting (what it saves)", op_people},
        {"warm meeting state load, whole", op_state},
        {"shared rate limit step, UNLOGGED table", op_bucket},
        {"same statement on a logged table", op_logged},
    };
    double base = 0;
    printf("%d calls each, one connection, PostgreSQL at %s\n\n", n, "the given URL");
    printf("| %-46s | %9s | %9s | %8s |\n", "per call", "p50 µs", "p99 µs", "p50/ping");
    printf("|%s|%s|%s|%s|\n", "------------------------------------------------", "-----------",
           "-----------", "----------");
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        double p50, p99;
        run(&c, ops[i].fn, n, &p50, &p99);
        if (!i)
            base = p50;
        printf("| %-46s | %9.1f | %9.1f | %8.2f |\n", ops[i].what, p50, p99, p50 / base);
    }
    db_close(c.db);
    return 0;
}
