/* scheduler.h — runs deadlines (store/meetings.h) when they fall due: the end
 * of an attendance check, of a vote, reminders. Deadlines live in the store,
 * so one that passes while the server is down runs at the next start. One
 * thread; handlers are registered by kind before scheduler_start. */
#ifndef OBR_SCHEDULER_H
#define OBR_SCHEDULER_H

#include "store/meetings.h"

struct db;
struct db_pool;
struct hub;

/* Does the deadline's work and marks it done (deadlines_done) in the same
 * transaction. Returns 0, or an error: the deadline stays due and is retried. */
typedef int (*scheduler_fn)(struct db *db, struct hub *hub, void *ctx, const struct deadline *d);

int scheduler_register(const char *kind, scheduler_fn fn);
/* ctx is handed to every handler (the application context). */
int scheduler_start(struct db_pool *pool, struct hub *hub, void *ctx);
/* Wakes the thread to look again (after adding a deadline). Any thread. */
void scheduler_nudge(void);
void scheduler_stop(void);

#endif
