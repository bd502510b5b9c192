/* write_limits.h — how often participants may write to a meeting's log
 * (issue 18): per person (chat apart from button presses) and per meeting,
 * refused with 429 and Retry-After before anything is read or written; and
 * the log's size budget, past which the staff get one alert event. */
#ifndef OBR_API_WRITE_LIMITS_H
#define OBR_API_WRITE_LIMITS_H

#include <stdbool.h>

#include "core/meeting_state.h"
#include "http/req.h"
#include "log/eventlog.h"
#include "util/limits.h"

/* Makes the buckets from the configured limits; once, before serving.
 * Returns 0 or OBR_ENOMEM. */
int write_limits_init(const struct limits *l);
void write_limits_free(void);

/* Takes a token for action a by user_id in meeting_id when a is something a
 * participant writes (chat, presence, attendance, floor); other actions pass.
 * False after replying 429 with Retry-After. */
bool write_limits_take(struct req *rq, enum ms_action a, const char *meeting_id,
                       const char *user_id);

/* Appends log.budget_exceeded (staff only) once, when st's log has outgrown
 * the budget. Called inside the action's transaction. Returns 0 or OBR_E…. */
int write_limits_check_budget(struct log_tx *tx, const struct meeting_state *st);

#endif
