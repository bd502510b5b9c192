/* public.h — what the public pages and the BIP exports read from the store
 * (public_repo.c): published meetings across organisations, the counters of
 * the home page, and the attendance record of a meeting. A meeting is
 * published when it is public and convened or later; nothing here returns a
 * draft or a private meeting. Lists come back as JSON (caller json_decrefs). */
#ifndef OBR_STORE_PUBLIC_H
#define OBR_STORE_PUBLIC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

#define PUBLIC_LIST_MAX 100 /* the largest page of public_meetings_json */

struct public_stats {
    int64_t users, orgs, meetings, votes, ballots;
};

/* users and organisations: all rows; meetings: all but drafts; votes: opened
 * or closed (not drafts); ballots: voters per vote, open and secret (a
 * changed open vote counts once). */
int public_stats_get(struct db *db, struct public_stats *out);

enum public_when {
    PUBLIC_UPCOMING, /* convened or in progress, soonest first */
    PUBLIC_RECENT,   /* closed or archived, latest first */
};

/* One page (limit 1..PUBLIC_LIST_MAX, offset >= 0) of published meetings as
 * [{id, number, title, starts_at, status, mode, place, org_id, org_name,
 * body_id, body_name}] and, in *total, how many there are in all. NULL on a
 * store failure. */
json_t *public_meetings_json(struct db *db, enum public_when when, int limit, int offset,
                             int64_t *total);

/* Is the meeting published (public and convened or later)? False when unknown. */
bool public_meeting_is_published(struct db *db, const char *meeting_id);

/* The attendance checks of a meeting as its log recorded them, oldest first:
 * [{check_id, started_at, ended_at, present_count, required, has_quorum,
 * present: [name...]}]. NULL on a store failure. */
json_t *public_attendance_json(struct db *db, const char *meeting_id);

#endif
