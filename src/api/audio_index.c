/* audio_index.c — the recording's index from the meeting's log: each
 * audio.started anchors wall time to an offset (media/audio_marks.h); item
 * and vote marks are placed from it. Serves GET …/audio/index and the
 * "listen from this item" links of the public page. */
#include "api/audio_index.h"

#include <string.h>

#include "log/eventlog.h"
#include "media/audio_marks.h"
#include "util/err.h"

#define INDEX_BATCH 256

static void add_mark(json_t *marks, const char *kind, json_t *p, const char *key,
                     const struct audio_anchor *a, int64_t ts)
{
    const char *id = json_string_value(json_object_get(p, key));
    int64_t off = audio_anchor_offset(a, ts);
    if (off < 0 || !id)
        return;
    json_array_append_new(
        marks, json_pack("{s:s, s:s, s:I}", "kind", kind, "id", id, "offset_ms", (json_int_t)off));
}

int audio_index_read(struct db *db, const char *meeting_id, int visibility, json_t *marks,
                     json_t *gaps)
{
    struct audio_anchor a = {0};
    struct event *batch[INDEX_BATCH];
    int64_t from = 1;
    int n = 0, rc = 0;
    if (!db)
        return OBR_EBUSY;
    do {
        if ((rc = log_read(db, meeting_id, from, batch, INDEX_BATCH, &n)))
            break;
        for (int i = 0; i < n; i++) {
            struct event *ev = batch[i];
            from = ev->seq + 1;
            json_t *p = ev->visibility <= visibility ? json_loads(ev->payload, 0, NULL) : NULL;
            if (p && !strcmp(ev->type, "audio.started")) {
                audio_anchor_set(&a, ev->ts_ms,
                                 json_integer_value(json_object_get(p, "offset_ms")));
                int64_t gap = json_integer_value(json_object_get(p, "gap_ms"));
                if (gap > 0)
                    json_array_append_new(gaps, json_pack("{s:I, s:I}", "offset_ms",
                                                          (json_int_t)(a.offset - gap), "length_ms",
                                                          (json_int_t)gap));
            } else if (p && !strcmp(ev->type, "item.current")) {
                add_mark(marks, "item", p, "item_id", &a, ev->ts_ms);
            } else if (p && !strcmp(ev->type, "vote.opened")) {
                add_mark(marks, "vote", p, "vote_id", &a, ev->ts_ms);
            }
            json_decref(p);
            event_unref(ev);
        }
    } while (n == INDEX_BATCH);
    return rc;
}

json_t *audio_item_offsets(struct db *db, const char *meeting_id, int visibility)
{
    json_t *marks = json_array(), *gaps = json_array(), *out = json_object();
    if (audio_index_read(db, meeting_id, visibility, marks, gaps)) {
        json_decref(out);
        out = NULL;
    }
    size_t i;
    json_t *m;
    json_array_foreach (marks, i, m) {
        const char *id = json_string_value(json_object_get(m, "id"));
        if (out && id && !strcmp(json_string_value(json_object_get(m, "kind")), "item") &&
            !json_object_get(out, id))
            json_object_set(out, id, json_object_get(m, "offset_ms"));
    }
    json_decref(marks);
    json_decref(gaps);
    return out;
}
