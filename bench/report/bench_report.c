/* bench_report.c — how long the PDF protocol of a large meeting takes to
 * render: 30 members, 50 open votes with named lists, one attendance check,
 * speakers (tests/unit/report_seed.h writes it into a fresh store). Prints
 * the time of each of several renders of the meeting protocol and of one
 * vote's report, and the pages. Target (issue 7): under a second. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "report/layout.h"
#include "report/report.h"
#include "report_seed.h"
#include "util/buf.h"
#include "util/diag.h"

/* CPU time of this process: the figure that does not depend on what else
 * the machine is doing (wall time is printed too). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int members = argc > 1 ? atoi(argv[1]) : 30, votes = argc > 2 ? atoi(argv[2]) : 50;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (members < 2 || votes < 1 || runs < 1 || runs > 100) {
        fprintf(stderr, "usage: %s [members] [votes] [runs]\n", argv[0]);
        return 2;
    }
    diag_set_level(DIAG_WARN);
    char dir[] = "/tmp/obrady-bench-report-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[128];
    snprintf(path, sizeof path, "%s/obrady.db", dir);
    struct db_config dc = {.sqlite_path = path, .synchronous_normal = true};
    struct db *db = NULL;
    struct report_seed seed;
    if (db_open(&dc, &db) || db_migrate(db) || report_seed(db, members, votes, &seed)) {
        fprintf(stderr, "cannot seed the store in %s\n", dir);
        return 1;
    }
    double t[100], c[100];
    struct lay_stats st = {0};
    size_t bytes = 0;
    for (int i = 0; i < runs; i++) {
        struct buf pdf = BUF_INIT;
        double t0 = now_s(), c0 = cpu_s();
        if (report_protocol_pdf(db, seed.meeting_id, &pdf, &st)) {
            fprintf(stderr, "render failed\n");
            return 1;
        }
        t[i] = now_s() - t0;
        c[i] = cpu_s() - c0;
        bytes = pdf.len;
        buf_free(&pdf);
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    qsort(c, (size_t)runs, sizeof c[0], cmp_double);
    printf("protocol: %d members, %d votes: %d pages, %zu bytes, %d table rows\n", members, votes,
           st.pages, bytes, st.rows);
    printf("protocol render wall time: min %.3f s, median %.3f s, max %.3f s (%d runs)\n", t[0],
           t[runs / 2], t[runs - 1], runs);
    printf("protocol render CPU time: min %.3f s, median %.3f s\n", c[0], c[runs / 2]);
    for (int i = 0; i < runs; i++) {
        struct buf pdf = BUF_INIT;
        double t0 = now_s();
        report_vote_pdf(db, seed.first_vote_id, "https://obrady.example", NULL, &pdf, &st);
        t[i] = now_s() - t0;
        buf_free(&pdf);
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    printf("vote report (%d pages): min %.3f s, median %.3f s\n", st.pages, t[0], t[runs / 2]);
    db_close(db);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) ? 1 : 0;
}
