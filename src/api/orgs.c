/* orgs.c — organisations (a municipality, a faculty) and their staff
 * (organisation admins and operators). */
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/audit.h"
#include "api/auth.h"
#include "api/validate.h"
#include "core/email.h"
#include "store/db.h"

static const char *const LANGS[] = {"pl", "en", NULL};

/* Loads the org named in the path; replies 404 and returns -1 when unknown. */
static int load_org(struct req *rq, struct org *o)
{
    struct db *db = req_db(rq);
    int rc = db ? orgs_get(db, req_param(rq, "id"), o) : OBR_EDB;
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

/* Applies the fields of a create/update body to o; -1 with the error replied. */
static int org_fields(struct req *rq, struct org *o, bool is_create)
{
    const char *name = NULL, *tz = NULL, *lang = NULL;
    json_t *domains = NULL;
    int64_t retention = 0, months = 0;
    bool has_retention = false, has_months = false;
    const struct jfield spec[] = {
        {"name", JF_STRING, is_create, 1, 200, &name, NULL},
        {"email_domains", JF_JSON, false, 0, 0, &domains, NULL},
        {"time_zone", JF_STRING, false, 1, 60, &tz, NULL},
        {"default_lang", JF_STRING, false, 2, 2, &lang, NULL},
        {"retention_days", JF_INT, false, 1, 3650, &retention, &has_retention},
        {"retention_months", JF_INT, false, 1, 120, &months, &has_months},
        {NULL},
    };
    if (req_parse_json(rq, spec) < 0)
        return -1;
    if (lang && validate_one_of(rq, "default_lang", lang, LANGS) < 0)
        return -1;
    if (domains && validate_domains(rq, "email_domains", domains, o->email_domains,
                                    sizeof o->email_domains) < 0)
        return -1;
    if (name)
        snprintf(o->name, sizeof o->name, "%s", name);
    if (tz)
        snprintf(o->time_zone, sizeof o->time_zone, "%s", tz);
    if (lang)
        snprintf(o->default_lang, sizeof o->default_lang, "%s", lang);
    if (has_retention)
        o->retention_days = (int)retention;
    if (has_months)
        o->retention_months = (int)months;
    return 0;
}

void api_orgs_list(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    reply_json(rq, 200, json_pack("{s:o}", "orgs", orgs_list_json(req_db(rq), p.user.id,
                                                                  p.user.is_instance_admin)));
}

void api_orgs_create(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0 || perm_require(rq, &p, ACT_ORG_CREATE, NULL, NULL) < 0)
        return;
    struct org o = {.time_zone = "Europe/Warsaw", .default_lang = "pl",
                    .email_domains = "[]", .retention_days = 92, .retention_months = 3};
    if (org_fields(rq, &o, true) < 0)
        return;
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    int rc = orgs_create(tx.db, &o);
    if (audit_finish(rq, &tx, rc, o.id, p.user.id, "org.created", org_to_json(&o)) < 0)
        return;
    reply_json(rq, 201, org_to_json(&o));
}

void api_org_get(struct req *rq)
{
    struct principal p;
    struct org o;
    if (principal_require(rq, &p) < 0 || load_org(rq, &o) < 0 ||
        perm_require(rq, &p, ACT_ORG_READ, o.id, NULL) < 0)
        return;
    reply_json(rq, 200, org_to_json(&o));
}

void api_org_update(struct req *rq)
{
    struct principal p;
    struct org o;
    if (principal_require(rq, &p) < 0 || load_org(rq, &o) < 0 ||
        perm_require(rq, &p, ACT_ORG_UPDATE, o.id, NULL) < 0 || org_fields(rq, &o, false) < 0)
        return;
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    int rc = orgs_update(tx.db, &o);
    if (audit_finish(rq, &tx, rc, o.id, p.user.id, "org.updated", org_to_json(&o)) < 0)
        return;
    reply_json(rq, 200, org_to_json(&o));
}

void api_staff_list(struct req *rq)
{
    struct principal p;
    struct org o;
    if (principal_require(rq, &p) < 0 || load_org(rq, &o) < 0 ||
        perm_require(rq, &p, ACT_STAFF_READ, o.id, NULL) < 0)
        return;
    reply_json(rq, 200, json_pack("{s:o}", "staff", staff_list_json(req_db(rq), o.id)));
}

void api_staff_add(struct req *rq)
{
    const char *email_in = NULL, *name = NULL, *role = NULL;
    const struct jfield spec[] = {
        {"email", JF_STRING, true, 3, 254, &email_in, NULL},
        {"name", JF_STRING, true, 1, 200, &name, NULL},
        {"role", JF_STRING, true, 1, 16, &role, NULL},
        {NULL},
    };
    static const char *const ROLES[] = {"admin", "operator", NULL};
    struct principal p;
    struct org o;
    char email[EMAIL_SIZE];
    if (principal_require(rq, &p) < 0 || load_org(rq, &o) < 0 ||
        perm_require(rq, &p, ACT_STAFF_MANAGE, o.id, NULL) < 0 || req_parse_json(rq, spec) < 0 ||
        validate_one_of(rq, "role", role, ROLES) < 0)
        return;
    if (email_normalize(email_in, email, sizeof email) || !email_is_valid(email)) {
        reply_error(rq, ERR_EMAIL_INVALID, "email");
        return;
    }
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    struct user u;
    int rc = users_ensure(tx.db, email, name, o.default_lang, &u);
    char shown[NAME_SIZE] = "";
    if (!rc) {
        org_shown_name(tx.db, o.id, &u, name, shown, sizeof shown);
        rc = staff_set_named(tx.db, o.id, u.id, !strcmp(role, "admin") ? STAFF_ADMIN : STAFF_OPERATOR,
                             shown);
        if (shown[0]) /* the reply names nobody but whom the office typed */
            snprintf(u.name, sizeof u.name, "%s", shown);
    }
    if (rc) {
        audit_fail(rq, &tx, rc);
        return;
    }
    json_t *entry = json_pack("{s:s, s:s, s:s, s:s}", "user_id", u.id, "email", u.email, "name",
                              u.name, "role", role);
    if (audit_commit(rq, &tx, o.id, p.user.id, "staff.set", json_deep_copy(entry)) < 0) {
        json_decref(entry);
        return;
    }
    reply_json(rq, 201, entry);
}

void api_staff_remove(struct req *rq)
{
    struct principal p;
    struct org o;
    if (principal_require(rq, &p) < 0 || load_org(rq, &o) < 0 ||
        perm_require(rq, &p, ACT_STAFF_MANAGE, o.id, NULL) < 0)
        return;
    const char *user_id = req_param(rq, "user");
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    int rc = staff_remove(tx.db, o.id, user_id);
    if (audit_finish(rq, &tx, rc, o.id, p.user.id, "staff.removed",
                     json_pack("{s:s}", "user_id", user_id)) < 0)
        return;
    reply_empty(rq, 204);
}
