/* files_local.c — a node's DATA/files/<sha256> beside the blobs of the store
 * (files.h). On PostgreSQL the directory is a cache: a missing file is
 * fetched from the store chunk by chunk into DATA/files/tmp, its SHA-256
 * checked, then linked under its name, so every node can serve every file.
 * files_import_local moves the other way, for installations whose files
 * were on one node's disk. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/db_util.h"
#include "store/files.h"
#include "util/diag.h"
#include "util/ids.h"

DB_QUERY(q_missing, "files_missing",
         "SELECT DISTINCT d.sha256 FROM (SELECT sha256 FROM documents"
         " UNION SELECT sha256 FROM interp_files) d WHERE NOT EXISTS"
         " (SELECT 1 FROM file_blobs b WHERE b.sha256 = d.sha256) ORDER BY d.sha256");

static bool sha256_is_valid(const char *s)
{
    if (strlen(s) != FILES_SHA256_HEX)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

struct fetch {
    int fd;
    crypto_hash_sha256_state sha;
};

static int fetch_sink(void *ctx, const void *data, size_t len)
{
    struct fetch *f = ctx;
    crypto_hash_sha256_update(&f->sha, data, len);
    for (const char *p = data; len;) {
        ssize_t w = write(f->fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return errno == ENOSPC ? OBR_EFULL : OBR_EIO;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int fetch(struct db *db, const char *data_dir, const char *sha256, const char *path)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s/files/tmp", data_dir);
    if (mkdir(tmp, 0750) && errno != EEXIST)
        return OBR_EIO;
    if (snprintf(tmp, sizeof tmp, "%s/files/tmp/get-XXXXXX", data_dir) >= (int)sizeof tmp)
        return OBR_EINVAL;
    struct fetch f = {.fd = mkostemp(tmp, O_CLOEXEC)};
    if (f.fd < 0)
        return errno == ENOSPC ? OBR_EFULL : OBR_EIO;
    crypto_hash_sha256_init(&f.sha);
    int rc = files_read(db, sha256, fetch_sink, &f);
    if (!rc) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        char hex[FILES_SHA256_HEX + 1];
        crypto_hash_sha256_final(&f.sha, digest);
        hex_encode(hex, digest, sizeof digest);
        if (strcmp(hex, sha256)) {
            diag(DIAG_ERROR, "files: the stored bytes of %s hash to %s", sha256, hex);
            rc = OBR_ECORRUPT;
        }
    }
    if (!rc && link(tmp, path) && errno != EEXIST)
        rc = OBR_EIO;
    close(f.fd);
    unlink(tmp);
    return rc;
}

int files_local_path(struct db *db, const char *data_dir, const char *sha256, char *path,
                     size_t size)
{
    if (!sha256_is_valid(sha256))
        return OBR_EINVAL;
    if (snprintf(path, size, "%s/files/%s", data_dir, sha256) >= (int)size)
        return OBR_EINVAL;
    if (!access(path, R_OK))
        return 0;
    if (!files_in_db(db))
        return OBR_ENOTFOUND;
    return fetch(db, data_dir, sha256, path);
}

int files_import_local(struct db *db, const char *data_dir, long *imported, long *missing)
{
    long n_imported = 0, n_missing = 0;
    json_t *list = db_texts_json(db_prepare(db, &q_missing));
    if (!list)
        return OBR_EDB;
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach (list, i, v) {
        const char *sha = json_string_value(v);
        char path[PATH_MAX];
        int fd = -1;
        struct stat st;
        if (sha && sha256_is_valid(sha) &&
            snprintf(path, sizeof path, "%s/files/%s", data_dir, sha) < (int)sizeof path)
            fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || fstat(fd, &st)) {
            if (fd >= 0)
                close(fd);
            diag(DIAG_WARN, "files: document file %s is in neither the database nor %s/files",
                 sha ? sha : "?", data_dir);
            n_missing++;
            continue;
        }
        rc = files_put_fd(db, sha, fd, (int64_t)st.st_size);
        close(fd);
        if (rc)
            break;
        n_imported++;
    }
    json_decref(list);
    if (imported)
        *imported = n_imported;
    if (missing)
        *missing = n_missing;
    return rc;
}
