/* report_seed.h — a closed meeting written straight into the store for the
 * report tests and the report benchmark (bench/report): an organisation, a
 * body of n_members, a meeting with an agenda, one attendance check, a
 * speaker per item, and n_votes open votes, each opened, voted by everyone
 * present and closed with its result — the same rows and events the API
 * writes (docs/events.md). Returns 0 or an OBR_E code; ids go to *out. */
#ifndef OBR_REPORT_SEED_H
#define OBR_REPORT_SEED_H

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/vote_rules.h"
#include "log/eventlog.h"
#include "store/db.h"
#include "store/meetings.h"
#include "store/votes.h"

struct report_seed {
    char meeting_id[ID_SIZE];
    char first_vote_id[ID_SIZE];
    char open_vote_id[ID_SIZE]; /* a vote left open */
};

static const char *const SEED_NAMES[] = {
    "Łukasz Żółć", "Ścibor Ćwik", "Agnieszka Kowalczyk", "Bartłomiej Nowak", "Celina Wójcik",
    "Dariusz Kamiński", "Elżbieta Lewandowska", "Franciszek Dąbrowski", "Grażyna Szymańska",
    "Henryk Woźniak",
};

static int seed_event(struct db *db, const char *mid, const char *type, json_t *payload)
{
    int rc = payload ? log_append_one(db, NULL, mid, "system", type, payload, EVENT_PUBLIC, NULL)
                     : OBR_ENOMEM;
    json_decref(payload);
    return rc;
}

static int seed_vote(struct db *db, const char *mid, const char *item_id, int no,
                     char (*uids)[ID_SIZE], char (*names)[64], int n, int present, bool is_closed,
                     char id_out[ID_SIZE])
{
    struct vote *v = calloc(1, sizeof *v);
    if (!v)
        return OBR_ENOMEM;
    snprintf(v->meeting_id, sizeof v->meeting_id, "%s", mid);
    snprintf(v->item_id, sizeof v->item_id, "%s", item_id);
    snprintf(v->title, sizeof v->title, "Uchwała nr %d/2026 w sprawie zmian w budżecie gminy", no);
    snprintf(v->motion, sizeof v->motion,
             "Rada Gminy uchwala zmianę nr %d budżetu gminy na rok 2026, w brzmieniu załącznika "
             "do uchwały. Wykonanie uchwały powierza się Wójtowi Gminy.", no);
    snprintf(v->kind, sizeof v->kind, "open");
    snprintf(v->method, sizeof v->method, "yes_no_abstain");
    snprintf(v->majority, sizeof v->majority, "simple");
    v->duration_s = 60;
    int rc = votes_create(db, v);
    json_t *eligible = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(eligible, json_string(uids[i]));
    int required = n / 2 + n % 2;
    if (!rc)
        rc = seed_event(db, mid, "vote.created",
                        json_pack("{s:s, s:s, s:s, s:s, s:s}", "vote_id", v->id, "title", v->title,
                                  "motion", v->motion, "kind", "open", "majority", "simple"));
    if (!rc)
        rc = votes_open(db, v->id, 1, 2, eligible, present, required);
    if (!rc)
        rc = seed_event(db, mid, "vote.opened", json_pack("{s:s}", "vote_id", v->id));
    struct motion_tally t = {.eligible = n, .present_at_open = present,
                             .present_at_close = present, .statutory_size = n,
                             .quorum_required = required};
    json_t *named = json_array();
    static const char *const CH[] = {"yes", "yes", "no", "abstain", "yes"};
    for (int i = 0; !rc && i < n; i++) {
        const char *c = i < present ? CH[(i + no) % 5] : NULL;
        if (c) {
            t.yes += !strcmp(c, "yes");
            t.no += !strcmp(c, "no");
            t.abstain += !strcmp(c, "abstain");
            rc = seed_event(db, mid, "vote.ballot",
                            json_pack("{s:s, s:s, s:s, s:s}", "vote_id", v->id, "user_id", uids[i],
                                      "name", names[i], "choice", c));
        }
        json_array_append_new(named, json_pack("{s:s, s:s, s:o}", "user_id", uids[i], "name",
                                               names[i], "choice", c ? json_string(c) : json_null()));
    }
    struct motion_result r;
    char rule_pl[1024], rule_en[1024], ver_pl[512], ver_en[512];
    if (!rc)
        rc = vote_decide_motion(VM_SIMPLE, &t, &r);
    if (!rc) {
        vote_rule_describe(rule_pl, sizeof rule_pl, VM_SIMPLE, &t, "pl");
        vote_rule_describe(rule_en, sizeof rule_en, VM_SIMPLE, &t, "en");
        vote_result_describe(ver_pl, sizeof ver_pl, &r, "pl");
        vote_result_describe(ver_en, sizeof ver_en, &r, "en");
    }
    static const char *const OUT[] = {"adopted", "rejected", "invalid"};
    json_t *res = rc ? NULL
                     : json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:s, "
                                 "s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:O}",
                                 "yes", t.yes, "no", t.no, "abstain", t.abstain, "cast", r.cast,
                                 "not_voted", r.not_voted, "eligible", n, "present", present,
                                 "present_at_open", present, "quorum_required", required,
                                 "statutory_size", n, "outcome", OUT[r.outcome], "rule_text", "pl",
                                 rule_pl, "en", rule_en, "verdict", "pl", ver_pl, "en", ver_en,
                                 "majority", "simple", "named", named);
    if (!rc && is_closed) {
        rc = res ? votes_close(db, v->id, 3, res) : OBR_ENOMEM;
        if (!rc)
            rc = seed_event(db, mid, "vote.closed",
                            json_pack("{s:s, s:O, s:i}", "vote_id", v->id, "result", res,
                                      "closed_at", 3));
    }
    snprintf(id_out, ID_SIZE, "%s", v->id);
    json_decref(res);
    json_decref(named);
    json_decref(eligible);
    vote_clear(v);
    free(v);
    return rc;
}

static int report_seed(struct db *db, int n_members, int n_votes, struct report_seed *out)
{
    memset(out, 0, sizeof *out);
    struct org o = {.name = "Gmina Przykładowo", .time_zone = "Europe/Warsaw",
                    .default_lang = "pl", .email_domains = "[]", .retention_days = 92};
    struct body b = {.name = "Rada Gminy Przykładowo", .kind = "council",
                     .quorum_rule = "half_statutory", .vote_duration_s = 60};
    b.statutory_size = n_members;
    int rc = orgs_create(db, &o);
    snprintf(b.org_id, sizeof b.org_id, "%s", o.id);
    if (!rc)
        rc = bodies_create(db, &b);
    char(*uids)[ID_SIZE] = calloc((size_t)n_members, ID_SIZE);
    char(*names)[64] = calloc((size_t)n_members, 64);
    if (!uids || !names)
        rc = OBR_ENOMEM;
    for (int i = 0; !rc && i < n_members; i++) {
        struct user u;
        char email[64];
        snprintf(email, sizeof email, "radny%02d@example.org", i);
        if (i < (int)(sizeof SEED_NAMES / sizeof SEED_NAMES[0]))
            snprintf(names[i], 64, "%s", SEED_NAMES[i]);
        else
            snprintf(names[i], 64, "Radny Zażółcony %02d", i);
        rc = users_create(db, email, names[i], "pl", false, &u);
        struct member m = {0};
        snprintf(m.body_id, sizeof m.body_id, "%s", b.id);
        snprintf(m.user_id, sizeof m.user_id, "%s", u.id);
        snprintf(m.role, sizeof m.role, "%s", i ? "member" : "chair");
        snprintf(m.groups, sizeof m.groups, "[]");
        snprintf(uids[i], ID_SIZE, "%s", u.id);
        if (!rc)
            rc = members_add(db, &m);
    }
    struct meeting mt = {.starts_at_ms = 1795000000000LL, .mode = "hybrid", .is_public = true,
                         .status = "closed", .number = "XII", .title = "Sesja budżetowa",
                         .place = "Sala sesyjna"};
    snprintf(mt.body_id, sizeof mt.body_id, "%s", b.id);
    if (!rc)
        rc = meetings_create(db, &mt);
    const char *mid = mt.id;
    snprintf(out->meeting_id, sizeof out->meeting_id, "%s", mid);
    if (!rc)
        rc = meetings_set_status(db, mid, "closed", 4);
    int n_items = n_votes / 5 + 1;
    char(*items)[ID_SIZE] = calloc((size_t)n_items, ID_SIZE);
    for (int i = 0; !rc && i < n_items; i++) {
        struct agenda_item it = {0};
        snprintf(it.meeting_id, sizeof it.meeting_id, "%s", mid);
        snprintf(it.title, sizeof it.title, "Punkt %d: sprawy budżetowe i różne", i + 1);
        rc = agenda_add(db, &it);
        snprintf(items[i], ID_SIZE, "%s", it.id);
        if (!rc)
            rc = seed_event(db, mid, "agenda.item_added",
                            json_pack("{s:s, s:i, s:s, s:s, s:b}", "item_id", it.id, "position",
                                      i + 1, "title", it.title, "description", "",
                                      "is_amendment", i == n_items - 1));
    }
    int present = n_members - n_members / 5;
    if (!rc)
        rc = seed_event(db, mid, "meeting.started", json_object());
    if (!rc)
        rc = seed_event(db, mid, "attendance.started",
                        json_pack("{s:s, s:i, s:i}", "check_id", "check1", "duration_s", 120,
                                  "ends_at", 5));
    json_t *pres = json_array();
    for (int i = 0; i < present; i++)
        json_array_append_new(pres, json_pack("{s:s, s:s}", "user_id", uids[i], "name", names[i]));
    if (!rc)
        rc = seed_event(db, mid, "attendance.ended",
                        json_pack("{s:s, s:o, s:i, s:i, s:b}", "check_id", "check1", "present",
                                  pres, "present_count", present, "required",
                                  n_members / 2 + n_members % 2, "has_quorum", true));
    else
        json_decref(pres);
    for (int v = 0; !rc && v < n_votes; v++) {
        const char *item = items[v / 5];
        if (v % 5 == 0) {
            char req[32];
            snprintf(req, sizeof req, "req%d", v);
            rc = seed_event(db, mid, "item.current", json_pack("{s:s}", "item_id", item));
            if (!rc)
                rc = seed_event(db, mid, "floor.requested",
                                json_pack("{s:s, s:s, s:s, s:s}", "request_id", req, "user_id",
                                          uids[v % n_members], "name", names[v % n_members],
                                          "kind", "normal"));
            if (!rc)
                rc = seed_event(db, mid, "floor.granted",
                                json_pack("{s:s, s:s, s:s, s:i, s:i}", "request_id", req,
                                          "user_id", uids[v % n_members], "name",
                                          names[v % n_members], "speaking_time_s", 180,
                                          "ends_at", 6));
            if (!rc)
                rc = seed_event(db, mid, "floor.ended", json_pack("{s:s}", "request_id", req));
        }
        char vid[ID_SIZE];
        if (!rc)
            rc = seed_vote(db, mid, item, v + 1, uids, names, n_members, present, true, vid);
        if (!rc && v == 0)
            snprintf(out->first_vote_id, ID_SIZE, "%s", vid);
    }
    if (!rc)
        rc = seed_vote(db, mid, items[0], 999, uids, names, n_members, present, false,
                       out->open_vote_id);
    if (!rc)
        rc = seed_event(db, mid, "meeting.closed", json_object());
    free(items);
    free(uids);
    free(names);
    return rc;
}

#endif
