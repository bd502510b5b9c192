/* proceedings.h — what the scheduler shares with the live handlers. */
#ifndef OBR_API_PROCEEDINGS_H
#define OBR_API_PROCEEDINGS_H

#include "core/meeting_state.h"
#include "log/eventlog.h"

/* Appends attendance.ended for st's open check and marks its deadline done. */
int proceedings_end_check(struct log_tx *tx, const char *meeting_id, const char *actor,
                          const struct meeting_state *st);
/* Registers the scheduler's handlers for meeting deadlines. */
void proceedings_register_deadlines(void);

#endif
