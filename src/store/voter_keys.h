/* voter_keys.h — members' voting keys and each secret vote's frozen
 * electorate (voter_keys_repo.c, 0008_voter_keys.sql; spec v2 in
 * docs/verifiable-voting.md). Keys are 64 lowercase hex digits of an Ed25519
 * public key; the private part never reaches the server. */
#ifndef OBR_STORE_VOTER_KEYS_H
#define OBR_STORE_VOTER_KEYS_H

#include <stddef.h>
#include <stdint.h>

struct db;

#define VOTER_KEY_HEX 65 /* 64 hex digits and the NUL */

/* Registers (or replaces) user_id's key. OBR_EEXISTS when another user has
 * registered the same key. */
int voter_keys_set(struct db *db, const char *user_id, const char *key_hex, int64_t now_ms);
/* 0 with the key and when it was registered, or OBR_ENOTFOUND. */
int voter_keys_get(struct db *db, const char *user_id, char key_hex[VOTER_KEY_HEX],
                   int64_t *registered_at_ms);

#include <jansson.h>

/* Freezes an eligible member into vote_id's electorate at opening, under the
 * name the board shows, with their key (NULL: none registered). */
int vote_electorate_add(struct db *db, const char *vote_id, const char *user_id,
                        const char *name, const char *key_hex);
/* 0 with user_id's name and key in force ("" when none), or OBR_ENOTFOUND
 * when the member was not eligible at opening. */
int vote_electorate_get(struct db *db, const char *vote_id, const char *user_id,
                        char *name, size_t name_size, char key_hex[VOTER_KEY_HEX]);
/* The key in force for user_id becomes key_hex (a key change, published).
 * OBR_EEXISTS when another voter of the vote has that key. */
int vote_electorate_change(struct db *db, const char *vote_id, const char *user_id,
                           const char *key_hex);
/* [{name, key}] of the key changes, ascending by name (new reference). */
json_t *vote_electorate_changes_json(struct db *db, const char *vote_id);

#endif
