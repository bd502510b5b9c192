/* demo.h — demonstration data for `obrady serve --demo`: a municipality with
 * a council of 15 (a chair among them), an organisation admin and an
 * operator, so a newcomer can try every role at once. */
#ifndef OBR_DEMO_H
#define OBR_DEMO_H

#include <stdio.h>

#include "crypto/tokens.h"

struct db;

/* Creates the demo organisation unless it exists — with its meetings, made
 * through the server listening at base (ops/demo_play.h) unless base is NULL — then prints how to
 * sign in as each role to out. url is the server's public origin. */
int demo_seed(struct db *db, const unsigned char key[TOKEN_KEY_BYTES], const char *base,
              const char *url, FILE *out);

#endif
