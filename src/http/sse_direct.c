/* sse_direct.c — a publish sending the new events straight to the idle
 * event streams of a small meeting from the publishing thread, inside the
 * hub's wake loop, instead of waking an epoll writer (sse_writer.c) for
 * them. Shares the writers' send code (sse_send_pending) and their claim
 * on a stream's send state (is_sending). */
#include <stdbool.h>
#include <stdlib.h>

#include "http/sse_impl.h"
#include "log/hub.h"

/* Traced at 18 000/900 (bench/README.md, issue 16), the fan-out's tail was
 * a writer thread kicked by a publish and then waiting for a core. A
 * publish to a meeting of at most direct_max streams therefore sends to
 * each idle one itself, inside the wake loop (topic lock held): one
 * non-blocking sendmsg of the new events, no thread hand-off. Idle: caught
 * up, nothing half sent, not blocked, no heartbeat due, not queued for its
 * writer and not in a writer's pump (is_sending: the claim on the send
 * state, an atomic flag; a publishing thread holds it only inside the topic
 * lock). Whatever is left (a full socket, an error, the ring passed) goes
 * to the writer as before. */
#define DIRECT_MAX_DEFAULT 64

static unsigned direct_max = DIRECT_MAX_DEFAULT; /* set before the writers start */
static unsigned long direct_sends;               /* atomic */

unsigned long sse_writer_direct_count(void)
{
    return __atomic_load_n(&direct_sends, __ATOMIC_RELAXED);
}

void sse_direct_configure(void)
{
    const char *env = getenv("OBRADY_SSE_DIRECT"); /* measuring: 0 turns direct sends off */
    direct_max = env ? (unsigned)strtoul(env, NULL, 10) : DIRECT_MAX_DEFAULT;
}

bool sse_send_direct(struct sse_stream *st)
{
    if (!hub_in_wake_loop() || hub_wake_topic_size() > direct_max)
        return false; /* not a publish (adopt, shutdown) or a big meeting: the writers share it */
    if (st->is_closing || st->is_writer_done || st->is_heartbeat_due)
        return false;
    bool no = false;
    if (!__atomic_compare_exchange_n(&st->is_sending, &no, true, false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return false; /* in a writer's pump */
    bool is_done = false;
    if (!st->blocked_since_ms && st->is_caught_up && !st->batch_n && !st->is_heartbeat_pending &&
        !st->is_in_chunk) {
        for (;;) {
            int n = hub_fetch_locked(&st->sub, st->next_seq, st->batch, SSE_BATCH);
            if (n <= 0) {
                is_done = n == 0; /* < 0: older than the ring, the writer reads the store */
                break;
            }
            st->batch_n = n;
            st->batch_i = 0;
            if (sse_send_pending(st) != 1)
                break; /* the rest waits for EPOLLOUT in the writer */
            __atomic_add_fetch(&direct_sends, 1, __ATOMIC_RELAXED);
        }
    }
    __atomic_store_n(&st->is_sending, false, __ATOMIC_RELEASE);
    return is_done;
}
