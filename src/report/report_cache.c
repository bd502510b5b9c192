/* report_cache.c — rendered reports kept under DATA/reports/<id>-<head>.pdf.
 * A report is a function of the log up to its head, so a file named by the
 * head never goes stale; a new event makes a new name. Files appear
 * atomically (temporary file, fsync, rename): a reader never sees half of
 * one, and two renderers racing write the same bytes' worth of meaning.
 * On PostgreSQL the cache is in the store instead (report_files and its
 * blob, store/files.h), so a PDF rendered by one node is served by all. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/eventlog.h"
#include "report/report.h"
#include "store/files.h"
#include "store/meetings.h"
#include "store/votes.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/err.h"
#include "util/ids.h"

#include <sodium.h>

#define REPORT_MAX_BYTES (64u * 1024 * 1024)

static int read_file(const char *path, struct report_file *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return OBR_ENOTFOUND;
    struct stat st;
    int rc = OBR_EIO;
    if (!fstat(fd, &st) && st.st_size > 0 && (uint64_t)st.st_size < REPORT_MAX_BYTES) {
        out->data = malloc((size_t)st.st_size);
        size_t got = 0;
        while (out->data && got < (size_t)st.st_size) {
            ssize_t n = read(fd, out->data + got, (size_t)st.st_size - got);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (out->data && got == (size_t)st.st_size) {
            out->len = got;
            rc = 0;
        } else {
            rc = out->data ? OBR_EIO : OBR_ENOMEM;
            free(out->data);
            out->data = NULL;
        }
    }
    close(fd);
    return rc;
}

static void write_file(const char *dir, const char *path, const char *data, size_t len)
{
    if (mkdir(dir, 0700) && errno != EEXIST)
        return;
    char tmp[PATH_MAX + 160];
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, data + done, len - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    bool is_ok = done == len && !fsync(fd);
    close(fd);
    if (!is_ok || rename(tmp, path)) {
        diag(DIAG_WARN, "report cache: cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
    }
}

/* Removes the files of id rendered at earlier heads: only the newest is served. */
static void prune_older(const char *dir, const char *id, const char *keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t n = strlen(id);
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *name = e->d_name;
        size_t len = strlen(name);
        if (!strncmp(name, id, n) && name[n] == '-' && len > 4 && !strcmp(name + len - 4, ".pdf") &&
            strcmp(name, keep))
            unlinkat(dirfd(d), name, 0);
    }
    closedir(d);
}

static int buf_sink(void *ctx, const void *data, size_t len)
{
    struct buf *b = ctx;
    if (b->len + len > REPORT_MAX_BYTES)
        return OBR_ELIMIT;
    buf_append(b, data, len);
    return buf_failed(b) ? OBR_ENOMEM : 0;
}

/* The cached PDF of id at head from the store: 0, or OBR_ENOTFOUND. */
static int db_cache_read(struct db *db, const char *id, struct report_file *out)
{
    char sha[FILES_SHA256_HEX + 1];
    int rc = files_report_get(db, id, out->head, sha);
    if (rc)
        return rc;
    struct buf b = BUF_INIT;
    rc = files_read(db, sha, buf_sink, &b);
    if (!rc && b.len == 0)
        rc = OBR_ECORRUPT;
    if (rc) {
        buf_free(&b);
        return OBR_ENOTFOUND; /* rendered again */
    }
    out->len = b.len;
    out->data = buf_take(&b);
    return out->data ? 0 : OBR_ENOMEM;
}

static void db_cache_write(struct db *db, const char *id, const struct report_file *f)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    char sha[FILES_SHA256_HEX + 1];
    crypto_hash_sha256(digest, (const unsigned char *)f->data, f->len);
    hex_encode(sha, digest, sizeof digest);
    int removed = 0;
    int rc = files_put_mem(db, sha, f->data, f->len);
    if (!rc)
        rc = files_report_put(db, id, f->head, sha);
    if (!rc)
        rc = files_sweep(db, 16, &removed);
    if (rc)
        diag(DIAG_WARN, "report cache: cannot store %s in the database: %s", id,
             obr_strerror(rc));
}

int report_get(struct db *db, const char *data_dir, const char *public_url,
               const unsigned char *board_secret, enum report_kind kind,
               const char *id, struct report_file *out)
{
    memset(out, 0, sizeof *out);
    struct meeting m;
    struct body b;
    struct org o;
    int rc = 0;
    if (kind == REPORT_VOTE) {
        struct vote *v = calloc(1, sizeof *v);
        rc = v ? votes_get(db, id, v) : OBR_ENOMEM;
        if (!rc && strcmp(v->status, "closed"))
            rc = OBR_ECONFLICT;
        if (!rc)
            snprintf(out->meeting_id, sizeof out->meeting_id, "%s", v->meeting_id);
        if (v)
            vote_clear(v);
        free(v);
    } else {
        snprintf(out->meeting_id, sizeof out->meeting_id, "%s", id);
    }
    int64_t seq;
    if (!rc)
        rc = meetings_get(db, out->meeting_id, &m);
    if (!rc)
        rc = bodies_get(db, m.body_id, &b);
    if (!rc)
        rc = orgs_get(db, b.org_id, &o);
    if (!rc)
        rc = log_head(db, out->meeting_id, &seq, out->head);
    if (rc)
        return rc;
    bool is_en = !strcmp(o.default_lang, "en");
    snprintf(out->filename, sizeof out->filename, "%s-%s.pdf",
             kind == REPORT_VOTE ? (is_en ? "vote-report" : "protokol-glosowania")
                                 : (is_en ? "minutes" : "protokol-posiedzenia"),
             id);
    char dir[PATH_MAX], path[PATH_MAX + 128];
    if (snprintf(dir, sizeof dir, "%s/reports", data_dir) >= (int)sizeof dir)
        return OBR_EINVAL;
    snprintf(path, sizeof path, "%s/%s-%s.pdf", dir, id, out->head);
    bool is_in_db = files_in_db(db);
    if (is_in_db ? !db_cache_read(db, id, out) : !read_file(path, out))
        return 0;
    struct buf pdf = BUF_INIT;
    rc = kind == REPORT_VOTE ? report_vote_pdf(db, id, public_url, board_secret, &pdf, NULL)
                             : report_protocol_pdf(db, id, &pdf, NULL);
    if (rc) {
        buf_free(&pdf);
        return rc;
    }
    out->len = pdf.len;
    out->data = buf_take(&pdf);
    if (!out->data)
        return OBR_ENOMEM;
    /* A report rendered while the log moved on shows a later head: keep it
     * only under the head it was asked for when nothing was appended. */
    int64_t seq_after;
    char head_after[EVENT_HASH_HEX + 1];
    if (log_head(db, out->meeting_id, &seq_after, head_after) || seq_after != seq)
        return 0;
    if (is_in_db) {
        db_cache_write(db, id, out);
    } else {
        write_file(dir, path, out->data, out->len);
        char keep[ID_SIZE + EVENT_HASH_HEX + 8];
        snprintf(keep, sizeof keep, "%s-%s.pdf", id, out->head);
        prune_older(dir, id, keep);
    }
    return 0;
}

void report_file_free(struct report_file *f)
{
    if (!f)
        return;
    free(f->data);
    f->data = NULL;
    f->len = 0;
}
