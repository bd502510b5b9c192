/* report_data.h — everything a report of a meeting is made from, read once:
 * the organisation, body and meeting rows, the participants, the log up to
 * its head (each payload parsed) and the state folded from it. A report is a
 * pure function of this snapshot, so the head hash printed on it names
 * exactly what it shows. */
#ifndef OBR_REPORT_DATA_H
#define OBR_REPORT_DATA_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/meeting_state.h"
#include "log/event.h"
#include "store/meetings.h"

struct db;

struct report_event {
    int64_t seq, ts_ms;
    char *type;      /* owned */
    json_t *payload; /* owned */
};

struct report_meeting {
    struct org org;
    struct body body;
    struct meeting m;
    bool is_en; /* the organisation's language is English */
    int64_t head_seq;
    char head[EVENT_HASH_HEX + 1];
    struct report_event *ev; /* seq 1..head_seq in order */
    int n_ev;
    json_t *people; /* participants_list_json: {user_id, name, email, role, is_guest, is_scrutiny} */
    struct meeting_state *st; /* folded to head_seq */
};

/* Loads the snapshot of meeting_id. 0, OBR_ENOTFOUND, or a store error.
 * rm must be freed with report_meeting_free whatever the result. */
int report_meeting_load(struct db *db, const char *meeting_id, struct report_meeting *rm);
void report_meeting_free(struct report_meeting *rm);

/* The participant's entry in rm->people, or NULL. */
json_t *report_person(const struct report_meeting *rm, const char *user_id);
/* The string member key of the event's payload, or "" when missing. */
struct lay;
/* The lines every report opens with: organisation, body, the meeting (its
 * number and title). */
void report_meeting_fields(struct lay *l, const struct report_meeting *rm, bool is_en);
const char *report_ev_str(const struct report_event *e, const char *key);

#endif
