/* meeting_cache.h — folded meeting states kept in memory, so an action folds
 * only the events appended since the last one instead of the whole log
 * (meeting_state_load in meeting_ctx.c is its only user).
 *
 * An entry is a meeting id, a key naming everything the fold started from
 * besides the log (the people and the quorum settings, MEETING_CACHE_KEY_SIZE
 * bytes of a hash), and a state folded to some seq. The cache never decides
 * whether a state is still true of the log: the loader checks that the
 * stored event at the state's seq still has the state's hash before it folds
 * newer events on a copy, and folds from scratch otherwise.
 *
 * Thread-safe: one mutex guards the table and the LRU list; states are
 * immutable snapshots shared by reference count (meeting_state_ref), copied
 * only by a loader that has newer events to fold. Bounded: the capacity
 * counts meetings not started, the least recently used going first; started
 * meetings (status in_progress) are all kept, however many are live, within a
 * bound on the states' estimated bytes (setting meeting_cache_mib), over
 * which the least recently used goes, not started first. */
#ifndef OBR_API_MEETING_CACHE_H
#define OBR_API_MEETING_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/meeting_state.h"

#define MEETING_CACHE_KEY_SIZE 16
/* Meetings not started kept besides every started one. A cache of fewer
 * entries than live meetings thrashes: each action folds its meeting's whole
 * log again, which grows with every event (bench/peak at 750 meetings with
 * 256 entries: 42 % of the CPU), so started meetings are not counted here. */
#define MEETING_CACHE_DEFAULT_CAPACITY 2048
/* The default bound on the states' estimated bytes (meeting_cache_mib): a
 * state of 30 people and 20 items is ~45 KB, so ~5 800 such meetings. */
#define MEETING_CACHE_DEFAULT_MIB 256

/* The cached state of meeting_id if it was folded under key, else NULL (a
 * miss). Shared and read only: the caller copies it (meeting_state_clone)
 * before changing it, and drops its reference with meeting_state_free. */
struct meeting_state *meeting_cache_get(const char *meeting_id,
                                        const unsigned char key[MEETING_CACHE_KEY_SIZE]);

/* Remembers st (a new reference: from now on nobody changes st), folded
 * under key, unless the cache already holds a state of the same meeting
 * under the same key at st->seq or later. */
void meeting_cache_put(const unsigned char key[MEETING_CACHE_KEY_SIZE],
                       const struct meeting_state *st);

/* Drops the entry of meeting_id, if any. */
void meeting_cache_forget(const char *meeting_id);

/* Sets the number of meetings not started kept (0 turns the cache off) and
 * drops every entry; also frees everything at shutdown. Not for use while
 * requests run. */
void meeting_cache_reset(int capacity);

/* The bound on the states' estimated bytes: over it the least recently used
 * entry is evicted, one not started first, else a started one. */
void meeting_cache_set_memory(size_t bytes);

struct meeting_cache_stats {
    uint64_t hits, misses, puts, evictions;
    uint64_t live_evictions; /* of started meetings (only over the bytes) */
    int entries, live, capacity; /* live: entries of started meetings */
    size_t bytes, max_bytes;
};
void meeting_cache_stats(struct meeting_cache_stats *out);

#endif
