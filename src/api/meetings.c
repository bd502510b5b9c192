/* meetings.c — preparing a meeting: create, read, edit, list; the agenda
 * (edited freely while a draft, amended only during the meeting); guests and
 * the scrutiny committee. Convening, starting and closing are in
 * meeting_flow.c; live proceedings in proceedings.c. */
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/meeting_ctx.h"
#include "api/meeting_flow.h"
#include "api/members.h"
#include "api/validate.h"
#include "core/email.h"
#include "mail/mail.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/ids.h"

static const char *const MODES[] = {"in_person", "remote", "hybrid", NULL};

/* Reads the editable fields of a meeting; -1 with the reply made. */
static int meeting_fields(struct req *rq, struct meeting *m, bool is_create, json_t **changes)
{
    const char *number = NULL, *title = NULL, *starts = NULL, *place = NULL, *mode = NULL,
               *url = NULL, *phone = NULL;
    bool is_public = m->is_public, has_public = false;
    int64_t reminder = m->reminder_days;
    bool has_reminder = false;
    const struct jfield spec[] = {
        {"number", JF_STRING, false, 0, 40, &number, NULL},
        {"title", JF_STRING, is_create, 1, 200, &title, NULL},
        {"starts_at", JF_STRING, is_create, 1, 40, &starts, NULL},
        {"place", JF_STRING, false, 0, 200, &place, NULL},
        {"mode", JF_STRING, is_create, 1, 16, &mode, NULL},
        {"public", JF_BOOL, false, 0, 0, &is_public, &has_public},
        {"broadcast_url", JF_STRING, false, 0, 500, &url, NULL},
        {"reminder_days", JF_INT, false, 0, 60, &reminder, &has_reminder},
        {"help_phone", JF_STRING, false, 0, 40, &phone, NULL},
        {NULL},
    };
    if (req_parse_json(rq, spec) < 0 || (mode && validate_one_of(rq, "mode", mode, MODES) < 0) ||
        validate_phone(rq, "help_phone", phone) < 0)
        return -1;
    int64_t starts_ms = 0;
    if (starts && clock_parse_rfc3339(starts, &starts_ms)) {
        reply_error(rq, ERR_BAD_TIME, "starts_at");
        return -1;
    }
    if (url && *url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "broadcast_url");
        return -1;
    }
    json_t *ch = json_object();
#define SET_TEXT(field, key, v)                                                                 \
    if (v && strcmp(m->field, v)) {                                                             \
        snprintf(m->field, sizeof m->field, "%s", v);                                          \
        json_object_set_new(ch, key, json_string(v));                                          \
    }
    SET_TEXT(number, "number", number);
    SET_TEXT(title, "title", title);
    SET_TEXT(place, "place", place);
    SET_TEXT(mode, "mode", mode);
    SET_TEXT(broadcast_url, "broadcast_url", url);
    SET_TEXT(help_phone, "help_phone", phone);
#undef SET_TEXT
    if (starts && starts_ms != m->starts_at_ms) {
        m->starts_at_ms = starts_ms;
        json_object_set_new(ch, "starts_at", json_integer(starts_ms));
    }
    if (has_public && is_public != m->is_public) {
        m->is_public = is_public;
        json_object_set_new(ch, "is_public", json_boolean(is_public));
    }
    if (has_reminder)
        m->reminder_days = (int)reminder;
    *changes = ch;
    return 0;
}

json_t *meeting_created_json(const struct meeting *m)
{
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:b, s:s}", "body_id", m->body_id, "number",
                     m->number, "title", m->title, "starts_at", (json_int_t)m->starts_at_ms,
                     "place", m->place, "mode", m->mode, "is_public", m->is_public,
                     "broadcast_url", m->broadcast_url);
}

void api_meetings_create(struct req *rq)
{
    struct principal p;
    struct body b;
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0 ||
        perm_require(rq, &p, ACT_MEETING_PREPARE, b.org_id, b.id) < 0)
        return;
    struct meeting m = {.reminder_days = 7};
    snprintf(m.body_id, sizeof m.body_id, "%s", b.id);
    json_t *changes = NULL;
    if (meeting_fields(rq, &m, true, &changes) < 0)
        return;
    json_decref(changes);
    struct log_tx tx;
    if (log_tx_begin(&tx, req_db(rq), req_hub(rq))) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    int rc = meetings_create(tx.db, &m);
    if (!rc)
        rc = meetings_get(tx.db, m.id, &m);
    json_t *created = meeting_created_json(&m);
    if (!rc)
        rc = log_append(&tx, m.id, p.user.id, "meeting.created", created, EVENT_PUBLIC, NULL);
    json_decref(created);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc) {
        log_tx_rollback(&tx);
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 201, meeting_to_json(&m));
}

void api_meetings_list(struct req *rq)
{
    struct principal p;
    struct body b;
    if (principal_require(rq, &p) < 0 || api_load_body(rq, "id", &b) < 0 ||
        perm_require(rq, &p, ACT_MEETING_READ, b.org_id, b.id) < 0)
        return;
    reply_json(rq, 200, json_pack("{s:o}", "meetings", meetings_list_json(req_db(rq), b.id)));
}

void api_my_meetings(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    reply_json(rq, 200, json_pack("{s:o}", "meetings", meetings_of_user_json(req_db(rq), p.user.id)));
}

void api_office_meetings(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    const int64_t month_ms = 30LL * 24 * 3600 * 1000;
    reply_json(rq, 200, json_pack("{s:o}", "meetings",
                                  meetings_of_staff_json(req_db(rq), p.user.id,
                                                         clock_now_ms() - month_ms)));
}

void api_meeting_get(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, true) < 0)
        return;
    struct db *db = req_db(rq);
    json_t *j = meeting_to_json(&c.m);
    json_object_set_new(j, "body", json_pack("{s:s, s:s, s:i, s:s, s:i, s:b}", "id", c.b.id, "name",
                                             c.b.name, "statutory_size", c.b.statutory_size,
                                             "quorum_rule", c.b.quorum_rule, "vote_duration_s",
                                             c.b.vote_duration_s, "uses_weights",
                                             c.b.uses_weights));
    json_object_set_new(j, "agenda", agenda_list_json(db, c.m.id));
    json_object_set_new(j, "me", json_pack("{s:b, s:b, s:b, s:b, s:b}", "is_participant",
                                           c.is_participant, "is_guest", c.is_guest,
                                           "is_scrutiny", c.is_scrutiny, "can_prepare",
                                           c.can_prepare, "can_conduct", c.can_conduct));
    reply_json(rq, 200, j);
}

static int append_update(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                         const struct meeting_state *st, void *arg, json_t **reply)
{
    json_t *changes = arg;
    int rc = meetings_update(tx->db, &c->m);
    if (!rc && json_object_size(changes))
        rc = log_append(tx, c->m.id, c->p.user.id, "meeting.updated", changes, EVENT_PUBLIC, NULL);
    bool is_convened = !strcmp(st->status, "convened");
    if (!rc && json_object_size(changes) && is_convened)
        rc = meeting_notify_change(rq, tx->db, &c->m, &c->b, changes);
    if (!rc && is_convened && json_object_get(changes, "starts_at"))
        rc = meeting_reschedule_reminder(tx->db, &c->m);
    *reply = meeting_to_json(&c->m);
    return rc;
}

void api_meeting_update(struct req *rq)
{
    struct meeting_ctx c;
    json_t *changes = NULL;
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_PREPARE, c.m.org_id, c.m.body_id) < 0 ||
        meeting_fields(rq, &c.m, false, &changes) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_EDIT_PARTICIPANTS, NULL, append_update, changes, 200);
    json_decref(changes);
    outbox_nudge(NULL); /* change notices were queued inside the transaction */
}

/* ---- agenda ---- */

struct item_args {
    const char *title, *description, *item_id;
    json_t *order;
};

static json_t *item_json(const struct agenda_item *it)
{
    return json_pack("{s:s, s:i, s:s, s:s, s:b}", "item_id", it->id, "position", it->position,
                     "title", it->title, "description", it->description, "is_amendment",
                     it->is_amendment);
}

static int append_item(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                       const struct meeting_state *st, void *arg, json_t **reply)
{
    struct item_args *a = arg;
    struct agenda_item it = {.is_amendment = !strcmp(st->status, "in_progress")};
    snprintf(it.meeting_id, sizeof it.meeting_id, "%s", c->m.id);
    snprintf(it.title, sizeof it.title, "%s", a->title);
    snprintf(it.description, sizeof it.description, "%s", a->description ? a->description : "");
    int rc = agenda_add(tx->db, &it);
    json_t *j = item_json(&it);
    if (!rc)
        rc = log_append(tx, c->m.id, c->p.user.id, "agenda.item_added", j, EVENT_PUBLIC, NULL);
    *reply = j;
    return rc;
}

void api_agenda_add(struct req *rq)
{
    struct meeting_ctx c;
    struct item_args a = {0};
    const struct jfield spec[] = {
        {"title", JF_STRING, true, 1, 200, &a.title, NULL},
        {"description", JF_TEXT, false, 0, 4000, &a.description, NULL},
        {NULL},
    };
    if (meeting_ctx_load(rq, &c, false) < 0 || req_parse_json(rq, spec) < 0)
        return;
    /* While in progress the chair adds items as amendments; before, the office edits. */
    bool is_live = !strcmp(c.m.status, "in_progress");
    if (perm_require(rq, &c.p, is_live ? ACT_MEETING_CONDUCT : ACT_MEETING_PREPARE, c.m.org_id,
                     c.m.body_id) < 0)
        return;
    meeting_act(rq, &c, is_live ? MS_ACT_AMEND_AGENDA : MS_ACT_EDIT_AGENDA, NULL, append_item, &a,
                201);
}

static int load_item(struct req *rq, struct log_tx *tx, const char *meeting_id, const char *item_id,
                     struct agenda_item *it)
{
    int rc = agenda_get(tx->db, item_id, it);
    if (!rc && strcmp(it->meeting_id, meeting_id))
        rc = OBR_ENOTFOUND;
    return rc;
}

static int append_item_update(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                              const struct meeting_state *st, void *arg, json_t **reply)
{
    struct item_args *a = arg;
    struct agenda_item it;
    int rc = load_item(rq, tx, c->m.id, a->item_id, &it);
    if (rc)
        return rc;
    if (a->title)
        snprintf(it.title, sizeof it.title, "%s", a->title);
    if (a->description)
        snprintf(it.description, sizeof it.description, "%s", a->description);
    rc = agenda_update(tx->db, &it);
    json_t *j = json_pack("{s:s, s:s, s:s}", "item_id", it.id, "title", it.title, "description",
                          it.description);
    if (!rc)
        rc = log_append(tx, c->m.id, c->p.user.id, "agenda.item_updated", j, EVENT_PUBLIC, NULL);
    json_decref(j);
    *reply = item_json(&it);
    return rc;
}

void api_agenda_update(struct req *rq)
{
    struct meeting_ctx c;
    struct item_args a = {.item_id = req_param(rq, "item")};
    const struct jfield spec[] = {
        {"title", JF_STRING, false, 1, 200, &a.title, NULL},
        {"description", JF_TEXT, false, 0, 4000, &a.description, NULL},
        {NULL},
    };
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_PREPARE, c.m.org_id, c.m.body_id) < 0 ||
        req_parse_json(rq, spec) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_EDIT_AGENDA, NULL, append_item_update, &a, 200);
}

static int append_item_remove(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                              const struct meeting_state *st, void *arg, json_t **reply)
{
    struct item_args *a = arg;
    struct agenda_item it;
    int rc = load_item(rq, tx, c->m.id, a->item_id, &it);
    if (!rc)
        rc = agenda_remove(tx->db, it.id);
    json_t *j = json_pack("{s:s}", "item_id", it.id);
    if (!rc)
        rc = log_append(tx, c->m.id, c->p.user.id, "agenda.item_removed", j, EVENT_PUBLIC, NULL);
    json_decref(j);
    return rc;
}

void api_agenda_remove(struct req *rq)
{
    struct meeting_ctx c;
    struct item_args a = {.item_id = req_param(rq, "item")};
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_PREPARE, c.m.org_id, c.m.body_id) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_EDIT_AGENDA, NULL, append_item_remove, &a, 200);
}

static int append_reorder(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                          const struct meeting_state *st, void *arg, json_t **reply)
{
    struct item_args *a = arg;
    size_t n = json_array_size(a->order);
    const char *ids[500];
    if (n == 0 || n > 500)
        return OBR_EINVAL;
    for (size_t i = 0; i < n; i++) {
        ids[i] = json_string_value(json_array_get(a->order, i));
        if (!ids[i] || !id_is_valid(ids[i]))
            return OBR_EINVAL;
    }
    int rc = agenda_reorder(tx->db, c->m.id, ids, (int)n);
    json_t *j = json_pack("{s:O}", "order", a->order);
    if (!rc)
        rc = log_append(tx, c->m.id, c->p.user.id, "agenda.reordered", j, EVENT_PUBLIC, NULL);
    json_decref(j);
    return rc;
}

void api_agenda_reorder(struct req *rq)
{
    struct meeting_ctx c;
    struct item_args a = {0};
    const struct jfield spec[] = {{"order", JF_JSON, true, 0, 0, &a.order, NULL}, {NULL}};
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_PREPARE, c.m.org_id, c.m.body_id) < 0 ||
        req_parse_json(rq, spec) < 0)
        return;
    if (!json_is_array(a.order)) {
        reply_error(rq, ERR_WRONG_TYPE, "order");
        return;
    }
    meeting_act(rq, &c, MS_ACT_EDIT_AGENDA, NULL, append_reorder, &a, 200);
}
