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
#include <sys/uio.h>

#include <jansson.h>


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
    free(ev); /* its strings and frame are in the same block (event_new) */
}

/* ---- a JSON object check that allocates nothing ----
 * event_new refuses payload text that is not one JSON object, so a damaged
 * stored payload is found when it is read. Building a jansson tree for that
 * was most of the cost of reading a log; this walks the text once, accepting
 * what json_loads accepts (UTF-8 strings without NUL or lone surrogates,
 * RFC 8259 numbers, nesting up to MAX_DEPTH); only a number too large for
 * jansson passes here and is refused later, when the payload is parsed. */

#define MAX_DEPTH 2048

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static int hex4(const char *p)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* p at the opening quote; returns the byte after the closing one, or NULL. */
static const char *scan_string(const char *p)
{
    p++;
    for (;;) {
        unsigned char c = (unsigned char)*p;
        if (c == '"')
            return p + 1;
        if (c < 0x20)
            return NULL; /* control character, or the end of the text */
        if (c == '\\') {
            p++;
            if (*p && strchr("\"\\/bfnrt", *p)) {
                p++;
                continue;
            }
            if (*p != 'u')
                return NULL;
            int u = hex4(p + 1);
            p += 5;
            if (u <= 0 || (u >= 0xdc00 && u <= 0xdfff))
                return NULL; /* \u0000, or a lone low surrogate */
            if (u >= 0xd800 && u <= 0xdbff) {
                int lo = p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : -1;
                if (lo < 0xdc00 || lo > 0xdfff)
                    return NULL;
                p += 6;
            }
            continue;
        }
        if (c < 0x80) {
            p++;
            continue;
        }
        unsigned char c1 = (unsigned char)p[1];
        int n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
        if (!n || (c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) || (c == 0xf0 && c1 < 0x90) ||
            (c == 0xf4 && c1 > 0x8f))
            return NULL;
        for (int i = 1; i <= n; i++)
            if (((unsigned char)p[i] & 0xc0) != 0x80)
                return NULL;
        p += n + 1;
    }
}

static const char *scan_digits(const char *p)
{
    if (*p < '0' || *p > '9')
        return NULL;
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

static const char *scan_number(const char *p)
{
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (!(p = scan_digits(p)))
        return NULL;
    if (*p == '.' && !(p = scan_digits(p + 1)))
        return NULL;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        p = scan_digits(p);
    }
    return p;
}

static const char *scan_value(const char *p, int depth);

/* p at '{' or '['; returns the byte after the matching close, or NULL. */
static const char *scan_container(const char *p, int depth)
{
    if (depth > MAX_DEPTH)
        return NULL;
    char close = *p == '{' ? '}' : ']';
    bool is_object = close == '}';
    p = skip_ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (is_object) {
            if (*p != '"' || !(p = scan_string(p)))
                return NULL;
            p = skip_ws(p);
            if (*p++ != ':')
                return NULL;
        }
        if (!(p = scan_value(skip_ws(p), depth)))
            return NULL;
        p = skip_ws(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
        p = skip_ws(p);
    }
}

static const char *scan_value(const char *p, int depth)
{
    switch (*p) {
    case '{':
    case '[': return scan_container(p, depth + 1);
    case '"': return scan_string(p);
    case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
    case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
    case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
    default: return scan_number(p);
    }
}

static bool is_json_object(const char *text)
{
    const char *p = skip_ws(text);
    if (*p != '{')
        return false;
    p = scan_container(p, 1);
    return p && *skip_ws(p) == '\0';
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

static bool is_one_line(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

/* Decimal text of v at out (room for 20 digits and a sign); its length. */
static size_t put_int(char *out, int64_t v)
{
    char tmp[24];
    size_t n = 0, len = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = tmp[--n];
    return len;
}

static char *put(char *at, const char *s, size_t n)
{
    memcpy(at, s, n);
    return at + n;
}
#define PUT_LIT(at, lit) put((at), (lit), sizeof(lit) - 1)
#define INT_MAX_TEXT 21 /* "-9223372036854775808" */

/* The text after "data: " when a field needs escaping (or the payload is
 * not on one line): the event as event_to_json gives it, dumped (malloc'd),
 * or NULL. */
static char *escaped_data(const char *meeting_id, int64_t seq, int64_t ts_ms, const char *actor,
                          const char *type, const char *payload, const char *hash)
{
    struct event tmp = {.seq = seq, .ts_ms = ts_ms};
    tmp.meeting_id = (char *)meeting_id;
    tmp.actor = (char *)actor;
    tmp.type = (char *)type;
    tmp.payload = (char *)payload;
    memcpy(tmp.hash, hash, sizeof tmp.hash);
    json_t *j = event_to_json(&tmp);
    char *data = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return data;
}

/* The frame is "id: <seq>\nevent: <type>\ndata: <json>\n\n". The JSON is
 * compact, so it holds no newline and fits on one data line. The payload is
 * checked to be a JSON object (is_json_object); when it is one line and the
 * other fields need no escaping (always, for what the log writes) the data
 * is put together from the stored canonical text, which is what re-encoding
 * it would give, without building and dumping a tree for every event (nor
 * formatting it with printf: this runs for every event appended and read).
 * A type that is empty or holds a control character is refused: it goes
 * raw onto the "event:" line, where a line break would end the frame early
 * (found by tests/fuzz/fuzz_event_frame.c).
 *
 * The event, its strings and its frame are one allocation. */
struct event *event_new(const char *meeting_id, int64_t seq, int64_t ts_ms, const char *actor,
                        const char *type, const char *payload, int visibility,
                        const char *prev_hash, const char *hash)
{
    if (!meeting_id || !actor || !type || !payload)
        return NULL;
    if (!is_json_object(payload) || !is_one_line(type))
        return NULL;
    char hash_text[EVENT_HASH_HEX + 1];
    copy_hash(hash_text, hash);
    size_t lm = strlen(meeting_id), la = strlen(actor), lt = strlen(type), lp = strlen(payload),
           lh = strlen(hash_text);
    char *data = NULL; /* the escaped data, when the fast path cannot be taken */
    if (!is_plain(type, false) || !is_plain(actor, false) || !is_plain(hash_text, true) ||
        strpbrk(payload, "\r\n")) {
        data = escaped_data(meeting_id, seq, ts_ms, actor, type, payload, hash_text);
        if (!data)
            return NULL;
    }
    /* The payload goes into the frame by reference (frame_part[1]), so only
     * the text around it is rendered here; with escaping (data) it is all
     * in the first piece. */
    size_t frame_max = sizeof "id: \nevent: \ndata: \n\n" + INT_MAX_TEXT + lt +
                       (data ? strlen(data)
                             : sizeof "{\"seq\":,\"ts\":,\"type\":\"\",\"actor\":\"\","
                                      "\"payload\":,\"hash\":\"\"}" +
                                   2 * INT_MAX_TEXT + lt + la + lh);
    size_t total = sizeof(struct event) + lm + la + lt + lp + 4 + frame_max;
    struct event *ev = malloc(total);
    if (!ev) {
        free(data);
        return NULL;
    }
    memset(ev, 0, sizeof *ev);
    ev->refs = 1;
    ev->seq = seq;
    ev->ts_ms = ts_ms;
    ev->visibility = visibility;
    copy_hash(ev->prev_hash, prev_hash);
    memcpy(ev->hash, hash_text, sizeof ev->hash);
    char *at = (char *)(ev + 1);
    ev->meeting_id = at;
    at = put(at, meeting_id, lm + 1);
    ev->actor = at;
    at = put(at, actor, la + 1);
    ev->type = at;
    at = put(at, type, lt + 1);
    ev->payload = at;
    at = put(at, payload, lp + 1);

    char *f = at;
    ev->frame_head_at = (uint32_t)(f - (char *)ev);
    f = PUT_LIT(f, "id: ");
    f += put_int(f, seq);
    f = PUT_LIT(f, "\nevent: ");
    f = put(f, type, lt);
    f = PUT_LIT(f, "\ndata: ");
    if (data) {
        f = put(f, data, strlen(data));
        free(data);
        f = PUT_LIT(f, "\n\n");
        ev->frame_part_len[0] = (uint32_t)(f - at);
    } else {
        f = PUT_LIT(f, "{\"seq\":");
        f += put_int(f, seq);
        f = PUT_LIT(f, ",\"ts\":");
        f += put_int(f, ts_ms);
        f = PUT_LIT(f, ",\"type\":\"");
        f = put(f, type, lt);
        f = PUT_LIT(f, "\",\"actor\":\"");
        f = put(f, actor, la);
        f = PUT_LIT(f, "\",\"payload\":");
        ev->frame_part_len[0] = (uint32_t)(f - at);
        ev->frame_part_len[1] = (uint32_t)lp;
        char *tail = f;
        f = PUT_LIT(f, ",\"hash\":\"");
        f = put(f, hash_text, lh);
        f = PUT_LIT(f, "\"}\n\n");
        ev->frame_part_len[2] = (uint32_t)(f - tail);
    }
    ev->frame_len = ev->frame_part_len[0] + ev->frame_part_len[1] + ev->frame_part_len[2];
    return ev;
}

/* Piece i of ev's frame (event.h). */
static const char *frame_part(const struct event *ev, int i)
{
    const char *head = (const char *)ev + ev->frame_head_at;
    return i == 0 ? head : i == 1 ? ev->payload : head + ev->frame_part_len[0];
}

size_t event_frame_copy(const struct event *ev, size_t off, char *buf, size_t max)
{
    size_t out = 0;
    for (int i = 0; i < EVENT_FRAME_PARTS && out < max; i++) {
        size_t n = ev->frame_part_len[i];
        if (off >= n) {
            off -= n;
            continue;
        }
        n -= off;
        if (n > max - out)
            n = max - out;
        memcpy(buf + out, frame_part(ev, i) + off, n);
        out += n;
        off = 0;
    }
    return out;
}

int event_frame_iov(const struct event *ev, size_t off, struct iovec *iov)
{
    int k = 0;
    for (int i = 0; i < EVENT_FRAME_PARTS; i++) {
        size_t n = ev->frame_part_len[i];
        if (off >= n) {
            off -= n;
            continue;
        }
        iov[k].iov_base = (char *)frame_part(ev, i) + off;
        iov[k++].iov_len = n - off;
        off = 0;
    }
    return k;
}

char *event_frame_dup(const struct event *ev)
{
    char *s = malloc(ev->frame_len + 1);
    if (s)
        s[event_frame_copy(ev, 0, s, ev->frame_len)] = '\0';
    return s;
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
