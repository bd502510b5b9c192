/* eligible_index.h — whether a user id is in a vote's eligible list (a
 * JSON array of ids, parsed once per stored text by json_col_cache) by a
 * binary search over a sorted index kept beside the array, instead of a
 * strcmp walk over up to the whole body on every ballot (issue 16). */
#ifndef OBR_API_ELIGIBLE_INDEX_H
#define OBR_API_ELIGIBLE_INDEX_H

#include <stdbool.h>

#include <jansson.h>

/* True when user_id is one of eligible's strings; false for NULL or a
 * non-array. eligible must not change while it is referenced (the cached
 * parses never do). Thread-safe. */
bool eligible_has(const json_t *eligible, const char *user_id);
/* Drops the indexes (tests, shutdown). */
void eligible_index_reset(void);

#endif
