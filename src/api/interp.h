/* interp.h — the answer deadline of interpellations (interp_reminders.c),
 * used by the register route (interpellations.c) and main.c. */
#ifndef OBR_API_INTERP_H
#define OBR_API_INTERP_H

struct db;

/* Sets the reminder three days before due_on (YYYY-MM-DD), or now when that
 * is past, inside the caller's transaction. 0 or a store error. */
int interp_schedule_reminder(struct db *db, const char *body_id, const char *id,
                             const char *due_on);
/* Registers the scheduler's handler (call before scheduler_start). */
void interp_register_deadlines(void);

#endif
