/* votes.c — open (named) yes/no/abstain votes: create (prepare in advance or
 * on the spot), open (the electorate and the quorum fixed and recorded),
 * ballots (idempotent by a client ballot id; eligible and present members
 * only; refused after close even by a millisecond), close by the chair or by
 * the scheduler at the deadline (also across a restart), the result under
 * core/vote_rules.h, and the repeat ("reasumpcja") as a new linked vote.
 * Every action runs under the log's writer lock with the meeting state folded
 * to the head, writes its rows and appends its vote.* event in one
 * transaction (docs/events.md). Secret votes and elections plug in later:
 * for now they are refused with not_supported_yet. */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/meeting_ctx.h"
#include "api/report_mail.h"
#include "api/votes.h"
#include "core/vote_rules.h"
#include "ops/scheduler.h"
#include "store/db.h"
#include "store/votes.h"
#include "util/clock.h"
#include "util/ids.h"

#define RULE_TEXT_SIZE 1024
#define BALLOT_ID_MAX 64

/* ---- loading ---- */

/* The vote named by path parameter "id" and its meeting's context. */
static int vote_ctx_load(struct req *rq, struct meeting_ctx *c, struct vote *v, bool is_public_ok)
{
    memset(v, 0, sizeof *v);
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    const char *id = req_param(rq, "id");
    int rc = id && id_is_valid(id) ? votes_get(db, id, v) : OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    if (meeting_ctx_load_id(rq, c, v->meeting_id, is_public_ok) < 0) {
        vote_clear(v);
        return -1;
    }
    return 0;
}

/* ---- JSON ---- */

static json_t *texts(enum vote_majority m, const struct motion_tally *t)
{
    char pl[RULE_TEXT_SIZE], en[RULE_TEXT_SIZE];
    if (vote_rule_describe(pl, sizeof pl, m, t, "pl") == OBR_EINVAL)
        vote_rule_describe(pl, sizeof pl, m, NULL, "pl");
    if (vote_rule_describe(en, sizeof en, m, t, "en") == OBR_EINVAL)
        vote_rule_describe(en, sizeof en, m, NULL, "en");
    return json_pack("{s:s, s:s}", "pl", pl, "en", en);
}

static json_t *ms_or_null(int64_t ms)
{
    return ms ? json_integer(ms) : json_null();
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

struct named_row {
    const char *name;
    json_t *j;
};

static int cmp_named(const void *a, const void *b)
{
    const struct named_row *x = a, *y = b;
    int r = strcoll(x->name, y->name);
    return r ? r : strcmp(x->name, y->name);
}

/* The eligible voters with their counted choice (null: not voted), by name. */
static json_t *named_list(const struct meeting_state *st, const json_t *eligible,
                          const json_t *counted, int *yes, int *no, int *abstain, int *cast)
{
    size_t n = json_array_size(eligible);
    struct named_row *rows = calloc(n ? n : 1, sizeof *rows);
    json_t *out = json_array();
    if (!rows || !out) {
        free(rows);
        json_decref(out);
        return NULL;
    }
    *yes = *no = *abstain = *cast = 0;
    for (size_t i = 0; i < n; i++) {
        const char *uid = json_string_value(json_array_get(eligible, i));
        const struct ms_person *p = uid && st ? meeting_state_person(st, uid) : NULL;
        const char *choice = uid ? json_string_value(json_object_get(counted, uid)) : NULL;
        if (choice) {
            (*cast)++;
            *yes += !strcmp(choice, "yes");
            *no += !strcmp(choice, "no");
            *abstain += !strcmp(choice, "abstain");
        }
        rows[i].name = p ? p->name : "";
        rows[i].j = json_pack("{s:s, s:s, s:o}", "user_id", uid ? uid : "", "name", rows[i].name,
                              "choice", str_or_null(choice));
    }
    qsort(rows, n, sizeof *rows, cmp_named);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, rows[i].j);
    free(rows);
    return out;
}

static json_t *vote_to_json(struct db *db, const struct vote *v, const struct meeting_state *st,
                            const char *viewer_id)
{
    enum vote_majority m = VM_SIMPLE;
    vote_majority_parse(v->majority, &m);
    json_t *j = json_pack(
        "{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:s, s:o, s:o, s:o, s:o, s:o, s:I}",
        "id", v->id, "meeting_id", v->meeting_id, "item_id", str_or_null(v->item_id), "title",
        v->title, "motion", v->motion, "kind", v->kind, "method", v->method, "majority",
        v->majority, "duration_s", v->duration_s, "allow_change", v->allow_change, "status",
        v->status, "opened_at", ms_or_null(v->opened_ms), "deadline", ms_or_null(v->deadline_ms),
        "closed_at", ms_or_null(v->closed_ms), "rule_text", texts(m, NULL), "repeat_of",
        str_or_null(v->repeat_of), "created_at", (json_int_t)v->created_ms);
    if (!j)
        return NULL;
    if (v->repeat_reason[0])
        json_object_set_new(j, "repeat_reason", json_string(v->repeat_reason));
    if (v->eligible) {
        json_object_set_new(j, "eligible_count",
                            json_integer((json_int_t)json_array_size(v->eligible)));
        json_object_set_new(j, "present_at_open", json_integer(v->present_at_open));
        json_object_set_new(j, "quorum_required", json_integer(v->quorum_required));
    }
    if (!strcmp(v->status, "open")) {
        json_t *counted = ballots_counted_json(db, v->id);
        int yes, no, abstain, cast;
        json_t *named = named_list(st, v->eligible, counted, &yes, &no, &abstain, &cast);
        json_object_set_new(
            j, "live",
            json_pack("{s:i, s:i}", "cast", cast, "eligible", (int)json_array_size(v->eligible)));
        /* Named votes are public by law: who voted how is shown live. */
        if (named && !strcmp(v->kind, "open"))
            json_object_set_new(j, "named", named);
        else
            json_decref(named);
        json_decref(counted);
    }
    json_object_set(j, "result", v->result ? v->result : json_null());
    if (viewer_id) {
        char choice[16];
        json_object_set_new(j, "my_choice",
                            ballots_last_of(db, v->id, viewer_id, choice) ? json_null()
                                                                          : json_string(choice));
    }
    return j;
}

/* ---- the action runner ---- */

/* What an action decides besides its rows and events: a refusal (err other
 * than ERR__COUNT), or the status and reply (default: the vote as JSON). */
struct vact {
    enum api_err err;
    const char *field;
    unsigned status;
    json_t *reply;
    char vote_id[ID_SIZE]; /* the vote to answer with */
    bool nudge;            /* a deadline was added */
};

typedef int (*vote_fn)(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                       const struct meeting_state *st, struct vote *v, void *arg, struct vact *a);

static int refuse(struct vact *a, enum api_err err)
{
    a->err = err;
    return 0;
}

/* Runs fn under the writer lock with the state folded and the vote (if
 * vote_id) read again inside the transaction, then commits and replies. */
static void vote_act(struct req *rq, struct meeting_ctx *c, const char *vote_id, vote_fn fn,
                     void *arg, unsigned status)
{
    struct log_tx tx;
    struct db *db = req_db(rq);
    if (!db || log_tx_begin(&tx, db, req_hub(rq))) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    struct meeting_state *st = NULL;
    struct vote v;
    memset(&v, 0, sizeof v);
    struct vact a = {.err = ERR__COUNT, .status = status};
    int rc = meeting_state_load(db, &c->m, &c->b, &st);
    if (!rc && vote_id)
        rc = votes_get(db, vote_id, &v);
    if (!rc) {
        if (vote_id)
            snprintf(a.vote_id, sizeof a.vote_id, "%s", vote_id);
        rc = fn(rq, &tx, c, st, vote_id ? &v : NULL, arg, &a);
    }
    if (!rc && a.err == ERR__COUNT)
        rc = log_tx_commit(&tx);
    if (rc || a.err != ERR__COUNT)
        log_tx_rollback(&tx); /* safe after a failed commit too */
    vote_clear(&v);
    if (rc || a.err != ERR__COUNT) {
        meeting_state_free(st);
        json_decref(a.reply);
        if (rc)
            reply_obr_error(rq, rc);
        else
            reply_error(rq, a.err, a.field);
        return;
    }
    if (a.nudge)
        scheduler_nudge();
    if (!a.reply && a.vote_id[0] && !votes_get(db, a.vote_id, &v)) {
        a.reply = vote_to_json(db, &v, st, c->p.is_signed_in ? c->p.user.id : NULL);
        vote_clear(&v);
    }
    meeting_state_free(st);
    reply_json(rq, a.status, a.reply ? a.reply : json_object());
}

static int append(struct log_tx *tx, const char *meeting_id, const char *actor, const char *type,
                  json_t *j)
{
    int rc = j ? log_append(tx, meeting_id, actor, type, j, EVENT_PUBLIC, NULL) : OBR_ENOMEM;
    json_decref(j);
    return rc;
}

static enum api_err meeting_status_err(const struct meeting_state *st)
{
    return !strcmp(st->status, "closed") ? ERR_MEETING_CLOSED : ERR_MEETING_NOT_IN_PROGRESS;
}

/* ---- create ---- */

static bool is_one_of(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return true;
    return false;
}

static int append_created(struct log_tx *tx, const char *actor, struct vote *v)
{
    int rc = votes_create(tx->db, v);
    if (rc)
        return rc;
    json_t *j = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:i, s:b}", "vote_id", v->id,
                          "item_id", str_or_null(v->item_id), "title", v->title, "motion",
                          v->motion, "kind", v->kind, "method", v->method, "majority", v->majority,
                          "duration_s", v->duration_s, "allow_change", v->allow_change);
    if (j && v->repeat_of[0]) {
        json_object_set_new(j, "repeat_of", json_string(v->repeat_of));
        json_object_set_new(j, "repeat_reason", json_string(v->repeat_reason));
    }
    return append(tx, v->meeting_id, actor, "vote.created", j);
}

static int act_create(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                      const struct meeting_state *st, struct vote *unused, void *arg,
                      struct vact *a)
{
    struct vote *v = arg;
    if (!strcmp(st->status, "closed"))
        return refuse(a, ERR_MEETING_CLOSED);
    if (v->item_id[0]) {
        struct agenda_item it;
        if (agenda_get(tx->db, v->item_id, &it) || strcmp(it.meeting_id, c->m.id)) {
            a->field = "item_id";
            return refuse(a, ERR_UNKNOWN_ITEM);
        }
    }
    int rc = append_created(tx, c->p.user.id, v);
    snprintf(a->vote_id, sizeof a->vote_id, "%s", v->id);
    return rc;
}

void api_votes_create(struct req *rq)
{
    static const char *const KINDS[] = {"open", "secret", NULL};
    static const char *const METHODS[] = {"yes_no_abstain", "election", NULL};
    struct meeting_ctx c;
    const char *title = NULL, *motion = "", *kind = "open", *method = "yes_no_abstain",
               *majority = "simple", *item_id = NULL;
    int64_t duration_s = 0;
    bool allow_change = false, has_duration = false;
    const struct jfield spec[] = {
        {"title", JF_STRING, true, 1, 800, &title, NULL},
        {"motion", JF_TEXT, false, 0, 8000, &motion, NULL},
        {"kind", JF_STRING, false, 1, 15, &kind, NULL},
        {"method", JF_STRING, false, 1, 23, &method, NULL},
        {"majority", JF_STRING, false, 1, 31, &majority, NULL},
        {"duration_s", JF_INT, false, 1, 86400, &duration_s, &has_duration},
        {"allow_change", JF_BOOL, false, 0, 0, &allow_change, NULL},
        {"item_id", JF_ID, false, 0, 0, &item_id, NULL},
        {NULL},
    };
    if (meeting_ctx_load(rq, &c, false) < 0)
        return;
    if (!c.can_prepare && !c.can_conduct) {
        reply_error(rq, ERR_FORBIDDEN, NULL);
        return;
    }
    if (req_parse_json(rq, spec) < 0)
        return;
    enum vote_majority m;
    if (!is_one_of(kind, KINDS)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "kind");
        return;
    }
    if (!is_one_of(method, METHODS)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "method");
        return;
    }
    if (vote_majority_parse(majority, &m)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "majority");
        return;
    }
    if (strcmp(kind, "open")) {
        reply_error(rq, ERR_NOT_SUPPORTED_YET, "kind");
        return;
    }
    if (strcmp(method, "yes_no_abstain")) {
        reply_error(rq, ERR_NOT_SUPPORTED_YET, "method");
        return;
    }
    if (vote_majority_is_statutory(m) && c.b.statutory_size < 1) {
        reply_error(rq, ERR_OUT_OF_RANGE, "majority");
        return;
    }
    struct vote *v = calloc(1, sizeof *v);
    if (!v) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    snprintf(v->meeting_id, sizeof v->meeting_id, "%s", c.m.id);
    snprintf(v->item_id, sizeof v->item_id, "%s", item_id ? item_id : "");
    snprintf(v->title, sizeof v->title, "%s", title);
    snprintf(v->motion, sizeof v->motion, "%s", motion);
    snprintf(v->kind, sizeof v->kind, "%s", kind);
    snprintf(v->method, sizeof v->method, "%s", method);
    snprintf(v->majority, sizeof v->majority, "%s", vote_majority_name(m));
    v->duration_s =
        has_duration ? (int)duration_s : (c.b.vote_duration_s > 0 ? c.b.vote_duration_s : 600);
    v->allow_change = allow_change;
    vote_act(rq, &c, NULL, act_create, v, 201);
    free(v);
}

/* ---- open ---- */

static int act_open(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                    const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    if (strcmp(v->status, "draft"))
        return refuse(a, ERR_VOTE_NOT_DRAFT);
    if (strcmp(st->status, "in_progress"))
        return refuse(a, meeting_status_err(st));
    json_t *eligible = json_array();
    if (!eligible)
        return OBR_ENOMEM;
    for (int i = 0; i < st->n_people; i++)
        if (st->people[i].is_member)
            json_array_append_new(eligible, json_string(st->people[i].user_id));
    int64_t now = clock_now_ms();
    int64_t deadline = now + (int64_t)v->duration_s * 1000;
    int rc = votes_open(tx->db, v->id, now, deadline, eligible, st->present_count, st->required);
    if (!rc)
        rc = deadlines_add(tx->db, v->meeting_id, "vote", v->id, deadline);
    enum vote_majority m = VM_SIMPLE;
    vote_majority_parse(v->majority, &m);
    if (!rc)
        rc =
            append(tx, v->meeting_id, c->p.user.id, "vote.opened",
                   json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:O, s:i, s:i, s:i, s:b, s:I, s:I, "
                             "s:i, s:o}",
                             "vote_id", v->id, "title", v->title, "motion", v->motion, "kind",
                             v->kind, "majority", v->majority, "allow_change", v->allow_change,
                             "eligible", eligible, "eligible_count", (int)json_array_size(eligible),
                             "present", st->present_count, "quorum_required", st->required,
                             "has_quorum", st->present_count >= st->required, "opened_at",
                             (json_int_t)now, "deadline", (json_int_t)deadline, "duration_s",
                             v->duration_s, "rule_text", texts(m, NULL)));
    json_decref(eligible);
    a->nudge = true;
    a->status = 200;
    return rc;
}

void api_vote_open(struct req *rq)
{
    struct meeting_ctx c;
    struct vote v;
    if (vote_ctx_load(rq, &c, &v, false) < 0)
        return;
    char id[ID_SIZE];
    snprintf(id, sizeof id, "%s", v.id);
    vote_clear(&v);
    if (perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0)
        return;
    vote_act(rq, &c, id, act_open, NULL, 200);
}

/* ---- close ---- */

/* Closes an open vote: tallies each eligible voter's last ballot, decides it
 * under the vote's majority and appends vote.closed. */
static int close_vote(struct log_tx *tx, const struct body *b, const struct meeting_state *st,
                      const struct vote *v, const char *actor)
{
    enum vote_majority m;
    if (vote_majority_parse(v->majority, &m))
        return OBR_ECORRUPT;
    json_t *counted = ballots_counted_json(tx->db, v->id);
    if (!counted)
        return OBR_ENOMEM;
    int yes, no, abstain, cast;
    json_t *named = named_list(st, v->eligible, counted, &yes, &no, &abstain, &cast);
    json_decref(counted);
    if (!named)
        return OBR_ENOMEM;
    struct motion_tally t = {
        .yes = yes,
        .no = no,
        .abstain = abstain,
        .eligible = (int)json_array_size(v->eligible),
        .present_at_open = v->present_at_open,
        .present_at_close = st->present_count,
        .statutory_size = b->statutory_size,
        .quorum_required = st->required,
    };
    struct motion_result r;
    int rc = vote_decide_motion(m, &t, &r);
    if (rc) {
        json_decref(named);
        return rc;
    }
    static const char *const OUTCOMES[] = {"adopted", "rejected", "invalid"};
    char vpl[RULE_TEXT_SIZE] = "", ven[RULE_TEXT_SIZE] = "";
    vote_result_describe(vpl, sizeof vpl, &r, "pl");
    vote_result_describe(ven, sizeof ven, &r, "en");
    json_t *result = json_pack(
        "{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:s, s:o, s:o, s:{s:s, "
        "s:s}, s:s, s:o}",
        "yes", yes, "no", no, "abstain", abstain, "cast", r.cast, "not_voted", r.not_voted,
        "eligible", t.eligible, "present", t.present_at_close, "present_at_open", t.present_at_open,
        "quorum_required", t.quorum_required, "statutory_size", t.statutory_size, "threshold",
        r.threshold, "is_tie", r.is_tie, "outcome", OUTCOMES[r.outcome], "invalid_reason",
        str_or_null(r.invalid_reason), "rule_text", texts(m, &t), "verdict", "pl", vpl, "en", ven,
        "majority", v->majority, "named", named);
    if (!result)
        return OBR_ENOMEM;
    int64_t now = clock_now_ms();
    rc = votes_close(tx->db, v->id, now, result);
    if (!rc)
        rc = deadlines_done(tx->db, v->meeting_id, "vote", v->id, now);
    if (!rc)
        rc = append(tx, v->meeting_id, actor, "vote.closed",
                    json_pack("{s:s, s:O, s:I}", "vote_id", v->id, "result", result, "closed_at",
                              (json_int_t)now));
    if (!rc)
        rc = report_mail_after_vote(tx->db, v);
    json_decref(result);
    return rc;
}

static int act_close(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                     const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    if (!strcmp(v->status, "draft"))
        return refuse(a, ERR_VOTE_NOT_OPEN);
    if (strcmp(v->status, "open"))
        return refuse(a, ERR_VOTE_CLOSED);
    return close_vote(tx, &c->b, st, v, c->p.user.id);
}

void api_vote_close(struct req *rq)
{
    struct meeting_ctx c;
    struct vote v;
    if (vote_ctx_load(rq, &c, &v, false) < 0)
        return;
    char id[ID_SIZE];
    snprintf(id, sizeof id, "%s", v.id);
    vote_clear(&v);
    if (perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0)
        return;
    vote_act(rq, &c, id, act_close, NULL, 200);
}

/* The scheduler: the vote's deadline has come. */
static int vote_deadline(struct db *db, struct hub *hub, void *ctx, const struct deadline *d)
{
    struct log_tx tx;
    int rc = log_tx_begin(&tx, db, hub);
    if (rc)
        return rc;
    struct vote v;
    struct meeting m;
    struct body b;
    struct meeting_state *st = NULL;
    memset(&v, 0, sizeof v);
    rc = votes_get(db, d->ref_id, &v);
    if (!rc)
        rc = meetings_get(db, v.meeting_id, &m);
    if (!rc)
        rc = bodies_get(db, m.body_id, &b);
    if (!rc)
        rc = meeting_state_load(db, &m, &b, &st);
    if (!rc && !strcmp(v.status, "open"))
        rc = close_vote(&tx, &b, st, &v, "system");
    else if (!rc || rc == OBR_ENOTFOUND) /* closed early by the chair, or gone */
        rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
    meeting_state_free(st);
    vote_clear(&v);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc)
        log_tx_rollback(&tx);
    return rc;
}

void votes_register_deadlines(void)
{
    scheduler_register("vote", vote_deadline);
}

/* ---- ballots ---- */

struct ballot_args {
    const char *ballot_id, *choice;
};

static bool is_eligible(const json_t *eligible, const char *user_id)
{
    size_t i;
    json_t *e;
    json_array_foreach (eligible, i, e) {
        const char *s = json_string_value(e);
        if (s && !strcmp(s, user_id))
            return true;
    }
    return false;
}

static int act_ballot(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                      const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    struct ballot_args *b = arg;
    const char *uid = c->p.user.id;
    char who[ID_SIZE], choice[16];
    /* A retry of an acknowledged ballot answers as the first time did. */
    int rc = ballots_get(tx->db, v->id, b->ballot_id, who, choice);
    if (!rc) {
        if (strcmp(who, uid))
            return refuse(a, ERR_BALLOT_ID_TAKEN);
        a->status = 200;
        a->reply = json_pack("{s:s, s:s, s:s, s:b, s:b}", "vote_id", v->id, "ballot_id",
                             b->ballot_id, "choice", choice, "counted", true, "is_repeat", true);
        return a->reply ? 0 : OBR_ENOMEM;
    }
    if (rc != OBR_ENOTFOUND)
        return rc;
    int64_t now = clock_now_ms();
    if (!strcmp(v->status, "draft"))
        return refuse(a, ERR_VOTE_NOT_OPEN);
    if (strcmp(v->status, "open") || now >= v->deadline_ms)
        return refuse(a, ERR_VOTE_CLOSED);
    if (!is_eligible(v->eligible, uid))
        return refuse(a, ERR_NOT_ELIGIBLE);
    const struct ms_person *me = meeting_state_person(st, uid);
    if (!me || !me->is_present)
        return refuse(a, ERR_NOT_PRESENT);
    rc = ballots_last_of(tx->db, v->id, uid, choice);
    bool is_change = !rc;
    if (rc && rc != OBR_ENOTFOUND)
        return rc;
    if (is_change && !v->allow_change)
        return refuse(a, ERR_ALREADY_VOTED);
    rc = ballots_add(tx->db, v->id, b->ballot_id, uid, b->choice, now);
    if (!rc)
        rc = append(tx, v->meeting_id, uid, "vote.ballot",
                    json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "vote_id", v->id, "ballot_id",
                              b->ballot_id, "user_id", uid, "name", me->name, "choice", b->choice,
                              "is_change", is_change));
    a->status = 201;
    a->reply = json_pack("{s:s, s:s, s:s, s:b, s:b, s:I}", "vote_id", v->id, "ballot_id",
                         b->ballot_id, "choice", b->choice, "counted", true, "is_repeat", false,
                         "cast_at", (json_int_t)now);
    return rc;
}

static bool is_ballot_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 8 || n > BALLOT_ID_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

void api_vote_ballot(struct req *rq)
{
    static const char *const CHOICES[] = {"yes", "no", "abstain", NULL};
    struct meeting_ctx c;
    struct vote v;
    struct ballot_args b = {0};
    const struct jfield spec[] = {
        {"ballot_id", JF_STRING, true, 8, BALLOT_ID_MAX, &b.ballot_id, NULL},
        {"choice", JF_STRING, true, 1, 15, &b.choice, NULL},
        {NULL},
    };
    if (vote_ctx_load(rq, &c, &v, false) < 0)
        return;
    char id[ID_SIZE];
    snprintf(id, sizeof id, "%s", v.id);
    vote_clear(&v);
    if (!c.p.is_signed_in) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return;
    }
    if (req_parse_json(rq, spec) < 0)
        return;
    if (!is_ballot_id(b.ballot_id)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "ballot_id");
        return;
    }
    if (!is_one_of(b.choice, CHOICES)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "choice");
        return;
    }
    vote_act(rq, &c, id, act_ballot, &b, 201);
}

/* ---- repeat (reasumpcja) ---- */

static int act_repeat(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                      const struct meeting_state *st, struct vote *old, void *arg, struct vact *a)
{
    if (strcmp(old->status, "closed"))
        return refuse(a, ERR_VOTE_NOT_CLOSED);
    if (!strcmp(st->status, "closed"))
        return refuse(a, ERR_MEETING_CLOSED);
    struct vote *v = calloc(1, sizeof *v);
    if (!v)
        return OBR_ENOMEM;
    snprintf(v->meeting_id, sizeof v->meeting_id, "%s", old->meeting_id);
    snprintf(v->item_id, sizeof v->item_id, "%s", old->item_id);
    snprintf(v->title, sizeof v->title, "%s", old->title);
    snprintf(v->motion, sizeof v->motion, "%s", old->motion);
    snprintf(v->kind, sizeof v->kind, "%s", old->kind);
    snprintf(v->method, sizeof v->method, "%s", old->method);
    snprintf(v->majority, sizeof v->majority, "%s", old->majority);
    v->duration_s = old->duration_s;
    v->allow_change = old->allow_change;
    snprintf(v->repeat_of, sizeof v->repeat_of, "%s", old->id);
    snprintf(v->repeat_reason, sizeof v->repeat_reason, "%s", (const char *)arg);
    int rc = append_created(tx, c->p.user.id, v);
    snprintf(a->vote_id, sizeof a->vote_id, "%s", v->id);
    a->status = 201;
    free(v);
    return rc;
}

void api_vote_repeat(struct req *rq)
{
    struct meeting_ctx c;
    struct vote v;
    const char *reason = NULL;
    const struct jfield spec[] = {{"reason", JF_TEXT, true, 1, 2000, &reason, NULL}, {NULL}};
    if (vote_ctx_load(rq, &c, &v, false) < 0)
        return;
    char id[ID_SIZE];
    snprintf(id, sizeof id, "%s", v.id);
    vote_clear(&v);
    if (perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0 ||
        req_parse_json(rq, spec) < 0)
        return;
    vote_act(rq, &c, id, act_repeat, (void *)reason, 201);
}

/* ---- reading ---- */

void api_vote_get(struct req *rq)
{
    struct meeting_ctx c;
    struct vote v;
    if (vote_ctx_load(rq, &c, &v, true) < 0)
        return;
    struct db *db = req_db(rq);
    struct meeting_state *st = NULL;
    int rc = meeting_state_load(db, &c.m, &c.b, &st);
    if (rc) {
        vote_clear(&v);
        reply_obr_error(rq, rc);
        return;
    }
    json_t *j = vote_to_json(db, &v, st, c.p.is_signed_in ? c.p.user.id : NULL);
    meeting_state_free(st);
    vote_clear(&v);
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, 200, j ? j : json_object());
}

void api_votes_list(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, true) < 0)
        return;
    json_t *list = votes_list_json(req_db(rq), c.m.id);
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, 200, json_pack("{s:o}", "votes", list ? list : json_array()));
}
