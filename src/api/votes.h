/* votes.h — the voting engine's hooks outside the route table: the
 * scheduler's handler that closes a vote at its deadline, and closing a
 * meeting's open votes when the meeting closes. */
#ifndef OBR_API_VOTES_H
#define OBR_API_VOTES_H

/* Registers the "vote" deadline kind (before scheduler_start). */
void votes_register_deadlines(void);
/* The key that seals server trustee secrets (app.trustee_key), at start. */
void votes_set_trustee_key(const unsigned char key[32]);

struct log_tx;
struct body;
struct meeting_state;
/* Closes every open vote of the meeting (actor "system"), inside tx. */
int votes_close_all_open(struct log_tx *tx, const struct body *b, const struct meeting_state *st,
                         const char *meeting_id);

#endif
