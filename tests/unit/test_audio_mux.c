/* test_audio_mux.c — Opus packet framing, the Ogg Opus muxer (read back with
 * libogg: headers, granules, page continuity) and the channel: duplicates
 * dropped, a source's lost packets filled with silence in the recording only,
 * one source at a time, listeners placed on page boundaries and moved
 * forward when far behind, a restarted channel continuing its file. */
#include "testutil.h"

#include <ogg/ogg.h>

#include "media/audio_channel.h"
#include "media/audio_impl.h"
#include "media/ogg_mux.h"
#include "media/opus_packet.h"

static void test_packet_samples(void **state)
{
    const unsigned char celt20[] = {0xF8, 1, 2, 3};  /* CELT FB 20 ms, code 0 */
    const unsigned char silk60[] = {0x18, 1};        /* SILK 60 ms */
    const unsigned char two[] = {0xF9, 1, 2, 3, 4};  /* code 1: two equal frames */
    const unsigned char odd[] = {0xF9, 1, 2, 3};     /* code 1 with odd payload */
    const unsigned char c2bad[] = {0xFA, 200, 1};    /* code 2: first frame beyond end */
    const unsigned char c3[] = {0xFB, 0x03, 0, 0, 0};        /* code 3, 3 CBR frames of 0 */
    const unsigned char c3long[] = {0xFB, 0x07};             /* 7 × 20 ms > 120 ms */
    const unsigned char c3pad[] = {0xFB, 0x41, 200};         /* padding beyond end */
    assert_int_equal(opus_packet_samples(celt20, sizeof celt20), 960);
    assert_int_equal(opus_packet_samples(silk60, sizeof silk60), 2880);
    assert_int_equal(opus_packet_samples(two, sizeof two), 1920);
    assert_int_equal(opus_packet_samples(odd, sizeof odd), -1);
    assert_int_equal(opus_packet_samples(c2bad, sizeof c2bad), -1);
    assert_int_equal(opus_packet_samples(c3, sizeof c3), 2880);
    assert_int_equal(opus_packet_samples(c3long, sizeof c3long), -1);
    assert_int_equal(opus_packet_samples(c3pad, sizeof c3pad), -1);
    assert_int_equal(opus_packet_samples(celt20, 0), -1);
    assert_int_equal(opus_packet_samples(opus_packet_silence, 1), OPUS_SILENCE_SAMPLES);
}

struct sink {
    unsigned char buf[1 << 20];
    size_t len;
    int pages;
};

static void on_page(void *ctx, const unsigned char *d, size_t n, int64_t g)
{
    struct sink *s = ctx;
    assert_true(s->len + n <= sizeof s->buf);
    memcpy(s->buf + s->len, d, n);
    s->len += n;
    s->pages++;
}

/* Reads back every packet of buf: returns their count; checks page numbers
 * are consecutive and granules grow; *last_granule gets the final one. */
static int read_back(const unsigned char *buf, size_t len, int64_t *last_granule, bool *has_head)
{
    ogg_sync_state oy;
    ogg_stream_state os;
    ogg_sync_init(&oy);
    char *b = ogg_sync_buffer(&oy, (long)len);
    memcpy(b, buf, len);
    ogg_sync_wrote(&oy, (long)len);
    ogg_page pg;
    ogg_packet op;
    int packets = 0, is_init = 0;
    long pageno = -1;
    int64_t g = -1;
    while (ogg_sync_pageout(&oy, &pg) == 1) {
        if (!is_init) {
            ogg_stream_init(&os, ogg_page_serialno(&pg));
            is_init = 1;
        }
        if (pageno >= 0)
            assert_int_equal(ogg_page_pageno(&pg), pageno + 1);
        pageno = ogg_page_pageno(&pg);
        if (ogg_page_granulepos(&pg) >= 0) {
            assert_true(ogg_page_granulepos(&pg) >= g);
            g = ogg_page_granulepos(&pg);
        }
        assert_int_equal(ogg_stream_pagein(&os, &pg), 0);
        while (ogg_stream_packetout(&os, &op) == 1) {
            if (packets == 0)
                *has_head = op.bytes == 19 && !memcmp(op.packet, "OpusHead", 8) && op.b_o_s;
            if (packets == 1)
                assert_memory_equal(op.packet, "OpusTags", 8);
            packets++;
        }
    }
    if (is_init)
        ogg_stream_clear(&os);
    ogg_sync_clear(&oy);
    *last_granule = g;
    return packets;
}

static void test_mux_roundtrip(void **state)
{
    static struct sink s;
    memset(&s, 0, sizeof s);
    struct ogg_mux m;
    const char *comments[] = {"TITLE=t", NULL};
    assert_int_equal(ogg_mux_begin(&m, 1234, comments, on_page, &s), 0);
    assert_int_equal(s.pages, 2); /* OpusHead and OpusTags each on their own page */
    const unsigned char pkt[] = {0xF8, 9, 9, 9, 9, 9};
    for (int i = 0; i < 100; i++) {
        assert_int_equal(ogg_mux_packet(&m, pkt, sizeof pkt, 960), 0);
        if (i % 25 == 24)
            ogg_mux_flush(&m);
    }
    assert_int_equal(ogg_mux_packet(&m, pkt, 0, 960), -1);
    ogg_mux_end(&m);
    int64_t g;
    bool has_head = false;
    assert_int_equal(read_back(s.buf, s.len, &g, &has_head), 102);
    assert_true(has_head);
    assert_int_equal(g, OGG_MUX_PRE_SKIP + 100 * 960);
    assert_int_equal(s.pages, 2 + 4);
}

/* A batch: magic, then (seq, ts_us, len, data) per packet, big-endian. */
static size_t batch(unsigned char *out, uint32_t seq0, int n, uint64_t ts0_us, size_t plen)
{
    memcpy(out, AUDIO_BATCH_MAGIC, 4);
    size_t i = 4;
    for (int k = 0; k < n; k++) {
        uint32_t seq = seq0 + (uint32_t)k;
        uint64_t ts = ts0_us + (uint64_t)k * 20000;
        for (int b = 0; b < 4; b++)
            out[i++] = (unsigned char)(seq >> (24 - 8 * b));
        for (int b = 0; b < 8; b++)
            out[i++] = (unsigned char)(ts >> (56 - 8 * b));
        out[i++] = (unsigned char)(plen >> 8);
        out[i++] = (unsigned char)plen;
        out[i++] = 0xF8;
        memset(out + i, 7, plen - 1);
        i += plen - 1;
    }
    return i;
}

static int64_t file_granule(const char *path, int *packets)
{
    static unsigned char buf[1 << 20];
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int64_t g;
    bool has_head = false;
    *packets = read_back(buf, n, &g, &has_head);
    assert_true(has_head);
    return g;
}

static void noop_wake(struct audio_listener *l)
{
    (void)l;
}

static void test_channel(void **state)
{
    char *dir = testutil_tmpdir();
    struct audio_channel *ch = audio_channel_get(dir, "m1", true);
    assert_non_null(ch);
    struct audio_who a = {"u1", "Operator A"}, b = {"u2", "Operator B"}, busy;
    struct audio_start st;
    assert_int_equal(audio_source_start(ch, "source-aaaaaaaaaaaa", &a, false, &st, &busy), AUDIO_OK);
    assert_int_equal(st.offset_ms, 0);
    /* A second source is refused, naming who broadcasts. */
    assert_int_equal(audio_source_start(ch, "source-bbbbbbbbbbbb", &b, false, &st, &busy),
                     AUDIO_BUSY);
    assert_string_equal(busy.name, "Operator A");

    struct audio_listener early = {.wake = noop_wake};
    assert_int_equal(audio_listen(ch, &early), AUDIO_OK);

    static unsigned char body[64 * 1024];
    uint32_t next = 0;
    size_t n = batch(body, 0, 50, 0, 40);
    assert_int_equal(audio_ingest(ch, "source-aaaaaaaaaaaa", body, n, &next), AUDIO_OK);
    assert_int_equal(next, 50);
    /* A resend of the same batch changes nothing. */
    assert_int_equal(audio_ingest(ch, "source-aaaaaaaaaaaa", body, n, &next), AUDIO_OK);
    assert_int_equal(next, 50);
    /* The wrong source, a bad magic, a bad packet, an oversized one. */
    assert_int_equal(audio_ingest(ch, "source-bbbbbbbbbbbb", body, n, &next), AUDIO_NOT_SOURCE);
    body[0] = 'X';
    assert_int_equal(audio_ingest(ch, "source-aaaaaaaaaaaa", body, n, &next), AUDIO_MALFORMED);
    n = batch(body, 50, 1, 50 * 20000, 4);
    body[4 + 14] = 0xF9; /* code 1 with an odd payload */
    assert_int_equal(audio_ingest(ch, "source-aaaaaaaaaaaa", body, n, &next), AUDIO_MALFORMED);
    n = batch(body, 50, 1, 50 * 20000, OPUS_PACKET_MAX + 1);
    assert_int_equal(audio_ingest(ch, "source-aaaaaaaaaaaa", body, n, &next), AUDIO_TOO_LARGE);
    n = batch(body, 50, 1, 50 * 20000, 40);
    assert_int_equal(audio_ingest(ch, "source-aaaaaaaaaaaa", body, n - 3, &next), AUDIO_MALFORMED);
    /* Packets 51..99 lost by the source: 1 s of silence in the recording only. */
    n = batch(body, 100, 50, 100 * 20000, 40);
    assert_int_equal(audio_ingest(ch, "source-aaaaaaaaaaaa", body, n, &next), AUDIO_OK);
    assert_int_equal(next, 150);

    struct audio_status s;
    audio_get_status(ch, &s);
    assert_int_equal(s.live_ms, 2000);     /* 100 packets of 20 ms, no gap */
    assert_int_equal(s.recorded_ms, 3000); /* and the 1 s the source lost */
    assert_int_equal(s.filled_gap_ms, 1000);
    assert_int_equal(s.duplicates, 50);
    assert_int_equal(s.listeners, 1);

    /* The early listener gets the headers first, then whole pages. */
    static char out[1 << 16];
    audio_lock(ch);
    long got = audio_listener_copy_locked(ch, &early, out, sizeof out);
    audio_unlock(ch);
    assert_true(got > 0);
    assert_memory_equal(out, "OggS", 4);
    assert_memory_equal(out + 28, "OpusHead", 8);
    audio_lock(ch);
    long more = audio_listener_copy_locked(ch, &early, out, sizeof out);
    audio_unlock(ch);
    assert_int_equal(more, 0); /* caught up: the reader would suspend */

    /* Take-over, then a clean stop ends the listeners' streams. */
    assert_int_equal(audio_source_start(ch, "source-bbbbbbbbbbbb", &b, true, &st, &busy), AUDIO_OK);
    assert_true(st.ended.is_pending);
    assert_string_equal(st.ended.reason, "taken_over");
    struct audio_stop stop;
    assert_int_equal(audio_source_stop(ch, "source-aaaaaaaaaaaa", &stop), AUDIO_NOT_SOURCE);
    assert_int_equal(audio_source_stop(ch, "source-bbbbbbbbbbbb", &stop), AUDIO_OK);
    assert_string_equal(stop.reason, "stopped");
    audio_lock(ch);
    assert_int_equal(audio_listener_copy_locked(ch, &early, out, sizeof out), -1);
    audio_unlock(ch);
    audio_unlisten(ch, &early);
    assert_int_equal(audio_listen(ch, &early), AUDIO_NOT_SOURCE);

    char path[700];
    assert_true(audio_recording_path(dir, "m1", path, sizeof path));
    int packets;
    int64_t g = file_granule(path, &packets);
    assert_int_equal(g, OGG_MUX_PRE_SKIP + 150 * 960);
    assert_int_equal(packets, 2 + 100 + 50);

    /* Between broadcasts the file is closed; the next source continues the
     * same stream (page numbers and granules go on, checked by read_back),
     * after silence for the time in between. */
    usleep(100 * 1000);
    assert_int_equal(audio_source_start(ch, "source-cccccccccccc", &a, false, &st, &busy), AUDIO_OK);
    assert_true(st.gap_ms >= 80 && st.gap_ms < 2000);
    assert_int_equal(st.offset_ms, 3000 + st.gap_ms / 20 * 20); /* the gap in whole 20 ms packets */
    n = batch(body, 7, 10, 7 * 20000, 40); /* a source may start at any seq */
    assert_int_equal(audio_ingest(ch, "source-cccccccccccc", body, n, &next), AUDIO_OK);
    assert_int_equal(next, 17);
    assert_int_equal(audio_source_stop(ch, "source-cccccccccccc", &stop), AUDIO_OK);
    int64_t g2 = file_granule(path, &packets);
    int64_t gap_samples = st.gap_ms * 48;
    assert_int_equal(g2, g + gap_samples + 10 * 960);
    assert_int_equal(packets, 2 + 150 + (int)(gap_samples / 960) + 10);
    audio_get_status(ch, &s);
    assert_int_equal(s.recorded_ms, (g2 - OGG_MUX_PRE_SKIP) / 48);
    audio_channel_put(ch);
    testutil_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packet_samples),
        cmocka_unit_test(test_mux_roundtrip),
        cmocka_unit_test(test_channel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
