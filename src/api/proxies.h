/* proxies.h — proxies (pełnomocnictwa) over HTTP: the office's register
 * (proxies.c) and the ballots a holder casts for the member they represent
 * (vote_proxy.c). The rules are in docs/api.md, "Proxies". */
#ifndef OBR_API_PROXIES_H
#define OBR_API_PROXIES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"
#include "store/meetings.h"
#include "store/proxies.h"

/* The day (YYYY-MM-DD) meeting m starts on the wall clock of zone. */
void proxy_meeting_day(const struct meeting *m, const char *zone, char day[PROXY_DAY_SIZE]);
/* Whether p (not revoked) is in force at meeting_id held on day. */
bool proxy_applies(const struct proxy *p, const char *meeting_id, const char *day);
/* The proxies in force at meeting m of its body into a new array *out
 * (caller frees) of *n. */
int proxies_in_force(struct db *db, const struct meeting *m, struct proxy **out, size_t *n);

/* The body sink of POST /api/bodies/{id}/proxies (the document). */
int api_proxy_sink(struct req *rq, const char *data, size_t len);
/* POST /api/bodies/{id}/proxies?grantor_id&holder_id&(meeting_id|valid_from&valid_until) */
void api_proxies_register(struct req *rq);
/* GET /api/bodies/{id}/proxies */
void api_proxies_list(struct req *rq);
/* POST /api/proxies/{id}/revoke */
void api_proxy_revoke(struct req *rq);
/* GET /api/proxies/{id}/document */
void api_proxy_document(struct req *rq);
/* GET /api/meetings/{id}/proxies */
void api_meeting_proxies(struct req *rq);
/* POST /api/votes/{id}/proxy-ballots */
void api_vote_proxy_ballot(struct req *rq);

struct meeting_state;
struct vote;
/* The eligible members (all when eligible is NULL) who are absent from m
 * but represented: a proxy in force whose holder is present. A new array
 * of user ids into *represented (caller decrefs). */
int vote_proxy_represented(struct db *db, const struct meeting *m, const struct meeting_state *st,
                           const json_t *eligible, json_t **represented);
/* Whether a represented member of open vote v has no counted ballot yet
 * (the early close waits for their holder). */
bool vote_proxy_awaited(struct db *db, const struct meeting *m, const struct meeting_state *st,
                        const struct vote *v);

/* Marks the rows of a named list whose counted ballot a proxy holder cast:
 * cast_by, cast_by_name. */
int vote_mark_proxy(struct db *db, const char *vote_id, json_t *named);

/* Marks the rows of a named list from a map user id -> mark (by_user, taken;
 * NULL means out of memory): each row of a user in the map gets flag true,
 * then either value_key set to the user's mark (when value_key is not NULL)
 * or the copy[] fields (NULL-ended) of the user's mark object. Shared by the
 * hand entries (vote_hand.c) and proxy ballots (vote_proxy.c). */
int vote_mark_named(json_t *named, json_t *by_user, const char *flag, const char *value_key,
                    const char *const *copy);

#endif
