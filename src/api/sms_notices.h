/* sms_notices.h — the three SMS notices (meeting convened, meeting starts
 * soon, vote opened), queued for each participant who opted in, and the
 * signed-in person's own SMS settings (GET/PUT /api/me/sms). See sms.c. */
#ifndef OBR_API_SMS_NOTICES_H
#define OBR_API_SMS_NOTICES_H

#include <jansson.h>

#include "store/meetings.h"

struct db;
struct body;

/* Queue on db (inside the caller's transaction); no-ops when SMS is off.
 * The caller calls sms_nudge() after committing. */
int sms_notice_convened(struct db *db, const struct meeting *m, const struct body *b);
/* eligible: the vote's electorate, a JSON array of user ids. */
int sms_notice_vote_opened(struct db *db, const struct meeting *m, const char *vote_id,
                           const char *vote_title, json_t *eligible);
/* Replaces the "starts soon" deadline of m: 15 minutes before its start (at
 * once when that moment has passed but the start has not). */
int sms_reschedule_start(struct db *db, const struct meeting *m);
void sms_register_deadlines(void);

#endif
