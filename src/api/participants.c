/* participants.c — who takes part in a meeting beyond the body's members:
 * guests (external reviewers, promoters: any address, marked external) added
 * by the office or the chair, and the scrutiny committee. An account with no
 * tie to the meeting's organisation is shown under the name the office gave:
 * nothing stored about it (its own name) reaches another tenant's staff. */
#include <stdio.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/meeting_ctx.h"
#include "core/email.h"
#include "store/db.h"

void api_participants_list(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, false) < 0)
        return;
    if (c.visibility < EVENT_PARTICIPANTS) {
        reply_error(rq, ERR_FORBIDDEN, NULL);
        return;
    }
    json_t *list = participants_list_json(req_db(rq), c.m.id);
    if (!roles_allow(ACT_MEMBER_READ_CONTACT, &c.facts)) {
        size_t i;
        json_t *p;
        json_array_foreach(list, i, p) json_object_del(p, "email");
    }
    reply_json(rq, 200, json_pack("{s:o}", "participants", list));
}

struct guest_args {
    const char *email, *name;
    bool is_scrutiny;
    struct user u;
};

static int append_guest(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                        const struct meeting_state *st, void *arg, json_t **reply)
{
    struct guest_args *a = arg;
    int rc = users_ensure(tx->db, a->email, a->name, "pl", &a->u);
    if (!rc)
        rc = participants_set(tx->db, c->m.id, a->u.id, true, a->is_scrutiny);
    if (!rc && strcmp(a->u.name, a->name) &&
        !participants_user_in_org(tx->db, c->m.org_id, a->u.id)) {
        rc = participants_set_guest_name(tx->db, c->m.id, a->u.id, a->name);
        snprintf(a->u.name, sizeof a->u.name, "%s", a->name);
    }
    json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "user_id", a->u.id, "name", a->u.name, "role",
                          "guest", "is_scrutiny", a->is_scrutiny);
    if (!rc)
        rc = log_append(tx, c->m.id, c->p.user.id, "participant.added", j, EVENT_PARTICIPANTS,
                        NULL);
    *reply = j;
    return rc;
}

void api_participants_add(struct req *rq)
{
    struct meeting_ctx c;
    struct guest_args a = {0};
    const char *email_in = NULL;
    const struct jfield spec[] = {
        {"email", JF_STRING, true, 3, 254, &email_in, NULL},
        {"name", JF_STRING, true, 1, 200, &a.name, NULL},
        {"is_scrutiny", JF_BOOL, false, 0, 0, &a.is_scrutiny, NULL},
        {NULL},
    };
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEMBER_ADD_EXTERNAL, c.m.org_id, c.m.body_id) < 0 ||
        req_parse_json(rq, spec) < 0)
        return;
    char email[EMAIL_SIZE];
    if (email_normalize(email_in, email, sizeof email) || !email_is_valid(email)) {
        reply_error(rq, ERR_EMAIL_INVALID, "email");
        return;
    }
    a.email = email;
    meeting_act(rq, &c, MS_ACT_EDIT_PARTICIPANTS, NULL, append_guest, &a, 201);
}

static int append_remove(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                         const struct meeting_state *st, void *arg, json_t **reply)
{
    const char *user_id = arg;
    int rc = participants_remove(tx->db, c->m.id, user_id);
    json_t *j = json_pack("{s:s}", "user_id", user_id);
    if (!rc)
        rc = log_append(tx, c->m.id, c->p.user.id, "participant.removed", j, EVENT_PARTICIPANTS,
                        NULL);
    json_decref(j);
    return rc;
}

void api_participants_remove(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEMBER_ADD_EXTERNAL, c.m.org_id, c.m.body_id) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_EDIT_PARTICIPANTS, NULL, append_remove,
                (void *)req_param(rq, "user"), 200);
}

static int append_scrutiny(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                           const struct meeting_state *st, void *arg, json_t **reply)
{
    json_t *ids = arg;
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        const struct ms_person *person = meeting_state_person(st, json_string_value(v));
        if (!person)
            return OBR_ENOTFOUND;
    }
    /* Everyone's flag is rewritten: the list given is the whole committee. */
    for (int k = 0; k < st->n_people; k++) {
        bool is_in = false;
        json_array_foreach(ids, i, v) is_in |= !strcmp(json_string_value(v), st->people[k].user_id);
        if (is_in != st->people[k].is_scrutiny || (is_in && !st->people[k].is_guest)) {
            int rc = participants_set(tx->db, c->m.id, st->people[k].user_id,
                                      st->people[k].is_guest, is_in);
            if (rc)
                return rc;
        }
    }
    json_t *j = json_pack("{s:O}", "user_ids", ids);
    int rc = log_append(tx, c->m.id, c->p.user.id, "scrutiny.set", j, EVENT_PARTICIPANTS, NULL);
    json_decref(j);
    return rc;
}

void api_scrutiny_set(struct req *rq)
{
    struct meeting_ctx c;
    json_t *ids = NULL;
    const struct jfield spec[] = {{"user_ids", JF_JSON, true, 0, 0, &ids, NULL}, {NULL}};
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_PREPARE, c.m.org_id, c.m.body_id) < 0 ||
        req_parse_json(rq, spec) < 0)
        return;
    size_t i;
    json_t *v;
    bool is_ok = json_is_array(ids) && json_array_size(ids) <= 50;
    json_array_foreach(ids, i, v) is_ok &= json_is_string(v) && id_is_valid(json_string_value(v));
    if (!is_ok) {
        reply_error(rq, ERR_WRONG_TYPE, "user_ids");
        return;
    }
    meeting_act(rq, &c, MS_ACT_EDIT_PARTICIPANTS, NULL, append_scrutiny, ids, 200);
}
