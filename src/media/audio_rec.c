/* audio_rec.c — a meeting's recording: data_dir/audio/<meeting>.opus, one
 * Ogg Opus stream written page by page as packets arrive, so that a crash
 * loses at most the page in progress. Gaps (a source that vanished, packets
 * its browser gave up on) are filled with silent packets, so the file's time
 * is the room's time; the log's audio.started events say where and how long
 * (docs/audio.md). A restarted server continues the same stream: it reads
 * the file once to find the serial, page number and granule it ended at. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "media/audio_impl.h"
#include "media/opus_packet.h"
#include "util/diag.h"

bool audio_recording_path(const char *data_dir, const char *meeting_id, char *buf, size_t size)
{
    int n = snprintf(buf, size, "%s/audio/%s.opus", data_dir, meeting_id);
    struct stat sb;
    return n > 0 && (size_t)n < size && stat(buf, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void on_rec_page(void *ctx, const unsigned char *data, size_t len, int64_t granule)
{
    struct audio_channel *ch = ctx;
    while (len) {
        ssize_t w = write(ch->rec_fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            diag(DIAG_WARN, "audio: cannot write the recording of %s: %s", ch->meeting_id,
                 strerror(errno));
            return;
        }
        data += w;
        len -= (size_t)w;
    }
}

/* Finds where an existing recording ended. 0 when found, -1 when the file has
 * no whole page (then it is started afresh). */
static int scan_end(int fd, int *serial, int64_t *next_pageno, int64_t *granule)
{
    ogg_sync_state oy;
    ogg_sync_init(&oy);
    ogg_page pg;
    int found = -1;
    for (;;) {
        char *buf = ogg_sync_buffer(&oy, 65536);
        ssize_t n = read(fd, buf, 65536);
        if (n <= 0)
            break;
        ogg_sync_wrote(&oy, n);
        while (ogg_sync_pageout(&oy, &pg) == 1) {
            *serial = ogg_page_serialno(&pg);
            *next_pageno = ogg_page_pageno(&pg) + 1;
            if (ogg_page_granulepos(&pg) > 0)
                *granule = ogg_page_granulepos(&pg);
            found = 0;
        }
    }
    ogg_sync_clear(&oy);
    return found;
}

int audio_rec_open(struct audio_channel *ch)
{
    if (ch->is_rec_open)
        return 0;
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/audio", ch->data_dir);
    if (mkdir(dir, 0750) && errno != EEXIST) {
        diag(DIAG_WARN, "audio: cannot make %s: %s", dir, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/%s.opus", dir, ch->meeting_id);
    int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0) {
        diag(DIAG_WARN, "audio: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    ch->rec_fd = fd;
    int serial = 0;
    int64_t pageno = 0, granule = OGG_MUX_PRE_SKIP;
    int rc;
    if (scan_end(fd, &serial, &pageno, &granule) == 0 && pageno >= 2) {
        rc = ogg_mux_resume(&ch->rec, serial, pageno, granule, on_rec_page, ch);
    } else {
        if (ftruncate(fd, 0)) /* a header cut short is of no use */
            diag(DIAG_WARN, "audio: cannot truncate %s", path);
        char title[80];
        snprintf(title, sizeof title, "TITLE=obrady %s", ch->meeting_id);
        const char *comments[] = {title, NULL};
        rc = ogg_mux_begin(&ch->rec, (int)(time(NULL) & 0x7fffffff) ^ 0x5a5a, comments,
                           on_rec_page, ch);
    }
    if (rc) {
        close(fd);
        ch->rec_fd = -1;
        return -1;
    }
    ch->is_rec_open = true;
    return 0;
}

void audio_rec_packet(struct audio_channel *ch, const unsigned char *p, size_t len, int samples)
{
    if (ch->is_rec_open)
        ogg_mux_packet(&ch->rec, p, len, samples);
}

int64_t audio_rec_fill(struct audio_channel *ch, int64_t samples)
{
    if (!ch->is_rec_open)
        return 0;
    int64_t max = (int64_t)AUDIO_GAP_FILL_MAX_MS * 48;
    if (samples > max)
        samples = max;
    int64_t n = samples / OPUS_SILENCE_SAMPLES;
    /* A page per second: players and checkers (opusinfo's "high muxing
     * delay") expect pages of about a second at most. */
    for (int64_t i = 0; i < n; i++) {
        ogg_mux_packet(&ch->rec, opus_packet_silence, sizeof opus_packet_silence,
                       OPUS_SILENCE_SAMPLES);
        if (i % 50 == 49)
            ogg_mux_flush(&ch->rec);
    }
    ogg_mux_flush(&ch->rec);
    return n * OPUS_SILENCE_SAMPLES;
}

void audio_rec_sync(struct audio_channel *ch)
{
    if (ch->is_rec_open)
        ogg_mux_flush(&ch->rec);
}

void audio_rec_close(struct audio_channel *ch)
{
    if (!ch->is_rec_open)
        return;
    ogg_mux_flush(&ch->rec);
    ogg_mux_free(&ch->rec);
    close(ch->rec_fd);
    ch->rec_fd = -1;
    ch->is_rec_open = false;
}
