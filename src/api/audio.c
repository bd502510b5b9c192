/* audio.c — the meeting's live audio (docs/audio.md): the operator's browser
 * starts a source and posts packet batches; anyone who may see the live view
 * listens; staff (and, for public meetings, everyone) download the recording.
 * The channel itself is media/audio_channel.h; this file checks who may do
 * what and writes audio.started / audio.stopped into the meeting's log. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/app.h"
#include "api/audio_index.h"
#include "api/handlers.h"
#include "api/meeting_ctx.h"
#include "http/range.h"
#include "log/eventlog.h"
#include "media/audio_channel.h"
#include "store/db.h"


static const char *data_dir(struct req *rq)
{
    return ((struct app *)req_app(rq))->data_dir;
}

/* Appends audio.stopped for an end noticed earlier (lost, taken over). */
static void log_stop(struct req *rq, const char *meeting_id, const struct audio_stop *s)
{
    json_t *j = json_pack("{s:s, s:I, s:I}", "reason", s->reason, "offset_ms",
                          (json_int_t)s->offset_ms, "at_ms", (json_int_t)s->at_ms);
    if (j)
        log_append_one(req_db(rq), req_hub(rq), meeting_id,
                       s->who.user_id[0] ? s->who.user_id : "system", "audio.stopped", j,
                       EVENT_PUBLIC, NULL);
    json_decref(j);
}

static void log_pending(struct req *rq, struct audio_channel *ch, const char *meeting_id)
{
    struct audio_stop s;
    if (audio_take_pending_stop(ch, &s))
        log_stop(rq, meeting_id, &s);
}

/* Loads the meeting for its operators; the source id from ?source= or body. */
static int load_operator(struct req *rq, struct meeting_ctx *c)
{
    if (meeting_ctx_load(rq, c, false) < 0)
        return -1;
    if (!c->can_conduct) {
        reply_error(rq, ERR_FORBIDDEN, NULL);
        return -1;
    }
    if (strcmp(c->m.status, "convened") && strcmp(c->m.status, "in_progress")) {
        reply_error(rq, strcmp(c->m.status, "draft") ? ERR_MEETING_CLOSED : ERR_MEETING_NOT_READY,
                    NULL);
        return -1;
    }
    return 0;
}

static bool is_source_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 16 || n > AUDIO_SOURCE_ID_MAX)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static void reply_busy(struct req *rq, const struct audio_who *who)
{
    const struct api_err_info *info = api_err_info(ERR_AUDIO_BUSY);
    reply_json(rq, 409,
               json_pack("{s:{s:s, s:s, s:{s:s, s:s}}}", "error", "code", info->code, "message",
                         req_prefers_polish(rq) ? info->message_pl : info->message_en,
                         "broadcaster", "user_id", who->user_id, "name", who->name));
}

void api_audio_source_start(struct req *rq)
{
    struct meeting_ctx c;
    const char *source_id = NULL;
    bool take_over = false;
    const struct jfield spec[] = {
        {"source_id", JF_STRING, true, 16, AUDIO_SOURCE_ID_MAX, &source_id, NULL},
        {"take_over", JF_BOOL, false, 0, 0, &take_over, NULL},
        {NULL},
    };
    if (load_operator(rq, &c) < 0 || req_parse_json(rq, spec) < 0)
        return;
    if (!is_source_id(source_id)) {
        reply_error(rq, ERR_BAD_PARAMETER, "source_id");
        return;
    }
    struct audio_channel *ch = audio_channel_get(data_dir(rq), c.m.id, true);
    if (!ch) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    struct audio_who who, busy;
    memset(&who, 0, sizeof who);
    snprintf(who.user_id, sizeof who.user_id, "%s", c.p.user.id);
    snprintf(who.name, sizeof who.name, "%s", c.p.user.name);
    struct audio_start st;
    log_pending(rq, ch, c.m.id);
    enum audio_rc rc = audio_source_start(ch, source_id, &who, take_over, &st, &busy);
    audio_channel_put(ch);
    if (rc == AUDIO_BUSY) {
        reply_busy(rq, &busy);
        return;
    }
    if (rc) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    if (st.ended.is_pending)
        log_stop(rq, c.m.id, &st.ended);
    json_t *j = json_pack("{s:I, s:I}", "offset_ms", (json_int_t)st.offset_ms, "gap_ms",
                          (json_int_t)st.gap_ms);
    int64_t seq = 0;
    int lrc = j ? log_append_one(req_db(rq), req_hub(rq), c.m.id, c.p.user.id, "audio.started",
                                 j, EVENT_PUBLIC, &seq)
                : -1;
    if (lrc) {
        json_decref(j);
        reply_obr_error(rq, lrc);
        return;
    }
    reply_json(rq, 201, j);
}

void api_audio_source_stop(struct req *rq)
{
    struct meeting_ctx c;
    const char *source_id = NULL;
    const struct jfield spec[] = {
        {"source_id", JF_STRING, true, 16, AUDIO_SOURCE_ID_MAX, &source_id, NULL},
        {NULL},
    };
    if (meeting_ctx_load(rq, &c, false) < 0 || req_parse_json(rq, spec) < 0)
        return;
    if (!c.can_conduct) {
        reply_error(rq, ERR_FORBIDDEN, NULL);
        return;
    }
    struct audio_channel *ch = audio_channel_get(data_dir(rq), c.m.id, false);
    struct audio_stop s;
    enum audio_rc rc = ch ? audio_source_stop(ch, source_id, &s) : AUDIO_NOT_SOURCE;
    audio_channel_put(ch);
    if (rc) {
        reply_error(rq, ERR_AUDIO_NOT_SOURCE, NULL);
        return;
    }
    log_stop(rq, c.m.id, &s);
    reply_json(rq, 200, json_pack("{s:I}", "offset_ms", (json_int_t)s.offset_ms));
}

void api_audio_packets(struct req *rq)
{
    struct meeting_ctx c;
    if (load_operator(rq, &c) < 0)
        return;
    const char *ct = req_header(rq, "Content-Type");
    if (!ct || strncmp(ct, "application/octet-stream", 24)) {
        reply_error(rq, ERR_UNSUPPORTED_MEDIA_TYPE, NULL);
        return;
    }
    const char *source_id = req_query(rq, "source");
    if (!is_source_id(source_id)) {
        reply_error(rq, ERR_BAD_PARAMETER, "source");
        return;
    }
    struct audio_channel *ch = audio_channel_get(data_dir(rq), c.m.id, false);
    if (!ch) {
        reply_error(rq, ERR_AUDIO_NOT_SOURCE, NULL);
        return;
    }
    size_t len = 0;
    const char *body = req_body(rq, &len);
    uint32_t next = 0;
    enum audio_rc rc = audio_ingest(ch, source_id, (const unsigned char *)body, len, &next);
    audio_channel_put(ch);
    switch (rc) {
    case AUDIO_OK:
        reply_json(rq, 200, json_pack("{s:I}", "next_seq", (json_int_t)next));
        return;
    case AUDIO_TOO_LARGE:
        reply_error(rq, ERR_AUDIO_PACKET_TOO_LARGE, NULL);
        return;
    case AUDIO_MALFORMED:
        reply_error(rq, ERR_AUDIO_PACKET, NULL);
        return;
    case AUDIO_NOT_SOURCE:
        reply_error(rq, ERR_AUDIO_NOT_SOURCE, NULL);
        return;
    default:
        reply_error(rq, ERR_UNAVAILABLE, NULL);
    }
}

void api_audio_listen(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, true) < 0)
        return;
    struct audio_channel *ch = audio_channel_get(data_dir(rq), c.m.id, false);
    if (!ch) {
        reply_error(rq, ERR_AUDIO_NOT_LIVE, NULL);
        return;
    }
    reply_audio(rq, ch);
}

void api_audio_status(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, true) < 0)
        return;
    struct audio_channel *ch = audio_channel_get(data_dir(rq), c.m.id, false);
    struct audio_status s = {0};
    if (ch) {
        log_pending(rq, ch, c.m.id);
        audio_get_status(ch, &s);
        audio_channel_put(ch);
    }
    char path[700];
    bool has_rec = audio_recording_path(data_dir(rq), c.m.id, path, sizeof path);
    json_t *j = json_pack("{s:b, s:I, s:I, s:b, s:b}", "is_live", s.is_live, "live_ms",
                          (json_int_t)s.live_ms, "recorded_ms", (json_int_t)s.recorded_ms,
                          "has_recording", has_rec,
                          "can_download", has_rec && (c.m.is_public || c.can_prepare ||
                                                      c.can_conduct));
    if (j && (c.can_conduct || c.can_prepare)) {
        json_object_set_new(j, "listeners", json_integer(s.listeners));
        json_object_set_new(j, "filled_gap_ms", json_integer(s.filled_gap_ms));
        json_object_set_new(j, "packets", json_integer((json_int_t)s.packets));
        json_object_set_new(j, "duplicates", json_integer((json_int_t)s.duplicates));
        if (s.is_live)
            json_object_set_new(j, "broadcaster", json_pack("{s:s, s:s}", "user_id",
                                                            s.who.user_id, "name", s.who.name));
    }
    reply_json(rq, 200, j);
}

/* Staff may always download; everyone else only a public meeting's. */
static int load_recording(struct req *rq, struct meeting_ctx *c, char *path, size_t size)
{
    if (meeting_ctx_load(rq, c, true) < 0)
        return -1;
    if (!c->m.is_public && !c->can_prepare && !c->can_conduct) {
        reply_error(rq, ERR_FORBIDDEN, NULL);
        return -1;
    }
    if (!audio_recording_path(data_dir(rq), c->m.id, path, size)) {
        reply_error(rq, ERR_AUDIO_NO_RECORDING, NULL);
        return -1;
    }
    return 0;
}

void api_audio_recording(struct req *rq)
{
    struct meeting_ctx c;
    char path[700];
    if (load_recording(rq, &c, path, sizeof path) < 0)
        return;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb)) {
        if (fd >= 0)
            close(fd);
        reply_error(rq, ERR_AUDIO_NO_RECORDING, NULL);
        return;
    }
    char disp[128], cr[80];
    snprintf(disp, sizeof disp, "attachment; filename=\"meeting-%s.opus\"", c.m.id);
    uint64_t size = (uint64_t)sb.st_size, start = 0, len = size;
    /* A player seeks ("listen from item N") and a download resumes with a
     * Range; If-Range has no validator to match here, so it means the whole file. */
    enum http_range r = req_header(rq, "If-Range")
                            ? HTTP_RANGE_NONE
                            : http_range_parse(req_header(rq, "Range"), size, &start, &len);
    if (r == HTTP_RANGE_UNSATISFIABLE) {
        close(fd);
        snprintf(cr, sizeof cr, "bytes */%llu", (unsigned long long)size);
        reply_error(rq, ERR_RANGE_NOT_SATISFIABLE, NULL);
        reply_header(rq, "Content-Range", cr);
        return;
    }
    if (r == HTTP_RANGE_PARTIAL) {
        snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu", (unsigned long long)start,
                 (unsigned long long)(start + len - 1), (unsigned long long)size);
        reply_fd_range(rq, 206, "audio/ogg; codecs=opus", fd, start, len);
        reply_header(rq, "Content-Range", cr);
    } else {
        reply_fd(rq, 200, "audio/ogg; codecs=opus", fd, size);
    }
    reply_header(rq, "Accept-Ranges", "bytes");
    reply_header(rq, "Content-Disposition", disp);
}

/* ---- the index: where items and votes begin in the recording (audio_index.c) ---- */

void api_audio_index(struct req *rq)
{
    struct meeting_ctx c;
    char path[700];
    if (load_recording(rq, &c, path, sizeof path) < 0)
        return;
    json_t *marks = json_array(), *gaps = json_array();
    int rc = audio_index_read(req_db(rq), c.m.id, c.visibility, marks, gaps);
    if (rc) {
        json_decref(marks);
        json_decref(gaps);
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 200, json_pack("{s:o, s:o}", "marks", marks, "gaps", gaps));
}
