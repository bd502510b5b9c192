/* vote_json.c — a vote's counts and named list from its counted ballots,
 * and the vote as the API shows it (GET /api/votes/{id}; the reply of every
 * vote action). Named (open) votes are public by law: who voted how is shown
 * live; secret votes will show only the count. */
#include <stdlib.h>
#include <string.h>

#include "util/json_values.h"
#include "api/proxies.h"
#include "api/vote_impl.h"
#include "core/pl_collate.h"
#include "core/vote_weights.h"
#include "store/secret_votes.h"
#include "store/vote_weights.h"

struct named_row {
    const char *name;
    int rank; /* the person's name_rank, -1 without one ("" sorts first) */
    json_t *j;
};

static int cmp_named(const void *a, const void *b)
{
    const struct named_row *x = a, *y = b;
    return pl_compare_names(x->name, y->name);
}

/* The same order from the ranks an indexed state gives its people. */
static int cmp_ranked(const void *a, const void *b)
{
    const struct named_row *x = a, *y = b;
    return (x->rank > y->rank) - (x->rank < y->rank);
}

/* An election ballot's stored choice ("[0,2]") into votes; -1 when it is
 * not a valid one for n candidates. */
static int count_choices(const char *stored, int n, int *votes, json_t **parsed)
{
    json_t *arr = json_loads(stored, 0, NULL);
    size_t i;
    json_t *e;
    if (!json_is_array(arr)) {
        json_decref(arr);
        return -1;
    }
    json_array_foreach (arr, i, e) {
        json_int_t k = json_integer_value(e);
        if (!json_is_integer(e) || k < 0 || k >= n) {
            json_decref(arr);
            return -1;
        }
    }
    json_array_foreach (arr, i, e)
        votes[json_integer_value(e)]++;
    *parsed = arr;
    return (int)json_array_size(arr);
}

int vote_count(const struct meeting_state *st, const struct vote *v, const json_t *counted,
               struct vote_counts *out)
{
    memset(out, 0, sizeof *out);
    bool is_election = vote_is_election(v);
    int n_cand = (int)json_array_size(v->candidates);
    if (n_cand > VOTE_MAX_CANDIDATES)
        return OBR_ECORRUPT;
    size_t n = json_array_size(v->eligible);
    struct named_row *rows = calloc(n ? n : 1, sizeof *rows);
    out->named = json_array();
    if (!rows || !out->named) {
        free(rows);
        json_decref(out->named);
        out->named = NULL;
        return OBR_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const char *uid = json_string_value(json_array_get(v->eligible, i));
        const struct ms_person *p = uid && st ? meeting_state_person(st, uid) : NULL;
        const char *choice = uid ? json_string_value(json_object_get(counted, uid)) : NULL;
        json_t *shown = json_null();
        if (choice && is_election) {
            json_t *parsed = NULL;
            int k = count_choices(choice, n_cand, out->votes, &parsed);
            if (k >= 0) {
                out->cast++;
                out->blank += k == 0;
                shown = parsed;
            }
        } else if (choice) {
            out->cast++;
            out->yes += !strcmp(choice, "yes");
            out->no += !strcmp(choice, "no");
            out->abstain += !strcmp(choice, "abstain");
            shown = json_string(choice);
        }
        /* Absent: no counted ballot and not present (at the close, or now
         * while the vote is open); docs/api.md "Named lists". */
        bool is_absent = json_is_null(shown) && !(p && p->is_present);
        out->absent += is_absent;
        rows[i].name = p ? p->name : "";
        rows[i].rank = p ? p->name_rank : -1;
        /* Built directly: json_pack's format parsing was most of a
         * 200-row list's cost (the same keys in the same order). */
        json_t *row = rows[i].j = json_object();
        json_object_set_new(row, "user_id", json_string(uid ? uid : ""));
        json_object_set_new(row, "name", json_string(rows[i].name));
        json_object_set_new(row, is_election ? "choices" : "choice", shown);
        json_object_set_new(row, "absent", json_boolean(is_absent));
    }
    qsort(rows, n, sizeof *rows, st && st->is_people_indexed ? cmp_ranked : cmp_named);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out->named, rows[i].j);
    free(rows);
    return 0;
}

json_t *vote_rule_texts(const struct vote *v)
{
    char pl[RULE_TEXT_SIZE] = "", en[RULE_TEXT_SIZE] = "";
    if (vote_is_election(v)) {
        enum election_rule r = ER_MOST_VOTES;
        election_rule_parse(v->election_rule, &r);
        election_rule_describe(pl, sizeof pl, r, NULL, "pl");
        election_rule_describe(en, sizeof en, r, NULL, "en");
    } else {
        enum vote_majority m = VM_SIMPLE;
        vote_majority_parse(v->majority, &m);
        vote_rule_describe(pl, sizeof pl, m, NULL, "pl");
        vote_rule_describe(en, sizeof en, m, NULL, "en");
    }
    return json_pack("{s:s, s:s}", "pl", pl, "en", en);
}

static json_t *my_choice(struct db *db, const char *vote_id, bool is_election,
                         const char *viewer_id)
{
    char choice[BALLOT_CHOICE_SIZE];
    if (ballots_last_of(db, vote_id, viewer_id, choice))
        return json_null();
    if (!is_election)
        return json_string(choice);
    json_t *arr = json_loads(choice, 0, NULL);
    return arr ? arr : json_null();
}

void vote_viewer_fields(struct db *db, const char *vote_id, bool is_secret, bool is_election,
                        int is_eligible, const char *viewer_id, json_t *j)
{
    if (!j || !viewer_id)
        return;
    if (is_eligible >= 0)
        json_object_set_new(j, "is_eligible", json_boolean(is_eligible));
    char ballot_id[72];
    if (is_secret)
        json_object_set_new(j, "has_voted",
                            json_boolean(!secret_voters_get(db, vote_id, viewer_id, ballot_id)));
    else
        json_object_set_new(j, is_election ? "my_choices" : "my_choice",
                            my_choice(db, vote_id, is_election, viewer_id));
}

json_t *vote_shared_json(struct db *db, const struct vote *v, const struct meeting_state *st)
{
    json_t *j = json_pack(
        "{s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:b, s:s, s:o, s:o, s:o, s:o, s:o, "
        "s:I}",
        "id", v->id, "meeting_id", v->meeting_id, "item_id", json_str_or_null(v->item_id),
        "title", v->title, "motion", v->motion, "kind", v->kind, "method", v->method, "majority",
        v->majority, "duration_s", v->duration_s, "allow_change", v->allow_change, "early_close",
        v->early_close, "status", v->status, "opened_at", json_ms_or_null(v->opened_ms), "deadline",
        json_ms_or_null(v->deadline_ms), "closed_at", json_ms_or_null(v->closed_ms), "rule_text",
        vote_rule_texts(v), "repeat_of", json_str_or_null(v->repeat_of), "created_at",
        (json_int_t)v->created_ms);
    if (!j)
        return NULL;
    json_object_set_new(j, "number", v->number ? json_integer(v->number) : json_null());
    if (vote_is_election(v)) {
        json_object_set(j, "candidates", v->candidates ? v->candidates : json_array());
        json_object_set_new(j, "seats", json_integer(v->seats));
        json_object_set_new(j, "election_rule", json_string(v->election_rule));
    }
    json_object_set(j, "electorate", v->electorate ? v->electorate : json_null());
    if (v->repeat_reason[0])
        json_object_set_new(j, "repeat_reason", json_string(v->repeat_reason));
    if (v->eligible) {
        json_object_set_new(j, "eligible_count",
                            json_integer((json_int_t)json_array_size(v->eligible)));
        json_object_set_new(j, "present_at_open", json_integer(v->present_at_open));
        json_object_set_new(j, "quorum_required", json_integer(v->quorum_required));
    }
    if (!strcmp(v->status, "open") && vote_is_secret(v)) {
        json_object_set_new(j, "live",
                            json_pack("{s:i, s:i}", "cast", v->voters_count,
                                      "eligible", (int)json_array_size(v->eligible)));
    } else if (!strcmp(v->status, "open")) {
        json_t *counted = ballots_counted_json(db, v->id);
        struct vote_counts n;
        if (counted && !vote_count(st, v, counted, &n)) {
            json_object_set_new(j, "live",
                                json_pack("{s:i, s:i}", "cast", n.cast, "eligible",
                                          (int)json_array_size(v->eligible)));
            /* A body with weights: each row shows the weight frozen at the
             * opening, and the live count the shares cast so far. */
            json_t *weights = vote_weights_load(db, v->id);
            if (json_object_size(weights)) {
                struct weight_tally wt;
                vote_weights_apply(n.named, weights, &wt);
                char cast[WEIGHT_TEXT_SIZE], all[WEIGHT_TEXT_SIZE];
                vote_weight_format(wt.yes + wt.no + wt.abstain, cast, sizeof cast);
                vote_weight_format(wt.eligible, all, sizeof all);
                json_object_set_new(json_object_get(j, "live"), "weighted",
                                    json_pack("{s:s, s:s}", "cast", cast, "eligible", all));
            }
            json_decref(weights);
            if (!strcmp(v->kind, "open") && !vote_mark_hand(db, v->id, n.named) &&
                !vote_mark_proxy(db, v->id, n.named))
                json_object_set_new(j, "named", n.named);
            else
                json_decref(n.named);
        }
        json_decref(counted);
    }
    /* Awaiting the committee's confirmation: see vote_add_pending. */
    json_object_set(j, "result", v->result && strcmp(v->status, "confirming") ? v->result : json_null());
    return j;
}

int vote_mark_named(json_t *named, json_t *by_user, const char *flag, const char *value_key,
                    const char *const *copy)
{
    if (!by_user)
        return OBR_ENOMEM;
    size_t i;
    json_t *row;
    json_array_foreach (named, i, row) {
        const char *uid = json_string_value(json_object_get(row, "user_id"));
        json_t *mark = uid ? json_object_get(by_user, uid) : NULL;
        if (!mark)
            continue;
        json_object_set_new(row, flag, json_true());
        if (value_key)
            json_object_set(row, value_key, mark);
        for (size_t k = 0; copy && copy[k]; k++)
            json_object_set(row, copy[k], json_object_get(mark, copy[k]));
    }
    json_decref(by_user);
    return 0;
}

json_t *vote_to_json(struct db *db, const struct vote *v, const struct meeting_state *st,
                     const char *viewer_id)
{
    json_t *j = vote_shared_json(db, v, st);
    int is_eligible = -1; /* no electorate before the opening */
    if (viewer_id && v->eligible) {
        size_t i;
        json_t *e;
        is_eligible = 0;
        json_array_foreach (v->eligible, i, e)
            is_eligible = is_eligible || !strcmp(json_string_value(e) ?: "", viewer_id);
    }
    vote_viewer_fields(db, v->id, vote_is_secret(v), vote_is_election(v), is_eligible, viewer_id,
                       j);
    return j;
}
