/* backup.h — whole-installation backups (docs/backup-format.md, docs/operations.md):
 * backup_create takes a consistent snapshot of the running store (snapshot
 * step: backup_snapshot.c), the installation key and the uploaded files, and
 * writes them as one encrypted file that only appears once it verified;
 * backup_check authenticates a backup, checks what it holds and optionally
 * restores it (backup_read.c). The backup key itself is never inside. */
#ifndef OBR_BACKUP_H
#define OBR_BACKUP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/err.h"

#include "ops/backup_crypt.h"

#define BACKUP_PATH_MAX 1024
#define BACKUP_SUFFIX ".obk"

/* Phases reported to progress: "snapshot", "hashing", "writing", "verifying". */
typedef void (*backup_progress_fn)(void *ctx, const char *phase, uint64_t done, uint64_t total);

struct backup_opts {
    const char *data_dir;
    const char *database_url;    /* a postgresql:// store (backup_pg.h); NULL or "": SQLite */
    const char *to_dir;          /* created (0700) when absent */
    const unsigned char *key;    /* BACKUP_KEY_BYTES */
    const char *version;         /* obrady's version, recorded in the header */
    backup_progress_fn progress; /* may be NULL */
    void *ctx;
};

struct backup_result {
    char path[BACKUP_PATH_MAX]; /* the finished file */
    uint64_t size_bytes;
    uint64_t content_bytes;
    int n_files;
    int n_logs;
    int64_t created_ms;
};

/* Makes a backup. Nothing is left behind on failure (why says what went
 * wrong; OBR_EFULL when the disk filled); older backups are never touched. */
int backup_create(const struct backup_opts *o, struct backup_result *r, char *why, size_t why_size);

struct backup_check_opts {
    const unsigned char *key;
    bool is_checking_logs;  /* recompute every log's hash chain (needs a temp copy) */
    const char *tmp_dir;    /* where that copy goes; NULL: beside the file */
    const char *restore_to; /* non-NULL: restore into this new or empty directory */
    const char *restore_database; /* a backup of a PostgreSQL installation restores into
                                     this empty database (required for one; refused
                                     for a SQLite backup) */
};

struct backup_check_result {
    json_t *header; /* new reference; caller json_decrefs (may be NULL on early failure) */
    uint64_t chunks;
    uint64_t content_bytes;
    int n_files;
    int n_logs;
    int64_t n_events;
};

/* Reads the whole backup at path: every chunk authenticated, every entry's
 * size and SHA-256 against the header, and (is_checking_logs or a restore)
 * every log's hash chain and head against the header's. 0 when all holds;
 * otherwise an OBR_E code and why naming the chunk, file or log. A restore
 * happens only when everything verified, by renaming a sibling temp
 * directory into place; a non-empty target is refused (OBR_EEXISTS). */
int backup_check(const char *path, const struct backup_check_opts *o, struct backup_check_result *r,
                 char *why, size_t why_size);

/* The snapshot step, the one place that knows the database backend: writes
 * a consistent copy of data_dir's database to dst and sets *entry_name to
 * the name it goes under in the backup ("obrady.db" for SQLite; a pg_dump
 * path would add its own), which is what the restore puts back. */
int backup_snapshot_db(const char *data_dir, const char *dst, const char **entry_name,
                       backup_progress_fn progress, void *ctx);

/* Lowers the calling thread's CPU (nice 10) and I/O (best effort, lowest)
 * priority, so live meetings come first while a backup runs. */
void backup_lower_priority(void);

/* dir/name into out; OBR_ELIMIT when it does not fit. */
static inline int backup_path(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);
    return n < 0 || (size_t)n >= size ? OBR_ELIMIT : 0;
}

/* Whether name is an entry a backup may hold (a restore writes only these). */
bool backup_entry_name_ok(const char *name);

/* The finished backups in dir, oldest first, from their clear headers:
 * [{name, path, size, created, created_ms, installation, files, logs} or
 * {name, path, size, error}]. A new array (empty when dir is missing). */
json_t *backup_list_json(const char *dir);

/* The installation id recorded in headers: derived from DATA/secret.key,
 * 32 hex digits and a NUL. 0 or an OBR_E code. */
int backup_installation_id(const char *data_dir, char out[33]);

#endif
