/* uploads.c — a file as the raw request body (uploads.h). The body sink
 * streams it to DATA/files/tmp while hashing it; upload_finish decides the
 * type from the content's first bytes (never from what the client declared),
 * refuses a name or declared type that disagrees, and moves the file to
 * DATA/files/<sha256> (kept when already there; on PostgreSQL the bytes go
 * into the store first, store/files.h). */
#include "api/uploads.h"

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
#include "api/upload_check.h"
#include "store/db.h"
#include "store/files.h"
#include "util/diag.h"

struct upload {
    int fd;
    char tmp_path[PATH_MAX];
    crypto_hash_sha256_state sha;
    uint64_t size_bytes;
    unsigned char head[UPLOAD_HEAD_BYTES];
    size_t head_len;
    struct text_check text;
    bool is_refused; /* the sender may not upload here: the data is dropped */
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

static void upload_fail(struct upload *u, enum api_err err)
{
    u->has_error = true;
    u->error = err;
}

static void upload_start(struct req *rq, struct upload *u, upload_allowed_fn is_allowed)
{
    struct app *app = req_app(rq);
    char files[PATH_MAX], tmp[PATH_MAX];
    u->is_refused = !req_db(rq) || !is_allowed(rq);
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
        diag(DIAG_ERROR, "uploads: cannot make a temporary file in %s: %s", tmp, strerror(e));
        u->tmp_path[0] = '\0';
        upload_fail(u, e == ENOSPC || e == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_INTERNAL);
    }
}

int upload_sink(struct req *rq, const char *data, size_t len, upload_allowed_fn is_allowed)
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
    upload_text_feed(&u->text, (const unsigned char *)data, len);
    if (u->head_len < UPLOAD_HEAD_BYTES) {
        size_t n = len < UPLOAD_HEAD_BYTES - u->head_len ? len : UPLOAD_HEAD_BYTES - u->head_len;
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
            diag(DIAG_ERROR, "uploads: writing %s: %s", u->tmp_path, strerror(e));
            upload_fail(u, e == ENOSPC || e == EDQUOT ? ERR_INSUFFICIENT_STORAGE : ERR_INTERNAL);
            return 0;
        }
        data += w;
        len -= (size_t)w;
    }
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
            diag(DIAG_ERROR, "uploads: storing %s in the database: %s", sha256, obr_strerror(rc));
            return rc;
        }
    } else if (fsync(u->fd)) {
        diag(DIAG_ERROR, "uploads: fsync %s: %s", u->tmp_path, strerror(errno));
        return errno == ENOSPC ? OBR_EFULL : OBR_EIO;
    }
    if (link(u->tmp_path, path) && errno != EEXIST) {
        diag(DIAG_ERROR, "uploads: link to %s: %s", path, strerror(errno));
        return OBR_EIO;
    }
    unlink(u->tmp_path);
    u->tmp_path[0] = '\0';
    return 0;
}

int upload_finish(struct req *rq, struct upload_file *f)
{
    struct upload *u = req_state(rq);
    const char *name = req_header(rq, "X-Filename");
    if (!name) {
        reply_error(rq, ERR_MISSING_FIELD, "filename");
        return -1;
    }
    if (!upload_name_decode(name, f->filename, sizeof f->filename)) {
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
    const char *bad = NULL,
               *type = upload_type_of(u->head, u->head_len, u->text.is_text && u->text.need == 0,
                                      f->filename, req_header(rq, "Content-Type"), &bad);
    if (!type) {
        reply_error(rq, ERR_FILE_TYPE, bad);
        return -1;
    }
    snprintf(f->content_type, sizeof f->content_type, "%s", type);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&u->sha, digest);
    hex_encode(f->sha256, digest, sizeof digest);
    f->size_bytes = (int64_t)u->size_bytes;
    int rc = upload_place(rq, u, f->sha256);
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

void upload_serve(struct req *rq, const struct upload_file *f, const char *owner,
                  const char *cache_control)
{
    struct app *app = req_app(rq);
    char path[PATH_MAX], disposition[NAME_SIZE * 4 + 128];
    int rc = files_local_path(req_db(rq), app->data_dir, f->sha256, path, sizeof path);
    if (rc == OBR_EBUSY || rc == OBR_EDB || rc == OBR_EFULL) {
        reply_obr_error(rq, rc);
        return;
    }
    int fd = rc ? -1 : open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        OBR_BUG("%s: its file %s cannot be read: %s", owner, f->sha256,
                rc ? obr_strerror(rc) : strerror(errno));
        if (fd >= 0)
            close(fd);
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    const char *type = req_strdup(rq, f->content_type);
    upload_content_disposition(f->filename, disposition, sizeof disposition);
    reply_header(rq, "Content-Disposition", disposition);
    reply_header(rq, "Cache-Control", cache_control);
    reply_fd(rq, 200, type ? type : "application/octet-stream", fd, (uint64_t)st.st_size);
}
