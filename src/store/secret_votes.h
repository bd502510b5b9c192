/* secret_votes.h — the store of secret votes (secret_votes_repo.c): the
 * election fixed at opening with the sealed server trustee secret, who has
 * voted, and the encrypted ballots, kept apart (see 0007_secret_votes.sql). */
#ifndef OBR_STORE_SECRET_VOTES_H
#define OBR_STORE_SECRET_VOTES_H

#include <jansson.h>
#include <stdbool.h>

#include "store/directory.h"

struct db;

struct vote_election {
    json_t *election; /* owned */
    char election_hash[65];
    char *server_secret; /* sealed hex, owned */
    json_t *aggregate;   /* owned; NULL before closing */
    json_t *decryptions; /* owned array */
    json_t *tally;       /* owned; NULL until decrypted */
};

void vote_election_clear(struct vote_election *e);

int vote_elections_add(struct db *db, const char *vote_id, json_t *election,
                       const char *election_hash, const char *server_secret);
/* OBR_ENOTFOUND when the vote has none. */
int vote_elections_get(struct db *db, const char *vote_id, struct vote_election *out);
/* Stores the aggregate, the decryptions so far and the tally (may be NULL). */
int vote_elections_set_tally(struct db *db, const char *vote_id, json_t *aggregate,
                             json_t *decryptions, json_t *tally);

/* 0 and the ballot id of the user's ballot, or OBR_ENOTFOUND. */
int secret_voters_get(struct db *db, const char *vote_id, const char *user_id,
                      char ballot_id[72]);
/* OBR_ENOTFOUND when no voter used ballot_id. */
int secret_voters_by_ballot(struct db *db, const char *vote_id, const char *ballot_id,
                            char user_id[ID_SIZE]);
int secret_voters_add(struct db *db, const char *vote_id, const char *user_id,
                      const char *ballot_id);
int secret_voters_count(struct db *db, const char *vote_id);
/* User ids of the voters, in user id order. */
json_t *secret_voters_json(struct db *db, const char *vote_id);

/* OBR_EEXISTS when the tracker or the credential is already on the board. */
int secret_ballots_add(struct db *db, const char *vote_id, const char *tracker,
                       const char *credential, const json_t *ballot);
/* The ballots, sorted by tracker, each with its "tracker". */
json_t *secret_ballots_json(struct db *db, const char *vote_id);

/* ---- committee trustees (index 1..n, fixed when the vote is created) ---- */
int vote_trustees_add(struct db *db, const char *vote_id, int idx, const char *user_id,
                      const char *name);
/* [{index, user_id, name, member|null, box_public_key|null, shares_sent}] by index. */
json_t *vote_trustees_json(struct db *db, const char *vote_id);
/* 0 and the user's index, or OBR_ENOTFOUND when not a trustee of the vote. */
int vote_trustees_of_user(struct db *db, const char *vote_id, const char *user_id, int *idx);
/* OBR_ECONFLICT when the trustee's key is already in. */
int vote_trustees_set_key(struct db *db, const char *vote_id, int idx, const json_t *member,
                          const char *box_public_key);
/* OBR_EEXISTS for a share already given. */
int trustee_shares_add(struct db *db, const char *vote_id, int from, int to, const char *sealed);
/* [{from, to, sealed}] addressed to trustee `to`. */
json_t *trustee_shares_for_json(struct db *db, const char *vote_id, int to);

#endif
