/* shared_limits.h — a rate limit that holds across nodes. On PostgreSQL a
 * bucket lives in the store (rate_buckets, one atomic UPSERT), so a client
 * that moves to another node keeps its count; on SQLite one process is the
 * truth and the in-memory bucket (util/ratelimit.h) serves. */
#ifndef OBR_API_SHARED_LIMITS_H
#define OBR_API_SHARED_LIMITS_H

#include <stdbool.h>

#include "store/db.h"
#include "util/ratelimit.h"

/* Takes one token for key from the limit `name` (a short fixed word that
 * keeps limits apart in the shared table), with rl's rate and burst. db may
 * be NULL (or a store that does not answer): then rl's memory decides, which
 * is never looser than the shared bucket for this node. False when refused;
 * then *retry_after_s says when to try again. */
bool shared_limit_take(struct db *db, struct ratelimit *rl, const char *name, const char *key,
                       unsigned *retry_after_s);

/* Forgets shared buckets that are full again; the scheduler calls it now and
 * then. No-op on SQLite. */
void shared_limits_sweep(struct db *db);

#endif
