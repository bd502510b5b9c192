/* fantrace.c — the fan-out timing trace's records (see fantrace.h): a fixed
 * array filled with one atomic add per record, written out at exit. Empty
 * unless built with -DOBRADY_FANTRACE. */
#include "util/fantrace.h"
#ifdef OBRADY_FANTRACE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define FT_MAX 400000

struct ft_rec {
    int64_t ns, n;
    const char *kind;
    char id[40];
};

static struct ft_rec recs[FT_MAX];
static unsigned n_recs;

void fantrace_note(const char *kind, const char *id, int64_t n)
{
    unsigned i = __atomic_fetch_add(&n_recs, 1, __ATOMIC_RELAXED);
    if (i >= FT_MAX)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    recs[i].ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    recs[i].n = n;
    recs[i].kind = kind;
    snprintf(recs[i].id, sizeof recs[i].id, "%s", id ? id : "-");
}

void fantrace_thread(const char *id, int64_t n)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    int64_t cpu_us = (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
                     ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
    fantrace_note("csw", id, n + 10 * ((int64_t)ru.ru_nivcsw + 1000000 * (int64_t)ru.ru_nvcsw));
    fantrace_note("cpu", id, n + 10 * cpu_us);
}

__attribute__((destructor)) static void fantrace_dump(void)
{
    const char *path = getenv("OBRADY_FANTRACE");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f)
        return;
    unsigned n = n_recs < FT_MAX ? n_recs : FT_MAX;
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "%lld %s %s %lld\n", (long long)recs[i].ns, recs[i].kind, recs[i].id,
                (long long)recs[i].n);
    fclose(f);
}
#else
typedef int fantrace_empty; /* ISO C wants a translation unit to declare something */
#endif
