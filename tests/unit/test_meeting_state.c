/* test_meeting_state.c — the live state of a meeting folded from its events:
 * lifecycle, every action checked in every status, attendance and quorum at
 * the boundary, guests, the floor queue's order, agenda order, chat and what
 * each viewer sees of it, refused events (seq gaps, bad payloads), clones
 * sharing what neither changed, and a fold of 100 000 events. */
#include "testutil.h"

#include <stdarg.h>
#include <stdbool.h>
#include <time.h>

#include <jansson.h>

#include "core/meeting_state.h"
#include "log/event.h"
#include "store/directory.h"
#include "util/err.h"

_Static_assert(MS_NAME_SIZE == NAME_SIZE, "a person's name fits as the directory stores it");

/* ---- helpers ---- */

/* Folds one event with the next seq; returns meeting_state_apply's result. */
static int fold_at(struct meeting_state *st, int64_t seq, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fold_at(struct meeting_state *st, int64_t seq, const char *type, const char *fmt, ...)
{
    char payload[16384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(payload, sizeof payload, fmt, ap);
    va_end(ap);
    char hash[65];
    snprintf(hash, sizeof hash, "%064llx", (unsigned long long)seq);
    int64_t ts_ms = 1700000000000 + seq * 1000;
    struct event *ev =
        event_new(st->meeting_id, seq, ts_ms, "actor", type, payload, EVENT_PUBLIC, "", hash);
    if (!ev) {
        /* event_new renders the SSE frame and so refuses text that is not
         * JSON; a stored log could still hold it, so fold such a payload
         * from a plain struct. */
        struct event raw = {.refs = 1,
                            .seq = seq,
                            .ts_ms = ts_ms,
                            .type = (char *)type,
                            .payload = payload,
                            .actor = "actor"};
        raw.meeting_id = st->meeting_id;
        snprintf(raw.hash, sizeof raw.hash, "%s", hash);
        return meeting_state_apply(st, &raw);
    }
    int rc = meeting_state_apply(st, ev);
    event_unref(ev);
    return rc;
}

#define FOLD(st, type, ...) assert_int_equal(fold_at((st), (st)->seq + 1, type, __VA_ARGS__), 0)

static void member_id(char out[ID_SIZE], int i)
{
    snprintf(out, ID_SIZE, "m%02d", i);
}

/* A council of n members m01..m<n>, m01 the chair, under half_statutory. */
static struct meeting_state *council(int n)
{
    struct meeting_state *st = meeting_state_new("meet1", n, "half_statutory");
    assert_non_null(st);
    for (int i = 1; i <= n; i++) {
        char id[ID_SIZE], name[40];
        member_id(id, i);
        snprintf(name, sizeof name, "Radny %d", i);
        assert_int_equal(
            meeting_state_add_person(st, id, name, i == 1 ? "chair" : "member", true, false, false),
            0);
    }
    return st;
}

static struct meeting_state *council_in_progress(int n)
{
    struct meeting_state *st = council(n);
    FOLD(st, "meeting.convened", "{\"invited\":%d}", n);
    FOLD(st, "meeting.started", "{}");
    return st;
}

static void check_started(struct meeting_state *st, const char *check_id)
{
    FOLD(st, "attendance.started", "{\"check_id\":\"%s\",\"duration_s\":120,\"ends_at\":%lld}",
         check_id, 1700000120000LL);
}

static void present(struct meeting_state *st, const char *check_id, int member)
{
    char id[ID_SIZE];
    member_id(id, member);
    FOLD(st, "attendance.present", "{\"check_id\":\"%s\",\"user_id\":\"%s\"}", check_id, id);
}

static void check_ended(struct meeting_state *st, const char *check_id)
{
    FOLD(st, "attendance.ended",
         "{\"check_id\":\"%s\",\"present\":[],\"present_count\":0,\"required\":0,"
         "\"has_quorum\":false}",
         check_id);
}

static void request_floor(struct meeting_state *st, const char *request_id, int member,
                          const char *kind)
{
    char id[ID_SIZE];
    member_id(id, member);
    FOLD(st, "floor.requested",
         "{\"request_id\":\"%s\",\"user_id\":\"%s\",\"name\":\"Radny %d\",\"kind\":\"%s\"}",
         request_id, id, member, kind);
}

static void grant_floor(struct meeting_state *st, const char *request_id, int member)
{
    char id[ID_SIZE];
    member_id(id, member);
    FOLD(st, "floor.granted",
         "{\"request_id\":\"%s\",\"user_id\":\"%s\",\"name\":\"Radny %d\","
         "\"speaking_time_s\":300,\"ends_at\":1700000300000}",
         request_id, id, member);
}

static void chat(struct meeting_state *st, const char *message_id, const char *user_id,
                 const char *text, const char *to)
{
    FOLD(st, "chat.message",
         "{\"message_id\":\"%s\",\"user_id\":\"%s\",\"name\":\"N %s\",\"text\":\"%s\","
         "\"to\":\"%s\"}",
         message_id, user_id, user_id, text, to);
}

static void add_item(struct meeting_state *st, const char *id, int position, const char *title,
                     bool is_amendment)
{
    FOLD(st, "agenda.item_added",
         "{\"item_id\":\"%s\",\"position\":%d,\"title\":\"%s\",\"description\":\"\","
         "\"is_amendment\":%s}",
         id, position, title, is_amendment ? "true" : "false");
}

static void add_guest(struct meeting_state *st, const char *user_id)
{
    FOLD(st, "participant.added",
         "{\"user_id\":\"%s\",\"name\":\"Gość %s\",\"role\":\"guest\",\"is_scrutiny\":false}",
         user_id, user_id);
}

static void assert_queue(const struct meeting_state *st, const char *const *ids, int n)
{
    assert_int_equal(st->n_queue, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(st->queue[i].request_id, ids[i]);
}

static void assert_agenda(const struct meeting_state *st, const char *const *ids, int n)
{
    assert_int_equal(st->n_items, n);
    for (int i = 0; i < n; i++) {
        assert_string_equal(st->items[i].id, ids[i]);
        assert_int_equal(st->items[i].position, i + 1);
    }
}

/* ---- lifecycle ---- */

static void test_new_state_is_draft_and_refuses_bad_arguments(void **state)
{
    struct meeting_state *st = meeting_state_new("meet1", 15, "half_statutory");
    assert_non_null(st);
    assert_string_equal(st->status, "draft");
    assert_int_equal(st->seq, 0);
    assert_int_equal(st->required, 8);
    assert_false(st->has_quorum);
    meeting_state_free(st);
    assert_null(meeting_state_new("meet1", 15, "simple"));
    assert_null(meeting_state_new("meet1", -1, "half_statutory"));
    assert_null(meeting_state_new("an-id-far-too-long-for-the-buffer", 15, "half_statutory"));
    meeting_state_free(NULL);
    /* "none": no quorum needed, met with nobody. */
    st = meeting_state_new("meet1", 15, "none");
    assert_true(st->has_quorum);
    meeting_state_free(st);
}

static void test_add_person_updates_and_refuses_bad_fields(void **state)
{
    struct meeting_state *st = council(3);
    assert_int_equal(st->n_people, 3);
    assert_int_equal(
        meeting_state_add_person(st, "m02", "Nowe Nazwisko", "vice_chair", true, false, true), 0);
    assert_int_equal(st->n_people, 3);
    const struct ms_person *p = meeting_state_person(st, "m02");
    assert_string_equal(p->name, "Nowe Nazwisko");
    assert_string_equal(p->role, "vice_chair");
    assert_true(p->is_scrutiny);
    assert_null(meeting_state_person(st, "nobody"));
    assert_int_equal(meeting_state_add_person(st, "", "x", "member", true, false, false),
                     OBR_EINVAL);
    assert_int_equal(meeting_state_add_person(st, "x", NULL, "member", true, false, false),
                     OBR_EINVAL);
    assert_int_equal(
        meeting_state_add_person(st, "x", "x", "a-role-too-long-to-fit", true, false, false),
        OBR_EINVAL);
    meeting_state_free(st);
}

static void test_status_follows_convened_started_closed(void **state)
{
    struct meeting_state *st = council(3);
    FOLD(st, "meeting.created",
         "{\"body_id\":\"b1\",\"number\":\"XXVI\",\"title\":\"Sesja\",\"starts_at\":1,"
         "\"place\":\"Ratusz\",\"mode\":\"hybrid\",\"is_public\":true,\"broadcast_url\":null}");
    assert_string_equal(st->status, "draft");
    FOLD(st, "meeting.convened", "{\"invited\":3}");
    assert_string_equal(st->status, "convened");
    FOLD(st, "meeting.started", "{}");
    assert_string_equal(st->status, "in_progress");
    check_started(st, "c1");
    request_floor(st, "r1", 2, "normal");
    grant_floor(st, "r1", 2);
    request_floor(st, "r2", 3, "normal");
    FOLD(st, "meeting.closed", "{}");
    assert_string_equal(st->status, "closed");
    /* Closing ends what was live. */
    assert_false(st->is_check_open);
    assert_int_equal(st->n_queue, 0);
    assert_false(st->has_speaker);
    assert_int_equal(st->seq, 8);
    assert_string_equal(st->hash,
                        "0000000000000000000000000000000000000000000000000000000000000008");
    meeting_state_free(st);
}

/* ---- checks: every action in every status ---- */

enum { DRAFT, CONVENED, IN_PROGRESS, CLOSED, N_STATUS };

/* A meeting in the given status; when in progress with item i1, request r1
 * of m02 queued, the floor granted to m03 (r0), chat message c1 and no
 * attendance check open. */
static struct meeting_state *meeting_in(int status)
{
    struct meeting_state *st = council(5);
    add_item(st, "i1", 1, "Otwarcie", false);
    if (status >= CONVENED)
        FOLD(st, "meeting.convened", "{\"invited\":5}");
    if (status >= IN_PROGRESS) {
        FOLD(st, "meeting.started", "{}");
        request_floor(st, "r0", 3, "normal");
        grant_floor(st, "r0", 3);
        request_floor(st, "r1", 2, "normal");
        chat(st, "c1", "m02", "Dzień dobry", "all");
    }
    if (status == CLOSED)
        FOLD(st, "meeting.closed", "{}");
    return st;
}

static void test_every_action_in_every_status(void **state)
{
    static const struct {
        enum ms_action action;
        const char *actor, *arg;
        enum ms_refusal want[N_STATUS]; /* draft, convened, in progress, closed */
    } rows[] = {
        {MS_ACT_CONVENE, NULL, NULL, {MS_OK, MS_NOT_DRAFT, MS_NOT_DRAFT, MS_ALREADY_CLOSED}},
        {MS_ACT_EDIT_AGENDA, NULL, "i1", {MS_OK, MS_NOT_DRAFT, MS_NOT_DRAFT, MS_ALREADY_CLOSED}},
        {MS_ACT_AMEND_AGENDA,
         NULL,
         NULL,
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_START, NULL, NULL, {MS_OK, MS_OK, MS_NOT_CONVENED_OR_DRAFT, MS_ALREADY_CLOSED}},
        {MS_ACT_CLOSE,
         NULL,
         NULL,
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_ATTENDANCE_START,
         NULL,
         NULL,
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_ATTENDANCE_PRESENT,
         "m02",
         NULL,
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_NO_CHECK_OPEN, MS_ALREADY_CLOSED}},
        {MS_ACT_ATTENDANCE_END,
         NULL,
         NULL,
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_NO_CHECK_OPEN, MS_ALREADY_CLOSED}},
        {MS_ACT_PRESENCE,
         "m02",
         NULL,
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_CURRENT_ITEM,
         NULL,
         "i1",
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_FLOOR_REQUEST,
         "m04",
         NULL,
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_FLOOR_WITHDRAW,
         "m02",
         "r1",
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_FLOOR_GRANT,
         NULL,
         "r1",
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_FLOOR_END,
         NULL,
         "r0",
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_CHAT,
         "m02",
         NULL,
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_CHAT_HIDE,
         NULL,
         "c1",
         {MS_NOT_IN_PROGRESS, MS_NOT_IN_PROGRESS, MS_OK, MS_ALREADY_CLOSED}},
        {MS_ACT_EDIT_PARTICIPANTS, NULL, NULL, {MS_OK, MS_OK, MS_OK, MS_ALREADY_CLOSED}},
    };
    static const char *const names[N_STATUS] = {"draft", "convened", "in_progress", "closed"};
    for (int s = 0; s < N_STATUS; s++) {
        struct meeting_state *st = meeting_in(s);
        assert_string_equal(st->status, names[s]);
        for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
            enum ms_refusal got =
                meeting_state_check(st, rows[i].action, rows[i].actor, rows[i].arg);
            if (got != rows[i].want[s])
                fail_msg("action %d in %s: got %s, want %s", (int)rows[i].action, names[s],
                         ms_refusal_code(got), ms_refusal_code(rows[i].want[s]));
        }
        meeting_state_free(st);
    }
}

static void test_live_refusals_in_progress(void **state)
{
    struct meeting_state *st = meeting_in(IN_PROGRESS);
    assert_int_equal(
        meeting_state_add_person(st, "sec", "Protokolant", "secretary", false, false, false), 0);
    add_guest(st, "g1");

    check_started(st, "k1");
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_START, NULL, NULL),
                     MS_CHECK_ALREADY_OPEN);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_PRESENT, "m02", "k1"), MS_OK);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_PRESENT, "m02", NULL), MS_OK);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_PRESENT, "m02", "old"),
                     MS_NO_CHECK_OPEN);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_PRESENT, "g1", NULL), MS_OK);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_PRESENT, "stranger", NULL),
                     MS_NOT_PARTICIPANT);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_PRESENT, NULL, NULL),
                     MS_NOT_PARTICIPANT);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_PRESENT, "sec", NULL),
                     MS_NOT_MEMBER);
    present(st, "k1", 2);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_PRESENT, "m02", NULL),
                     MS_ALREADY_CHECKED_IN);
    assert_int_equal(meeting_state_check(st, MS_ACT_ATTENDANCE_END, NULL, NULL), MS_OK);

    assert_int_equal(meeting_state_check(st, MS_ACT_PRESENCE, "stranger", NULL),
                     MS_NOT_PARTICIPANT);
    assert_int_equal(meeting_state_check(st, MS_ACT_CURRENT_ITEM, NULL, "nope"), MS_UNKNOWN_ITEM);
    assert_int_equal(meeting_state_check(st, MS_ACT_CURRENT_ITEM, NULL, NULL), MS_UNKNOWN_ITEM);

    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_REQUEST, "m02", NULL), MS_ALREADY_QUEUED);
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_REQUEST, "stranger", NULL),
                     MS_NOT_PARTICIPANT);
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_REQUEST, "g1", NULL), MS_OK);
    /* Withdrawing checks the request only; whose it may be is a permission. */
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_WITHDRAW, "m04", "r1"), MS_OK);
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_WITHDRAW, NULL, "r1"), MS_OK);
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_WITHDRAW, "m02", "r9"), MS_NOT_QUEUED);
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_WITHDRAW, "m02", NULL), MS_NOT_QUEUED);
    /* Granting the floor to someone not in the queue. */
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_GRANT, NULL, "r9"), MS_NOT_QUEUED);
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_GRANT, NULL, "r0"), MS_NOT_QUEUED);
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_END, NULL, "r1"), MS_NO_SPEAKER);
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_END, NULL, NULL), MS_OK);
    FOLD(st, "floor.ended", "{\"request_id\":\"r0\"}");
    assert_int_equal(meeting_state_check(st, MS_ACT_FLOOR_END, NULL, NULL), MS_NO_SPEAKER);

    assert_int_equal(meeting_state_check(st, MS_ACT_CHAT, "stranger", NULL), MS_NOT_PARTICIPANT);
    assert_int_equal(meeting_state_check(st, MS_ACT_CHAT, NULL, NULL), MS_OK);
    assert_int_equal(meeting_state_check(st, MS_ACT_CHAT_HIDE, NULL, "c9"), MS_UNKNOWN_MESSAGE);
    meeting_state_free(st);
}

static void test_refusal_codes_are_stable_and_distinct(void **state)
{
    assert_string_equal(ms_refusal_code(MS_NOT_IN_PROGRESS), "meeting_not_in_progress");
    assert_string_equal(ms_refusal_code(MS_NOT_DRAFT), "meeting_not_draft");
    assert_string_equal(ms_refusal_code(MS_ALREADY_CHECKED_IN), "already_checked_in");
    for (int a = MS_OK; a <= MS_ALREADY_CHECKED_IN; a++) {
        const char *code = ms_refusal_code((enum ms_refusal)a);
        assert_true(strlen(code) > 0);
        assert_true(strspn(code, "abcdefghijklmnopqrstuvwxyz_") == strlen(code));
        assert_true(strlen(ms_refusal_message((enum ms_refusal)a)) > 0);
        for (int b = a + 1; b <= MS_ALREADY_CHECKED_IN; b++)
            assert_string_not_equal(code, ms_refusal_code((enum ms_refusal)b));
    }
    assert_string_equal(ms_refusal_code((enum ms_refusal)99), "unknown");
}

/* ---- attendance and quorum ---- */

static void test_quorum_appears_and_disappears_at_the_boundary(void **state)
{
    struct meeting_state *st = council_in_progress(15);
    assert_int_equal(st->required, 8);
    check_started(st, "k1");
    assert_true(st->is_check_open);
    assert_string_equal(st->check_id, "k1");
    assert_int_equal(st->check_ends_at_ms, 1700000120000LL);
    assert_int_equal(st->n_checks, 1);
    for (int i = 1; i <= 7; i++)
        present(st, "k1", i);
    assert_int_equal(st->present_count, 7);
    assert_false(st->has_quorum);
    present(st, "k1", 8);
    assert_int_equal(st->present_count, 8);
    assert_true(st->has_quorum);
    check_ended(st, "k1");
    assert_false(st->is_check_open);
    assert_int_equal(st->present_count, 8);
    assert_true(st->has_quorum);
    assert_false(meeting_state_person(st, "m09")->is_present);

    /* A member leaves and returns. */
    FOLD(st, "presence.changed", "{\"user_id\":\"m08\",\"is_present\":false}");
    assert_int_equal(st->present_count, 7);
    assert_false(st->has_quorum);
    FOLD(st, "presence.changed", "{\"user_id\":\"m08\",\"is_present\":true}");
    assert_true(st->has_quorum);

    /* A second check: presence holds until it ends, then only who checked in. */
    check_started(st, "k2");
    assert_int_equal(st->n_checks, 2);
    assert_false(meeting_state_person(st, "m01")->has_checked_in);
    assert_int_equal(st->present_count, 8);
    for (int i = 9; i <= 15; i++)
        present(st, "k2", i);
    assert_int_equal(st->present_count, 15);
    check_ended(st, "k2");
    assert_int_equal(st->present_count, 7);
    assert_false(st->has_quorum);
    assert_false(meeting_state_person(st, "m01")->is_present);
    assert_true(meeting_state_person(st, "m15")->is_present);
    meeting_state_free(st);
}

static void test_stale_attendance_events_change_nothing(void **state)
{
    struct meeting_state *st = council_in_progress(15);
    present(st, "k0", 1); /* no check open */
    check_started(st, "k1");
    present(st, "k0", 2); /* another check */
    FOLD(st, "attendance.present", "{\"check_id\":\"k1\",\"user_id\":\"stranger\"}");
    assert_int_equal(st->present_count, 0);
    check_ended(st, "k0"); /* not the open one */
    assert_true(st->is_check_open);
    meeting_state_free(st);
}

static void test_guests_never_count_for_quorum(void **state)
{
    struct meeting_state *st = council_in_progress(15);
    for (int g = 0; g < 10; g++) {
        char id[ID_SIZE];
        snprintf(id, sizeof id, "g%d", g);
        add_guest(st, id);
    }
    assert_int_equal(st->n_people, 25);
    const struct ms_person *g0 = meeting_state_person(st, "g0");
    assert_true(g0->is_guest);
    assert_false(g0->is_member);
    assert_string_equal(g0->role, "guest");
    check_started(st, "k1");
    for (int g = 0; g < 10; g++) {
        char id[ID_SIZE];
        snprintf(id, sizeof id, "g%d", g);
        FOLD(st, "attendance.present", "{\"check_id\":\"k1\",\"user_id\":\"%s\"}", id);
    }
    for (int i = 1; i <= 7; i++)
        present(st, "k1", i);
    check_ended(st, "k1");
    assert_int_equal(st->present_count, 7);
    assert_false(st->has_quorum);
    assert_true(meeting_state_person(st, "g3")->is_present);
    FOLD(st, "participant.removed", "{\"user_id\":\"g3\"}");
    assert_null(meeting_state_person(st, "g3"));
    assert_int_equal(st->n_people, 24);
    meeting_state_free(st);
}

static void test_participants_and_scrutiny(void **state)
{
    struct meeting_state *st = council(5);
    FOLD(st, "participant.added",
         "{\"user_id\":\"rev\",\"name\":\"Prof. Recenzent\",\"role\":\"guest\","
         "\"is_scrutiny\":true}");
    assert_true(meeting_state_person(st, "rev")->is_scrutiny);
    /* Adding a member as a participant does not make them a guest. */
    FOLD(st, "participant.added",
         "{\"user_id\":\"m02\",\"name\":\"Radny 2\",\"role\":\"guest\",\"is_scrutiny\":true}");
    assert_true(meeting_state_person(st, "m02")->is_member);
    assert_false(meeting_state_person(st, "m02")->is_guest);
    FOLD(st, "scrutiny.set", "{\"user_ids\":[\"m03\",\"m04\",\"unknown\"]}");
    assert_false(meeting_state_person(st, "rev")->is_scrutiny);
    assert_false(meeting_state_person(st, "m02")->is_scrutiny);
    assert_true(meeting_state_person(st, "m03")->is_scrutiny);
    assert_true(meeting_state_person(st, "m04")->is_scrutiny);
    FOLD(st, "scrutiny.set", "{\"user_ids\":[]}");
    assert_false(meeting_state_person(st, "m03")->is_scrutiny);
    meeting_state_free(st);
}

/* ---- agenda ---- */

static void test_agenda_order_positions_reorder_and_remove(void **state)
{
    struct meeting_state *st = council(3);
    add_item(st, "a", 1, "Otwarcie", false);
    add_item(st, "c", 2, "Sprawozdanie", false);
    add_item(st, "b", 2, "Przyjęcie porządku", false); /* between a and c */
    add_item(st, "z", 99, "Zamknięcie", false);        /* past the end: appended */
    add_item(st, "0", 0, "Hymn", false);               /* <= 1: first */
    assert_agenda(st, (const char *[]){"0", "a", "b", "c", "z"}, 5);
    add_item(st, "a", 3, "Duplicate", false); /* repeated id: ignored */
    assert_agenda(st, (const char *[]){"0", "a", "b", "c", "z"}, 5);

    FOLD(st, "agenda.item_updated",
         "{\"item_id\":\"b\",\"title\":\"Porządek\","
         "\"description\":\"Projekt w załączniku\"}");
    assert_string_equal(st->items[2].title, "Porządek");
    assert_string_equal(st->items[2].description, "Projekt w załączniku");

    FOLD(st, "agenda.reordered", "{\"order\":[\"z\",\"c\",\"nope\",\"a\"]}");
    assert_agenda(st, (const char *[]){"z", "c", "a", "0", "b"}, 5);

    FOLD(st, "meeting.convened", "{\"invited\":3}");
    FOLD(st, "meeting.started", "{}");
    FOLD(st, "item.current", "{\"item_id\":\"c\"}");
    assert_string_equal(st->current_item, "c");
    add_item(st, "am", 3, "Wniosek o zmianę porządku", true);
    assert_true(st->items[2].is_amendment);
    assert_agenda(st, (const char *[]){"z", "c", "am", "a", "0", "b"}, 6);
    FOLD(st, "agenda.item_removed", "{\"item_id\":\"c\"}");
    assert_agenda(st, (const char *[]){"z", "am", "a", "0", "b"}, 5);
    assert_string_equal(st->current_item, "");
    FOLD(st, "item.current", "{\"item_id\":null}");
    assert_string_equal(st->current_item, "");
    meeting_state_free(st);
}

/* ---- floor ---- */

static void test_queue_puts_formal_then_ad_vocem_before_normal(void **state)
{
    struct meeting_state *st = council_in_progress(10);
    request_floor(st, "n1", 1, "normal");
    request_floor(st, "n2", 2, "normal");
    request_floor(st, "v1", 3, "ad_vocem");
    assert_queue(st, (const char *[]){"v1", "n1", "n2"}, 3);
    request_floor(st, "f1", 4, "formal");
    assert_queue(st, (const char *[]){"f1", "v1", "n1", "n2"}, 4);
    request_floor(st, "v2", 5, "ad_vocem");
    request_floor(st, "f2", 6, "formal");
    request_floor(st, "n3", 7, "normal");
    assert_queue(st, (const char *[]){"f1", "f2", "v1", "v2", "n1", "n2", "n3"}, 7);
    assert_string_equal(st->queue[0].kind, "formal");
    assert_string_equal(st->queue[0].user_id, "m04");
    assert_string_equal(st->queue[0].name, "Radny 4");
    meeting_state_free(st);
}

static void test_floor_withdraw_grant_and_end(void **state)
{
    struct meeting_state *st = council_in_progress(10);
    request_floor(st, "r1", 1, "normal");
    request_floor(st, "r2", 2, "normal");
    request_floor(st, "r3", 3, "ad_vocem");
    FOLD(st, "floor.withdrawn", "{\"request_id\":\"r1\"}");
    assert_queue(st, (const char *[]){"r3", "r2"}, 2);
    grant_floor(st, "r3", 3);
    assert_true(st->has_speaker);
    assert_string_equal(st->speaker.request_id, "r3");
    assert_string_equal(st->speaker.kind, "ad_vocem");
    assert_int_equal(st->speaker.speaking_time_s, 300);
    assert_int_equal(st->speaker.ends_at_ms, 1700000300000LL);
    assert_queue(st, (const char *[]){"r2"}, 1);
    FOLD(st, "floor.ended", "{\"request_id\":\"other\"}"); /* not the speaker: nothing */
    assert_true(st->has_speaker);
    FOLD(st, "floor.ended", "{\"request_id\":\"r3\"}");
    assert_false(st->has_speaker);
    /* A removed participant's requests leave the queue. */
    add_guest(st, "g1");
    FOLD(st, "floor.requested",
         "{\"request_id\":\"rg\",\"user_id\":\"g1\",\"name\":\"Gość\",\"kind\":\"normal\"}");
    FOLD(st, "participant.removed", "{\"user_id\":\"g1\"}");
    assert_queue(st, (const char *[]){"r2"}, 1);
    meeting_state_free(st);
}

/* ---- chat and what each viewer sees ---- */

static json_t *chat_of(const struct meeting_state *st, int visibility, const char *viewer)
{
    json_t *j = meeting_state_to_json(st, visibility, viewer);
    assert_non_null(j);
    return j;
}

/* The message ids in the viewer's chat, joined by commas. */
static void chat_ids(const struct meeting_state *st, int visibility, const char *viewer, char *out,
                     size_t size)
{
    json_t *j = chat_of(st, visibility, viewer);
    json_t *c = json_object_get(j, "chat");
    out[0] = '\0';
    size_t i;
    json_t *m;
    json_array_foreach (c, i, m) {
        if (i)
            strncat(out, ",", size - strlen(out) - 1);
        strncat(out, json_string_value(json_object_get(m, "message_id")), size - strlen(out) - 1);
    }
    json_decref(j);
}

/* "To the chair" (issue 20, point 11): staff and the sender see it, tagged. */
static void test_chat_to_chair_is_for_staff_and_sender(void **state)
{
    struct meeting_state *st = council_in_progress(5);
    chat(st, "c1", "m02", "Pytanie do pani przewodniczącej", "chair");
    chat(st, "c2", "m03", "Dzień dobry", "all");
    assert_true(st->chat[0].is_to_chair);
    assert_false(st->chat[0].is_to_operator);
    char ids[200];
    chat_ids(st, EVENT_PARTICIPANTS, "m04", ids, sizeof ids);
    assert_string_equal(ids, "c2");
    chat_ids(st, EVENT_PARTICIPANTS, "m02", ids, sizeof ids);
    assert_string_equal(ids, "c1,c2");
    chat_ids(st, EVENT_STAFF, "chair", ids, sizeof ids);
    assert_string_equal(ids, "c1,c2");
    json_t *j = chat_of(st, EVENT_STAFF, NULL);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(j, "chat"), 0), "to")),
        "chair");
    json_decref(j);
    meeting_state_free(st);
    (void)state;
}

static void test_chat_visibility_per_viewer(void **state)
{
    struct meeting_state *st = council_in_progress(5);
    chat(st, "c1", "m02", "Dzień dobry", "all");
    chat(st, "c2", "m03", "Nie słyszę dźwięku", "operator");
    chat(st, "c3", "m04", "Reklama", "all");
    chat(st, "c4", "m02", "Mój mikrofon", "operator");
    FOLD(st, "chat.hidden", "{\"message_id\":\"c3\"}");
    assert_int_equal(st->n_chat, 4);
    assert_true(st->chat[2].is_hidden);
    assert_true(st->chat[1].is_to_operator);

    char ids[200];
    chat_ids(st, EVENT_PARTICIPANTS, "m05", ids, sizeof ids);
    assert_string_equal(ids, "c1");
    chat_ids(st, EVENT_PARTICIPANTS, NULL, ids, sizeof ids);
    assert_string_equal(ids, "c1");
    chat_ids(st, EVENT_PARTICIPANTS, "m03", ids, sizeof ids);
    assert_string_equal(ids, "c1,c2");
    chat_ids(st, EVENT_PARTICIPANTS, "m02", ids, sizeof ids);
    assert_string_equal(ids, "c1,c4");
    chat_ids(st, EVENT_PARTICIPANTS, "m04", ids, sizeof ids); /* own hidden message: hidden */
    assert_string_equal(ids, "c1");
    chat_ids(st, EVENT_STAFF, "op", ids, sizeof ids);
    assert_string_equal(ids, "c1,c2,c3,c4");

    json_t *j = chat_of(st, EVENT_STAFF, NULL);
    json_t *c3 = json_array_get(json_object_get(j, "chat"), 2);
    assert_true(json_is_true(json_object_get(c3, "is_hidden")));
    assert_string_equal(json_string_value(json_object_get(c3, "to")), "all");
    json_t *c2 = json_array_get(json_object_get(j, "chat"), 1);
    assert_string_equal(json_string_value(json_object_get(c2, "to")), "operator");
    assert_string_equal(json_string_value(json_object_get(c2, "text")), "Nie słyszę dźwięku");
    json_decref(j);
    j = chat_of(st, EVENT_PARTICIPANTS, "m02");
    assert_null(json_object_get(json_array_get(json_object_get(j, "chat"), 0), "is_hidden"));
    json_decref(j);
    /* The public view has no chat at all. */
    j = chat_of(st, EVENT_PUBLIC, NULL);
    assert_null(json_object_get(j, "chat"));
    json_decref(j);
    meeting_state_free(st);
}

static void test_chat_keeps_the_last_200(void **state)
{
    struct meeting_state *st = council_in_progress(3);
    for (int i = 0; i < 1000; i++) {
        char id[ID_SIZE], text[20];
        snprintf(id, sizeof id, "c%d", i);
        snprintf(text, sizeof text, "msg %d", i);
        chat(st, id, "m02", text, "all");
        assert_int_equal(st->n_chat, i < MS_CHAT_KEEP ? i + 1 : MS_CHAT_KEEP);
    }
    assert_string_equal(st->chat[0].message_id, "c800");
    assert_string_equal(st->chat[199].message_id, "c999");
    assert_string_equal(st->chat[199].text, "msg 999");
    assert_int_equal(meeting_state_check(st, MS_ACT_CHAT_HIDE, NULL, "c799"), MS_UNKNOWN_MESSAGE);
    assert_int_equal(meeting_state_check(st, MS_ACT_CHAT_HIDE, NULL, "c800"), MS_OK);
    FOLD(st, "chat.hidden", "{\"message_id\":\"c799\"}"); /* gone from the window: ignored */
    FOLD(st, "chat.hidden", "{\"message_id\":\"c950\"}");
    assert_true(st->chat[150].is_hidden);
    meeting_state_free(st);
}

static void test_json_snapshot_per_visibility(void **state)
{
    struct meeting_state *st = council_in_progress(3);
    add_guest(st, "g1");
    add_item(st, "i1", 1, "Otwarcie", true);
    FOLD(st, "item.current", "{\"item_id\":\"i1\"}");
    check_started(st, "k1");
    present(st, "k1", 1);
    present(st, "k1", 2);
    FOLD(st, "attendance.present", "{\"check_id\":\"k1\",\"user_id\":\"g1\"}");
    request_floor(st, "r1", 3, "formal");
    request_floor(st, "r2", 1, "normal");
    grant_floor(st, "r2", 1);

    json_t *pub = meeting_state_to_json(st, EVENT_PUBLIC, NULL);
    assert_non_null(pub);
    assert_string_equal(json_string_value(json_object_get(pub, "status")), "in_progress");
    assert_int_equal(json_integer_value(json_object_get(pub, "seq")), st->seq);
    assert_string_equal(json_string_value(json_object_get(pub, "current_item")), "i1");
    json_t *att = json_object_get(pub, "attendance");
    assert_true(json_is_true(json_object_get(att, "is_check_open")));
    assert_int_equal(json_integer_value(json_object_get(att, "ends_at")), 1700000120000LL);
    assert_int_equal(json_integer_value(json_object_get(att, "present_count")), 2);
    assert_int_equal(json_integer_value(json_object_get(att, "required")), 2);
    assert_true(json_is_true(json_object_get(att, "has_quorum")));
    assert_null(json_object_get(att, "present"));
    json_t *floor = json_object_get(pub, "floor");
    assert_null(json_object_get(floor, "queue"));
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(floor, "speaker"), "name")), "Radny 1");
    /* Public people: members only, name and presence only. */
    json_t *people = json_object_get(pub, "people");
    assert_int_equal(json_array_size(people), 3);
    json_t *p0 = json_array_get(people, 0);
    assert_int_equal(json_object_size(p0), 2);
    assert_string_equal(json_string_value(json_object_get(p0, "name")), "Radny 1");
    assert_true(json_is_true(json_object_get(p0, "is_present")));
    char *text = json_dumps(pub, JSON_COMPACT);
    assert_null(strstr(text, "@"));
    assert_null(strstr(text, "Gość"));
    free(text);
    json_decref(pub);

    json_t *mem = meeting_state_to_json(st, EVENT_PARTICIPANTS, "m02");
    att = json_object_get(mem, "attendance");
    assert_int_equal(json_array_size(json_object_get(att, "present")), 3); /* m01, m02, g1 */
    assert_int_equal(json_array_size(json_object_get(json_object_get(mem, "floor"), "queue")), 1);
    people = json_object_get(mem, "people");
    assert_int_equal(json_array_size(people), 4);
    json_t *g = json_array_get(people, 3);
    assert_string_equal(json_string_value(json_object_get(g, "user_id")), "g1");
    assert_true(json_is_true(json_object_get(g, "is_guest")));
    json_t *agenda = json_object_get(mem, "agenda");
    assert_int_equal(json_array_size(agenda), 1);
    assert_true(json_is_true(json_object_get(json_array_get(agenda, 0), "is_amendment")));
    json_decref(mem);
    meeting_state_free(st);
}

/* ---- refused events ---- */

static void test_seq_gap_or_repeat_is_einval(void **state)
{
    struct meeting_state *st = council(3);
    FOLD(st, "meeting.convened", "{\"invited\":3}");
    assert_int_equal(fold_at(st, 3, "meeting.started", "{}"), OBR_EINVAL);
    assert_int_equal(fold_at(st, 1, "meeting.started", "{}"), OBR_EINVAL);
    assert_int_equal(st->seq, 1);
    assert_string_equal(st->status, "convened");
    assert_int_equal(fold_at(st, 2, "meeting.started", "{}"), 0);
    meeting_state_free(st);
}

static void test_malformed_payload_is_ecorrupt_and_changes_nothing(void **state)
{
    static const struct {
        const char *type, *payload;
    } rows[] = {
        {"meeting.started", "not json"},
        {"meeting.started", "[]"},
        {"meeting.created", "\"text\""},
        {"meeting.convened", "{}"},
        {"meeting.convened", "{\"invited\":\"3\"}"},
        {"meeting.convened", "{\"invited\":1.5}"},
        {"meeting.convened", "{\"invited\":3,\"invited\":4}"},
        {"attendance.started", "{\"check_id\":\"k\",\"duration_s\":120}"},
        {"attendance.started", "{\"check_id\":\"\",\"duration_s\":120,\"ends_at\":1}"},
        {"attendance.started", "{\"check_id\":7,\"duration_s\":120,\"ends_at\":1}"},
        {"attendance.started",
         "{\"check_id\":\"an-id-far-too-long-for-it\",\"duration_s\":120,\"ends_at\":1}"},
        {"attendance.present", "{\"check_id\":\"k\"}"},
        {"attendance.ended", "{\"check_id\":\"k\",\"present\":{},\"present_count\":0,"
                             "\"required\":8,\"has_quorum\":false}"},
        {"attendance.ended", "{\"check_id\":\"k\",\"present\":[\"m01\"],\"present_count\":0,"
                             "\"required\":8,\"has_quorum\":false}"},
        {"attendance.ended", "{\"check_id\":\"k\",\"present\":[],\"present_count\":0,"
                             "\"required\":8,\"has_quorum\":0}"},
        {"presence.changed", "{\"user_id\":\"m01\",\"is_present\":1}"},
        {"agenda.item_added", "{\"item_id\":\"i\",\"title\":\"T\",\"is_amendment\":false}"},
        {"agenda.item_added", "{\"item_id\":\"i\",\"position\":1,\"title\":\"T\",\"description\":5,"
                              "\"is_amendment\":false}"},
        {"agenda.item_added", "{\"item_id\":\"i\",\"position\":99999999999,\"title\":\"T\","
                              "\"is_amendment\":false}"},
        {"agenda.reordered", "{\"order\":[\"a\",3]}"},
        {"agenda.item_removed", "{}"},
        {"item.current", "{\"item_id\":3}"},
        {"participant.added", "{\"user_id\":\"g\",\"name\":\"G\",\"is_scrutiny\":false}"},
        {"scrutiny.set", "{\"user_ids\":\"m01\"}"},
        {"floor.requested",
         "{\"request_id\":\"r\",\"user_id\":\"m01\",\"name\":\"N\",\"kind\":\"urgent\"}"},
        {"floor.granted", "{\"request_id\":\"r\",\"user_id\":\"m01\",\"name\":\"N\"}"},
        {"floor.ended", "{\"request\":\"r\"}"},
        {"chat.message", "{\"message_id\":\"c\",\"user_id\":\"m01\",\"name\":\"N\","
                         "\"text\":\"hi\",\"to\":\"everyone\"}"},
        {"chat.message", "{\"message_id\":\"c\",\"user_id\":\"m01\",\"name\":\"N\","
                         "\"text\":\"a\\u0000b\",\"to\":\"all\"}"},
        {"chat.hidden", "{\"message_id\":null}"},
    };
    struct meeting_state *st = council_in_progress(15);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int rc = fold_at(st, st->seq + 1, rows[i].type, "%s", rows[i].payload);
        if (rc != OBR_ECORRUPT)
            fail_msg("%s %s: got %d, want OBR_ECORRUPT", rows[i].type, rows[i].payload, rc);
        assert_int_equal(st->seq, 2);
        assert_string_equal(st->status, "in_progress");
    }
    /* The API limits chat to 2000 characters; in Polish that is up to 4000
     * bytes here, and the fold takes it whole. */
    char *text = malloc(2 * 2000 + 1);
    for (int i = 0; i < 2000; i++)
        memcpy(text + 2 * i, "\xc5\x82", 2); /* ł */
    text[4000] = '\0';
    assert_int_equal(fold_at(st, 3, "chat.message",
                             "{\"message_id\":\"c\",\"user_id\":\"m01\",\"name\":\"N\","
                             "\"text\":\"%s\",\"to\":\"all\"}",
                             text),
                     0);
    assert_string_equal(st->chat[0].text, text);
    free(text);
    assert_int_equal(st->n_chat, 1);
    assert_int_equal(st->n_people, 15);
    assert_int_equal(st->n_items, 0);
    assert_int_equal(st->n_queue, 0);
    assert_false(st->is_check_open);
    meeting_state_free(st);
}

static void test_unknown_types_are_ignored_but_seq_advances(void **state)
{
    struct meeting_state *st = council_in_progress(3);
    FOLD(st, "vote.opened", "{\"vote_id\":\"v1\",\"anything\":[1,2,3]}");
    FOLD(st, "vote.something_else", "not even json");
    assert_int_equal(st->seq, 4);
    assert_string_equal(st->status, "in_progress");
    FOLD(st, "document.added",
         "{\"document_id\":\"d\",\"item_id\":null,\"filename\":\"a.pdf\","
         "\"content_type\":\"application/pdf\",\"size_bytes\":10,\"sha256\":\"00\","
         "\"is_draft_resolution\":false}");
    assert_int_equal(st->seq, 5);
    meeting_state_free(st);
}

/* ---- clones ---- */

/* A clone shares the agenda and the chat with its source until either side
 * changes them (copy on write); a ballot (vote.*) shares everything; each
 * side keeps exactly its own value, whichever is freed first (ASan). */
static void test_clone_shares_agenda_and_chat_until_changed(void **state)
{
    struct meeting_state *st = council_in_progress(5);
    add_item(st, "a", 1, "Budżet", false);
    add_item(st, "b", 2, "Wolne wnioski", false);
    chat(st, "c1", "m02", "Dzień dobry", "all");
    struct meeting_state *copy = meeting_state_clone(st);
    assert_non_null(copy);
    assert_ptr_equal(copy->items, st->items);
    assert_ptr_equal(copy->chat, st->chat);
    assert_ptr_equal(copy->people, st->people);
    FOLD(copy, "vote.ballot", "{\"vote_id\":\"v1\"}");
    assert_ptr_equal(copy->items, st->items);
    assert_ptr_equal(copy->chat, st->chat);
    assert_ptr_equal(copy->people, st->people);

    chat(copy, "c2", "m03", "Wniosek", "all");
    assert_ptr_not_equal(copy->chat, st->chat);
    assert_ptr_equal(copy->items, st->items);
    assert_int_equal(copy->n_chat, 2);
    assert_int_equal(st->n_chat, 1);
    assert_string_equal(copy->chat[0].text, "Dzień dobry");
    assert_ptr_not_equal(copy->chat[0].text, st->chat[0].text);

    FOLD(st, "agenda.item_updated", "{\"item_id\":\"a\",\"title\":\"Budżet 2027\","
                                    "\"description\":\"Projekt\"}");
    assert_ptr_not_equal(copy->items, st->items);
    assert_string_equal(st->items[0].title, "Budżet 2027");
    assert_string_equal(st->items[0].description, "Projekt");
    assert_string_equal(copy->items[0].title, "Budżet");
    assert_string_equal(copy->items[0].description, "");
    FOLD(st, "chat.hidden", "{\"message_id\":\"c1\"}");
    assert_true(st->chat[0].is_hidden);
    assert_false(copy->chat[0].is_hidden);
    meeting_state_free(st);
    assert_string_equal(copy->items[1].title, "Wolne wnioski");
    assert_string_equal(copy->chat[1].text, "Wniosek");
    meeting_state_free(copy);
}

/* ---- a long meeting ---- */

static void test_fold_of_100000_mixed_events(void **state)
{
    enum { N = 100000 };
    struct meeting_state *st = council_in_progress(31);
    /* Prepare every event first so the timing covers the fold only. */
    struct event **evs = calloc(N, sizeof *evs);
    assert_non_null(evs);
    int64_t seq = st->seq;
    int check = 0, req = 0;
    for (int i = 0; i < N; i++) {
        char p[512];
        int m = i % 31 + 1;
        const char *type;
        switch (i % 10) {
        case 0:
            type = "attendance.started";
            snprintf(p, sizeof p, "{\"check_id\":\"k%d\",\"duration_s\":120,\"ends_at\":%d}",
                     ++check, i);
            break;
        case 1:
        case 2:
            type = "attendance.present";
            snprintf(p, sizeof p, "{\"check_id\":\"k%d\",\"user_id\":\"m%02d\"}", check, m);
            break;
        case 3:
            type = "attendance.ended";
            snprintf(p, sizeof p,
                     "{\"check_id\":\"k%d\",\"present\":[{\"user_id\":\"m01\",\"name\":\"R\"}],"
                     "\"present_count\":1,\"required\":16,\"has_quorum\":false}",
                     check);
            break;
        case 4:
            type = "chat.message";
            snprintf(p, sizeof p,
                     "{\"message_id\":\"c%d\",\"user_id\":\"m%02d\",\"name\":\"Radny\","
                     "\"text\":\"Wiadomość numer %d\",\"to\":\"%s\"}",
                     i, m, i, i % 3 ? "all" : "operator");
            break;
        case 5:
            type = "floor.requested";
            snprintf(p, sizeof p,
                     "{\"request_id\":\"r%d\",\"user_id\":\"m%02d\",\"name\":\"Radny\","
                     "\"kind\":\"%s\"}",
                     ++req, m,
                     i % 3 == 0   ? "formal"
                     : i % 3 == 1 ? "ad_vocem"
                                  : "normal");
            break;
        case 6:
            type = "floor.granted";
            snprintf(p, sizeof p,
                     "{\"request_id\":\"r%d\",\"user_id\":\"m%02d\",\"name\":\"Radny\","
                     "\"speaking_time_s\":180,\"ends_at\":%d}",
                     req, m, i);
            break;
        case 7:
            type = "floor.ended";
            snprintf(p, sizeof p, "{\"request_id\":\"r%d\"}", req);
            break;
        case 8:
            type = "presence.changed";
            snprintf(p, sizeof p, "{\"user_id\":\"m%02d\",\"is_present\":%s}", m,
                     i % 4 ? "true" : "false");
            break;
        default:
            type = "vote.future_event";
            snprintf(p, sizeof p, "{\"n\":%d}", i);
            break;
        }
        evs[i] = event_new(st->meeting_id, ++seq, i, "m01", type, p, EVENT_PARTICIPANTS, "", "");
        assert_non_null(evs[i]);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < N; i++)
        if (meeting_state_apply(st, evs[i]) != 0)
            fail_msg("event %d (%s) refused", i, evs[i]->type);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("folded %d events in %.1f ms\n", N, ms);
    assert_int_equal(st->seq, seq);
    assert_int_equal(st->n_checks, N / 10);
    assert_int_equal(st->n_chat, MS_CHAT_KEEP);
    assert_int_equal(st->n_queue, 0);
    for (int i = 0; i < N; i++)
        event_unref(evs[i]);
    free(evs);
    meeting_state_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_state_is_draft_and_refuses_bad_arguments),
        cmocka_unit_test(test_add_person_updates_and_refuses_bad_fields),
        cmocka_unit_test(test_status_follows_convened_started_closed),
        cmocka_unit_test(test_every_action_in_every_status),
        cmocka_unit_test(test_live_refusals_in_progress),
        cmocka_unit_test(test_refusal_codes_are_stable_and_distinct),
        cmocka_unit_test(test_quorum_appears_and_disappears_at_the_boundary),
        cmocka_unit_test(test_stale_attendance_events_change_nothing),
        cmocka_unit_test(test_guests_never_count_for_quorum),
        cmocka_unit_test(test_participants_and_scrutiny),
        cmocka_unit_test(test_agenda_order_positions_reorder_and_remove),
        cmocka_unit_test(test_queue_puts_formal_then_ad_vocem_before_normal),
        cmocka_unit_test(test_floor_withdraw_grant_and_end),
        cmocka_unit_test(test_chat_visibility_per_viewer),
        cmocka_unit_test(test_chat_to_chair_is_for_staff_and_sender),
        cmocka_unit_test(test_chat_keeps_the_last_200),
        cmocka_unit_test(test_json_snapshot_per_visibility),
        cmocka_unit_test(test_seq_gap_or_repeat_is_einval),
        cmocka_unit_test(test_malformed_payload_is_ecorrupt_and_changes_nothing),
        cmocka_unit_test(test_unknown_types_are_ignored_but_seq_advances),
        cmocka_unit_test(test_clone_shares_agenda_and_chat_until_changed),
        cmocka_unit_test(test_fold_of_100000_mixed_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
