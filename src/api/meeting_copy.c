/* meeting_copy.c — new meetings that start from something: POST
 * /api/bodies/{id}/meetings/from-template {template_id, title, starts_at,
 * number?} (the template's agenda and settings) and POST
 * /api/meetings/{id}/copy {title, starts_at, number?} (an earlier meeting's
 * agenda — every item as the agenda stands, amendments included as ordinary
 * items — and settings; never its documents, votes, guests or log).
 * MEETING_PREPARE on the body. The new meeting is a draft. */
#include <string.h>

#include "api/auth.h"
#include "api/handlers.h"
#include "api/meeting_flow.h"
#include "api/members.h"
#include "api/templates.h"
#include "log/eventlog.h"
#include "store/db.h"
#include "store/templates.h"
#include "util/clock.h"

void template_create_meeting(struct req *rq, const char *actor, struct meeting *m,
                             const json_t *agenda)
{
    struct log_tx tx;
    if (log_tx_begin(&tx, req_db(rq), req_hub(rq))) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    int rc = meetings_create(tx.db, m);
    if (!rc)
        rc = meetings_get(tx.db, m->id, m);
    json_t *created = rc ? NULL : meeting_created_json(m);
    if (!rc)
        rc = created ? log_append(&tx, m->id, actor, "meeting.created", created, EVENT_PUBLIC, NULL)
                     : OBR_ENOMEM;
    json_decref(created);
    size_t i;
    json_t *x;
    json_array_foreach (rc ? NULL : agenda, i, x) {
        struct agenda_item it = {0};
        snprintf(it.meeting_id, sizeof it.meeting_id, "%s", m->id);
        snprintf(it.title, sizeof it.title, "%s", json_string_value(json_object_get(x, "title")));
        const char *d = json_string_value(json_object_get(x, "description"));
        snprintf(it.description, sizeof it.description, "%s", d ? d : "");
        rc = agenda_add(tx.db, &it);
        json_t *j =
            json_pack("{s:s, s:i, s:s, s:s, s:b}", "item_id", it.id, "position", it.position,
                      "title", it.title, "description", it.description, "is_amendment", false);
        if (!rc)
            rc = j ? log_append(&tx, m->id, actor, "agenda.item_added", j, EVENT_PUBLIC, NULL)
                   : OBR_ENOMEM;
        json_decref(j);
        if (rc)
            break;
    }
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc) {
        log_tx_rollback(&tx);
        reply_obr_error(rq, rc);
        return;
    }
    json_t *j = meeting_to_json(m);
    json_object_set_new(j, "agenda", agenda_list_json(req_db(rq), m->id));
    reply_json(rq, 201, j);
}

/* The new meeting's own fields: title, starts_at, number. */
static int own_fields(struct req *rq, struct meeting *m, const char **template_id)
{
    const char *title = NULL, *starts = NULL, *number = "";
    struct jfield spec[] = {
        {"title", JF_STRING, true, 1, 200, &title, NULL},
        {"starts_at", JF_STRING, true, 1, 40, &starts, NULL},
        {"number", JF_STRING, false, 0, 40, &number, NULL},
        {template_id ? "template_id" : NULL, JF_STRING, true, 1, 40, template_id, NULL},
        {NULL},
    };
    if (req_parse_json(rq, spec) < 0)
        return -1;
    if (clock_parse_rfc3339(starts, &m->starts_at_ms)) {
        reply_error(rq, ERR_BAD_TIME, "starts_at");
        return -1;
    }
    snprintf(m->title, sizeof m->title, "%s", title);
    snprintf(m->number, sizeof m->number, "%s", number);
    return 0;
}

void api_meeting_from_template(struct req *rq)
{
    struct principal p;
    struct body b;
    const char *template_id = NULL;
    struct meeting m = {0};
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0 ||
        perm_require(rq, &p, ACT_MEETING_PREPARE, b.org_id, b.id) < 0 ||
        own_fields(rq, &m, &template_id) < 0)
        return;
    struct meeting_template t = {0};
    int rc = id_is_valid(template_id) ? templates_get(req_db(rq), template_id, &t) : OBR_ENOTFOUND;
    if (rc == OBR_ENOTFOUND || (!rc && strcmp(t.body_id, b.id))) {
        template_clear(&t);
        reply_error(rq, ERR_TEMPLATE_UNKNOWN, "template_id");
        return;
    }
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    snprintf(m.body_id, sizeof m.body_id, "%s", b.id);
    snprintf(m.mode, sizeof m.mode, "%s", t.mode);
    snprintf(m.place, sizeof m.place, "%s", t.place);
    snprintf(m.broadcast_url, sizeof m.broadcast_url, "%s", t.broadcast_url);
    m.is_public = t.is_public;
    m.reminder_days = t.reminder_days;
    template_create_meeting(rq, p.user.id, &m, t.agenda);
    template_clear(&t);
}

void api_meeting_copy(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    const char *id = req_param(rq, "id");
    struct meeting src;
    int rc = id && id_is_valid(id) ? meetings_get(req_db(rq), id, &src) : OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    struct meeting m = {0};
    if (perm_require(rq, &p, ACT_MEETING_PREPARE, src.org_id, src.body_id) < 0 ||
        own_fields(rq, &m, NULL) < 0)
        return;
    json_t *items = agenda_list_json(req_db(rq), src.id);
    if (!items) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    snprintf(m.body_id, sizeof m.body_id, "%s", src.body_id);
    snprintf(m.mode, sizeof m.mode, "%s", src.mode);
    snprintf(m.place, sizeof m.place, "%s", src.place);
    snprintf(m.broadcast_url, sizeof m.broadcast_url, "%s", src.broadcast_url);
    snprintf(m.help_phone, sizeof m.help_phone, "%s", src.help_phone);
    m.is_public = src.is_public;
    m.reminder_days = src.reminder_days;
    template_create_meeting(rq, p.user.id, &m, items);
    json_decref(items);
}
