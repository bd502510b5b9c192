/* jspec.c — checking a JSON body against a field spec (see jspec.h). Every
 * value is checked for its type, its UTF-8 and its bounds before any dest is
 * written for it; a refusal names the field. */
#include "http/jspec.h"

#include <string.h>

#include "util/ids.h"
#include "util/utf8.h"

static int fail(struct jspec_error *e, enum api_err err, const char *field)
{
    e->err = err;
    e->field = field;
    return -1;
}

static int check_field(const struct jfield *f, json_t *v, struct jspec_error *e)
{
    switch (f->type) {
    case JF_STRING:
    case JF_TEXT:
    case JF_ID: {
        if (!json_is_string(v))
            return fail(e, ERR_WRONG_TYPE, f->name);
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        if (strlen(s) != len || !utf8_is_text(s, len, f->type == JF_TEXT))
            return fail(e, ERR_WRONG_TYPE, f->name);
        if (f->type == JF_ID && !id_is_valid(s))
            return fail(e, ERR_OUT_OF_RANGE, f->name);
        size_t chars = utf8_length(s, len);
        if ((int64_t)chars < f->min || (f->max && (int64_t)chars > f->max))
            return fail(e, ERR_OUT_OF_RANGE, f->name);
        *(const char **)f->dest = s;
        return 0;
    }
    case JF_INT:
        if (!json_is_integer(v))
            return fail(e, ERR_WRONG_TYPE, f->name);
        if (json_integer_value(v) < f->min || json_integer_value(v) > f->max)
            return fail(e, ERR_OUT_OF_RANGE, f->name);
        *(int64_t *)f->dest = json_integer_value(v);
        return 0;
    case JF_BOOL:
        if (!json_is_boolean(v))
            return fail(e, ERR_WRONG_TYPE, f->name);
        *(bool *)f->dest = json_is_true(v);
        return 0;
    case JF_JSON:
        *(json_t **)f->dest = v;
        return 0;
    }
    return fail(e, ERR_INTERNAL, NULL);
}

static int check_object(json_t *obj, const struct jfield *spec, struct jspec_error *e)
{
    const char *key;
    json_t *v;
    json_object_foreach (obj, key, v) {
        const struct jfield *f = spec;
        while (f->name && strcmp(f->name, key))
            f++;
        if (!f->name) {
            /* Name the field only if it is printable: it goes back to the client. */
            size_t n = strlen(key);
            if (n < sizeof e->key && utf8_is_text(key, n, false)) {
                memcpy(e->key, key, n + 1);
                return fail(e, ERR_UNKNOWN_FIELD, e->key);
            }
            return fail(e, ERR_UNKNOWN_FIELD, NULL);
        }
    }
    for (const struct jfield *f = spec; f->name; f++) {
        v = json_object_get(obj, f->name);
        if (!v && f->required)
            return fail(e, ERR_MISSING_FIELD, f->name);
        if (f->present)
            *f->present = v != NULL && !json_is_null(v);
        if (!v || (json_is_null(v) && !f->required))
            continue; /* absent; an optional null means the same */
        if (json_is_null(v) && f->type != JF_JSON)
            return fail(e, ERR_WRONG_TYPE, f->name);
        if (check_field(f, v, e) < 0)
            return -1;
    }
    return 0;
}

int jspec_parse(const char *body, size_t len, const struct jfield *spec, json_t **out,
                struct jspec_error *e)
{
    *out = NULL;
    e->key[0] = '\0';
    if (!utf8_is_valid(body ? body : "", len))
        return fail(e, ERR_INVALID_UTF8, NULL);
    json_error_t jerr;
    json_t *j = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!j)
        return fail(e, ERR_MALFORMED_JSON, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        return fail(e, ERR_NOT_AN_OBJECT, NULL);
    }
    if (check_object(j, spec, e) < 0) {
        json_decref(j);
        return -1;
    }
    *out = j;
    return 0;
}
