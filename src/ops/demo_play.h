/* demo_play.h — the demo's meetings, played through the running server's
 * HTTP API (see demo_play.c). */
#ifndef OBR_DEMO_PLAY_H
#define OBR_DEMO_PLAY_H

#include "crypto/tokens.h"

struct db;

/* Makes a finished session (attendance, an open vote, a secret election,
 * protocol) and an upcoming convened one in body_id, acting as the given
 * people through base (the listening address; origin is the server's own).
 * Returns 0 or the first failure (logged). */
int demo_play(struct db *db, const unsigned char key[TOKEN_KEY_BYTES], const char *base,
              const char *origin, const char *body_id, const char *operator_email,
              const char *chair_email, const char *const *member_emails, int n_members);

#endif
