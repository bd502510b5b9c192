/* audio_impl.h — the inside of a channel, shared by audio_channel.c (source,
 * live ring, listeners) and audio_rec.c (the recording). Not for other modules. */
#ifndef OBR_AUDIO_IMPL_H
#define OBR_AUDIO_IMPL_H

#include <pthread.h>

#include "media/audio_channel.h"
#include "media/ogg_mux.h"

#define AUDIO_RING 64          /* live pages kept: ~30 s at one page per 0.5 s batch */
#define AUDIO_BATCH_MAGIC "OBA1"
#define AUDIO_PACKET_HEAD 14   /* seq u32, timestamp µs u64, length u16, big-endian */
#define AUDIO_BATCH_MAX 500    /* packets per batch */

struct audio_page {
    int refs;
    int64_t no;    /* page number in the live stream, from 0 */
    int64_t at_ms; /* monotonic time it was made */
    size_t len;
    unsigned char data[];
};
void audio_page_unref(struct audio_page *p);

struct audio_channel {
    struct audio_channel *next; /* registry */
    int refs;                   /* guarded by the registry lock */
    char meeting_id[32];
    char data_dir[512];
    pthread_mutex_t lock;       /* guards everything below */

    bool is_live;               /* a source is on */
    char source_id[AUDIO_SOURCE_ID_MAX + 1];
    struct audio_who who;
    bool has_first;             /* the source's first packet arrived */
    uint32_t next_seq;          /* the source's next packet */
    int64_t next_samples;       /* where, in the source's own clock, it ends (48 kHz) */
    int64_t last_packet_mono;
    int64_t last_end_ms;        /* wall clock when the last source ended; 0: none */
    int64_t start_offset_ms;
    struct audio_stop pending_stop;

    struct ogg_mux live;
    bool is_live_open, is_live_headed;
    unsigned char *heads;       /* the live stream's header pages */
    size_t heads_len;
    struct audio_page *ring[AUDIO_RING];
    int64_t head_no;            /* number of the next page */
    int64_t first_no;           /* pages below it were released (between broadcasts) */
    uint64_t live_bytes;
    struct audio_listener *listeners;

    struct ogg_mux rec;
    bool is_rec_open;
    int rec_fd;
    int64_t filled_gap_ms;
    uint64_t packets, duplicates;
};

/* audio_rec.c, all with the channel lock held. */
int audio_rec_open(struct audio_channel *ch);
void audio_rec_packet(struct audio_channel *ch, const unsigned char *p, size_t len, int samples);
/* Adds silence for samples (capped at AUDIO_GAP_FILL_MAX_MS); returns samples added. */
int64_t audio_rec_fill(struct audio_channel *ch, int64_t samples);
/* Flushes the page in progress to the file. */
void audio_rec_sync(struct audio_channel *ch);
/* Flushes and closes the file; the next audio_rec_open continues it. */
void audio_rec_close(struct audio_channel *ch);

#endif
