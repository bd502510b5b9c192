/* access.h — making per-meeting access links (used when a meeting is
 * convened and invitations go out). */
#ifndef OBR_API_ACCESS_H
#define OBR_API_ACCESS_H

#include "crypto/tokens.h"

struct db;

/* Makes a link token for meeting_id (and user_id, may be NULL) and stores its
 * hash; the caller puts the token into /m/{token}. */
int access_link_new(struct db *db, const unsigned char key[TOKEN_KEY_BYTES],
                    const char *meeting_id, const char *user_id, char token[TOKEN_LINK_LEN + 1]);

#endif
