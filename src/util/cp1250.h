/* cp1250.h — decoding Windows-1250 text to UTF-8 (see cp1250.c). */
#ifndef OBR_CP1250_H
#define OBR_CP1250_H

#include <stddef.h>

#include "util/err.h"

/* Decodes len bytes of Windows-1250 into a new NUL-terminated UTF-8 string
 * in *out (caller frees) of *out_len bytes. OBR_EINVAL when a byte has no
 * character in Windows-1250 (0x81, 0x83, 0x88, 0x90, 0x98), OBR_ENOMEM. */
int cp1250_to_utf8(const char *in, size_t len, char **out, size_t *out_len);

#endif
