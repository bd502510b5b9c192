/* audio_stream.c — GET /api/meetings/{id}/audio as a live audio/ogg reply.
 * The connection reads the channel's pages (media/audio_channel.h) and
 * suspends when it has sent everything there is, under the channel lock, as
 * sse.c does under the topic lock: a wake-up resumes it only if suspended.
 * A listener holds one page reference and a cursor, never a queue. */
#include <stdlib.h>
#include <string.h>

#include "http/req_impl.h"
#include "media/audio_channel.h"

#define AUDIO_BLOCK 4096
#define AUDIO_TIMEOUT_S 30

struct audio_stream {
    struct audio_listener l;
    struct audio_channel *ch;
    struct MHD_Connection *conn;
    bool is_suspended; /* guarded by the channel lock */
};

static void on_wake(struct audio_listener *l)
{
    struct audio_stream *st = l->ctx;
    if (st->is_suspended) {
        st->is_suspended = false;
        MHD_resume_connection(st->conn);
    }
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct audio_stream *st = cls;
    audio_lock(st->ch);
    long n = audio_listener_copy_locked(st->ch, &st->l, buf, max);
    if (n == 0) {
        st->is_suspended = true;
        MHD_suspend_connection(st->conn);
    }
    audio_unlock(st->ch);
    return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

static void stream_free(void *cls)
{
    struct audio_stream *st = cls;
    audio_unlisten(st->ch, &st->l);
    audio_channel_put(st->ch);
    free(st);
}

void reply_audio(struct req *rq, struct audio_channel *ch)
{
    struct audio_stream *st = calloc(1, sizeof *st);
    if (!st) {
        audio_channel_put(ch);
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    st->ch = ch;
    st->conn = rq->conn;
    st->l.wake = on_wake;
    st->l.ctx = st;
    if (audio_listen(ch, &st->l) != AUDIO_OK) {
        audio_channel_put(ch);
        free(st);
        reply_error(rq, ERR_AUDIO_NOT_LIVE, NULL);
        return;
    }
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, AUDIO_BLOCK, reader, st, stream_free);
    if (!r) {
        audio_unlisten(ch, &st->l);
        audio_channel_put(ch);
        free(st);
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    rq->has_reply = true;
    rq->status = 200;
    rq->content_type = "audio/ogg; codecs=opus";
    rq->stream = r;
    MHD_set_connection_option(rq->conn, MHD_CONNECTION_OPTION_TIMEOUT, AUDIO_TIMEOUT_S);
    reply_header(rq, "Cache-Control", "no-cache, no-store");
    reply_header(rq, "X-Accel-Buffering", "no");
}
