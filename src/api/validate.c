/* validate.c — see validate.h. */
#include "api/validate.h"
#include "core/vote_weights.h"
#include "util/ids.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fail(struct req *rq, enum api_err e, const char *field)
{
    reply_error(rq, e, field);
    return -1;
}

static bool is_domain(const char *d)
{
    size_t n = strlen(d);
    if (n < 3 || n > 253 || !strchr(d, '.') || d[0] == '.' || d[n - 1] == '.' || strstr(d, ".."))
        return false;
    for (; *d; d++)
        if (!((*d >= 'a' && *d <= 'z') || (*d >= '0' && *d <= '9') || *d == '-' || *d == '.'))
            return false;
    return true;
}

static bool is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 40)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

/* Shared walk: lower-cases, checks each element, drops duplicates, dumps. */
static int string_list(struct req *rq, const char *field, json_t *v, size_t max_items,
                       bool (*is_ok)(const char *), char *out, size_t size)
{
    if (!json_is_array(v))
        return fail(rq, ERR_WRONG_TYPE, field);
    if (json_array_size(v) > max_items)
        return fail(rq, ERR_OUT_OF_RANGE, field);
    json_t *clean = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        if (!json_is_string(item) || json_string_length(item) > 253) {
            json_decref(clean);
            return fail(rq, ERR_WRONG_TYPE, field);
        }
        char low[256];
        snprintf(low, sizeof low, "%s", json_string_value(item));
        for (char *c = low; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        if (!is_ok(low)) {
            json_decref(clean);
            return fail(rq, ERR_OUT_OF_RANGE, field);
        }
        bool is_dup = false;
        size_t j;
        json_t *seen;
        json_array_foreach(clean, j, seen) is_dup |= !strcmp(json_string_value(seen), low);
        if (!is_dup)
            json_array_append_new(clean, json_string(low));
    }
    char *text = json_dumps(clean, JSON_COMPACT);
    json_decref(clean);
    if (!text || strlen(text) >= size) {
        free(text);
        return fail(rq, ERR_OUT_OF_RANGE, field);
    }
    memcpy(out, text, strlen(text) + 1);
    free(text);
    return 0;
}

int validate_domains(struct req *rq, const char *field, json_t *v, char *out, size_t size)
{
    return string_list(rq, field, v, 20, is_domain, out, size);
}

int validate_groups(struct req *rq, const char *field, json_t *v, char *out, size_t size)
{
    return string_list(rq, field, v, 20, is_slug, out, size);
}

enum api_err validate_weight_error(int weight_error)
{
    switch ((enum weight_error)weight_error) {
    case WEIGHT_TOO_MANY_DIGITS:
        return ERR_WEIGHT_DIGITS;
    case WEIGHT_NOT_POSITIVE:
        return ERR_WEIGHT_NOT_POSITIVE;
    case WEIGHT_TOO_LARGE:
        return ERR_WEIGHT_TOO_LARGE;
    case WEIGHT_OK:
    case WEIGHT_NOT_NUMBER:
        break;
    }
    return ERR_WEIGHT_NOT_NUMBER;
}

int validate_weight(struct req *rq, const char *field, const json_t *v, int64_t *micro)
{
    if (!v)
        return 0;
    char text[WEIGHT_TEXT_SIZE];
    if (json_is_integer(v) && json_integer_value(v) > 0 &&
        json_integer_value(v) <= WEIGHT_MAX / WEIGHT_ONE) {
        snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
    } else if (json_is_integer(v)) {
        reply_error(rq, json_integer_value(v) <= 0 ? ERR_WEIGHT_NOT_POSITIVE : ERR_WEIGHT_TOO_LARGE,
                    field);
        return -1;
    } else if (json_is_string(v)) {
        if (json_string_length(v) >= sizeof text) { /* too long: digits, or not a number */
            const char *p = json_string_value(v);
            bool is_digits = true;
            for (size_t i = 0; p[i] && is_digits; i++)
                is_digits = (p[i] >= '0' && p[i] <= '9') || p[i] == '.';
            reply_error(rq, is_digits ? ERR_WEIGHT_DIGITS : ERR_WEIGHT_NOT_NUMBER, field);
            return -1;
        }
        snprintf(text, sizeof text, "%s", json_string_value(v));
    } else {
        reply_error(rq, ERR_WRONG_TYPE, field);
        return -1;
    }
    enum weight_error e = vote_weight_parse(text, micro);
    if (e != WEIGHT_OK) {
        reply_error(rq, validate_weight_error(e), field);
        return -1;
    }
    return 0;
}

int validate_date(struct req *rq, const char *field, const char *v)
{
    if (!v)
        return 0;
    int y, m, d;
    char tail;
    if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return fail(rq, ERR_OUT_OF_RANGE, field);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    struct tm back;
    gmtime_r(&t, &back);
    if (y < 1900 || y > 2999 || back.tm_mon != m - 1 || back.tm_mday != d)
        return fail(rq, ERR_OUT_OF_RANGE, field);
    return 0;
}

int validate_phone(struct req *rq, const char *field, const char *v)
{
    if (!v || !*v)
        return 0;
    int digits = 0;
    for (const char *c = v; *c; c++) {
        if (*c >= '0' && *c <= '9')
            digits++;
        else if (!strchr(" -()", *c) && !(*c == '+' && c == v))
            return fail(rq, ERR_OUT_OF_RANGE, field);
    }
    return digits >= 3 && digits <= 20 ? 0 : fail(rq, ERR_OUT_OF_RANGE, field);
}

int validate_one_of(struct req *rq, const char *field, const char *v, const char *const *names)
{
    for (; *names; names++)
        if (!strcmp(v, *names))
            return 0;
    return fail(rq, ERR_OUT_OF_RANGE, field);
}

int validate_names(struct req *rq, const char *field, json_t *v, size_t min_items,
                   size_t max_items, size_t max_chars, json_t **out)
{
    if (!json_is_array(v))
        return fail(rq, ERR_WRONG_TYPE, field);
    size_t n = json_array_size(v);
    if (n < min_items || n > max_items)
        return fail(rq, ERR_OUT_OF_RANGE, field);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        const char *s = json_string_value(item);
        size_t len = json_string_length(item);
        if (!s || !utf8_is_text(s, len, false) || utf8_length(s, len) > max_chars ||
            utf8_length(s, len) < 1 || strlen(s) != len)
            return fail(rq, ERR_OUT_OF_RANGE, field);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(s, json_string_value(json_array_get(v, j))))
                return fail(rq, ERR_OUT_OF_RANGE, field);
    }
    *out = json_deep_copy(v);
    return *out ? 0 : fail(rq, ERR_INTERNAL, NULL);
}

int validate_ids(struct req *rq, const char *field, json_t *v, size_t max_items, json_t **out)
{
    if (!json_is_array(v))
        return fail(rq, ERR_WRONG_TYPE, field);
    if (json_array_size(v) > max_items)
        return fail(rq, ERR_OUT_OF_RANGE, field);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        const char *s = json_string_value(item);
        if (!s || !id_is_valid(s))
            return fail(rq, ERR_OUT_OF_RANGE, field);
    }
    *out = json_deep_copy(v);
    return *out ? 0 : fail(rq, ERR_INTERNAL, NULL);
}
