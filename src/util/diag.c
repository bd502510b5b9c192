/* diag.c — timestamped log lines on stderr, each handed whole to
 * diag_queue.c (which writes info lines in batches while the server runs)
 * so lines from different threads never interleave; plain text, or one
 * JSON object per line (log_format = json) for log shippers. */
#include "util/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/diag_impl.h"
#include "util/utf8.h"

/* Both may change at run time (SIGHUP) while other threads log: atomics. */
static enum diag_level min_level = DIAG_INFO;
static bool is_json;

void diag_set_level(enum diag_level level)
{
    __atomic_store_n(&min_level, level, __ATOMIC_RELAXED);
}

void diag_set_json(bool on)
{
    __atomic_store_n(&is_json, on, __ATOMIC_RELAXED);
}

int diag_level_parse(const char *name, enum diag_level *out)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i])) {
            *out = (enum diag_level)i;
            return 0;
        }
    return -1;
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

/* Appends s as the inside of a JSON string; stops before overflowing. */
static size_t json_escape(char *out, size_t at, size_t cap, const char *s)
{
    for (; *s && at + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[at++] = '\\';
            out[at++] = (char)c;
        } else if (c < 0x20) {
            at += (size_t)snprintf(out + at, cap - at, "\\u%04x", c);
        } else {
            out[at++] = (char)c;
        }
    }
    return at;
}

/* A logged path may hold any bytes; JSON must stay UTF-8. */
static void make_utf8(char *s)
{
    if (!utf8_is_valid(s, strlen(s)))
        for (; *s; s++)
            if ((unsigned char)*s >= 0x80)
                *s = '?';
}

/* extra: more members, already JSON (",\"k\":v..."), or NULL. */
static void emit_json(bool is_urgent, const char *level, const char *ts, const char *prefix,
                      const char *extra, const char *fmt, va_list ap)
{
    char msg[2048], line[6200];
    size_t n = (size_t)snprintf(msg, sizeof msg, "%s", prefix);
    if (n < sizeof msg)
        vsnprintf(msg + n, sizeof msg - n, fmt, ap);
    make_utf8(msg);
    size_t at = (size_t)snprintf(line, sizeof line, "{\"time\":\"%s\",\"level\":\"%s\",\"msg\":\"",
                                 ts, level);
    at = json_escape(line, at, sizeof line - 2050, msg);
    line[at++] = '"';
    if (extra) {
        size_t len = strlen(extra);
        if (at + len < sizeof line - 3) {
            memcpy(line + at, extra, len);
            at += len;
        }
    }
    line[at++] = '}';
    line[at++] = '\n';
    diag_out(is_urgent, line, at);
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" (24 characters and a NUL): the part up to the
 * seconds is formatted once a second per thread, the milliseconds by hand
 * (a line per request and per event: no printf for what barely changes). */
static void stamp_now(char out[32])
{
    static __thread time_t last_sec = -1;
    static __thread char last[64];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != last_sec) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        snprintf(last, sizeof last, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        last_sec = ts.tv_sec;
    }
    size_t n = strnlen(last, 24);
    long ms = ts.tv_nsec / 1000000;
    memcpy(out, last, n);
    out[n++] = '.';
    out[n++] = (char)('0' + ms / 100);
    out[n++] = (char)('0' + ms / 10 % 10);
    out[n++] = (char)('0' + ms % 10);
    out[n++] = 'Z';
    out[n] = '\0';
}

static const char *const level_names[] = {"debug", "info", "warn", "error"};

/* Sends line (len bytes, room for one more) with its newline, control
 * line breaks from at on replaced so one call stays one line. */
static void write_line(bool is_urgent, char *line, size_t len, size_t at)
{
    for (size_t i = at; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    line[len++] = '\n';
    diag_out(is_urgent, line, len);
}

static void emit(enum diag_level level, const char *prefix, const char *extra, const char *fmt,
                 va_list ap)
{
    char line[2048];
    char stamp[32];
    stamp_now(stamp);
    if (__atomic_load_n(&is_json, __ATOMIC_RELAXED)) {
        emit_json(level >= DIAG_WARN, level_names[level], stamp, prefix, extra, fmt, ap);
        return;
    }
    int n = snprintf(line, sizeof line, "%s %s %s", stamp, level_names[level], prefix);
    if (n < 0)
        return;
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    write_line(level >= DIAG_WARN, line, len, (size_t)n);
}

void diag(enum diag_level level, const char *fmt, ...)
{
    if (level < __atomic_load_n(&min_level, __ATOMIC_RELAXED))
        return;
    va_list ap;
    va_start(ap, fmt);
    emit(level, "", NULL, fmt, ap);
    va_end(ap);
}

void diag_bug(const char *file, int line, const char *fmt, ...)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "BUG at %s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    emit(DIAG_ERROR, prefix, NULL, fmt, ap);
    va_end(ap);
}

static void emit_request(const char *extra, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(DIAG_INFO, "", extra, fmt, ap);
    va_end(ap);
}

/* Appends s (at most max bytes of it) to line at *at, leaving room for the
 * newline; returns false when it did not all fit. */
static bool put(char *line, size_t cap, size_t *at, const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    bool fits = *at + n < cap - 1;
    if (!fits)
        n = *at < cap - 1 ? cap - 1 - *at : 0;
    memcpy(line + *at, s, n);
    *at += n;
    return fits;
}

/* ms as "%.1f" for 0 <= ms < 1e9 (longer is not a request's time). */
static size_t format_ms(char out[24], double ms)
{
    if (!(ms >= 0 && ms < 1e9))
        return (size_t)snprintf(out, 24, "%.1f", ms);
    unsigned long long tenths = (unsigned long long)(ms * 10.0 + 0.5);
    char rev[24];
    size_t n = 0;
    unsigned long long whole = tenths / 10;
    do
        rev[n++] = (char)('0' + whole % 10);
    while ((whole /= 10));
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n++] = '.';
    out[n++] = (char)('0' + tenths % 10);
    out[n] = '\0';
    return n;
}

void diag_request(const char *method, const char *path, unsigned status, double ms,
                  const char *client, bool is_complete)
{
    if (DIAG_INFO < __atomic_load_n(&min_level, __ATOMIC_RELAXED))
        return;
    char num[24];
    format_ms(num, ms);
    if (!__atomic_load_n(&is_json, __ATOMIC_RELAXED)) {
        /* The plain line, put together without printf: the same text as
         * "%s %s %u %.1fms from %s%s" after the stamp and level. */
        char line[2048], code[12];
        size_t at = 0;
        stamp_now(line);
        at = strlen(line);
        put(line, sizeof line, &at, " info ", 6);
        size_t from = at;
        snprintf(code, sizeof code, " %u ", status);
        put(line, sizeof line, &at, method, 32);
        put(line, sizeof line, &at, " ", 1);
        put(line, sizeof line, &at, path, sizeof line);
        put(line, sizeof line, &at, code, sizeof code);
        put(line, sizeof line, &at, num, sizeof num);
        put(line, sizeof line, &at, "ms from ", 8);
        put(line, sizeof line, &at, client, 256);
        if (!is_complete)
            put(line, sizeof line, &at, " (connection ended early)", 32);
        write_line(false, line, at, from);
        return;
    }
    char extra[2048], clean[1200];
    snprintf(clean, sizeof clean, "%s", path);
    make_utf8(clean);
    size_t at = (size_t)snprintf(extra, sizeof extra, ",\"method\":\"");
    at = json_escape(extra, at, sizeof extra - 200, method);
    at += (size_t)snprintf(extra + at, sizeof extra - at, "\",\"path\":\"");
    at = json_escape(extra, at, sizeof extra - 150, clean);
    snprintf(extra + at, sizeof extra - at, "\",\"status\":%u,\"ms\":%s,\"client\":\"%.64s\"%s",
             status, num, client, is_complete ? "" : ",\"ended_early\":true");
    emit_request(extra, "%s %s %u %sms from %s%s", method, path, status, num, client,
                 is_complete ? "" : " (connection ended early)");
}
