/* json_out.c — see json_out.h. Strings are escaped as jansson does by
 * default: the quote, the backslash and control characters (\b \f \n \r
 * \t by name, the rest as \u00XX in capitals); '/' and non-ASCII are
 * written as they are (jansson strings are valid UTF-8). */
#include "http/json_out.h"

#include "util/buf.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64 /* deeper: jansson's own dump */

static void put_string(struct buf *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    /* At most 6 bytes per input byte, plus the quotes. */
    if (!buf_reserve(o, n * 6 + 2))
        return;
    char *d = o->p + o->len;
    *d++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *d++ = (char)c;
            continue;
        }
        *d++ = '\\';
        switch (c) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '\b': *d++ = 'b'; break;
        case '\f': *d++ = 'f'; break;
        case '\n': *d++ = 'n'; break;
        case '\r': *d++ = 'r'; break;
        case '\t': *d++ = 't'; break;
        default:
            *d++ = 'u';
            *d++ = '0';
            *d++ = '0';
            *d++ = hex[c >> 4];
            *d++ = hex[c & 15];
        }
    }
    *d++ = '"';
    o->len = (size_t)(d - o->p);
}

/* false: a value to leave to jansson (a real, too deep). */
static bool put_value(struct buf *o, const json_t *v, int depth)
{
    if (depth > MAX_DEPTH)
        return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        buf_append(o, "{", 1);
        const char *key;
        json_t *item;
        bool first = true;
        json_object_foreach ((json_t *)v, key, item) {
            if (!first)
                buf_append(o, ",", 1);
            first = false;
            put_string(o, key, strlen(key));
            buf_append(o, ":", 1);
            if (!put_value(o, item, depth + 1))
                return false;
        }
        buf_append(o, "}", 1);
        return true;
    }
    case JSON_ARRAY: {
        buf_append(o, "[", 1);
        for (size_t i = 0, n = json_array_size(v); i < n; i++) {
            if (i)
                buf_append(o, ",", 1);
            if (!put_value(o, json_array_get(v, i), depth + 1))
                return false;
        }
        buf_append(o, "]", 1);
        return true;
    }
    case JSON_STRING:
        put_string(o, json_string_value(v), json_string_length(v));
        return true;
    case JSON_INTEGER: {
        char num[24];
        int n = snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        buf_append(o, num, (size_t)n);
        return true;
    }
    case JSON_TRUE:
        buf_append(o, "true", 4);
        return true;
    case JSON_FALSE:
        buf_append(o, "false", 5);
        return true;
    case JSON_NULL:
        buf_append(o, "null", 4);
        return true;
    default: /* JSON_REAL: jansson's own precision rules */
        return false;
    }
}

char *json_out_dump(const json_t *v, size_t *len)
{
    if (!json_is_object(v) && !json_is_array(v))
        return NULL;
    struct buf o = BUF_INIT;
    if (!put_value(&o, v, 0) || !buf_reserve(&o, 0)) {
        bool is_no_memory = o.failed;
        free(o.p);
        if (is_no_memory)
            return NULL;
        char *text = json_dumps(v, JSON_COMPACT);
        if (text)
            *len = strlen(text);
        return text;
    }
    o.p[o.len] = '\0';
    *len = o.len;
    return o.p;
}
