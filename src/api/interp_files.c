/* interp_files.c — attachments of interpellations (issue 17 item 2): the
 * member's filing and the office's answer each carry up to 20 files, typed
 * and bounded like meeting documents (uploads.c). The author adds files to
 * the filing until the office registers it; the office (MEETING_PREPARE)
 * adds to the filing at any time and to the answer once registered. A file
 * is readable by whoever may read its interpellation: anyone once it is
 * registered (the public register), before that its author and the body's
 * members and staff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/documents.h"
#include "api/handlers.h"
#include "api/interp.h"
#include "api/uploads.h"
#include "store/db.h"
#include "store/interp_files.h"
#include "store/interpellations.h"

/* The part named by ?part= ("filing" or "answer"), or NULL. */
static const char *part_of(struct req *rq)
{
    const char *part = req_query(rq, "part");
    return part && (!strcmp(part, "filing") || !strcmp(part, "answer")) ? part : NULL;
}

/* Whether p may change the files of part of it; when not, *err says why
 * (ERR__COUNT: a plain 403). */
static bool may_change(struct req *rq, const struct principal *p, const struct interpellation *it,
                       const struct body *b, const char *part, enum api_err *err)
{
    bool is_office = perm_allows(rq, p, ACT_MEETING_PREPARE, b->org_id, b->id);
    bool is_author = !strcmp(it->author_id, p->user.id);
    *err = ERR__COUNT;
    if (!strcmp(part, "answer")) {
        if (is_office && !it->number[0])
            *err = ERR_INTERP_NOT_REGISTERED;
        return is_office && it->number[0];
    }
    if (is_office)
        return true;
    if (is_author && it->number[0])
        *err = ERR_INTERP_FILING_CLOSED;
    return is_author && !it->number[0];
}

/* Loads the interpellation of path "id" (with its body) into it and b. */
static int load(struct db *db, const char *id, struct interpellation *it, struct body *b)
{
    int rc = id && id_is_valid(id) ? interp_get(db, id, it) : OBR_ENOTFOUND;
    return rc ? rc : bodies_get(db, it->body_id, b);
}

static bool upload_is_allowed(struct req *rq)
{
    struct principal p;
    struct body b;
    enum api_err err;
    const char *part = part_of(rq);
    principal_optional(rq, &p);
    struct interpellation *it = p.is_signed_in && part ? calloc(1, sizeof *it) : NULL;
    bool ok = it && !load(req_db(rq), req_param(rq, "id"), it, &b) &&
              may_change(rq, &p, it, &b, part, &err);
    free(it);
    return ok;
}

int api_interp_file_sink(struct req *rq, const char *data, size_t len)
{
    return upload_sink(rq, data, len, upload_is_allowed);
}

/* Replies why p may not change part of it (403 or the specific refusal). */
static void refuse(struct req *rq, enum api_err err)
{
    reply_error(rq, err == ERR__COUNT ? ERR_FORBIDDEN : err, NULL);
}

void api_interp_file_upload(struct req *rq)
{
    struct principal p;
    struct body b;
    enum api_err err;
    if (principal_require(rq, &p) < 0)
        return;
    const char *part = part_of(rq);
    if (!part) {
        reply_error(rq, ERR_BAD_PARAMETER, "part");
        return;
    }
    struct interpellation *it = calloc(1, sizeof *it);
    int rc = it ? load(req_db(rq), req_param(rq, "id"), it, &b) : OBR_ENOMEM, n = 0;
    if (rc) {
        reply_obr_error(rq, rc);
    } else if (!may_change(rq, &p, it, &b, part, &err)) {
        refuse(rq, err);
    } else if ((rc = interp_files_count(req_db(rq), it->id, part, &n))) {
        reply_obr_error(rq, rc);
    } else if (n >= INTERP_FILES_MAX) {
        reply_error(rq, ERR_INTERP_FILES_FULL, NULL);
    } else {
        struct upload_file u = {0};
        struct interp_file f = {0};
        if (upload_finish(rq, &u) == 0) {
            snprintf(f.interp_id, sizeof f.interp_id, "%s", it->id);
            snprintf(f.part, sizeof f.part, "%s", part);
            snprintf(f.filename, sizeof f.filename, "%s", u.filename);
            snprintf(f.content_type, sizeof f.content_type, "%s", u.content_type);
            snprintf(f.sha256, sizeof f.sha256, "%s", u.sha256);
            snprintf(f.added_by, sizeof f.added_by, "%s", p.user.id);
            f.size_bytes = u.size_bytes;
            /* A failure leaves the file without a row: harmless, its name
             * is its content (and the sweep removes an unused blob). */
            rc = interp_files_add(req_db(rq), &f);
            if (rc)
                reply_obr_error(rq, rc);
            else
                reply_json(rq, 201,
                           json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s+}", "id", f.id,
                                     "interpellation_id", f.interp_id, "part", f.part, "filename",
                                     f.filename, "content_type", f.content_type, "size_bytes",
                                     (json_int_t)f.size_bytes, "url", "/api/interpellation-files/",
                                     f.id));
        }
    }
    free(it);
}

/* The file of path "id" and its interpellation; replies and returns -1. */
static int load_file(struct req *rq, struct interp_file *f, struct interpellation *it,
                     struct body *b)
{
    const char *id = req_param(rq, "id");
    int rc = !it                     ? OBR_ENOMEM
             : id && id_is_valid(id) ? interp_files_get(req_db(rq), id, f)
                                     : OBR_ENOTFOUND;
    if (!rc)
        rc = load(req_db(rq), f->interp_id, it, b);
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

void api_interp_file_get(struct req *rq)
{
    struct principal p;
    struct body b;
    struct interp_file f;
    if (!req_db(rq)) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    struct interpellation *it = calloc(1, sizeof *it);
    if (load_file(rq, &f, it, &b) < 0) {
        free(it);
        return;
    }
    bool is_public = it->number[0] != '\0';
    principal_optional(rq, &p);
    if (!is_public && !p.is_signed_in) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
    } else if (is_public || !strcmp(it->author_id, p.user.id) ||
               perm_require(rq, &p, ACT_BODY_READ, b.org_id, b.id) == 0) {
        struct upload_file u = {0};
        snprintf(u.filename, sizeof u.filename, "%s", f.filename);
        snprintf(u.content_type, sizeof u.content_type, "%s", f.content_type);
        snprintf(u.sha256, sizeof u.sha256, "%s", f.sha256);
        upload_serve(rq, &u, f.id, is_public ? "no-cache" : "private");
    }
    free(it);
}

void api_interp_file_remove(struct req *rq)
{
    struct principal p;
    struct body b;
    struct interp_file f;
    enum api_err err;
    if (principal_require(rq, &p) < 0)
        return;
    struct interpellation *it = calloc(1, sizeof *it);
    if (load_file(rq, &f, it, &b) < 0) {
        free(it);
        return;
    }
    if (!may_change(rq, &p, it, &b, f.part, &err)) {
        refuse(rq, err);
    } else {
        int rc = interp_files_remove(req_db(rq), f.id);
        if (rc)
            reply_obr_error(rq, rc);
        else
            reply_empty(rq, 204);
    }
    free(it);
}

int interp_files_attach(struct db *db, json_t *list, const char *body_id, const char *origin)
{
    json_t *by_id = interp_files_by_body_json(db, body_id);
    if (!by_id)
        return -1;
    size_t i, k;
    json_t *x, *f;
    json_array_foreach (list, i, x) {
        json_t *files = json_object_get(by_id, json_string_value(json_object_get(x, "id")));
        json_t *out = files ? json_deep_copy(files) : json_array();
        json_array_foreach (out, k, f) {
            char url[512];
            snprintf(url, sizeof url, "%s/api/interpellation-files/%s", origin ? origin : "",
                     json_string_value(json_object_get(f, "id")));
            json_object_set_new(f, "url", json_string(url));
        }
        json_object_set_new(x, "attachments", out);
    }
    json_decref(by_id);
    return 0;
}
