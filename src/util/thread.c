/* thread.c — see thread.h. */
#include "util/thread.h"

#include <pthread.h>

bool thread_start_detached(void *(*fn)(void *), void *arg)
{
    pthread_t t;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr))
        return false;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    bool is_started = pthread_create(&t, &attr, fn, arg) == 0;
    pthread_attr_destroy(&attr);
    return is_started;
}
