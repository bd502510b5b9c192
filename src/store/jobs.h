/* jobs.h — what several nodes on one database share besides the log
 * (jobs_repo.c): named job leases, rate-limit buckets and the directory
 * generation, plus this process's node id. On SQLite the same calls work
 * (one process is the truth there; rate limits stay in memory, see
 * api/shared_limits.c). */
#ifndef OBR_STORE_JOBS_H
#define OBR_STORE_JOBS_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

#define NODE_ID_SIZE 64

/* This process's id, "host-pid-random", made on first use; names the holder
 * of claims and leases (visible in deadlines.claimed_by, outbox.claimed_by,
 * job_leases.holder). Thread-safe. */
const char *node_id(void);

/* Takes (or renews, when holder already has it) the lease `name` until
 * now_ms + lease_ms, unless another holder's lease is still running.
 * 1 taken, 0 held by another node, or a negative OBR_E*. Autocommit. */
int job_lease_take(struct db *db, const char *name, const char *holder, int64_t now_ms,
                   int64_t lease_ms);
/* Gives the lease back early (only holder's own). */
int job_lease_release(struct db *db, const char *name, const char *holder);

/* One request against the shared bucket `key` (generic cell rate algorithm:
 * one token every interval_ms, at most burst at once). 1 allowed, 0 refused
 * (then *retry_ms says when the next is allowed), or a negative OBR_E*. One
 * atomic UPSERT, safe when several nodes take from the same key at once. */
int rate_buckets_take(struct db *db, const char *key, int64_t now_ms, int64_t interval_ms,
                      int burst, int64_t *retry_ms);
/* Deletes buckets that are full again (nothing to remember). */
int rate_buckets_sweep(struct db *db, int64_t now_ms);

/* The directory generation that the meeting state cache keys on: on
 * PostgreSQL the store_generations row bumped by triggers in the writing
 * transaction (so every node sees every node's changes), on SQLite the
 * process's counter (db_directory_generation). */
int store_directory_generation(struct db *db, uint64_t *out);

/* The access generation (migration 0026), on both stores the row
 * store_generations ('access') bumped by triggers in every transaction that
 * ends or re-keys a session or changes a user, staff role, membership,
 * participant, body or meeting; api/principal_cache.c keys on it. */
int store_access_generation(struct db *db, uint64_t *out);

#endif
