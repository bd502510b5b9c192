/* bodies.c — the collegial bodies of an organisation (council, committee,
 * faculty council, habilitation committee ...) with their statutory size,
 * quorum rule and default vote duration. */
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/audit.h"
#include "api/auth.h"
#include "api/members.h"
#include "api/validate.h"
#include "store/db.h"

static const char *const KINDS[] = {"council",         "committee",
                                    "faculty_council", "institute_board",
                                    "senate",          "habilitation_committee",
                                    "doctoral_committee", "other",
                                    NULL};
/* How many must be present: at least half / more than half / two thirds of
 * the statutory size, or no quorum (some committees). */
static const char *const QUORUM_RULES[] = {"half_statutory", "majority_statutory",
                                           "two_thirds_statutory", "none", NULL};

int api_load_body(struct req *rq, const char *param, struct body *b)
{
    struct db *db = req_db(rq);
    int rc = db ? bodies_get(db, req_param(rq, param), b) : OBR_EDB;
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

static int body_fields(struct req *rq, struct body *b, bool is_create)
{
    const char *name = NULL, *kind = NULL, *quorum = NULL, *phone = NULL;
    int64_t size = 0, duration = 0, check_min = 0, kbps = 0;
    bool has_size = false, has_duration = false, confirm = false, has_confirm = false;
    bool has_check_min = false, has_kbps = false, weights = false, has_weights = false;
    const struct jfield spec[] = {
        {"name", JF_STRING, is_create, 1, 200, &name, NULL},
        {"kind", JF_STRING, false, 1, 32, &kind, NULL},
        {"statutory_size", JF_INT, is_create, 1, 1000, &size, &has_size},
        {"quorum_rule", JF_STRING, false, 1, 32, &quorum, NULL},
        {"vote_duration_s", JF_INT, false, 10, 86400, &duration, &has_duration},
        {"confirm_results", JF_BOOL, false, 0, 0, &confirm, &has_confirm},
        {"help_phone", JF_STRING, false, 0, 40, &phone, NULL},
        {"attendance_min_s", JF_INT, false, 10, 3600, &check_min, &has_check_min},
        {"audio_kbps", JF_INT, false, 16, 64, &kbps, &has_kbps},
        {"uses_weights", JF_BOOL, false, 0, 0, &weights, &has_weights},
        {NULL},
    };
    if (req_parse_json(rq, spec) < 0 || (kind && validate_one_of(rq, "kind", kind, KINDS) < 0) ||
        (quorum && validate_one_of(rq, "quorum_rule", quorum, QUORUM_RULES) < 0) ||
        validate_phone(rq, "help_phone", phone) < 0)
        return -1;
    if (phone)
        snprintf(b->help_phone, sizeof b->help_phone, "%s", phone);
    if (name)
        snprintf(b->name, sizeof b->name, "%s", name);
    if (kind)
        snprintf(b->kind, sizeof b->kind, "%s", kind);
    if (quorum)
        snprintf(b->quorum_rule, sizeof b->quorum_rule, "%s", quorum);
    if (has_size)
        b->statutory_size = (int)size;
    if (has_duration)
        b->vote_duration_s = (int)duration;
    if (has_confirm)
        b->confirm_results = confirm;
    if (has_check_min)
        b->attendance_min_s = (int)check_min;
    if (has_kbps && kbps != 16 && kbps != 24 && kbps != 32 && kbps != 48 && kbps != 64) {
        reply_error(rq, ERR_OUT_OF_RANGE, "audio_kbps"); /* the console's choices */
        return -1;
    }
    if (has_kbps)
        b->audio_kbps = (int)kbps;
    if (has_weights)
        b->uses_weights = weights;
    return 0;
}

void api_bodies_list(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0 ||
        perm_require(rq, &p, ACT_STAFF_READ, req_param(rq, "id"), NULL) < 0)
        return;
    struct org o;
    int rc = orgs_get(req_db(rq), req_param(rq, "id"), &o);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 200, json_pack("{s:o}", "bodies", bodies_list_json(req_db(rq), o.id)));
}

void api_bodies_create(struct req *rq)
{
    struct principal p;
    struct org o;
    if (principal_require(rq, &p) < 0)
        return;
    int rc = orgs_get(req_db(rq), req_param(rq, "id"), &o);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    if (perm_require(rq, &p, ACT_BODY_CREATE, o.id, NULL) < 0)
        return;
    struct body b = {.kind = "council",
                     .quorum_rule = "half_statutory",
                     .vote_duration_s = 600,
                     .attendance_min_s = BODY_ATTENDANCE_MIN_DEFAULT_S,
                     .audio_kbps = BODY_AUDIO_KBPS_DEFAULT};
    snprintf(b.org_id, sizeof b.org_id, "%s", o.id);
    if (body_fields(rq, &b, true) < 0)
        return;
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    rc = bodies_create(tx.db, &b);
    if (audit_finish(rq, &tx, rc, o.id, p.user.id, "body.created", body_to_json(&b)) < 0)
        return;
    reply_json(rq, 201, body_to_json(&b));
}

void api_body_get(struct req *rq)
{
    struct principal p;
    struct body b;
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0 ||
        perm_require(rq, &p, ACT_BODY_READ, b.org_id, b.id) < 0)
        return;
    json_t *j = body_to_json(&b);
    struct role_facts f = perm_facts(rq, &p, b.org_id, b.id);
    json_object_set_new(j, "can_manage", json_boolean(roles_allow(ACT_MEMBER_MANAGE, &f)));
    json_object_set_new(j, "can_add_external",
                        json_boolean(roles_allow(ACT_MEMBER_ADD_EXTERNAL, &f)));
    json_object_set_new(j, "can_update", json_boolean(roles_allow(ACT_BODY_UPDATE, &f)));
    json_object_set_new(j, "can_read_attendance",
                        json_boolean(roles_allow(ACT_MEMBER_READ_CONTACT, &f)));
    json_object_set_new(j, "can_prepare", json_boolean(roles_allow(ACT_MEETING_PREPARE, &f)));
    struct member self;
    json_object_set_new(j, "is_member",
                        json_boolean(!members_get_by_user(req_db(rq), b.id, p.user.id, &self)));
    reply_json(rq, 200, j);
}

void api_body_update(struct req *rq)
{
    struct principal p;
    struct body b;
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0 ||
        perm_require(rq, &p, ACT_BODY_UPDATE, b.org_id, b.id) < 0 || body_fields(rq, &b, false) < 0)
        return;
    struct log_tx tx;
    if (audit_begin(rq, &tx) < 0)
        return;
    int rc = bodies_update(tx.db, &b);
    if (audit_finish(rq, &tx, rc, b.org_id, p.user.id, "body.updated", body_to_json(&b)) < 0)
        return;
    reply_json(rq, 200, body_to_json(&b));
}
