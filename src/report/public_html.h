/* public_html.h — the server-rendered public pages (they work without
 * JavaScript): the home page of published meetings with the counters, a
 * meeting with its agenda, documents, attendance and votes, and a vote with
 * its result and named list (also the BIP "named.html" export). Input is the
 * publication model of api/public_model.h; every text from it is escaped by
 * util/html.h. lang is "pl" or "en". Each function writes a whole document. */
#ifndef OBR_REPORT_PUBLIC_HTML_H
#define OBR_REPORT_PUBLIC_HTML_H

#include <jansson.h>
#include <stdbool.h>

struct buf;

/* upcoming and recent: arrays as public_meetings_json; stats: {users,
 * organisations, meetings, votes, ballots}; recent_offset: where the recent
 * page starts, has_more_recent: whether an older page exists. */
void public_html_home(struct buf *b, const json_t *upcoming, const json_t *recent,
                      const json_t *stats, int recent_offset, bool has_more_recent,
                      const char *lang);

/* export: pub_meeting_json. */
void public_html_meeting(struct buf *b, const json_t *export, const char *lang);

/* vote: pub_vote_json; meeting: the "meeting" object of pub_meeting_json.
 * is_named_only: the BIP list (no links section, no breadcrumbs). */
void public_html_vote(struct buf *b, const json_t *vote, const json_t *meeting, bool is_named_only,
                      const char *lang);

/* The public register of interpellations (public_html_interp.c); x: the
 * JSON of GET /api/public/bodies/{id}/interpellations, q: the search asked. */
void public_html_interpellations(struct buf *b, const json_t *x, const char *q, const char *lang);

#endif
