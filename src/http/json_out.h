/* json_out.h — compact JSON text of a jansson value, byte for byte what
 * json_dumps(v, JSON_COMPACT) writes, without its per-call set-up and
 * per-character callbacks (every reply passes here; issue 16). Reals and
 * very deep values are left to jansson itself. */
#ifndef OBR_HTTP_JSON_OUT_H
#define OBR_HTTP_JSON_OUT_H

#include <stddef.h>

#include <jansson.h>

/* The text (malloc'd, NUL-terminated) and its length; NULL when v is not
 * an object or array, or on no memory — as json_dumps. */
char *json_out_dump(const json_t *v, size_t *len);

#endif
