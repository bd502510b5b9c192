/* fuzz_event_frame.c — the event-frame walker (log/event.c): a stored payload
 * text the walker accepts as a JSON object must make a frame of exactly
 * "id", "event" and one "data" line whose JSON a client can parse, and the
 * walker must refuse text that is not one JSON object. Differential against
 * jansson (numbers too big for jansson are allowed: browsers read them). */
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "fuzz_util.h"
#include "log/event.h"
#include "log/eventlog.h"

#define PLAIN "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-:"

static bool is_plain(const char *s)
{
    return *s && strspn(s, PLAIN) == strlen(s);
}

static bool is_one_line(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

static bool is_jansson_limit(const json_error_t *e)
{
    return strstr(e->text, "too big") || strstr(e->text, "overflow") ||
           strstr(e->text, "maximum parsing depth");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t left = size;
    char *type = fz_field(&p, &left, NULL);
    char *actor = fz_field(&p, &left, NULL);
    char *payload = fz_field(&p, &left, NULL);
    struct event *ev = event_new("m1", 7, 1700000000000, actor, type, payload, EVENT_PUBLIC,
                                 LOG_GENESIS_HASH, "ab12");
    json_error_t jerr;
    json_t *direct = json_loads(payload, JSON_ALLOW_NUL, &jerr);
    if (!ev) {
        /* Refused: a type with a control character, or (on the walker's own path:
         * plain actor, one line) a payload that is not one JSON object. */
        FZ_CHECK(!is_one_line(type) || !is_plain(type) || !is_plain(actor) ||
                     strpbrk(payload, "\r\n") || !json_is_object(direct),
                 "walker refused a JSON object: %s", payload);
    } else {
        FZ_CHECK(is_one_line(type), "a type with a line break was accepted");
        FZ_CHECK(json_is_object(direct) || (!direct && is_jansson_limit(&jerr)),
                 "walker accepted what is not a JSON object: %s (%s)", payload, jerr.text);
        char *frame = event_frame_dup(ev);
        const char *f = frame;
        FZ_CHECK(f && ev->frame_len == strlen(f), "frame length");
        FZ_CHECK(!strncmp(f, "id: 7\nevent: ", 13), "frame start");
        const char *data_line = strstr(f, "\ndata: ");
        FZ_CHECK(data_line, "no data line");
        data_line += 7;
        const char *end = strchr(data_line, '\n');
        FZ_CHECK(end && !strcmp(end, "\n\n"), "data is not one line ending the frame");
        FZ_CHECK(!memchr(f + 13, '\n', (size_t)(data_line - 7 - (f + 13))), "type broke a line");
        json_t *j = json_loadb(data_line, (size_t)(end - data_line), JSON_ALLOW_NUL, &jerr);
        FZ_CHECK(j || is_jansson_limit(&jerr), "data line is not JSON: %s", jerr.text);
        if (j)
            FZ_CHECK(json_is_object(json_object_get(j, "payload")), "payload not an object");
        json_decref(j);
        free(frame);
    }
    json_decref(direct);
    event_unref(ev);
    free(type);
    free(actor);
    free(payload);
    return 0;
}
