/* utf8.h — strict UTF-8 validation for text that arrives from the network
 * outside jansson (which validates JSON strings itself): headers, query
 * strings, path segments, CSV and uploaded file names. */
#ifndef OBR_UTF8_H
#define OBR_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_is_valid(const char *s, size_t len);
/* True when s is valid UTF-8 without control characters, C0 or C1 (tab and
 * newline allowed if multiline). */
bool utf8_is_text(const char *s, size_t len, bool multiline);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s, size_t len);

#endif
