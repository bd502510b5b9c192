/* documents.c — documents of a meeting: upload, download, removal.
 * An upload is the raw file as the request body (the browser sends the File
 * with fetch; X-Filename carries its percent-encoded name), streamed, typed
 * and placed by uploads.c; the handler records the row and its
 * document.added event in one log transaction. */
#include "api/documents.h"

#include <stdio.h>
#include <string.h>

#include "api/auth.h"
#include "api/uploads.h"
#include "log/eventlog.h"
#include "store/db.h"
#include "store/documents.h"
#include "store/meetings.h"

/* Whether the sender may add documents to the meeting of path "id": checked
 * before a byte is stored. The handler checks again and gives the reason. */
static bool upload_is_allowed(struct req *rq)
{
    struct principal p;
    struct meeting m;
    struct db *db = req_db(rq);
    principal_optional(rq, &p);
    return db && p.is_signed_in && !meetings_get(db, req_param(rq, "id"), &m) &&
           perm_allows(rq, &p, ACT_MEETING_PREPARE, m.org_id, m.body_id);
}

int api_document_sink(struct req *rq, const char *data, size_t len)
{
    return upload_sink(rq, data, len, upload_is_allowed);
}

/* ---- handlers ---- */

/* Loads the meeting of path parameter "id"; replies 404/503 and returns -1. */
static int load_meeting(struct req *rq, struct meeting *m)
{
    struct db *db = req_db(rq);
    int rc = db ? meetings_get(db, req_param(rq, "id"), m) : OBR_EDB;
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

static bool is_closed(const struct meeting *m)
{
    return !strcmp(m->status, "closed") || !strcmp(m->status, "archived");
}

/* Reads ?item= and ?draft_resolution= into d; replies and returns -1 when bad. */
static int upload_params(struct req *rq, const struct meeting *m, struct document *d)
{
    const char *item = req_query(rq, "item"), *draft = req_query(rq, "draft_resolution");
    if (item && *item) {
        struct agenda_item it;
        if (!id_is_valid(item)) {
            reply_error(rq, ERR_BAD_PARAMETER, "item");
            return -1;
        }
        if (agenda_get(req_db(rq), item, &it) || strcmp(it.meeting_id, m->id)) {
            reply_error(rq, ERR_UNKNOWN_ITEM, "item");
            return -1;
        }
        snprintf(d->item_id, sizeof d->item_id, "%s", item);
    }
    if (draft && !strcmp(draft, "1"))
        d->is_draft_resolution = true;
    else if (draft && strcmp(draft, "0")) {
        reply_error(rq, ERR_BAD_PARAMETER, "draft_resolution");
        return -1;
    }
    if (d->is_draft_resolution && !d->item_id[0]) {
        /* A draft resolution is what an agenda item proposes to adopt. */
        reply_error(rq, ERR_MISSING_FIELD, "item");
        return -1;
    }
    return 0;
}

void api_documents_upload(struct req *rq)
{
    struct principal p;
    struct meeting m;
    struct document d = {0};
    if (principal_require(rq, &p) < 0 || load_meeting(rq, &m) < 0 ||
        perm_require(rq, &p, ACT_MEETING_PREPARE, m.org_id, m.body_id) < 0)
        return;
    if (is_closed(&m)) {
        reply_error(rq, ERR_MEETING_CLOSED, NULL);
        return;
    }
    if (upload_params(rq, &m, &d) < 0)
        return;
    struct upload_file f = {0};
    if (upload_finish(rq, &f) < 0)
        return;
    snprintf(d.filename, sizeof d.filename, "%s", f.filename);
    snprintf(d.content_type, sizeof d.content_type, "%s", f.content_type);
    snprintf(d.sha256, sizeof d.sha256, "%s", f.sha256);
    d.size_bytes = f.size_bytes;
    snprintf(d.meeting_id, sizeof d.meeting_id, "%s", m.id);

    /* A failure below leaves the file without a row: harmless, its name is
     * its content, and a later upload of the same bytes reuses it. */
    struct log_tx tx;
    int rc = log_tx_begin(&tx, req_db(rq), req_hub(rq));
    if (rc) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    rc = documents_add(tx.db, &d);
    json_t *payload = rc ? NULL : document_to_json(&d);
    if (!rc && payload) {
        json_object_del(payload, "id");
        json_object_del(payload, "meeting_id");
        json_object_set_new(payload, "document_id", json_string(d.id));
        rc = log_append(&tx, m.id, p.user.id, "document.added", payload, EVENT_PUBLIC, NULL);
    } else if (!rc) {
        rc = OBR_ENOMEM;
    }
    json_decref(payload);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc) {
        log_tx_rollback(&tx);
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 201, document_to_json(&d));
}

static bool is_convened_or_later(const struct meeting *m)
{
    return strcmp(m->status, "draft") != 0;
}

void api_document_get(struct req *rq)
{
    struct principal p;
    struct document d;
    struct meeting m;
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    principal_optional(rq, &p);
    int rc = documents_get(db, req_param(rq, "id"), &d);
    if (!rc)
        rc = meetings_get(db, d.meeting_id, &m);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    bool is_open = m.is_public && is_convened_or_later(&m);
    if (!is_open && !p.is_signed_in) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return;
    }
    if (!is_open && !participants_is_participant(db, m.id, p.user.id, NULL, NULL) &&
        perm_require(rq, &p, ACT_MEETING_READ, m.org_id, m.body_id) < 0)
        return;

    struct upload_file f = {0};
    snprintf(f.filename, sizeof f.filename, "%s", d.filename);
    snprintf(f.content_type, sizeof f.content_type, "%s", d.content_type);
    snprintf(f.sha256, sizeof f.sha256, "%s", d.sha256);
    upload_serve(rq, &f, d.id, "private");
}

void api_document_remove(struct req *rq)
{
    struct principal p;
    struct meeting m;
    struct document d;
    if (principal_require(rq, &p) < 0 || load_meeting(rq, &m) < 0 ||
        perm_require(rq, &p, ACT_MEETING_PREPARE, m.org_id, m.body_id) < 0)
        return;
    int rc = documents_get(req_db(rq), req_param(rq, "doc"), &d);
    if (!rc && strcmp(d.meeting_id, m.id))
        rc = OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    if (is_closed(&m)) {
        reply_error(rq, ERR_MEETING_CLOSED, NULL);
        return;
    }
    struct log_tx tx;
    if (log_tx_begin(&tx, req_db(rq), req_hub(rq))) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    json_t *payload = json_pack("{s:s}", "document_id", d.id);
    rc = documents_remove(tx.db, d.id);
    if (!rc)
        rc = payload ? log_append(&tx, m.id, p.user.id, "document.removed", payload,
                                  EVENT_PUBLIC, NULL)
                     : OBR_ENOMEM;
    json_decref(payload);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc) {
        log_tx_rollback(&tx);
        reply_obr_error(rq, rc);
        return;
    }
    reply_empty(rq, 204);
}
