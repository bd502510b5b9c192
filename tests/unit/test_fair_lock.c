/* test_fair_lock.c — the log's writer lock is handed over in the order it
 * was asked for, the thread that gives it cannot take it back ahead of a
 * waiter, and misuse is an error, not a deadlock. */
#include "testutil.h"

#include <errno.h>
#include <pthread.h>

#include "util/fair_lock.h"

#define WAITERS 6

struct waiter {
    struct fair_lock *l;
    int id;
    int *order;
    int *n_order;
};

static unsigned long tickets_out(struct fair_lock *l)
{
    pthread_mutex_lock(&l->m);
    unsigned long n = l->next;
    pthread_mutex_unlock(&l->m);
    return n;
}

/* Waits until the lock has handed out n tickets: the waiters asked. */
static void until_asked(struct fair_lock *l, unsigned long n)
{
    while (tickets_out(l) < n)
        usleep(200);
}

static void *wait_and_record(void *arg)
{
    struct waiter *w = arg;
    assert_int_equal(fair_lock_take(w->l), 0);
    w->order[(*w->n_order)++] = w->id; /* under the lock */
    assert_int_equal(fair_lock_give(w->l), 0);
    return NULL;
}

static void test_served_in_order_asked(void **state)
{
    (void)state;
    struct fair_lock l = FAIR_LOCK_INIT;
    int order[WAITERS + 1], n_order = 0;
    struct waiter ws[WAITERS];
    pthread_t th[WAITERS];
    assert_int_equal(fair_lock_take(&l), 0);
    for (int i = 0; i < WAITERS; i++) {
        ws[i] = (struct waiter){.l = &l, .id = i, .order = order, .n_order = &n_order};
        assert_int_equal(pthread_create(&th[i], NULL, wait_and_record, &ws[i]), 0);
        until_asked(&l, (unsigned long)i + 2); /* the holder's ticket, then each waiter's */
    }
    assert_int_equal(fair_lock_give(&l), 0);
    /* Asked again at once, as the ballot writer does round after round:
     * served after every thread that was already waiting. */
    assert_int_equal(fair_lock_take(&l), 0);
    order[n_order++] = WAITERS;
    assert_int_equal(fair_lock_give(&l), 0);
    for (int i = 0; i < WAITERS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(n_order, WAITERS + 1);
    for (int i = 0; i <= WAITERS; i++)
        assert_int_equal(order[i], i);
}

static void *give_foreign(void *arg)
{
    return (void *)(intptr_t)fair_lock_give(arg);
}

static void test_misuse_is_an_error(void **state)
{
    (void)state;
    struct fair_lock l = FAIR_LOCK_INIT;
    assert_int_equal(fair_lock_give(&l), EPERM); /* not held */
    assert_int_equal(fair_lock_take(&l), 0);
    assert_int_equal(fair_lock_take(&l), EDEADLK); /* taken twice on one thread */
    pthread_t th;
    void *rc = NULL;
    assert_int_equal(pthread_create(&th, NULL, give_foreign, &l), 0);
    pthread_join(th, &rc);
    assert_int_equal((int)(intptr_t)rc, EPERM); /* another thread's lock */
    assert_int_equal(fair_lock_give(&l), 0);
    assert_int_equal(fair_lock_take(&l), 0); /* still usable */
    assert_int_equal(fair_lock_give(&l), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_served_in_order_asked),
        cmocka_unit_test(test_misuse_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
