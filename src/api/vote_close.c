/* vote_close.c — closing a vote: by the chair, at the deadline (the
 * scheduler, also across a restart), when every present voter has voted
 * (early close) or when the meeting closes. The result is decided under
 * core/vote_rules.h and stored with the vote and in vote.closed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json_values.h"
#include "api/report_mail.h"
#include "api/proxies.h"
#include "api/vote_impl.h"
#include "api/votes.h"
#include "mail/mail.h"
#include "ops/scheduler.h"
#include "core/vote_weights.h"
#include "store/db.h"
#include "store/vote_weights.h"
#include "util/clock.h"

static const char *const OUTCOMES[] = {"adopted", "rejected", "invalid"};

/* Motion: yes / no / abstain under the vote's majority; with weights frozen
 * at the opening (an empty object when none) both counts, heads and shares. */
static json_t *motion_result(const struct body *b, const struct meeting_state *st,
                             const struct vote *v, struct vote_counts *n, const json_t *weights)
{
    enum vote_majority m;
    if (vote_majority_parse(v->majority, &m))
        return NULL;
    struct motion_tally t = {
        .yes = n->yes,
        .no = n->no,
        .abstain = n->abstain,
        .eligible = (int)json_array_size(v->eligible),
        .present_at_open = v->present_at_open,
        .present_at_close = st->present_count,
        .statutory_size = b->statutory_size,
        .quorum_required = st->required,
    };
    struct motion_result r;
    struct weight_tally wt;
    struct weight_result wr;
    bool has_weights = json_object_size(weights) > 0;
    if (has_weights)
        vote_weights_apply(n->named, weights, &wt);
    if (has_weights ? vote_decide_weighted(m, &t, &wt, &r, &wr) : vote_decide_motion(m, &t, &r))
        return NULL;
    char rpl[RULE_TEXT_SIZE] = "", ren[RULE_TEXT_SIZE] = "";
    char vpl[RULE_TEXT_SIZE] = "", ven[RULE_TEXT_SIZE] = "";
    if (vote_rule_describe(rpl, sizeof rpl, m, &t, "pl") == OBR_EINVAL)
        vote_rule_describe(rpl, sizeof rpl, m, NULL, "pl");
    if (vote_rule_describe(ren, sizeof ren, m, &t, "en") == OBR_EINVAL)
        vote_rule_describe(ren, sizeof ren, m, NULL, "en");
    vote_result_describe(vpl, sizeof vpl, &r, "pl");
    vote_result_describe(ven, sizeof ven, &r, "en");
    json_t *named = n->named ? n->named : json_null();
    n->named = NULL;
    json_t *res = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:s, s:o, "
                     "s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:o}",
                     "method", "yes_no_abstain", "yes", n->yes, "no", n->no, "abstain", n->abstain,
                     "cast", r.cast, "not_voted", r.not_voted, "eligible", t.eligible, "present",
                     t.present_at_close, "present_at_open", t.present_at_open, "quorum_required",
                     t.quorum_required, "statutory_size", t.statutory_size, "threshold",
                     r.threshold, "is_tie", r.is_tie, "outcome", OUTCOMES[r.outcome],
                     "invalid_reason", json_str_or_null(r.invalid_reason), "rule_text", "pl", rpl,
                     "en", ren, "verdict", "pl", vpl, "en", ven, "majority", v->majority, "named",
                     named);
    if (res && has_weights)
        json_object_set_new(res, "weighted", vote_weighted_json(m, &wt, &wr));
    if (res)
        json_object_set_new(res, "decided_on",
                            json_string(vote_majority_is_weighted(m) ? "weights" : "heads"));
    return res;
}

static bool in_list(const int *list, int n, int k)
{
    for (int i = 0; i < n; i++)
        if (list[i] == k)
            return true;
    return false;
}

/* Appends to out (size bytes, len used) as snprintf would, never past size. */
static void put(char *out, size_t size, size_t *len, const char *a, const char *b)
{
    if (*len < size)
        *len += (size_t)snprintf(out + *len, size - *len, "%s%s", a, b);
}

/* "rozstrzygnięte — wybrani: A, B" / "decided — elected: A, B", with the tie
 * or the reason of an invalid vote. */
static void election_verdict(char *out, size_t size, const struct election_result *r,
                             const json_t *cands, const char *lang)
{
    bool pl = !strcmp(lang, "pl");
    size_t len = 0;
    put(out, size, &len, election_outcome_text(r->outcome, lang), "");
    if (r->outcome == VOTE_INVALID) {
        const char *why = vote_invalid_reason_text(r->invalid_reason, lang);
        if (why)
            put(out, size, &len, " — ", why);
        return;
    }
    const int *lists[2] = {r->elected, r->tied};
    int counts[2] = {r->n_elected, r->n_tied};
    const char *labels[2] = {pl ? "wybrani: " : "elected: ", pl ? "remis: " : "tie: "};
    const char *sep = " — ";
    for (int l = 0; l < 2; l++) {
        if (!counts[l])
            continue;
        put(out, size, &len, sep, labels[l]);
        for (int i = 0; i < counts[l]; i++)
            put(out, size, &len, i ? ", " : "",
                json_string_value(json_array_get(cands, (size_t)lists[l][i])));
        sep = "; ";
    }
}

/* Election: who is elected (or tied) under the vote's rule. */
static json_t *election_result(const struct body *b, const struct meeting_state *st,
                               const struct vote *v, struct vote_counts *n)
{
    enum election_rule rule;
    if (election_rule_parse(v->election_rule, &rule))
        return NULL;
    int n_cand = (int)json_array_size(v->candidates);
    struct election_tally t = {
        .n_candidates = n_cand,
        .votes = n->votes,
        .ballots_cast = n->cast,
        .ballots_blank = n->blank,
        .eligible = (int)json_array_size(v->eligible),
        .present_at_open = v->present_at_open,
        .present_at_close = st->present_count,
        .quorum_required = st->required,
        .seats = v->seats,
    };
    struct election_result r;
    if (vote_decide_election(rule, &t, &r))
        return NULL;
    json_t *cands = json_array();
    for (int i = 0; cands && i < n_cand; i++)
        json_array_append_new(
            cands, json_pack("{s:i, s:s, s:i, s:b, s:b}", "index", i, "name",
                             json_string_value(json_array_get(v->candidates, (size_t)i)), "votes",
                             n->votes[i], "elected", in_list(r.elected, r.n_elected, i), "tied",
                             in_list(r.tied, r.n_tied, i)));
    char rpl[RULE_TEXT_SIZE] = "", ren[RULE_TEXT_SIZE] = "";
    /* Room for every candidate's name (64 x 200 characters) in the verdict. */
    static const size_t VERDICT_SIZE = 64 * 804 + 256;
    char *vpl = calloc(1, VERDICT_SIZE), *ven = calloc(1, VERDICT_SIZE);
    if (!vpl || !ven) {
        free(vpl);
        free(ven);
        json_decref(cands);
        return NULL;
    }
    election_rule_describe(rpl, sizeof rpl, rule, &t, "pl");
    election_rule_describe(ren, sizeof ren, rule, &t, "en");
    election_verdict(vpl, VERDICT_SIZE, &r, v->candidates, "pl");
    election_verdict(ven, VERDICT_SIZE, &r, v->candidates, "en");
    json_t *named = n->named ? n->named : json_null();
    n->named = NULL;
    json_t *res = json_pack("{s:s, s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:s, s:o, "
                     "s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:o}",
                     "method", "election", "candidates", cands, "cast", n->cast, "blank", n->blank,
                     "not_voted", r.not_voted, "eligible", t.eligible, "present",
                     t.present_at_close, "present_at_open", t.present_at_open, "quorum_required",
                     t.quorum_required, "seats", v->seats, "threshold", r.threshold, "is_tie",
                     r.is_tie, "outcome", OUTCOMES[r.outcome], "invalid_reason",
                     json_str_or_null(r.invalid_reason), "rule_text", "pl", rpl, "en", ren,
                     "verdict", "pl", vpl, "en", ven, "election_rule", v->election_rule, "named",
                     named);
    free(vpl);
    free(ven);
    return res;
}

/* The counts of an open vote from its named ballots. */
static int count_named(struct log_tx *tx, const struct meeting_state *st, const struct vote *v,
                       struct vote_counts *n)
{
    json_t *counted = ballots_counted_json(tx->db, v->id);
    if (!counted)
        return OBR_ENOMEM;
    int rc = vote_count(st, v, counted, n);
    json_decref(counted);
    if (!rc)
        rc = vote_mark_hand(tx->db, v->id, n->named);
    if (!rc)
        rc = vote_mark_proxy(tx->db, v->id, n->named);
    return rc;
}

int vote_close(struct log_tx *tx, const struct body *b, const struct meeting_state *st,
               const struct vote *v, const char *actor)
{
    struct vote_counts n;
    json_t *secret = NULL; /* what a secret vote's result has instead of the named list */
    int rc = vote_is_secret(v) ? vote_secret_close(tx, v, st, &n, &secret)
                               : count_named(tx, st, v, &n);
    if (rc == VOTE_PENDING) {
        /* The committee decrypts next; presence is taken now, at the close. */
        int64_t now = clock_now_ms();
        json_t *pending = json_pack("{s:b, s:i}", "pending", true, "present_at_close",
                                    st->present_count);
        rc = pending ? votes_set_counting(tx->db, v->id, now, pending) : OBR_ENOMEM;
        json_decref(pending);
        if (!rc)
            rc = deadlines_done(tx->db, v->meeting_id, "vote", v->id, now);
        json_object_set_new(secret, "vote_id", json_string(v->id));
        json_object_set_new(secret, "closed_at", json_integer(now));
        if (!rc)
            rc = vote_append(tx, v->meeting_id, actor, "vote.counting", json_incref(secret));
        if (!rc)
            rc = vote_trustees_notify(tx, v);
        json_decref(secret);
        return rc;
    }
    if (rc)
        return rc;
    return vote_finish(tx, b, st, v, &n, secret, actor);
}

/* Absent eligible members of v whose proxy holder is present count as
 * present at the close as they did at the opening — also a grantor who left
 * mid-vote (docs/api.md, "Proxies"); their number into *n. */
static int represented_at_close(struct db *db, const struct meeting_state *st,
                                const struct vote *v, int *n)
{
    struct meeting m;
    json_t *rep = NULL;
    *n = 0;
    int rc = meetings_get(db, v->meeting_id, &m);
    if (!rc)
        rc = vote_proxy_represented(db, &m, st, v->eligible, &rep);
    if (!rc)
        *n = (int)json_array_size(rep);
    json_decref(rep);
    return rc;
}

int vote_finish(struct log_tx *tx, const struct body *b, const struct meeting_state *st,
                const struct vote *v, struct vote_counts *n_in, json_t *secret, const char *actor)
{
    struct vote_counts n = *n_in;
    struct meeting_state at_close = *st; /* shallow: only present_count differs */
    json_t *pac = v->result ? json_object_get(v->result, "present_at_close") : NULL;
    int rc, represented = 0;
    if (json_is_integer(pac))
        at_close.present_count = (int)json_integer_value(pac);
    else if (!secret && (rc = represented_at_close(tx->db, st, v, &represented)) != 0) {
        json_decref(n.named);
        return rc;
    }
    at_close.present_count += represented;
    st = &at_close;
    /* Weights frozen at the opening decide and are shown (none: heads only). */
    json_t *weights = secret ? json_object() : vote_weights_load(tx->db, v->id);
    if (!weights) {
        json_decref(n.named);
        json_decref(secret);
        return OBR_ENOMEM;
    }
    struct weight_tally unused_wt;
    if (vote_is_election(v) && json_object_size(weights))
        vote_weights_apply(n.named, weights, &unused_wt);
    json_t *result = vote_is_election(v) ? election_result(b, st, v, &n)
                                         : motion_result(b, st, v, &n, weights);
    json_decref(weights);
    json_decref(n.named);
    if (!result) {
        json_decref(secret);
        return OBR_ECORRUPT;
    }
    if (!secret) /* of the not voted, how many were absent (named votes) */
        json_object_set_new(result, "absent", json_integer(n.absent));
    if (secret) {
        json_object_del(result, "named");
        if (vote_is_election(v))
            json_object_set_new(result, "blank", json_null());
        json_object_update(result, secret);
        json_decref(secret);
    }
    int64_t now = clock_now_ms();
    if (b->confirm_results) {
        /* The scrutiny committee confirms first (vote_confirm.c): the result
         * is stored for the chair and the committee, announced later. */
        rc = votes_set_confirming(tx->db, v->id, now, result);
        if (!rc)
            rc = deadlines_done(tx->db, v->meeting_id, "vote", v->id, now);
        if (!rc)
            rc = vote_append(tx, v->meeting_id, actor, "vote.confirming",
                             json_pack("{s:s, s:I}", "vote_id", v->id, "closed_at", (json_int_t)now));
        json_decref(result);
        return rc;
    }
    rc = votes_close(tx->db, v->id, now, result);
    if (!rc)
        rc = deadlines_done(tx->db, v->meeting_id, "vote", v->id, now);
    if (!rc)
        rc = vote_append(tx, v->meeting_id, actor, "vote.closed",
                         json_pack("{s:s, s:O, s:I}", "vote_id", v->id, "result", result,
                                   "closed_at", (json_int_t)now));
    if (!rc)
        rc = report_mail_after_vote(tx->db, v);
    json_decref(result);
    return rc;
}

int votes_close_all_open(struct log_tx *tx, const struct body *b, const struct meeting_state *st,
                         const char *meeting_id)
{
    json_t *ids = votes_open_ids_json(tx->db, meeting_id);
    if (!ids)
        return OBR_ENOMEM;
    int rc = 0;
    size_t i;
    json_t *e;
    json_array_foreach (ids, i, e) {
        struct vote v;
        rc = votes_get(tx->db, json_string_value(e), &v);
        if (!rc)
            rc = vote_close(tx, b, st, &v, "system");
        vote_clear(&v);
        if (rc)
            break;
    }
    json_decref(ids);
    return rc;
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
    /* An extension moved the deadline after this one was taken up. */
    bool is_extended = !rc && !strcmp(v.status, "open") && v.deadline_ms > clock_now_ms();
    if (!rc && !strcmp(v.status, "open") && !is_extended)
        rc = vote_close(&tx, &b, st, &v, "system");
    else if ((!rc && !is_extended) || rc == OBR_ENOTFOUND) /* closed early, or gone */
        rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
    meeting_state_free(st);
    vote_clear(&v);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc)
        log_tx_rollback(&tx);
    if (vote_take_queued_mail() && !rc)
        outbox_nudge(NULL);
    return rc;
}

void votes_register_deadlines(void)
{
    scheduler_register("vote", vote_deadline);
}
