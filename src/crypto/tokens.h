/* tokens.h — unguessable secrets handed to clients (session cookies, access
 * links, sign-in codes) and how they are stored: only as a BLAKE2b-256 MAC
 * under the server's secret key, so a copy of the database lets nobody in. */
#ifndef OBR_TOKENS_H
#define OBR_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_KEY_BYTES 32
#define TOKEN_HASH_HEX 64
#define TOKEN_SESSION_LEN 43 /* 32 random bytes, base64url without padding */
#define TOKEN_LINK_LEN 22    /* 16 random bytes (128 bits), base64url without padding */

void token_new_session(char out[TOKEN_SESSION_LEN + 1]);
void token_new_link(char out[TOKEN_LINK_LEN + 1]);
/* A uniformly random 6-digit code, "000000".."999999". */
void token_new_code(char out[7]);
/* Keyed hash of a token as 64 hex digits. */
void token_hash(const unsigned char key[TOKEN_KEY_BYTES], const char *token,
                char out[TOKEN_HASH_HEX + 1]);
/* The key that opens a secret vote's bulletin board to anyone holding the
 * vote's report (/verify?vote=ID&key=K): 32 hex digits (128 bits), a keyed
 * hash of the vote id, so nothing is stored and only the server can make it. */
#define TOKEN_BOARD_KEY_HEX 32
void token_board_key(const unsigned char key[TOKEN_KEY_BYTES], const char *vote_id,
                     char out[TOKEN_BOARD_KEY_HEX + 1]);
/* Constant-time equality of two hex hashes of the same length. */
bool token_hash_equal(const char *a, const char *b);

#endif
