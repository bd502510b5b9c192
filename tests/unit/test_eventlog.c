/* test_eventlog.c — the meeting log: canonical JSON, the hash chain, log
 * transactions, reading, verification (and what it catches), concurrent
 * appenders and the SSE frame of an event. Runs on a temporary SQLite file. */
#include "testutil.h"

#include <pthread.h>
#include <sys/uio.h>

#include <jansson.h>

#include "log/event.h"
#include "log/eventlog.h"
#include "log/hub.h"
#include "store/db.h"
#include "util/diag.h"
#include "util/err.h"

#define MTG "mtg1"

struct fixture {
    char *dir;
    char where[700];      /* the SQLite path or PostgreSQL URL of cfg */
    struct db_config cfg; /* testutil_db_config: either backend */
    struct db *db;
};

DB_QUERY(q_set_payload, "test_set_payload",
         "UPDATE events SET payload = $1 WHERE meeting_id = $2 AND seq = $3");
DB_QUERY(q_set_hash, "test_set_hash",
         "UPDATE events SET hash = $1 WHERE meeting_id = $2 AND seq = $3");
DB_QUERY(q_delete, "test_delete", "DELETE FROM events WHERE meeting_id = $1 AND seq = $2");
DB_QUERY(q_count, "test_count", "SELECT COUNT(*) FROM events");
DB_QUERY(q_insert_raw, "test_insert_raw",
         "INSERT INTO events (meeting_id, seq, ts_ms, actor, type, payload, visibility, "
         "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");

static int open_db(const struct db_config *cfg, struct db **out)
{
    return db_open(cfg, out);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = testutil_tmpdir();
    assert_non_null(f->dir);
    f->cfg = testutil_db_config(f->dir, true, f->where, sizeof f->where);
    assert_int_equal(open_db(&f->cfg, &f->db), 0);
    assert_int_equal(db_migrate(f->db), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    testutil_rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t count_events(struct db *db)
{
    struct db_stmt *s = db_prepare(db, &q_count);
    assert_non_null(s);
    assert_int_equal(db_step(s), DB_ROW);
    int64_t n = db_col_int(s, 0);
    db_stmt_done(s);
    return n;
}

/* Appends one event with payload {"n": n} in its own transaction. */
static int64_t append_n(struct db *db, const char *meeting, int64_t n)
{
    json_t *p = json_pack("{s:I}", "n", (json_int_t)n);
    int64_t seq = -1;
    assert_int_equal(
        log_append_one(db, NULL, meeting, "system", "test.appended", p, EVENT_PARTICIPANTS, &seq),
        0);
    json_decref(p);
    return seq;
}

static void run_update(struct db *db, struct db_query *q, const char *text, int64_t seq)
{
    struct db_stmt *s = db_prepare(db, q);
    assert_non_null(s);
    assert_int_equal(db_bind_text(s, 1, text), 0);
    assert_int_equal(db_bind_text(s, 2, MTG), 0);
    assert_int_equal(db_bind_int(s, 3, seq), 0);
    assert_int_equal(db_run(s), 0);
}

/* ---- canonical JSON ---- */

static void test_canonical_json_sorts_keys_compactly(void **state)
{
    json_t *v =
        json_loads("{\"b\": 1, \"a\": {\"d\": [2, \"x\"], \"c\": true}, \"e\": null}", 0, NULL);
    assert_non_null(v);
    char *text = log_canonical_json(v);
    assert_string_equal(text, "{\"a\":{\"c\":true,\"d\":[2,\"x\"]},\"b\":1,\"e\":null}");
    free(text);
    json_decref(v);
}

static void test_canonical_json_keeps_utf8_unescaped(void **state)
{
    json_t *v = json_pack("{s:s}", "t", "żółć – ok");
    char *text = log_canonical_json(v);
    assert_string_equal(text, "{\"t\":\"żółć – ok\"}");
    free(text);
    json_decref(v);
}

static void test_canonical_json_refuses_reals(void **state)
{
    json_t *top = json_pack("{s:f}", "x", 1.5);
    assert_null(log_canonical_json(top));
    json_decref(top);
    json_t *nested = json_loads("{\"a\": [1, {\"b\": [2, 3.0]}]}", 0, NULL);
    assert_non_null(nested);
    assert_null(log_canonical_json(nested));
    json_decref(nested);
}

/* ---- the hash ---- */

/* The hash input is pinned by a known answer so that any change to it (key
 * names, order, escaping, number format) breaks this test, not old logs.
 * The value was computed by log_compute_hash and cross-checked by hand:
 *   printf '%s' '{"actor":"system","meeting":"mtg1","payload":{"quorum":8,
 *   "title":"Sesja Rady – żółć"},"prev":"000…0 (64 zeros)","seq":1,
 *   "ts":1700000000000,"type":"meeting.created","vis":1}' | sha256sum
 * (one line, no spaces; KAT_INPUT below is exactly that text) and with
 * Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
 * + hashlib.sha256, both giving the digest below. */
#define KAT_INPUT                                                                                  \
    "{\"actor\":\"system\",\"meeting\":\"mtg1\",\"payload\":{\"quorum\":8,\"title\":\"Sesja "      \
    "Rady – żółć\"},\"prev\":\"" LOG_GENESIS_HASH "\",\"seq\":1,\"ts\":1700000000000,"             \
    "\"type\":\"meeting.created\",\"vis\":1}"
#define KAT_HASH "6e05c48e65cc2dd1ef9874febeb25323e665e0095c0646326fb3afda45a74948"

static void test_hash_known_answer(void **state)
{
    char hash[EVENT_HASH_HEX + 1];
    /* Keys deliberately unsorted and spaced: the hash is over the canonical form. */
    assert_int_equal(log_compute_hash("mtg1", 1, 1700000000000LL, "system", "meeting.created",
                                      "{\"title\": \"Sesja Rady – żółć\", \"quorum\": 8}",
                                      EVENT_PARTICIPANTS, LOG_GENESIS_HASH, hash),
                     0);
    assert_string_equal(hash, KAT_HASH);

    /* And the canonical text is the one cross-checked above. */
    json_t *o = json_pack("{s:s,s:s,s:{s:s,s:i},s:s,s:i,s:I,s:s,s:i}", "type", "meeting.created",
                          "meeting", "mtg1", "payload", "title", "Sesja Rady – żółć", "quorum", 8,
                          "prev", LOG_GENESIS_HASH, "seq", 1, "ts", (json_int_t)1700000000000LL,
                          "actor", "system", "vis", 1);
    char *text = log_canonical_json(o);
    assert_string_equal(text, KAT_INPUT);
    free(text);
    json_decref(o);
}

static void test_hash_refuses_payload_that_is_not_an_object(void **state)
{
    char hash[EVENT_HASH_HEX + 1];
    assert_int_equal(log_compute_hash("m", 1, 1, "a", "t.x", "[1]", 0, LOG_GENESIS_HASH, hash),
                     OBR_EINVAL);
    assert_int_equal(
        log_compute_hash("m", 1, 1, "a", "t.x", "{\"r\":0.5}", 0, LOG_GENESIS_HASH, hash),
        OBR_EINVAL);
}

/* ---- appending ---- */

static void test_append_three_gives_seq_1_2_3_chained(void **state)
{
    struct fixture *f = *state;
    for (int64_t i = 1; i <= 3; i++)
        assert_int_equal(append_n(f->db, MTG, i), i);

    struct event *ev[4];
    int n = 0;
    assert_int_equal(log_read(f->db, MTG, 1, ev, 4, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(ev[0]->prev_hash, LOG_GENESIS_HASH);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ev[i]->seq, i + 1);
        assert_string_equal(ev[i]->meeting_id, MTG);
        assert_string_equal(ev[i]->actor, "system");
        assert_string_equal(ev[i]->type, "test.appended");
        assert_int_equal(ev[i]->visibility, EVENT_PARTICIPANTS);
        assert_int_equal(strlen(ev[i]->hash), EVENT_HASH_HEX);
        if (i > 0) {
            assert_string_equal(ev[i]->prev_hash, ev[i - 1]->hash);
            assert_true(ev[i]->ts_ms >= ev[i - 1]->ts_ms);
        }
        char again[EVENT_HASH_HEX + 1];
        assert_int_equal(log_compute_hash(ev[i]->meeting_id, ev[i]->seq, ev[i]->ts_ms, ev[i]->actor,
                                          ev[i]->type, ev[i]->payload, ev[i]->visibility,
                                          ev[i]->prev_hash, again),
                         0);
        assert_string_equal(again, ev[i]->hash);
    }
    assert_string_equal(ev[1]->payload, "{\"n\":2}");

    int64_t head_seq;
    char head[EVENT_HASH_HEX + 1];
    assert_int_equal(log_head(f->db, MTG, &head_seq, head), 0);
    assert_int_equal(head_seq, 3);
    assert_string_equal(head, ev[2]->hash);
    for (int i = 0; i < n; i++)
        event_unref(ev[i]);
}

static void test_head_of_empty_log_is_genesis(void **state)
{
    struct fixture *f = *state;
    int64_t seq = -1;
    char head[EVENT_HASH_HEX + 1];
    assert_int_equal(log_head(f->db, "nobody", &seq, head), 0);
    assert_int_equal(seq, 0);
    assert_string_equal(head, LOG_GENESIS_HASH);
}

static void test_meetings_have_separate_chains(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(append_n(f->db, "a", 1), 1);
    assert_int_equal(append_n(f->db, "b", 1), 1);
    assert_int_equal(append_n(f->db, "a", 2), 2);
    struct event *ev;
    int n;
    assert_int_equal(log_read(f->db, "b", 1, &ev, 1, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ev->prev_hash, LOG_GENESIS_HASH);
    event_unref(ev);
}

static void test_two_events_in_one_tx_get_consecutive_seqs(void **state)
{
    struct fixture *f = *state;
    append_n(f->db, MTG, 1);
    struct log_tx tx;
    json_t *p = json_object();
    int64_t s1 = 0, s2 = 0, sb = 0;
    assert_int_equal(log_tx_begin(&tx, f->db, NULL), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "vote.opened", p, EVENT_PUBLIC, &s1), 0);
    /* Another meeting in between must not disturb MTG's numbering. */
    assert_int_equal(log_append(&tx, "other", "u1", "vote.opened", p, EVENT_PUBLIC, &sb), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "vote.closed", p, EVENT_PUBLIC, &s2), 0);
    assert_int_equal(tx.n_pending, 3);
    assert_string_equal(tx.pending[2]->prev_hash, tx.pending[0]->hash);
    assert_int_equal(log_tx_commit(&tx), 0);
    assert_false(tx.active);
    json_decref(p);
    assert_int_equal(s1, 2);
    assert_int_equal(s2, 3);
    assert_int_equal(sb, 1);

    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.events, 3);
}

static void test_rollback_leaves_nothing(void **state)
{
    struct fixture *f = *state;
    struct log_tx tx;
    json_t *p = json_object();
    assert_int_equal(log_tx_begin(&tx, f->db, NULL), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "chat.message", p, EVENT_PUBLIC, NULL), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "chat.message", p, EVENT_PUBLIC, NULL), 0);
    log_tx_rollback(&tx);
    assert_false(tx.active);
    assert_int_equal(tx.n_pending, 0);
    log_tx_rollback(&tx); /* a second rollback is harmless */
    json_decref(p);
    assert_int_equal(count_events(f->db), 0);
    /* The writer lock was released: the next append works and starts at 1. */
    assert_int_equal(append_n(f->db, MTG, 1), 1);
}

static void test_tx_refuses_more_than_max_events(void **state)
{
    struct fixture *f = *state;
    struct log_tx tx;
    json_t *p = json_object();
    assert_int_equal(log_tx_begin(&tx, f->db, NULL), 0);
    for (int i = 0; i < LOG_TX_MAX_EVENTS; i++)
        assert_int_equal(log_append(&tx, MTG, "u1", "chat.message", p, EVENT_PUBLIC, NULL), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "chat.message", p, EVENT_PUBLIC, NULL), OBR_ELIMIT);
    log_tx_rollback(&tx);
    json_decref(p);
    assert_int_equal(count_events(f->db), 0);
}

static void test_bad_input_is_refused_and_writes_nothing(void **state)
{
    struct fixture *f = *state;
    json_t *obj = json_object();
    json_t *arr = json_array();
    json_t *real = json_pack("{s:{s:f}}", "deep", "x", 0.25);
    char long_type[66] = "a.";
    memset(long_type + 2, 'a', 63);
    long_type[65] = '\0';
    struct {
        const char *actor, *type;
        json_t *payload;
        int vis;
    } cases[] = {
        {"u1", "chat.message", arr, EVENT_PUBLIC},  /* payload not an object */
        {"u1", "chat.message", NULL, EVENT_PUBLIC}, /* no payload */
        {"u1", "chat.message", real, EVENT_PUBLIC}, /* a real number inside */
        {"u1", "", obj, EVENT_PUBLIC},              /* empty type */
        {"u1", "Chat.Message", obj, EVENT_PUBLIC},  /* not lowercase */
        {"u1", "chat..message", obj, EVENT_PUBLIC}, /* empty segment */
        {"u1", "chat.message.", obj, EVENT_PUBLIC}, /* trailing dot */
        {"u1", "chat message", obj, EVENT_PUBLIC},  /* space */
        {"u1", long_type, obj, EVENT_PUBLIC},       /* 65 chars */
        {"", "chat.message", obj, EVENT_PUBLIC},    /* empty actor */
        {NULL, "chat.message", obj, EVENT_PUBLIC},  /* no actor */
        {"u1", "chat.message", obj, 3},             /* unknown visibility */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t seq = -1;
        assert_int_equal(log_append_one(f->db, NULL, MTG, cases[i].actor, cases[i].type,
                                        cases[i].payload, cases[i].vis, &seq),
                         OBR_EINVAL);
        assert_int_equal(seq, -1);
    }
    assert_int_equal(count_events(f->db), 0);
    /* The longest allowed type is fine. */
    long_type[64] = '\0';
    assert_int_equal(log_append_one(f->db, NULL, MTG, "u1", long_type, obj, EVENT_PUBLIC, NULL), 0);
    json_decref(obj);
    json_decref(arr);
    json_decref(real);
}

static void test_time_never_goes_backwards(void **state)
{
    struct fixture *f = *state;
    /* A first event stamped far in the future, as after a clock step back. */
    int64_t future = 4102444800000LL; /* 2100-01-01 */
    char hash[EVENT_HASH_HEX + 1];
    assert_int_equal(
        log_compute_hash(MTG, 1, future, "system", "clock.test", "{}", 0, LOG_GENESIS_HASH, hash),
        0);
    struct db_stmt *s = db_prepare(f->db, &q_insert_raw);
    assert_non_null(s);
    db_bind_text(s, 1, MTG);
    db_bind_int(s, 2, 1);
    db_bind_int(s, 3, future);
    db_bind_text(s, 4, "system");
    db_bind_text(s, 5, "clock.test");
    db_bind_text(s, 6, "{}");
    db_bind_int(s, 7, 0);
    db_bind_text(s, 8, LOG_GENESIS_HASH);
    db_bind_text(s, 9, hash);
    assert_int_equal(db_run(s), 0);

    assert_int_equal(append_n(f->db, MTG, 2), 2);
    struct event *ev;
    int n;
    assert_int_equal(log_read(f->db, MTG, 2, &ev, 1, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ev->ts_ms, future);
    event_unref(ev);
}

/* ---- reading ---- */

static void test_read_from_seq_with_limit(void **state)
{
    struct fixture *f = *state;
    for (int64_t i = 1; i <= 10; i++)
        append_n(f->db, MTG, i);
    struct event *ev[10];
    int n = -1;
    assert_int_equal(log_read(f->db, MTG, 4, ev, 3, &n), 0);
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++) {
        assert_int_equal(ev[i]->seq, 4 + i);
        event_unref(ev[i]);
    }
    assert_int_equal(log_read(f->db, MTG, 9, ev, 10, &n), 0);
    assert_int_equal(n, 2);
    for (int i = 0; i < n; i++)
        event_unref(ev[i]);
    assert_int_equal(log_read(f->db, MTG, 11, ev, 10, &n), 0);
    assert_int_equal(n, 0);
}

/* ---- verification ---- */

static void append_five(struct db *db)
{
    for (int64_t i = 1; i <= 5; i++)
        append_n(db, MTG, i);
}

static void test_verify_accepts_good_chain(void **state)
{
    struct fixture *f = *state;
    append_five(f->db);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_null(r.why);
    assert_int_equal(r.events, 5);
    int64_t seq;
    char head[EVENT_HASH_HEX + 1];
    assert_int_equal(log_head(f->db, MTG, &seq, head), 0);
    assert_string_equal(r.head, head);
}

static void test_verify_accepts_empty_log(void **state)
{
    struct fixture *f = *state;
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.events, 0);
    assert_string_equal(r.head, LOG_GENESIS_HASH);
}

static void test_verify_detects_tampered_payload(void **state)
{
    struct fixture *f = *state;
    append_five(f->db);
    run_update(f->db, &q_set_payload, "{\"n\":99}", 3);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 3);
    assert_string_equal(r.why, "hash mismatch");
    assert_int_equal(r.events, 2);
}

static void append_typed(struct db *db, const char *type, const char *payload)
{
    json_t *p = json_loads(payload, 0, NULL);
    assert_non_null(p);
    assert_int_equal(log_append_one(db, NULL, MTG, "system", type, p, EVENT_PARTICIPANTS, NULL), 0);
    json_decref(p);
}

/* Archiving redacts chat text (api/archive_run.c): the chain still verifies,
 * the redacted event's hash taken as stored and bound by its successor. */
static void test_verify_accepts_chat_redacted_at_archiving(void **state)
{
    struct fixture *f = *state;
    append_n(f->db, MTG, 1);
    append_typed(f->db, "chat.message", "{\"text\":\"Dzie\u0144 dobry\",\"to\":\"all\"}");
    append_n(f->db, MTG, 3);
    append_typed(f->db, "meeting.archived", "{\"bundle\":\"x.zip\"}");
    struct log_verify_result before;
    assert_int_equal(log_verify(f->db, MTG, &before), 0);
    run_update(f->db, &q_set_payload, LOG_REDACTED_PAYLOAD, 2);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.events, 4);
    assert_int_equal(r.redacted, 1);
    assert_string_equal(r.head, before.head);
}

static void test_verify_refuses_redaction_without_archiving(void **state)
{
    struct fixture *f = *state;
    append_n(f->db, MTG, 1);
    append_typed(f->db, "chat.message", "{\"text\":\"x\",\"to\":\"all\"}");
    append_n(f->db, MTG, 3);
    run_update(f->db, &q_set_payload, LOG_REDACTED_PAYLOAD, 2);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 2);
    assert_string_equal(r.why, "chat message redacted in a meeting that was not archived");
}

static void test_verify_refuses_redacting_other_events(void **state)
{
    struct fixture *f = *state;
    append_five(f->db);
    append_typed(f->db, "meeting.archived", "{\"bundle\":\"x.zip\"}");
    run_update(f->db, &q_set_payload, LOG_REDACTED_PAYLOAD, 3); /* a test.appended event */
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 3);
    assert_string_equal(r.why, "hash mismatch");
}

static void test_verify_detects_tampered_hash(void **state)
{
    struct fixture *f = *state;
    append_five(f->db);
    run_update(f->db, &q_set_hash,
               "1111111111111111111111111111111111111111111111111111111111111111", 2);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 2);
    assert_string_equal(r.why, "hash mismatch");
}

static void test_verify_detects_deleted_event(void **state)
{
    struct fixture *f = *state;
    append_five(f->db);
    struct db_stmt *s = db_prepare(f->db, &q_delete);
    assert_non_null(s);
    db_bind_text(s, 1, MTG);
    db_bind_int(s, 2, 3);
    assert_int_equal(db_run(s), 0);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 3); /* the missing seq */
    assert_string_equal(r.why, "gap in seq");
}

static void test_verify_detects_deleted_head_of_chain(void **state)
{
    struct fixture *f = *state;
    append_five(f->db);
    struct db_stmt *s = db_prepare(f->db, &q_delete);
    assert_non_null(s);
    db_bind_text(s, 1, MTG);
    db_bind_int(s, 2, 1);
    assert_int_equal(db_run(s), 0);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 1);
    assert_string_equal(r.why, "gap in seq");
}

static void test_verify_walks_more_than_one_batch(void **state)
{
    struct fixture *f = *state;
    /* 1000 per batch inside log_verify; 64 per transaction here. */
    int64_t total = 0;
    json_t *p = json_object();
    while (total < 2100) {
        struct log_tx tx;
        assert_int_equal(log_tx_begin(&tx, f->db, NULL), 0);
        for (int i = 0; i < LOG_TX_MAX_EVENTS && total < 2100; i++, total++)
            assert_int_equal(log_append(&tx, MTG, "system", "bulk.row", p, EVENT_STAFF, NULL), 0);
        assert_int_equal(log_tx_commit(&tx), 0);
    }
    json_decref(p);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.events, 2100);

    run_update(f->db, &q_set_payload, "{\"x\":1}", 1500);
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 1500);
}

/* ---- concurrency ---- */

#define THREADS 4
#define PER_THREAD 50

struct worker {
    const struct db_config *cfg;
    int failures;
};

static void *append_worker(void *arg)
{
    struct worker *w = arg;
    struct db *db = NULL;
    if (open_db(w->cfg, &db) != 0) {
        w->failures++;
        return NULL;
    }
    for (int i = 0; i < PER_THREAD; i++) {
        json_t *p = json_pack("{s:i}", "i", i);
        if (log_append_one(db, NULL, MTG, "worker", "race.append", p, EVENT_PUBLIC, NULL) != 0)
            w->failures++;
        json_decref(p);
    }
    db_close(db);
    return NULL;
}

static void test_concurrent_appends_make_one_gapless_chain(void **state)
{
    struct fixture *f = *state;
    pthread_t th[THREADS];
    struct worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){&f->cfg, 0};
        assert_int_equal(pthread_create(&th[i], NULL, append_worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    enum { TOTAL = THREADS * PER_THREAD };
    struct event *ev[TOTAL + 1];
    int n = 0;
    assert_int_equal(log_read(f->db, MTG, 1, ev, TOTAL + 1, &n), 0);
    assert_int_equal(n, TOTAL);
    for (int i = 0; i < n; i++) {
        assert_int_equal(ev[i]->seq, i + 1);
        event_unref(ev[i]);
    }
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.events, TOTAL);
}

/* ---- publishing ---- */

static void count_wake(struct hub_sub *sub, enum hub_wake why)
{
    if (why == HUB_WAKE_EVENT)
        (*(int *)sub->ctx)++;
}

static void test_commit_publishes_in_order_and_rollback_does_not(void **state)
{
    struct fixture *f = *state;
    struct hub *hub = hub_new(0);
    assert_non_null(hub);
    int wakes = 0;
    struct hub_sub sub = {.wake = count_wake, .ctx = &wakes};
    assert_int_equal(hub_subscribe(hub, MTG, &sub), 0);

    json_t *p = json_object();
    struct log_tx tx;
    assert_int_equal(log_tx_begin(&tx, f->db, hub), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "vote.opened", p, EVENT_PUBLIC, NULL), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "vote.closed", p, EVENT_PUBLIC, NULL), 0);
    assert_int_equal(wakes, 0); /* nothing is visible before the commit */
    assert_int_equal(log_tx_commit(&tx), 0);
    assert_int_equal(wakes, 2);

    assert_int_equal(log_tx_begin(&tx, f->db, hub), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "vote.repeated", p, EVENT_PUBLIC, NULL), 0);
    log_tx_rollback(&tx);
    assert_int_equal(wakes, 2);
    json_decref(p);

    struct event *ev[4];
    hub_lock(&sub);
    int n = hub_fetch_locked(&sub, 1, ev, 4);
    hub_unlock(&sub);
    assert_int_equal(n, 2);
    struct event *stored[4];
    int m;
    assert_int_equal(log_read(f->db, MTG, 1, stored, 4, &m), 0);
    assert_int_equal(m, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ev[i]->seq, i + 1);
        assert_string_equal(ev[i]->hash, stored[i]->hash);
        char *f1 = event_frame_dup(ev[i]), *f2 = event_frame_dup(stored[i]);
        assert_string_equal(f1, f2);
        free(f1);
        free(f2);
        event_unref(ev[i]);
        event_unref(stored[i]);
    }
    hub_unsubscribe(hub, &sub);
    hub_free(hub);
}

/* A batch (group commit of the SQL work): the undone part leaves no event
 * and no seq hole, the kept parts commit in order in one transaction, each
 * part's wait says durable, and the hub gets exactly the kept events in
 * seq order. */
/* A batch's part is held to a transaction's LOG_TX_MAX_EVENTS (its wait
 * holds no more), the next part has its own room, and the head of a log
 * the batch appended to follows its own appends (no SELECT): the seqs run
 * on without a hole after a part that was undone. */
static void test_batch_part_limited_like_a_transaction(void **state)
{
    struct fixture *f = *state;
    struct log_tx tx;
    if (db_has_many_writers(f->db))
        return; /* no batches on PostgreSQL (the test above) */
    json_t *p = json_object();
    int mark;
    struct log_part parts[2];
    assert_int_equal(log_tx_begin_batch(&tx, f->db, NULL), 0);
    assert_int_equal(log_tx_part_begin(&tx, &mark), 0);
    for (int i = 0; i < LOG_TX_MAX_EVENTS; i++)
        assert_int_equal(log_append(&tx, MTG, "u1", "test.full", p, EVENT_PUBLIC, NULL), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "test.full", p, EVENT_PUBLIC, NULL), OBR_ELIMIT);
    assert_int_equal(log_tx_part_end(&tx, mark, true), 0);
    parts[0] = (struct log_part){.first = mark, .n = tx.n_pending - mark};
    assert_int_equal(log_tx_part_begin(&tx, &mark), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "test.undone", p, EVENT_PUBLIC, NULL), 0);
    assert_int_equal(log_tx_part_end(&tx, mark, false), 0);
    int64_t seq = 0;
    assert_int_equal(log_tx_part_begin(&tx, &mark), 0);
    assert_int_equal(log_append(&tx, MTG, "u1", "test.next", p, EVENT_PUBLIC, &seq), 0);
    assert_int_equal(seq, LOG_TX_MAX_EVENTS + 1);
    assert_int_equal(log_tx_part_end(&tx, mark, true), 0);
    parts[1] = (struct log_part){.first = mark, .n = tx.n_pending - mark};
    assert_int_equal(log_tx_commit_parts(&tx, parts, 2), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(log_part_wait(parts[i].wait), 0);
    json_decref(p);
    assert_int_equal(count_events(f->db), LOG_TX_MAX_EVENTS + 1);
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.events, LOG_TX_MAX_EVENTS + 1);
}

static void test_batch_parts_undo_alone_and_publish_in_order(void **state)
{
    struct fixture *f = *state;
    struct log_tx tx;
    if (db_has_many_writers(f->db)) { /* PostgreSQL keeps per-meeting transactions */
        assert_int_equal(log_tx_begin_batch(&tx, f->db, NULL), OBR_EINVAL);
        return;
    }
    struct hub *hub = hub_new(0);
    assert_non_null(hub);
    int wakes = 0;
    struct hub_sub sub = {.wake = count_wake, .ctx = &wakes};
    assert_int_equal(hub_subscribe(hub, MTG, &sub), 0);

    struct log_part parts[2];
    int n = 0, mark;
    assert_int_equal(log_tx_begin_batch(&tx, f->db, hub), 0);
    const char *types[3] = {"test.first", "test.undone", "test.third"};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(log_tx_part_begin(&tx, &mark), 0);
        json_t *p = json_pack("{s:i}", "i", i);
        assert_int_equal(log_append(&tx, MTG, "u1", types[i], p, EVENT_PUBLIC, NULL), 0);
        assert_int_equal(log_append(&tx, "other", "u1", types[i], p, EVENT_PUBLIC, NULL), 0);
        json_decref(p);
        bool is_kept = i != 1;
        assert_int_equal(log_tx_part_end(&tx, mark, is_kept), 0);
        if (is_kept)
            parts[n++] = (struct log_part){.first = mark, .n = tx.n_pending - mark};
    }
    assert_int_equal(tx.n_pending, 4);
    assert_int_equal(wakes, 0);
    assert_int_equal(log_tx_commit_parts(&tx, parts, n), 0);
    for (int i = 0; i < n; i++)
        assert_int_equal(log_part_wait(parts[i].wait), 0);
    assert_int_equal(wakes, 2);

    struct event *stored[4];
    int m;
    assert_int_equal(log_read(f->db, MTG, 1, stored, 4, &m), 0);
    assert_int_equal(m, 2);
    assert_string_equal(stored[0]->type, "test.first");
    assert_string_equal(stored[1]->type, "test.third");
    assert_int_equal(stored[1]->seq, 2);
    struct event *ev[4];
    hub_lock(&sub);
    int got = hub_fetch_locked(&sub, 1, ev, 4);
    hub_unlock(&sub);
    assert_int_equal(got, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ev[i]->seq, i + 1);
        assert_string_equal(ev[i]->hash, stored[i]->hash);
        event_unref(ev[i]);
        event_unref(stored[i]);
    }
    struct log_verify_result r;
    assert_int_equal(log_verify(f->db, MTG, &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(log_verify(f->db, "other", &r), 0);
    assert_int_equal(r.bad_seq, 0);
    assert_int_equal(r.events, 2);
    /* The writer lock is free again: an ordinary transaction begins. */
    json_t *after = json_object();
    int64_t seq = 0;
    assert_int_equal(log_append_one(f->db, NULL, MTG, "u1", "test.after", after, EVENT_PUBLIC, &seq),
                     0);
    assert_int_equal(seq, 3);
    json_decref(after);
    hub_unsubscribe(hub, &sub);
    hub_free(hub);
}

/* ---- events ---- */

static void test_event_frame_is_sse(void **state)
{
    const char *h = "abababababababababababababababababababababababababababababababab";
    struct event *ev = event_new("m", 7, 123, "u1", "chat.message", "{\"text\":\"cześć\"}",
                                 EVENT_PUBLIC, LOG_GENESIS_HASH, h);
    assert_non_null(ev);
    const char *want = "id: 7\nevent: chat.message\ndata: {\"seq\":7,\"ts\":123,\"type\":\"chat."
                       "message\",\"actor\":\"u1\",\"payload\":{\"text\":\"cześć\"},\"hash\":\""
                       "abababababababababababababababababababababababababababababababab\"}\n\n";
    char *frame = event_frame_dup(ev);
    assert_string_equal(frame, want);
    free(frame);
    assert_int_equal(ev->frame_len, strlen(want));
    /* The payload is in the frame by reference, not copied a second time. */
    struct iovec iov[EVENT_FRAME_PARTS];
    assert_int_equal(event_frame_iov(ev, 0, iov), 3);
    assert_ptr_equal(iov[1].iov_base, ev->payload);
    assert_int_equal(iov[1].iov_len, strlen(ev->payload));
    /* From an offset inside the payload: its rest, then the tail. */
    assert_int_equal(event_frame_iov(ev, iov[0].iov_len + 3, iov), 2);
    assert_ptr_equal(iov[0].iov_base, ev->payload + 3);
    assert_int_equal(ev->refs, 1);
    assert_ptr_equal(event_ref(ev), ev);
    assert_int_equal(ev->refs, 2);
    event_unref(ev);
    assert_int_equal(ev->refs, 1);
    event_unref(ev); /* freed; ASan would flag a leak or a double free */
    event_unref(NULL);
}

static void test_event_to_json_has_payload_as_object(void **state)
{
    struct event *ev = event_new("m", 1, 5, "system", "a.b", "{\"k\":[1,2]}", EVENT_STAFF,
                                 LOG_GENESIS_HASH, LOG_GENESIS_HASH);
    assert_non_null(ev);
    json_t *j = event_to_json(ev);
    assert_non_null(j);
    assert_true(json_is_object(json_object_get(j, "payload")));
    assert_int_equal(json_integer_value(json_object_get(j, "seq")), 1);
    assert_null(json_object_get(j, "meeting"));
    json_decref(j);
    event_unref(ev);
}

int main(void)
{
    diag_set_level(DIAG_WARN);
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_json_sorts_keys_compactly),
        cmocka_unit_test(test_canonical_json_keeps_utf8_unescaped),
        cmocka_unit_test(test_canonical_json_refuses_reals),
        cmocka_unit_test(test_hash_known_answer),
        cmocka_unit_test(test_hash_refuses_payload_that_is_not_an_object),
        T(test_append_three_gives_seq_1_2_3_chained),
        T(test_head_of_empty_log_is_genesis),
        T(test_meetings_have_separate_chains),
        T(test_two_events_in_one_tx_get_consecutive_seqs),
        T(test_rollback_leaves_nothing),
        T(test_tx_refuses_more_than_max_events),
        T(test_bad_input_is_refused_and_writes_nothing),
        T(test_time_never_goes_backwards),
        T(test_read_from_seq_with_limit),
        T(test_verify_accepts_good_chain),
        T(test_verify_accepts_empty_log),
        T(test_verify_detects_tampered_payload),
        T(test_verify_accepts_chat_redacted_at_archiving),
        T(test_verify_refuses_redaction_without_archiving),
        T(test_verify_refuses_redacting_other_events),
        T(test_verify_detects_tampered_hash),
        T(test_verify_detects_deleted_event),
        T(test_verify_detects_deleted_head_of_chain),
        T(test_verify_walks_more_than_one_batch),
        T(test_concurrent_appends_make_one_gapless_chain),
        T(test_commit_publishes_in_order_and_rollback_does_not),
        T(test_batch_parts_undo_alone_and_publish_in_order),
        T(test_batch_part_limited_like_a_transaction),
        cmocka_unit_test(test_event_frame_is_sse),
        cmocka_unit_test(test_event_to_json_has_payload_as_object),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
