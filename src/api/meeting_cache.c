/* meeting_cache.c — see meeting_cache.h. A chained hash table over meeting
 * ids for lookup and a doubly linked list in use order for eviction, both
 * guarded by one mutex; a state is shared as a refcounted snapshot. */
#include "api/meeting_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_BUCKETS 1024

/* An immutable folded state; freed with its last reference. */
struct snapshot {
    atomic_int refs;
    struct meeting_state *st;
};

struct entry {
    char meeting_id[ID_SIZE];
    unsigned char key[MEETING_CACHE_KEY_SIZE];
    struct snapshot *snap;
    struct entry *next_in_bucket;
    struct entry *newer, *older; /* use order */
};

/* lock guards everything below. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *buckets[N_BUCKETS];
static struct entry *newest, *oldest;
static int n_entries;
static int capacity = MEETING_CACHE_DEFAULT_CAPACITY;
static struct meeting_cache_stats stats;

static void snap_unref(struct snapshot *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1) {
        meeting_state_free(s->st);
        free(s);
    }
}

static unsigned bucket_of(const char *meeting_id)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)meeting_id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % N_BUCKETS;
}

/* Called with lock held. */
static struct entry *find(const char *meeting_id)
{
    for (struct entry *e = buckets[bucket_of(meeting_id)]; e; e = e->next_in_bucket)
        if (!strcmp(e->meeting_id, meeting_id))
            return e;
    return NULL;
}

/* Called with lock held. */
static void unlink_use(struct entry *e)
{
    if (e->newer)
        e->newer->older = e->older;
    else
        newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        oldest = e->newer;
    e->newer = e->older = NULL;
}

/* Called with lock held. */
static void mark_used(struct entry *e)
{
    if (newest == e)
        return;
    if (e->newer || e->older || oldest == e)
        unlink_use(e);
    e->older = newest;
    if (newest)
        newest->newer = e;
    newest = e;
    if (!oldest)
        oldest = e;
}

/* Unlinks e and returns its snapshot for the caller to unref outside the
 * lock. Called with lock held. */
static struct snapshot *drop(struct entry *e)
{
    struct entry **pp = &buckets[bucket_of(e->meeting_id)];
    while (*pp != e)
        pp = &(*pp)->next_in_bucket;
    *pp = e->next_in_bucket;
    unlink_use(e);
    struct snapshot *s = e->snap;
    free(e);
    n_entries--;
    return s;
}

struct meeting_state *meeting_cache_get(const char *meeting_id,
                                        const unsigned char key[MEETING_CACHE_KEY_SIZE])
{
    struct snapshot *s = NULL;
    pthread_mutex_lock(&lock);
    struct entry *e = find(meeting_id);
    if (e && !memcmp(e->key, key, MEETING_CACHE_KEY_SIZE)) {
        s = e->snap;
        atomic_fetch_add(&s->refs, 1);
        mark_used(e);
        stats.hits++;
    } else {
        stats.misses++;
    }
    pthread_mutex_unlock(&lock);
    if (!s)
        return NULL;
    /* The caller's reference keeps the state, the snapshot may go. */
    struct meeting_state *st = meeting_state_ref(s->st);
    snap_unref(s);
    return st;
}

/* Does the cache lack st (same key, seq at least st's)? */
static bool is_wanted(const unsigned char *key, const struct meeting_state *st)
{
    struct entry *e = find(st->meeting_id);
    return capacity > 0 &&
           !(e && !memcmp(e->key, key, MEETING_CACHE_KEY_SIZE) && e->snap->st->seq >= st->seq);
}

void meeting_cache_put(const unsigned char key[MEETING_CACHE_KEY_SIZE],
                       const struct meeting_state *st)
{
    pthread_mutex_lock(&lock);
    bool is_needed = is_wanted(key, st);
    pthread_mutex_unlock(&lock);
    if (!is_needed)
        return;
    struct snapshot *s = malloc(sizeof *s);
    struct entry *fresh = calloc(1, sizeof *fresh);
    if (s) /* shared, not copied: the loader hands st out read-only */
        s->st = meeting_state_ref((struct meeting_state *)st);
    if (!s || !s->st || !fresh) {
        if (s)
            meeting_state_free(s->st);
        free(s);
        free(fresh);
        return;
    }
    atomic_init(&s->refs, 1);
    struct snapshot *old[2] = {NULL, NULL};
    pthread_mutex_lock(&lock);
    if (!is_wanted(key, st)) { /* someone put a newer one meanwhile */
        old[0] = s;
    } else {
        struct entry *e = find(st->meeting_id);
        if (e) {
            old[0] = e->snap;
        } else {
            e = fresh;
            snprintf(e->meeting_id, sizeof e->meeting_id, "%s", st->meeting_id);
            unsigned b = bucket_of(e->meeting_id);
            e->next_in_bucket = buckets[b];
            buckets[b] = e;
            n_entries++;
            fresh = NULL;
        }
        memcpy(e->key, key, MEETING_CACHE_KEY_SIZE);
        e->snap = s;
        mark_used(e);
        stats.puts++;
        if (n_entries > capacity && oldest != e) {
            old[1] = drop(oldest);
            stats.evictions++;
        }
    }
    pthread_mutex_unlock(&lock);
    free(fresh);
    snap_unref(old[0]);
    snap_unref(old[1]);
}

void meeting_cache_forget(const char *meeting_id)
{
    struct snapshot *s = NULL;
    pthread_mutex_lock(&lock);
    struct entry *e = find(meeting_id);
    if (e)
        s = drop(e);
    pthread_mutex_unlock(&lock);
    snap_unref(s);
}

void meeting_cache_reset(int new_capacity)
{
    pthread_mutex_lock(&lock);
    while (oldest)
        snap_unref(drop(oldest));
    capacity = new_capacity < 0 ? 0 : new_capacity;
    memset(&stats, 0, sizeof stats);
    pthread_mutex_unlock(&lock);
}

void meeting_cache_stats(struct meeting_cache_stats *out)
{
    pthread_mutex_lock(&lock);
    *out = stats;
    out->entries = n_entries;
    out->capacity = capacity;
    pthread_mutex_unlock(&lock);
}
