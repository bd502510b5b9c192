/* audio_marks.h — where a moment of the meeting lies in its recording: each
 * audio.started event ties a wall time to an offset of the recording (gaps
 * between sources are filled with silence), so a later moment is that
 * offset plus the time since. Used by the index API, the protocol's and the
 * public page's "listen from this item" links. */
#ifndef OBRADY_MEDIA_AUDIO_MARKS_H
#define OBRADY_MEDIA_AUDIO_MARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audio_anchor {
    int64_t ts, offset;
    bool is_set;
};

/* An audio.started at wall time ts (ms) with its payload's offset_ms. */
void audio_anchor_set(struct audio_anchor *a, int64_t ts, int64_t offset_ms);
/* The recording's offset (ms, >= 0) at wall time ts; -1 before any audio. */
int64_t audio_anchor_offset(const struct audio_anchor *a, int64_t ts);
/* "m:ss" or "h:mm:ss" of an offset in ms. */
void audio_offset_text(char *out, size_t size, int64_t ms);

#endif
