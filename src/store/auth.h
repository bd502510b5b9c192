/* auth.h — sign-in state in the store: one-time codes, sessions, TOTP
 * recovery codes and meeting access links. Secrets are stored only as keyed
 * hashes (crypto/tokens.h); nothing here ever sees a plain token. */
#ifndef OBR_STORE_AUTH_H
#define OBR_STORE_AUTH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "crypto/tokens.h"
#include "store/directory.h"

struct db;

struct login_code {
    char code_hash[TOKEN_HASH_HEX + 1];
    int tries;
    int64_t expires_ms;
};

/* Replaces any code of email with a fresh one (tries 0). */
int login_codes_put(struct db *db, const char *email, const char *code_hash, int64_t expires_ms);
int login_codes_get(struct db *db, const char *email, struct login_code *out);
int login_codes_add_try(struct db *db, const char *email);
/* Counts one try before the code is compared, in one atomic statement, so
 * guesses spread over several nodes (or sent at once) never get more than
 * max_tries comparisons: 1 counted, 0 none left (or no code), or OBR_E*. */
int login_codes_take_try(struct db *db, const char *email, int max_tries);
int login_codes_delete(struct db *db, const char *email);

struct session {
    char id[ID_SIZE];
    char user_id[ID_SIZE];
    bool is_totp_pending;
    int64_t created_ms, last_seen_ms, expires_ms;
};

int sessions_create(struct db *db, const char *token_hash, const char *user_id,
                    bool is_totp_pending, int64_t expires_ms, const char *user_agent,
                    const char *ip, char id_out[ID_SIZE]);
int sessions_get_by_token(struct db *db, const char *token_hash, struct session *out);
/* The session and its user in one point lookup (users_repo.c); OBR_ENOTFOUND
 * when there is no such session (or its user is gone). */
int sessions_get_with_user(struct db *db, const char *token_hash, struct session *sess,
                           struct user *u);
int sessions_touch(struct db *db, const char *id, int64_t now_ms);
int sessions_clear_totp_pending(struct db *db, const char *id);
/* Deletes session id of user_id; OBR_ENOTFOUND when it is not theirs. */
int sessions_delete(struct db *db, const char *user_id, const char *id);
/* Deletes every session of user_id except keep_id (may be NULL). */
int sessions_delete_others(struct db *db, const char *user_id, const char *keep_id);
json_t *sessions_list_json(struct db *db, const char *user_id, const char *current_id);

int recovery_codes_replace(struct db *db, const char *user_id, char hashes[][TOKEN_HASH_HEX + 1],
                           int n);
/* Marks an unused code used; OBR_ENOTFOUND when there is none. */
int recovery_codes_use(struct db *db, const char *user_id, const char *hash, int64_t now_ms);

int access_links_create(struct db *db, const char *token_hash, const char *meeting_id,
                        const char *user_id);
/* The link's meeting, person ("" for none) and when it was made. */
int access_links_get(struct db *db, const char *token_hash, char meeting_id[ID_SIZE],
                     char user_id[ID_SIZE], int64_t *created_ms);
/* Deletes every access link of a meeting (when it is archived). */
int access_links_delete_meeting(struct db *db, const char *meeting_id, int64_t *n_deleted);

#endif
