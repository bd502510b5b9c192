/* votes.h — votes of a meeting and their ballots in the store
 * (votes_repo.c). The rules that decide a vote are core/vote_rules.h; the
 * live checks (who may vote, when) are api/votes.c under the log's writer
 * lock. Every write here goes with a vote.* event in the same transaction. */
#ifndef OBR_STORE_VOTES_H
#define OBR_STORE_VOTES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/directory.h"

struct db;

#define VOTE_MOTION_SIZE 8001
#define VOTE_REASON_SIZE 2001
/* A ballot's choice as stored: "yes" | "no" | "abstain", or for elections
 * the chosen candidate indexes as a JSON array ("[0,2]"; at most 64). */
#define BALLOT_CHOICE_SIZE 256

struct vote {
    char id[ID_SIZE];
    char meeting_id[ID_SIZE];
    char item_id[ID_SIZE]; /* "" when none */
    char title[NAME_SIZE];
    char motion[VOTE_MOTION_SIZE];
    char kind[16];     /* open | secret */
    char method[24];   /* yes_no_abstain | election */
    char majority[32]; /* vote_majority_name() */
    int duration_s;
    bool allow_change;
    char status[16]; /* draft | open | counting (secret: awaiting trustees) | closed */
    int64_t opened_ms, deadline_ms, closed_ms; /* 0 when not yet */
    json_t *eligible;                          /* array of user ids (owned; NULL before opening) */
    int present_at_open, quorum_required;
    json_t *result;          /* owned; NULL before closing */
    char repeat_of[ID_SIZE]; /* "" when none */
    char repeat_reason[VOTE_REASON_SIZE];
    int64_t created_ms;
    json_t *candidates;    /* elections: array of names (owned); NULL otherwise */
    int seats;             /* elections: how many may be chosen and elected */
    char election_rule[24]; /* election_rule_name() */
    json_t *electorate;    /* {group?, guests?, exclude?} (owned); NULL: all members */
    bool early_close;      /* closes when every present eligible voter has voted */
    char trustee_mode[16]; /* secret votes: server | committee */
    int trustee_threshold; /* committee decryptions needed */
    int voters_count;      /* voters with a ballot in */
    int number;            /* 1-based, in the order the meeting's votes were opened; 0: a draft */
};

/* Drops what v owns (eligible, result, candidates, electorate); v may be
 * reused after. */
void vote_clear(struct vote *v);

/* Inserts v as a draft; fills v->id and created_ms. */
int votes_create(struct db *db, struct vote *v);
/* OBR_ENOTFOUND when there is no such vote. out must be vote_clear'ed. */
int votes_get(struct db *db, const char *id, struct vote *out);
/* votes_get with number 0: no count of the meeting's opened votes (a ballot,
 * read once per ballot, never shows the number). */
int votes_get_unnumbered(struct db *db, const char *id, struct vote *out);
/* votes_get_unnumbered without the JSON lists (eligible, candidates,
 * electorate left NULL; they can be kilobytes, read through overflow pages):
 * for a writer holding them from its earlier read in the same transaction.
 * They are set while a vote is a draft or at its opening, never after. */
int votes_get_slim(struct db *db, const char *id, struct vote *out);
/* Only the vote's meeting and kind (no JSON to parse): OBR_ENOTFOUND or 0. */
int votes_head(struct db *db, const char *id, char meeting_id[ID_SIZE], char kind[16]);
/* draft -> open; OBR_ECONFLICT when the vote is not a draft. */
int votes_open(struct db *db, const char *id, int64_t opened_ms, int64_t deadline_ms,
               json_t *eligible, int present_at_open, int quorum_required);
int votes_set_threshold(struct db *db, const char *id, int threshold);
/* open -> counting (a secret vote waiting for its trustees). */
int votes_set_counting(struct db *db, const char *id, int64_t closed_ms, json_t *pending);
/* open, counting or confirming -> closed with the result; OBR_ECONFLICT otherwise. */
int votes_close(struct db *db, const char *id, int64_t closed_ms, json_t *result);
/* Moves an open vote's deadline; OBR_ECONFLICT when the vote is not open. */
int votes_extend(struct db *db, const char *id, int64_t deadline_ms);
/* Ids of the meeting's open votes, oldest first; NULL on error. */
json_t *votes_open_ids_json(struct db *db, const char *meeting_id);
/* Votes of a meeting as [{id, title, kind, method, majority, status, outcome, number}]:
 * the opened ones by number, then the drafts, oldest first. */
json_t *votes_list_json(struct db *db, const char *meeting_id);

/* The ballot with this id: 0 and its user and choice, or OBR_ENOTFOUND. */
int ballots_get(struct db *db, const char *vote_id, const char *ballot_id, char user_id[ID_SIZE],
                char choice[BALLOT_CHOICE_SIZE]);
/* What a new ballot is checked against, in one statement: the ballot with
 * this id (has_ballot, its user and choice: a retry) and the user's counted
 * (last) ballot (has_counted, its choice, whether entered by hand). */
struct ballot_seen {
    bool has_ballot, has_counted, is_by_hand;
    char user_id[ID_SIZE];
    char choice[BALLOT_CHOICE_SIZE];
    char counted[BALLOT_CHOICE_SIZE];
};
int ballots_seen(struct db *db, const char *vote_id, const char *ballot_id, const char *user_id,
                 struct ballot_seen *out);
/* The user's counted (last) choice: 0, or OBR_ENOTFOUND when none. */
int ballots_last_of(struct db *db, const char *vote_id, const char *user_id, char choice[BALLOT_CHOICE_SIZE]);
/* OBR_EEXISTS when ballot_id is taken. */
int ballots_add(struct db *db, const char *vote_id, const char *ballot_id, const char *user_id,
                const char *choice, int64_t cast_ms);
/* One more voter has a ballot in (votes.voters_count). */
int votes_add_voter(struct db *db, const char *id);
/* The counted ballots: {user_id: choice} with each voter's last ballot. */
json_t *ballots_counted_json(struct db *db, const char *vote_id);

/* ---- the scrutiny committee's confirmation (vote_confirm_repo.c) ---- */
/* open or counting -> confirming: the result stored, not yet announced. */
int votes_set_confirming(struct db *db, const char *id, int64_t closed_ms, json_t *result);
/* A committee member's confirmation (objection ""), or objection with its
 * reason; OBR_EEXISTS when they already gave one. */
int vote_confirmations_add(struct db *db, const char *vote_id, const char *user_id,
                           const char *name, const char *objection, int64_t at_ms);
/* [{user_id, name, objection|null, at}] in order; NULL on error. */
json_t *vote_confirmations_json(struct db *db, const char *vote_id);

/* ---- roll-call by hand (hand_ballots_repo.c) ---- */
/* Marks ballot_id (already in ballots) as entered by hand by entered_by. */
int hand_ballots_add(struct db *db, const char *vote_id, const char *ballot_id, const char *user_id,
                     const char *entered_by, const char *entered_by_name, const char *reason,
                     int64_t entered_ms);
/* {user_id: entered_by_name} for the voters whose counted (last) ballot was
 * entered by hand; NULL on error. */
json_t *hand_ballots_counted_json(struct db *db, const char *vote_id);
/* The user's counted (last) ballot and whether it was entered by hand, in
 * one point lookup; OBR_ENOTFOUND when they have none. */
int ballots_counted_of(struct db *db, const char *vote_id, const char *user_id,
                       char choice[BALLOT_CHOICE_SIZE], bool *by_hand);
/* Whether the user has any ballot of their own (not entered by hand). */
int hand_ballots_has_electronic(struct db *db, const char *vote_id, const char *user_id,
                                bool *has);

#endif
