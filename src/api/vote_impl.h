/* vote_impl.h — what the voting engine's files share (votes.c: create, open,
 * extend, repeat, read; vote_ballots.c; vote_close.c; vote_json.c;
 * vote_act.c). Every action runs under the log's writer lock with the meeting
 * state folded to the head and the vote read again inside the transaction,
 * writes its rows and appends its vote.* event in one transaction
 * (docs/events.md). */
#ifndef OBR_API_VOTE_IMPL_H
#define OBR_API_VOTE_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "api/meeting_ctx.h"
#include "core/vote_rules.h"
#include "http/errors.h"
#include "util/err.h"
#include "store/votes.h"

#define RULE_TEXT_SIZE 1024

/* What an action decides besides its rows and events: a refusal (err other
 * than ERR__COUNT), or the status and reply (default: the vote as JSON). */
struct vact {
    enum api_err err;
    const char *field;
    unsigned status;
    json_t *reply;
    char vote_id[ID_SIZE]; /* the vote to answer with */
    bool nudge;            /* a deadline was added */
};

typedef int (*vote_fn)(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                       const struct meeting_state *st, struct vote *v, void *arg, struct vact *a);

/* Records a refusal; returns 0 so the action ends without an OBR_E error. */
int vote_refuse(struct vact *a, enum api_err err);

/* Runs fn under the writer lock with the state folded and the vote (if
 * vote_id) read again inside the transaction, then commits and replies. */
void vote_act(struct req *rq, struct meeting_ctx *c, const char *vote_id, vote_fn fn, void *arg,
              unsigned status);

/* vote_act for an action that always sets a->reply (a ballot): the
 * transaction is shared with the ballots of other requests queued meanwhile,
 * each in its own savepoint, and committed and synced once for all of them
 * (vote_batch.c). Same refusals, errors and durability as vote_act, but the
 * handler returns before the action ran (the request is held, req_hold):
 * c is copied, arg must live until the request ends (req_alloc), and fn
 * runs on the ballot writer's thread, its rq not to be replied to. */
void vote_act_batched(struct req *rq, struct meeting_ctx *c, const char *vote_id, vote_fn fn,
                      void *arg, unsigned status);

/* The vote named by path parameter "id" and its meeting's context; replies
 * and returns -1 when there is none or the caller may not see it. */
int vote_ctx_load(struct req *rq, struct meeting_ctx *c, struct vote *v, bool is_public_ok);

/* The same reading only the vote's id and kind (the action reads the whole
 * vote again inside its transaction). */
int vote_ctx_load_head(struct req *rq, struct meeting_ctx *c, char id[ID_SIZE], char kind[16]);
int vote_ctx_load_id(struct req *rq, struct meeting_ctx *c, char id[ID_SIZE]);

/* Appends a public vote.* event; steals j. */
int vote_append(struct log_tx *tx, const char *meeting_id, const char *actor, const char *type,
                json_t *j);

/* ---- vote_json.c ---- */

static inline bool vote_is_election(const struct vote *v)
{
    return !strcmp(v->method, "election");
}

/* The counts of a vote from each eligible voter's counted ballot, with the
 * named list ({user_id, name, choice|choices|null}) in Polish alphabetical
 * order by surname. */
struct vote_counts {
    int yes, no, abstain;                /* motions */
    int votes[VOTE_MAX_CANDIDATES];      /* elections: per candidate */
    int blank;                           /* elections: ballots choosing no one */
    int cast;                            /* voters with a counted ballot */
    int absent;                          /* eligible, no ballot, not present */
    json_t *named;                       /* owned */
};
int vote_count(const struct meeting_state *st, const struct vote *v, const json_t *counted,
               struct vote_counts *out);

/* The rule in words {pl, en}, without numbers. */
json_t *vote_rule_texts(const struct vote *v);

/* The vote as GET /api/votes/{id} answers it; viewer_id (may be NULL) gets
 * my_choice / my_choices. = vote_shared_json + vote_viewer_fields. */
json_t *vote_to_json(struct db *db, const struct vote *v, const struct meeting_state *st,
                     const char *viewer_id);
/* The part every viewer sees alike (all but the viewer's fields and the
 * committee's pending result): a function of the vote's rows, its ballots,
 * the weights frozen at the opening, hand and proxy marks and st's people,
 * all of which change only with an event in the meeting's log (or, for the
 * people, with a new state snapshot) — see vote_get.c. Caller decrefs. */
json_t *vote_shared_json(struct db *db, const struct vote *v, const struct meeting_state *st);
/* Adds, after everything else in j, what only viewer_id sees: is_eligible
 * (when is_eligible >= 0; -1 before the opening), then has_voted (secret)
 * or my_choice / my_choices (the viewer's current ballot). Nothing without
 * a viewer. */
void vote_viewer_fields(struct db *db, const char *vote_id, bool is_secret, bool is_election,
                        int is_eligible, const char *viewer_id, json_t *j);

/* ---- vote_weighted.c ---- */
struct weight_tally;
struct weight_result;
/* Frozen weights {user_id: millionths} as {user_id: "0.0473"} for events. */
json_t *vote_weights_text_json(const json_t *frozen);
/* Adds "weight" (text) to every row of named and sums the frozen weights of
 * the answers yes / no / abstain into *wt (eligible: all frozen weights). */
void vote_weights_apply(json_t *named, const json_t *frozen, struct weight_tally *wt);
/* The result's "weighted" object: the sums as decimal text, the threshold
 * (null under a rule on heads), is_tie, and the numbers in words {pl, en}. */
json_t *vote_weighted_json(enum vote_majority m, const struct weight_tally *wt,
                           const struct weight_result *w);

/* ---- vote_secret.c ---- */

static inline bool vote_is_secret(const struct vote *v)
{
    return !strcmp(v->kind, "secret");
}

/* ---- vote_election_cache.c ---- */
struct cached_election;
struct evote_election;
/* The vote's election, parsed and checked, shared by its ballots: 0, or
 * OBR_ENOTFOUND when the vote has none (not open), OBR_ECORRUPT with why
 * when it does not verify. Give the handle back with vote_election_release. */
int vote_election_acquire(struct db *db, const char *vote_id, const struct evote_election **e,
                          struct cached_election **handle, char *why, size_t why_size);
void vote_election_release(struct cached_election *handle);

/* At opening: fixes the election object with the server trustee (its secret
 * sealed) and the committee's keys, and stores it; *election (new
 * reference) and its hash for the vote.opened event. VOTE_PENDING while the
 * committee's key ceremony is unfinished, VOTE_BAD_TRUSTEE when a posted key
 * does not verify. */
int vote_secret_open(struct log_tx *tx, const struct vote *v, const struct meeting_state *st,
                     const json_t *eligible, json_t **election, char hash[65]);
/* Verifies a ballot against the vote's election, outside the writer lock:
 * 0 with its tracker and credential (spec v2: its voter key, in the
 * electorate, the signature checked), OBR_ENOTFOUND when the vote has no
 * election (not open), or OBR_EINVAL with why. */
int vote_secret_check_ballot(struct db *db, const char *vote_id, const json_t *ballot,
                             char tracker[65], char credential[65], char *why, size_t why_size);
/* The app votes_set_app was given. */
const struct app *vote_app(void);

/* Tells each committee trustee by e-mail that the vote is closed and their
 * partial decryption is awaited (vote_trustees.c). */
int vote_trustees_notify(struct log_tx *tx, const struct vote *v);
/* Whether the last transaction on this thread queued mail (and forget it). */
bool vote_take_queued_mail(void);

/* Returned while a secret vote waits for committee decryptions. */
#define VOTE_PENDING 1
/* A committee trustee's posted key does not verify. */
#define VOTE_BAD_TRUSTEE 2

/* At closing: aggregates, decrypts as the server trustee (with proofs) and,
 * when no other trustee is needed, fills the counts and *extra
 * {board_hash, election_hash, ballots_cast, trustees, voters, trustee_mode};
 * VOTE_PENDING with *extra {aggregate, ballots_cast} when the committee must
 * decrypt too. */
int vote_secret_close(struct log_tx *tx, const struct vote *v, const struct meeting_state *st,
                      struct vote_counts *n, json_t **extra);
/* A committee trustee's decryption (group 1): verified against the
 * aggregate (OBR_EINVAL with why), OBR_EEXISTS when already given; then as
 * vote_secret_close: 0 with the counts, or VOTE_PENDING. */
int vote_secret_add_decryption(struct log_tx *tx, const struct vote *v,
                               const struct meeting_state *st, json_t *dec, struct vote_counts *n,
                               json_t **extra, char *why, size_t why_size);

/* ---- vote_ballots.c, vote_hand.c ---- */

struct meeting;
/* Whether every eligible voter present now has a counted ballot (and, when
 * m is given, every member represented by a present proxy holder too): the
 * early close. */
bool vote_all_present_voted(struct db *db, const struct meeting *m,
                            const struct meeting_state *st, const struct vote *v);
/* A client's ballot id: [A-Za-z0-9_-]{8,VOTE_BALLOT_ID_MAX}. */
#define VOTE_BALLOT_ID_MAX 64
bool vote_is_ballot_id(const char *s);
/* The choice of a ballot's body as read by the spec: exactly one of choice
 * (yes|no|abstain) or choices (an array of at most VOTE_MAX_CANDIDATES);
 * replies and returns -1 otherwise (vote_hand.c). */
int vote_choice_input(struct req *rq, bool has_choice, bool has_choices, const char *choice,
                      const json_t *choices);

/* An election ballot as stored: distinct indexes below the candidates'
 * count, ascending, at most seats of them; ERR__COUNT when valid. */
enum api_err vote_election_choice(const struct vote *v, json_t *choices, char *out, size_t size);
/* Marks the rows of a named list whose counted ballot was entered by hand
 * in a roll call: by_hand: true, entered_by: the name of who entered it. */
int vote_mark_hand(struct db *db, const char *vote_id, json_t *named);

/* ---- vote_confirm.c ---- */

/* For a vote awaiting the scrutiny committee's confirmation, adds
 * pending_result and confirmations to j when the viewer is the chair, an
 * operator or on the committee. */
void vote_add_pending(struct req *rq, struct db *db, const struct meeting_ctx *c,
                      const struct vote *v, json_t *j);

/* ---- vote_close.c ---- */

/* Closes an open vote: tallies each eligible voter's last ballot (a secret
 * vote: decrypts the sum), decides it under the vote's rule and appends
 * vote.closed — or, for a secret vote whose committee must decrypt too,
 * moves it to "counting" and appends vote.counting. */
int vote_close(struct log_tx *tx, const struct body *b, const struct meeting_state *st,
               const struct vote *v, const char *actor);

/* Decides a counted vote and appends vote.closed (secret: with extra,
 * stolen, in place of the named list). */
int vote_finish(struct log_tx *tx, const struct body *b, const struct meeting_state *st,
                const struct vote *v, struct vote_counts *n, json_t *extra, const char *actor);

#endif
