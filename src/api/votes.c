/* votes.c — votes of a meeting: create (prepared in advance or on the spot;
 * motions and elections, with the electorate defined as all members of the
 * body, a named group, chosen guests and exclusions), open (the electorate
 * and the quorum fixed and recorded), extend the deadline, repeat
 * ("reasumpcja") as a new linked vote, and reading. Ballots are in
 * vote_ballots.c, closing in vote_close.c, what is special to secret votes
 * in vote_secret.c and vote_trustees.c. */
#include <stdlib.h>
#include <string.h>

#include "util/json_values.h"
#include "api/handlers.h"
#include "api/sms_notices.h"
#include "api/validate.h"
#include "api/proxies.h"
#include "api/vote_impl.h"
#include "store/db.h"
#include "store/secret_votes.h"
#include "store/vote_weights.h"
#include "util/clock.h"

#define MAX_LISTED 500 /* guests or exclusions in one electorate */

/* ---- create ---- */

static int append_created(struct log_tx *tx, const char *actor, struct vote *v)
{
    int rc = votes_create(tx->db, v);
    if (rc)
        return rc;
    json_t *j = json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:O}", "vote_id",
                          v->id, "item_id", json_str_or_null(v->item_id), "title", v->title,
                          "motion", v->motion, "kind", v->kind, "method", v->method, "majority",
                          v->majority, "duration_s", v->duration_s, "allow_change",
                          v->allow_change, "early_close", v->early_close, "electorate",
                          v->electorate ? v->electorate : json_null());
    if (j && vote_is_election(v)) {
        json_object_set(j, "candidates", v->candidates);
        json_object_set_new(j, "seats", json_integer(v->seats));
        json_object_set_new(j, "election_rule", json_string(v->election_rule));
    }
    if (j && v->repeat_of[0]) {
        json_object_set_new(j, "repeat_of", json_string(v->repeat_of));
        json_object_set_new(j, "repeat_reason", json_string(v->repeat_reason));
    }
    return vote_append(tx, v->meeting_id, actor, "vote.created", j);
}

/* Guests named in an electorate must be guests of the meeting; excluded
 * people must take part in it. */
static bool electorate_fits(struct db *db, const char *meeting_id, const json_t *def)
{
    const json_t *lists[2] = {json_object_get(def, "guests"), json_object_get(def, "exclude")};
    for (int l = 0; l < 2; l++) {
        size_t i;
        json_t *e;
        json_array_foreach (lists[l], i, e) {
            bool is_guest = false, is_scrutiny = false;
            if (!participants_is_participant(db, meeting_id, json_string_value(e), &is_guest,
                                             &is_scrutiny) ||
                (l == 0 && !is_guest))
                return false;
        }
    }
    return true;
}

/* The meeting's scrutiny committee becomes the vote's trustees, numbered
 * 1..n in the participants' order; the threshold defaults to a majority.
 * VOTE_PENDING when there is no committee or the threshold is above it. */
static int committee_fix(struct db *db, struct vote *v)
{
    json_t *people = participants_list_json(db, v->meeting_id);
    int n = 0, rc = 0;
    size_t i;
    json_t *p;
    json_array_foreach (people, i, p)
        if (!rc && json_is_true(json_object_get(p, "is_scrutiny")))
            rc = vote_trustees_add(db, v->id, ++n, json_string_value(json_object_get(p, "user_id")),
                                   json_string_value(json_object_get(p, "name")));
    json_decref(people);
    if (rc)
        return rc;
    if (!v->trustee_threshold)
        v->trustee_threshold = n / 2 + 1;
    if (!n || v->trustee_threshold > n)
        return VOTE_PENDING;
    return votes_set_threshold(db, v->id, v->trustee_threshold);
}

static int act_create(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                      const struct meeting_state *st, struct vote *unused, void *arg,
                      struct vact *a)
{
    struct vote *v = arg;
    if (!strcmp(st->status, "closed"))
        return vote_refuse(a, ERR_MEETING_CLOSED);
    if (v->item_id[0]) {
        struct agenda_item it;
        if (agenda_get(tx->db, v->item_id, &it) || strcmp(it.meeting_id, c->m.id)) {
            a->field = "item_id";
            return vote_refuse(a, ERR_UNKNOWN_ITEM);
        }
    }
    if (v->electorate && !electorate_fits(tx->db, c->m.id, v->electorate)) {
        a->field = "electorate";
        return vote_refuse(a, ERR_OUT_OF_RANGE);
    }
    int rc = append_created(tx, c->p.user.id, v);
    if (!rc && !strcmp(v->trustee_mode, "committee")) {
        rc = committee_fix(tx->db, v);
        if (rc == VOTE_PENDING) {
            a->field = "threshold";
            return vote_refuse(a, ERR_NO_COMMITTEE);
        }
    }
    snprintf(a->vote_id, sizeof a->vote_id, "%s", v->id);
    return rc;
}

/* {group?, guests?, exclude?} → a clean copy in v->electorate (NULL when
 * it says nothing: all members of the body). */
static int parse_electorate(struct req *rq, json_t *def, struct vote *v)
{
    if (!def)
        return 0;
    if (!json_is_object(def)) {
        reply_error(rq, ERR_WRONG_TYPE, "electorate");
        return -1;
    }
    json_t *clean = json_object();
    const char *key;
    json_t *val;
    json_object_foreach (def, key, val) {
        json_t *copy = NULL;
        if (!strcmp(key, "group")) {
            char groups[128];
            json_t *one = json_pack("[O]", val);
            int bad = validate_groups(rq, "electorate", one, groups, sizeof groups);
            json_decref(one);
            if (bad) {
                json_decref(clean);
                return -1;
            }
            copy = json_copy(val);
        } else if (!strcmp(key, "guests") || !strcmp(key, "exclude")) {
            if (validate_ids(rq, "electorate", val, MAX_LISTED, &copy) < 0) {
                json_decref(clean);
                return -1;
            }
        } else {
            json_decref(clean);
            reply_error(rq, ERR_UNKNOWN_FIELD, "electorate");
            return -1;
        }
        json_object_set_new(clean, key, copy);
    }
    if (json_object_size(clean))
        v->electorate = clean;
    else
        json_decref(clean);
    return 0;
}

/* method, candidates, seats and election_rule → v. */
static int parse_method(struct req *rq, const char *method, json_t *candidates, int64_t seats,
                        const char *rule, struct vote *v)
{
    snprintf(v->method, sizeof v->method, "%s", method);
    v->seats = 1;
    snprintf(v->election_rule, sizeof v->election_rule, "%s", "most_votes");
    if (!strcmp(method, "yes_no_abstain")) {
        if (candidates || seats || rule) {
            reply_error(rq, ERR_OUT_OF_RANGE, candidates ? "candidates" : seats ? "seats" : "election_rule");
            return -1;
        }
        return 0;
    }
    if (strcmp(method, "election")) {
        reply_error(rq, ERR_OUT_OF_RANGE, "method");
        return -1;
    }
    if (!candidates) {
        reply_error(rq, ERR_MISSING_FIELD, "candidates");
        return -1;
    }
    if (validate_names(rq, "candidates", candidates, 1, VOTE_MAX_CANDIDATES, 200, &v->candidates) < 0)
        return -1;
    enum election_rule r = ER_MOST_VOTES;
    if (rule && election_rule_parse(rule, &r)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "election_rule");
        return -1;
    }
    snprintf(v->election_rule, sizeof v->election_rule, "%s", election_rule_name(r));
    v->seats = seats ? (int)seats : 1;
    if (v->seats > (int)json_array_size(v->candidates)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "seats");
        return -1;
    }
    return 0;
}

void api_votes_create(struct req *rq)
{
    struct meeting_ctx c;
    const char *title = NULL, *motion = "", *kind = "open", *method = "yes_no_abstain",
               *majority = "simple", *item_id = NULL, *rule = NULL;
    int64_t duration_s = 0, seats = 0;
    json_t *candidates = NULL, *electorate = NULL;
    const char *trustees = "server";
    int64_t threshold = 0;
    bool allow_change = false, early_close = false, has_duration = false;
    const struct jfield spec[] = {
        {"title", JF_STRING, true, 1, 800, &title, NULL},
        {"motion", JF_TEXT, false, 0, 8000, &motion, NULL},
        {"kind", JF_STRING, false, 1, 15, &kind, NULL},
        {"method", JF_STRING, false, 1, 23, &method, NULL},
        {"majority", JF_STRING, false, 1, 31, &majority, NULL},
        {"duration_s", JF_INT, false, 1, 86400, &duration_s, &has_duration},
        {"allow_change", JF_BOOL, false, 0, 0, &allow_change, NULL},
        {"early_close", JF_BOOL, false, 0, 0, &early_close, NULL},
        {"item_id", JF_ID, false, 0, 0, &item_id, NULL},
        {"candidates", JF_JSON, false, 0, 0, &candidates, NULL},
        {"seats", JF_INT, false, 1, VOTE_MAX_CANDIDATES, &seats, NULL},
        {"election_rule", JF_STRING, false, 1, 23, &rule, NULL},
        {"electorate", JF_JSON, false, 0, 0, &electorate, NULL},
        {"trustees", JF_STRING, false, 1, 15, &trustees, NULL},
        {"threshold", JF_INT, false, 1, 32, &threshold, NULL},
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
    static const char *const KINDS[] = {"open", "secret", NULL};
    enum vote_majority m;
    if (validate_one_of(rq, "kind", kind, KINDS) < 0)
        return;
    if (vote_majority_parse(majority, &m) ||
        (vote_majority_is_statutory(m) && c.b.statutory_size < 1)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "majority");
        return;
    }
    if (vote_majority_is_weighted(m)) {
        /* A majority of shares: only where the body keeps weights, only for
         * motions, and never secret (docs/verifiable-voting.md, "Weights"). */
        enum api_err why = !c.b.uses_weights         ? ERR_WEIGHTS_OFF
                           : !strcmp(kind, "secret") ? ERR_WEIGHTS_SECRET
                           : strcmp(method, "yes_no_abstain") ? ERR_WEIGHTS_ELECTION
                                                              : ERR__COUNT;
        if (why != ERR__COUNT) {
            reply_error(rq, why, "majority");
            return;
        }
    }
    static const char *const TRUSTEES[] = {"server", "committee", NULL};
    if (validate_one_of(rq, "trustees", trustees, TRUSTEES) < 0)
        return;
    if (strcmp(kind, "secret") && (strcmp(trustees, "server") || threshold)) {
        reply_error(rq, ERR_OUT_OF_RANGE, threshold ? "threshold" : "trustees");
        return;
    }
    if (!strcmp(kind, "secret") && allow_change) {
        /* Nothing links a secret ballot to its voter, so none can be replaced. */
        reply_error(rq, ERR_OUT_OF_RANGE, "allow_change");
        return;
    }
    struct vote *v = calloc(1, sizeof *v);
    if (!v) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    if (parse_method(rq, method, candidates, seats, rule, v) < 0 ||
        parse_electorate(rq, electorate, v) < 0) {
        vote_clear(v);
        free(v);
        return;
    }
    snprintf(v->meeting_id, sizeof v->meeting_id, "%s", c.m.id);
    snprintf(v->item_id, sizeof v->item_id, "%s", item_id ? item_id : "");
    snprintf(v->title, sizeof v->title, "%s", title);
    snprintf(v->motion, sizeof v->motion, "%s", motion);
    snprintf(v->kind, sizeof v->kind, "%s", kind);
    snprintf(v->majority, sizeof v->majority, "%s", vote_majority_name(m));
    v->duration_s =
        has_duration ? (int)duration_s : (c.b.vote_duration_s > 0 ? c.b.vote_duration_s : 600);
    v->allow_change = allow_change;
    v->early_close = early_close;
    snprintf(v->trustee_mode, sizeof v->trustee_mode, "%s", trustees);
    v->trustee_threshold = (int)threshold;
    vote_act(rq, &c, NULL, act_create, v, 201);
    vote_clear(v);
    free(v);
}

/* ---- open ---- */

static bool has_string(const json_t *arr, const char *s)
{
    size_t i;
    json_t *e;
    json_array_foreach (arr, i, e)
        if (json_is_string(e) && !strcmp(json_string_value(e), s))
            return true;
    return false;
}

/* The user ids entitled to vote, fixed now: the body's members (only those
 * in the group when one is named), plus the named guests, minus exclusions. */
static json_t *electorate_now(struct db *db, const char *meeting_id, const json_t *def)
{
    json_t *people = participants_list_json(db, meeting_id);
    json_t *out = json_array();
    const char *group = json_string_value(json_object_get(def, "group"));
    const json_t *guests = json_object_get(def, "guests"), *exclude = json_object_get(def, "exclude");
    size_t i;
    json_t *p;
    json_array_foreach (people, i, p) {
        const char *uid = json_string_value(json_object_get(p, "user_id"));
        if (!uid || has_string(exclude, uid))
            continue;
        bool in = json_is_true(json_object_get(p, "is_guest"))
                      ? has_string(guests, uid)
                      : !group || has_string(json_object_get(p, "groups"), group);
        if (in)
            json_array_append_new(out, json_string(uid));
    }
    json_decref(people);
    return out;
}

static int act_open(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                    const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    if (strcmp(v->status, "draft"))
        return vote_refuse(a, ERR_VOTE_NOT_DRAFT);
    if (strcmp(st->status, "in_progress"))
        return vote_refuse(a, !strcmp(st->status, "closed") ? ERR_MEETING_CLOSED
                                                             : ERR_MEETING_NOT_IN_PROGRESS);
    enum vote_majority m = VM_SIMPLE;
    vote_majority_parse(v->majority, &m);
    if (vote_majority_is_weighted(m) && !c->b.uses_weights) {
        a->field = "majority"; /* weights were switched off after the vote was prepared */
        return vote_refuse(a, ERR_WEIGHTS_OFF);
    }
    json_t *eligible = electorate_now(tx->db, v->meeting_id, v->electorate);
    if (!eligible)
        return OBR_ENOMEM;
    if (!json_array_size(eligible)) {
        json_decref(eligible);
        return vote_refuse(a, ERR_EMPTY_ELECTORATE);
    }
    int64_t now = clock_now_ms();
    int64_t deadline = now + (int64_t)v->duration_s * 1000;
    /* Members absent but represented by a present proxy holder count as
     * present for the vote's quorum (docs/api.md, "Proxies"); not in a
     * secret vote, where no proxy may vote. */
    json_t *represented = NULL;
    int rc = vote_is_secret(v) ? ((represented = json_array()) ? 0 : OBR_ENOMEM)
                               : vote_proxy_represented(tx->db, &c->m, st, eligible, &represented);
    int present = st->present_count + (int)json_array_size(represented);
    if (!rc)
        rc = votes_open(tx->db, v->id, now, deadline, eligible, present, st->required);
    if (!rc)
        rc = deadlines_add(tx->db, v->meeting_id, "vote", v->id, deadline);
    json_t *election = NULL, *weights = NULL;
    char election_hash[65] = "";
    /* Each voter's weight frozen now, in the store and in the event, so the
     * result can be recomputed exactly whatever the office changes later. */
    if (!rc && c->b.uses_weights && !vote_is_secret(v))
        rc = vote_weights_freeze(tx->db, v->id, c->b.id, eligible, &weights);
    if (!rc && vote_is_secret(v)) {
        rc = vote_secret_open(tx, v, st, eligible, &election, election_hash);
        if (rc == VOTE_PENDING || rc == VOTE_BAD_TRUSTEE) {
            json_decref(eligible);
            json_decref(represented);
            return vote_refuse(a, rc == VOTE_PENDING ? ERR_TRUSTEES_NOT_READY : ERR_BAD_TRUSTEE_KEY);
        }
    }
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:O, s:O, s:i, s:i, s:i, s:b, "
                          "s:I, s:I, s:i, s:o, s:o}",
                          "vote_id", v->id, "title", v->title, "motion", v->motion, "kind",
                          v->kind, "method", v->method, "majority", v->majority, "allow_change",
                          v->allow_change, "early_close", v->early_close, "electorate",
                          v->electorate ? v->electorate : json_null(), "eligible", eligible,
                          "eligible_count", (int)json_array_size(eligible), "present",
                          present, "quorum_required", st->required, "has_quorum",
                          present >= st->required, "opened_at", (json_int_t)now,
                          "deadline", (json_int_t)deadline, "duration_s", v->duration_s,
                          "rule_text", vote_rule_texts(v), "represented",
                          represented ? represented : json_array());
    if (j && vote_is_election(v)) {
        json_object_set(j, "candidates", v->candidates);
        json_object_set_new(j, "seats", json_integer(v->seats));
        json_object_set_new(j, "election_rule", json_string(v->election_rule));
    }
    if (j && weights)
        json_object_set_new(j, "weights", vote_weights_text_json(weights));
    json_decref(weights);
    if (j && election) {
        json_object_set_new(j, "election", election);
        json_object_set_new(j, "election_hash", json_string(election_hash));
    } else {
        json_decref(election);
    }
    if (!rc)
        rc = sms_notice_vote_opened(tx->db, &c->m, v->id, v->title, eligible);
    if (!rc)
        rc = vote_append(tx, v->meeting_id, c->p.user.id, "vote.opened", j);
    else
        json_decref(j);
    json_decref(eligible);
    a->nudge = true;
    a->status = 200;
    return rc;
}

static void conduct(struct req *rq, vote_fn fn, void *arg, unsigned status)
{
    struct meeting_ctx c;
    char id[ID_SIZE];
    if (vote_ctx_load_id(rq, &c, id) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0)
        return;
    vote_act(rq, &c, id, fn, arg, status);
}

void api_vote_open(struct req *rq)
{
    conduct(rq, act_open, NULL, 200);
}

/* ---- close, extend ---- */

static int act_close(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                     const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    if (!strcmp(v->status, "draft"))
        return vote_refuse(a, ERR_VOTE_NOT_OPEN);
    if (strcmp(v->status, "open"))
        return vote_refuse(a, ERR_VOTE_CLOSED);
    return vote_close(tx, &c->b, st, v, c->p.user.id);
}

void api_vote_close(struct req *rq)
{
    conduct(rq, act_close, NULL, 200);
}

static int act_extend(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                      const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    int64_t seconds = *(int64_t *)arg, now = clock_now_ms();
    if (!strcmp(v->status, "draft"))
        return vote_refuse(a, ERR_VOTE_NOT_OPEN);
    if (strcmp(v->status, "open") || now >= v->deadline_ms)
        return vote_refuse(a, ERR_VOTE_CLOSED);
    int64_t deadline = v->deadline_ms + seconds * 1000;
    if (deadline - v->opened_ms > 86400 * 1000LL) {
        a->field = "seconds";
        return vote_refuse(a, ERR_OUT_OF_RANGE);
    }
    int rc = votes_extend(tx->db, v->id, deadline);
    if (!rc)
        rc = deadlines_done(tx->db, v->meeting_id, "vote", v->id, now);
    if (!rc)
        rc = deadlines_add(tx->db, v->meeting_id, "vote", v->id, deadline);
    if (!rc)
        rc = vote_append(tx, v->meeting_id, c->p.user.id, "vote.extended",
                         json_pack("{s:s, s:I, s:I}", "vote_id", v->id, "deadline",
                                   (json_int_t)deadline, "extended_by_s", (json_int_t)seconds));
    a->nudge = true;
    return rc;
}

void api_vote_extend(struct req *rq)
{
    int64_t seconds = 0;
    const struct jfield spec[] = {{"seconds", JF_INT, true, 10, 3600, &seconds, NULL}, {NULL}};
    struct meeting_ctx c;
    char id[ID_SIZE];
    if (vote_ctx_load_id(rq, &c, id) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0 ||
        req_parse_json(rq, spec) < 0)
        return;
    vote_act(rq, &c, id, act_extend, &seconds, 200);
}

/* ---- repeat (reasumpcja) ---- */

static int act_repeat(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                      const struct meeting_state *st, struct vote *old, void *arg, struct vact *a)
{
    if (strcmp(old->status, "closed"))
        return vote_refuse(a, ERR_VOTE_NOT_CLOSED);
    if (!strcmp(st->status, "closed"))
        return vote_refuse(a, ERR_MEETING_CLOSED);
    struct vote *v = calloc(1, sizeof *v);
    if (!v)
        return OBR_ENOMEM;
    *v = *old; /* the same motion, rule and electorate definition */
    v->candidates = json_incref(old->candidates);
    v->electorate = json_incref(old->electorate);
    v->eligible = v->result = NULL;
    snprintf(v->repeat_of, sizeof v->repeat_of, "%s", old->id);
    snprintf(v->repeat_reason, sizeof v->repeat_reason, "%s", (const char *)arg);
    int rc = append_created(tx, c->p.user.id, v);
    snprintf(a->vote_id, sizeof a->vote_id, "%s", v->id);
    a->status = 201;
    vote_clear(v);
    free(v);
    return rc;
}

void api_vote_repeat(struct req *rq)
{
    struct meeting_ctx c;
    char id[ID_SIZE];
    const char *reason = NULL;
    const struct jfield spec[] = {{"reason", JF_TEXT, true, 1, 2000, &reason, NULL}, {NULL}};
    if (vote_ctx_load_id(rq, &c, id) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0 ||
        req_parse_json(rq, spec) < 0)
        return;
    vote_act(rq, &c, id, act_repeat, (void *)reason, 201);
}

/* ---- reading (GET /api/votes/{id}: vote_get.c) ---- */

void api_votes_list(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, true) < 0)
        return;
    json_t *list = votes_list_json(req_db(rq), c.m.id);
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, 200, json_pack("{s:o}", "votes", list ? list : json_array()));
}
