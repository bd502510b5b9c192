/* members_import.c — POST /api/bodies/{id}/members/import: a CSV list of
 * members (name, e-mail, role, groups, external) checked whole before
 * anything is written. With ?dry_run=1 it only reports; otherwise it imports
 * every row in one transaction, or nothing if any row is bad. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/app.h"
#include "api/audit.h"
#include "api/auth.h"
#include "api/handlers.h"
#include "api/members.h"
#include "core/vote_weights.h"
#include "core/member_import.h"
#include "store/db.h"
#include "util/cp1250.h"
#include "util/utf8.h"

struct member_check {
    struct db *db;
    const char *body_id;
};

static bool is_member(void *ctx, const char *email)
{
    struct member_check *c = ctx;
    return members_has_email(c->db, c->body_id, email);
}

static json_t *groups_json(const struct import_row *r)
{
    json_t *g = json_array();
    for (int i = 0; i < r->n_groups; i++)
        json_array_append_new(g, json_string(r->groups[i]));
    return g;
}

static json_t *report_json(struct req *rq, const struct import_result *res)
{
    bool is_pl = req_prefers_polish(rq);
    json_t *rows = json_array(), *errors = json_array();
    for (int i = 0; i < res->n_rows; i++) {
        const struct import_row *r = &res->rows[i];
        char w[WEIGHT_TEXT_SIZE];
        vote_weight_format(r->weight_micro, w, sizeof w);
        json_array_append_new(rows, json_pack("{s:i, s:s, s:s, s:s?, s:o, s:b, s:s, s:b}", "line",
                                              r->line, "name", r->name, "email", r->email,
                                              "role", r->role, "groups", groups_json(r),
                                              "is_external", r->is_external, "weight", w,
                                              "is_valid", r->is_valid));
    }
    for (int i = 0; i < res->n_errors; i++) {
        const struct import_error *e = &res->errors[i];
        json_t *j = json_pack("{s:i, s:s, s:s}", "line", e->line, "code", e->code, "message",
                              is_pl ? e->message_pl : e->message_en);
        json_object_set_new(j, "field", e->field ? json_string(e->field) : json_null());
        json_array_append_new(errors, j);
    }
    return json_pack("{s:o, s:o}", "rows", rows, "errors", errors);
}

static bool is_csv_type(const char *ct)
{
    return ct && (!strncasecmp(ct, "text/csv", 8) || !strncasecmp(ct, "text/plain", 10));
}

/* Writes every row; 0 or an OBR_E code (the caller rolls back). */
static int import_rows(struct db *db, const struct org *o, const struct body *b,
                       const struct import_result *res)
{
    for (int i = 0; i < res->n_rows; i++) {
        const struct import_row *r = &res->rows[i];
        struct user u;
        int rc = users_ensure(db, r->email, r->name, o->default_lang, &u);
        if (rc)
            return rc;
        struct member m = {.is_external = r->is_external, .weight_micro = r->weight_micro};
        org_shown_name(db, o->id, &u, r->name, m.shown_name, sizeof m.shown_name);
        snprintf(m.body_id, sizeof m.body_id, "%s", b->id);
        snprintf(m.user_id, sizeof m.user_id, "%s", u.id);
        snprintf(m.role, sizeof m.role, "%s", r->role);
        json_t *gj = groups_json(r);
        char *g = json_dumps(gj, JSON_COMPACT);
        json_decref(gj);
        snprintf(m.groups, sizeof m.groups, "%s", g ? g : "[]");
        free(g);
        if ((rc = members_add(db, &m)))
            return rc;
    }
    return 0;
}

void api_members_import(struct req *rq)
{
    struct principal p;
    struct body b;
    struct org o;
    if (principal_require(rq, &p) < 0 || api_load_body_org(rq, &b, &o) < 0 ||
        perm_require(rq, &p, ACT_MEMBER_MANAGE, o.id, b.id) < 0)
        return;
    if (!is_csv_type(req_header(rq, "Content-Type"))) {
        reply_error(rq, ERR_UNSUPPORTED_MEDIA_TYPE, NULL);
        return;
    }
    const char *dry = req_query(rq, "dry_run");
    bool is_dry = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
    json_t *domains_json = json_loads(o.email_domains, 0, NULL);
    const char *domains[20];
    size_t n_domains = 0, i;
    json_t *d;
    json_array_foreach(domains_json, i, d) if (n_domains < 20) domains[n_domains++] =
        json_string_value(d);
    struct member_check check = {req_db(rq), b.id};
    struct import_policy policy = {domains, n_domains, is_member, &check};
    size_t len;
    const char *csv = req_body(rq, &len);
    /* Excel on Polish Windows saves CSV in Windows-1250: a file that is not
     * UTF-8 is read as that, and the report says so, so the preview shows
     * the decoded names for the office to confirm. */
    char *decoded = NULL;
    const char *encoding = "utf-8";
    size_t decoded_len = 0;
    if (!utf8_is_valid(csv, len) && !cp1250_to_utf8(csv, len, &decoded, &decoded_len)) {
        csv = decoded;
        len = decoded_len;
        encoding = "windows-1250";
    }
    struct import_result *res = NULL;
    int rc = member_import_validate(csv, len, &policy, &res);
    json_decref(domains_json);
    if (rc || !res) {
        free(decoded);
        reply_obr_error(rq, rc ? rc : OBR_ENOMEM);
        return;
    }
    json_t *report = report_json(rq, res);
    json_object_set_new(report, "encoding", json_string(encoding));
    bool is_ok = res->n_errors == 0 && res->n_rows > 0;
    if (is_dry || res->n_errors) {
        json_object_set_new(report, "dry_run", json_boolean(is_dry));
        json_object_set_new(report, "ok", json_boolean(is_ok));
        if (res->n_errors) {
            const struct api_err_info *info = api_err_info(ERR_CSV_INVALID);
            json_object_set_new(report, "error",
                                json_pack("{s:s, s:s}", "code", info->code, "message",
                                          req_prefers_polish(rq) ? info->message_pl
                                                                 : info->message_en));
        }
        import_result_free(res);
        free(decoded);
        reply_json(rq, is_dry ? 200 : 422, report);
        return;
    }
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0) {
        import_result_free(res);
        free(decoded);
        json_decref(report);
        return;
    }
    rc = import_rows(tx.db, &o, &b, res);
    int n = res->n_rows;
    import_result_free(res);
    free(decoded);
    if (rc) {
        json_decref(report);
        audit_fail(rq, &tx, rc);
        return;
    }
    if (audit_commit(rq, &tx, o.id, p.user.id, "members.imported",
                     json_pack("{s:s, s:i, s:s}", "body_id", b.id, "count", n, "encoding",
                               encoding)) < 0) {
        json_decref(report);
        return;
    }
    json_decref(report);
    reply_json(rq, 201, json_pack("{s:i, s:s, s:o}", "imported", n, "encoding", encoding, "members",
                                  members_list_json(req_db(rq), b.id)));
}
