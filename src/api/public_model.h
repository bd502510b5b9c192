/* public_model.h — what is published about a meeting and its votes, as one
 * JSON model shared by the public JSON API, the BIP exports (JSON, CSV, HTML)
 * and the server-rendered public pages, so all of them say the same thing.
 * Loading checks who may read it: the public reads published meetings (public
 * and convened or later) and nothing else (404, never 401: a private meeting's
 * existence is not told); participants and staff may also read their own
 * meetings where the caller allows it. */
#ifndef OBR_API_PUBLIC_MODEL_H
#define OBR_API_PUBLIC_MODEL_H

#include <jansson.h>
#include <stdbool.h>

#include "http/req.h"
#include "store/directory.h"
#include "store/meetings.h"
#include "store/votes.h"

struct pub_meeting {
    struct meeting m;
    struct body b;
    struct org o;
};

/* The meeting with its body and organisation: 0, or OBR_ENOTFOUND when
 * unknown (or, with is_published_only, not published). */
int pub_meeting_find(struct db *db, const char *meeting_id, bool is_published_only,
                     struct pub_meeting *out);
/* A published vote: 0; OBR_ENOTFOUND for an unknown vote, a draft (never
 * held) or a vote of a meeting that is not published; OBR_ECONFLICT for a
 * vote still open. On 0, out must be vote_clear'ed. */
int pub_vote_find(struct db *db, const char *vote_id, struct vote *out, struct pub_meeting *pm);

/* Loads the meeting for reading its publication (JSON routes). Unknown, or
 * not published and (!is_participant_ok or nobody signed in): 404. Not
 * published, signed in, is_participant_ok: as meeting_ctx (403 for
 * outsiders). Replies and returns -1 when refused. */
int pub_meeting_load(struct req *rq, const char *meeting_id, bool is_participant_ok,
                     struct pub_meeting *out);

/* pub_vote_find for path parameter "id", replying 404 or 409 vote_not_closed
 * and returning -1 when refused. On 0, out must be vote_clear'ed. */
int pub_vote_load(struct req *rq, struct vote *out, struct pub_meeting *pm);

/* The published vote. Caller json_decrefs; NULL on OOM.
 * {id, meeting_id, item_id|null, title, motion, kind, method, majority, status,
 *  opened_at, closed_at, repeat_of|null, repeat_reason?, rule_text {pl,en},
 *  verdict {pl,en}|null, result (the stored result without "named")|null,
 *  named: [{name, choice|null}] or for elections [{name, choices: [name...]|null}]
 *  (open votes only), links {page, html, csv, json, report_pdf, verify?}} */
json_t *pub_vote_json(const struct vote *v, const char *origin);

/* {id, number, title, starts_at, place, mode, status, is_public, started_at,
 * closed_at, page, org {id, name, time_zone}, body {id, name, statutory_size}}. */
json_t *pub_meeting_summary_json(const struct pub_meeting *pm, const char *origin);

/* The whole meeting (the BIP export): {format, generated_at, meeting {...,
 * org {id, name}, body {id, name, statutory_size}}, agenda [...], documents
 * [...], members [{name, role}], attendance [...], votes [pub_vote_json of
 * every vote opened or closed], log {seq, head_hash}}. NULL on a store
 * failure. */
json_t *pub_meeting_json(struct db *db, const struct pub_meeting *pm, const char *origin);

/* The counters of the home page: {users, organisations, meetings, votes,
 * ballots} (publication.c). NULL on a store failure. */
json_t *api_public_stats_json(struct db *db);

/* The language of a page or export: ?lang=pl|en, else Accept-Language (a
 * request that prefers English gets "en"), else "pl". */
const char *pub_lang(struct req *rq);

/* The origin links are made absolute with (the configured public URL). */
const char *pub_origin(struct req *rq);

#endif
