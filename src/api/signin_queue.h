/* signin_queue.h — the work behind POST /api/auth/code, done off the request
 * (issue 18, finding 5): the handler only queues the address, the same for a
 * known and an unknown one, and one worker thread looks the address up and,
 * when it is known, stores the code and enqueues its mail. So the answer's
 * timing cannot tell who has an account. */
#ifndef OBR_API_SIGNIN_QUEUE_H
#define OBR_API_SIGNIN_QUEUE_H

#include <stdbool.h>

struct app;
struct db_pool;

/* Starts the worker; app and pool must outlive signin_queue_stop. 0 or OBR_E…. */
int signin_queue_start(struct db_pool *pool, struct app *app);
/* Finishes what is queued, then stops the worker. */
void signin_queue_stop(void);
/* Queues a code request for a normalised address; lang is "pl", "en" or NULL
 * (the account's own). False when the queue is full (the request is dropped,
 * whoever it was for: the caller answers the same either way). */
bool signin_queue_push(const char *email, const char *lang);

#endif
