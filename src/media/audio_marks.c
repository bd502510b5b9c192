/* audio_marks.c — wall time → recording offset (see audio_marks.h). */
#include "media/audio_marks.h"

#include <stdio.h>

void audio_anchor_set(struct audio_anchor *a, int64_t ts, int64_t offset_ms)
{
    a->ts = ts;
    a->offset = offset_ms < 0 ? 0 : offset_ms;
    a->is_set = true;
}

int64_t audio_anchor_offset(const struct audio_anchor *a, int64_t ts)
{
    if (!a->is_set)
        return -1;
    int64_t off = a->offset + (ts - a->ts);
    return off < 0 ? 0 : off;
}

void audio_offset_text(char *out, size_t size, int64_t ms)
{
    long long s = (long long)(ms < 0 ? 0 : ms / 1000);
    if (s >= 3600)
        snprintf(out, size, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, size, "%lld:%02lld", s / 60, s % 60);
}
