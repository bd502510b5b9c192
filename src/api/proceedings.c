/* proceedings.c — the live meeting: start and close, attendance checks
 * (members press "present"; the check ends at its deadline or early),
 * leaving and returning, the current agenda item, the floor (requests to
 * speak, granted and ended by the chair) and the chat. Every action is one
 * event, checked against the folded state under the writer lock. */
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/meeting_ctx.h"
#include "api/proceedings.h"
#include "api/report_mail.h"
#include "api/votes.h"
#include "mail/invitations.h"
#include "ops/scheduler.h"
#include "store/db.h"
#include "store/directory.h"
#include "util/clock.h"
#include "util/ids.h"

#define CHECK_DEFAULT_S 120 /* eSesja: at least 2 minutes because of the stream's delay */
#define SPEAKING_DEFAULT_S 180

static int load_for(struct req *rq, struct meeting_ctx *c, enum role_action a)
{
    if (meeting_ctx_load(rq, c, false) < 0)
        return -1;
    return perm_require(rq, &c->p, a, c->m.org_id, c->m.body_id);
}

/* Participants act for themselves; staff may be present too (they run the room). */
static int load_participant(struct req *rq, struct meeting_ctx *c)
{
    if (meeting_ctx_load(rq, c, false) < 0)
        return -1;
    if (!c->is_participant && !c->can_conduct) {
        reply_error(rq, ERR_NOT_PARTICIPANT, NULL);
        return -1;
    }
    return 0;
}

static int append_simple(struct log_tx *tx, struct meeting_ctx *c, const char *type, json_t *j,
                         int vis)
{
    int rc = j ? log_append(tx, c->m.id, c->p.user.id, type, j, vis, NULL) : OBR_ENOMEM;
    json_decref(j);
    return rc;
}

/* ---- start / close ---- */

/* Whether now is an earlier day than the meeting's date, in the
 * organisation's time zone (the console warns first; the log records it). */
static bool is_before_date(struct db *db, const struct meeting *m, int64_t now_ms)
{
    struct org o;
    const char *zone = orgs_get(db, m->org_id, &o) ? NULL : o.time_zone;
    struct invitation_local_time a, b;
    invitation_local_time(now_ms, zone, &a);
    invitation_local_time(m->starts_at_ms, zone, &b);
    return a.year * 10000 + a.month * 100 + a.day < b.year * 10000 + b.month * 100 + b.day;
}

static int append_start(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                        const struct meeting_state *st, void *arg, json_t **reply)
{
    int64_t now = clock_now_ms();
    json_t *j = json_object();
    if (j && is_before_date(tx->db, &c->m, now)) {
        json_object_set_new(j, "is_before_date", json_true());
        json_object_set_new(j, "scheduled_at", json_integer(c->m.starts_at_ms));
    }
    int rc = meetings_set_status(tx->db, c->m.id, "in_progress", now);
    if (rc) {
        json_decref(j);
        return rc;
    }
    return append_simple(tx, c, "meeting.started", j, EVENT_PUBLIC);
}

void api_meeting_start(struct req *rq)
{
    struct meeting_ctx c;
    if (load_for(rq, &c, ACT_MEETING_CONDUCT) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_START, NULL, append_start, NULL, 200);
}

/* Ends an open attendance check: records who pressed "present" and the quorum. */
int proceedings_end_check(struct log_tx *tx, const char *meeting_id, const char *actor,
                          const struct meeting_state *st)
{
    json_t *present = json_array();
    int n = 0;
    for (int i = 0; i < st->n_people; i++) {
        const struct ms_person *p = &st->people[i];
        if (!p->has_checked_in)
            continue;
        json_array_append_new(present, json_pack("{s:s, s:s, s:b}", "user_id", p->user_id, "name",
                                                 p->name, "is_member", p->is_member));
        n += p->is_member;
    }
    json_t *j = json_pack("{s:s, s:o, s:i, s:i, s:b}", "check_id", st->check_id, "present",
                          present, "present_count", n, "required", st->required, "has_quorum",
                          n >= st->required);
    int rc = j ? log_append(tx, meeting_id, actor, "attendance.ended", j, EVENT_PUBLIC, NULL)
               : OBR_ENOMEM;
    json_decref(j);
    if (!rc)
        rc = deadlines_done(tx->db, meeting_id, "attendance", st->check_id, clock_now_ms());
    return rc;
}

static int append_close(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                        const struct meeting_state *st, void *arg, json_t **reply)
{
    int rc = 0;
    if (st->is_check_open)
        rc = proceedings_end_check(tx, c->m.id, c->p.user.id, st);
    if (!rc && st->has_speaker)
        rc = append_simple(tx, c, "floor.ended",
                           json_pack("{s:s}", "request_id", st->speaker.request_id), EVENT_PUBLIC);
    if (!rc)
        rc = votes_close_all_open(tx, &c->b, st, c->m.id);
    if (!rc)
        rc = meetings_set_status(tx->db, c->m.id, "closed", clock_now_ms());
    if (!rc)
        rc = report_mail_after_meeting(tx->db, c->m.id);
    return rc ? rc : append_simple(tx, c, "meeting.closed", json_object(), EVENT_PUBLIC);
}

void api_meeting_close(struct req *rq)
{
    struct meeting_ctx c;
    if (load_for(rq, &c, ACT_MEETING_CONDUCT) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_CLOSE, NULL, append_close, NULL, 200);
}

/* ---- attendance ---- */

/* An attendance check lasts at least the body's attendance_min_s (default
 * 120 s): members follow a broadcast that lags behind the room. A shorter
 * check needs an explicit override, which its attendance.started event
 * records with the minimum in force. */
struct check_args {
    int64_t duration_s;
    bool is_override;
    int minimum_s;
};

static int append_check(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                        const struct meeting_state *st, void *arg, json_t **reply)
{
    const struct check_args *a = arg;
    int64_t duration_s = a->duration_s;
    char check_id[ID_SIZE];
    id_new(check_id);
    int64_t ends_at = clock_now_ms() + duration_s * 1000;
    int rc = deadlines_add(tx->db, c->m.id, "attendance", check_id, ends_at);
    if (!rc)
        rc = append_simple(tx, c, "attendance.started",
                           json_pack("{s:s, s:I, s:I, s:i, s:b}", "check_id", check_id,
                                     "duration_s", (json_int_t)duration_s, "ends_at",
                                     (json_int_t)ends_at, "minimum_s", a->minimum_s,
                                     "is_override", a->is_override),
                           EVENT_PUBLIC);
    *reply = json_pack("{s:s, s:I}", "check_id", check_id, "ends_at", (json_int_t)ends_at);
    scheduler_nudge();
    return rc;
}

void api_attendance_start(struct req *rq)
{
    struct meeting_ctx c;
    struct check_args a = {.duration_s = CHECK_DEFAULT_S};
    bool has_duration = false;
    const struct jfield spec[] = {
        {"duration_s", JF_INT, false, 1, 3600, &a.duration_s, &has_duration},
        {"override_minimum", JF_BOOL, false, 0, 0, &a.is_override, NULL},
        {NULL},
    };
    if (load_for(rq, &c, ACT_MEETING_CONDUCT) < 0)
        return;
    if (req_parse_json_optional(rq, spec) < 0)
        return;
    a.minimum_s = c.m.attendance_min_s > 0 ? c.m.attendance_min_s : BODY_ATTENDANCE_MIN_DEFAULT_S;
    if (!has_duration && a.duration_s < a.minimum_s)
        a.duration_s = a.minimum_s; /* the default check is never shorter than the body allows */
    if (a.duration_s < a.minimum_s && !a.is_override) {
        reply_error(rq, ERR_OUT_OF_RANGE, "duration_s");
        return;
    }
    a.is_override = a.is_override && a.duration_s < a.minimum_s; /* recorded only when used */
    meeting_act(rq, &c, MS_ACT_ATTENDANCE_START, NULL, append_check, &a, 201);
}

static int append_present(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                          const struct meeting_state *st, void *arg, json_t **reply)
{
    if (strcmp(st->check_id, req_param(rq, "check")))
        return OBR_ECONFLICT;
    return append_simple(tx, c, "attendance.present",
                         json_pack("{s:s, s:s}", "check_id", st->check_id, "user_id",
                                   c->p.user.id),
                         EVENT_PARTICIPANTS);
}

void api_attendance_present(struct req *rq)
{
    struct meeting_ctx c;
    if (load_participant(rq, &c) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_ATTENDANCE_PRESENT, req_param(rq, "check"), append_present, NULL,
                200);
}

static int append_end_check(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                            const struct meeting_state *st, void *arg, json_t **reply)
{
    if (strcmp(st->check_id, req_param(rq, "check")))
        return OBR_ECONFLICT;
    return proceedings_end_check(tx, c->m.id, c->p.user.id, st);
}

void api_attendance_end(struct req *rq)
{
    struct meeting_ctx c;
    if (load_for(rq, &c, ACT_MEETING_CONDUCT) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_ATTENDANCE_END, req_param(rq, "check"), append_end_check, NULL,
                200);
}

static int append_presence(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                           const struct meeting_state *st, void *arg, json_t **reply)
{
    bool is_present = *(bool *)arg;
    return append_simple(tx, c, "presence.changed",
                         json_pack("{s:s, s:b}", "user_id", c->p.user.id, "is_present",
                                   is_present),
                         EVENT_PARTICIPANTS);
}

void api_presence(struct req *rq)
{
    struct meeting_ctx c;
    bool is_present = false;
    const struct jfield spec[] = {
        {"is_present", JF_BOOL, true, 0, 0, &is_present, NULL},
        {NULL},
    };
    if (load_participant(rq, &c) < 0 || req_parse_json(rq, spec) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_PRESENCE, NULL, append_presence, &is_present, 200);
}

/* ---- agenda item, floor, chat ---- */

static int append_current(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                          const struct meeting_state *st, void *arg, json_t **reply)
{
    return append_simple(tx, c, "item.current", json_pack("{s:s}", "item_id", (const char *)arg),
                         EVENT_PUBLIC);
}

void api_current_item(struct req *rq)
{
    struct meeting_ctx c;
    const char *item_id = NULL;
    const struct jfield spec[] = {{"item_id", JF_ID, true, 0, 0, &item_id, NULL}, {NULL}};
    if (load_for(rq, &c, ACT_MEETING_CONDUCT) < 0 || req_parse_json(rq, spec) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_CURRENT_ITEM, item_id, append_current, (void *)item_id, 200);
}

static int append_request(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                          const struct meeting_state *st, void *arg, json_t **reply)
{
    char request_id[ID_SIZE];
    id_new(request_id);
    const struct ms_person *me = meeting_state_person(st, c->p.user.id);
    *reply = json_pack("{s:s}", "request_id", request_id);
    return append_simple(tx, c, "floor.requested",
                         json_pack("{s:s, s:s, s:s, s:s}", "request_id", request_id, "user_id",
                                   c->p.user.id, "name", me ? me->name : c->p.user.name, "kind",
                                   (const char *)arg),
                         EVENT_PARTICIPANTS);
}

void api_floor_request(struct req *rq)
{
    static const char *const KINDS[] = {"normal", "ad_vocem", "formal", NULL};
    struct meeting_ctx c;
    const char *kind = "normal";
    const struct jfield spec[] = {{"kind", JF_STRING, false, 1, 12, &kind, NULL}, {NULL}};
    if (load_participant(rq, &c) < 0)
        return;
    if (req_parse_json_optional(rq, spec) < 0)
        return;
    bool is_known = false;
    for (const char *const *k = KINDS; *k; k++)
        is_known |= !strcmp(*k, kind);
    if (!is_known) {
        reply_error(rq, ERR_OUT_OF_RANGE, "kind");
        return;
    }
    meeting_act(rq, &c, MS_ACT_FLOOR_REQUEST, NULL, append_request, (void *)kind, 201);
}

static int find_request(const struct meeting_state *st, const char *id)
{
    for (int i = 0; i < st->n_queue; i++)
        if (!strcmp(st->queue[i].request_id, id))
            return i;
    return -1;
}

static int append_withdraw(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                           const struct meeting_state *st, void *arg, json_t **reply)
{
    int i = find_request(st, req_param(rq, "request"));
    /* Members withdraw their own request; the chair may remove any. */
    if (i < 0 || (strcmp(st->queue[i].user_id, c->p.user.id) && !c->can_conduct))
        return OBR_ECONFLICT;
    return append_simple(tx, c, "floor.withdrawn",
                         json_pack("{s:s}", "request_id", st->queue[i].request_id),
                         EVENT_PARTICIPANTS);
}

void api_floor_withdraw(struct req *rq)
{
    struct meeting_ctx c;
    if (load_participant(rq, &c) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_FLOOR_WITHDRAW, req_param(rq, "request"), append_withdraw, NULL,
                200);
}

static int append_grant(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                        const struct meeting_state *st, void *arg, json_t **reply)
{
    int64_t seconds = *(int64_t *)arg;
    int i = find_request(st, req_param(rq, "request"));
    if (i < 0)
        return OBR_ECONFLICT;
    int rc = 0;
    if (st->has_speaker)
        rc = append_simple(tx, c, "floor.ended",
                           json_pack("{s:s}", "request_id", st->speaker.request_id), EVENT_PUBLIC);
    const struct ms_person *who = meeting_state_person(st, st->queue[i].user_id);
    if (!rc)
        rc = append_simple(
            tx, c, "floor.granted",
            json_pack("{s:s, s:s, s:s, s:I, s:I}", "request_id", st->queue[i].request_id,
                      "user_id", st->queue[i].user_id, "name", who ? who->name : "",
                      "speaking_time_s", (json_int_t)seconds, "ends_at",
                      (json_int_t)(clock_now_ms() + seconds * 1000)),
            EVENT_PUBLIC);
    return rc;
}

void api_floor_grant(struct req *rq)
{
    struct meeting_ctx c;
    int64_t seconds = SPEAKING_DEFAULT_S;
    const struct jfield spec[] = {
        {"speaking_time_s", JF_INT, false, 10, 3600, &seconds, NULL},
        {NULL},
    };
    if (load_for(rq, &c, ACT_MEETING_CONDUCT) < 0)
        return;
    if (req_parse_json_optional(rq, spec) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_FLOOR_GRANT, req_param(rq, "request"), append_grant, &seconds, 200);
}

static int append_floor_end(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                            const struct meeting_state *st, void *arg, json_t **reply)
{
    return append_simple(tx, c, "floor.ended",
                         json_pack("{s:s}", "request_id", st->speaker.request_id), EVENT_PUBLIC);
}

void api_floor_end(struct req *rq)
{
    struct meeting_ctx c;
    if (load_for(rq, &c, ACT_MEETING_CONDUCT) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_FLOOR_END, NULL, append_floor_end, NULL, 200);
}

struct chat_args {
    const char *text, *to;
};

static int append_chat(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                       const struct meeting_state *st, void *arg, json_t **reply)
{
    struct chat_args *a = arg;
    char message_id[ID_SIZE];
    id_new(message_id);
    const struct ms_person *me = meeting_state_person(st, c->p.user.id);
    bool is_private = strcmp(a->to, "all") != 0; /* to the operator or the chair: staff only */
    *reply = json_pack("{s:s}", "message_id", message_id);
    return append_simple(tx, c, "chat.message",
                         json_pack("{s:s, s:s, s:s, s:s, s:s}", "message_id", message_id,
                                   "user_id", c->p.user.id, "name",
                                   me ? me->name : c->p.user.name, "text", a->text, "to", a->to),
                         is_private ? EVENT_STAFF : EVENT_PARTICIPANTS);
}

void api_chat_send(struct req *rq)
{
    static const char *const TO[] = {"all", "operator", "chair", NULL};
    struct meeting_ctx c;
    struct chat_args a = {.to = "all"};
    const struct jfield spec[] = {
        {"text", JF_TEXT, true, 1, 2000, &a.text, NULL},
        {"to", JF_STRING, false, 1, 10, &a.to, NULL},
        {NULL},
    };
    if (load_participant(rq, &c) < 0 || req_parse_json(rq, spec) < 0)
        return;
    bool is_known = false;
    for (const char *const *t = TO; *t; t++)
        is_known |= !strcmp(*t, a.to);
    if (!is_known) {
        reply_error(rq, ERR_OUT_OF_RANGE, "to");
        return;
    }
    meeting_act(rq, &c, MS_ACT_CHAT, NULL, append_chat, &a, 201);
}

static int append_hide(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                       const struct meeting_state *st, void *arg, json_t **reply)
{
    return append_simple(tx, c, "chat.hidden",
                         json_pack("{s:s}", "message_id", req_param(rq, "message")),
                         EVENT_PARTICIPANTS);
}

void api_chat_hide(struct req *rq)
{
    struct meeting_ctx c;
    if (load_for(rq, &c, ACT_MEETING_CONDUCT) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_CHAT_HIDE, req_param(rq, "message"), append_hide, NULL, 200);
}
