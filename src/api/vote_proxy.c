/* vote_proxy.c — a ballot a proxy holder casts for the member they
 * represent (POST /api/votes/{id}/proxy-ballots). The rule: the holder
 * votes only while present at the meeting, and only for a grantor who is
 * absent at that moment — also one who was present when the vote opened and
 * has left since — unless the grantor voted in person (their ballot stands);
 * never in a secret vote. The ballot is stored as the grantor's
 * (so the count, the quorum and weights stay theirs) with proxy_ballots
 * saying who cast it; vote.ballot carries both. Also: the meeting's proxies
 * in force for the member's screen, and the marks on the named list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/proxies.h"
#include "api/vote_impl.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/ids.h"

struct proxy_args {
    const char *ballot_id;
    const char *grantor_id;
    const char *choice;
    json_t *choices; /* borrowed */
    char stored[BALLOT_CHOICE_SIZE];
};

int vote_mark_proxy(struct db *db, const char *vote_id, json_t *named)
{
    static const char *const copy[] = {"cast_by", "cast_by_name", NULL};
    return vote_mark_named(named, proxy_ballots_counted_json(db, vote_id), "by_proxy", NULL, copy);
}

static bool has_id(const json_t *arr, const char *uid)
{
    size_t i;
    json_t *e;
    json_array_foreach (arr, i, e)
        if (json_is_string(e) && !strcmp(json_string_value(e), uid))
            return true;
    return false;
}

int vote_proxy_represented(struct db *db, const struct meeting *m, const struct meeting_state *st,
                           const json_t *eligible, json_t **represented)
{
    struct proxy *all = NULL;
    size_t n = 0;
    *represented = json_array();
    int rc = *represented ? proxies_in_force(db, m, &all, &n) : OBR_ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        const struct ms_person *g = meeting_state_person(st, all[i].grantor_id);
        const struct ms_person *h = meeting_state_person(st, all[i].holder_id);
        if (g && g->is_member && !g->is_present && h && h->is_present &&
            (!eligible || has_id(eligible, g->user_id)))
            rc = json_array_append_new(*represented, json_string(g->user_id)) ? OBR_ENOMEM : 0;
    }
    free(all);
    return rc;
}

bool vote_proxy_awaited(struct db *db, const struct meeting *m, const struct meeting_state *st,
                        const struct vote *v)
{
    json_t *rep = NULL, *counted = NULL;
    bool awaited = false;
    if (!vote_proxy_represented(db, m, st, v->eligible, &rep) && json_array_size(rep) &&
        (counted = ballots_counted_json(db, v->id))) {
        size_t i;
        json_t *e;
        json_array_foreach (rep, i, e)
            if (!json_object_get(counted, json_string_value(e)))
                awaited = true;
    }
    json_decref(counted);
    json_decref(rep);
    return awaited;
}

/* The proxy of grantor held by holder in force at m, into out; else a refusal. */
static int find_proxy(struct db *db, const struct meeting *m, const char *grantor,
                      const char *holder, struct proxy *out, bool *found)
{
    struct proxy *all = NULL;
    size_t n = 0;
    *found = false;
    int rc = proxies_in_force(db, m, &all, &n);
    for (size_t i = 0; !rc && i < n && !*found; i++)
        if (!strcmp(all[i].grantor_id, grantor) && !strcmp(all[i].holder_id, holder)) {
            *out = all[i];
            *found = true;
        }
    free(all);
    return rc;
}

/* Whether grantor's counted ballot in vote_id is their own, cast in person
 * (none of the proxy ballots is the one counted). */
static int counted_is_own(struct db *db, const char *vote_id, const char *grantor, bool *is_own)
{
    json_t *by = proxy_ballots_counted_json(db, vote_id);
    if (!by)
        return OBR_ENOMEM;
    *is_own = json_object_get(by, grantor) == NULL;
    json_decref(by);
    return 0;
}

static json_t *stored_as_json(const struct vote *v, const char *stored)
{
    return vote_is_election(v) ? json_loads(stored, 0, NULL) : json_string(stored);
}

static int check_choice(struct vote *v, struct proxy_args *b, struct vact *a)
{
    if (vote_is_election(v) != (b->choices != NULL)) {
        a->field = vote_is_election(v) ? "choices" : "choice";
        return vote_refuse(a, ERR_MISSING_FIELD), -1;
    }
    if (b->choices) {
        enum api_err e = vote_election_choice(v, b->choices, b->stored, sizeof b->stored);
        if (e != ERR__COUNT) {
            a->field = "choices";
            return vote_refuse(a, e), -1;
        }
    } else {
        snprintf(b->stored, sizeof b->stored, "%s", b->choice);
    }
    return 0;
}

static int act_proxy_ballot(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                            const struct meeting_state *st, struct vote *v, void *arg,
                            struct vact *a)
{
    struct proxy_args *b = arg;
    const char *me = c->p.user.id, *grantor = b->grantor_id;
    const char *key = vote_is_election(v) ? "choices" : "choice";
    char who[ID_SIZE], prev[BALLOT_CHOICE_SIZE];
    if (vote_is_secret(v))
        return vote_refuse(a, ERR_PROXY_SECRET);
    int rc = ballots_get(tx->db, v->id, b->ballot_id, who, prev);
    if (!rc) { /* a retry answers as the first time did */
        if (strcmp(who, grantor))
            return vote_refuse(a, ERR_BALLOT_ID_TAKEN);
        a->status = 200;
        a->reply = json_pack("{s:s, s:s, s:s, s:o, s:b, s:b}", "vote_id", v->id, "ballot_id",
                             b->ballot_id, "for", grantor, key, stored_as_json(v, prev), "counted",
                             true, "is_repeat", true);
        return a->reply ? 0 : OBR_ENOMEM;
    }
    if (rc != OBR_ENOTFOUND)
        return rc;
    int64_t now = clock_now_ms();
    if (!strcmp(v->status, "draft"))
        return vote_refuse(a, ERR_VOTE_NOT_OPEN);
    if (strcmp(v->status, "open") || now >= v->deadline_ms)
        return vote_refuse(a, ERR_VOTE_CLOSED);
    if (check_choice(v, b, a) < 0)
        return 0;
    struct proxy px;
    bool found = false;
    rc = find_proxy(tx->db, &c->m, grantor, me, &px, &found);
    if (rc)
        return rc;
    a->field = "for";
    if (!found)
        return vote_refuse(a, ERR_PROXY_NONE);
    if (!has_id(v->eligible, grantor))
        return vote_refuse(a, ERR_NOT_ELIGIBLE);
    const struct ms_person *holder = meeting_state_person(st, me);
    const struct ms_person *g = meeting_state_person(st, grantor);
    if (!holder || !holder->is_present) {
        a->field = NULL;
        return vote_refuse(a, ERR_PROXY_HOLDER_ABSENT);
    }
    if (g && g->is_present)
        return vote_refuse(a, ERR_PROXY_GRANTOR_PRESENT);
    bool is_by_hand = false;
    rc = ballots_counted_of(tx->db, v->id, grantor, prev, &is_by_hand);
    bool is_change = !rc;
    if (rc && rc != OBR_ENOTFOUND)
        return rc;
    if (is_by_hand)
        return vote_refuse(a, ERR_ENTERED_BY_HAND);
    /* A grantor who voted and then left keeps their own ballot: the proxy
     * replaces only what the holder cast (docs/api.md, "Proxies"). */
    bool is_own = false;
    if (is_change && (rc = counted_is_own(tx->db, v->id, grantor, &is_own)) != 0)
        return rc;
    if (is_own)
        return vote_refuse(a, ERR_PROXY_GRANTOR_VOTED);
    if (is_change && !v->allow_change)
        return vote_refuse(a, ERR_ALREADY_VOTED);
    a->field = NULL;
    const char *gname = g ? g->name : "";
    rc = ballots_add(tx->db, v->id, b->ballot_id, grantor, b->stored, now);
    if (!rc)
        rc =
            proxy_ballots_add(tx->db, v->id, b->ballot_id, grantor, me, holder->name, px.id, now);
    if (!rc && !is_change)
        rc = votes_add_voter(tx->db, v->id);
    if (!rc)
        rc = vote_append(tx, v->meeting_id, me, "vote.ballot",
                         json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:i, s:i, s:b, s:s, s:s, s:s}",
                                   "vote_id", v->id, "ballot_id", b->ballot_id, "user_id", grantor,
                                   "name", gname, key, stored_as_json(v, b->stored), "is_change",
                                   is_change, "cast", v->voters_count + !is_change, "eligible",
                                   (int)json_array_size(v->eligible), "by_proxy", true, "cast_by",
                                   me, "cast_by_name", holder->name, "proxy_id", px.id));
    if (!rc && v->early_close && vote_all_present_voted(tx->db, &c->m, st, v))
        rc = vote_close(tx, &c->b, st, v, "system");
    a->status = 201;
    a->reply = json_pack("{s:s, s:s, s:s, s:o, s:b, s:b, s:I}", "vote_id", v->id, "ballot_id",
                         b->ballot_id, "for", grantor, key, stored_as_json(v, b->stored), "counted",
                         true, "is_repeat", false, "cast_at", (json_int_t)now);
    return rc;
}

void api_vote_proxy_ballot(struct req *rq)
{
    struct meeting_ctx c;
    struct proxy_args b = {0};
    bool has_choice = false, has_choices = false;
    const struct jfield spec[] = {
        {"ballot_id", JF_STRING, true, 8, VOTE_BALLOT_ID_MAX, &b.ballot_id, NULL},
        {"for", JF_ID, true, 0, 0, &b.grantor_id, NULL},
        {"choice", JF_STRING, false, 1, 15, &b.choice, &has_choice},
        {"choices", JF_JSON, false, 0, 0, &b.choices, &has_choices},
        {NULL},
    };
    char id[ID_SIZE], kind[16];
    if (vote_ctx_load_head(rq, &c, id, kind) < 0)
        return;
    if (!c.p.is_signed_in) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return;
    }
    if (!strcmp(kind, "secret")) {
        reply_error(rq, ERR_PROXY_SECRET, NULL);
        return;
    }
    if (req_parse_json(rq, spec) < 0)
        return;
    if (!vote_is_ballot_id(b.ballot_id)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "ballot_id");
        return;
    }
    if (vote_choice_input(rq, has_choice, has_choices, b.choice, b.choices) < 0)
        return;
    vote_act(rq, &c, id, act_proxy_ballot, &b, 201);
}

/* The name the meeting shows for uid (the office's typed name of a member
 * added from another organisation, else the account's), "" for none. */
static json_t *person_name(const struct meeting_state *st, const char *uid)
{
    const struct ms_person *p = meeting_state_person(st, uid);
    return json_string(p ? p->name : "");
}

void api_meeting_proxies(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, false) < 0)
        return;
    bool is_staff = c.can_conduct || c.can_prepare;
    if (!is_staff && !c.is_participant) {
        reply_error(rq, ERR_FORBIDDEN, NULL);
        return;
    }
    struct db *db = req_db(rq);
    struct proxy *all = NULL;
    struct meeting_state *st = NULL;
    size_t n = 0;
    int rc = meeting_state_load(db, &c.m, &c.b, &st);
    if (!rc)
        rc = proxies_in_force(db, &c.m, &all, &n);
    if (rc) {
        meeting_state_free(st);
        reply_obr_error(rq, rc);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        const struct proxy *x = &all[i];
        if (!is_staff && strcmp(x->holder_id, c.p.user.id) && strcmp(x->grantor_id, c.p.user.id))
            continue;
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:o, s:s, s:o}", "id", x->id, "grantor_id", x->grantor_id,
                            "grantor_name", person_name(st, x->grantor_id), "holder_id",
                            x->holder_id, "holder_name", person_name(st, x->holder_id)));
    }
    free(all);
    meeting_state_free(st);
    reply_json(rq, 200, json_pack("{s:o}", "proxies", list ? list : json_array()));
}
