/* event.h — one entry of a meeting's log, as read back or just appended.
 * Events are immutable and reference-counted: the hub's ring, every SSE
 * stream sending it and the appender share one copy (fan-out never copies).
 * The SSE frame is rendered once, when the event is made. */
#ifndef OBR_EVENT_H
#define OBR_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define EVENT_HASH_HEX 64 /* SHA-256 as lowercase hex */

/* Who may see an event on a stream. A viewer sees events at or below its level. */
enum event_visibility {
    EVENT_PUBLIC = 0,       /* the public view of a public meeting */
    EVENT_PARTICIPANTS = 1, /* members, guests and staff of the meeting */
    EVENT_STAFF = 2,        /* operators and the chair (technical chat, diagnostics) */
};

struct event {
    int refs; /* atomic; see event_ref/event_unref */
    char *meeting_id;
    int64_t seq;   /* 1, 2, 3 ... per meeting, no gaps */
    int64_t ts_ms; /* wall-clock time of the append */
    char *actor;   /* user id, or "system" */
    char *type;    /* dotted name, e.g. "attendance.started" */
    char *payload; /* canonical JSON object text */
    int visibility;
    char prev_hash[EVENT_HASH_HEX + 1];
    char hash[EVENT_HASH_HEX + 1];
    /* The SSE frame "id: <seq>\nevent: <type>\ndata: <json>\n\n" in
     * EVENT_FRAME_PARTS pieces sent one after the other (a writev): the text
     * before the payload, the payload itself (the bytes of ->payload, not a
     * second copy) and the text after it (event_frame_copy/_iov read them;
     * the first and last lie in the event's own block, frame_head_at bytes
     * from its start, one after the other). Unused pieces are empty. */
    uint32_t frame_head_at;
    uint32_t frame_part_len[3];
    size_t frame_len; /* the whole frame: the pieces' sum */
};
#define EVENT_FRAME_PARTS 3

/* Makes an event with refs = 1 from its fields (copied) and renders its frame.
 * Does not compute the hash: the caller passes the stored or computed one. */
struct event *event_new(const char *meeting_id, int64_t seq, int64_t ts_ms, const char *actor,
                        const char *type, const char *payload, int visibility,
                        const char *prev_hash, const char *hash);
struct event *event_ref(struct event *ev);
/* Copies up to max bytes of ev's frame from byte off on; returns the count. */
size_t event_frame_copy(const struct event *ev, size_t off, char *buf, size_t max);
/* Points iov (EVENT_FRAME_PARTS entries) at ev's frame from byte off on;
 * returns the number of entries used. */
struct iovec;
int event_frame_iov(const struct event *ev, size_t off, struct iovec *iov);
/* The whole frame as one malloc'd, NUL-terminated string (tests, tools). */
char *event_frame_dup(const struct event *ev);
/* Drops one reference; frees on the last. Accepts NULL. */
void event_unref(struct event *ev);

/* The event as the JSON object clients receive (seq, ts, type, actor,
 * payload, hash); caller must json_decref. */
struct json_t;
struct json_t *event_to_json(const struct event *ev);

#endif
