/* opus_packet.c — validation and duration of Opus packets (RFC 6716 §3.1–3.2).
 * Only the TOC byte and the frame-length fields are read; payloads are never
 * decoded. Every length is checked against the packet's end. */
#include "media/opus_packet.h"

const unsigned char opus_packet_silence[1] = {0xF8}; /* CELT FB 20 ms, mono, one frame */

/* Samples at 48 kHz of one frame for the TOC's configuration (Table 2). */
static int frame_samples(unsigned char toc)
{
    unsigned config = toc >> 3;
    if (config < 12) /* SILK: 10, 20, 40, 60 ms */
        return (int[]){480, 960, 1920, 2880}[config & 3];
    if (config < 16) /* hybrid: 10, 20 ms */
        return (config & 1) ? 960 : 480;
    return (int[]){120, 240, 480, 960}[config & 3]; /* CELT: 2.5 .. 20 ms */
}

/* Reads one frame length (1 or 2 bytes) at *i; -1 when beyond end. */
static int frame_len(const unsigned char *p, size_t len, size_t *i)
{
    if (*i >= len)
        return -1;
    int v = p[(*i)++];
    if (v < 252)
        return v;
    if (*i >= len)
        return -1;
    return v + 4 * p[(*i)++];
}

int opus_packet_samples(const unsigned char *p, size_t len)
{
    if (!p || len < 1 || len > OPUS_PACKET_MAX)
        return -1;
    int fs = frame_samples(p[0]);
    size_t i = 1;
    int frames;
    switch (p[0] & 3) {
    case 0:
        frames = 1;
        break;
    case 1: /* two frames of equal size */
        if ((len - 1) % 2)
            return -1;
        frames = 2;
        break;
    case 2: { /* two frames, the first's length given */
        int n = frame_len(p, len, &i);
        if (n < 0 || (size_t)n > len - i)
            return -1;
        frames = 2;
        break;
    }
    default: { /* code 3: a count byte, optional padding, CBR or VBR */
        if (len < 2)
            return -1;
        unsigned char fc = p[i++];
        frames = fc & 0x3F;
        if (frames == 0 || frames * fs > 5760)
            return -1;
        size_t pad = 0;
        if (fc & 0x40) {
            for (;;) {
                if (i >= len)
                    return -1;
                unsigned char b = p[i++];
                pad += b == 255 ? 254 : b;
                if (b != 255)
                    break;
            }
        }
        if (pad > len - i)
            return -1;
        size_t avail = len - i - pad;
        if (fc & 0x80) { /* VBR: lengths of all frames but the last */
            size_t sum = 0;
            for (int f = 0; f < frames - 1; f++) {
                int n = frame_len(p, len, &i);
                if (n < 0)
                    return -1;
                sum += (size_t)n;
            }
            if (i + pad > len || sum > len - i - pad)
                return -1;
        } else if (avail % (size_t)frames) {
            return -1;
        }
        break;
    }
    }
    if (frames * fs > 5760)
        return -1;
    return frames * fs;
}
