/* members.c — the members of a body: list, add (with the organisation's
 * e-mail domain policy; external members such as reviewers may use any
 * address and are marked as such), change and remove. CSV import is in
 * members_import.c. */
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/audit.h"
#include "api/auth.h"
#include "api/members.h"
#include "api/validate.h"
#include "core/email.h"
#include "store/db.h"

static const char *const ROLES[] = {"chair", "vice_chair", "member", "secretary", NULL};

bool api_domain_allowed(const struct org *o, const char *email)
{
    json_t *list = json_loads(o->email_domains, 0, NULL);
    const char *domains[20];
    size_t n = 0, i;
    json_t *d;
    json_array_foreach(list, i, d) if (n < 20 && json_is_string(d)) domains[n++] =
        json_string_value(d);
    bool is_ok = email_domain_allowed(email, domains, n);
    json_decref(list);
    return is_ok;
}

/* Loads the body and its organisation named by the path parameter "id". */
int api_load_body_org(struct req *rq, struct body *b, struct org *o)
{
    if (api_load_body(rq, "id", b) < 0)
        return -1;
    int rc = orgs_get(req_db(rq), b->org_id, o);
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

void api_members_list(struct req *rq)
{
    struct principal p;
    struct body b;
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0 ||
        perm_require(rq, &p, ACT_MEMBER_READ, b.org_id, b.id) < 0)
        return;
    json_t *list = members_list_json(req_db(rq), b.id);
    if (!perm_allows(rq, &p, ACT_MEMBER_READ_CONTACT, b.org_id, b.id)) {
        size_t i;
        json_t *m;
        json_array_foreach(list, i, m) json_object_del(m, "email");
    }
    reply_json(rq, 200, json_pack("{s:o}", "members", list));
}

/* Reads the optional fields shared by add and update into m. */
static int member_fields(struct req *rq, struct member *m, const char **email, const char **name,
                         bool is_create)
{
    const char *role = NULL, *from = NULL, *to = NULL;
    json_t *groups = NULL, *weight = NULL;
    bool is_external = m->is_external, has_external = false;
    const struct jfield spec[] = {
        {"email", JF_STRING, is_create, 3, 254, email, NULL},
        {"name", JF_STRING, is_create, 1, 200, name, NULL},
        {"role", JF_STRING, false, 1, 16, &role, NULL},
        {"groups", JF_JSON, false, 0, 0, &groups, NULL},
        {"is_external", JF_BOOL, false, 0, 0, &is_external, &has_external},
        {"active_from", JF_STRING, false, 10, 10, &from, NULL},
        {"active_to", JF_STRING, false, 10, 10, &to, NULL},
        {"weight", JF_JSON, false, 0, 0, &weight, NULL},
        {NULL},
    };
    if (req_parse_json(rq, spec) < 0 || (role && validate_one_of(rq, "role", role, ROLES) < 0) ||
        (groups && validate_groups(rq, "groups", groups, m->groups, sizeof m->groups) < 0) ||
        validate_date(rq, "active_from", from) < 0 || validate_date(rq, "active_to", to) < 0 ||
        validate_weight(rq, "weight", weight, &m->weight_micro) < 0)
        return -1;
    if (role)
        snprintf(m->role, sizeof m->role, "%s", role);
    if (from)
        snprintf(m->active_from, sizeof m->active_from, "%s", from);
    if (to)
        snprintf(m->active_to, sizeof m->active_to, "%s", to);
    if (m->active_from[0] && m->active_to[0] && strcmp(m->active_from, m->active_to) > 0) {
        reply_error(rq, ERR_OUT_OF_RANGE, "active_to");
        return -1;
    }
    m->is_external = is_external;
    return 0;
}

void api_members_add(struct req *rq)
{
    struct principal p;
    struct body b;
    struct org o;
    if (principal_require(rq, &p) < 0 || api_load_body_org(rq, &b, &o) < 0)
        return;
    struct member m = {.role = "member", .groups = "[]"};
    const char *email_in = NULL, *name = NULL;
    if (member_fields(rq, &m, &email_in, &name, true) < 0 ||
        perm_require(rq, &p, m.is_external ? ACT_MEMBER_ADD_EXTERNAL : ACT_MEMBER_MANAGE, o.id,
                     b.id) < 0)
        return;
    char email[EMAIL_SIZE];
    if (email_normalize(email_in, email, sizeof email) || !email_is_valid(email)) {
        reply_error(rq, ERR_EMAIL_INVALID, "email");
        return;
    }
    if (!m.is_external && !api_domain_allowed(&o, email)) {
        reply_error(rq, ERR_EMAIL_DOMAIN, "email");
        return;
    }
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    struct user u;
    int rc = users_ensure(tx.db, email, name, o.default_lang, &u);
    if (!rc) {
        org_shown_name(tx.db, o.id, &u, name, m.shown_name, sizeof m.shown_name);
        snprintf(m.body_id, sizeof m.body_id, "%s", b.id);
        snprintf(m.user_id, sizeof m.user_id, "%s", u.id);
        rc = members_add(tx.db, &m);
    }
    if (rc == OBR_EEXISTS) {
        log_tx_rollback(&tx);
        reply_error(rq, ERR_ALREADY_MEMBER, "email");
        return;
    }
    if (!rc)
        rc = members_get(tx.db, m.id, &m);
    if (audit_finish(rq, &tx, rc, o.id, p.user.id, "member.added", member_to_json(&m)) < 0)
        return;
    reply_json(rq, 201, member_to_json(&m));
}

/* Loads the member named by path "member" and checks it belongs to body "id". */
static int load_member(struct req *rq, const struct body *b, struct member *m)
{
    int rc = members_get(req_db(rq), req_param(rq, "member"), m);
    if (!rc && strcmp(m->body_id, b->id))
        rc = OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

void api_member_update(struct req *rq)
{
    struct principal p;
    struct body b;
    struct org o;
    struct member m;
    const char *unused_email = NULL, *unused_name = NULL;
    if (principal_require(rq, &p) < 0 || api_load_body_org(rq, &b, &o) < 0 ||
        perm_require(rq, &p, ACT_MEMBER_MANAGE, o.id, b.id) < 0 || load_member(rq, &b, &m) < 0)
        return;
    bool was_external = m.is_external;
    if (member_fields(rq, &m, &unused_email, &unused_name, false) < 0)
        return;
    if (unused_email || unused_name) {
        reply_error(rq, ERR_UNKNOWN_FIELD, unused_email ? "email" : "name");
        return;
    }
    if (was_external && !m.is_external && !api_domain_allowed(&o, m.email)) {
        reply_error(rq, ERR_EMAIL_DOMAIN, "is_external");
        return;
    }
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    int rc = members_update(tx.db, &m);
    if (audit_finish(rq, &tx, rc, o.id, p.user.id, "member.updated", member_to_json(&m)) < 0)
        return;
    reply_json(rq, 200, member_to_json(&m));
}

void api_member_remove(struct req *rq)
{
    struct principal p;
    struct body b;
    struct org o;
    struct member m;
    if (principal_require(rq, &p) < 0 || api_load_body_org(rq, &b, &o) < 0 ||
        perm_require(rq, &p, ACT_MEMBER_MANAGE, o.id, b.id) < 0 || load_member(rq, &b, &m) < 0)
        return;
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    int rc = members_remove(tx.db, m.id);
    if (audit_finish(rq, &tx, rc, o.id, p.user.id, "member.removed",
                     json_pack("{s:s, s:s, s:s}", "member_id", m.id, "body_id", b.id, "user_id",
                               m.user_id)) < 0)
        return;
    reply_empty(rq, 204);
}
