/* json_col_cache.h — parsed JSON of large, rarely changing text columns
 * (a vote's eligible list: 200 ids parsed on every ballot cost a fifth of
 * its CPU), shared read-only between threads. An entry is found by its row
 * id and is used only when the stored text is byte for byte the text it was
 * parsed from, so it can never be stale; no invalidation is needed. */
#ifndef OBR_STORE_JSON_COL_CACHE_H
#define OBR_STORE_JSON_COL_CACHE_H

#include <jansson.h>

/* The parsed value of text (a new reference; the caller must not change
 * it), from the cache when row_id's entry holds the same text; NULL when
 * text is NULL or does not parse. */
json_t *json_col_cache_get(const char *row_id, const char *text);
/* Drops every entry (shutdown, tests). */
void json_col_cache_reset(void);

#endif
