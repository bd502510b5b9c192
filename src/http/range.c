/* range.c — the single byte range of a Range header (see range.h). Digits
 * only, no signs or spaces inside numbers, at most 19 digits (no overflow). */
#include "http/range.h"

#include <stdbool.h>
#include <string.h>

/* Reads 1..19 decimal digits at *p into *out; advances *p. */
static bool read_num(const char **p, uint64_t *out)
{
    uint64_t v = 0;
    int n = 0;
    while (**p >= '0' && **p <= '9') {
        if (++n > 19)
            return false;
        v = v * 10 + (uint64_t)(**p - '0');
        (*p)++;
    }
    *out = v;
    return n > 0;
}

enum http_range http_range_parse(const char *value, uint64_t size, uint64_t *start, uint64_t *len)
{
    if (!value || strncmp(value, "bytes=", 6))
        return HTTP_RANGE_NONE;
    const char *p = value + 6;
    while (*p == ' ')
        p++;
    uint64_t a = 0, b = 0;
    bool has_a = read_num(&p, &a);
    if (*p++ != '-')
        return HTTP_RANGE_NONE;
    bool has_b = read_num(&p, &b);
    while (*p == ' ')
        p++;
    if (*p != '\0' || (!has_a && !has_b)) /* several ranges or garbage: the whole file */
        return HTTP_RANGE_NONE;
    if (!has_a) { /* the last b bytes */
        if (b == 0 || size == 0)
            return HTTP_RANGE_UNSATISFIABLE;
        *len = b < size ? b : size;
        *start = size - *len;
        return HTTP_RANGE_PARTIAL;
    }
    if (has_b && b < a)
        return HTTP_RANGE_NONE; /* invalid: ignored */
    if (a >= size)
        return HTTP_RANGE_UNSATISFIABLE;
    uint64_t last = has_b && b < size - 1 ? b : size - 1;
    *start = a;
    *len = last - a + 1;
    return HTTP_RANGE_PARTIAL;
}
