/* range.h — one HTTP byte range (RFC 9110 §14) of a file of known size:
 * "bytes=A-B", "bytes=A-" or "bytes=-N". Several ranges, other units and
 * malformed values are ignored (the whole file is sent, as the RFC allows);
 * a range that starts past the end is unsatisfiable (416). */
#ifndef OBRADY_HTTP_RANGE_H
#define OBRADY_HTTP_RANGE_H

#include <stdint.h>

enum http_range {
    HTTP_RANGE_NONE,          /* no usable Range: send everything (200) */
    HTTP_RANGE_PARTIAL,       /* send [*start, *start + *len) (206) */
    HTTP_RANGE_UNSATISFIABLE, /* 416 with Content-Range: bytes * / size */
};

enum http_range http_range_parse(const char *value, uint64_t size, uint64_t *start, uint64_t *len);

#endif
