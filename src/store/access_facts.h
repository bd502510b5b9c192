/* access_facts.h — what a person is to a meeting, in one statement: staff
 * role in the organisation, member role in the body, and the participant
 * row; read when api/principal_cache.c has no answer under the current
 * access generation (store/jobs.h). */
#ifndef OBR_STORE_ACCESS_FACTS_H
#define OBR_STORE_ACCESS_FACTS_H

#include <stdbool.h>

#include "store/directory.h"

struct access_facts {
    enum staff_role staff;                 /* in the organisation */
    char member_role[32];                  /* in the body; "" when not a member */
    bool is_meeting_member;                /* member of the meeting's body */
    bool has_row, row_guest, row_scrutiny; /* meeting_participants */
};

/* 0 with *out filled (a person with no role is not an error), or a
 * negative OBR_E* when the store did not answer. meeting_id may be NULL. */
int access_facts_get(struct db *db, const char *org_id, const char *body_id, const char *meeting_id,
                     const char *user_id, struct access_facts *out);

#endif
