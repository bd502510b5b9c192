/* report_weights.c — shares in the protocol, the vote report and the CSVs
 * (see report_weights.h). The numbers are the engine's decimal texts
 * (api/vote_weighted.c), exact, never recomputed here. */
#include "report/report_weights.h"

#include <stdio.h>
#include <string.h>

#include "report/layout.h"
#include "report/report_text.h"
#include "util/buf.h"

void report_weights_para(struct lay *l, const json_t *res, bool is_en)
{
    const json_t *w = json_object_get(res, "weighted");
    if (!json_is_object(w))
        return;
    const char *text =
        json_string_value(json_object_get(json_object_get(w, "text"), is_en ? "en" : "pl"));
    const char *on = json_string_value(json_object_get(res, "decided_on"));
    bool by_weights = on && !strcmp(on, "weights");
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s%s. %s", is_en ? "S" : "U", text && text[0] ? text + 1 : "",
               by_weights ? TR(is_en, "Rozstrzygnięto według udziałów (wag).",
                               "Decided on shares (weights).")
                          : TR(is_en,
                               "Rozstrzygnięto według liczby osób; udziały podano "
                               "informacyjnie.",
                               "Decided on heads; the shares are given for information."));
    lay_para(l, LAY_BODY, buf_str(&b));
    buf_free(&b);
}

const char *report_weight_suffix(const json_t *row, bool is_en, char *out, size_t size)
{
    const char *w = json_string_value(json_object_get(row, "weight"));
    if (!w) {
        out[0] = '\0';
        return out;
    }
    snprintf(out, size, TR(is_en, " (waga %s)", " (weight %s)"), w);
    return out;
}
