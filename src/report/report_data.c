/* report_data.c — see report_data.h. */
#include "report/report_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/eventlog.h"
#include "report/layout.h"
#include "report/report_text.h"
#include "store/db.h"

#define READ_BATCH 512

static int add_people(struct report_meeting *rm)
{
    size_t i;
    json_t *p;
    json_array_foreach(rm->people, i, p)
    {
        bool is_guest = json_is_true(json_object_get(p, "is_guest"));
        const char *role = json_string_value(json_object_get(p, "role"));
        int rc = meeting_state_add_person(
            rm->st, json_string_value(json_object_get(p, "user_id")),
            json_string_value(json_object_get(p, "name")),
            is_guest ? "guest" : role ? role : "member", !is_guest, is_guest,
            json_is_true(json_object_get(p, "is_scrutiny")));
        if (rc)
            return rc;
    }
    return 0;
}

/* Appends the stored event to rm->ev (parsed) and folds it into the state. */
static int take_event(struct report_meeting *rm, const struct event *e, int *cap)
{
    if (rm->n_ev == *cap) {
        int n = *cap ? *cap * 2 : 256;
        struct report_event *p = realloc(rm->ev, (size_t)n * sizeof *p);
        if (!p)
            return OBR_ENOMEM;
        rm->ev = p;
        *cap = n;
    }
    struct report_event *r = &rm->ev[rm->n_ev];
    r->seq = e->seq;
    r->ts_ms = e->ts_ms;
    r->type = strdup(e->type);
    r->payload = json_loads(e->payload, 0, NULL);
    if (!r->type || !r->payload) {
        free(r->type);
        json_decref(r->payload);
        return r->type ? OBR_ECORRUPT : OBR_ENOMEM;
    }
    rm->n_ev++;
    return meeting_state_apply(rm->st, e);
}

int report_meeting_load(struct db *db, const char *meeting_id, struct report_meeting *rm)
{
    memset(rm, 0, sizeof *rm);
    int rc = meetings_get(db, meeting_id, &rm->m);
    if (!rc)
        rc = bodies_get(db, rm->m.body_id, &rm->body);
    if (!rc)
        rc = orgs_get(db, rm->body.org_id, &rm->org);
    if (!rc)
        rc = log_head(db, meeting_id, &rm->head_seq, rm->head);
    if (rc)
        return rc;
    rm->is_en = !strcmp(rm->org.default_lang, "en");
    rm->people = participants_list_json(db, meeting_id);
    rm->st = meeting_state_new(meeting_id, rm->body.statutory_size, rm->body.quorum_rule);
    if (!rm->people || !rm->st)
        return OBR_ENOMEM;
    rc = add_people(rm);
    int cap = 0, n = READ_BATCH;
    struct event *batch[READ_BATCH];
    while (!rc && n == READ_BATCH && rm->st->seq < rm->head_seq) {
        rc = log_read(db, meeting_id, rm->st->seq + 1, batch, READ_BATCH, &n);
        for (int i = 0; i < n; i++) {
            if (!rc && batch[i]->seq <= rm->head_seq)
                rc = take_event(rm, batch[i], &cap);
            event_unref(batch[i]);
        }
    }
    return rc;
}

void report_meeting_free(struct report_meeting *rm)
{
    for (int i = 0; i < rm->n_ev; i++) {
        free(rm->ev[i].type);
        json_decref(rm->ev[i].payload);
    }
    free(rm->ev);
    json_decref(rm->people);
    meeting_state_free(rm->st);
    memset(rm, 0, sizeof *rm);
}

json_t *report_person(const struct report_meeting *rm, const char *user_id)
{
    size_t i;
    json_t *p;
    json_array_foreach(rm->people, i, p)
    {
        const char *id = json_string_value(json_object_get(p, "user_id"));
        if (id && user_id && !strcmp(id, user_id))
            return p;
    }
    return NULL;
}

const char *report_ev_str(const struct report_event *e, const char *key)
{
    const char *s = json_string_value(json_object_get(e->payload, key));
    return s ? s : "";
}

void report_meeting_fields(struct lay *l, const struct report_meeting *rm, bool en)
{
    char s[1200];
    lay_field(l, TR(en, "Organizacja", "Organisation"), rm->org.name);
    lay_field(l, TR(en, "Organ", "Body"), rm->body.name);
    if (rm->m.number[0])
        snprintf(s, sizeof s, "%s %s — %s", TR(en, "nr", "no."), rm->m.number, rm->m.title);
    else
        snprintf(s, sizeof s, "%s", rm->m.title);
    lay_field(l, TR(en, "Posiedzenie", "Meeting"), s);
}
