/* votes.h — the voting engine's hooks outside the route table: the
 * scheduler's handler that closes a vote at its deadline. */
#ifndef OBR_API_VOTES_H
#define OBR_API_VOTES_H

/* Registers the "vote" deadline kind (before scheduler_start). */
void votes_register_deadlines(void);

#endif
