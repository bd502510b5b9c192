/* test_eligible_index.c — api/eligible_index.c answers as the walk over the
 * eligible list did: members in, others out (prefixes, empty, non-strings),
 * short and long lists, more lists than it keeps indexes for (evicted and
 * rebuilt), a list freed and another at the same address, and many
 * threads asking about different lists at once. */
#include "testutil.h"

#include <pthread.h>

#include "api/eligible_index.h"

static json_t *list_of(int n, int seed)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "u%d-%d", seed, (i * 7919) % n);
        json_array_append_new(a, json_string(id));
    }
    json_array_append_new(a, json_integer(5)); /* not a string: skipped */
    return a;
}

static bool member(int n, int seed, int i)
{
    return i >= 0 && i < n && seed >= 0;
}

static void check(const json_t *a, int n, int seed)
{
    for (int i = -2; i < n + 2; i++) {
        char id[32];
        snprintf(id, sizeof id, "u%d-%d", seed, i);
        assert_int_equal(eligible_has(a, id), member(n, seed, i));
    }
    char other[32];
    snprintf(other, sizeof other, "u%d-", seed); /* a prefix of every id */
    assert_false(eligible_has(a, other));
    assert_false(eligible_has(a, ""));
    assert_false(eligible_has(a, "5"));
}

static void test_answers_as_the_walk(void **state)
{
    eligible_index_reset();
    assert_false(eligible_has(NULL, "u"));
    json_t *obj = json_object();
    assert_false(eligible_has(obj, "u"));
    json_decref(obj);
    int sizes[] = {0, 1, 15, 16, 17, 200, 1000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        json_t *a = list_of(sizes[k], (int)k);
        check(a, sizes[k], (int)k);
        check(a, sizes[k], (int)k); /* from the index now */
        json_decref(a);
    }
    /* More lists than indexes, asked round and round. */
    json_t *many[40];
    for (int i = 0; i < 40; i++)
        many[i] = list_of(50 + i, 100 + i);
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 40; i++)
            check(many[i], 50 + i, 100 + i);
    for (int i = 0; i < 40; i++)
        json_decref(many[i]);
    /* A list gone and a new one (perhaps at its address): never the old answer. */
    for (int i = 0; i < 50; i++) {
        json_t *a = list_of(30, 500 + i);
        check(a, 30, 500 + i);
        json_decref(a);
    }
    eligible_index_reset();
}

struct job {
    json_t *a;
    int n, seed;
};

static void *asker(void *arg)
{
    struct job *j = arg;
    for (int k = 0; k < 200; k++)
        check(j->a, j->n, j->seed);
    return NULL;
}

static void test_threads(void **state)
{
    pthread_t t[8];
    struct job jobs[8];
    for (int i = 0; i < 8; i++) {
        jobs[i] = (struct job){list_of(40 + i * 10, 900 + i % 20), 40 + i * 10, 900 + i % 20};
        assert_int_equal(pthread_create(&t[i], NULL, asker, &jobs[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        json_decref(jobs[i].a);
    }
    eligible_index_reset();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers_as_the_walk),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
