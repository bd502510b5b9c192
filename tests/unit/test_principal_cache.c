/* test_principal_cache.c — the in-memory sessions, meetings, roles and vote
 * heads (api/principal_cache.h): an answer is given back only under the
 * generation it was kept at, a newer put replaces an older one, a touch
 * moves last_seen_ms only forward, vote heads hold under any generation,
 * and many threads putting and getting at once see only whole values. */
#include "testutil.h"

#include <pthread.h>

#include "api/principal_cache.h"

static void session_of(int i, struct session *s, struct user *u)
{
    memset(s, 0, sizeof *s);
    memset(u, 0, sizeof *u);
    snprintf(s->id, sizeof s->id, "s%d", i);
    snprintf(s->user_id, sizeof s->user_id, "u%d", i);
    snprintf(u->id, sizeof u->id, "u%d", i);
    snprintf(u->name, sizeof u->name, "Person %d", i);
    s->last_seen_ms = 1000 + i;
    s->expires_ms = 9000 + i;
}

static void test_sessions_only_under_their_generation(void **state)
{
    pcache_reset();
    struct session s, got;
    struct user u, gu;
    session_of(1, &s, &u);
    assert_false(pcache_session_get("hash1", 5, &got, &gu));
    pcache_session_put("hash1", 5, &s, &u);
    assert_true(pcache_session_get("hash1", 5, &got, &gu));
    assert_string_equal(got.id, "s1");
    assert_string_equal(gu.name, "Person 1");
    /* Any other generation (a logout, a role change) is a miss. */
    assert_false(pcache_session_get("hash1", 6, &got, &gu));
    assert_false(pcache_session_get("hash1", 4, &got, &gu));
    assert_false(pcache_session_get("hash2", 5, &got, &gu));
    /* Read again at 6: replaced. */
    snprintf(u.name, sizeof u.name, "Renamed");
    pcache_session_put("hash1", 6, &s, &u);
    assert_false(pcache_session_get("hash1", 5, &got, &gu));
    assert_true(pcache_session_get("hash1", 6, &got, &gu));
    assert_string_equal(gu.name, "Renamed");
    /* A touch moves last_seen_ms forward only. */
    pcache_session_touched("hash1", 5000);
    pcache_session_touched("hash1", 3000);
    assert_true(pcache_session_get("hash1", 6, &got, &gu));
    assert_int_equal(got.last_seen_ms, 5000);
    pcache_reset();
    assert_false(pcache_session_get("hash1", 6, &got, &gu));
}

static void test_meetings_facts_and_vote_heads(void **state)
{
    pcache_reset();
    struct meeting m = {0}, gm;
    struct body b = {0}, gb;
    snprintf(m.id, sizeof m.id, "meet1");
    snprintf(m.title, sizeof m.title, "Sesja");
    snprintf(b.id, sizeof b.id, "body1");
    pcache_meeting_put(3, &m, &b);
    assert_true(pcache_meeting_get("meet1", 3, &gm, &gb));
    assert_string_equal(gm.title, "Sesja");
    assert_string_equal(gb.id, "body1");
    assert_false(pcache_meeting_get("meet1", 4, &gm, &gb));

    struct access_facts f = {.staff = STAFF_OPERATOR, .is_meeting_member = true}, gf;
    snprintf(f.member_role, sizeof f.member_role, "chair");
    pcache_facts_put("u1", "meet1", 3, &f);
    assert_true(pcache_facts_get("u1", "meet1", 3, &gf));
    assert_int_equal(gf.staff, STAFF_OPERATOR);
    assert_string_equal(gf.member_role, "chair");
    assert_false(pcache_facts_get("u1", "meet2", 3, &gf));
    assert_false(pcache_facts_get("u2", "meet1", 3, &gf));
    assert_false(pcache_facts_get("u1", "meet1", 2, &gf));

    char mid[ID_SIZE], kind[16];
    assert_false(pcache_vote_head_get("vote1", mid, kind));
    pcache_vote_head_put("vote1", "meet1", "secret");
    assert_true(pcache_vote_head_get("vote1", mid, kind));
    assert_string_equal(mid, "meet1");
    assert_string_equal(kind, "secret");
    struct pcache_stats st;
    pcache_stats(&st);
    assert_int_equal(st.hits, 3);
    assert_int_equal(st.misses, 5);
    pcache_reset();
}

static void *hammer(void *arg)
{
    int base = *(int *)arg;
    for (int round = 0; round < 2000; round++) {
        int i = base + round % 97;
        char key[32];
        snprintf(key, sizeof key, "h%d", i);
        struct session s, got;
        struct user u, gu;
        session_of(i, &s, &u);
        pcache_session_put(key, 1, &s, &u);
        if (pcache_session_get(key, 1, &got, &gu)) {
            /* whole values: the id and the user always belong together */
            if (strcmp(got.user_id, gu.id) || got.expires_ms != 9000 + i)
                return (void *)1;
        }
    }
    return NULL;
}

static void test_threads_see_whole_values(void **state)
{
    pcache_reset();
    pthread_t t[4];
    int base[4] = {0, 50, 100, 150};
    for (int k = 0; k < 4; k++)
        assert_int_equal(pthread_create(&t[k], NULL, hammer, &base[k]), 0);
    for (int k = 0; k < 4; k++) {
        void *bad = NULL;
        pthread_join(t[k], &bad);
        assert_null(bad);
    }
    pcache_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sessions_only_under_their_generation),
        cmocka_unit_test(test_meetings_facts_and_vote_heads),
        cmocka_unit_test(test_threads_see_whole_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
