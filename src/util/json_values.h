/* json_values.h — the small JSON values every API shape needs: a text or
 * null, a time or null. */
#ifndef OBR_JSON_VALUES_H
#define OBR_JSON_VALUES_H

#include <jansson.h>
#include <stdint.h>

/* s as a JSON string, or null for NULL or "". */
json_t *json_str_or_null(const char *s);
/* Milliseconds since the epoch as an integer, or null for 0 (not yet). */
json_t *json_ms_or_null(int64_t ms);
/* The same as RFC 3339 text in UTC, or null for 0. */
json_t *json_time_or_null(int64_t ms);

#endif
