/* ogg_mux.c — Ogg Opus muxing with libogg. Invariant: m->granule is the
 * granule position after the last packet submitted (pre-skip counted, as
 * RFC 7845 §4 wants), so a page's granule is that of its last whole packet. */
#include <stdlib.h>
#include <string.h>

#include "media/ogg_mux.h"

static void emit(struct ogg_mux *m, ogg_page *pg)
{
    size_t n = (size_t)pg->header_len + (size_t)pg->body_len;
    unsigned char *buf = malloc(n);
    if (!buf)
        return;
    memcpy(buf, pg->header, (size_t)pg->header_len);
    memcpy(buf + pg->header_len, pg->body, (size_t)pg->body_len);
    m->page(m->ctx, buf, n, ogg_page_granulepos(pg));
    free(buf);
}

static void drain(struct ogg_mux *m, int force)
{
    ogg_page pg;
    while (force ? ogg_stream_flush(&m->os, &pg) : ogg_stream_pageout(&m->os, &pg))
        emit(m, &pg);
}

static void put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static int submit(struct ogg_mux *m, unsigned char *data, long len, int bos, int eos,
                  int64_t granule)
{
    ogg_packet op = {.packet = data, .bytes = len, .b_o_s = bos, .e_o_s = eos,
                     .granulepos = granule, .packetno = m->packetno++};
    return ogg_stream_packetin(&m->os, &op) ? -1 : 0;
}

int ogg_mux_begin(struct ogg_mux *m, int serial, const char *const *comments,
                  ogg_mux_page_fn page, void *ctx)
{
    memset(m, 0, sizeof *m);
    if (ogg_stream_init(&m->os, serial))
        return -1;
    m->page = page;
    m->ctx = ctx;
    unsigned char head[19] = "OpusHead";
    head[8] = 1;             /* version */
    head[9] = 1;             /* channels: mono */
    head[10] = OGG_MUX_PRE_SKIP & 0xFF;
    head[11] = OGG_MUX_PRE_SKIP >> 8;
    put_le32(head + 12, 48000); /* input sample rate */
    /* output gain 0, mapping family 0: bytes 16..18 stay zero */
    if (submit(m, head, sizeof head, 1, 0, 0))
        goto fail;
    drain(m, 1); /* OpusHead alone on the first page */
    static const char vendor[] = "obrady";
    size_t n = 8 + 4 + sizeof vendor - 1 + 4;
    uint32_t count = 0;
    for (const char *const *c = comments; c && *c; c++, count++)
        n += 4 + strlen(*c);
    unsigned char *tags = malloc(n), *p = tags;
    if (!tags)
        goto fail;
    memcpy(p, "OpusTags", 8), p += 8;
    put_le32(p, sizeof vendor - 1), p += 4;
    memcpy(p, vendor, sizeof vendor - 1), p += sizeof vendor - 1;
    put_le32(p, count), p += 4;
    for (const char *const *c = comments; c && *c; c++) {
        size_t l = strlen(*c);
        put_le32(p, (uint32_t)l), p += 4;
        memcpy(p, *c, l), p += l;
    }
    int rc = submit(m, tags, (long)n, 0, 0, 0);
    free(tags);
    if (rc)
        goto fail;
    drain(m, 1); /* audio starts on a fresh page */
    m->granule = OGG_MUX_PRE_SKIP;
    return 0;
fail:
    ogg_stream_clear(&m->os);
    return -1;
}

int ogg_mux_resume(struct ogg_mux *m, int serial, int64_t next_pageno, int64_t granule,
                   ogg_mux_page_fn page, void *ctx)
{
    memset(m, 0, sizeof *m);
    if (ogg_stream_init(&m->os, serial))
        return -1;
    m->os.pageno = (long)next_pageno;
    m->os.b_o_s = 1; /* the stream began in the file already */
    m->packetno = 2;
    m->granule = granule;
    m->page = page;
    m->ctx = ctx;
    return 0;
}

int ogg_mux_packet(struct ogg_mux *m, const unsigned char *data, size_t len, int samples)
{
    if (!len || samples <= 0)
        return -1;
    m->granule += samples;
    if (submit(m, (unsigned char *)data, (long)len, 0, 0, m->granule))
        return -1;
    drain(m, 0);
    return 0;
}

void ogg_mux_flush(struct ogg_mux *m)
{
    drain(m, 1);
}

void ogg_mux_end(struct ogg_mux *m)
{
    /* An empty end-of-stream packet is not valid Opus; instead the last page
     * of audio already written stands as the end (a file cut mid-session is
     * still playable, which matters more for a recording than the EOS flag). */
    drain(m, 1);
    ogg_stream_clear(&m->os);
}

void ogg_mux_free(struct ogg_mux *m)
{
    ogg_stream_clear(&m->os);
}
