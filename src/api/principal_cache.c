/* principal_cache.c — see principal_cache.h. Four chained hash tables of
 * fixed-size values under a text key, each entry stamped with the access
 * generation it was read at; a lookup copies the value out under the
 * table's lock (a few kilobytes at most), so callers own what they get. */
#include "api/principal_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_access.h"
#include "store/jobs.h"

#define N_BUCKETS 4096
#define MAX_ENTRIES 65536
#define KEY_SIZE 96
#define ANY_GEN UINT64_MAX /* vote heads: valid under every generation */

struct entry {
    struct entry *next;
    uint64_t gen;
    char key[KEY_SIZE];
    unsigned char value[]; /* the table's value_size bytes */
};

struct table {
    pthread_mutex_t lock; /* guards buckets and n */
    struct entry *buckets[N_BUCKETS];
    int n;
    size_t value_size;
};

struct session_value {
    struct session s;
    struct user u;
};
struct meeting_value {
    struct meeting m;
    struct body b;
};
struct head_value {
    char meeting_id[ID_SIZE];
    char kind[16];
};

static struct table sessions = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, sizeof(struct session_value)};
static struct table meetings = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, sizeof(struct meeting_value)};
static struct table facts = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, sizeof(struct access_facts)};
static struct table heads = {PTHREAD_MUTEX_INITIALIZER, {0}, 0, sizeof(struct head_value)};
static atomic_uint_fast64_t n_hits, n_misses, n_flushes;

static unsigned bucket_of(const char *key)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % N_BUCKETS;
}

/* Called with t->lock held. */
static struct entry **find(struct table *t, const char *key)
{
    struct entry **pp = &t->buckets[bucket_of(key)];
    while (*pp && strcmp((*pp)->key, key))
        pp = &(*pp)->next;
    return pp;
}

/* Called with t->lock held. */
static void flush(struct table *t)
{
    for (int i = 0; i < N_BUCKETS; i++)
        for (struct entry *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    memset(t->buckets, 0, sizeof t->buckets);
    t->n = 0;
}

static bool get(struct table *t, const char *key, uint64_t gen, void *out)
{
    bool is_hit = false;
    pthread_mutex_lock(&t->lock);
    struct entry *e = *find(t, key);
    if (e && (e->gen == gen || e->gen == ANY_GEN)) {
        memcpy(out, e->value, t->value_size);
        is_hit = true;
    }
    pthread_mutex_unlock(&t->lock);
    atomic_fetch_add(is_hit ? &n_hits : &n_misses, 1);
    return is_hit;
}

static void put(struct table *t, const char *key, uint64_t gen, const void *value)
{
    if (strlen(key) >= KEY_SIZE)
        return;
    struct entry *fresh = malloc(sizeof *fresh + t->value_size);
    if (!fresh)
        return;
    snprintf(fresh->key, sizeof fresh->key, "%s", key);
    fresh->gen = gen;
    memcpy(fresh->value, value, t->value_size);
    pthread_mutex_lock(&t->lock);
    struct entry **pp = find(t, key), *old = *pp;
    if (old) { /* replace in place */
        fresh->next = old->next;
        *pp = fresh;
    } else {
        if (t->n >= MAX_ENTRIES) {
            flush(t);
            atomic_fetch_add(&n_flushes, 1);
            pp = find(t, key);
        }
        fresh->next = NULL;
        *pp = fresh;
        t->n++;
    }
    pthread_mutex_unlock(&t->lock);
    free(old);
}

bool pcache_generation(struct db *db, uint64_t *gen)
{
    if (!db || db_in_transaction(db))
        return false;
    /* On SQLite, while only this process committed since the last read and
     * none of its commits changed it, the generation is known (db_access.h). */
    struct db_access_mark mark;
    if (db_access_known(db, gen, &mark))
        return true;
    if (store_access_generation(db, gen))
        return false;
    db_access_learn(db, &mark, *gen);
    return true;
}

bool pcache_session_get(const char *token_hash, uint64_t gen, struct session *s, struct user *u)
{
    struct session_value v;
    if (!get(&sessions, token_hash, gen, &v))
        return false;
    *s = v.s;
    *u = v.u;
    return true;
}

void pcache_session_put(const char *token_hash, uint64_t gen, const struct session *s,
                        const struct user *u)
{
    struct session_value v = {.s = *s, .u = *u};
    put(&sessions, token_hash, gen, &v);
}

void pcache_session_touched(const char *token_hash, int64_t last_seen_ms)
{
    pthread_mutex_lock(&sessions.lock);
    struct entry *e = *find(&sessions, token_hash);
    if (e) {
        struct session_value *v = (struct session_value *)e->value;
        if (v->s.last_seen_ms < last_seen_ms)
            v->s.last_seen_ms = last_seen_ms;
    }
    pthread_mutex_unlock(&sessions.lock);
}

bool pcache_meeting_get(const char *meeting_id, uint64_t gen, struct meeting *m, struct body *b)
{
    struct meeting_value v;
    if (!get(&meetings, meeting_id, gen, &v))
        return false;
    *m = v.m;
    *b = v.b;
    return true;
}

void pcache_meeting_put(uint64_t gen, const struct meeting *m, const struct body *b)
{
    struct meeting_value v = {.m = *m, .b = *b};
    put(&meetings, m->id, gen, &v);
}

static void facts_key(const char *user_id, const char *meeting_id, char key[KEY_SIZE])
{
    snprintf(key, KEY_SIZE, "%s/%s", user_id, meeting_id);
}

bool pcache_facts_get(const char *user_id, const char *meeting_id, uint64_t gen,
                      struct access_facts *f)
{
    char key[KEY_SIZE];
    facts_key(user_id, meeting_id, key);
    return get(&facts, key, gen, f);
}

void pcache_facts_put(const char *user_id, const char *meeting_id, uint64_t gen,
                      const struct access_facts *f)
{
    char key[KEY_SIZE];
    facts_key(user_id, meeting_id, key);
    put(&facts, key, gen, f);
}

bool pcache_vote_head_get(const char *vote_id, char meeting_id[ID_SIZE], char kind[16])
{
    struct head_value v;
    if (!get(&heads, vote_id, ANY_GEN, &v))
        return false;
    memcpy(meeting_id, v.meeting_id, ID_SIZE);
    memcpy(kind, v.kind, 16);
    return true;
}

void pcache_vote_head_put(const char *vote_id, const char *meeting_id, const char *kind)
{
    struct head_value v;
    memset(&v, 0, sizeof v);
    snprintf(v.meeting_id, sizeof v.meeting_id, "%s", meeting_id);
    snprintf(v.kind, sizeof v.kind, "%s", kind);
    put(&heads, vote_id, ANY_GEN, &v);
}

void pcache_stats(struct pcache_stats *out)
{
    out->hits = atomic_load(&n_hits);
    out->misses = atomic_load(&n_misses);
    out->flushes = atomic_load(&n_flushes);
}

void pcache_reset(void)
{
    struct table *all[] = {&sessions, &meetings, &facts, &heads};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        pthread_mutex_lock(&all[i]->lock);
        flush(all[i]);
        pthread_mutex_unlock(&all[i]->lock);
    }
    atomic_store(&n_hits, 0);
    atomic_store(&n_misses, 0);
    atomic_store(&n_flushes, 0);
}
