/* files_repo.c — blobs, their chunks and the report cache in the store (see
 * files.h). A blob's chunks and then its file_blobs row are written in one
 * transaction, so a blob is either whole or absent; readers read it in one
 * snapshot, one chunk per statement, so memory holds one chunk at a time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db_util.h"
#include "store/files.h"
#include "util/clock.h"
#include "util/diag.h"

DB_QUERY(q_touch, "files_touch",
         "UPDATE file_blobs SET touched_ms = $2 WHERE sha256 = $1");
DB_QUERY(q_size, "files_size",
         "SELECT size_bytes, n_chunks FROM file_blobs WHERE sha256 = $1");
DB_QUERY(q_chunk_put, "files_chunk_put",
         "INSERT INTO file_chunks (sha256, n, data) VALUES ($1, $2, $3)");
DB_QUERY(q_blob_put, "files_blob_put",
         "INSERT INTO file_blobs (sha256, size_bytes, n_chunks, touched_ms) "
         "VALUES ($1, $2, $3, $4)");
DB_QUERY(q_chunk_get, "files_chunk_get",
         "SELECT data FROM file_chunks WHERE sha256 = $1 AND n = $2");
DB_QUERY(q_report_get, "files_report_get",
         "SELECT sha256 FROM report_files WHERE report_id = $1 AND head = $2");
DB_QUERY(q_report_put, "files_report_put",
         "INSERT INTO report_files (report_id, head, sha256, created_ms) VALUES ($1, $2, $3, $4)"
         " ON CONFLICT (report_id) DO UPDATE SET head = excluded.head,"
         " sha256 = excluded.sha256, created_ms = excluded.created_ms");
#define UNREFERENCED                                                                     \
    " touched_ms < $1 AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = b.sha256)" \
    " AND NOT EXISTS (SELECT 1 FROM report_files r WHERE r.sha256 = b.sha256)"                \
    " AND NOT EXISTS (SELECT 1 FROM interp_files f WHERE f.sha256 = b.sha256)"                \
    " AND NOT EXISTS (SELECT 1 FROM proxies x WHERE x.sha256 = b.sha256)"
DB_QUERY(q_sweep_list, "files_sweep_list",
         "SELECT sha256 FROM file_blobs b WHERE" UNREFERENCED " ORDER BY touched_ms LIMIT $2");
DB_QUERY(q_sweep_blob, "files_sweep_blob",
         "DELETE FROM file_blobs AS b WHERE" UNREFERENCED " AND sha256 = $2");
DB_QUERY(q_sweep_chunks, "files_sweep_chunks", "DELETE FROM file_chunks WHERE sha256 = $1");

bool files_in_db(struct db *db)
{
    return db && !strcmp(db_backend_name(db), "postgresql");
}

int files_touch(struct db *db, const char *sha256, int64_t *size_bytes)
{
    struct db_stmt *s = db_prepare(db, &q_touch);
    db_bind_text(s, 1, sha256);
    db_bind_int(s, 2, clock_now_ms());
    int rc = db_run(s);
    if (rc)
        return rc;
    if (db_changes(db) == 0)
        return OBR_ENOTFOUND;
    s = db_prepare(db, &q_size);
    db_bind_text(s, 1, sha256);
    rc = db_step_one(s);
    if (rc == DB_ROW) {
        if (size_bytes)
            *size_bytes = db_col_int(s, 0);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

/* Where put_chunks takes its bytes from: a file (fd) or memory (mem). */
struct source {
    int fd;
    const unsigned char *mem;
    int64_t size_bytes;
};

static int put_chunks(struct db *db, const char *sha256, const struct source *src)
{
    unsigned char *buf = src->mem ? NULL : malloc(FILES_CHUNK_BYTES);
    if (!src->mem && !buf)
        return OBR_ENOMEM;
    int64_t at = 0, n = 0;
    int rc = 0;
    while (!rc && (at < src->size_bytes || n == 0)) {
        size_t len = src->size_bytes - at < FILES_CHUNK_BYTES ? (size_t)(src->size_bytes - at)
                                                              : FILES_CHUNK_BYTES;
        const unsigned char *p = src->mem ? src->mem + at : buf;
        for (size_t got = 0; !src->mem && got < len;) {
            ssize_t r = pread(src->fd, buf + got, len - got, (off_t)(at + (int64_t)got));
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                rc = OBR_EIO;
                break;
            }
            got += (size_t)r;
        }
        if (rc)
            break;
        struct db_stmt *s = db_prepare(db, &q_chunk_put);
        db_bind_text(s, 1, sha256);
        db_bind_int(s, 2, n);
        db_bind_blob(s, 3, p, len);
        rc = db_run(s);
        at += (int64_t)len;
        n++;
        if (src->size_bytes == 0)
            break;
    }
    free(buf);
    if (rc)
        return rc;
    struct db_stmt *s = db_prepare(db, &q_blob_put);
    db_bind_text(s, 1, sha256);
    db_bind_int(s, 2, src->size_bytes);
    db_bind_int(s, 3, n);
    db_bind_int(s, 4, clock_now_ms());
    return db_run(s);
}

static int put(struct db *db, const char *sha256, const struct source *src)
{
    if (db_in_transaction(db)) { /* the caller's (migrate-store): all or nothing with it */
        int rc = files_touch(db, sha256, NULL);
        return rc == OBR_ENOTFOUND ? put_chunks(db, sha256, src) : rc;
    }
    /* Two nodes storing the same bytes at once: the second fails on the
     * first's key (or snapshot) and then finds the blob stored. */
    int rc = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        rc = files_touch(db, sha256, NULL);
        if (rc != OBR_ENOTFOUND)
            return rc;
        rc = db_begin(db);
        if (!rc)
            rc = put_chunks(db, sha256, src);
        if (!rc)
            return db_commit(db);
        db_rollback(db);
        if (rc != OBR_EEXISTS && rc != OBR_EBUSY)
            return rc;
    }
    return rc;
}

int files_put_fd(struct db *db, const char *sha256, int fd, int64_t size_bytes)
{
    struct source src = {.fd = fd, .size_bytes = size_bytes};
    return put(db, sha256, &src);
}

int files_put_mem(struct db *db, const char *sha256, const void *data, size_t len)
{
    struct source src = {
        .fd = -1, .mem = data ? data : (const void *)"", .size_bytes = (int64_t)len};
    return put(db, sha256, &src);
}

static int read_chunks(struct db *db, const char *sha256, files_sink sink, void *ctx)
{
    struct db_stmt *s = db_prepare(db, &q_size);
    db_bind_text(s, 1, sha256);
    int rc = db_step_one(s);
    int64_t size = 0, n_chunks = 0;
    if (rc == DB_ROW) {
        size = db_col_int(s, 0);
        n_chunks = db_col_int(s, 1);
        rc = 0;
    }
    db_stmt_done(s);
    int64_t total = 0;
    for (int64_t n = 0; !rc && n < n_chunks; n++) {
        s = db_prepare(db, &q_chunk_get);
        db_bind_text(s, 1, sha256);
        db_bind_int(s, 2, n);
        rc = db_step_one(s);
        if (rc == DB_ROW) {
            size_t len = 0;
            const void *p = db_col_blob(s, 0, &len);
            total += (int64_t)len;
            rc = !p || len > FILES_CHUNK_BYTES || total > size ? OBR_ECORRUPT
                                                               : sink(ctx, p, len);
        } else if (rc == OBR_ENOTFOUND) {
            rc = OBR_ECORRUPT;
        }
        db_stmt_done(s);
    }
    if (!rc && total != size)
        rc = OBR_ECORRUPT;
    if (rc == OBR_ECORRUPT)
        diag(DIAG_ERROR, "files: the stored chunks of %s do not add up to its size", sha256);
    return rc;
}

int files_read(struct db *db, const char *sha256, files_sink sink, void *ctx)
{
    if (db_in_transaction(db))
        return read_chunks(db, sha256, sink, ctx);
    int rc = db_begin(db);
    if (rc)
        return rc;
    rc = read_chunks(db, sha256, sink, ctx);
    db_rollback(db); /* read only */
    return rc;
}

int files_report_get(struct db *db, const char *report_id, const char *head, char *sha256)
{
    struct db_stmt *s = db_prepare(db, &q_report_get);
    db_bind_text(s, 1, report_id);
    db_bind_text(s, 2, head);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, sha256, FILES_SHA256_HEX + 1);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int files_report_put(struct db *db, const char *report_id, const char *head,
                     const char *sha256)
{
    struct db_stmt *s = db_prepare(db, &q_report_put);
    db_bind_text(s, 1, report_id);
    db_bind_text(s, 2, head);
    db_bind_text(s, 3, sha256);
    db_bind_int(s, 4, clock_now_ms());
    return db_run(s);
}

int files_sweep(struct db *db, int max, int *removed)
{
    *removed = 0;
    int64_t before = clock_now_ms() - FILES_SWEEP_GRACE_MS;
    struct db_stmt *s = db_prepare(db, &q_sweep_list);
    db_bind_int(s, 1, before);
    db_bind_int(s, 2, max);
    json_t *list = db_texts_json(s);
    if (!list)
        return OBR_EDB;
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach (list, i, v) {
        /* The condition is checked again where the row is deleted: a writer
         * may have touched the blob since it was listed. */
        if ((rc = db_begin_write(db)))
            break;
        s = db_prepare(db, &q_sweep_blob);
        db_bind_int(s, 1, before);
        db_bind_text(s, 2, json_string_value(v));
        rc = db_run(s);
        bool is_gone = !rc && db_changes(db) == 1;
        if (is_gone) {
            s = db_prepare(db, &q_sweep_chunks);
            db_bind_text(s, 1, json_string_value(v));
            rc = db_run(s);
        }
        if (!rc)
            rc = db_commit(db);
        if (rc) {
            db_rollback(db);
            break;
        }
        *removed += is_gone;
    }
    json_decref(list);
    return rc;
}
