/* meeting_cache.c — see meeting_cache.h. A chained hash table over meeting
 * ids for lookup and two doubly linked lists in use order for eviction (the
 * started meetings and the others), all guarded by one mutex; a state is
 * shared as a refcounted snapshot. */
#include "api/meeting_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_BUCKETS 8192

/* An immutable folded state; freed with its last reference. */
struct snapshot {
    atomic_int refs;
    struct meeting_state *st;
};

struct entry {
    char meeting_id[ID_SIZE];
    unsigned char key[MEETING_CACHE_KEY_SIZE];
    struct snapshot *snap;
    size_t bytes;  /* state_bytes of snap->st */
    bool is_live;  /* in the started meetings' list */
    bool is_listed;
    struct entry *next_in_bucket;
    struct entry *newer, *older; /* use order within its list */
};

/* The use order of one kind of entry. */
struct use_list {
    struct entry *newest, *oldest;
    int n;
};

/* lock guards everything below. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *buckets[N_BUCKETS];
static struct use_list lists[2]; /* [0] not started, [1] started */
static int n_entries;
static int capacity = MEETING_CACHE_DEFAULT_CAPACITY; /* of lists[0] */
static size_t max_bytes = (size_t)MEETING_CACHE_DEFAULT_MIB << 20;
static size_t n_bytes; /* of every entry's state */
static struct meeting_cache_stats stats;

/* The bytes a folded state holds (its arrays as folded; parts a
 * copy-on-write state shares counted in full, memos made later not at all). */
static size_t state_bytes(const struct meeting_state *st)
{
    return sizeof *st + (size_t)st->n_people * sizeof(struct ms_person) +
           (size_t)st->n_items * sizeof(struct ms_item) +
           (size_t)st->n_queue * sizeof(struct ms_floor) +
           (size_t)st->n_chat * sizeof(struct ms_chat);
}

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
    if (!e->is_listed)
        return;
    struct use_list *l = &lists[e->is_live];
    if (e->newer)
        e->newer->older = e->older;
    else
        l->newest = e->older;
    if (e->older)
        e->older->newer = e->newer;
    else
        l->oldest = e->newer;
    e->newer = e->older = NULL;
    e->is_listed = false;
    l->n--;
}

/* Makes e the newest of the list its state belongs to. Called with lock held. */
static void mark_used(struct entry *e)
{
    bool is_live = !strcmp(e->snap->st->status, "in_progress");
    struct use_list *l = &lists[is_live];
    if (e->is_listed && e->is_live == is_live && l->newest == e)
        return;
    unlink_use(e);
    e->is_live = is_live;
    e->older = l->newest;
    if (l->newest)
        l->newest->newer = e;
    l->newest = e;
    if (!l->oldest)
        l->oldest = e;
    e->is_listed = true;
    l->n++;
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
    n_bytes -= e->bytes;
    free(e);
    n_entries--;
    return s;
}

/* One entry to evict after fresh was put, or NULL: over the bytes, the
 * least recently used meeting not started, else the least recently used
 * started one; over the count, the least recently used not started. A
 * started meeting never counts against the capacity: evicting one would
 * make its next action refold its whole log. Called with lock held. */
static struct snapshot *make_room(const struct entry *fresh)
{
    struct entry *victim = NULL;
    if (n_bytes > max_bytes)
        victim = lists[0].oldest && lists[0].oldest != fresh ? lists[0].oldest : lists[1].oldest;
    else if (lists[0].n > capacity)
        victim = lists[0].oldest;
    if (!victim || victim == fresh)
        return NULL;
    stats.evictions++;
    if (victim->is_live)
        stats.live_evictions++;
    return drop(victim);
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
    struct snapshot *old[3] = {NULL, NULL, NULL};
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
        n_bytes = n_bytes - e->bytes + state_bytes(st);
        e->bytes = state_bytes(st);
        mark_used(e);
        stats.puts++;
        /* Two at most: one over the count, one more over the bytes. */
        old[1] = make_room(e);
        old[2] = old[1] ? make_room(e) : NULL;
    }
    pthread_mutex_unlock(&lock);
    free(fresh);
    for (int i = 0; i < 3; i++)
        snap_unref(old[i]);
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
    for (int i = 0; i < 2; i++)
        while (lists[i].oldest)
            snap_unref(drop(lists[i].oldest));
    capacity = new_capacity < 0 ? 0 : new_capacity;
    memset(&stats, 0, sizeof stats);
    pthread_mutex_unlock(&lock);
}

void meeting_cache_set_memory(size_t bytes)
{
    pthread_mutex_lock(&lock);
    max_bytes = bytes;
    pthread_mutex_unlock(&lock);
}

void meeting_cache_stats(struct meeting_cache_stats *out)
{
    pthread_mutex_lock(&lock);
    *out = stats;
    out->entries = n_entries;
    out->live = lists[1].n;
    out->capacity = capacity;
    out->bytes = n_bytes;
    out->max_bytes = max_bytes;
    pthread_mutex_unlock(&lock);
}
