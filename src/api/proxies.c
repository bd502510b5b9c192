/* proxies.c — the office's register of proxies (pełnomocnictwa): member
 * holder_id votes for member grantor_id in a body, for one meeting or a
 * range of days, with the signed authorisation uploaded as the request body
 * (stored as a meeting's documents are, api/uploads.h). Refused: a proxy
 * to oneself, to or from a non-member, a chain (the grantor holds a proxy,
 * or the holder is represented, at an overlapping time) and a second proxy
 * of one grantor for an overlapping time. Register, revoke and download are
 * for the office only; each change goes into the organisation's log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/audit.h"
#include "api/auth.h"
#include "api/documents.h"
#include "api/members.h"
#include "api/proxies.h"
#include "api/uploads.h"
#include "api/validate.h"
#include "report/report_text.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/ids.h"

void proxy_meeting_day(const struct meeting *m, const char *zone, char day[PROXY_DAY_SIZE])
{
    report_format_date(day, PROXY_DAY_SIZE, m->starts_at_ms, zone && *zone ? zone : NULL, true);
}

bool proxy_applies(const struct proxy *p, const char *meeting_id, const char *day)
{
    if (p->revoked_ms)
        return false;
    if (p->meeting_id[0])
        return !strcmp(p->meeting_id, meeting_id);
    return strcmp(p->valid_from, day) <= 0 && strcmp(day, p->valid_until) <= 0;
}

int proxies_in_force(struct db *db, const struct meeting *m, struct proxy **out, size_t *n)
{
    struct org o;
    char day[PROXY_DAY_SIZE];
    int rc = orgs_get(db, m->org_id, &o);
    if (rc)
        return rc;
    proxy_meeting_day(m, o.time_zone, day);
    rc = proxies_active(db, m->body_id, out, n);
    if (rc)
        return rc;
    size_t k = 0;
    for (size_t i = 0; i < *n; i++)
        if (proxy_applies(&(*out)[i], m->id, day))
            (*out)[k++] = (*out)[i];
    *n = k;
    return 0;
}

/* Whether a and b can be in force at one meeting: their days overlap, and
 * two one-meeting proxies name the same meeting. */
static bool overlaps(const struct proxy *a, const struct proxy *b)
{
    if (a->meeting_id[0] && b->meeting_id[0] && strcmp(a->meeting_id, b->meeting_id))
        return false;
    return strcmp(a->valid_from, b->valid_until) <= 0 && strcmp(b->valid_from, a->valid_until) <= 0;
}

/* Checks p against the body's proxies in force; ERR__COUNT when it may be
 * registered, else the refusal and its field. */
static enum api_err conflict(const struct proxy *p, const struct proxy *all, size_t n,
                             const char **field)
{
    for (size_t i = 0; i < n; i++) {
        const struct proxy *q = &all[i];
        if (!overlaps(p, q))
            continue;
        *field = "grantor_id";
        if (!strcmp(q->grantor_id, p->grantor_id))
            return ERR_PROXY_OVERLAP;
        if (!strcmp(q->holder_id, p->grantor_id))
            return ERR_PROXY_CHAIN; /* B holds a proxy for C */
        *field = "holder_id";
        if (!strcmp(q->grantor_id, p->holder_id))
            return ERR_PROXY_CHAIN; /* A is represented by someone */
    }
    return ERR__COUNT;
}

static bool upload_is_allowed(struct req *rq)
{
    struct principal p;
    struct body b;
    struct db *db = req_db(rq);
    principal_optional(rq, &p);
    return db && p.is_signed_in && !bodies_get(db, req_param(rq, "id"), &b) &&
           perm_allows(rq, &p, ACT_MEMBER_MANAGE, b.org_id, b.id);
}

int api_proxy_sink(struct req *rq, const char *data, size_t len)
{
    return upload_sink(rq, data, len, upload_is_allowed);
}

/* A query id parameter: present and well-formed, else replies. */
static int query_id(struct req *rq, const char *name, char out[ID_SIZE])
{
    const char *v = req_query(rq, name);
    if (!v || !*v) {
        reply_error(rq, ERR_MISSING_FIELD, name);
        return -1;
    }
    if (!id_is_valid(v)) {
        reply_error(rq, ERR_BAD_PARAMETER, name);
        return -1;
    }
    snprintf(out, ID_SIZE, "%s", v);
    return 0;
}

static int check_member(struct req *rq, const struct body *b, const char *user_id,
                        const char *field)
{
    struct member m;
    int rc = members_get_by_user(req_db(rq), b->id, user_id, &m);
    if (rc == OBR_ENOTFOUND) {
        reply_error(rq, ERR_PROXY_NOT_MEMBER, field);
        return -1;
    }
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

/* Reads the parameters into x (who, and when: a meeting or a range). */
static int register_params(struct req *rq, const struct body *b, const struct org *o,
                           struct proxy *x)
{
    if (query_id(rq, "grantor_id", x->grantor_id) < 0 ||
        query_id(rq, "holder_id", x->holder_id) < 0)
        return -1;
    if (!strcmp(x->grantor_id, x->holder_id)) {
        reply_error(rq, ERR_PROXY_SELF, "holder_id");
        return -1;
    }
    if (check_member(rq, b, x->grantor_id, "grantor_id") < 0 ||
        check_member(rq, b, x->holder_id, "holder_id") < 0)
        return -1;
    const char *mid = req_query(rq, "meeting_id"), *from = req_query(rq, "valid_from"),
               *until = req_query(rq, "valid_until");
    if (mid && *mid) {
        struct meeting m;
        if (query_id(rq, "meeting_id", x->meeting_id) < 0)
            return -1;
        int rc = meetings_get(req_db(rq), x->meeting_id, &m);
        if (rc == OBR_ENOTFOUND || (!rc && strcmp(m.body_id, b->id))) {
            reply_error(rq, ERR_BAD_PARAMETER, "meeting_id");
            return -1;
        }
        if (rc) {
            reply_obr_error(rq, rc);
            return -1;
        }
        if (!strcmp(m.status, "closed") || !strcmp(m.status, "archived")) {
            reply_error(rq, ERR_MEETING_CLOSED, "meeting_id");
            return -1;
        }
        proxy_meeting_day(&m, o->time_zone, x->valid_from);
        memcpy(x->valid_until, x->valid_from, sizeof x->valid_until);
        return 0;
    }
    if (!from || !*from) {
        reply_error(rq, ERR_MISSING_FIELD, "meeting_id");
        return -1;
    }
    if (!until || !*until) {
        reply_error(rq, ERR_MISSING_FIELD, "valid_until");
        return -1;
    }
    if (validate_date(rq, "valid_from", from) < 0 || validate_date(rq, "valid_until", until) < 0)
        return -1;
    if (strcmp(from, until) > 0) {
        reply_error(rq, ERR_OUT_OF_RANGE, "valid_until");
        return -1;
    }
    snprintf(x->valid_from, sizeof x->valid_from, "%s", from);
    snprintf(x->valid_until, sizeof x->valid_until, "%s", until);
    return 0;
}

void api_proxies_register(struct req *rq)
{
    struct principal p;
    struct body b;
    struct org o;
    if (principal_require(rq, &p) < 0 || api_load_body_org(rq, &b, &o) < 0 ||
        perm_require(rq, &p, ACT_MEMBER_MANAGE, o.id, b.id) < 0)
        return;
    struct proxy x = {0};
    if (register_params(rq, &b, &o, &x) < 0)
        return;
    struct upload_file f = {0};
    if (upload_finish(rq, &f) < 0)
        return;
    snprintf(x.body_id, sizeof x.body_id, "%s", b.id);
    snprintf(x.filename, sizeof x.filename, "%s", f.filename);
    snprintf(x.content_type, sizeof x.content_type, "%s", f.content_type);
    snprintf(x.sha256, sizeof x.sha256, "%s", f.sha256);
    x.size_bytes = f.size_bytes;
    snprintf(x.created_by, sizeof x.created_by, "%s", p.user.id);
    snprintf(x.created_by_name, sizeof x.created_by_name, "%s", p.user.name);
    x.created_ms = clock_now_ms();

    /* The check and the insert under the writer lock: two registrations
     * racing cannot both pass it. */
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    struct proxy *all = NULL;
    size_t n = 0;
    int rc = proxies_active(tx.db, b.id, &all, &n);
    const char *field = NULL;
    enum api_err e = rc ? ERR__COUNT : conflict(&x, all, n, &field);
    free(all);
    if (e != ERR__COUNT) {
        log_tx_rollback(&tx);
        reply_error(rq, e, field);
        return;
    }
    if (!rc)
        rc = proxies_add(tx.db, &x);
    if (audit_finish(rq, &tx, rc, o.id, p.user.id, "proxy.registered", proxy_to_json(&x)) < 0)
        return;
    reply_json(rq, 201, proxy_to_json(&x));
}

void api_proxies_list(struct req *rq)
{
    struct principal p;
    struct body b;
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0 ||
        perm_require(rq, &p, ACT_MEMBER_MANAGE, b.org_id, b.id) < 0)
        return;
    json_t *list = proxies_list_json(req_db(rq), b.id);
    if (!list) {
        reply_obr_error(rq, OBR_EDB);
        return;
    }
    reply_json(rq, 200, json_pack("{s:o}", "proxies", list));
}

/* The proxy of path "id" and its body, for the office; replies and -1. */
static int load_proxy(struct req *rq, struct principal *p, struct proxy *x, struct body *b)
{
    struct db *db = req_db(rq);
    if (principal_require(rq, p) < 0)
        return -1;
    const char *id = req_param(rq, "id");
    int rc = !db ? OBR_EDB : !id_is_valid(id) ? OBR_ENOTFOUND : proxies_get(db, id, x);
    if (!rc)
        rc = bodies_get(db, x->body_id, b);
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return perm_require(rq, p, ACT_MEMBER_MANAGE, b->org_id, b->id);
}

void api_proxy_revoke(struct req *rq)
{
    struct principal p;
    struct proxy x;
    struct body b;
    if (load_proxy(rq, &p, &x, &b) < 0)
        return;
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    int rc = proxies_revoke(tx.db, x.id, p.user.id, p.user.name, clock_now_ms());
    if (rc == OBR_ENOTFOUND) {
        log_tx_rollback(&tx);
        reply_error(rq, ERR_PROXY_REVOKED, NULL);
        return;
    }
    if (!rc)
        rc = proxies_get(tx.db, x.id, &x);
    if (audit_finish(rq, &tx, rc, b.org_id, p.user.id, "proxy.revoked", proxy_to_json(&x)) < 0)
        return;
    reply_json(rq, 200, proxy_to_json(&x));
}

void api_proxy_document(struct req *rq)
{
    struct principal p;
    struct proxy x;
    struct body b;
    if (load_proxy(rq, &p, &x, &b) < 0)
        return;
    struct upload_file f = {0};
    snprintf(f.filename, sizeof f.filename, "%s", x.filename);
    snprintf(f.content_type, sizeof f.content_type, "%s", x.content_type);
    snprintf(f.sha256, sizeof f.sha256, "%s", x.sha256);
    upload_serve(rq, &f, "proxy document", "private");
}
