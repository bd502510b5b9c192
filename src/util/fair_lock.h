/* fair_lock.h — a mutual-exclusion lock handed over in the order it was
 * asked for (a ticket lock). A plain mutex lets the thread that releases it
 * take it again before a woken waiter runs: the ballot writer, committing
 * round after round, kept the log's writer lock from other meetings' vote
 * openings and closings for several rounds at a time. */
#ifndef OBR_FAIR_LOCK_H
#define OBR_FAIR_LOCK_H

#include <pthread.h>
#include <stdbool.h>

struct fair_lock {
    pthread_mutex_t m;
    pthread_cond_t turn;
    unsigned long next, serving; /* tickets: handed out, now served */
    pthread_t owner;
    bool is_held;
};

#define FAIR_LOCK_INIT {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, false}

/* Waits for the lock's turn; EDEADLK (not a deadlock) when this thread
 * holds it already. */
int fair_lock_take(struct fair_lock *l);

/* Gives the lock to the thread that asked next; EPERM when this thread does
 * not hold it. */
int fair_lock_give(struct fair_lock *l);

#endif
