/* fair_lock.c — a ticket lock on a mutex and one condition (fair_lock.h).
 * Every give wakes all waiters and only the next ticket goes on: the lock
 * has few waiters (request threads and the ballot writer), and the order is
 * the point. */
#include "util/fair_lock.h"

#include <errno.h>

int fair_lock_take(struct fair_lock *l)
{
    pthread_mutex_lock(&l->m);
    if (l->is_held && pthread_equal(l->owner, pthread_self())) {
        pthread_mutex_unlock(&l->m);
        return EDEADLK;
    }
    unsigned long ticket = l->next++;
    while (ticket != l->serving)
        pthread_cond_wait(&l->turn, &l->m);
    l->is_held = true;
    l->owner = pthread_self();
    pthread_mutex_unlock(&l->m);
    return 0;
}

int fair_lock_give(struct fair_lock *l)
{
    pthread_mutex_lock(&l->m);
    if (!l->is_held || !pthread_equal(l->owner, pthread_self())) {
        pthread_mutex_unlock(&l->m);
        return EPERM;
    }
    l->is_held = false;
    l->serving++;
    bool has_waiters = l->next != l->serving;
    pthread_mutex_unlock(&l->m);
    if (has_waiters)
        pthread_cond_broadcast(&l->turn);
    return 0;
}
