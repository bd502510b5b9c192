/* fuzz_util.h — shared by the libFuzzer harnesses: splitting one input into
 * NUL-terminated fields, and a check that stops the run (so libFuzzer saves
 * the input) when a harness's own oracle finds something wrong. */
#ifndef OBR_FUZZ_UTIL_H
#define OBR_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The next field of *data: bytes up to a separator byte 0x1F (or the end), as
 * a malloc'd NUL-terminated string (NUL bytes inside are kept, so C string
 * functions see a shorter text, as a handler would). Never NULL. */
static inline char *fz_field(const uint8_t **data, size_t *size, size_t *len_out)
{
    const uint8_t *p = *data;
    const uint8_t *sep = memchr(p, 0x1F, *size);
    size_t n = sep ? (size_t)(sep - p) : *size;
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, p, n);
    s[n] = '\0';
    *data += sep ? n + 1 : n;
    *size -= sep ? n + 1 : n;
    if (len_out)
        *len_out = n;
    return s;
}

#define FZ_CHECK(cond, ...)                                                                        \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz oracle: " __VA_ARGS__);                                          \
            fprintf(stderr, "\n");                                                                 \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
