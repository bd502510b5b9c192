/* documents.c — documents of a meeting: upload, download, removal.
 * An upload is the raw file as the request body (the browser sends the File
 * with fetch; X-Filename carries its percent-encoded name). The body sink
 * streams it to DATA/files/tmp while hashing it; the handler then decides the
 * type from the content's first bytes (never from what the client declared),
 * refuses a name or declared type that disagrees, moves the file to
 * DATA/files/<sha256> (kept when already there; on PostgreSQL the bytes go
 * into the store first, store/files.h) and records the row and its
 * document.added event in one log transaction. */
#include "api/documents.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/app.h"
#include "api/auth.h"
#include "log/eventlog.h"
#include "store/db.h"
#include "store/documents.h"
#include "store/files.h"
#include "store/meetings.h"
#include "util/diag.h"
#include "util/utf8.h"

#define FILENAME_MAX_CHARS 200
#define HEAD_BYTES 4096 /* enough of the start of a file to decide its type */

/* ---- what an upload may be ---- */

enum sniffed { SNIFF_NONE, SNIFF_PDF, SNIFF_PNG, SNIFF_JPEG, SNIFF_OLE, SNIFF_RTF, SNIFF_OOXML,
               SNIFF_ODF, SNIFF_TEXT };

struct file_type {
    enum sniffed sniffed;
    const char *ext;          /* lower-case extension of the name */
    const char *content_type; /* stored and served */
    const char *declared[4];  /* other types a browser may declare for it */
};

/* Declared types are compared without parameters; "" and
 * application/octet-stream (the browser does not know) agree with any type. */
static const struct file_type TYPES[] = {
    {SNIFF_PDF, "pdf", "application/pdf", {"application/x-pdf"}},
    {SNIFF_PNG, "png", "image/png", {NULL}},
    {SNIFF_JPEG, "jpg", "image/jpeg", {"image/pjpeg"}},
    {SNIFF_JPEG, "jpeg", "image/jpeg", {"image/pjpeg"}},
    {SNIFF_OLE, "doc", "application/msword", {NULL}},
    {SNIFF_OLE, "xls", "application/vnd.ms-excel", {NULL}},
    {SNIFF_OLE, "ppt", "application/vnd.ms-powerpoint", {NULL}},
    {SNIFF_RTF, "rtf", "application/rtf", {"text/rtf", "application/msword"}},
    {SNIFF_OOXML, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     {NULL}},
    {SNIFF_OOXML, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     {NULL}},
    {SNIFF_OOXML, "pptx",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation", {NULL}},
    {SNIFF_ODF, "odt", "application/vnd.oasis.opendocument.text", {NULL}},
    {SNIFF_ODF, "ods", "application/vnd.oasis.opendocument.spreadsheet", {NULL}},
    {SNIFF_ODF, "odp", "application/vnd.oasis.opendocument.presentation", {NULL}},
    {SNIFF_TEXT, "txt", "text/plain; charset=utf-8", {NULL}},
    {SNIFF_TEXT, "csv", "text/csv; charset=utf-8", {"text/plain", "application/vnd.ms-excel"}},
};
#define N_TYPES (sizeof TYPES / sizeof TYPES[0])

/* Streaming check that a file is UTF-8 text: well-formed UTF-8 without
 * control characters other than tab, newline, form feed and carriage return
 * (binaries — an ELF, a renamed .exe — fail on their first NUL). */
struct text_check {
    bool is_text;
    int need;          /* continuation bytes still expected */
    unsigned char lo, hi; /* bounds of the next continuation byte */
};

static void text_check_feed(struct text_check *t, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n && t->is_text; i++) {
        unsigned char b = p[i];
        if (t->need) {
            if (b < t->lo || b > t->hi)
                t->is_text = false;
            t->need--;
            t->lo = 0x80;
            t->hi = 0xBF;
            continue;
        }
        t->lo = 0x80;
        t->hi = 0xBF;
        if (b < 0x80)
            t->is_text = (b >= 0x20 && b != 0x7F) || b == '\t' || b == '\n' || b == '\r' ||
                         b == '\f';
        else if (b >= 0xC2 && b <= 0xDF)
            t->need = 1;
        else if (b == 0xE0)
            t->need = 2, t->lo = 0xA0;
        else if (b == 0xED)
            t->need = 2, t->hi = 0x9F; /* no surrogates */
        else if (b >= 0xE1 && b <= 0xEF)
            t->need = 2;
        else if (b == 0xF0)
            t->need = 3, t->lo = 0x90;
        else if (b >= 0xF1 && b <= 0xF3)
            t->need = 3;
        else if (b == 0xF4)
            t->need = 3, t->hi = 0x8F;
        else
            t->is_text = false;
    }
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* For a ZIP whose first entry is the stored "mimetype" of an OpenDocument
 * file, copies that type into out and returns true. */
static bool zip_odf_mimetype(const unsigned char *h, size_t n, char *out, size_t size)
{
    if (n < 30)
        return false;
    uint32_t method = le16(h + 8), csize = le32(h + 18), name_len = le16(h + 26),
             extra_len = le16(h + 28);
    if (method != 0 || name_len != 8 || memcmp(h + 30, "mimetype", 8) || csize >= size)
        return false;
    size_t at = 30 + name_len + extra_len;
    if (at + csize > n)
        return false;
    memcpy(out, h + at, csize);
    out[csize] = '\0';
    return true;
}

/* The type of a file from its first bytes; for OpenDocument also its
 * mimetype entry (odf_type). */
static enum sniffed sniff(const unsigned char *h, size_t n, bool is_text, char *odf_type,
                          size_t odf_size)
{
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    odf_type[0] = '\0';
    if (n >= 5 && !memcmp(h, "%PDF-", 5))
        return SNIFF_PDF;
    if (n >= 8 && !memcmp(h, png, 8))
        return SNIFF_PNG;
    if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
        return SNIFF_JPEG;
    if (n >= 8 && !memcmp(h, ole, 8))
        return SNIFF_OLE;
    if (n >= 5 && !memcmp(h, "{\\rtf", 5))
        return SNIFF_RTF;
    if (n >= 4 && !memcmp(h, "PK\x03\x04", 4))
        return zip_odf_mimetype(h, n, odf_type, odf_size) ? SNIFF_ODF : SNIFF_OOXML;
    return is_text && n > 0 ? SNIFF_TEXT : SNIFF_NONE;
}

/* The lower-case extension of name ("" when none), into out. */
static void extension_of(const char *name, char *out, size_t size)
{
    const char *dot = strrchr(name, '.');
    size_t i = 0;
    if (dot)
        for (const char *p = dot + 1; *p && i + 1 < size; p++)
            out[i++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    out[i] = '\0';
}

static bool declared_agrees(const struct file_type *t, const char *declared)
{
    if (!declared)
        return true;
    size_t n = strcspn(declared, ";");
    while (n && (declared[n - 1] == ' ' || declared[n - 1] == '\t'))
        n--;
    if (n == 0 || (n == 24 && !strncasecmp(declared, "application/octet-stream", n)))
        return true;
    size_t base = strcspn(t->content_type, ";");
    if (n == base && !strncasecmp(declared, t->content_type, n))
        return true;
    for (int i = 0; i < 4 && t->declared[i]; i++)
        if (strlen(t->declared[i]) == n && !strncasecmp(declared, t->declared[i], n))
            return true;
    return false;
}

/* ---- file names ---- */

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes %XX escapes of a header value into out; false on a bad escape, a
 * NUL, or no room. */
static bool percent_decode(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '%') {
            int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
            if (lo < 0)
                return false;
            c = hi * 16 + lo;
            p += 2;
        }
        if (c == 0 || o + 1 >= size)
            return false;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return true;
}

/* Names that are safe to show and to offer for saving: UTF-8 text of 1..200
 * characters, no path separator, no control or bidirectional-override
 * character, not hidden (leading dot) and not only dots. */
static bool filename_is_safe(const char *name)
{
    size_t len = strlen(name);
    if (!len || !utf8_is_text(name, len, false) || utf8_length(name, len) > FILENAME_MAX_CHARS)
        return false;
    if (strpbrk(name, "/\\") || name[0] == '.')
        return false;
    /* U+202A..U+202E and U+2066..U+2069 reorder what the reader sees:
     * "invoice<RLO>fdp.exe" shows as "invoiceexe.pdf". In UTF-8 they are
     * E2 80 AA..AE and E2 81 A6..A9. */
    const unsigned char *u = (const unsigned char *)name;
    for (size_t i = 0; i + 2 < len; i++)
        if (u[i] == 0xE2 && ((u[i + 1] == 0x80 && u[i + 2] >= 0xAA && u[i + 2] <= 0xAE) ||
                             (u[i + 1] == 0x81 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xA9)))
            return false;
    return true;
}

/* ---- the upload's body sink ---- */

struct upload {
    int fd;
    char tmp_path[PATH_MAX];
    crypto_hash_sha256_state sha;
    uint64_t size_bytes;
    unsigned char head[HEAD_BYTES];
    size_t head_len;
    struct text_check text;
    bool is_refused;    /* the sender may not upload here: the data is dropped */
    bool has_error;
    enum api_err error; /* when has_error: answered by the handler */
};

static void upload_free(void *p)
{
    struct upload *u = p;
    if (!u)
        return;
    if (u->fd >= 0)
        close(u->fd);
    if (u->tmp_path[0])
        unlink(u->tmp_path);
    free(u);
}

static int make_dir(const char *path)
{
    return mkdir(path, 0750) && errno != EEXIST ? -1 : 0;
}

/* Whether the sender may add documents to the meeting of path "id": checked
 * before a byte is stored. The handler checks again and gives the reason. */
static bool upload_is_allowed(struct req *rq)
{
    struct principal p;
    struct meeting m;
    struct db *db = req_db(rq);
    principal_optional(rq, &p);
    return db && p.is_signed_in && !meetings_get(db, req_param(rq, "id"), &m) &&
           perm_allows(rq, &p, ACT_MEETING_PREPARE, m.org_id, m.body_id);
}

static void upload_fail(struct upload *u, enum api_err err)
{
    u->has_error = true;
    u->error = err;
}

static void upload_start(struct req *rq, struct upload *u, bool (*is_allowed)(struct req *rq))
{
    struct app *app = req_app(rq);
    char files[PATH_MAX], tmp[PATH_MAX];
    u->is_refused = !is_allowed(rq);
    if (u->is_refused)
        return;
    snprintf(files, sizeof files, "%s/files", app->data_dir);
    snprintf(tmp, sizeof tmp, "%s/files/tmp", app->data_dir);
    int n = snprintf(u->tmp_path, sizeof u->tmp_path, "%s/files/tmp/up-XXXXXX", app->data_dir);
    if (n < 0 || (size_t)n >= sizeof u->tmp_path) {
        u->tmp_path[0] = '\0';
        errno = ENAMETOOLONG;
    }
    if (!u->tmp_path[0] || make_dir(files) || make_dir(tmp) ||
        (u->fd = mkostemp(u->tmp_path, O_CLOEXEC)) < 0) {
        int e = errno;
        diag(DIAG_ERROR, "documents: cannot make a temporary file in %s: %s", tmp, strerror(e));
        u->tmp_path[0] = '\0';
        upload_fail(u, e == ENOSPC || e == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_INTERNAL);
    }
}

int api_document_sink(struct req *rq, const char *data, size_t len)
{
    return api_upload_sink(rq, data, len, upload_is_allowed);
}

int api_upload_sink(struct req *rq, const char *data, size_t len, bool (*is_allowed)(struct req *rq))
{
    struct upload *u = req_state(rq);
    if (!u) {
        u = calloc(1, sizeof *u);
        if (!u)
            return ERR_UNAVAILABLE;
        u->fd = -1;
        u->text.is_text = true;
        crypto_hash_sha256_init(&u->sha);
        req_set_state(rq, u, upload_free);
        upload_start(rq, u, is_allowed);
    }
    if (u->is_refused || u->has_error)
        return 0; /* drained; the handler answers */
    crypto_hash_sha256_update(&u->sha, (const unsigned char *)data, len);
    text_check_feed(&u->text, (const unsigned char *)data, len);
    if (u->head_len < HEAD_BYTES) {
        size_t n = len < HEAD_BYTES - u->head_len ? len : HEAD_BYTES - u->head_len;
        memcpy(u->head + u->head_len, data, n);
        u->head_len += n;
    }
    u->size_bytes += len;
    while (len) {
        ssize_t w = write(u->fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : ENOSPC;
            diag(DIAG_ERROR, "documents: writing %s: %s", u->tmp_path, strerror(e));
            upload_fail(u, e == ENOSPC || e == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_INTERNAL);
            return 0;
        }
        data += w;
        len -= (size_t)w;
    }
    return 0;
}

/* ---- handlers ---- */

/* Loads the meeting of path parameter "id"; replies 404/503 and returns -1. */
static int load_meeting(struct req *rq, struct meeting *m)
{
    struct db *db = req_db(rq);
    int rc = db ? meetings_get(db, req_param(rq, "id"), m) : OBR_EDB;
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

static bool is_closed(const struct meeting *m)
{
    return !strcmp(m->status, "closed") || !strcmp(m->status, "archived");
}

/* Reads ?item= and ?draft_resolution= into d; replies and returns -1 when bad. */
static int upload_params(struct req *rq, const struct meeting *m, struct document *d)
{
    const char *item = req_query(rq, "item"), *draft = req_query(rq, "draft_resolution");
    if (item && *item) {
        struct agenda_item it;
        if (!id_is_valid(item)) {
            reply_error(rq, ERR_BAD_PARAMETER, "item");
            return -1;
        }
        if (agenda_get(req_db(rq), item, &it) || strcmp(it.meeting_id, m->id)) {
            reply_error(rq, ERR_UNKNOWN_ITEM, "item");
            return -1;
        }
        snprintf(d->item_id, sizeof d->item_id, "%s", item);
    }
    if (draft && !strcmp(draft, "1"))
        d->is_draft_resolution = true;
    else if (draft && strcmp(draft, "0")) {
        reply_error(rq, ERR_BAD_PARAMETER, "draft_resolution");
        return -1;
    }
    if (d->is_draft_resolution && !d->item_id[0]) {
        /* A draft resolution is what an agenda item proposes to adopt. */
        reply_error(rq, ERR_MISSING_FIELD, "item");
        return -1;
    }
    return 0;
}

/* Decides the stored type; replies 415/422 and returns -1 when the content,
 * the name and the declared type do not agree on an accepted type. */
static int upload_type(struct req *rq, const struct upload *u, struct upload_file *d)
{
    char ext[16], odf_type[DOC_TYPE_SIZE];
    extension_of(d->filename, ext, sizeof ext);
    enum sniffed s = sniff(u->head, u->head_len, u->text.is_text && u->text.need == 0, odf_type,
                           sizeof odf_type);
    const struct file_type *t = NULL;
    for (size_t i = 0; i < N_TYPES && !t; i++)
        if (TYPES[i].sniffed == s && !strcmp(TYPES[i].ext, ext))
            t = &TYPES[i];
    if (s == SNIFF_NONE || !t || (s == SNIFF_ODF && strcmp(odf_type, t->content_type))) {
        reply_error(rq, ERR_FILE_TYPE, s == SNIFF_NONE ? "file" : "filename");
        return -1;
    }
    if (!declared_agrees(t, req_header(rq, "Content-Type"))) {
        reply_error(rq, ERR_FILE_TYPE, "content_type");
        return -1;
    }
    snprintf(d->content_type, sizeof d->content_type, "%s", t->content_type);
    return 0;
}

/* Moves the upload to DATA/files/<sha256>; a file already there has the same
 * bytes and is kept. On PostgreSQL the bytes go into the store first (in
 * chunks, from the file), so every node can serve them; the local file is
 * then this node's cache (store/files.h). */
static int upload_place(struct req *rq, struct upload *u, const char *sha256)
{
    struct app *app = req_app(rq);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/files/%s", app->data_dir, sha256);
    if (files_in_db(req_db(rq))) {
        int rc = files_put_fd(req_db(rq), sha256, u->fd, (int64_t)u->size_bytes);
        if (rc) {
            diag(DIAG_ERROR, "documents: storing %s in the database: %s", sha256,
                 obr_strerror(rc));
            return rc;
        }
    } else if (fsync(u->fd)) {
        diag(DIAG_ERROR, "documents: fsync %s: %s", u->tmp_path, strerror(errno));
        return errno == ENOSPC ? OBR_EFULL : OBR_EIO;
    }
    if (link(u->tmp_path, path) && errno != EEXIST) {
        diag(DIAG_ERROR, "documents: link to %s: %s", path, strerror(errno));
        return OBR_EIO;
    }
    unlink(u->tmp_path);
    u->tmp_path[0] = '\0';
    return 0;
}

void api_documents_upload(struct req *rq)
{
    struct principal p;
    struct meeting m;
    struct document d = {0};
    if (principal_require(rq, &p) < 0 || load_meeting(rq, &m) < 0 ||
        perm_require(rq, &p, ACT_MEETING_PREPARE, m.org_id, m.body_id) < 0)
        return;
    if (is_closed(&m)) {
        reply_error(rq, ERR_MEETING_CLOSED, NULL);
        return;
    }
    if (upload_params(rq, &m, &d) < 0)
        return;
    struct upload_file f;
    if (api_upload_take(rq, &f) < 0)
        return;
    snprintf(d.filename, sizeof d.filename, "%s", f.filename);
    snprintf(d.content_type, sizeof d.content_type, "%s", f.content_type);
    snprintf(d.sha256, sizeof d.sha256, "%s", f.sha256);
    d.size_bytes = f.size_bytes;
    snprintf(d.meeting_id, sizeof d.meeting_id, "%s", m.id);
    int rc;

    /* A failure below leaves the file without a row: harmless, its name is
     * its content, and a later upload of the same bytes reuses it. */
    struct log_tx tx;
    rc = log_tx_begin(&tx, req_db(rq), req_hub(rq));
    if (rc) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    rc = documents_add(tx.db, &d);
    json_t *payload = rc ? NULL : document_to_json(&d);
    if (!rc && payload) {
        json_object_del(payload, "id");
        json_object_del(payload, "meeting_id");
        json_object_set_new(payload, "document_id", json_string(d.id));
        rc = log_append(&tx, m.id, p.user.id, "document.added", payload, EVENT_PUBLIC, NULL);
    } else if (!rc) {
        rc = OBR_ENOMEM;
    }
    json_decref(payload);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc) {
        log_tx_rollback(&tx);
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 201, document_to_json(&d));
}

int api_upload_take(struct req *rq, struct upload_file *d)
{
    struct upload *u = req_state(rq);
    memset(d, 0, sizeof *d);
    const char *name = req_header(rq, "X-Filename");
    if (!name) {
        reply_error(rq, ERR_MISSING_FIELD, "filename");
        return -1;
    }
    if (!percent_decode(name, d->filename, sizeof d->filename) || !filename_is_safe(d->filename)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "filename");
        return -1;
    }
    if (u && u->has_error) {
        reply_error(rq, u->error, NULL);
        return -1;
    }
    if (!u || u->is_refused || u->size_bytes == 0) {
        /* No bytes kept: an empty body, or rights granted while it arrived. */
        reply_error(rq, ERR_OUT_OF_RANGE, "file");
        return -1;
    }
    if (upload_type(rq, u, d) < 0)
        return -1;

    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&u->sha, digest);
    hex_encode(d->sha256, digest, sizeof digest);
    d->size_bytes = (int64_t)u->size_bytes;
    int rc = upload_place(rq, u, d->sha256);
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

/* Content-Disposition for name (RFC 6266): an ASCII fallback with every
 * other character as "_", and the exact name as RFC 5987 UTF-8. */
static void content_disposition(const char *name, char *out, size_t size)
{
    static const char attr[] = "!#$&+-.^_`|~";
    char ascii[FILENAME_MAX_CHARS + 1], enc[NAME_SIZE * 3];
    size_t a = 0, e = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p & 0xC0) != 0x80 && a < FILENAME_MAX_CHARS)
            ascii[a++] = *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\' ? (char)*p : '_';
        if (e + 4 > sizeof enc)
            break;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(attr, *p))
            enc[e++] = (char)*p;
        else
            e += (size_t)snprintf(enc + e, 4, "%%%02X", *p);
    }
    ascii[a] = '\0';
    enc[e] = '\0';
    snprintf(out, size, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
}

static bool is_convened_or_later(const struct meeting *m)
{
    return strcmp(m->status, "draft") != 0;
}

void api_send_file(struct req *rq, const char *sha256, const char *filename,
                   const char *content_type, const char *what)
{
    struct db *db = req_db(rq);
    struct app *app = req_app(rq);
    char path[PATH_MAX], disposition[NAME_SIZE * 4 + 128];
    int rc = files_local_path(db, app->data_dir, sha256, path, sizeof path);
    if (rc == OBR_EBUSY || rc == OBR_EDB || rc == OBR_EFULL) {
        reply_obr_error(rq, rc);
        return;
    }
    int fd = rc ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        OBR_BUG("%s: its file %s cannot be read: %s", what, sha256,
                rc ? obr_strerror(rc) : strerror(errno));
        if (fd >= 0)
            close(fd);
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    const char *type = req_strdup(rq, content_type);
    content_disposition(filename, disposition, sizeof disposition);
    reply_header(rq, "Content-Disposition", disposition);
    reply_header(rq, "Cache-Control", "private");
    reply_fd(rq, 200, type ? type : "application/octet-stream", fd, (uint64_t)st.st_size);
}

void api_document_get(struct req *rq)
{
    struct principal p;
    struct document d;
    struct meeting m;
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    principal_optional(rq, &p);
    int rc = documents_get(db, req_param(rq, "id"), &d);
    if (!rc)
        rc = meetings_get(db, d.meeting_id, &m);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    bool is_open = m.is_public && is_convened_or_later(&m);
    if (!is_open && !p.is_signed_in) {
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return;
    }
    if (!is_open && !participants_is_participant(db, m.id, p.user.id, NULL, NULL) &&
        perm_require(rq, &p, ACT_MEETING_READ, m.org_id, m.body_id) < 0)
        return;

    api_send_file(rq, d.sha256, d.filename, d.content_type, d.id);
}

void api_document_remove(struct req *rq)
{
    struct principal p;
    struct meeting m;
    struct document d;
    if (principal_require(rq, &p) < 0 || load_meeting(rq, &m) < 0 ||
        perm_require(rq, &p, ACT_MEETING_PREPARE, m.org_id, m.body_id) < 0)
        return;
    int rc = documents_get(req_db(rq), req_param(rq, "doc"), &d);
    if (!rc && strcmp(d.meeting_id, m.id))
        rc = OBR_ENOTFOUND;
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    if (is_closed(&m)) {
        reply_error(rq, ERR_MEETING_CLOSED, NULL);
        return;
    }
    struct log_tx tx;
    if (log_tx_begin(&tx, req_db(rq), req_hub(rq))) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    json_t *payload = json_pack("{s:s}", "document_id", d.id);
    rc = documents_remove(tx.db, d.id);
    if (!rc)
        rc = payload ? log_append(&tx, m.id, p.user.id, "document.removed", payload,
                                  EVENT_PUBLIC, NULL)
                     : OBR_ENOMEM;
    json_decref(payload);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc) {
        log_tx_rollback(&tx);
        reply_obr_error(rq, rc);
        return;
    }
    reply_empty(rq, 204);
}
