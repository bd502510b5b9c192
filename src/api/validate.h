/* validate.h — checks of values inside request bodies that the JSON spec
 * cannot express (lists of domains and groups, dates, enumerations). Each
 * replies with the error naming the field and returns -1 when the value is bad. */
#ifndef OBR_API_VALIDATE_H
#define OBR_API_VALIDATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"

/* A JSON array of e-mail domains → canonical JSON text in out (lower-case, unique). */
int validate_domains(struct req *rq, const char *field, json_t *v, char *out, size_t size);
/* A JSON array of group slugs [a-z0-9_-]{1,40}, at most 20 → JSON text in out. */
int validate_groups(struct req *rq, const char *field, json_t *v, char *out, size_t size);
/* NULL is allowed (not given: *micro untouched); otherwise a member's weight
 * as a decimal string ("0.0473") or a JSON integer ("125" whole units),
 * into millionths (core/vote_weights.h). A JSON real is refused (wrong_type):
 * floats cannot carry shares exactly. */
int validate_weight(struct req *rq, const char *field, const json_t *v, int64_t *micro);
/* The API error for a weight vote_weight_parse refused. */
enum api_err validate_weight_error(int weight_error);
/* NULL is allowed (not given); otherwise a real calendar date YYYY-MM-DD. */
int validate_date(struct req *rq, const char *field, const char *v);
/* NULL is allowed (not given); otherwise "" or a telephone number: digits,
 * spaces, '+' (first only), '-', '(' and ')', with 3..20 digits. */
int validate_phone(struct req *rq, const char *field, const char *v);
/* v must be one of the NULL-terminated names. */
int validate_one_of(struct req *rq, const char *field, const char *v, const char *const *names);
/* An array of distinct single-line texts of 1..max_chars characters, with
 * min_items..max_items of them → a copy in *out (caller decrefs). */
int validate_names(struct req *rq, const char *field, json_t *v, size_t min_items,
                   size_t max_items, size_t max_chars, json_t **out);
/* An array of at most max_items ids (util/ids.h) → a copy in *out. */
int validate_ids(struct req *rq, const char *field, json_t *v, size_t max_items, json_t **out);

#endif
