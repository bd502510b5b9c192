/* vote_ballots.c — POST /api/votes/{id}/ballots: idempotent by the client's
 * ballot id (a retry answers as the first time did), eligible and present
 * voters only, refused after close even by a millisecond, a change only when
 * the vote allows it (the last ballot counts, every one is in the log), and
 * the early close once every present eligible voter has voted. */
#include <stdlib.h>
#include <string.h>

#include "api/eligible_index.h"
#include "api/handlers.h"
#include "api/proxies.h"
#include "api/vote_impl.h"
#include "crypto/evote.h"
#include "store/secret_votes.h"
#include "store/voter_keys.h"
#include "store/db.h"
#include "util/clock.h"

struct ballot_args {
    const char *ballot_id;
    const char *choice; /* motion: yes | no | abstain */
    json_t *choices;    /* election: candidate indexes (borrowed) */
    char stored[BALLOT_CHOICE_SIZE];
};

/* Whether the vote takes ballots at now; else the refusal is recorded. */
static bool takes_ballots(const struct vote *v, int64_t now, struct vact *a)
{
    if (!strcmp(v->status, "draft"))
        return vote_refuse(a, ERR_VOTE_NOT_OPEN), false;
    if (strcmp(v->status, "open") || now >= v->deadline_ms)
        return vote_refuse(a, ERR_VOTE_CLOSED), false;
    return true;
}

/* The voter when entitled to vote and present; else NULL and the refusal. */
static const struct ms_person *entitled(const struct vote *v, const struct meeting_state *st,
                                        const char *uid, struct vact *a)
{
    if (!eligible_has(v->eligible, uid))
        return vote_refuse(a, ERR_NOT_ELIGIBLE), NULL;
    const struct ms_person *me = meeting_state_person(st, uid);
    if (!me || !me->is_present)
        return vote_refuse(a, ERR_NOT_PRESENT), NULL;
    return me;
}

enum api_err vote_election_choice(const struct vote *v, json_t *choices, char *out, size_t size)
{
    int n = (int)json_array_size(v->candidates);
    if (!json_is_array(choices))
        return ERR_OUT_OF_RANGE;
    if ((int)json_array_size(choices) > v->seats)
        return ERR_TOO_MANY_CHOICES;
    bool chosen[VOTE_MAX_CANDIDATES] = {false};
    size_t i;
    json_t *e;
    json_array_foreach (choices, i, e) {
        json_int_t k = json_integer_value(e);
        if (!json_is_integer(e) || k < 0 || k >= n || chosen[k])
            return ERR_OUT_OF_RANGE;
        chosen[k] = true;
    }
    size_t len = (size_t)snprintf(out, size, "[");
    for (int k = 0, first = 1; k < n; k++)
        if (chosen[k]) {
            len += (size_t)snprintf(out + len, size - len, "%s%d", first ? "" : ",", k);
            first = 0;
        }
    snprintf(out + len, size - len, "]");
    return ERR__COUNT;
}

/* The early close: every present eligible voter has a counted ballot (vote_impl.h). */
bool vote_all_present_voted(struct db *db, const struct meeting *m,
                            const struct meeting_state *st, const struct vote *v)
{
    json_t *counted = ballots_counted_json(db, v->id);
    bool all = counted != NULL, anyone = false;
    size_t i;
    json_t *e;
    json_array_foreach (v->eligible, i, e) {
        const char *uid = json_string_value(e);
        const struct ms_person *p = uid ? meeting_state_person(st, uid) : NULL;
        if (!p || !p->is_present)
            continue;
        anyone = true;
        if (!json_object_get(counted, uid))
            all = false;
    }
    json_decref(counted);
    /* A represented member's ballot is still to come from their proxy. */
    return all && anyone && (!m || !vote_proxy_awaited(db, m, st, v));
}

static json_t *stored_as_json(const struct vote *v, const char *stored)
{
    return vote_is_election(v) ? json_loads(stored, 0, NULL) : json_string(stored);
}

static int act_ballot(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                      const struct meeting_state *st, struct vote *v, void *arg, struct vact *a)
{
    struct ballot_args *b = arg;
    const char *uid = c->p.user.id;
    const char *key = vote_is_election(v) ? "choices" : "choice";
    /* The retry and the voter's counted ballot, read at once (nothing
     * before the checks below writes); refusals keep their order. */
    struct ballot_seen seen;
    int rc = ballots_seen(tx->db, v->id, b->ballot_id, uid, &seen);
    if (rc)
        return rc;
    /* A retry of an acknowledged ballot answers as the first time did. */
    if (seen.has_ballot) {
        if (strcmp(seen.user_id, uid))
            return vote_refuse(a, ERR_BALLOT_ID_TAKEN);
        a->status = 200;
        a->reply = json_pack("{s:s, s:s, s:o, s:b, s:b}", "vote_id", v->id, "ballot_id",
                             b->ballot_id, key, stored_as_json(v, seen.choice), "counted", true,
                             "is_repeat", true);
        return a->reply ? 0 : OBR_ENOMEM;
    }
    int64_t now = clock_now_ms();
    if (!takes_ballots(v, now, a))
        return 0;
    /* An election takes "choices", a motion "choice". */
    if (vote_is_election(v) != (b->choices != NULL)) {
        a->field = vote_is_election(v) ? "choices" : "choice";
        return vote_refuse(a, ERR_MISSING_FIELD);
    }
    if (b->choices) {
        enum api_err e = vote_election_choice(v, b->choices, b->stored, sizeof b->stored);
        if (e != ERR__COUNT) {
            a->field = "choices";
            return vote_refuse(a, e);
        }
    } else {
        snprintf(b->stored, sizeof b->stored, "%s", b->choice);
    }
    const struct ms_person *me = entitled(v, st, uid, a);
    if (!me)
        return 0;
    bool is_change = seen.has_counted;
    if (seen.is_by_hand) /* what the chair recorded in the roll call stands */
        return vote_refuse(a, ERR_ENTERED_BY_HAND);
    if (is_change && !v->allow_change)
        return vote_refuse(a, ERR_ALREADY_VOTED);
    rc = ballots_add(tx->db, v->id, b->ballot_id, uid, b->stored, now);
    if (!rc && !is_change)
        rc = votes_add_voter(tx->db, v->id);
    int cast = v->voters_count + !is_change;
    if (!rc)
        rc = vote_append(tx, v->meeting_id, uid, "vote.ballot",
                         json_pack("{s:s, s:s, s:s, s:s, s:o, s:b, s:i, s:i}", "vote_id", v->id,
                                   "ballot_id", b->ballot_id, "user_id", uid, "name", me->name,
                                   key, stored_as_json(v, b->stored), "is_change", is_change,
                                   "cast", cast, "eligible", (int)json_array_size(v->eligible)));
    if (!rc && v->early_close && vote_all_present_voted(tx->db, &c->m, st, v))
        rc = vote_close(tx, &c->b, st, v, "system");
    a->status = 201;
    a->reply = json_pack("{s:s, s:s, s:o, s:b, s:b, s:I}", "vote_id", v->id, "ballot_id",
                         b->ballot_id, key, stored_as_json(v, b->stored), "counted", true,
                         "is_repeat", false, "cast_at", (json_int_t)now);
    return rc;
}

struct secret_args {
    const char *ballot_id;
    const json_t *ballot;
    char tracker[65], credential[65];
};

/* Spec v2: the ballot's key must be the one in force for the voter in this
 * vote (frozen at opening), or the voter's currently registered key, which
 * then replaces it: a published key change (board key_changes, log event
 * vote.voter_key). Refusals are recorded in a. */
static int check_voter_key(struct log_tx *tx, const struct vote *v, const char *uid,
                           const char *key, struct vact *a)
{
    char name[NAME_SIZE], frozen[VOTER_KEY_HEX], current[VOTER_KEY_HEX];
    int64_t at;
    int rc = vote_electorate_get(tx->db, v->id, uid, name, sizeof name, frozen);
    if (rc == OBR_ENOTFOUND)
        return vote_refuse(a, ERR_NO_VOTER_KEY);
    if (rc || !strcmp(frozen, key))
        return rc;
    rc = voter_keys_get(tx->db, uid, current, &at);
    if (rc == OBR_ENOTFOUND || (!rc && strcmp(current, key)))
        return vote_refuse(a, ERR_BAD_VOTER_KEY);
    if (!rc)
        rc = vote_electorate_change(tx->db, v->id, uid, key);
    if (rc == OBR_EEXISTS)
        return vote_refuse(a, ERR_VOTER_KEY_TAKEN);
    if (!rc)
        rc = vote_append(tx, v->meeting_id, uid, "vote.voter_key",
                         json_pack("{s:s, s:s, s:s, s:o}", "vote_id", v->id, "name", name, "key",
                                   key, "previous", frozen[0] ? json_string(frozen) : json_null()));
    return rc;
}

/* A verified encrypted ballot: who voted and what was cast go to tables
 * that nothing links (store/secret_votes.h). */
static int act_secret_ballot(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                             const struct meeting_state *st, struct vote *v, void *arg,
                             struct vact *a)
{
    struct secret_args *b = arg;
    const char *uid = c->p.user.id;
    char who[ID_SIZE], mine[72];
    int rc = secret_voters_by_ballot(tx->db, v->id, b->ballot_id, who);
    if (!rc) {
        if (strcmp(who, uid))
            return vote_refuse(a, ERR_BALLOT_ID_TAKEN);
        a->status = 200;
        a->reply = json_pack("{s:s, s:s, s:b, s:b}", "vote_id", v->id, "ballot_id", b->ballot_id,
                             "counted", true, "is_repeat", true);
        return a->reply ? 0 : OBR_ENOMEM;
    }
    if (rc != OBR_ENOTFOUND)
        return rc;
    int64_t now = clock_now_ms();
    if (!takes_ballots(v, now, a))
        return 0;
    const struct ms_person *me = entitled(v, st, uid, a);
    if (!me)
        return 0;
    rc = secret_voters_get(tx->db, v->id, uid, mine);
    if (!rc)
        return vote_refuse(a, ERR_ALREADY_VOTED);
    if (rc != OBR_ENOTFOUND)
        return rc;
    rc = secret_ballots_add(tx->db, v->id, b->tracker, b->credential, b->ballot);
    if (rc == OBR_EEXISTS)
        return vote_refuse(a, ERR_DUPLICATE_BALLOT);
    /* A refusal here rolls the ballot back with the whole transaction. */
    if (!rc && json_object_get(b->ballot, "voter_key")) {
        rc = check_voter_key(tx, v, uid, b->credential, a);
        if (rc || a->err != ERR__COUNT)
            return rc;
    }
    if (!rc)
        rc = secret_voters_add(tx->db, v->id, uid, b->ballot_id);
    if (!rc)
        rc = votes_add_voter(tx->db, v->id);
    int cast = v->voters_count + 1;
    if (!rc)
        rc = vote_append(tx, v->meeting_id, uid, "vote.ballot",
                         json_pack("{s:s, s:s, s:s, s:i, s:i}", "vote_id", v->id, "user_id", uid,
                                   "name", me->name, "cast", cast, "eligible",
                                   (int)json_array_size(v->eligible)));
    if (!rc && v->early_close && vote_all_present_voted(tx->db, NULL, st, v))
        rc = vote_close(tx, &c->b, st, v, "system");
    char short_tracker[EVOTE_TRACKER_SHORT];
    evote_tracker_short(b->tracker, short_tracker);
    a->status = 201;
    a->reply = json_pack("{s:s, s:s, s:b, s:b, s:s, s:s}", "vote_id", v->id, "ballot_id",
                         b->ballot_id, "counted", true, "is_repeat", false, "tracker", b->tracker,
                         "tracker_short", short_tracker);
    return rc;
}

/* Checks an encrypted ballot before taking the writer lock (the proofs are
 * the costly part), then records it. */
static void secret_ballot(struct req *rq, struct meeting_ctx *c, const char *vote_id,
                          struct secret_args *b)
{
    char why[EVOTE_WHY_MAX] = "";
    int rc = vote_secret_check_ballot(req_db(rq), vote_id, b->ballot, b->tracker, b->credential,
                                      why, sizeof why);
    if (rc == OBR_ENOTFOUND) {
        reply_error(rq, ERR_VOTE_NOT_OPEN, NULL);
        return;
    }
    if (rc) {
        /* The reason names the option and the proof; it holds no secret. */
        const struct api_err_info *info = api_err_info(ERR_BAD_BALLOT);
        reply_json(rq, info->status,
                   json_pack("{s:{s:s, s:s, s:s, s:s}}", "error", "code", info->code, "message",
                             req_prefers_polish(rq) ? info->message_pl : info->message_en,
                             "field", "ballot", "reason", why));
        return;
    }
    vote_act(rq, c, vote_id, act_secret_ballot, b, 201);
}

bool vote_is_ballot_id(const char *s)
{
    size_t n = strlen(s);
    if (n < 8 || n > VOTE_BALLOT_ID_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

void api_vote_ballot(struct req *rq)
{
    struct meeting_ctx c;
    struct ballot_args b = {0};
    bool has_choice = false, has_choices = false, has_ballot = false;
    struct secret_args sb = {0};
    const struct jfield spec[] = {
        {"ballot_id", JF_STRING, true, 8, VOTE_BALLOT_ID_MAX, &b.ballot_id, NULL},
        {"choice", JF_STRING, false, 1, 15, &b.choice, &has_choice},
        {"choices", JF_JSON, false, 0, 0, &b.choices, &has_choices},
        {"ballot", JF_JSON, false, 0, 0, &sb.ballot, &has_ballot},
        {NULL},
    };
    char id[ID_SIZE], kind[16];
    if (vote_ctx_load_head(rq, &c, id, kind) < 0)
        return;
    bool is_secret = !strcmp(kind, "secret");
    if (!c.p.is_signed_in) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return;
    }
    if (req_parse_json(rq, spec) < 0)
        return;
    if (!vote_is_ballot_id(b.ballot_id)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "ballot_id");
        return;
    }
    if (is_secret || has_ballot) {
        /* A secret vote takes only the encrypted ballot, an open one never. */
        if (!is_secret || has_choice || has_choices || !has_ballot) {
            reply_error(rq, is_secret && !has_ballot ? ERR_MISSING_FIELD : ERR_OUT_OF_RANGE,
                        is_secret && !has_ballot ? "ballot" : has_ballot ? "ballot" : "choice");
            return;
        }
        sb.ballot_id = b.ballot_id;
        secret_ballot(rq, &c, id, &sb);
        return;
    }
    if (has_choice == has_choices) {
        reply_error(rq, has_choice ? ERR_OUT_OF_RANGE : ERR_MISSING_FIELD, "choice");
        return;
    }
    if (has_choice && strcmp(b.choice, "yes") && strcmp(b.choice, "no") &&
        strcmp(b.choice, "abstain")) {
        reply_error(rq, ERR_OUT_OF_RANGE, "choice");
        return;
    }
    if (has_choices && (!json_is_array(b.choices) || json_array_size(b.choices) > VOTE_MAX_CANDIDATES)) {
        reply_error(rq, json_is_array(b.choices) ? ERR_TOO_MANY_CHOICES : ERR_OUT_OF_RANGE, "choices");
        return;
    }
    /* The ballot is run after this handler returned (vote_batch.c). */
    struct ballot_args *held = req_alloc(rq, sizeof *held);
    if (!held) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    *held = b;
    vote_act_batched(rq, &c, id, act_ballot, held, 201);
}
