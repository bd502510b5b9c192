/* jspec.h — a request body checked against its route's field spec (the
 * struct jfield table of http/req.h), without any HTTP: req_parse_json wraps
 * it with the Content-Type check and the error reply, and the fuzzing
 * harness (tests/fuzz/fuzz_json_spec.c) calls it directly. */
#ifndef OBR_HTTP_JSPEC_H
#define OBR_HTTP_JSPEC_H

#include <jansson.h>
#include <stddef.h>

#include "http/errors.h"
#include "http/req.h"

struct jspec_error {
    enum api_err err;
    const char *field; /* a spec's field name, key below, or NULL */
    char key[65];      /* an unknown field's name, when printable */
};

/* Checks body[0..len) is UTF-8 and one JSON object without duplicate keys,
 * refuses unknown fields and checks each field of spec (terminated by
 * {NULL}), filling its dest. Returns 0 with *out the object (the strings in
 * dests live in it; caller json_decrefs), or -1 with *out NULL and e filled. */
int jspec_parse(const char *body, size_t len, const struct jfield *spec, json_t **out,
                struct jspec_error *e);

#endif
