/* test_meeting_cache.c — the cache of folded meeting states (api/meeting_cache.h
 * behind meeting_state_load): after random event sequences, people changes
 * (on this or another connection), rolled-back transactions, loads inside a
 * read transaction and concurrent readers a loaded state equals a fresh fold
 * of the whole log; hits fold only newer events; the cache stays bounded. */
#include "testutil.h"

#include <pthread.h>

#include <jansson.h>

#include "api/meeting_cache.h"
#include "api/meeting_ctx.h"
#include "log/eventlog.h"
#include "store/db.h"
#include "store/meetings.h"
#include "util/ids.h"

#define N_PEOPLE 6

struct fx {
    char *dir;
    struct db *db;
    struct org org;
    struct body body;
    struct meeting m;
    struct user people[N_PEOPLE + 4];
    int n_members;
    unsigned rnd;
    char check_id[ID_SIZE];
    char items[16][ID_SIZE];
    int n_items;
    char msgs[64][ID_SIZE];
    int n_msgs;
    char reqs[64][ID_SIZE];
    int n_reqs;
};

static void add_member(struct fx *fx)
{
    char email[64], name[32];
    int i = fx->n_members;
    snprintf(email, sizeof email, "m%d@example.pl", i);
    snprintf(name, sizeof name, "Radna %d", i);
    assert_int_equal(users_create(fx->db, email, name, "pl", false, &fx->people[i]), 0);
    struct member mb = {.role = "member", .groups = "[]"};
    snprintf(mb.body_id, sizeof mb.body_id, "%s", fx->body.id);
    snprintf(mb.user_id, sizeof mb.user_id, "%s", fx->people[i].id);
    assert_int_equal(members_add(fx->db, &mb), 0);
    fx->n_members++;
}

static void make_meeting(struct fx *fx, struct meeting *m)
{
    memset(m, 0, sizeof *m);
    snprintf(m->body_id, sizeof m->body_id, "%s", fx->body.id);
    snprintf(m->title, sizeof m->title, "Sesja");
    snprintf(m->mode, sizeof m->mode, "remote");
    m->starts_at_ms = 1700000000000;
    assert_int_equal(meetings_create(fx->db, m), 0);
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->dir = testutil_tmpdir();
    fx->db = testutil_open_db(fx->dir, true);
    snprintf(fx->org.name, sizeof fx->org.name, "Gmina");
    snprintf(fx->org.time_zone, sizeof fx->org.time_zone, "Europe/Warsaw");
    snprintf(fx->org.default_lang, sizeof fx->org.default_lang, "pl");
    fx->org.retention_days = 92;
    assert_int_equal(orgs_create(fx->db, &fx->org), 0);
    snprintf(fx->body.org_id, sizeof fx->body.org_id, "%s", fx->org.id);
    snprintf(fx->body.name, sizeof fx->body.name, "Rada");
    snprintf(fx->body.kind, sizeof fx->body.kind, "council");
    snprintf(fx->body.quorum_rule, sizeof fx->body.quorum_rule, "half_statutory");
    fx->body.statutory_size = N_PEOPLE;
    fx->body.vote_duration_s = 60;
    assert_int_equal(bodies_create(fx->db, &fx->body), 0);
    for (int i = 0; i < N_PEOPLE; i++)
        add_member(fx);
    make_meeting(fx, &fx->m);
    fx->rnd = 12345;
    meeting_cache_reset(MEETING_CACHE_DEFAULT_CAPACITY);
    meeting_cache_set_memory((size_t)MEETING_CACHE_DEFAULT_MIB << 20);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    meeting_cache_reset(0);
    db_close(fx->db);
    testutil_rmdir(fx->dir);
    free(fx);
    return 0;
}

static unsigned rnd(struct fx *fx, unsigned n)
{
    fx->rnd = fx->rnd * 1103515245u + 12345u;
    return (fx->rnd >> 8) % n;
}

/* The reference: the whole log folded into a new state, as meeting_state_load
 * did before the cache. */
static struct meeting_state *fresh_fold(struct db *db, const struct meeting *m,
                                        const struct body *b, int64_t up_to_seq)
{
    struct meeting_state *st = meeting_state_new(m->id, b->statutory_size, b->quorum_rule);
    assert_non_null(st);
    json_t *people = participants_list_json(db, m->id);
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p)
    {
        bool is_guest = json_is_true(json_object_get(p, "is_guest"));
        const char *role = json_string_value(json_object_get(p, "role"));
        assert_int_equal(meeting_state_add_person(
                             st, json_string_value(json_object_get(p, "user_id")),
                             json_string_value(json_object_get(p, "name")),
                             is_guest ? "guest" : role ? role : "member", !is_guest, is_guest,
                             json_is_true(json_object_get(p, "is_scrutiny"))),
                         0);
    }
    json_decref(people);
    struct event *batch[64];
    int n = 64;
    while (n == 64 && st->seq < up_to_seq) {
        assert_int_equal(log_read(db, m->id, st->seq + 1, batch, 64, &n), 0);
        for (int k = 0; k < n; k++) {
            if (batch[k]->seq <= up_to_seq)
                assert_int_equal(meeting_state_apply(st, batch[k]), 0);
            event_unref(batch[k]);
        }
    }
    return st;
}

static char *state_text(const struct meeting_state *st)
{
    json_t *j = meeting_state_to_json(st, EVENT_STAFF, NULL);
    assert_non_null(j);
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    assert_non_null(s);
    return s;
}

static void assert_same_state(const struct meeting_state *a, const struct meeting_state *b)
{
    assert_int_equal(a->seq, b->seq);
    assert_string_equal(a->hash, b->hash);
    assert_int_equal(a->n_people, b->n_people);
    assert_int_equal(a->n_chat, b->n_chat);
    for (int i = 0; i < a->n_chat; i++) {
        assert_string_equal(a->chat[i].message_id, b->chat[i].message_id);
        assert_string_equal(a->chat[i].text, b->chat[i].text);
        assert_int_equal(a->chat[i].is_hidden, b->chat[i].is_hidden);
    }
    char *ta = state_text(a), *tb = state_text(b);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
}

static void load_and_compare(struct fx *fx)
{
    struct meeting_state *cached = NULL;
    assert_int_equal(meeting_state_load(fx->db, &fx->m, &fx->body, &cached), 0);
    struct meeting_state *fresh = fresh_fold(fx->db, &fx->m, &fx->body, INT64_MAX);
    assert_same_state(cached, fresh);
    meeting_state_free(cached);
    meeting_state_free(fresh);
}

static const char *member(struct fx *fx)
{
    return fx->people[rnd(fx, (unsigned)fx->n_members)].id;
}

/* Appends one random live event through tx (or its own transaction). */
static void append_random(struct fx *fx, struct log_tx *tx)
{
    char id[ID_SIZE];
    id_new(id);
    const char *type;
    json_t *p;
    int64_t at = 1700000000000 + rnd(fx, 1000000);
    switch (rnd(fx, 10)) {
    case 0:
        type = "attendance.started";
        snprintf(fx->check_id, sizeof fx->check_id, "%s", id);
        p = json_pack("{s:s, s:i, s:I}", "check_id", id, "duration_s", 120, "ends_at", at);
        break;
    case 1:
        type = "attendance.present";
        p = json_pack("{s:s, s:s}", "check_id", fx->check_id[0] ? fx->check_id : id, "user_id",
                      member(fx));
        break;
    case 2:
        type = "attendance.ended";
        p = json_pack("{s:s, s:[], s:i, s:i, s:b}", "check_id", fx->check_id[0] ? fx->check_id : id,
                      "present", "present_count", 0, "required", 3, "has_quorum", 0);
        break;
    case 3:
    case 4: {
        type = "chat.message";
        char text[64];
        snprintf(text, sizeof text, "Wiadomość %u ąę", rnd(fx, 100000));
        p = json_pack("{s:s, s:s, s:s, s:s, s:s}", "message_id", id, "user_id", member(fx),
                      "name", "Radna", "text", text, "to", rnd(fx, 4) ? "all" : "operator");
        snprintf(fx->msgs[fx->n_msgs++ % 64], ID_SIZE, "%s", id);
        break;
    }
    case 5:
        type = "chat.hidden";
        p = json_pack("{s:s}", "message_id",
                      fx->n_msgs ? fx->msgs[rnd(fx, fx->n_msgs < 64 ? fx->n_msgs : 64)] : id);
        break;
    case 6:
        type = "presence.changed";
        p = json_pack("{s:s, s:b}", "user_id", member(fx), "is_present", rnd(fx, 2));
        break;
    case 7:
        type = "floor.requested";
        p = json_pack("{s:s, s:s, s:s, s:s}", "request_id", id, "user_id", member(fx), "name",
                      "Radna", "kind", rnd(fx, 3) ? "normal" : "formal");
        snprintf(fx->reqs[fx->n_reqs++ % 64], ID_SIZE, "%s", id);
        break;
    case 8: {
        const char *req = fx->n_reqs ? fx->reqs[rnd(fx, fx->n_reqs < 64 ? fx->n_reqs : 64)] : id;
        type = rnd(fx, 2) ? "floor.granted" : "floor.ended";
        p = !strcmp(type, "floor.ended")
                ? json_pack("{s:s}", "request_id", req)
                : json_pack("{s:s, s:s, s:s, s:i, s:I}", "request_id", req, "user_id", member(fx),
                            "name", "Radna", "speaking_time_s", 180, "ends_at", at);
        break;
    }
    default:
        if (fx->n_items < 16 && rnd(fx, 2)) {
            type = "agenda.item_added";
            p = json_pack("{s:s, s:i, s:s, s:s, s:b}", "item_id", id, "position",
                          (int)rnd(fx, 5), "title", "Punkt", "description", "Opis",
                          "is_amendment", 1);
            snprintf(fx->items[fx->n_items++], ID_SIZE, "%s", id);
        } else {
            type = "item.current";
            p = json_pack("{s:s}", "item_id", fx->n_items ? fx->items[rnd(fx, fx->n_items)] : id);
        }
    }
    assert_non_null(p);
    if (tx)
        assert_int_equal(log_append(tx, fx->m.id, "system", type, p, EVENT_PARTICIPANTS, NULL), 0);
    else
        assert_int_equal(
            log_append_one(fx->db, NULL, fx->m.id, "system", type, p, EVENT_PARTICIPANTS, NULL),
            0);
    json_decref(p);
}

static void start_meeting(struct fx *fx)
{
    json_t *p = json_object();
    assert_int_equal(
        log_append_one(fx->db, NULL, fx->m.id, "system", "meeting.started", p, EVENT_PUBLIC, NULL),
        0);
    json_decref(p);
}

static void test_cached_equals_fresh_fold_after_random_events(void **state)
{
    struct fx *fx = *state;
    load_and_compare(fx); /* an empty log */
    start_meeting(fx);
    for (int round = 0; round < 300; round++) {
        int n = 1 + (int)rnd(fx, 6);
        for (int i = 0; i < n; i++)
            append_random(fx, NULL);
        load_and_compare(fx);
    }
    struct meeting_cache_stats s;
    meeting_cache_stats(&s);
    assert_true(s.hits >= 300);
}

static void test_loading_twice_folds_nothing_new(void **state)
{
    struct fx *fx = *state;
    start_meeting(fx);
    for (int i = 0; i < 50; i++)
        append_random(fx, NULL);
    struct meeting_state *a = NULL, *b = NULL;
    assert_int_equal(meeting_state_load(fx->db, &fx->m, &fx->body, &a), 0);
    struct meeting_cache_stats s0, s1;
    meeting_cache_stats(&s0);
    assert_int_equal(meeting_state_load(fx->db, &fx->m, &fx->body, &b), 0);
    meeting_cache_stats(&s1);
    assert_int_equal(s1.hits, s0.hits + 1);
    assert_int_equal(s1.puts, s0.puts); /* nothing newer to keep */
    assert_same_state(a, b);
    /* Nothing newer: both callers share the cached snapshot, not copies. */
    assert_ptr_equal(a, b);
    /* Copy on write: a newer event is folded into a copy; the shared
     * snapshot the first callers hold does not change under them. */
    int64_t seq = a->seq;
    char hash[sizeof a->hash];
    memcpy(hash, a->hash, sizeof hash);
    size_t bytes = (size_t)a->n_people * sizeof a->people[0];
    struct ms_person *people = malloc(bytes ? bytes : 1);
    assert_non_null(people);
    memcpy(people, a->people, bytes);
    int n_people = a->n_people, present = a->present_count;
    append_random(fx, NULL);
    struct meeting_state *c = NULL;
    assert_int_equal(meeting_state_load(fx->db, &fx->m, &fx->body, &c), 0);
    assert_ptr_not_equal(c, a);
    assert_int_equal(c->seq, seq + 1);
    assert_int_equal(a->seq, seq);
    assert_string_equal(a->hash, hash);
    /* People are shared until the copy changes them (copy on write): what
     * the snapshot's holders see stays exactly as it was either way. */
    assert_int_equal(a->n_people, n_people);
    assert_int_equal(a->present_count, present);
    assert_memory_equal(a->people, people, bytes);
    free(people);
    meeting_state_free(a);
    meeting_state_free(b);
    meeting_state_free(c);
}

static void test_people_change_refolds_from_scratch(void **state)
{
    struct fx *fx = *state;
    start_meeting(fx);
    for (int i = 0; i < 20; i++)
        append_random(fx, NULL);
    load_and_compare(fx);
    add_member(fx); /* the directory changed without an event */
    load_and_compare(fx);
    assert_int_equal(participants_set(fx->db, fx->m.id, fx->people[0].id, false, true), 0);
    load_and_compare(fx); /* scrutiny changed */
    fx->body.statutory_size = 9;
    load_and_compare(fx);
}

static void test_rename_on_another_connection_is_seen(void **state)
{
    struct fx *fx = *state;
    start_meeting(fx);
    for (int i = 0; i < 10; i++)
        append_random(fx, NULL);
    load_and_compare(fx);
    char where[700];
    struct db_config dc = testutil_db_config(fx->dir, true, where, sizeof where);
    struct db *other = NULL;
    assert_int_equal(db_open(&dc, &other), 0);
    assert_int_equal(users_update_profile(other, fx->people[2].id, "Nowe Nazwisko", "pl"), 0);
    db_close(other);
    struct meeting_state *st = NULL;
    assert_int_equal(meeting_state_load(fx->db, &fx->m, &fx->body, &st), 0);
    assert_string_equal(meeting_state_person(st, fx->people[2].id)->name, "Nowe Nazwisko");
    meeting_state_free(st);
    load_and_compare(fx);
}

static void test_load_inside_a_read_transaction(void **state)
{
    struct fx *fx = *state;
    start_meeting(fx);
    for (int i = 0; i < 10; i++)
        append_random(fx, NULL);
    load_and_compare(fx);
    assert_int_equal(db_begin(fx->db), 0);
    load_and_compare(fx); /* keyed by the people it reads, not the generation */
    assert_int_equal(db_rollback(fx->db), 0);
    add_member(fx);
    load_and_compare(fx);
}

static void test_rolled_back_events_are_not_trusted(void **state)
{
    struct fx *fx = *state;
    start_meeting(fx);
    for (int round = 0; round < 40; round++) {
        append_random(fx, NULL);
        load_and_compare(fx);
        /* Load inside a transaction after appending: the state sees events
         * that then roll back, and another event takes their seq. */
        struct log_tx tx;
        assert_int_equal(log_tx_begin(&tx, fx->db, NULL), 0);
        int n = 1 + (int)rnd(fx, 3);
        for (int i = 0; i < n; i++)
            append_random(fx, &tx);
        struct meeting_state *inside = NULL;
        assert_int_equal(meeting_state_load(fx->db, &fx->m, &fx->body, &inside), 0);
        meeting_state_free(inside);
        log_tx_rollback(&tx);
        if (round % 2)
            append_random(fx, NULL);
        load_and_compare(fx);
    }
}

static void test_cache_is_bounded_lru(void **state)
{
    struct fx *fx = *state;
    meeting_cache_reset(3);
    struct meeting ms[5];
    for (int i = 0; i < 5; i++) {
        make_meeting(fx, &ms[i]);
        struct meeting_state *st = NULL;
        assert_int_equal(meeting_state_load(fx->db, &ms[i], &fx->body, &st), 0);
        meeting_state_free(st);
    }
    struct meeting_cache_stats s;
    meeting_cache_stats(&s);
    assert_int_equal(s.entries, 3);
    assert_int_equal(s.evictions, 2);
    /* The newest three are kept: loading ms[4] again is a hit, ms[0] a miss. */
    struct meeting_state *st = NULL;
    assert_int_equal(meeting_state_load(fx->db, &ms[4], &fx->body, &st), 0);
    meeting_state_free(st);
    meeting_cache_stats(&s);
    assert_int_equal(s.hits, 1);
    assert_int_equal(meeting_state_load(fx->db, &ms[0], &fx->body, &st), 0);
    meeting_state_free(st);
    meeting_cache_stats(&s);
    assert_int_equal(s.hits, 1);
    assert_int_equal(s.entries, 3);
    meeting_cache_reset(0);
    assert_int_equal(meeting_state_load(fx->db, &ms[1], &fx->body, &st), 0);
    meeting_state_free(st);
    meeting_cache_stats(&s);
    assert_int_equal(s.entries, 0); /* off */
}

/* n meetings of fx's body, each started (live) when is_started. */
static void make_meetings(struct fx *fx, struct meeting *ms, int n, bool is_started)
{
    for (int i = 0; i < n; i++) {
        make_meeting(fx, &ms[i]);
        if (!is_started)
            continue;
        json_t *p = json_object();
        assert_int_equal(log_append_one(fx->db, NULL, ms[i].id, "system", "meeting.started", p,
                                        EVENT_PUBLIC, NULL),
                         0);
        json_decref(p);
    }
}

/* Loads each of ms in turn, rounds times (as members acting on each). */
static void load_round_robin(struct fx *fx, struct meeting *ms, int n, int rounds)
{
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < n; i++) {
            struct meeting_state *st = NULL;
            assert_int_equal(meeting_state_load(fx->db, &ms[i], &fx->body, &st), 0);
            assert_string_equal(st->meeting_id, ms[i].id);
            meeting_state_free(st);
        }
}

/* More started meetings than the capacity, acted on in turn: an LRU of that
 * size would miss on every load (each one refolding its whole log); started
 * meetings are all kept, so after the first round every load hits, also
 * while more meetings not started than the capacity pass through. */
static void test_live_meetings_do_not_thrash(void **state)
{
    struct fx *fx = *state;
    enum { CAP = 3, LIVE = 10, DRAFTS = 12 };
    meeting_cache_reset(CAP);
    struct meeting ms[LIVE], drafts[DRAFTS];
    make_meetings(fx, ms, LIVE, true);
    make_meetings(fx, drafts, DRAFTS, false);
    load_round_robin(fx, ms, LIVE, 3);
    struct meeting_cache_stats s;
    meeting_cache_stats(&s);
    assert_int_equal(s.misses, LIVE); /* only the first round */
    assert_int_equal(s.hits, 2 * LIVE);
    assert_int_equal(s.evictions, 0);
    assert_int_equal(s.entries, LIVE);
    assert_int_equal(s.live, LIVE);
    assert_true(s.bytes >= LIVE * sizeof(struct meeting_state));
    for (int r = 0; r < 2; r++) {
        load_round_robin(fx, drafts, DRAFTS, 1);
        load_round_robin(fx, ms, LIVE, 1);
    }
    meeting_cache_stats(&s);
    assert_int_equal(s.misses, LIVE + 2 * DRAFTS); /* the drafts thrash within CAP */
    assert_int_equal(s.hits, 4 * LIVE);
    assert_int_equal(s.live_evictions, 0);
    assert_int_equal(s.entries, LIVE + CAP);
    /* A started meeting that closes counts against the capacity again. */
    json_t *p = json_object();
    assert_int_equal(
        log_append_one(fx->db, NULL, ms[0].id, "system", "meeting.closed", p, EVENT_PUBLIC, NULL),
        0);
    json_decref(p);
    load_round_robin(fx, ms, 1, 1);
    meeting_cache_stats(&s);
    assert_int_equal(s.live, LIVE - 1);
    assert_int_equal(s.entries, LIVE - 1 + CAP);
}

/* The byte bound holds over the started meetings too: past it the least
 * recently used goes, and round robin over more than fit misses again. */
static void test_live_meetings_within_the_memory_bound(void **state)
{
    struct fx *fx = *state;
    enum { FIT = 3, LIVE = 8 };
    meeting_cache_reset(MEETING_CACHE_DEFAULT_CAPACITY);
    struct meeting ms[LIVE];
    make_meetings(fx, ms, LIVE, true);
    load_round_robin(fx, ms, 1, 1);
    struct meeting_cache_stats s;
    meeting_cache_stats(&s);
    size_t one = s.bytes; /* every state here is alike */
    assert_true(one > 0);
    meeting_cache_set_memory(one * FIT);
    load_round_robin(fx, ms, LIVE, 2);
    meeting_cache_stats(&s);
    assert_true(s.bytes <= one * FIT);
    assert_int_equal(s.entries, FIT);
    assert_int_equal(s.hits, 1); /* ms[0], kept from before, once */
    assert_int_equal(s.live_evictions, 2 * LIVE - FIT);
}

/* ---- concurrent readers while a writer appends ---- */

#define N_READERS 3
#define N_SAMPLES 60

struct reader {
    struct fx *fx;
    struct db_pool *pool;
    int64_t seq[N_SAMPLES];
    char *text[N_SAMPLES];
};

static void *read_loop(void *arg)
{
    struct reader *r = arg;
    struct db *db = db_pool_get(r->pool);
    for (int i = 0; i < N_SAMPLES; i++) {
        struct meeting_state *st = NULL;
        if (meeting_state_load(db, &r->fx->m, &r->fx->body, &st) == 0) {
            r->seq[i] = st->seq;
            r->text[i] = state_text(st);
            meeting_state_free(st);
        }
    }
    return NULL;
}

static void test_concurrent_readers_get_consistent_states(void **state)
{
    struct fx *fx = *state;
    start_meeting(fx);
    char where[700];
    struct db_config dc = testutil_db_config(fx->dir, true, where, sizeof where);
    struct db_pool *pool = NULL;
    assert_int_equal(db_pool_open(&dc, &pool), 0);
    struct reader rs[N_READERS];
    pthread_t th[N_READERS];
    memset(rs, 0, sizeof rs);
    for (int i = 0; i < N_READERS; i++) {
        rs[i].fx = fx;
        rs[i].pool = pool;
        assert_int_equal(pthread_create(&th[i], NULL, read_loop, &rs[i]), 0);
    }
    for (int i = 0; i < 200; i++)
        append_random(fx, NULL);
    for (int i = 0; i < N_READERS; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < N_READERS; i++)
        for (int k = 0; k < N_SAMPLES; k++) {
            assert_non_null(rs[i].text[k]);
            struct meeting_state *ref = fresh_fold(fx->db, &fx->m, &fx->body, rs[i].seq[k]);
            char *t = state_text(ref);
            assert_string_equal(rs[i].text[k], t);
            free(t);
            free(rs[i].text[k]);
            meeting_state_free(ref);
        }
    db_pool_close(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cached_equals_fresh_fold_after_random_events, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_loading_twice_folds_nothing_new, setup, teardown),
        cmocka_unit_test_setup_teardown(test_people_change_refolds_from_scratch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rolled_back_events_are_not_trusted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rename_on_another_connection_is_seen, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_inside_a_read_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_is_bounded_lru, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_meetings_do_not_thrash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_meetings_within_the_memory_bound, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_readers_get_consistent_states, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
