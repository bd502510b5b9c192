/* test_hub.c — the in-memory fan-out: topics made and dropped with their
 * subscribers, wake-ups on publish and on hub_wake_all, the ring of recent
 * events and hub_fetch_locked's three answers (events, 0 "nothing yet", -1
 * "older than the ring: read the store"), and the ring's byte bounds (per
 * topic, shared by all topics, idle topics), which may trim a ring but
 * never below its newest event. Subscribers here are fakes whose wake
 * callback records what it was told. */
#include "testutil.h"

#include "log/event.h"
#include "log/hub.h"

#define MTG_A "aaaaaaaaaaaaaaaaaaaa"
#define MTG_B "bbbbbbbbbbbbbbbbbbbb"
#define MTG_C "cccccccccccccccccccc"

struct fake_sub {
    struct hub_sub sub;
    int n_wakes;
    enum hub_wake wakes[32];
};

static void record_wake(struct hub_sub *sub, enum hub_wake why)
{
    struct fake_sub *f = sub->ctx;
    if (f->n_wakes < 32)
        f->wakes[f->n_wakes] = why;
    f->n_wakes++;
}

static void fake_init(struct fake_sub *f)
{
    memset(f, 0, sizeof *f);
    f->sub.wake = record_wake;
    f->sub.ctx = f;
}

static struct event *make_event(const char *meeting, int64_t seq)
{
    char payload[32];
    snprintf(payload, sizeof payload, "{\"n\":%lld}", (long long)seq);
    struct event *ev = event_new(meeting, seq, 1700000000000 + seq, "system", "test.thing",
                                 payload, EVENT_PUBLIC, NULL, "");
    assert_non_null(ev);
    return ev;
}

/* Publishes seqs first..last on meeting, dropping the test's own references. */
static void publish_range(struct hub *hub, const char *meeting, int64_t first, int64_t last)
{
    for (int64_t s = first; s <= last; s++) {
        struct event *ev = make_event(meeting, s);
        hub_publish(hub, ev);
        event_unref(ev);
    }
}

/* hub_fetch_locked under the lock; checks the returned seqs are from_seq, from_seq+1, ... */
static int fetch(struct fake_sub *f, int64_t from_seq, int max)
{
    struct event *out[64];
    assert_true(max <= 64);
    hub_lock(&f->sub);
    int n = hub_fetch_locked(&f->sub, from_seq, out, max);
    hub_unlock(&f->sub);
    for (int i = 0; i < n; i++) {
        assert_int_equal(out[i]->seq, from_seq + i);
        event_unref(out[i]);
    }
    return n;
}

static void test_publish_without_subscribers_is_dropped(void **state)
{
    struct hub *hub = hub_new(4);
    assert_non_null(hub);
    publish_range(hub, MTG_A, 1, 3);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    /* The topic did not exist when 1..3 were published: nothing was kept. */
    assert_int_equal(fetch(&f, 1, 8), 0);
    assert_int_equal(f.n_wakes, 0);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_publish_wakes_subscriber_with_event(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    assert_ptr_equal(f.sub.ctx, &f);
    publish_range(hub, MTG_A, 1, 1);
    assert_int_equal(f.n_wakes, 1);
    assert_int_equal(f.wakes[0], HUB_WAKE_EVENT);
    publish_range(hub, MTG_A, 2, 3);
    assert_int_equal(f.n_wakes, 3);
    assert_int_equal(f.wakes[2], HUB_WAKE_EVENT);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_publish_wakes_only_its_topic(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub a, b1, b2;
    fake_init(&a);
    fake_init(&b1);
    fake_init(&b2);
    assert_int_equal(hub_subscribe(hub, MTG_A, &a.sub), 0);
    assert_int_equal(hub_subscribe(hub, MTG_B, &b1.sub), 0);
    assert_int_equal(hub_subscribe(hub, MTG_B, &b2.sub), 0);
    publish_range(hub, MTG_B, 1, 2);
    assert_int_equal(a.n_wakes, 0);
    assert_int_equal(b1.n_wakes, 2);
    assert_int_equal(b2.n_wakes, 2);
    hub_unsubscribe(hub, &a.sub);
    hub_unsubscribe(hub, &b1.sub);
    hub_unsubscribe(hub, &b2.sub);
    hub_free(hub);
}

static void test_fetch_on_empty_ring_is_zero(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    assert_int_equal(fetch(&f, 0, 8), 0);
    assert_int_equal(fetch(&f, 1, 8), 0);
    assert_int_equal(fetch(&f, 100, 8), 0);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_fetch_returns_events_from_seq(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 1, 3);
    assert_int_equal(fetch(&f, 1, 8), 3);
    assert_int_equal(fetch(&f, 2, 8), 2);
    assert_int_equal(fetch(&f, 3, 8), 1);
    assert_int_equal(fetch(&f, 1, 2), 2); /* max is respected */
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_fetch_beyond_last_is_zero(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 1, 3);
    assert_int_equal(fetch(&f, 4, 8), 0);
    assert_int_equal(fetch(&f, 1000, 8), 0);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_fetch_older_than_wrapped_ring_is_minus_one(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 1, 6); /* ring holds 3..6 */
    assert_int_equal(fetch(&f, 1, 8), -1);
    assert_int_equal(fetch(&f, 2, 8), -1);
    assert_int_equal(fetch(&f, 0, 8), -1);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_ring_wrap_keeps_the_newest(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 1, 11); /* wraps the ring more than twice */
    struct event *out[8];
    hub_lock(&f.sub);
    int n = hub_fetch_locked(&f.sub, 8, out, 8);
    hub_unlock(&f.sub);
    assert_int_equal(n, 4);
    for (int i = 0; i < n; i++) {
        assert_int_equal(out[i]->seq, 8 + i);
        assert_string_equal(out[i]->meeting_id, MTG_A);
        event_unref(out[i]);
    }
    assert_int_equal(fetch(&f, 7, 8), -1);
    assert_int_equal(fetch(&f, 10, 8), 2);
    assert_int_equal(fetch(&f, 12, 8), 0);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_fetched_events_are_shared_not_copied(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f1, f2;
    fake_init(&f1);
    fake_init(&f2);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f1.sub), 0);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f2.sub), 0);
    struct event *ev = make_event(MTG_A, 1);
    hub_publish(hub, ev);
    struct event *a, *b;
    hub_lock(&f1.sub);
    assert_int_equal(hub_fetch_locked(&f1.sub, 1, &a, 1), 1);
    hub_unlock(&f1.sub);
    hub_lock(&f2.sub);
    assert_int_equal(hub_fetch_locked(&f2.sub, 1, &b, 1), 1);
    hub_unlock(&f2.sub);
    assert_ptr_equal(a, ev);
    assert_ptr_equal(b, ev);
    /* ours + the ring's + two fetched references */
    assert_int_equal(__atomic_load_n(&ev->refs, __ATOMIC_RELAXED), 4);
    event_unref(a);
    event_unref(b);
    event_unref(ev);
    hub_unsubscribe(hub, &f1.sub);
    hub_unsubscribe(hub, &f2.sub);
    hub_free(hub);
}

static void test_out_of_order_publish_restarts_ring(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 1, 2);
    publish_range(hub, MTG_A, 5, 5); /* a gap: OBR_BUG, then the ring restarts at 5 */
    assert_int_equal(fetch(&f, 3, 8), -1);
    assert_int_equal(fetch(&f, 5, 8), 1);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_unsubscribe_last_drops_topic(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 1, 3);
    hub_unsubscribe(hub, &f.sub);
    assert_null(f.sub.topic);
    /* The ring went with the topic (the asan run proves its events were freed). */
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    assert_int_equal(fetch(&f, 1, 8), 0);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_unsubscribe_keeps_topic_for_others(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f1, f2, f3;
    fake_init(&f1);
    fake_init(&f2);
    fake_init(&f3);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f1.sub), 0);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f2.sub), 0);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f3.sub), 0);
    publish_range(hub, MTG_A, 1, 2);
    hub_unsubscribe(hub, &f2.sub); /* from the middle of the list */
    publish_range(hub, MTG_A, 3, 3);
    assert_int_equal(f1.n_wakes, 3);
    assert_int_equal(f2.n_wakes, 2);
    assert_int_equal(f3.n_wakes, 3);
    assert_int_equal(fetch(&f1, 1, 8), 3);
    hub_unsubscribe(hub, &f3.sub); /* the head */
    hub_unsubscribe(hub, &f1.sub);
    assert_int_equal(hub_subscriber_count(hub), 0);
    hub_free(hub);
}

static void test_unsubscribe_twice_is_harmless(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    hub_unsubscribe(hub, &f.sub);
    hub_unsubscribe(hub, &f.sub);
    assert_int_equal(hub_subscriber_count(hub), 0);
    hub_free(hub);
}

static void test_wake_all_reaches_every_topic(void **state)
{
    struct hub *hub = hub_new(4);
    struct fake_sub subs[4];
    const char *topics[4] = {MTG_A, MTG_B, MTG_C, MTG_C};
    for (int i = 0; i < 4; i++) {
        fake_init(&subs[i]);
        assert_int_equal(hub_subscribe(hub, topics[i], &subs[i].sub), 0);
    }
    hub_wake_all(hub, HUB_WAKE_HEARTBEAT);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(subs[i].n_wakes, 1);
        assert_int_equal(subs[i].wakes[0], HUB_WAKE_HEARTBEAT);
    }
    hub_wake_all(hub, HUB_WAKE_SHUTDOWN);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(subs[i].n_wakes, 2);
        assert_int_equal(subs[i].wakes[1], HUB_WAKE_SHUTDOWN);
    }
    for (int i = 0; i < 4; i++)
        hub_unsubscribe(hub, &subs[i].sub);
    hub_wake_all(hub, HUB_WAKE_HEARTBEAT); /* nobody left: nothing to call */
    for (int i = 0; i < 4; i++)
        assert_int_equal(subs[i].n_wakes, 2);
    hub_free(hub);
}

static void test_counts(void **state)
{
    struct hub *hub = hub_new(4);
    assert_int_equal(hub_subscriber_count(hub), 0);
    assert_int_equal(hub_published_count(hub), 0);
    struct fake_sub a, b, c;
    fake_init(&a);
    fake_init(&b);
    fake_init(&c);
    assert_int_equal(hub_subscribe(hub, MTG_A, &a.sub), 0);
    assert_int_equal(hub_subscribe(hub, MTG_A, &b.sub), 0);
    assert_int_equal(hub_subscribe(hub, MTG_B, &c.sub), 0);
    assert_int_equal(hub_subscriber_count(hub), 3);
    publish_range(hub, MTG_A, 1, 5);
    publish_range(hub, MTG_C, 1, 2); /* no subscribers: dropped, but still published */
    assert_int_equal(hub_published_count(hub), 7);
    hub_unsubscribe(hub, &b.sub);
    assert_int_equal(hub_subscriber_count(hub), 2);
    hub_unsubscribe(hub, &a.sub);
    hub_unsubscribe(hub, &c.sub);
    assert_int_equal(hub_subscriber_count(hub), 0);
    assert_int_equal(hub_published_count(hub), 7);
    hub_free(hub);
}

static void test_default_ring_wraps_at_1024(void **state)
{
    /* The default ring size, wrapped; hub_free(NULL) is allowed. */
    hub_free(NULL);
    struct hub *hub = hub_new(0);
    assert_non_null(hub);
    hub_set_limits(hub, (size_t)1 << 30, (size_t)1 << 30, 0); /* the count alone bounds it */
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 1, 2000); /* default ring of 1024 wraps */
    assert_int_equal(fetch(&f, 977, 64), 64); /* ring holds 977..2000 */
    assert_int_equal(fetch(&f, 1990, 64), 11);
    assert_int_equal(fetch(&f, 976, 2), -1);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

/* The bytes one test event of seq takes (as the hub counts it). */
static size_t event_size(const char *meeting, int64_t seq)
{
    struct event *ev = make_event(meeting, seq);
    size_t n = hub_event_bytes(ev);
    event_unref(ev);
    assert_true(n > sizeof *ev);
    return n;
}

/* The first seq the ring of f's topic holds (it must hold last_seq). */
static int64_t ring_first(struct fake_sub *f, int64_t last_seq)
{
    int64_t s = last_seq;
    while (s > 1 && fetch(f, s - 1, 1) == 1)
        s--;
    assert_int_equal(fetch(f, last_seq, 1), 1);
    return s;
}

static void test_ring_bounded_by_topic_bytes(void **state)
{
    size_t one = event_size(MTG_A, 10);
    struct hub *hub = hub_new(64);
    hub_set_limits(hub, 3 * one + one / 2, (size_t)1 << 30, 0);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 10, 40);
    /* Three events fit; the older ones are gone and fetch says so. */
    assert_int_equal(ring_first(&f, 40), 38);
    assert_int_equal(fetch(&f, 38, 8), 3);
    assert_int_equal(fetch(&f, 37, 8), -1);
    assert_int_equal(fetch(&f, 10, 8), -1);
    assert_int_equal(hub_ring_bytes(hub), 3 * one);
    hub_unsubscribe(hub, &f.sub);
    assert_int_equal(hub_ring_bytes(hub), 0); /* nobody listens: nothing kept */
    hub_free(hub);
}

static void test_byte_bound_keeps_the_newest_event(void **state)
{
    /* A bound smaller than one event still keeps the newest: a subscriber
     * behind it must hear -1 (read the store), never 0 (wait), or the
     * events between would never reach it. */
    struct hub *hub = hub_new(64);
    hub_set_limits(hub, 1, 1, 0);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    for (int64_t s = 1; s <= 20; s++) {
        publish_range(hub, MTG_A, s, s);
        assert_int_equal(fetch(&f, s, 8), 1);
        assert_int_equal(fetch(&f, s + 1, 8), 0);
        if (s > 1)
            assert_int_equal(fetch(&f, s - 1, 8), -1);
    }
    assert_int_equal(hub_ring_bytes(hub), event_size(MTG_A, 20));
    hub_wake_all(hub, HUB_WAKE_PROBE); /* the periodic trim keeps it too */
    assert_int_equal(fetch(&f, 20, 8), 1);
    assert_int_equal(fetch(&f, 19, 8), -1);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

static void test_total_bytes_shared_between_topics(void **state)
{
    size_t one = event_size(MTG_A, 10);
    struct hub *hub = hub_new(64);
    hub_set_limits(hub, (size_t)1 << 30, 10 * one, 0);
    struct fake_sub a, b;
    fake_init(&a);
    fake_init(&b);
    assert_int_equal(hub_subscribe(hub, MTG_A, &a.sub), 0);
    publish_range(hub, MTG_A, 10, 40); /* alone: the whole budget */
    assert_int_equal(ring_first(&a, 40), 31);
    assert_int_equal(hub_subscribe(hub, MTG_B, &b.sub), 0);
    publish_range(hub, MTG_B, 10, 40); /* two topics: half each */
    assert_int_equal(ring_first(&b, 40), 36);
    assert_int_equal(ring_first(&a, 40), 31); /* not trimmed until ... */
    hub_wake_all(hub, HUB_WAKE_HEARTBEAT);    /* ... the periodic trim */
    assert_int_equal(ring_first(&a, 40), 36);
    assert_int_equal(hub_ring_bytes(hub), 10 * one);
    publish_range(hub, MTG_A, 41, 41);
    assert_int_equal(ring_first(&a, 41), 37);
    hub_unsubscribe(hub, &b.sub);
    hub_unsubscribe(hub, &a.sub);
    assert_int_equal(hub_ring_bytes(hub), 0);
    hub_free(hub);
}

static void test_idle_topic_keeps_only_its_newest(void **state)
{
    struct hub *hub = hub_new(64);
    hub_set_limits(hub, 0, 0, 1000); /* idle after 1 s */
    struct fake_sub a, b;
    fake_init(&a);
    fake_init(&b);
    assert_int_equal(hub_subscribe(hub, MTG_A, &a.sub), 0);
    assert_int_equal(hub_subscribe(hub, MTG_B, &b.sub), 0);
    publish_range(hub, MTG_A, 1, 10);
    hub_wake_all(hub, HUB_WAKE_PROBE); /* not idle yet */
    assert_int_equal(ring_first(&a, 10), 1);
    usleep(1200 * 1000);
    publish_range(hub, MTG_B, 1, 5); /* B is busy, A went quiet */
    hub_wake_all(hub, HUB_WAKE_PROBE);
    assert_int_equal(ring_first(&a, 10), 10);
    assert_int_equal(fetch(&a, 9, 8), -1);
    assert_int_equal(ring_first(&b, 5), 1);
    assert_int_equal(hub_ring_bytes(hub), event_size(MTG_A, 10) + 5 * event_size(MTG_B, 1));
    hub_unsubscribe(hub, &a.sub);
    hub_unsubscribe(hub, &b.sub);
    hub_free(hub);
}

static void test_ring_grows_in_order_after_a_trim(void **state)
{
    /* A ring starts small and doubles up to its size; growing while its
     * oldest event is not at the array's start keeps the order. */
    struct hub *hub = hub_new(40);
    hub_set_limits(hub, (size_t)1 << 30, (size_t)1 << 30, 50);
    struct fake_sub f;
    fake_init(&f);
    assert_int_equal(hub_subscribe(hub, MTG_A, &f.sub), 0);
    publish_range(hub, MTG_A, 1, 10);
    usleep(120 * 1000);
    hub_wake_all(hub, HUB_WAKE_PROBE); /* idle: keeps 10 alone, mid-array */
    assert_int_equal(ring_first(&f, 10), 10);
    publish_range(hub, MTG_A, 11, 60); /* grows 16 -> 32 -> 40, then wraps */
    assert_int_equal(ring_first(&f, 60), 21);
    assert_int_equal(fetch(&f, 21, 64), 40); /* fetch checks the order */
    assert_int_equal(fetch(&f, 20, 64), -1);
    hub_unsubscribe(hub, &f.sub);
    hub_free(hub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_without_subscribers_is_dropped),
        cmocka_unit_test(test_publish_wakes_subscriber_with_event),
        cmocka_unit_test(test_publish_wakes_only_its_topic),
        cmocka_unit_test(test_fetch_on_empty_ring_is_zero),
        cmocka_unit_test(test_fetch_returns_events_from_seq),
        cmocka_unit_test(test_fetch_beyond_last_is_zero),
        cmocka_unit_test(test_fetch_older_than_wrapped_ring_is_minus_one),
        cmocka_unit_test(test_ring_wrap_keeps_the_newest),
        cmocka_unit_test(test_fetched_events_are_shared_not_copied),
        cmocka_unit_test(test_out_of_order_publish_restarts_ring),
        cmocka_unit_test(test_unsubscribe_last_drops_topic),
        cmocka_unit_test(test_unsubscribe_keeps_topic_for_others),
        cmocka_unit_test(test_unsubscribe_twice_is_harmless),
        cmocka_unit_test(test_wake_all_reaches_every_topic),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_default_ring_wraps_at_1024),
        cmocka_unit_test(test_ring_bounded_by_topic_bytes),
        cmocka_unit_test(test_byte_bound_keeps_the_newest_event),
        cmocka_unit_test(test_total_bytes_shared_between_topics),
        cmocka_unit_test(test_idle_topic_keeps_only_its_newest),
        cmocka_unit_test(test_ring_grows_in_order_after_a_trim),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
