/* audit.c — see audit.h. */
#include "api/audit.h"

#include "store/db.h"

int audit_begin(struct req *rq, struct log_tx *tx)
{
    struct db *db = req_db(rq);
    int rc = db ? log_tx_begin(tx, db, req_hub(rq)) : OBR_EDB;
    if (rc) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    return 0;
}

int audit_commit(struct req *rq, struct log_tx *tx, const char *org_id, const char *actor,
                 const char *type, json_t *payload)
{
    int rc = payload ? log_append(tx, org_id, actor, type, payload, EVENT_STAFF, NULL)
                     : OBR_ENOMEM;
    json_decref(payload);
    if (!rc)
        rc = log_tx_commit(tx);
    if (rc) {
        log_tx_rollback(tx);
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

void audit_fail(struct req *rq, struct log_tx *tx, int err)
{
    log_tx_rollback(tx);
    if (err == OBR_EEXISTS)
        reply_error(rq, ERR_ALREADY_EXISTS, NULL);
    else
        reply_obr_error(rq, err);
}

int audit_finish(struct req *rq, struct log_tx *tx, int rc, const char *org_id,
                 const char *actor, const char *type, json_t *payload)
{
    if (rc) {
        json_decref(payload);
        audit_fail(rq, tx, rc);
        return -1;
    }
    return audit_commit(rq, tx, org_id, actor, type, payload);
}
