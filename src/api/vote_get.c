/* vote_get.c — GET /api/votes/{id}. The part every viewer sees alike
 * (vote_shared_json) is serialized once per meeting-state snapshot and vote
 * and kept with the snapshot (core/meeting_state.h, struct ms_memo; up to
 * VOTE_MEMO_VOTES votes, each a plain and a gzip slot), and each request
 * adds only the viewer's own fields. Why a snapshot may stand for the
 * answer: docs/api.md, "GET /api/votes/{id}". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "api/handlers.h"
#include "api/principal_cache.h"
#include "api/vote_impl.h"
#include "store/db.h"
#include "util/ids.h"

/* meeting_state_get.c uses slots 0..5 (three viewer classes, plain and
 * gzip). Vote k of a snapshot: plain slot VOTE_SLOT0 + k, gzip slot
 * VOTE_GZ_SLOT0 + k; a vote's search starts at the hash of its id. */
#define VOTE_SLOT0 6
#define VOTE_GZ_SLOT0 (VOTE_SLOT0 + VOTE_MEMO_VOTES)
_Static_assert(VOTE_GZ_SLOT0 + VOTE_MEMO_VOTES <= MS_MEMO_SLOTS, "the vote's memo slots exist");

/* The head of a memo's bytes; then text_len bytes of JSON (the shared part)
 * and elig_len bytes of "\nID\nID\n" (the electorate, for is_eligible). A
 * gzip memo: the head (text_len: the plain length it codes, crc: of those
 * bytes), then a gzip header and the text without its closing brace,
 * deflated up to a sync flush, so that any tail can follow as a stored block. */
struct vote_memo {
    char vote_id[ID_SIZE];
    uint32_t text_len, elig_len, gz_len, crc;
    bool has_electorate, is_secret, is_election, is_confirming;
};

#define GZ_HEAD_BYTES 10
#define TAIL_MAX 4096 /* the viewer's fields and the closing brace */

static struct vote_memo head_of(const struct ms_memo *m)
{
    struct vote_memo h;
    memcpy(&h, m->bytes, sizeof h);
    return h;
}

static const char *text_of(const struct ms_memo *m)
{
    return m->bytes + sizeof(struct vote_memo);
}

/* The memo of vote_id made from st now: malloc'd, or NULL with *rc. */
static struct ms_memo *memo_make(struct db *db, const struct meeting_state *st,
                                 const char *vote_id, int *rc)
{
    struct vote v;
    /* Read after the state: the rows are at least as new as its log. */
    *rc = votes_get(db, vote_id, &v);
    if (*rc)
        return NULL;
    json_t *j = vote_shared_json(db, &v, st);
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    size_t elig = 1, i;
    json_t *e;
    json_array_foreach (v.eligible, i, e)
        elig += strlen(json_string_value(e) ?: "") + 1;
    size_t text_len = text ? strlen(text) : 0;
    struct ms_memo *m =
        text ? malloc(sizeof *m + sizeof(struct vote_memo) + text_len + elig + 1) : NULL;
    if (m) {
        struct vote_memo h = {.text_len = (uint32_t)text_len,
                              .elig_len = (uint32_t)elig,
                              .has_electorate = v.eligible != NULL,
                              .is_secret = vote_is_secret(&v),
                              .is_election = vote_is_election(&v),
                              .is_confirming = !strcmp(v.status, "confirming")};
        snprintf(h.vote_id, sizeof h.vote_id, "%s", vote_id);
        memcpy(m->bytes, &h, sizeof h);
        char *p = m->bytes + sizeof h;
        memcpy(p, text, text_len);
        p += text_len;
        *p++ = '\n';
        json_array_foreach (v.eligible, i, e) {
            const char *uid = json_string_value(e) ?: "";
            size_t n = strlen(uid);
            memcpy(p, uid, n);
            p[n] = '\n';
            p += n + 1;
        }
        *p = '\0';
        m->len = sizeof h + text_len + elig;
    }
    *rc = m ? 0 : OBR_ENOMEM;
    free(text);
    vote_clear(&v);
    return m;
}

static unsigned first_slot(const char *vote_id)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)vote_id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % VOTE_MEMO_VOTES;
}

/* The memo of vote_id for st: kept with st in the first of its slots that
 * holds it or is free (*slot: its index), else, when every slot holds
 * another vote, made for this request alone (*own, freed by the caller). */
static const struct ms_memo *memo_get(struct db *db, const struct meeting_state *st,
                                      const char *vote_id, struct ms_memo **own, int *slot,
                                      int *rc)
{
    *own = NULL;
    *slot = -1;
    *rc = 0;
    unsigned first = first_slot(vote_id);
    for (unsigned k = 0; k < VOTE_MEMO_VOTES; k++) {
        int s = VOTE_SLOT0 + (int)((first + k) % VOTE_MEMO_VOTES);
        const struct ms_memo *m = meeting_state_memo(st, s);
        if (!m) {
            struct ms_memo *made = memo_make(db, st, vote_id, rc);
            if (!made)
                return NULL;
            /* Takes made; another thread may have filled the slot meanwhile. */
            m = meeting_state_memo_put(st, s, made);
        }
        if (m && !strcmp(head_of(m).vote_id, vote_id)) {
            *slot = s;
            return m;
        }
    }
    return *own = memo_make(db, st, vote_id, rc);
}

/* The gzip memo for the text memo m (kept with st beside m when m is kept
 * in slot, else slot is -1), or NULL when gzip does not pay or fails (then
 * the answer goes plain). */
static const struct ms_memo *gz_get(const struct meeting_state *st, const struct ms_memo *m,
                                    int slot, struct ms_memo **own)
{
    struct vote_memo h = head_of(m);
    bool is_kept = slot >= 0;
    int gz_slot = is_kept ? slot - VOTE_SLOT0 + VOTE_GZ_SLOT0 : -1;
    *own = NULL;
    const struct ms_memo *g = is_kept ? meeting_state_memo(st, gz_slot) : NULL;
    if (g)
        return !strcmp(head_of(g).vote_id, h.vote_id) && head_of(g).gz_len ? g : NULL;
    size_t plain = h.text_len - 1; /* without the closing brace */
    z_stream z = {0};
    if (deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    size_t cap = GZ_HEAD_BYTES + deflateBound(&z, (uLong)plain) + 64;
    struct ms_memo *made = malloc(sizeof *made + sizeof h + cap);
    if (!made) {
        deflateEnd(&z);
        return NULL;
    }
    unsigned char *out = (unsigned char *)made->bytes + sizeof h;
    static const unsigned char gz_head[GZ_HEAD_BYTES] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    memcpy(out, gz_head, GZ_HEAD_BYTES);
    z.next_in = (Bytef *)text_of(m);
    z.avail_in = (uInt)plain;
    z.next_out = out + GZ_HEAD_BYTES;
    z.avail_out = (uInt)(cap - GZ_HEAD_BYTES);
    int zrc = deflate(&z, Z_SYNC_FLUSH);
    bool is_whole = zrc == Z_OK && z.avail_in == 0 && z.avail_out > 0;
    size_t gz_len = cap - z.avail_out;
    deflateEnd(&z);
    h.gz_len = is_whole && gz_len < h.text_len ? (uint32_t)gz_len : 0; /* 0: not worth it */
    h.text_len = (uint32_t)plain;
    h.crc = (uint32_t)crc32(0, (const Bytef *)text_of(m), (uInt)plain);
    memcpy(made->bytes, &h, sizeof h);
    made->len = sizeof h + (h.gz_len ? h.gz_len : 0);
    if (!is_kept) {
        *own = made;
        return h.gz_len ? made : NULL;
    }
    g = meeting_state_memo_put(st, gz_slot, made); /* takes made */
    return g && !strcmp(head_of(g).vote_id, h.vote_id) && head_of(g).gz_len ? g : NULL;
}

static void put32le(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The gzip of the shared text without its brace, then tail: the deflated
 * prefix, one final stored block of tail and the trailer. malloc'd. */
static char *gz_with_tail(const struct ms_memo *g, const char *tail, size_t tail_len,
                          size_t *out_len)
{
    struct vote_memo h = head_of(g);
    *out_len = h.gz_len + 5 + tail_len + 8;
    unsigned char *out = malloc(*out_len);
    if (!out)
        return NULL;
    unsigned char *p = out;
    memcpy(p, g->bytes + sizeof h, h.gz_len);
    p += h.gz_len;
    /* A stored block (BFINAL 1, BTYPE 00): byte-aligned after the sync flush. */
    *p++ = 1;
    *p++ = (unsigned char)(tail_len & 0xff);
    *p++ = (unsigned char)(tail_len >> 8);
    *p++ = (unsigned char)(~tail_len & 0xff);
    *p++ = (unsigned char)((~tail_len >> 8) & 0xff);
    memcpy(p, tail, tail_len);
    p += tail_len;
    uLong crc = crc32_combine(h.crc, crc32(0, (const Bytef *)tail, (uInt)tail_len),
                              (z_off_t)tail_len);
    put32le(p, (uint32_t)crc);
    put32le(p + 4, (uint32_t)(h.text_len + tail_len));
    return (char *)out;
}

/* The viewer's fields as the text that ends the answer: ',"k":v...}' (or
 * '}' without any). Writes at most TAIL_MAX bytes; -1 when it does not fit. */
static int viewer_tail(struct db *db, const struct ms_memo *m, const char *viewer,
                       char tail[TAIL_MAX], size_t *tail_len)
{
    struct vote_memo h = head_of(m);
    int is_eligible = -1;
    if (viewer && h.has_electorate) {
        char needle[ID_SIZE + 2];
        int n = snprintf(needle, sizeof needle, "\n%s\n", viewer);
        is_eligible = n > 0 && (size_t)n < sizeof needle &&
                      memmem(text_of(m) + h.text_len, h.elig_len, needle, (size_t)n) != NULL;
    }
    json_t *own = json_object();
    vote_viewer_fields(db, h.vote_id, h.is_secret, h.is_election, is_eligible, viewer, own);
    char *s = own && json_object_size(own) ? json_dumps(own, JSON_COMPACT) : NULL;
    json_decref(own);
    size_t n = s ? strlen(s) : 0;
    if (n >= TAIL_MAX) {
        free(s);
        return -1;
    }
    if (s) { /* '{"a":1}' follows the shared fields as ',"a":1}' */
        tail[0] = ',';
        memcpy(tail + 1, s + 1, n - 1);
        *tail_len = n;
    } else {
        tail[0] = '}';
        *tail_len = 1;
    }
    free(s);
    return 0;
}

/* Replies with the shared text of m and the viewer's tail, gzipped when the
 * client takes it and it pays. */
static void reply_spliced(struct req *rq, struct db *db, const struct meeting_state *st,
                          const struct ms_memo *m, int slot, const char *viewer)
{
    struct vote_memo h = head_of(m);
    char tail[TAIL_MAX];
    size_t tail_len = 0;
    if (h.text_len < 2 || viewer_tail(db, m, viewer, tail, &tail_len) < 0) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    size_t len = h.text_len - 1 + tail_len;
    struct ms_memo *own_gz = NULL;
    const struct ms_memo *g =
        len >= 1024 && req_accepts_gzip(rq) ? gz_get(st, m, slot, &own_gz) : NULL;
    size_t gz_len = 0;
    char *gz = g ? gz_with_tail(g, tail, tail_len, &gz_len) : NULL;
    free(own_gz);
    if (gz) {
        reply_coded(rq, 200, "application/json", "gzip", gz, gz_len);
        return;
    }
    char *body = malloc(len + 1);
    if (!body) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    memcpy(body, text_of(m), h.text_len - 1);
    memcpy(body + h.text_len - 1, tail, tail_len);
    body[len] = '\0';
    reply_coded(rq, 200, "application/json", NULL, body, len);
}

/* The whole answer made now: a vote awaiting the committee's confirmation
 * shows its pending result to some viewers (vote_add_pending). */
static void reply_fresh(struct req *rq, struct db *db, struct meeting_ctx *c,
                        const struct meeting_state *st, const char *vote_id)
{
    struct vote v;
    int rc = votes_get(db, vote_id, &v);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    json_t *j = vote_to_json(db, &v, st, c->p.is_signed_in ? c->p.user.id : NULL);
    vote_add_pending(rq, db, c, &v, j);
    vote_clear(&v);
    reply_json(rq, 200, j ? j : json_object());
}

void api_vote_get(struct req *rq)
{
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    const char *id = req_param(rq, "id");
    char meeting_id[ID_SIZE], kind[16];
    if (!id || !id_is_valid(id)) {
        reply_obr_error(rq, OBR_ENOTFOUND);
        return;
    }
    /* A vote's meeting and kind never change: kept once read. */
    if (!pcache_vote_head_get(id, meeting_id, kind)) {
        int rc = votes_head(db, id, meeting_id, kind);
        if (rc) {
            reply_obr_error(rq, rc);
            return;
        }
        pcache_vote_head_put(id, meeting_id, kind);
    }
    struct meeting_ctx c;
    if (meeting_ctx_load_id(rq, &c, meeting_id, true) < 0)
        return;
    struct meeting_state *st = NULL;
    int rc = meeting_state_load(db, &c.m, &c.b, &st);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_header(rq, "Cache-Control", "no-store");
    const char *viewer = c.p.is_signed_in ? c.p.user.id : NULL;
    struct ms_memo *own = NULL;
    int slot = -1;
    const struct ms_memo *m = memo_get(db, st, id, &own, &slot, &rc);
    if (!m)
        reply_obr_error(rq, rc ? rc : OBR_ENOMEM);
    else if (head_of(m).is_confirming && viewer)
        reply_fresh(rq, db, &c, st, id);
    else
        reply_spliced(rq, db, st, m, slot, viewer);
    free(own);
    meeting_state_free(st);
}
