/* meetings.h — meetings, their agenda, documents, guests and deadlines in the
 * store (meetings_repo.c, documents_repo.c, deadlines_repo.c). What happens
 * during a meeting is in its event log; these tables hold what is prepared
 * beforehand and what must be found quickly. */
#ifndef OBR_STORE_MEETINGS_H
#define OBR_STORE_MEETINGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/directory.h"

struct db;

struct meeting {
    char id[ID_SIZE];
    char body_id[ID_SIZE];
    char org_id[ID_SIZE]; /* filled from the body on read */
    char number[41];
    char title[NAME_SIZE];
    int64_t starts_at_ms;
    char place[NAME_SIZE];
    char mode[16];        /* in_person | remote | hybrid */
    bool is_public;
    char broadcast_url[501];
    char help_phone[41];      /* the meeting's own; "" = the body's */
    char body_help_phone[41]; /* filled from the body on read */
    int attendance_min_s;     /* the body's shortest attendance check, on read */
    int audio_kbps;           /* the body's default audio bitrate, on read */
    char status[16];      /* draft | convened | in_progress | closed | archived */
    int reminder_days;
    int64_t reminder_sent_ms, convened_ms, started_ms, closed_ms; /* 0 when not yet */
};

int meetings_create(struct db *db, struct meeting *m); /* fills m->id */
int meetings_get(struct db *db, const char *id, struct meeting *out);
int meetings_update(struct db *db, const struct meeting *m);
/* Sets status and the matching time column (convened/started/closed). */
int meetings_set_status(struct db *db, const char *id, const char *status, int64_t at_ms);
int meetings_set_reminder_sent(struct db *db, const char *id, int64_t at_ms);
json_t *meeting_to_json(const struct meeting *m);
json_t *meetings_list_json(struct db *db, const char *body_id);
/* Meetings the user takes part in (member of the body or guest), upcoming first. */
json_t *meetings_of_user_json(struct db *db, const char *user_id);
/* Meetings of the bodies of every organisation where user_id is staff (the
 * office's work): drafts, convened and running ones, and those closed since
 * closed_since_ms; soonest first, at most 200; each with body_name,
 * org_name, agenda_count and document_count. */
json_t *meetings_of_staff_json(struct db *db, const char *user_id, int64_t closed_since_ms);
/* Ids of meetings in a status (at most max), e.g. to resume timers at start. */
int meetings_ids_in_status(struct db *db, const char *status, char (*ids)[ID_SIZE], int max,
                           int *n);
/* Closed meetings whose organisation's retention period (retention_months,
 * calendar months in UTC)
 * has passed by now_ms, oldest first: a new array of ids, NULL on error. */
json_t *meetings_due_for_archive_json(struct db *db, int64_t now_ms);
/* On archiving (archive_repo.c): each guest of the meeting with nothing else
 * in the store (no membership, staff role or other live meeting) loses the
 * e-mail address (replaced by archived-<id>@invalid), sessions and pending
 * sign-in code. Counts in the out-parameters. Inside the caller's transaction. */
/* On archiving (archive_repo.c): the chat messages of the meeting's log get
 * LOG_REDACTED_PAYLOAD instead of their text (seq, hash and chain stay; the
 * archive bundle holds them); *n_redacted counts them. */
int archive_redact_chat(struct db *db, const char *meeting_id, int64_t *n_redacted);
int archive_purge_guests(struct db *db, const char *meeting_id, int64_t *n_guests,
                         int64_t *n_sessions);

struct agenda_item {
    char id[ID_SIZE];
    char meeting_id[ID_SIZE];
    int position;
    char title[NAME_SIZE];
    char description[4001];
    bool is_amendment;
};

/* Appends at the end (position = count + 1); fills it->id and position. */
int agenda_add(struct db *db, struct agenda_item *it);
int agenda_get(struct db *db, const char *id, struct agenda_item *out);
int agenda_update(struct db *db, const struct agenda_item *it);
int agenda_remove(struct db *db, const char *id);
/* Sets positions 1..n in the order given; OBR_EINVAL unless ids are exactly
 * the meeting's current items. */
int agenda_reorder(struct db *db, const char *meeting_id, const char *const *ids, int n);
json_t *agenda_list_json(struct db *db, const char *meeting_id);

/* Guests and scrutiny committee members of a meeting. */
int participants_set(struct db *db, const char *meeting_id, const char *user_id, bool is_guest,
                     bool is_scrutiny);
int participants_remove(struct db *db, const char *meeting_id, const char *user_id);
/* The name a guest is shown under in this meeting instead of the account's. */
int participants_set_guest_name(struct db *db, const char *meeting_id, const char *user_id,
                                const char *name);
/* Whether user_id is staff of org_id or a member of one of its bodies (ties made
 * under a name the office typed, members.shown_name / org_staff.shown_name, do
 * not count: that office never saw the account's own name). */
bool participants_user_in_org(struct db *db, const char *org_id, const char *user_id);
/* Everyone taking part: the body's members and the meeting's guests, each
 * {user_id, name, email, role, groups, is_guest, is_scrutiny, is_external}. */
json_t *participants_list_json(struct db *db, const char *meeting_id);
/* Whether user_id takes part (member of the body or guest) and how. */
bool participants_is_participant(struct db *db, const char *meeting_id, const char *user_id,
                                 bool *is_guest, bool *is_scrutiny);

/* Deadlines: due work that must survive a restart. */
int deadlines_add(struct db *db, const char *meeting_id, const char *kind, const char *ref_id,
                  int64_t due_ms);
/* Marks the (meeting, kind, ref) deadline done; 0 even when there was none. */
int deadlines_done(struct db *db, const char *meeting_id, const char *kind, const char *ref_id,
                   int64_t now_ms);
struct deadline {
    char id[ID_SIZE];
    char meeting_id[ID_SIZE];
    char kind[16];
    char ref_id[ID_SIZE];
    int64_t due_ms;
};
/* Up to max deadlines not done with due_ms <= now_ms and no running lease,
 * oldest first. */
int deadlines_due(struct db *db, int64_t now_ms, struct deadline *out, int max, int *n);
/* Claims deadline id for node until now_ms + lease_ms (several nodes share
 * one database: only the one that claims it runs it; a claim whose node died
 * runs out and the deadline is due again). 1 claimed, 0 taken by another
 * node or done, or a negative OBR_E*. Autocommit. */
int deadlines_claim(struct db *db, const char *id, const char *node, int64_t now_ms,
                    int64_t lease_ms);
/* Ends a claim early (after a failed run) so the deadline is retried. */
int deadlines_unclaim(struct db *db, const char *id, const char *node);
/* The earliest time a pending deadline may run (its due time, or the end of
 * its lease), or INT64_MAX when none. */
int64_t deadlines_next_ms(struct db *db);

#endif
