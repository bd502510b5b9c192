/* vote_weighted.c — the weighted side of a named vote in a body that uses
 * weights (shares): each row of the named list gets the voter's weight frozen
 * at the opening, the weights are summed per answer in exact millionths, and
 * the result carries both counts — heads and shares — whichever decides. */
#include <stdio.h>

#include "api/vote_impl.h"
#include "core/vote_weights.h"
#include "store/vote_weights.h"

static json_t *weight_text(int64_t micro)
{
    char t[WEIGHT_TEXT_SIZE];
    vote_weight_format(micro, t, sizeof t);
    return json_string(t);
}

json_t *vote_weights_text_json(const json_t *frozen)
{
    json_t *out = json_object();
    const char *uid;
    json_t *w;
    json_object_foreach ((json_t *)frozen, uid, w)
        json_object_set_new(out, uid, weight_text(json_integer_value(w)));
    return out;
}

void vote_weights_apply(json_t *named, const json_t *frozen, struct weight_tally *wt)
{
    *wt = (struct weight_tally){0};
    const char *uid;
    json_t *w;
    json_object_foreach ((json_t *)frozen, uid, w)
        wt->eligible += json_integer_value(w);
    size_t i;
    json_t *row;
    json_array_foreach (named, i, row) {
        const char *id = json_string_value(json_object_get(row, "user_id"));
        json_t *fw = id ? json_object_get(frozen, id) : NULL;
        int64_t micro = json_is_integer(fw) ? json_integer_value(fw) : 0;
        json_object_set_new(row, "weight", weight_text(micro));
        const char *choice = json_string_value(json_object_get(row, "choice"));
        if (!choice)
            continue;
        if (!strcmp(choice, "yes"))
            wt->yes += micro;
        else if (!strcmp(choice, "no"))
            wt->no += micro;
        else if (!strcmp(choice, "abstain"))
            wt->abstain += micro;
    }
}

json_t *vote_weighted_json(enum vote_majority m, const struct weight_tally *wt,
                           const struct weight_result *w)
{
    char pl[RULE_TEXT_SIZE] = "", en[RULE_TEXT_SIZE] = "";
    vote_weights_describe(pl, sizeof pl, m, wt, w, "pl");
    vote_weights_describe(en, sizeof en, m, wt, w, "en");
    bool is_weighted = vote_majority_is_weighted(m);
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:{s:s, s:s}}", "yes",
                     weight_text(wt->yes), "no", weight_text(wt->no), "abstain",
                     weight_text(wt->abstain), "cast", weight_text(w->cast), "eligible",
                     weight_text(wt->eligible), "threshold",
                     is_weighted ? weight_text(w->threshold) : json_null(), "is_tie", w->is_tie,
                     "text", "pl", pl, "en", en);
}
