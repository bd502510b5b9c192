/* fantrace.h — fan-out timing trace, compiled in only with -DOBRADY_FANTRACE
 * (a measuring build: bench/fanout/README notes how). FANTRACE(kind, id, n)
 * records CLOCK_MONOTONIC ns with a kind, a meeting id and a number; the
 * records are written to $OBRADY_FANTRACE at exit. Otherwise a no-op. */
#ifndef OBRADY_UTIL_FANTRACE_H
#define OBRADY_UTIL_FANTRACE_H
#include <stdint.h>
#ifdef OBRADY_FANTRACE
void fantrace_note(const char *kind, const char *id, int64_t n);
void fantrace_thread(const char *id, int64_t n);
#define FANTRACE(kind, id, n) fantrace_note(kind, id, n)
/* The calling thread's context switches ("csw": n + 10 * (involuntary +
 * 10^6 * voluntary)) and CPU time ("cpu": n + 10 * microseconds); n < 10. */
#define FANTRACE_THREAD(id, n) fantrace_thread(id, n)
#else
#define FANTRACE(kind, id, n) ((void)0)
#define FANTRACE_THREAD(id, n) ((void)0)
#endif
#endif
