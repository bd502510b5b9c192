/* meeting_ctx.h — what every meeting handler needs: the meeting, its body,
 * who is asking and in what capacity, and a way to run one live action under
 * the log's writer lock (fold the state, check the action, append, commit),
 * so two operators acting at once can never break the rules or the log. */
#ifndef OBR_API_MEETING_CTX_H
#define OBR_API_MEETING_CTX_H

#include <stdbool.h>

#include "api/auth.h"
#include "core/meeting_state.h"
#include "log/eventlog.h"
#include "store/meetings.h"

struct meeting_ctx {
    struct principal p;
    struct meeting m;
    struct body b;
    struct role_facts facts;
    bool is_participant, is_guest, is_scrutiny;
    bool can_prepare, can_conduct;
    int visibility; /* the events this person may see (event.h) */
};

/* Loads the meeting named by path parameter "id" and who is asking. Anonymous
 * callers are allowed only when is_public_ok and the meeting is public and
 * convened or later. Replies (401/403/404) and returns -1 when not allowed to
 * see the meeting at all. */
int meeting_ctx_load(struct req *rq, struct meeting_ctx *c, bool is_public_ok);
/* The same for a meeting named by id (e.g. the meeting of a vote). */
int meeting_ctx_load_id(struct req *rq, struct meeting_ctx *c, const char *meeting_id,
                        bool is_public_ok);

/* Folds the meeting's whole log over its participants. The state is shared
 * with the meeting cache: read only; the caller drops it with
 * meeting_state_free. */
int meeting_state_load(struct db *db, const struct meeting *m, const struct body *b,
                       struct meeting_state **out);
/* The same, and key (MEETING_CACHE_KEY_SIZE bytes) gets the cache key the
 * state was kept under: a state folded further from it, with the same
 * people, may be kept under it too (api/vote_batch.c, after its commit). */
int meeting_state_load_keyed(struct db *db, const struct meeting *m, const struct body *b,
                             struct meeting_state **out, unsigned char *key);

/* Appends events for one action. Called with the writer lock held and the
 * state folded up to the log's head; appends with log_append(tx, ...); may set
 * *reply (stolen) to answer with. Returns 0 or an OBR_E code. */
typedef int (*meeting_act_fn)(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                              const struct meeting_state *st, void *arg, json_t **reply);

/* Runs action a for c: checks it against the folded state (409/403 with a
 * precise code when refused), calls fn, commits, and replies with status and
 * fn's reply (or the new state when fn gave none). */
void meeting_act(struct req *rq, struct meeting_ctx *c, enum ms_action a, const char *arg_id,
                 meeting_act_fn fn, void *arg, unsigned status);

/* The client error for a refusal. */
enum api_err meeting_refusal_err(enum ms_refusal r);

#endif
