/* principal_cache.h — what every request asks the store before it does
 * anything (the session behind the cookie and its user, the meeting and its
 * body, the person's roles there, a vote's meeting), kept in memory and
 * trusted only under the access generation it was read at
 * (store_access_generation: triggers bump it in the same transaction as any
 * logout, revocation, role, membership, participant, body or meeting
 * change, on any node or by hand). A request reads the generation once (one
 * point lookup) instead of about seven statements; a mismatch reads again.
 *
 * Only answers the store gave are kept, and only outside a transaction (a
 * transaction's own uncommitted generation could be rolled back and then
 * reached again by other changes). Thread-safe; bounded (a table that
 * fills up is emptied). A vote's meeting and kind never change, so vote
 * heads are kept without a generation. */
#ifndef OBR_API_PRINCIPAL_CACHE_H
#define OBR_API_PRINCIPAL_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/access_facts.h"
#include "store/auth.h"
#include "store/directory.h"
#include "store/meetings.h"

struct db;

/* The access generation when db may use the cache (outside a transaction
 * and the store answered): true with *gen. */
bool pcache_generation(struct db *db, uint64_t *gen);

/* Session and user of a token hash read at gen. */
bool pcache_session_get(const char *token_hash, uint64_t gen, struct session *s, struct user *u);
void pcache_session_put(const char *token_hash, uint64_t gen, const struct session *s,
                        const struct user *u);
/* Notes a touch written to the store (last_seen_ms moved forward). */
void pcache_session_touched(const char *token_hash, int64_t last_seen_ms);

/* A meeting (as meetings_get reads it) with its body. */
bool pcache_meeting_get(const char *meeting_id, uint64_t gen, struct meeting *m, struct body *b);
void pcache_meeting_put(uint64_t gen, const struct meeting *m, const struct body *b);

/* What user_id is to meeting_id (access_facts_get). */
bool pcache_facts_get(const char *user_id, const char *meeting_id, uint64_t gen,
                      struct access_facts *f);
void pcache_facts_put(const char *user_id, const char *meeting_id, uint64_t gen,
                      const struct access_facts *f);

/* A vote's meeting and kind (votes_head). */
bool pcache_vote_head_get(const char *vote_id, char meeting_id[ID_SIZE], char kind[16]);
void pcache_vote_head_put(const char *vote_id, const char *meeting_id, const char *kind);

struct pcache_stats {
    uint64_t hits, misses, flushes;
};
void pcache_stats(struct pcache_stats *out);
/* Empties every table (tests, shutdown). Not while requests run. */
void pcache_reset(void);

#endif
