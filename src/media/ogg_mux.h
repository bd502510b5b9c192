/* ogg_mux.h — an Ogg Opus muxer (RFC 7845) over libogg: the two header pages
 * (OpusHead, OpusTags), then audio packets with granule positions at 48 kHz.
 * Pages come out through a callback as whole byte runs (header + body), so a
 * caller can store, ring-buffer or write them without knowing libogg. */
#ifndef OBR_OGG_MUX_H
#define OBR_OGG_MUX_H

#include <stddef.h>
#include <stdint.h>

#include <ogg/ogg.h>

#define OGG_MUX_PRE_SKIP 312 /* libopus's encoder delay at 48 kHz */

/* Receives one complete page (data = header then body) and its granule
 * position (-1 for pages where no packet ends). */
typedef void (*ogg_mux_page_fn)(void *ctx, const unsigned char *data, size_t len, int64_t granule);

struct ogg_mux {
    ogg_stream_state os;
    int64_t packetno;
    int64_t granule; /* samples (48 kHz) of audio muxed so far, pre-skip included */
    ogg_mux_page_fn page;
    void *ctx;
};

/* Starts a stream with the given serial number and emits the header pages
 * (OpusHead for mono at 48 kHz; OpusTags with vendor and the comments given,
 * each "KEY=value", NULL-terminated; comments may be NULL). 0 or -1. */
int ogg_mux_begin(struct ogg_mux *m, int serial, const char *const *comments,
                  ogg_mux_page_fn page, void *ctx);
/* Continues a stream already written (a restarted server appending to its
 * file): no headers, page numbering and granule picked up where they ended. */
int ogg_mux_resume(struct ogg_mux *m, int serial, int64_t next_pageno, int64_t granule,
                   ogg_mux_page_fn page, void *ctx);
/* Adds one packet of samples 48 kHz samples; pages are emitted as they fill. */
int ogg_mux_packet(struct ogg_mux *m, const unsigned char *data, size_t len, int samples);
/* Emits whatever is buffered as a page now (low latency: once per batch). */
void ogg_mux_flush(struct ogg_mux *m);
/* Flushes with the end-of-stream flag and frees libogg's state. */
void ogg_mux_end(struct ogg_mux *m);
/* Frees libogg's state without writing anything. */
void ogg_mux_free(struct ogg_mux *m);

#endif
