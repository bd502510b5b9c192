/* votes.h — the voting engine's hooks outside the route table: the
 * scheduler's handler that closes a vote at its deadline, and closing a
 * meeting's open votes when the meeting closes. */
#ifndef OBR_API_VOTES_H
#define OBR_API_VOTES_H

#include <jansson.h>

/* Registers the "vote" deadline kind (before scheduler_start). */
void votes_register_deadlines(void);
struct app;
/* What votes need outside a request (the scheduler closes them): the key
 * that seals server trustee secrets, the mail settings, the public URL. At
 * start, before the scheduler; app must outlive the server. */
void votes_set_app(const struct app *app);
/* Frees the parsed elections kept for secret ballots (at shutdown). */
void votes_free_caches(void);

struct log_tx;
struct body;
struct meeting_state;
/* Closes every open vote of the meeting (actor "system"), inside tx. */
int votes_close_all_open(struct log_tx *tx, const struct body *b, const struct meeting_state *st,
                         const char *meeting_id);

struct db;
/* The bulletin board of a secret vote as GET /api/votes/{id}/board gives it
 * (a new object), or NULL for an unknown or open vote or a store failure;
 * no permission check (the archive, vote_secret.c). */
json_t *vote_board_json(struct db *db, const char *vote_id);

#endif
