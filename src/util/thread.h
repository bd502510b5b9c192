/* thread.h — background threads the process never joins (syncer, ballot
 * writer, checkpointer): started detached in one call. */
#ifndef OBR_THREAD_H
#define OBR_THREAD_H

#include <stdbool.h>

/* Starts fn(arg) on a detached thread; false when it could not start. */
bool thread_start_detached(void *(*fn)(void *), void *arg);

#endif
