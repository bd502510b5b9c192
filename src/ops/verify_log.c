/* verify_log.c — exporting a meeting's log and checking a board against it
 * (see verify_log.h). The chain rule is log/eventlog.h's: each hash covers
 * the event's fields and the previous hash. */
#include "ops/verify_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/eventlog.h"
#include "util/err.h"

#define READ_BATCH 256

json_t *verify_log_export(struct db *db, const char *meeting_id)
{
    json_t *out = json_array();
    struct event *evs[READ_BATCH];
    int64_t from = 1;
    for (int n = READ_BATCH; out && n == READ_BATCH;) {
        if (log_read(db, meeting_id, from, evs, READ_BATCH, &n)) {
            json_decref(out);
            return NULL;
        }
        for (int i = 0; i < n; i++) {
            json_t *p = json_loads(evs[i]->payload, 0, NULL);
            json_t *j = json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:o*, s:s, s:s}", "seq",
                                  (json_int_t)evs[i]->seq, "ts", (json_int_t)evs[i]->ts_ms,
                                  "meeting", evs[i]->meeting_id, "actor", evs[i]->actor, "type",
                                  evs[i]->type, "vis", evs[i]->visibility, "payload", p, "prev",
                                  evs[i]->prev_hash, "hash", evs[i]->hash);
            from = evs[i]->seq + 1;
            event_unref(evs[i]);
            if (!j || json_array_append_new(out, j)) {
                json_decref(out);
                out = NULL;
            }
        }
    }
    return out;
}

static int fail(int rc, char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(int rc, char *why, size_t why_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, why_size, fmt, ap);
    va_end(ap);
    return rc;
}

/* Event i (seq i + 1) recomputed against its predecessor's hash. A chat
 * message redacted at archiving (eventlog.h) keeps its recorded hash, bound
 * by the next event, when the log is archived after it (is_redactable). */
static int check_event(const json_t *ev, int64_t seq, const char *prev, const char *meeting,
                       bool is_redactable, char *why, size_t why_size)
{
    const char *actor = json_string_value(json_object_get(ev, "actor"));
    const char *type = json_string_value(json_object_get(ev, "type"));
    const char *hash = json_string_value(json_object_get(ev, "hash"));
    const char *m = json_string_value(json_object_get(ev, "meeting"));
    const json_t *ts = json_object_get(ev, "ts"), *vis = json_object_get(ev, "vis");
    json_t *payload = json_object_get(ev, "payload");
    if (json_integer_value(json_object_get(ev, "seq")) != seq || !actor || !type || !hash ||
        !m || strcmp(m, meeting) || !json_is_integer(ts) || !json_is_integer(vis) ||
        !json_is_object(payload))
        return fail(OBR_EINVAL, why, why_size, "log: event %lld is malformed or out of order",
                    (long long)seq);
    char *text = log_canonical_json(payload);
    if (text && is_redactable && !strcmp(type, LOG_REDACTABLE_TYPE) &&
        !strcmp(text, LOG_REDACTED_PAYLOAD) && strlen(hash) == EVENT_HASH_HEX) {
        free(text);
        return 0;
    }
    char h[EVENT_HASH_HEX + 1];
    int rc = text ? log_compute_hash(meeting, seq, json_integer_value(ts), actor, type, text,
                                     (int)json_integer_value(vis), prev, h)
                  : OBR_EINVAL;
    free(text);
    if (rc || strcmp(h, hash))
        return fail(OBR_ECORRUPT, why, why_size,
                    "log: event %lld does not hash to its recorded hash (the chain is broken)",
                    (long long)seq);
    return 0;
}

static bool is_vote_event(const json_t *ev, const char *type, const char *vote_id)
{
    const char *t = json_string_value(json_object_get(ev, "type"));
    const char *v = json_string_value(json_object_get(json_object_get(ev, "payload"), "vote_id"));
    return t && v && !strcmp(t, type) && !strcmp(v, vote_id);
}

static const char *payload_text(const json_t *ev, const char *key)
{
    return json_string_value(json_object_get(json_object_get(ev, "payload"), key));
}

int verify_log_board(const json_t *log, const json_t *board, const struct evote_board_summary *s,
                     char *why, size_t why_size)
{
    const json_t *el = json_object_get(board, "election");
    const char *vote_id = json_string_value(json_object_get(el, "vote_id"));
    const char *meeting = json_string_value(json_object_get(el, "meeting_id"));
    size_t n = json_array_size(log);
    if (s->version != 2)
        return fail(OBR_EINVAL, why, why_size,
                    "--log needs a version 2 board (a v1 board is not anchored in the log)");
    if (!json_is_array(log) || !n)
        return fail(OBR_EINVAL, why, why_size, "log: not a non-empty array of events");
    const char *prev = LOG_GENESIS_HASH;
    size_t archived_at = 0; /* 1 + the index of the last meeting.archived, 0 when none */
    for (size_t i = 0; i < n; i++) {
        const char *t = json_string_value(json_object_get(json_array_get(log, i), "type"));
        if (t && !strcmp(t, "meeting.archived"))
            archived_at = i + 1;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *ev = json_array_get(log, i);
        int rc = check_event(ev, (int64_t)i + 1, prev, meeting, i + 1 < archived_at, why,
                             why_size);
        if (rc)
            return rc;
        prev = json_string_value(json_object_get(ev, "hash"));
    }
    if (s->log_seq > (int64_t)n)
        return fail(OBR_ECORRUPT, why, why_size,
                    "log_seq %lld: the log has only %zu events", (long long)s->log_seq, n);
    const char *at = json_string_value(json_object_get(json_array_get(log, s->log_seq - 1), "hash"));
    if (strcmp(at, s->log_head))
        return fail(OBR_ECORRUPT, why, why_size,
                    "log_head: event %lld of the log has hash %s, the board says %s",
                    (long long)s->log_seq, at, s->log_head);
    bool is_opened = false, is_anchored = !strcmp(s->state, "open");
    size_t ballots = 0;
    for (int64_t i = 0; i < s->log_seq; i++) {
        const json_t *ev = json_array_get(log, (size_t)i);
        if (is_vote_event(ev, "vote.opened", vote_id)) {
            const char *eh = payload_text(ev, "election_hash");
            is_opened = eh && !strcmp(eh, s->election_hash);
        }
        ballots += is_vote_event(ev, "vote.ballot", vote_id);
        if (is_vote_event(ev, "vote.board", vote_id)) {
            const char *bh = payload_text(ev, "board_hash"), *st = payload_text(ev, "state");
            if (bh && st && !strcmp(bh, s->board_hash) && !strcmp(st, s->state))
                is_anchored = true;
        }
    }
    if (!is_opened)
        return fail(OBR_ECORRUPT, why, why_size,
                    "log: no vote.opened event of vote %s with election hash %s", vote_id,
                    s->election_hash);
    if (ballots != s->n_ballots)
        return fail(OBR_ECORRUPT, why, why_size,
                    "log: %zu ballots of vote %s recorded up to event %lld, the board has %zu",
                    ballots, vote_id, (long long)s->log_seq, s->n_ballots);
    if (!is_anchored)
        return fail(OBR_ECORRUPT, why, why_size,
                    "log: no vote.board event names this %s board (board hash %s)", s->state,
                    s->board_hash);
    return 0;
}
