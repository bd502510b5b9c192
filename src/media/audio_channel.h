/* audio_channel.h — one meeting's live audio: the single source allowed to
 * send, the live Ogg Opus stream (header pages plus a short ring of recent
 * pages that listeners read from), and the recording on disk. Channels live
 * in a process-wide registry, made on the first use of a meeting.
 *
 * Threads: every function may be called from any thread; a channel's state
 * is guarded by its lock. Listener wake-ups run under that lock, so a reader
 * that checks for data and suspends under it never misses one. */
#ifndef OBR_AUDIO_CHANNEL_H
#define OBR_AUDIO_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AUDIO_SOURCE_ID_MAX 64
#define AUDIO_LOST_MS 4000     /* a source silent this long has vanished */
#define AUDIO_BEHIND_MS 4000   /* a listener further behind is moved forward */
#define AUDIO_GAP_FILL_MAX_MS (3600 * 1000) /* longer gaps are filled only this far */

struct audio_channel;

enum audio_rc {
    AUDIO_OK = 0,
    AUDIO_BUSY,        /* another source broadcasts */
    AUDIO_NOT_SOURCE,  /* the caller is not (any longer) the source */
    AUDIO_MALFORMED,   /* a batch or packet is not valid */
    AUDIO_TOO_LARGE,   /* a packet is larger than OPUS_PACKET_MAX */
    AUDIO_FAILED,      /* out of memory, cannot write */
};

/* Who broadcasts, for 409 replies and the status. */
struct audio_who {
    char user_id[32];
    char name[801]; /* as struct user's NAME_SIZE */
};

/* A source's end that still has to go into the meeting's log. */
struct audio_stop {
    bool is_pending;
    struct audio_who who;
    const char *reason; /* "stopped" | "lost" | "taken_over" */
    int64_t at_ms;      /* wall clock of the end */
    int64_t offset_ms;  /* position in the recording */
};

struct audio_start {
    int64_t offset_ms; /* where this source begins in the recording */
    int64_t gap_ms;    /* silence put into the recording before it */
    struct audio_stop ended; /* the source it replaced, if any */
};

struct audio_status {
    bool is_live;
    struct audio_who who;
    unsigned listeners;
    int64_t live_ms;      /* length of the live stream so far */
    int64_t recorded_ms;  /* length of the recording so far */
    int64_t filled_gap_ms; /* silence filled inside sources' own drops */
    uint64_t packets, duplicates;
};

/* data_dir: where recordings go (data_dir/audio/<meeting>.opus). NULL when
 * the meeting has no channel and create is false. Release with audio_channel_put. */
struct audio_channel *audio_channel_get(const char *data_dir, const char *meeting_id,
                                        bool create);
void audio_channel_put(struct audio_channel *ch);
/* The recording's path (into buf); false when there is none yet. */
bool audio_recording_path(const char *data_dir, const char *meeting_id, char *buf, size_t size);

/* Makes source_id (the sending browser's random id) the source. Busy (who
 * filled) when another live source holds the channel and take_over is false.
 * Repeating a start of the current source is harmless. */
enum audio_rc audio_source_start(struct audio_channel *ch, const char *source_id,
                                 const struct audio_who *who, bool take_over,
                                 struct audio_start *out, struct audio_who *busy);
/* Ends source_id's broadcast; out is filled for the log. */
enum audio_rc audio_source_stop(struct audio_channel *ch, const char *source_id,
                                struct audio_stop *out);
/* Takes a batch (see docs/audio.md, "packet batches"): validates all of it
 * first, then muxes packets not seen before. *next_seq: the seq the source
 * should send next (its acknowledgement). */
enum audio_rc audio_ingest(struct audio_channel *ch, const char *source_id,
                           const unsigned char *body, size_t len, uint32_t *next_seq);
/* Takes the end of a source that vanished, once, for the log. */
bool audio_take_pending_stop(struct audio_channel *ch, struct audio_stop *out);
void audio_get_status(struct audio_channel *ch, struct audio_status *out);

/* ---- listeners ---- */
struct audio_page;
struct audio_listener {
    struct audio_listener *prev, *next; /* the channel's list */
    /* Called under the channel lock when data arrives or the stream ends. */
    void (*wake)(struct audio_listener *l);
    void *ctx;
    /* cursor, used under the channel lock */
    size_t head_off;         /* bytes of the header pages sent */
    struct audio_page *page; /* the page being sent (a reference) */
    size_t page_off;
    int64_t next_no;         /* the page to send after it; -1: not placed yet */
    bool is_closing;
    uint64_t skipped;        /* pages skipped to catch up */
};

/* Adds l; AUDIO_NOT_SOURCE when nothing is broadcast now. */
enum audio_rc audio_listen(struct audio_channel *ch, struct audio_listener *l);
void audio_unlisten(struct audio_channel *ch, struct audio_listener *l);
void audio_lock(struct audio_channel *ch);
void audio_unlock(struct audio_channel *ch);
/* Under the lock: copies what l may send next into buf. Returns the bytes
 * copied (0: nothing now, suspend), or -1 when the stream has ended. */
long audio_listener_copy_locked(struct audio_channel *ch, struct audio_listener *l, char *buf,
                                size_t max);
/* Ends every listener of every channel (server shutdown). */
void audio_close_all_listeners(void);
/* Ends sources silent for AUDIO_LOST_MS; called periodically. */
void audio_reap(void);

#endif
