/* test_meeting_state_index.c — the people index of a meeting state
 * (meeting_state_index_people): lookups through it agree with a scan for
 * every person and for strangers, name_rank orders names as
 * pl_compare_names does (equal names share a rank), a clone shares people
 * and index until either side changes its people (copy on write), and any change to the people (added, renamed, removed)
 * drops the index so lookups stay right until the loader indexes again. */
#include "testutil.h"

#include "core/meeting_state.h"
#include "core/pl_collate.h"
#include "log/event.h"
#include "util/err.h"

static const char *const NAMES[] = {"Łukasz Źdźbło", "Anna Zając", "Ewa Łoś",    "Adam Nowak",
                                    "Żaneta Ćwik",   "Ola Lis",    "Anna Zając", "Bartosz Śliwa",
                                    "Celina Cis",    "Dawid Ćma"};
#define N_PEOPLE 300

static struct meeting_state *people(void)
{
    struct meeting_state *st = meeting_state_new("meet1", N_PEOPLE, "half_statutory");
    assert_non_null(st);
    for (int i = 0; i < N_PEOPLE; i++) {
        char id[ID_SIZE], name[64];
        snprintf(id, sizeof id, "u%04d", i);
        snprintf(name, sizeof name, "%s", NAMES[i % 10]);
        if (i >= 10)
            snprintf(name, sizeof name, "%s %d", NAMES[i % 10], i);
        assert_int_equal(meeting_state_add_person(st, id, name, "member", true, false, false), 0);
    }
    return st;
}

/* Every person found at their own slot, strangers not at all, and the ranks
 * in the collation's order. */
static void check_index(const struct meeting_state *st)
{
    for (int i = 0; i < st->n_people; i++)
        assert_ptr_equal(meeting_state_person(st, st->people[i].user_id), &st->people[i]);
    assert_null(meeting_state_person(st, "nobody"));
    assert_null(meeting_state_person(st, "u9999"));
    if (!st->is_people_indexed)
        return;
    for (int i = 0; i < st->n_people; i++)
        for (int j = 0; j < st->n_people; j += 7) {
            int c = pl_compare_names(st->people[i].name, st->people[j].name);
            int r = st->people[i].name_rank - st->people[j].name_rank;
            assert_true((c < 0 && r < 0) || (c > 0 && r > 0) || (c == 0 && r == 0));
        }
}

static int fold(struct meeting_state *st, const char *type, const char *payload)
{
    char hash[65];
    snprintf(hash, sizeof hash, "%064llx", (unsigned long long)st->seq + 1);
    struct event *ev = event_new(st->meeting_id, st->seq + 1, 1700000000000, "actor", type, payload,
                                 EVENT_PUBLIC, "", hash);
    assert_non_null(ev);
    int rc = meeting_state_apply(st, ev);
    event_unref(ev);
    return rc;
}

static void test_index_agrees_with_scan_and_collation(void **state)
{
    struct meeting_state *st = people();
    assert_false(st->is_people_indexed);
    check_index(st); /* scanning */
    assert_int_equal(meeting_state_index_people(st), 0);
    assert_true(st->is_people_indexed);
    check_index(st);
    /* The two "Anna Zając" share a rank; "Adam Nowak" comes before both. */
    assert_int_equal(st->people[1].name_rank, st->people[6].name_rank);
    assert_true(st->people[3].name_rank < st->people[1].name_rank);
    meeting_state_free(st);
}

static void test_clone_keeps_its_own_index(void **state)
{
    struct meeting_state *st = people();
    assert_int_equal(meeting_state_index_people(st), 0);
    struct meeting_state *copy = meeting_state_clone(st);
    assert_non_null(copy);
    assert_true(copy->is_people_indexed);
    /* Shared, not copied (copy on write): a clone for a ballot copies no person. */
    assert_ptr_equal(copy->people, st->people);
    assert_ptr_equal(copy->people_idx, st->people_idx);
    meeting_state_free(st); /* the copy must not lean on the original (ASan) */
    check_index(copy);
    meeting_state_free(copy);
}

/* Copy on write: whichever side changes its people first takes its own copy;
 * the other keeps exactly what it had, index and ranks included. */
static void test_people_change_in_a_clone_leaves_the_original(void **state)
{
    struct meeting_state *st = people();
    assert_int_equal(fold(st, "meeting.started", "{}"), 0);
    assert_int_equal(meeting_state_index_people(st), 0);
    size_t bytes = (size_t)st->n_people * sizeof st->people[0];
    struct ms_person *before = malloc(bytes);
    assert_non_null(before);
    memcpy(before, st->people, bytes);

    struct meeting_state *copy = meeting_state_clone(st);
    assert_non_null(copy);
    /* An event that leaves people alone keeps them shared. */
    assert_int_equal(fold(copy, "vote.ballot", "{\"vote_id\":\"v1\"}"), 0);
    assert_ptr_equal(copy->people, st->people);
    /* One that changes a person gives the clone its own people. */
    assert_int_equal(fold(copy, "presence.changed", "{\"user_id\":\"u0007\",\"is_present\":true}"),
                     0);
    assert_ptr_not_equal(copy->people, st->people);
    assert_ptr_not_equal(copy->people_idx, st->people_idx);
    assert_true(meeting_state_person(copy, "u0007")->is_present);
    assert_int_equal(copy->present_count, 1);
    assert_false(meeting_state_person(st, "u0007")->is_present);
    assert_int_equal(st->present_count, 0);
    assert_memory_equal(st->people, before, bytes);
    check_index(copy);
    check_index(st);

    /* The original changing first: the clone keeps the old people. */
    struct meeting_state *copy2 = meeting_state_clone(st);
    assert_non_null(copy2);
    assert_int_equal(meeting_state_add_person(st, "late", "Aaron Aa", "member", true, false, false),
                     0);
    assert_ptr_not_equal(copy2->people, st->people);
    assert_null(meeting_state_person(copy2, "late"));
    assert_int_equal(copy2->n_people, N_PEOPLE);
    assert_memory_equal(copy2->people, before, bytes);
    meeting_state_free(st);
    check_index(copy2);
    meeting_state_free(copy2);
    meeting_state_free(copy);
    free(before);
}

static void test_changes_drop_the_index_and_lookups_stay_right(void **state)
{
    struct meeting_state *st = people();
    assert_int_equal(meeting_state_index_people(st), 0);
    /* A new person: not in the old index, yet found. */
    assert_int_equal(meeting_state_add_person(st, "late", "Aaron Aa", "member", true, false, false),
                     0);
    assert_false(st->is_people_indexed);
    check_index(st);
    assert_non_null(meeting_state_person(st, "late"));
    assert_int_equal(meeting_state_index_people(st), 0);
    /* Its rank counts exactly the names collated before it. */
    int before = 0;
    for (int i = 0; i < st->n_people; i++)
        before += pl_compare_names(st->people[i].name, "Aaron Aa") < 0;
    assert_int_equal(meeting_state_person(st, "late")->name_rank, before);
    /* A guest added then removed by events: every index moves. */
    assert_int_equal(
        fold(st, "participant.added",
             "{\"user_id\":\"g1\",\"name\":\"Gość\",\"role\":\"guest\",\"is_scrutiny\":false}"),
        0);
    assert_int_equal(meeting_state_index_people(st), 0);
    assert_int_equal(fold(st, "participant.removed", "{\"user_id\":\"u0000\"}"), 0);
    assert_false(st->is_people_indexed);
    assert_null(meeting_state_person(st, "u0000"));
    check_index(st);
    assert_int_equal(meeting_state_index_people(st), 0);
    assert_null(meeting_state_person(st, "u0000"));
    check_index(st);
    meeting_state_free(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_agrees_with_scan_and_collation),
        cmocka_unit_test(test_clone_keeps_its_own_index),
        cmocka_unit_test(test_people_change_in_a_clone_leaves_the_original),
        cmocka_unit_test(test_changes_drop_the_index_and_lookups_stay_right),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
