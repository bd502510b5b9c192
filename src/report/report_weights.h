/* report_weights.h — the weighted side of a vote's result (shares) in the
 * documents: the sums and which count decided, and each voter's weight on
 * the named lists. Only for votes of bodies that use weights (the result
 * has a "weighted" object); nothing otherwise. */
#ifndef OBR_REPORT_WEIGHTS_H
#define OBR_REPORT_WEIGHTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct lay;

/* A paragraph "Udziały: za 40, przeciw 11, ... Rozstrzygnięto według
 * udziałów." under the head counts; nothing when res has no weights. */
void report_weights_para(struct lay *l, const json_t *res, bool is_en);

/* " (waga 40)" / " (weight 40)" for a named-list row with a weight, ""
 * otherwise; written into out. */
const char *report_weight_suffix(const json_t *row, bool is_en, char *out, size_t size);

#endif
