/* test_votes_repo.c — the votes store (votes.h) against a migrated SQLite
 * file: create and read, the draft -> open -> closed transitions (a second
 * open or close changes nothing), ballots idempotent by id, and the counted
 * ballot being each voter's last. */
#include "testutil.h"

#include "store/db.h"
#include "store/json_col_cache.h"
#include "store/meetings.h"
#include "store/votes.h"

struct fx {
    char *dir;
    struct db *db;
    struct meeting m;
};

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->dir = testutil_tmpdir();
    fx->db = testutil_open_db(fx->dir, false);
    struct org org = {.retention_days = 92};
    snprintf(org.name, sizeof org.name, "Uniwersytet");
    snprintf(org.time_zone, sizeof org.time_zone, "Europe/Warsaw");
    snprintf(org.default_lang, sizeof org.default_lang, "pl");
    assert_int_equal(orgs_create(fx->db, &org), 0);
    struct body b = {.statutory_size = 3, .vote_duration_s = 600};
    snprintf(b.org_id, sizeof b.org_id, "%s", org.id);
    snprintf(b.name, sizeof b.name, "Senat");
    snprintf(b.kind, sizeof b.kind, "senate");
    snprintf(b.quorum_rule, sizeof b.quorum_rule, "half_statutory");
    assert_int_equal(bodies_create(fx->db, &b), 0);
    snprintf(fx->m.body_id, sizeof fx->m.body_id, "%s", b.id);
    snprintf(fx->m.title, sizeof fx->m.title, "Posiedzenie");
    snprintf(fx->m.mode, sizeof fx->m.mode, "hybrid");
    fx->m.starts_at_ms = 1900000000000;
    fx->m.reminder_days = 7;
    assert_int_equal(meetings_create(fx->db, &fx->m), 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    db_close(fx->db);
    testutil_rmdir(fx->dir);
    free(fx);
    return 0;
}

static void make_vote(struct fx *fx, struct vote *v)
{
    memset(v, 0, sizeof *v);
    snprintf(v->meeting_id, sizeof v->meeting_id, "%s", fx->m.id);
    snprintf(v->title, sizeof v->title, "Uchwała");
    snprintf(v->motion, sizeof v->motion, "Senat uchwala.");
    snprintf(v->kind, sizeof v->kind, "open");
    snprintf(v->method, sizeof v->method, "yes_no_abstain");
    snprintf(v->majority, sizeof v->majority, "absolute");
    v->duration_s = 60;
    assert_int_equal(votes_create(fx->db, v), 0);
}

static void test_create_get(void **state)
{
    struct fx *fx = *state;
    struct vote v, got;
    make_vote(fx, &v);
    assert_int_equal(votes_get(fx->db, v.id, &got), 0);
    assert_string_equal(got.title, "Uchwała");
    assert_string_equal(got.motion, "Senat uchwala.");
    assert_string_equal(got.status, "draft");
    assert_string_equal(got.majority, "absolute");
    assert_string_equal(got.item_id, "");
    assert_string_equal(got.repeat_of, "");
    assert_int_equal(got.duration_s, 60);
    assert_false(got.allow_change);
    assert_null(got.eligible);
    assert_null(got.result);
    assert_int_equal(got.opened_ms, 0);
    vote_clear(&got);
    assert_int_equal(votes_get(fx->db, "nosuchvote0000000000", &got), OBR_ENOTFOUND);

    struct vote r;
    make_vote(fx, &r);
    json_t *list = votes_list_json(fx->db, fx->m.id);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
}

static void test_open_close_once(void **state)
{
    struct fx *fx = *state;
    struct vote v, got;
    make_vote(fx, &v);
    json_t *el = json_pack("[s, s]", "u1", "u2");
    assert_int_equal(votes_close(fx->db, v.id, 5, el), OBR_ECONFLICT); /* a draft */
    assert_int_equal(votes_open(fx->db, v.id, 1000, 61000, el, 2, 2), 0);
    assert_int_equal(votes_open(fx->db, v.id, 2000, 62000, el, 1, 2), OBR_ECONFLICT);
    assert_int_equal(votes_get(fx->db, v.id, &got), 0);
    assert_string_equal(got.status, "open");
    assert_int_equal(got.opened_ms, 1000);
    assert_int_equal(got.deadline_ms, 61000);
    assert_int_equal(got.present_at_open, 2);
    assert_true(json_equal(got.eligible, el));
    vote_clear(&got);
    json_t *res = json_pack("{s:i, s:s}", "yes", 2, "outcome", "adopted");
    assert_int_equal(votes_close(fx->db, v.id, 3000, res), 0);
    assert_int_equal(votes_close(fx->db, v.id, 4000, res), OBR_ECONFLICT);
    assert_int_equal(votes_get(fx->db, v.id, &got), 0);
    assert_string_equal(got.status, "closed");
    assert_int_equal(got.closed_ms, 3000);
    assert_true(json_equal(got.result, res));
    vote_clear(&got);
    json_decref(el);
    json_decref(res);
}

static void test_ballots_last_counts(void **state)
{
    struct fx *fx = *state;
    struct vote v;
    make_vote(fx, &v);
    char who[ID_SIZE], choice[BALLOT_CHOICE_SIZE];
    assert_int_equal(ballots_last_of(fx->db, v.id, "u1", choice), OBR_ENOTFOUND);
    assert_int_equal(ballots_add(fx->db, v.id, "b-1-aaaa", "u1", "yes", 10), 0);
    assert_int_equal(ballots_add(fx->db, v.id, "b-1-aaaa", "u1", "yes", 11), OBR_EEXISTS);
    assert_int_equal(ballots_add(fx->db, v.id, "b-2-aaaa", "u2", "no", 12), 0);
    assert_int_equal(ballots_add(fx->db, v.id, "b-3-aaaa", "u1", "abstain", 13), 0);
    assert_int_equal(ballots_get(fx->db, v.id, "b-1-aaaa", who, choice), 0);
    assert_string_equal(who, "u1");
    assert_string_equal(choice, "yes");
    assert_int_equal(ballots_get(fx->db, v.id, "nope-aaaa", who, choice), OBR_ENOTFOUND);
    assert_int_equal(ballots_last_of(fx->db, v.id, "u1", choice), 0);
    assert_string_equal(choice, "abstain");
    json_t *counted = ballots_counted_json(fx->db, v.id);
    assert_int_equal(json_object_size(counted), 2);
    assert_string_equal(json_string_value(json_object_get(counted, "u1")), "abstain");
    assert_string_equal(json_string_value(json_object_get(counted, "u2")), "no");
    json_decref(counted);
    /* The last by cast time counts, as before ballots_current: a ballot
     * stamped earlier (the clock stepped back) does not replace it, one
     * stamped at the same millisecond does (it came later). */
    assert_int_equal(ballots_add(fx->db, v.id, "b-4-aaaa", "u1", "no", 12), 0);
    assert_int_equal(ballots_last_of(fx->db, v.id, "u1", choice), 0);
    assert_string_equal(choice, "abstain");
    assert_int_equal(ballots_add(fx->db, v.id, "b-5-aaaa", "u1", "yes", 13), 0);
    assert_int_equal(ballots_last_of(fx->db, v.id, "u1", choice), 0);
    assert_string_equal(choice, "yes");
    counted = ballots_counted_json(fx->db, v.id);
    assert_string_equal(json_string_value(json_object_get(counted, "u1")), "yes");
    json_decref(counted);
    /* The counted ballot and whether the chair entered it, in one lookup. */
    bool by_hand = true;
    assert_int_equal(ballots_counted_of(fx->db, v.id, "u1", choice, &by_hand), 0);
    assert_string_equal(choice, "yes");
    assert_false(by_hand);
    assert_int_equal(ballots_counted_of(fx->db, v.id, "u9", choice, &by_hand), OBR_ENOTFOUND);
    assert_int_equal(ballots_add(fx->db, v.id, "b-6-aaaa", "u2", "abstain", 14), 0);
    assert_int_equal(hand_ballots_add(fx->db, v.id, "b-6-aaaa", "u2", "chair", "Chair", "", 14), 0);
    assert_int_equal(ballots_counted_of(fx->db, v.id, "u2", choice, &by_hand), 0);
    assert_string_equal(choice, "abstain");
    assert_true(by_hand);
}

/* The eligible list is parsed once per stored text: two reads share one
 * value, and a changed text (same row id) is parsed afresh, never served
 * from the old entry. */
static void test_eligible_parsed_once(void **state)
{
    struct fx *fx = *state;
    struct vote v, a, b;
    make_vote(fx, &v);
    json_t *el = json_pack("[s, s, s]", "u1", "u2", "u3");
    assert_int_equal(votes_open(fx->db, v.id, 1000, 61000, el, 3, 2), 0);
    assert_int_equal(votes_get(fx->db, v.id, &a), 0);
    assert_int_equal(votes_get(fx->db, v.id, &b), 0);
    assert_ptr_equal(a.eligible, b.eligible);
    assert_true(json_equal(a.eligible, el));
    vote_clear(&a);
    vote_clear(&b);
    json_decref(el);
    json_t *x = json_col_cache_get("row-1", "[\"a\"]");
    json_t *y = json_col_cache_get("row-1", "[\"a\",\"b\"]");
    json_t *z = json_col_cache_get("row-1", "[\"a\",\"b\"]");
    assert_int_equal(json_array_size(x), 1);
    assert_int_equal(json_array_size(y), 2);
    assert_ptr_not_equal(x, y);
    assert_ptr_equal(y, z);
    assert_null(json_col_cache_get("row-2", "[not json"));
    assert_null(json_col_cache_get("row-2", NULL));
    json_decref(x);
    json_decref(y);
    json_decref(z);
    json_col_cache_reset();
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_create_get),
        T(test_open_close_once),
        T(test_ballots_last_counts),
        T(test_eligible_parsed_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
