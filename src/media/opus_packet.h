/* opus_packet.h — what the server needs to know about one Opus packet without
 * decoding it: whether its framing is valid (RFC 6716 section 3) and how many
 * 48 kHz samples it lasts. The muxer derives granule positions from this. */
#ifndef OBR_OPUS_PACKET_H
#define OBR_OPUS_PACKET_H

#include <stddef.h>

#define OPUS_PACKET_MAX 1500 /* bytes; more is refused (413): 64 kbps × 120 ms fits easily */

/* Samples at 48 kHz the packet lasts (120 .. 5760), or -1 when its framing is
 * malformed (empty, bad frame count, lengths beyond the packet, > 120 ms). */
int opus_packet_samples(const unsigned char *p, size_t len);

/* A 20 ms packet that decodes to silence (a CELT frame of zero bytes: the
 * decoder conceals it and fades to nothing); used to fill gaps. */
extern const unsigned char opus_packet_silence[1];
#define OPUS_SILENCE_SAMPLES 960

#endif
