/* files.h — file bytes kept in the database (files_repo.c, files_local.c).
 * On PostgreSQL every node serves uploaded documents and cached report PDFs
 * from the store: a blob is named by its SHA-256 and kept as chunks of
 * FILES_CHUNK_BYTES, written and read one chunk at a time, so no file is ever
 * whole in memory. SQLite keeps DATA/files/<sha256> on disk as before
 * (files_in_db is false) and these functions are not used on it. */
#ifndef OBR_STORE_FILES_H
#define OBR_STORE_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db;

#define FILES_CHUNK_BYTES (256u * 1024)
#define FILES_SHA256_HEX 64
/* A blob no row refers to is removed by files_sweep only once it has not
 * been stored or touched for this long: a writer touches it before it adds
 * the row that refers to it, and does so well within this time. */
#define FILES_SWEEP_GRACE_MS (60 * 60 * 1000)

/* True when db keeps file bytes in the database (the PostgreSQL backend). */
bool files_in_db(struct db *db);

/* Stores the size_bytes bytes of fd (read with pread from offset 0) as the
 * blob sha256, or touches it when already stored. The caller vouches that
 * sha256 is the bytes' hash. Runs in its own transaction unless db is in
 * one (then in the caller's). OBR_EIO when fd gives fewer bytes. */
int files_put_fd(struct db *db, const char *sha256, int fd, int64_t size_bytes);
/* The same for bytes in memory. */
int files_put_mem(struct db *db, const char *sha256, const void *data, size_t len);
/* 0 and *size_bytes when the blob is stored (and marks it touched now);
 * OBR_ENOTFOUND otherwise. */
int files_touch(struct db *db, const char *sha256, int64_t *size_bytes);

/* Called with each chunk in order; a non-zero return stops the read and is
 * returned by files_read. */
typedef int (*files_sink)(void *ctx, const void *data, size_t len);
/* Reads the blob chunk by chunk in one snapshot: 0, OBR_ENOTFOUND, or
 * OBR_ECORRUPT when the chunks do not add up to its size. */
int files_read(struct db *db, const char *sha256, files_sink sink, void *ctx);

/* The cached PDF of report_id rendered at log head `head`: its blob's hash
 * into sha256 (FILES_SHA256_HEX + 1), or OBR_ENOTFOUND. */
int files_report_get(struct db *db, const char *report_id, const char *head, char *sha256);
/* Records sha256 (stored already) as report_id's PDF at head, replacing an
 * older one. */
int files_report_put(struct db *db, const char *report_id, const char *head,
                     const char *sha256);
/* Removes up to max blobs that no document, interpellation attachment or
 * report refers to and that
 * were last touched before FILES_SWEEP_GRACE_MS ago; *removed counts them. */
int files_sweep(struct db *db, int max, int *removed);

/* DATA/files/<sha256> on this node, into path: on PostgreSQL fetched from the
 * store when missing (into DATA/files/tmp, hash checked, then linked), so a
 * node's files directory is a cache that never goes stale. OBR_ENOTFOUND
 * when neither has it, OBR_ECORRUPT when the stored bytes do not match. */
int files_local_path(struct db *db, const char *data_dir, const char *sha256, char *path,
                     size_t size);
/* Stores into the database every file of DATA/files that a document refers
 * to and the database lacks (an installation that kept files on one node's
 * disk, or migrate-store). *imported and *missing (referred to but in
 * neither place) may be NULL. */
int files_import_local(struct db *db, const char *data_dir, long *imported, long *missing);

#endif
