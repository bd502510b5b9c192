/* hub.c — per-meeting topics with a ring of recent events and a list of
 * subscribers (see hub.h). Lock order: hub->lock, then a topic's lock; wake
 * callbacks run under the topic lock and must never take hub->lock. Rings
 * are trimmed from the oldest end and never below their newest event. */
#include "log/hub.h"

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ops/metrics.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/err.h"
#include "util/fantrace.h"

#define HUB_BUCKETS 1024

static __thread int wake_depth;    /* > 0 inside a wake loop on this thread */
static __thread size_t wake_subs;  /* the woken topic's subscribers (SIZE_MAX: all topics) */
static void (*after_wake)(void); /* set once before any publish */

bool hub_in_wake_loop(void)
{
    return wake_depth > 0;
}

size_t hub_wake_topic_size(void)
{
    return wake_depth > 0 ? wake_subs : 0;
}

void hub_set_after_wake(void (*fn)(void))
{
    after_wake = fn;
}

static void wake_loop_end(void)
{
    if (--wake_depth == 0 && after_wake)
        after_wake();
}

struct hub_topic {
    struct hub_topic *next_in_bucket;
    char *meeting_id;
    pthread_mutex_t lock; /* guards subs, ring and every subscriber's wake state */
    struct hub_sub *subs;
    size_t n_subs;
    struct event **ring; /* circular; ring[start] is the oldest; seqs are contiguous */
    size_t cap, start, len; /* cap grows by doubling up to the hub's ring_size */
    size_t bytes;           /* hub_event_bytes of the events in the ring */
    int64_t last_pub_ms;    /* monotonic time of the last publish (or of creation) */
};

struct hub {
    pthread_mutex_t lock; /* guards buckets and topic creation/removal */
    struct hub_topic *buckets[HUB_BUCKETS];
    size_t ring_size;
    size_t topic_bytes, total_bytes; /* byte bounds (hub_set_limits) */
    int64_t idle_ms;
    size_t n_topics;    /* written under hub->lock, read atomically */
    size_t bytes;       /* atomic: every ring's bytes */
    size_t n_subs;      /* atomic */
    uint64_t published; /* atomic */
};

#define RING_CAP0 16 /* slots a new topic's ring starts with */

size_t hub_event_bytes(const struct event *ev)
{
    /* An event, its strings and its frame are one allocation (event.c). */
    return malloc_usable_size((void *)ev);
}

static size_t bucket_of(const char *id)
{
    size_t h = 5381;
    for (; *id; id++)
        h = h * 33 + (unsigned char)*id;
    return h % HUB_BUCKETS;
}

struct hub *hub_new(size_t ring_size)
{
    struct hub *hub = calloc(1, sizeof *hub);
    if (!hub)
        return NULL;
    pthread_mutex_init(&hub->lock, NULL);
    hub->ring_size = ring_size ? ring_size : 1024;
    hub->topic_bytes = HUB_TOPIC_BYTES;
    hub->total_bytes = HUB_TOTAL_BYTES;
    hub->idle_ms = HUB_IDLE_MS;
    return hub;
}

void hub_set_limits(struct hub *hub, size_t topic_bytes, size_t total_bytes, unsigned idle_ms)
{
    pthread_mutex_lock(&hub->lock);
    if (topic_bytes)
        hub->topic_bytes = topic_bytes;
    if (total_bytes)
        hub->total_bytes = total_bytes;
    if (idle_ms)
        hub->idle_ms = idle_ms;
    pthread_mutex_unlock(&hub->lock);
}

/* With t's lock held: drops the oldest event. */
static void drop_oldest(struct hub *hub, struct hub_topic *t)
{
    struct event *ev = t->ring[t->start];
    size_t n = hub_event_bytes(ev);
    t->bytes -= n;
    __atomic_sub_fetch(&hub->bytes, n, __ATOMIC_RELAXED);
    event_unref(ev);
    t->ring[t->start] = NULL;
    t->start = (t->start + 1) % t->cap;
    t->len--;
}

/* With t's lock held: drops the oldest events until the ring holds at most
 * limit bytes, but never its newest event (a subscriber asking for an
 * older seq must get -1, "read the store", not 0, "nothing yet"). */
static void trim_to(struct hub *hub, struct hub_topic *t, size_t limit)
{
    while (t->len > 1 && t->bytes > limit)
        drop_oldest(hub, t);
}

/* The bytes a ring may hold now: its own bound, or its share of the total. */
static size_t ring_limit(struct hub *hub)
{
    size_t n = __atomic_load_n(&hub->n_topics, __ATOMIC_RELAXED);
    size_t share = hub->total_bytes / (n ? n : 1);
    return share < hub->topic_bytes ? share : hub->topic_bytes;
}

/* With t's lock held and the ring full: doubles it up to ring_size; false
 * when it is at ring_size already (or out of memory). */
static bool ring_grow(struct hub *hub, struct hub_topic *t)
{
    if (t->cap >= hub->ring_size)
        return false;
    size_t cap = t->cap * 2 < hub->ring_size ? t->cap * 2 : hub->ring_size;
    struct event **ring = calloc(cap, sizeof *ring);
    if (!ring)
        return false;
    for (size_t i = 0; i < t->len; i++)
        ring[i] = t->ring[(t->start + i) % t->cap];
    free(t->ring);
    t->ring = ring;
    t->cap = cap;
    t->start = 0;
    return true;
}

static void topic_free(struct hub *hub, struct hub_topic *t)
{
    while (t->len)
        drop_oldest(hub, t);
    free(t->ring);
    free(t->meeting_id);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

void hub_free(struct hub *hub)
{
    if (!hub)
        return;
    for (size_t b = 0; b < HUB_BUCKETS; b++) {
        struct hub_topic *t = hub->buckets[b];
        while (t) {
            struct hub_topic *next = t->next_in_bucket;
            if (t->n_subs)
                OBR_BUG("hub freed with %zu subscribers on %s", t->n_subs, t->meeting_id);
            topic_free(hub, t);
            t = next;
        }
    }
    pthread_mutex_destroy(&hub->lock);
    free(hub);
}

/* With hub->lock held. */
static struct hub_topic *find_topic(struct hub *hub, const char *meeting_id)
{
    for (struct hub_topic *t = hub->buckets[bucket_of(meeting_id)]; t; t = t->next_in_bucket)
        if (!strcmp(t->meeting_id, meeting_id))
            return t;
    return NULL;
}

int hub_subscribe(struct hub *hub, const char *meeting_id, struct hub_sub *sub)
{
    pthread_mutex_lock(&hub->lock);
    struct hub_topic *t = find_topic(hub, meeting_id);
    if (!t) {
        t = calloc(1, sizeof *t);
        if (t) {
            t->meeting_id = strdup(meeting_id);
            t->cap = hub->ring_size < RING_CAP0 ? hub->ring_size : RING_CAP0;
            t->ring = calloc(t->cap, sizeof *t->ring);
            t->last_pub_ms = clock_mono_ms();
        }
        if (!t || !t->meeting_id || !t->ring) {
            if (t) {
                free(t->meeting_id);
                free(t->ring);
                free(t);
            }
            pthread_mutex_unlock(&hub->lock);
            return OBR_ENOMEM;
        }
        pthread_mutex_init(&t->lock, NULL);
        size_t b = bucket_of(meeting_id);
        t->next_in_bucket = hub->buckets[b];
        hub->buckets[b] = t;
        __atomic_add_fetch(&hub->n_topics, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_lock(&t->lock);
    sub->topic = t;
    sub->prev = NULL;
    sub->next = t->subs;
    if (t->subs)
        t->subs->prev = sub;
    t->subs = sub;
    t->n_subs++;
    pthread_mutex_unlock(&t->lock);
    pthread_mutex_unlock(&hub->lock);
    __atomic_add_fetch(&hub->n_subs, 1, __ATOMIC_RELAXED);
    return 0;
}

void hub_unsubscribe(struct hub *hub, struct hub_sub *sub)
{
    struct hub_topic *t = sub->topic;
    if (!t)
        return;
    pthread_mutex_lock(&hub->lock);
    pthread_mutex_lock(&t->lock);
    if (sub->prev)
        sub->prev->next = sub->next;
    else
        t->subs = sub->next;
    if (sub->next)
        sub->next->prev = sub->prev;
    sub->topic = NULL;
    bool is_empty = --t->n_subs == 0;
    pthread_mutex_unlock(&t->lock);
    if (is_empty) {
        /* Nobody listens: the ring is dropped, a later subscriber reads the store. */
        struct hub_topic **pp = &hub->buckets[bucket_of(t->meeting_id)];
        while (*pp != t)
            pp = &(*pp)->next_in_bucket;
        *pp = t->next_in_bucket;
        __atomic_sub_fetch(&hub->n_topics, 1, __ATOMIC_RELAXED);
        topic_free(hub, t);
    }
    pthread_mutex_unlock(&hub->lock);
    __atomic_sub_fetch(&hub->n_subs, 1, __ATOMIC_RELAXED);
}

void hub_publish(struct hub *hub, struct event *ev)
{
    pthread_mutex_lock(&hub->lock);
    struct hub_topic *t = find_topic(hub, ev->meeting_id);
    if (!t) {
        pthread_mutex_unlock(&hub->lock);
        __atomic_add_fetch(&hub->published, 1, __ATOMIC_RELAXED);
        metrics_event_published(ev->type);
        return;
    }
    pthread_mutex_lock(&t->lock);
    pthread_mutex_unlock(&hub->lock);
    if (t->len) {
        struct event *last = t->ring[(t->start + t->len - 1) % t->cap];
        if (ev->seq <= last->seq) {
            /* Published already (by this node's commit or by the follower of
             * other nodes' commits, log_follow.c): never twice. */
            pthread_mutex_unlock(&t->lock);
            return;
        }
        if (ev->seq != last->seq + 1) {
            /* A gap (events another node wrote, not yet followed): restart the
             * ring at ev, so it stays contiguous; a subscriber wanting the
             * missing seqs gets -1 from fetch and reads them from the store. */
            diag(DIAG_DEBUG, "hub: %s seq %lld after %lld; ring restarted", ev->meeting_id,
                 (long long)ev->seq, (long long)last->seq);
            while (t->len)
                drop_oldest(hub, t);
            t->start = 0;
        }
    }
    __atomic_add_fetch(&hub->published, 1, __ATOMIC_RELAXED);
    metrics_event_published(ev->type);
    if (t->len == t->cap && !ring_grow(hub, t))
        drop_oldest(hub, t);
    t->ring[(t->start + t->len) % t->cap] = event_ref(ev);
    t->len++;
    size_t n = hub_event_bytes(ev);
    t->bytes += n;
    __atomic_add_fetch(&hub->bytes, n, __ATOMIC_RELAXED);
    t->last_pub_ms = clock_mono_ms();
    trim_to(hub, t, ring_limit(hub));
    FANTRACE("pub", ev->meeting_id, ev->seq);
    wake_depth++;
    wake_subs = t->n_subs;
    for (struct hub_sub *s = t->subs; s; s = s->next)
        s->wake(s, HUB_WAKE_EVENT);
    pthread_mutex_unlock(&t->lock);
    wake_loop_end();
}

bool hub_topic_last(struct hub *hub, const char *meeting_id, int64_t *last_seq)
{
    *last_seq = 0;
    pthread_mutex_lock(&hub->lock);
    struct hub_topic *t = find_topic(hub, meeting_id);
    if (t) {
        pthread_mutex_lock(&t->lock);
        if (t->len)
            *last_seq = t->ring[(t->start + t->len - 1) % t->cap]->seq;
        pthread_mutex_unlock(&t->lock);
    }
    pthread_mutex_unlock(&hub->lock);
    return t != NULL;
}

char **hub_topic_ids(struct hub *hub, size_t *n)
{
    *n = 0;
    pthread_mutex_lock(&hub->lock);
    size_t count = 0;
    for (size_t b = 0; b < HUB_BUCKETS; b++)
        for (struct hub_topic *t = hub->buckets[b]; t; t = t->next_in_bucket)
            count++;
    char **ids = calloc(count + 1, sizeof *ids);
    for (size_t b = 0; ids && b < HUB_BUCKETS; b++)
        for (struct hub_topic *t = hub->buckets[b]; t; t = t->next_in_bucket) {
            ids[*n] = strdup(t->meeting_id);
            if (ids[*n])
                (*n)++;
        }
    pthread_mutex_unlock(&hub->lock);
    return ids;
}

void hub_lock(struct hub_sub *sub)
{
    pthread_mutex_lock(&sub->topic->lock);
}

void hub_unlock(struct hub_sub *sub)
{
    pthread_mutex_unlock(&sub->topic->lock);
}

int hub_fetch_locked(struct hub_sub *sub, int64_t from_seq, struct event **out, int max)
{
    struct hub_topic *t = sub->topic;
    if (!t->len)
        return 0;
    int64_t first = t->ring[t->start]->seq;
    if (from_seq < first)
        return -1;
    int64_t idx = from_seq - first;
    if ((uint64_t)idx >= t->len)
        return 0;
    int n = 0;
    for (size_t i = (size_t)idx; i < t->len && n < max; i++)
        out[n++] = event_ref(t->ring[(t->start + i) % t->cap]);
    return n;
}

void hub_wake_all(struct hub *hub, enum hub_wake why)
{
    wake_depth++;
    wake_subs = SIZE_MAX;
    pthread_mutex_lock(&hub->lock);
    bool is_trim = why == HUB_WAKE_HEARTBEAT || why == HUB_WAKE_PROBE;
    size_t limit = ring_limit(hub);
    int64_t now = is_trim ? clock_mono_ms() : 0;
    for (size_t b = 0; b < HUB_BUCKETS; b++)
        for (struct hub_topic *t = hub->buckets[b]; t; t = t->next_in_bucket) {
            pthread_mutex_lock(&t->lock);
            /* Rings that grew before more topics came, and meetings gone
             * quiet: their subscribers have long caught up. */
            if (is_trim)
                trim_to(hub, t, now - t->last_pub_ms >= hub->idle_ms ? 0 : limit);
            for (struct hub_sub *s = t->subs; s; s = s->next)
                s->wake(s, why);
            pthread_mutex_unlock(&t->lock);
        }
    pthread_mutex_unlock(&hub->lock);
    wake_loop_end();
}

size_t hub_subscriber_count(struct hub *hub)
{
    return __atomic_load_n(&hub->n_subs, __ATOMIC_RELAXED);
}

uint64_t hub_published_count(struct hub *hub)
{
    return __atomic_load_n(&hub->published, __ATOMIC_RELAXED);
}

size_t hub_ring_bytes(struct hub *hub)
{
    return __atomic_load_n(&hub->bytes, __ATOMIC_RELAXED);
}
