/* hub.h — in-memory fan-out of appended events to live subscribers.
 * One topic per meeting holds a ring of the most recent events (shared
 * references) and the list of subscribers. Subscribers pull: they ask for
 * events from the seq they need next; anything older than the ring is read
 * from the store by the caller. Rings are bounded by count, by bytes per
 * topic and by bytes in all (hub_set_limits); a trimmed ring always keeps
 * its newest event, so "older than the ring" stays answerable. A publish wakes every subscriber through its
 * wake callback, called with the topic lock held, so a subscriber that checks
 * for data and suspends under the same lock can never miss a wake-up.
 *
 * Threads: every function may be called from any thread. */
#ifndef OBR_HUB_H
#define OBR_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/event.h"

struct hub;
struct hub_topic;

enum hub_wake {
    HUB_WAKE_EVENT,     /* a new event was published on the topic */
    HUB_WAKE_HEARTBEAT, /* time to prove the connection is alive */
    HUB_WAKE_SHUTDOWN,  /* the server is stopping: finish what is queued, then end */
    HUB_WAKE_PROBE,     /* check (cheaply) whether the client is still connected */
};

struct hub_sub {
    struct hub_sub *prev, *next; /* owned by the topic's list */
    struct hub_topic *topic;
    /* Called under the topic lock on publish and on hub_wake_all. Must not block. */
    void (*wake)(struct hub_sub *sub, enum hub_wake why);
    void *ctx;
};

/* ring_size: events kept per topic (0: 1024). Byte limits: HUB_TOPIC_BYTES,
 * HUB_TOTAL_BYTES and HUB_IDLE_MS until hub_set_limits. */
struct hub *hub_new(size_t ring_size);
#define HUB_TOPIC_BYTES (256u * 1024)          /* config hub_topic_kib */
#define HUB_TOTAL_BYTES (64u * 1024 * 1024)    /* config hub_memory_mib */
#define HUB_IDLE_MS 60000                      /* a topic this long without a publish */
/* Sets the byte bounds (0 keeps the current one); before any subscriber.
 * A ring holds at most topic_bytes of events, and at most its fair share
 * (total_bytes / topics) once a publish or a periodic hub_wake_all sees it;
 * a topic with no publish for idle_ms keeps only its newest event. */
void hub_set_limits(struct hub *hub, size_t topic_bytes, size_t total_bytes, unsigned idle_ms);
/* Frees topics and events. All subscribers must have unsubscribed. Accepts NULL. */
void hub_free(struct hub *hub);

/* Registers sub on meeting_id's topic (created on demand). Subscribe first,
 * then read the store, then fetch: nothing published in between is lost. */
int hub_subscribe(struct hub *hub, const char *meeting_id, struct hub_sub *sub);
/* Removes sub; drops the topic when it was the last subscriber. */
void hub_unsubscribe(struct hub *hub, struct hub_sub *sub);

/* Publishes ev (the hub takes its own reference) to its meeting's topic.
 * Several publishers may feed one topic (this node's commits and the
 * follower of other nodes' commits, log_follow.c), so: an event at or below
 * the last published seq is ignored (never delivered twice); one more than
 * it is appended; one further on restarts the ring at ev (the ring stays
 * contiguous and a subscriber needing the seqs between reads the store). */
void hub_publish(struct hub *hub, struct event *ev);
/* False when meeting_id has no topic (nobody subscribed); else true, with
 * *last_seq the last seq published on it (0: none yet). */
bool hub_topic_last(struct hub *hub, const char *meeting_id, int64_t *last_seq);
/* The ids of every topic (malloc'd array of malloc'd strings, *n of them;
 * free each and the array); NULL when out of memory. */
char **hub_topic_ids(struct hub *hub, size_t *n);

/* The topic lock, for the check-then-suspend step of a subscriber. */
void hub_lock(struct hub_sub *sub);
void hub_unlock(struct hub_sub *sub);

/* With the topic lock held: copies up to max references (caller unrefs) of
 * events with seq >= from_seq into out, in seq order. Returns the count; 0
 * when nothing at or after from_seq was published since the topic was made;
 * -1 when the ring is not empty and from_seq is older than its first event
 * (read the store instead). A subscriber therefore reads the store once after
 * subscribing, and again only on -1. */
int hub_fetch_locked(struct hub_sub *sub, int64_t from_seq, struct event **out, int max);

/* Calls every subscriber's wake(sub, why), each under its topic's lock
 * (heartbeats and shutdown). On HUB_WAKE_HEARTBEAT and HUB_WAKE_PROBE (every
 * 2 s, sse.c) it also trims every ring to its fair share, and idle ones to
 * their newest event. */
void hub_wake_all(struct hub *hub, enum hub_wake why);
/* While a publish or hub_wake_all runs the wake callbacks on this thread:
 * a callback that would wake another thread (an SSE writer) can note it and
 * leave it to the hook, which runs once the topic lock is released — a
 * thread woken at once would only block on that lock (and, on a loaded
 * machine, wait for a core twice). */
bool hub_in_wake_loop(void);
/* Inside a publish's wake loop: the number of subscribers of the topic
 * being woken (a callback may do more per subscriber on a small topic);
 * SIZE_MAX inside hub_wake_all, 0 outside any wake loop. */
size_t hub_wake_topic_size(void);
/* The hook called after every wake loop on the waking thread (NULL: none);
 * set once before any publish. */
void hub_set_after_wake(void (*fn)(void));
/* Number of live subscribers, for /metrics. */
size_t hub_subscriber_count(struct hub *hub);
/* Events published since start, for /metrics. */
uint64_t hub_published_count(struct hub *hub);
/* Bytes the rings hold now (hub_event_bytes of every kept event), for /metrics. */
size_t hub_ring_bytes(struct hub *hub);
/* The memory one event takes (its allocations, as malloc sized them). */
size_t hub_event_bytes(const struct event *ev);

#endif
