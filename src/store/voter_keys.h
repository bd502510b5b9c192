/* voter_keys.h — members' voting keys and each secret vote's frozen
 * electorate (voter_keys_repo.c, 0008_voter_keys.sql; spec v2 in
 * docs/verifiable-voting.md). Keys are 64 lowercase hex digits of an Ed25519
 * public key; the private part never reaches the server. */
#ifndef OBR_STORE_VOTER_KEYS_H
#define OBR_STORE_VOTER_KEYS_H

#include <stdint.h>

struct db;

#define VOTER_KEY_HEX 65 /* 64 hex digits and the NUL */

/* Registers (or replaces) user_id's key. OBR_EEXISTS when another user has
 * registered the same key. */
int voter_keys_set(struct db *db, const char *user_id, const char *key_hex, int64_t now_ms);
/* 0 with the key and when it was registered, or OBR_ENOTFOUND. */
int voter_keys_get(struct db *db, const char *user_id, char key_hex[VOTER_KEY_HEX],
                   int64_t *registered_at_ms);

/* Freezes user_id's key into vote_id's electorate (at opening). */
int vote_electorate_add(struct db *db, const char *vote_id, const char *user_id,
                        const char *key_hex);
/* 0 and user_id's key in vote_id's electorate, or OBR_ENOTFOUND. */
int vote_electorate_key(struct db *db, const char *vote_id, const char *user_id,
                        char key_hex[VOTER_KEY_HEX]);

#endif
