/* meeting_flow.h — notices sent when a convened meeting changes, and the
 * reminder deadline. */
#ifndef OBR_API_MEETING_FLOW_H
#define OBR_API_MEETING_FLOW_H

#include <jansson.h>

#include "http/req.h"
#include "store/meetings.h"

struct db;

/* Queues a change notice (with an updated calendar entry) to every
 * participant; changes is the meeting.updated payload. */
int meeting_notify_change(struct req *rq, struct db *db, const struct meeting *m,
                          const struct body *b, json_t *changes);
/* Replaces the pending reminder of m by one reminder_days before its start,
 * when that is more than an hour away. */
int meeting_reschedule_reminder(struct db *db, const struct meeting *m);
void meeting_flow_register_deadlines(void);
/* The meeting.created payload of m (meetings.c); caller decrefs, NULL on OOM. */
json_t *meeting_created_json(const struct meeting *m);

#endif
