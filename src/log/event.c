/* event.c — making, sharing and freeing log events.
 * An event is built once (fields copied, SSE frame rendered) and then only
 * read, so any number of threads may hold references; the count is the one
 * mutable field and is changed with atomic builtins. */
#include "log/event.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/buf.h"

static void copy_hash(char dst[EVENT_HASH_HEX + 1], const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    size_t n = strnlen(src, EVENT_HASH_HEX);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void event_free(struct event *ev)
{
    free(ev->meeting_id);
    free(ev->actor);
    free(ev->type);
    free(ev->payload);
    free(ev->frame);
    free(ev);
}

/* Text that goes into a JSON string as it is: letters, digits, '.', '_',
 * '-' and ':' (types, user ids, "system", hex hashes). */
static bool is_plain(const char *s, bool may_be_empty)
{
    if (!*s)
        return may_be_empty;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-:", *s))
            return false;
    return true;
}

/* Renders "id: <seq>\nevent: <type>\ndata: <json>\n\n". The JSON is compact,
 * so it holds no newline and fits on one data line. The payload is parsed
 * once to refuse text that is not a JSON object; when it is one line and the
 * other fields need no escaping (always, for what the log writes) the data
 * is put together from the stored canonical text, which is what re-encoding
 * it would give, without building and dumping a tree for every event read. */
static int render_frame(struct event *ev)
{
    json_t *payload = json_loads(ev->payload, 0, NULL);
    bool is_object = json_is_object(payload);
    json_decref(payload);
    if (!is_object)
        return -1;
    struct buf b = BUF_INIT;
    if (is_plain(ev->type, false) && is_plain(ev->actor, false) && is_plain(ev->hash, true) &&
        !strpbrk(ev->payload, "\r\n")) {
        buf_printf(&b,
                   "id: %lld\nevent: %s\ndata: {\"seq\":%lld,\"ts\":%lld,\"type\":\"%s\","
                   "\"actor\":\"%s\",\"payload\":%s,\"hash\":\"%s\"}\n\n",
                   (long long)ev->seq, ev->type, (long long)ev->seq, (long long)ev->ts_ms,
                   ev->type, ev->actor, ev->payload, ev->hash);
    } else {
        json_t *j = event_to_json(ev);
        char *data = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (!data)
            return -1;
        buf_printf(&b, "id: %lld\nevent: %s\ndata: %s\n\n", (long long)ev->seq, ev->type, data);
        free(data);
    }
    if (buf_failed(&b)) {
        buf_free(&b);
        return -1;
    }
    ev->frame_len = b.len;
    ev->frame = buf_take(&b);
    return ev->frame ? 0 : -1;
}

struct event *event_new(const char *meeting_id, int64_t seq, int64_t ts_ms, const char *actor,
                        const char *type, const char *payload, int visibility,
                        const char *prev_hash, const char *hash)
{
    if (!meeting_id || !actor || !type || !payload)
        return NULL;
    struct event *ev = calloc(1, sizeof *ev);
    if (!ev)
        return NULL;
    ev->refs = 1;
    ev->seq = seq;
    ev->ts_ms = ts_ms;
    ev->visibility = visibility;
    ev->meeting_id = strdup(meeting_id);
    ev->actor = strdup(actor);
    ev->type = strdup(type);
    ev->payload = strdup(payload);
    copy_hash(ev->prev_hash, prev_hash);
    copy_hash(ev->hash, hash);
    if (!ev->meeting_id || !ev->actor || !ev->type || !ev->payload || render_frame(ev) != 0) {
        event_free(ev);
        return NULL;
    }
    return ev;
}

struct event *event_ref(struct event *ev)
{
    if (ev)
        __atomic_add_fetch(&ev->refs, 1, __ATOMIC_RELAXED);
    return ev;
}

void event_unref(struct event *ev)
{
    if (!ev)
        return;
    /* Release on every drop, acquire on the last, so the freeing thread sees
     * everything other holders did before letting go. */
    if (__atomic_sub_fetch(&ev->refs, 1, __ATOMIC_ACQ_REL) == 0)
        event_free(ev);
}

struct json_t *event_to_json(const struct event *ev)
{
    /* The payload is stored as canonical JSON text; clients get it as an
     * object, not as a string to parse twice. */
    json_t *payload = json_loads(ev->payload, 0, NULL);
    if (!payload)
        return NULL;
    json_t *j = json_object();
    if (!j) {
        json_decref(payload);
        return NULL;
    }
    /* json_object_set_new takes the value even when it fails, so each
     * value is released exactly once whichever step goes wrong. */
    int rc = json_object_set_new(j, "seq", json_integer(ev->seq));
    rc |= json_object_set_new(j, "ts", json_integer(ev->ts_ms));
    rc |= json_object_set_new(j, "type", json_string(ev->type));
    rc |= json_object_set_new(j, "actor", json_string(ev->actor));
    rc |= json_object_set_new(j, "payload", payload);
    rc |= json_object_set_new(j, "hash", json_string(ev->hash));
    if (rc) {
        json_decref(j);
        return NULL;
    }
    return j;
}
