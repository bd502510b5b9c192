/* verify_log.h — a meeting's exported log (`obrady log export`) and the check
 * that a version 2 board is the one that log commits to (`obrady verify BOARD
 * --log LOG`, docs/verifiable-voting.md section 13.6). */
#ifndef OBR_VERIFY_LOG_H
#define OBR_VERIFY_LOG_H

#include <jansson.h>
#include <stddef.h>

#include "crypto/evote.h"

struct db;

/* The whole log of meeting_id as a JSON array of {seq, ts, actor, type, vis,
 * payload, prev, hash} (new reference), or NULL. */
json_t *verify_log_export(struct db *db, const char *meeting_id);
/* Recomputes the log's hash chain, then checks the board against it: the
 * board's log head is the hash of event log_seq; vote.opened for the vote
 * carries the board's election hash; the number of vote.ballot events of the
 * vote up to log_seq equals the number of ballots; a counting or final board
 * is the one a vote.board event names. 0, or OBR_ECORRUPT/OBR_EINVAL with why. */
int verify_log_board(const json_t *log, const json_t *board, const struct evote_board_summary *s,
                     char *why, size_t why_size);

#endif
