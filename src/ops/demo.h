/* demo.h — demonstration data for `obrady serve --demo`: a municipality with
 * a council of 15 (a chair among them), an organisation admin and an
 * operator, so a newcomer can try every role at once. */
#ifndef OBR_DEMO_H
#define OBR_DEMO_H

#include <stdio.h>

struct db;

/* Creates the demo organisation unless it exists, then prints how to sign in
 * as each role to out. */
int demo_seed(struct db *db, const char *url, FILE *out);

#endif
