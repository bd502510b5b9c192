/* members.h — helpers shared by the body and member handlers. */
#ifndef OBR_API_MEMBERS_H
#define OBR_API_MEMBERS_H

#include <stdbool.h>

#include "http/req.h"
#include "store/directory.h"

/* Loads the body named by path parameter param; replies and returns -1 when unknown. */
int api_load_body(struct req *rq, const char *param, struct body *b);
/* Loads the body "id" and its organisation. */
int api_load_body_org(struct req *rq, struct body *b, struct org *o);
/* True when the organisation's domain policy admits email (no policy: any). */
bool api_domain_allowed(const struct org *o, const char *email);

#endif
