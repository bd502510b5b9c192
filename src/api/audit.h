/* audit.h — directory changes go into the organisation's own hash-chained log
 * (log id = organisation id, visible to staff), written in the same
 * transaction as the change. */
#ifndef OBR_API_AUDIT_H
#define OBR_API_AUDIT_H

#include <jansson.h>

#include "http/req.h"
#include "log/eventlog.h"

/* Begins a write transaction that can carry audit events; replies 503 and
 * returns -1 when the store is unavailable. */
int audit_begin(struct req *rq, struct log_tx *tx);
/* Appends type with payload (stolen) to org_id's log, then commits. On any
 * failure rolls back, replies with the error and returns -1. */
int audit_commit(struct req *rq, struct log_tx *tx, const char *org_id, const char *actor,
                 const char *type, json_t *payload);
/* The tail every audited change shares: when rc (the change's own result) is
 * an error, rolls back and replies; otherwise appends the event and commits.
 * payload is stolen either way. 0 when committed, -1 when replied. */
int audit_finish(struct req *rq, struct log_tx *tx, int rc, const char *org_id,
                 const char *actor, const char *type, json_t *payload);
/* Rolls back after a failed step and replies with err (an OBR_E code). */
void audit_fail(struct req *rq, struct log_tx *tx, int err);

#endif
