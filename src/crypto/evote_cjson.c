/* evote_cjson.c — the canonical JSON that everything hashed in a vote goes
 * through: keys sorted by bytes, no whitespace, integers only, minimal string
 * escapes (what JSON.stringify gives with sorted keys), so the C and the
 * JavaScript implementations hash identical bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/evote_impl.h"

#define SAFE_INT 9007199254740991LL /* 2^53 - 1: exact in JavaScript */

struct out {
    char *p;
    size_t len, cap;
    bool is_bad;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->is_bad)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *np = realloc(o->p, cap);
        if (!np) {
            o->is_bad = true;
            return;
        }
        o->p = np;
        o->cap = cap;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = 0;
}

static void put_string(struct out *o, const char *s, size_t n)
{
    put(o, "\"", 1);
    size_t run = 0; /* bytes copied raw since the last escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c < 0x20) {
                snprintf(u, sizeof u, "\\u%04x", c);
                esc = u;
            }
        }
        if (!esc)
            continue;
        put(o, s + run, i - run);
        put(o, esc, strlen(esc));
        run = i + 1;
    }
    put(o, s + run, n - run);
    put(o, "\"", 1);
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void put_value(struct out *o, const json_t *v, const char *skip_key, int depth)
{
    if (o->is_bad || depth > 32) {
        o->is_bad = true;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        size_t n = json_object_size(v), k = 0;
        const char **keys = malloc((n ? n : 1) * sizeof *keys);
        if (!keys) {
            o->is_bad = true;
            return;
        }
        const char *key;
        json_t *val;
        json_object_foreach((json_t *)v, key, val) {
            if (!skip_key || strcmp(key, skip_key))
                keys[k++] = key;
        }
        qsort(keys, k, sizeof *keys, key_cmp);
        put(o, "{", 1);
        for (size_t i = 0; i < k; i++) {
            if (i)
                put(o, ",", 1);
            put_string(o, keys[i], strlen(keys[i]));
            put(o, ":", 1);
            put_value(o, json_object_get(v, keys[i]), NULL, depth + 1);
        }
        put(o, "}", 1);
        free(keys);
        break;
    }
    case JSON_ARRAY:
        put(o, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                put(o, ",", 1);
            put_value(o, json_array_get(v, i), NULL, depth + 1);
        }
        put(o, "]", 1);
        break;
    case JSON_STRING:
        put_string(o, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER: {
        json_int_t i = json_integer_value(v);
        if (i > SAFE_INT || i < -SAFE_INT) {
            o->is_bad = true;
            return;
        }
        char b[24];
        int n = snprintf(b, sizeof b, "%lld", (long long)i);
        put(o, b, (size_t)n);
        break;
    }
    case JSON_TRUE: put(o, "true", 4); break;
    case JSON_FALSE: put(o, "false", 5); break;
    case JSON_NULL: put(o, "null", 4); break;
    default: o->is_bad = true; /* reals have no canonical form here */
    }
}

char *ev_cjson(const json_t *v, const char *skip_key, size_t *len)
{
    struct out o = {0};
    if (!v)
        return NULL;
    put_value(&o, v, skip_key, 0);
    if (!o.is_bad && !o.p)
        put(&o, "", 0);
    if (o.is_bad) {
        free(o.p);
        return NULL;
    }
    if (len)
        *len = o.len;
    return o.p;
}
