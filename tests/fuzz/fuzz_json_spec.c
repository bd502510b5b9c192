/* fuzz_json_spec.c — the JSON request parser and field specs (http/jspec.c):
 * any body is either refused with an error naming a field of the spec (or
 * none), or accepted with every destination inside its type and bounds. */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "http/jspec.h"
#include "util/ids.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *title = NULL, *text = NULL, *id = NULL;
    int64_t n = 0;
    bool flag = false, has_text = false;
    json_t *any = NULL;
    const struct jfield spec[] = {
        {"title", JF_STRING, true, 1, 200, &title, NULL},
        {"text", JF_TEXT, false, 0, 2000, &text, &has_text},
        {"id", JF_ID, false, 0, 0, &id, NULL},
        {"n", JF_INT, false, -5, 86400, &n, NULL},
        {"flag", JF_BOOL, false, 0, 0, &flag, NULL},
        {"any", JF_JSON, false, 0, 0, &any, NULL},
        {NULL},
    };
    json_t *obj = NULL;
    struct jspec_error e;
    if (jspec_parse((const char *)data, size, spec, &obj, &e) < 0) {
        FZ_CHECK(!obj, "refused but returned an object");
        if (e.field && e.field != e.key) {
            bool is_spec = false;
            for (const struct jfield *f = spec; f->name; f++)
                is_spec |= e.field == f->name;
            FZ_CHECK(is_spec, "error names a field outside the spec");
        }
        if (e.field == e.key)
            FZ_CHECK(strlen(e.key) <= 64 && utf8_is_text(e.key, strlen(e.key), false),
                     "an unknown field named back unprintably");
        return 0;
    }
    FZ_CHECK(json_is_object(obj), "accepted a non-object");
    FZ_CHECK(title && utf8_is_text(title, strlen(title), false), "title not single-line text");
    size_t tl = utf8_length(title, strlen(title));
    FZ_CHECK(tl >= 1 && tl <= 200, "title length %zu", tl);
    if (text)
        FZ_CHECK(has_text && utf8_is_text(text, strlen(text), true) &&
                     utf8_length(text, strlen(text)) <= 2000,
                 "text out of bounds");
    if (id)
        FZ_CHECK(id_is_valid(id), "invalid id accepted");
    FZ_CHECK(n >= -5 && n <= 86400, "n out of range");
    json_decref(obj);
    return 0;
}
