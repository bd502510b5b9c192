/* interp.h — the answer deadline of interpellations (interp_reminders.c),
 * used by the register route (interpellations.c) and main.c, and their
 * attachments in lists (interp_files.c). */
#ifndef OBR_API_INTERP_H
#define OBR_API_INTERP_H

#include <jansson.h>
#include <stddef.h>

struct db;
struct req;

/* Sets the reminder three days before due_on (YYYY-MM-DD), or now when that
 * is past, inside the caller's transaction. 0 or a store error. */
int interp_schedule_reminder(struct db *db, const char *body_id, const char *id,
                             const char *due_on);
/* Registers the scheduler's handler (call before scheduler_start). */
void interp_register_deadlines(void);

/* Sets "attachments" [{id, part, filename, content_type, size_bytes,
 * added_at, url}] on each interpellation of list (the body's), url prefixed
 * with origin ("" for relative links). -1 on a store error. (interp_files.c) */
int interp_files_attach(struct db *db, json_t *list, const char *body_id, const char *origin);
/* The body sink of POST /api/interpellations/{id}/attachments. */
int api_interp_file_sink(struct req *rq, const char *data, size_t len);

#endif
