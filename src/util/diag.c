/* diag.c — timestamped log lines on stderr, written whole with one write(2)
 * so lines from different threads never interleave. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum diag_level min_level = DIAG_INFO;

void diag_set_level(enum diag_level level)
{
    min_level = level;
}

void diag_init_from_env(void)
{
    const char *v = getenv("OBRADY_LOG");
    if (!v)
        return;
    if (!strcmp(v, "debug"))
        min_level = DIAG_DEBUG;
    else if (!strcmp(v, "warn"))
        min_level = DIAG_WARN;
    else if (!strcmp(v, "error"))
        min_level = DIAG_ERROR;
    else
        min_level = DIAG_INFO;
}

static void emit(enum diag_level level, const char *prefix, const char *fmt, va_list ap)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    char line[2048];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s %s",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ts.tv_nsec / 1000000, names[level], prefix);
    if (n < 0)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    for (size_t i = (size_t)n; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

void diag(enum diag_level level, const char *fmt, ...)
{
    if (level < min_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(level, "", fmt, ap);
    va_end(ap);
}

void diag_bug(const char *file, int line, const char *fmt, ...)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "BUG at %s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    emit(DIAG_ERROR, prefix, fmt, ap);
    va_end(ap);
}
