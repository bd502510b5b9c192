/* audio_channel.c — the registry of live audio channels, sources and the
 * live ring. Invariants: at most one source per channel; a packet is muxed
 * at most once (seq below next_seq is a duplicate); the live stream's granule
 * only grows by audio received (no gaps, so players never see a jump), while
 * the recording's also grows by silence for every gap (audio_rec.c), so that
 * recording time is room time. Pages are immutable and reference-counted:
 * the ring and every listener sending one share it. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "media/audio_impl.h"
#include "media/opus_packet.h"
#include "util/clock.h"
#include "util/diag.h"

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER; /* guards channels, reaper */
static struct audio_channel *channels;
static bool is_reaper_started;

void audio_page_unref(struct audio_page *p)
{
    if (p && __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0)
        free(p);
}

static struct audio_page *page_ref(struct audio_page *p)
{
    __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
    return p;
}

/* The live muxer's page sink: header pages are kept apart; audio pages go
 * into the ring. Called under the channel lock. */
static void on_live_page(void *ctx, const unsigned char *data, size_t len, int64_t granule)
{
    struct audio_channel *ch = ctx;
    if (!ch->is_live_headed) {
        unsigned char *h = realloc(ch->heads, ch->heads_len + len);
        if (!h)
            return;
        memcpy(h + ch->heads_len, data, len);
        ch->heads = h;
        ch->heads_len += len;
        return;
    }
    struct audio_page *p = malloc(sizeof *p + len);
    if (!p)
        return;
    p->refs = 1;
    p->no = ch->head_no;
    p->at_ms = clock_mono_ms();
    p->len = len;
    memcpy(p->data, data, len);
    struct audio_page **slot = &ch->ring[ch->head_no % AUDIO_RING];
    audio_page_unref(*slot);
    *slot = p;
    ch->head_no++;
    ch->live_bytes += len;
}

/* The first page still in the ring (lock held). */
static int64_t oldest_no(const struct audio_channel *ch)
{
    int64_t o = ch->head_no > AUDIO_RING ? ch->head_no - AUDIO_RING : 0;
    return o > ch->first_no ? o : ch->first_no;
}

/* Between broadcasts a channel keeps no pages and no open file: a meeting
 * that broadcast once costs a few hundred bytes until the process ends.
 * Listeners have been told to end; any still sending hold their own page. */
static void release_idle(struct audio_channel *ch)
{
    for (int i = 0; i < AUDIO_RING; i++) {
        audio_page_unref(ch->ring[i]);
        ch->ring[i] = NULL;
    }
    ch->first_no = ch->head_no;
    audio_rec_close(ch);
}

static void wake_listeners(struct audio_channel *ch)
{
    for (struct audio_listener *l = ch->listeners; l; l = l->next)
        l->wake(l);
}

static void *reaper_main(void *arg)
{
    for (;;) {
        sleep(1);
        audio_reap();
    }
    return NULL;
}

struct audio_channel *audio_channel_get(const char *data_dir, const char *meeting_id,
                                        bool create)
{
    pthread_mutex_lock(&reg_lock);
    struct audio_channel *ch = channels;
    while (ch && strcmp(ch->meeting_id, meeting_id))
        ch = ch->next;
    if (!ch && create && strlen(meeting_id) < sizeof ch->meeting_id &&
        (ch = calloc(1, sizeof *ch))) {
        snprintf(ch->meeting_id, sizeof ch->meeting_id, "%s", meeting_id);
        snprintf(ch->data_dir, sizeof ch->data_dir, "%s", data_dir);
        pthread_mutex_init(&ch->lock, NULL);
        ch->rec_fd = -1;
        ch->refs = 1; /* the registry's: channels live until the process ends */
        ch->next = channels;
        channels = ch;
        if (!is_reaper_started) {
            pthread_t t;
            if (pthread_create(&t, NULL, reaper_main, NULL) == 0) {
                pthread_detach(t);
                is_reaper_started = true;
            }
        }
    }
    if (ch)
        ch->refs++;
    pthread_mutex_unlock(&reg_lock);
    return ch;
}

void audio_channel_put(struct audio_channel *ch)
{
    if (!ch)
        return;
    pthread_mutex_lock(&reg_lock);
    ch->refs--;
    pthread_mutex_unlock(&reg_lock);
}

void audio_lock(struct audio_channel *ch)
{
    pthread_mutex_lock(&ch->lock);
}

void audio_unlock(struct audio_channel *ch)
{
    pthread_mutex_unlock(&ch->lock);
}

static int64_t rec_ms(const struct audio_channel *ch)
{
    /* rec.granule outlives audio_rec_close: the length of the file so far */
    return ch->rec.granule > 0 ? (ch->rec.granule - OGG_MUX_PRE_SKIP) / 48 : 0;
}

/* Ends the current source (lock held): closes listeners, fills out. */
static void end_source(struct audio_channel *ch, const char *reason, int64_t at_ms,
                       struct audio_stop *out)
{
    ogg_mux_flush(&ch->live);
    if (ch->is_rec_open)
        ogg_mux_flush(&ch->rec);
    memset(out, 0, sizeof *out);
    out->is_pending = true;
    out->who = ch->who;
    out->reason = reason;
    out->at_ms = at_ms;
    out->offset_ms = rec_ms(ch);
    ch->is_live = false;
    ch->last_end_ms = at_ms;
    if (strcmp(reason, "taken_over") != 0) {
        for (struct audio_listener *l = ch->listeners; l; l = l->next)
            l->is_closing = true;
        wake_listeners(ch);
        release_idle(ch);
    }
}

/* A source silent for AUDIO_LOST_MS is ended as lost (lock held). */
static void check_lost(struct audio_channel *ch)
{
    if (ch->is_live && clock_mono_ms() - ch->last_packet_mono > AUDIO_LOST_MS) {
        int64_t at = clock_now_ms() - (clock_mono_ms() - ch->last_packet_mono);
        end_source(ch, "lost", at, &ch->pending_stop);
    }
}

enum audio_rc audio_source_start(struct audio_channel *ch, const char *source_id,
                                 const struct audio_who *who, bool take_over,
                                 struct audio_start *out, struct audio_who *busy)
{
    memset(out, 0, sizeof *out);
    audio_lock(ch);
    check_lost(ch);
    if (ch->is_live && !strcmp(ch->source_id, source_id)) {
        out->offset_ms = ch->start_offset_ms;
        audio_unlock(ch);
        return AUDIO_OK;
    }
    if (ch->is_live && !take_over) {
        *busy = ch->who;
        audio_unlock(ch);
        return AUDIO_BUSY;
    }
    int64_t now = clock_now_ms();
    if (ch->is_live)
        end_source(ch, "taken_over", now, &out->ended);
    else if (ch->pending_stop.is_pending) {
        out->ended = ch->pending_stop; /* the caller logs it before the start */
        ch->pending_stop.is_pending = false;
    }
    if (!ch->is_live_open) {
        if (ogg_mux_begin(&ch->live, (int)(now & 0x7fffffff), NULL, on_live_page, ch)) {
            audio_unlock(ch);
            return AUDIO_FAILED;
        }
        ch->is_live_open = true;
        ch->is_live_headed = true;
    }
    if (audio_rec_open(ch)) {
        audio_unlock(ch);
        return AUDIO_FAILED;
    }
    if (ch->last_end_ms > 0 && now > ch->last_end_ms)
        out->gap_ms = audio_rec_fill(ch, (now - ch->last_end_ms) * 48) / 48;
    snprintf(ch->source_id, sizeof ch->source_id, "%s", source_id);
    ch->who = *who;
    ch->is_live = true;
    ch->has_first = false;
    ch->next_seq = 0;
    ch->next_samples = 0;
    ch->last_packet_mono = clock_mono_ms();
    ch->start_offset_ms = out->offset_ms = rec_ms(ch);
    audio_unlock(ch);
    return AUDIO_OK;
}

enum audio_rc audio_source_stop(struct audio_channel *ch, const char *source_id,
                                struct audio_stop *out)
{
    memset(out, 0, sizeof *out);
    audio_lock(ch);
    if (!ch->is_live || strcmp(ch->source_id, source_id)) {
        audio_unlock(ch);
        return AUDIO_NOT_SOURCE;
    }
    end_source(ch, "stopped", clock_now_ms(), out);
    audio_unlock(ch);
    return AUDIO_OK;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Checks a whole batch; the rc for the first fault, AUDIO_OK when all is well. */
static enum audio_rc check_batch(const unsigned char *b, size_t len)
{
    if (len < 4 || memcmp(b, AUDIO_BATCH_MAGIC, 4))
        return AUDIO_MALFORMED;
    size_t i = 4;
    int n = 0;
    while (i < len) {
        if (len - i < AUDIO_PACKET_HEAD || ++n > AUDIO_BATCH_MAX)
            return AUDIO_MALFORMED;
        size_t plen = (size_t)b[i + 12] << 8 | b[i + 13];
        i += AUDIO_PACKET_HEAD;
        if (plen > OPUS_PACKET_MAX)
            return AUDIO_TOO_LARGE;
        if (plen > len - i || opus_packet_samples(b + i, plen) < 0)
            return AUDIO_MALFORMED;
        i += plen;
    }
    return AUDIO_OK;
}

enum audio_rc audio_ingest(struct audio_channel *ch, const char *source_id,
                           const unsigned char *b, size_t len, uint32_t *next_seq)
{
    enum audio_rc rc = check_batch(b, len);
    if (rc)
        return rc;
    audio_lock(ch);
    check_lost(ch);
    if (!ch->is_live || strcmp(ch->source_id, source_id)) {
        audio_unlock(ch);
        return AUDIO_NOT_SOURCE;
    }
    ch->last_packet_mono = clock_mono_ms();
    for (size_t i = 4; i < len;) {
        uint32_t seq = get_u32(b + i);
        uint64_t ts_us = (uint64_t)get_u32(b + i + 4) << 32 | get_u32(b + i + 8);
        size_t plen = (size_t)b[i + 12] << 8 | b[i + 13];
        const unsigned char *p = b + i + AUDIO_PACKET_HEAD;
        i += AUDIO_PACKET_HEAD + plen;
        int samples = opus_packet_samples(p, plen);
        if (seq < ch->next_seq) {
            ch->duplicates++;
            continue;
        }
        int64_t at = (int64_t)(ts_us * 48 / 1000);
        if (!ch->has_first) { /* a source may resume its own numbering */
            ch->has_first = true;
            ch->next_seq = seq;
            ch->next_samples = at;
        }
        if (seq > ch->next_seq && at > ch->next_samples) /* the source lost these */
            ch->filled_gap_ms += audio_rec_fill(ch, at - ch->next_samples) / 48;
        ogg_mux_packet(&ch->live, p, plen, samples);
        audio_rec_packet(ch, p, plen, samples);
        ch->next_seq = seq + 1;
        ch->next_samples = (at > ch->next_samples ? at : ch->next_samples) + samples;
        ch->packets++;
    }
    /* One page per batch keeps the added delay at the batch interval. */
    ogg_mux_flush(&ch->live);
    audio_rec_sync(ch);
    *next_seq = ch->next_seq;
    wake_listeners(ch);
    audio_unlock(ch);
    return AUDIO_OK;
}

bool audio_take_pending_stop(struct audio_channel *ch, struct audio_stop *out)
{
    audio_lock(ch);
    check_lost(ch);
    bool has = ch->pending_stop.is_pending;
    if (has) {
        *out = ch->pending_stop;
        ch->pending_stop.is_pending = false;
    }
    audio_unlock(ch);
    return has;
}

void audio_get_status(struct audio_channel *ch, struct audio_status *out)
{
    memset(out, 0, sizeof *out);
    audio_lock(ch);
    check_lost(ch);
    out->is_live = ch->is_live;
    if (ch->is_live)
        out->who = ch->who;
    for (struct audio_listener *l = ch->listeners; l; l = l->next)
        out->listeners++;
    out->live_ms = ch->is_live_open ? (ch->live.granule - OGG_MUX_PRE_SKIP) / 48 : 0;
    out->recorded_ms = rec_ms(ch);
    out->filled_gap_ms = ch->filled_gap_ms;
    out->packets = ch->packets;
    out->duplicates = ch->duplicates;
    audio_unlock(ch);
}

void audio_reap(void)
{
    pthread_mutex_lock(&reg_lock);
    for (struct audio_channel *ch = channels; ch; ch = ch->next) {
        audio_lock(ch);
        check_lost(ch);
        audio_unlock(ch);
    }
    pthread_mutex_unlock(&reg_lock);
}

void audio_close_all_listeners(void)
{
    pthread_mutex_lock(&reg_lock);
    for (struct audio_channel *ch = channels; ch; ch = ch->next) {
        audio_lock(ch);
        for (struct audio_listener *l = ch->listeners; l; l = l->next)
            l->is_closing = true;
        wake_listeners(ch);
        audio_unlock(ch);
    }
    pthread_mutex_unlock(&reg_lock);
}

/* ---- listeners ---- */

enum audio_rc audio_listen(struct audio_channel *ch, struct audio_listener *l)
{
    audio_lock(ch);
    check_lost(ch);
    if (!ch->is_live) {
        audio_unlock(ch);
        return AUDIO_NOT_SOURCE;
    }
    l->prev = NULL;
    l->next = ch->listeners;
    if (ch->listeners)
        ch->listeners->prev = l;
    ch->listeners = l;
    l->next_no = -1;
    audio_unlock(ch);
    return AUDIO_OK;
}

void audio_unlisten(struct audio_channel *ch, struct audio_listener *l)
{
    audio_lock(ch);
    if (l->prev)
        l->prev->next = l->next;
    else if (ch->listeners == l)
        ch->listeners = l->next;
    if (l->next)
        l->next->prev = l->prev;
    l->prev = l->next = NULL;
    audio_page_unref(l->page);
    l->page = NULL;
    audio_unlock(ch);
}

/* Places l on a page boundary near the live edge: the newest pages of the
 * last second or so, none older than the current source. Lock held. */
static int64_t live_edge(struct audio_channel *ch)
{
    int64_t oldest = oldest_no(ch);
    int64_t no = ch->head_no;
    int64_t now = clock_mono_ms();
    while (no > oldest && ch->head_no - no < 2 && now - ch->ring[(no - 1) % AUDIO_RING]->at_ms < 1500)
        no--;
    return no;
}

long audio_listener_copy_locked(struct audio_channel *ch, struct audio_listener *l, char *buf,
                                size_t max)
{
    size_t out = 0;
    while (out < max) {
        if (l->head_off < ch->heads_len) {
            size_t n = ch->heads_len - l->head_off;
            n = n < max - out ? n : max - out;
            memcpy(buf + out, ch->heads + l->head_off, n);
            l->head_off += n;
            out += n;
            continue;
        }
        if (l->page) {
            size_t n = l->page->len - l->page_off;
            n = n < max - out ? n : max - out;
            memcpy(buf + out, l->page->data + l->page_off, n);
            l->page_off += n;
            out += n;
            if (l->page_off == l->page->len) {
                audio_page_unref(l->page);
                l->page = NULL;
            }
            continue;
        }
        if (l->next_no < 0)
            l->next_no = live_edge(ch);
        int64_t oldest = oldest_no(ch);
        if (l->next_no < oldest ||
            (l->next_no < ch->head_no &&
             ch->ring[(ch->head_no - 1) % AUDIO_RING]->at_ms -
                     ch->ring[l->next_no % AUDIO_RING]->at_ms > AUDIO_BEHIND_MS)) {
            int64_t to = live_edge(ch);
            l->skipped += (uint64_t)(to - l->next_no);
            l->next_no = to;
        }
        if (l->next_no >= ch->head_no)
            break;
        l->page = page_ref(ch->ring[l->next_no % AUDIO_RING]);
        l->page_off = 0;
        l->next_no++;
    }
    if (!out && l->is_closing)
        return -1;
    return (long)out;
}
