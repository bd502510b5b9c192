/* vote_weights.h — each voter's weight frozen when a named vote of a body
 * that uses weights opens (vote_weights_repo.c), so the result is computed,
 * and recomputed, exactly even if the office changes a weight afterwards. */
#ifndef OBR_STORE_VOTE_WEIGHTS_H
#define OBR_STORE_VOTE_WEIGHTS_H

#include <jansson.h>

struct db;

/* Freezes the weight of every user id in eligible (a JSON array): the
 * member's weight in body_id, 1 for anyone who is not a member (a guest).
 * Returns 0 with *frozen a new object {user_id: millionths}, or an OBR_E. */
int vote_weights_freeze(struct db *db, const char *vote_id, const char *body_id,
                        const json_t *eligible, json_t **frozen);

/* The frozen weights {user_id: millionths} (new reference); an empty object
 * when the vote has none (a body without weights, or a secret vote); NULL
 * on error. */
json_t *vote_weights_load(struct db *db, const char *vote_id);

#endif
