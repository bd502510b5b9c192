/* vote_hand.c — roll-call by hand (art. 14 of the municipal act: when the
 * voting devices fail the chair takes the vote by name). POST
 * /api/votes/{id}/hand: during an open (named) vote the chair or operator
 * enters a member's answer; the rule: only for a member without an
 * electronic ballot, a correction of an earlier hand entry needs a reason,
 * and a member's own ballot after a hand entry is refused. Never for secret
 * votes. The entry is a vote.ballot event with by_hand and who entered it. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "api/proxies.h"
#include "api/vote_impl.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/ids.h"

struct hand_args {
    const char *user_id;
    const char *choice;
    json_t *choices; /* borrowed */
    const char *reason;
    char stored[BALLOT_CHOICE_SIZE];
};

int vote_mark_hand(struct db *db, const char *vote_id, json_t *named)
{
    return vote_mark_named(named, hand_ballots_counted_json(db, vote_id), "by_hand", "entered_by",
                           NULL);
}

static bool in_electorate(const json_t *eligible, const char *uid)
{
    size_t i;
    json_t *e;
    json_array_foreach (eligible, i, e)
        if (json_is_string(e) && !strcmp(json_string_value(e), uid))
            return true;
    return false;
}

static int act_hand(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                    const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    struct hand_args *h = arg;
    int64_t now = clock_now_ms();
    if (vote_is_secret(v))
        return vote_refuse(a, ERR_HAND_SECRET);
    if (!strcmp(v->status, "draft"))
        return vote_refuse(a, ERR_VOTE_NOT_OPEN);
    if (strcmp(v->status, "open") || now >= v->deadline_ms)
        return vote_refuse(a, ERR_VOTE_CLOSED);
    if (vote_is_election(v) != (h->choices != NULL)) {
        a->field = vote_is_election(v) ? "choices" : "choice";
        return vote_refuse(a, ERR_MISSING_FIELD);
    }
    if (h->choices) {
        enum api_err e = vote_election_choice(v, h->choices, h->stored, sizeof h->stored);
        if (e != ERR__COUNT) {
            a->field = "choices";
            return vote_refuse(a, e);
        }
    } else {
        snprintf(h->stored, sizeof h->stored, "%s", h->choice);
    }
    if (!in_electorate(v->eligible, h->user_id)) {
        a->field = "user_id";
        return vote_refuse(a, ERR_HAND_NOT_VOTER);
    }
    bool has_own = false;
    int rc = hand_ballots_has_electronic(tx->db, v->id, h->user_id, &has_own);
    if (rc)
        return rc;
    if (has_own) {
        a->field = "user_id";
        return vote_refuse(a, ERR_VOTED_ELECTRONICALLY);
    }
    char prev[BALLOT_CHOICE_SIZE];
    rc = ballots_last_of(tx->db, v->id, h->user_id, prev);
    bool is_change = !rc;
    if (rc && rc != OBR_ENOTFOUND)
        return rc;
    if (is_change && !h->reason[0]) {
        /* Correcting an answer already entered: say why, for the record. */
        a->field = "reason";
        return vote_refuse(a, ERR_MISSING_FIELD);
    }
    const struct ms_person *who = meeting_state_person(st, h->user_id);
    const char *name = who ? who->name : "";
    char ballot_id[ID_SIZE + 8], id[ID_SIZE];
    id_new(id);
    snprintf(ballot_id, sizeof ballot_id, "hand-%s", id);
    rc = ballots_add(tx->db, v->id, ballot_id, h->user_id, h->stored, now);
    if (!rc)
        rc = hand_ballots_add(tx->db, v->id, ballot_id, h->user_id, c->p.user.id, c->p.user.name,
                              h->reason, now);
    if (!rc && !is_change)
        rc = votes_add_voter(tx->db, v->id);
    const char *key = vote_is_election(v) ? "choices" : "choice";
    json_t *shown = vote_is_election(v) ? json_loads(h->stored, 0, NULL) : json_string(h->stored);
    if (!rc)
        rc = vote_append(tx, v->meeting_id, c->p.user.id, "vote.ballot",
                         json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:i, s:i, s:b, s:s, s:s, s:s}",
                                   "vote_id", v->id, "ballot_id", ballot_id, "user_id",
                                   h->user_id, "name", name, key, shown, "is_change", is_change,
                                   "cast", v->voters_count + !is_change, "eligible",
                                   (int)json_array_size(v->eligible), "by_hand", true,
                                   "entered_by", c->p.user.id, "entered_by_name",
                                   c->p.user.name, "reason", h->reason));
    else
        json_decref(shown);
    a->status = 200;
    return rc;
}

int vote_choice_input(struct req *rq, bool has_choice, bool has_choices, const char *choice,
                      const json_t *choices)
{
    if (has_choice == has_choices) {
        reply_error(rq, has_choice ? ERR_OUT_OF_RANGE : ERR_MISSING_FIELD, "choice");
        return -1;
    }
    if (has_choice && strcmp(choice, "yes") && strcmp(choice, "no") && strcmp(choice, "abstain")) {
        reply_error(rq, ERR_OUT_OF_RANGE, "choice");
        return -1;
    }
    if (has_choices &&
        (!json_is_array(choices) || json_array_size(choices) > VOTE_MAX_CANDIDATES)) {
        reply_error(rq, json_is_array(choices) ? ERR_TOO_MANY_CHOICES : ERR_OUT_OF_RANGE,
                    "choices");
        return -1;
    }
    return 0;
}

void api_vote_hand(struct req *rq)
{
    struct meeting_ctx c;
    struct hand_args h = {.reason = ""};
    bool has_choice = false, has_choices = false;
    const struct jfield spec[] = {
        {"user_id", JF_ID, true, 0, 0, &h.user_id, NULL},
        {"choice", JF_STRING, false, 1, 15, &h.choice, &has_choice},
        {"choices", JF_JSON, false, 0, 0, &h.choices, &has_choices},
        {"reason", JF_TEXT, false, 0, 2000, &h.reason, NULL},
        {NULL},
    };
    char id[ID_SIZE], kind[16];
    if (vote_ctx_load_head(rq, &c, id, kind) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_CONDUCT, c.m.org_id, c.m.body_id) < 0)
        return;
    if (!strcmp(kind, "secret")) {
        reply_error(rq, ERR_HAND_SECRET, NULL);
        return;
    }
    if (req_parse_json(rq, spec) < 0 ||
        vote_choice_input(rq, has_choice, has_choices, h.choice, h.choices) < 0)
        return;
    vote_act(rq, &c, id, act_hand, &h, 200);
}
