/* backup_create.c — `obrady backup create` and the daily job's backup: a
 * snapshot of the store taken while the server runs (backup_snapshot.c), the
 * installation key and DATA/files, hashed first so the header can list them,
 * then streamed through the encrypted container into a hidden temp file. The
 * temp file is synced, read back and verified, and only then linked under
 * its final name: a failure at any point (a full disk too) leaves nothing
 * behind and never touches older backups. */
#include "ops/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log/eventlog.h"
#include "ops/backup_pg.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/err.h"

#define IO_BYTES (256u << 10)

struct job {
    const struct backup_opts *o;
    char work[BACKUP_PATH_MAX]; /* temp dir for the snapshot */
    char tmp[BACKUP_PATH_MAX];  /* temp backup file */
    json_t *contents;           /* [{path,size,sha256}] */
    json_t *logs;               /* [{meeting,events,head}] */
    uint64_t total, done;
    unsigned char *io;
    char *why;
    size_t why_size;
};

static void progress(struct job *j, const char *phase, uint64_t done, uint64_t total)
{
    if (j->o->progress)
        j->o->progress(j->o->ctx, phase, done, total);
}

static int fail(struct job *j, int rc, const char *fmt, const char *arg)
{
    if (!*j->why)
        snprintf(j->why, j->why_size, fmt, arg, rc == OBR_EFULL ? "disk full" : strerror(errno));
    return rc;
}

static void sha_hex(struct sha256_ctx *h, char out[65])
{
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_digest(h, sizeof d, d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Hashes a file; with w, also streams it into the backup. */
static int pass_file(struct job *j, const char *path, struct bk_writer *w, uint64_t *size,
                     char sha[65])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(j, OBR_EIO, "cannot read %s: %s", path);
    struct sha256_ctx h;
    sha256_init(&h);
    uint64_t n = 0;
    int rc = 0;
    for (;;) {
        ssize_t got = read(fd, j->io, IO_BYTES);
        if (got < 0) {
            rc = fail(j, OBR_EIO, "cannot read %s: %s", path);
            break;
        }
        if (got == 0)
            break;
        sha256_update(&h, (size_t)got, j->io);
        n += (uint64_t)got;
        if (w && (rc = bk_write(w, j->io, (size_t)got))) {
            fail(j, rc, "cannot write the backup (%s): %s", j->tmp);
            break;
        }
        j->done += (uint64_t)got;
        progress(j, w ? "writing" : "hashing", j->done, j->total);
    }
    close(fd);
    *size = n;
    sha_hex(&h, sha);
    return rc;
}

/* The snapshot (the first entry) and the recordings' copies are in the work
 * dir, the rest in the data dir. */
static int entry_path(const struct job *j, const char *name, char *out, size_t size)
{
    bool is_snapshot =
        !strcmp(name, json_string_value(json_object_get(json_array_get(j->contents, 0), "path")));
    bool is_work = is_snapshot || !strncmp(name, "audio/", 6);
    return backup_path(out, size, is_work ? j->work : j->o->data_dir, name);
}

static int add_entry(struct job *j, const char *name)
{
    json_t *e = json_pack("{s:s}", "path", name);
    if (!e || json_array_append_new(j->contents, e))
        return OBR_ENOMEM;
    char path[BACKUP_PATH_MAX], sha[65];
    uint64_t size;
    int rc = entry_path(j, name, path, sizeof path);
    rc = rc ? rc : pass_file(j, path, NULL, &size, sha);
    if (rc)
        return rc;
    json_object_set_new(e, "size", json_integer((json_int_t)size));
    json_object_set_new(e, "sha256", json_string(sha));
    j->total += size;
    return 0;
}

/* The regular files of DATA/<sub> that a backup may hold (backup_entry_name_ok),
 * as entry names "<sub>/<name>" with their sizes now: {name: size}. A missing
 * directory is empty. */
static int list_entries(struct job *j, const char *sub, json_t **out)
{
    char dir[BACKUP_PATH_MAX];
    *out = NULL;
    if (backup_path(dir, sizeof dir, j->o->data_dir, sub))
        return OBR_ELIMIT;
    json_t *names = json_object();
    DIR *d = names ? opendir(dir) : NULL;
    if (!d) {
        *out = names;
        if (!names)
            return OBR_ENOMEM;
        return errno == ENOENT ? 0 : fail(j, OBR_EIO, "cannot list %s: %s", dir);
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        char name[300], path[BACKUP_PATH_MAX];
        struct stat st;
        if (!backup_path(name, sizeof name, sub, de->d_name) && backup_entry_name_ok(name) &&
            !backup_path(path, sizeof path, dir, de->d_name) && !lstat(path, &st) &&
            S_ISREG(st.st_mode))
            json_object_set_new(names, name, json_integer((json_int_t)st.st_size));
    }
    closedir(d);
    *out = names;
    return 0;
}

/* Uploaded documents: DATA/files/<sha256>; files/tmp (uploads in flight) is not taken. */
static int add_files(struct job *j)
{
    json_t *names;
    int rc = list_entries(j, "files", &names);
    const char *name;
    json_t *v;
    json_object_foreach (rc ? NULL : names, name, v) {
        if ((rc = add_entry(j, name)))
            break;
    }
    json_decref(names);
    return rc;
}

/* Copies the first size bytes of src to dst (a recording grows while it is
 * copied: the copy is the prefix that existed when the backup listed it). */
static int copy_prefix(struct job *j, const char *src, const char *dst, uint64_t size)
{
    int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (in < 0)
        return fail(j, OBR_EIO, "cannot read %s: %s", src);
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return fail(j, errno == ENOSPC ? OBR_EFULL : OBR_EIO, "cannot write %s: %s", dst);
    }
    int rc = 0;
    while (!rc && size) {
        ssize_t got = read(in, j->io, size < IO_BYTES ? (size_t)size : IO_BYTES);
        if (got <= 0)
            rc = fail(j, OBR_EIO, "cannot read %s: %s", src);
        else if (write(out, j->io, (size_t)got) != got)
            rc = fail(j, errno == ENOSPC ? OBR_EFULL : OBR_EIO, "cannot write %s: %s", dst);
        else
            size -= (uint64_t)got;
    }
    close(in);
    if (close(out) && !rc)
        rc = fail(j, OBR_EIO, "cannot write %s: %s", dst);
    return rc;
}

/* Audio recordings, DATA/audio/<meeting>.opus: each copied as it stands now
 * into the work dir, then taken from there. A recording in progress keeps
 * growing, and Ogg pages are only ever appended, so the copy is the
 * recording up to this moment. */
static int add_audio(struct job *j)
{
    json_t *names;
    int rc = list_entries(j, "audio", &names);
    char work[BACKUP_PATH_MAX];
    if (!rc && json_object_size(names) &&
        !(rc = backup_path(work, sizeof work, j->work, "audio")) && mkdir(work, 0700) &&
        errno != EEXIST)
        rc = fail(j, OBR_EIO, "cannot create %s: %s", work);
    const char *name;
    json_t *size;
    json_object_foreach (rc ? NULL : names, name, size) {
        char src[BACKUP_PATH_MAX], dst[BACKUP_PATH_MAX];
        rc = backup_path(src, sizeof src, j->o->data_dir, name);
        rc = rc ? rc : backup_path(dst, sizeof dst, j->work, name);
        rc = rc ? rc : copy_prefix(j, src, dst, (uint64_t)json_integer_value(size));
        rc = rc ? rc : add_entry(j, name);
        if (rc)
            break;
    }
    json_decref(names);
    return rc;
}

/* Every log of the snapshot with its length and head. The chains are not
 * recomputed here: a backup must be made even of a log that no longer
 * verifies (verify and restore recompute them, and would say so). */
static int record_logs(struct job *j, const char *db_file)
{
    struct db_config dc = {.sqlite_path = db_file};
    struct db *db = NULL;
    int rc = db_open(&dc, &db);
    json_t *ids = rc ? NULL : log_list_json(db);
    if (!rc && !ids)
        rc = OBR_EDB;
    size_t i;
    json_t *v;
    json_array_foreach (ids, i, v) {
        const char *id = json_string_value(v);
        int64_t seq;
        char head[EVENT_HASH_HEX + 1];
        if ((rc = log_head(db, id, &seq, head)))
            break;
        json_array_append_new(j->logs, json_pack("{s:s,s:I,s:s}", "meeting", id, "events",
                                                 (json_int_t)seq, "head", head));
    }
    json_decref(ids);
    db_close(db);
    if (rc)
        snprintf(j->why, j->why_size, "cannot read the snapshot's logs: %s", obr_strerror(rc));
    return rc;
}

static json_t *make_header(struct job *j, const char *inst, int64_t now_ms)
{
    char when[32];
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_pack("{s:s,s:i,s:s,s:I,s:s,s:s,s:s,s:I,s:O,s:O}", "kind", "obrady-backup", "format",
                     BACKUP_FORMAT, "created", when, "created_ms", (json_int_t)now_ms,
                     "installation", inst, "obrady_version", j->o->version ? j->o->version : "",
                     "cipher", "AES-256-GCM", "content_bytes", (json_int_t)j->total, "contents",
                     j->contents, "logs", j->logs);
}

static int write_backup(struct job *j, json_t *header)
{
    int fd = open(j->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return fail(j, OBR_EIO, "cannot create %s: %s", j->tmp);
    }
    struct bk_writer *w = bk_writer_new(f, j->o->key, header);
    int rc = w ? 0 : fail(j, errno == ENOSPC ? OBR_EFULL : OBR_EIO, "cannot write %s: %s", j->tmp);
    j->done = 0;
    size_t i;
    json_t *e;
    json_array_foreach (j->contents, i, e) {
        if (rc)
            break;
        const char *name = json_string_value(json_object_get(e, "path"));
        char path[BACKUP_PATH_MAX], sha[65];
        uint64_t size;
        rc = entry_path(j, name, path, sizeof path);
        rc = rc ? rc : pass_file(j, path, w, &size, sha);
        if (!rc && (size != (uint64_t)json_integer_value(json_object_get(e, "size")) ||
                    strcmp(sha, json_string_value(json_object_get(e, "sha256"))))) {
            snprintf(j->why, j->why_size, "%s changed while the backup was made; try again", name);
            rc = OBR_ECONFLICT;
        }
    }
    if (!rc && (rc = bk_writer_finish(w)))
        fail(j, rc, "cannot write %s: %s", j->tmp);
    bk_writer_free(w);
    if (!rc && (fflush(f) || fsync(fileno(f))))
        rc = fail(j, errno == ENOSPC ? OBR_EFULL : OBR_EIO, "cannot write %s: %s", j->tmp);
    if (fclose(f) && !rc)
        rc = fail(j, errno == ENOSPC ? OBR_EFULL : OBR_EIO, "cannot write %s: %s", j->tmp);
    return rc;
}

/* Links the verified temp file under a name that does not exist yet:
 * obrady-<UTC time to the millisecond>[-n].obk. */
static int publish(struct job *j, int64_t now_ms, struct backup_result *r)
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char stamp[40], name[128];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    for (int n = 0; n < 100; n++) {
        if (n)
            snprintf(name, sizeof name, "obrady-%s.%03dZ-%d" BACKUP_SUFFIX, stamp,
                     (int)(now_ms % 1000), n);
        else
            snprintf(name, sizeof name, "obrady-%s.%03dZ" BACKUP_SUFFIX, stamp,
                     (int)(now_ms % 1000));
        if (backup_path(r->path, sizeof r->path, j->o->to_dir, name))
            return fail(j, OBR_ELIMIT, "the path %s is too long (%s)", j->o->to_dir);
        if (!link(j->tmp, r->path)) {
            unlink(j->tmp);
            int dfd = open(j->o->to_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (dfd >= 0) {
                fsync(dfd);
                close(dfd);
            }
            return 0;
        }
        if (errno != EEXIST)
            return fail(j, OBR_EIO, "cannot name the backup %s: %s", r->path);
    }
    return fail(j, OBR_EEXISTS, "too many backups named %s: %s", stamp);
}

static void cleanup(struct job *j)
{
    static const char *const leftovers[] = {"", "-wal", "-shm", "-journal"};
    char path[BACKUP_PATH_MAX + 16];
    for (size_t i = 0; i < sizeof leftovers / sizeof *leftovers; i++) {
        char name[32];
        snprintf(name, sizeof name, "obrady.db%s", leftovers[i]);
        if (!backup_path(path, sizeof path, j->work, name))
            unlink(path);
    }
    static const char *const pg_leftovers[] = {BACKUP_PG_ENTRY, "pg-tool.log"};
    for (size_t i = 0; i < sizeof pg_leftovers / sizeof *pg_leftovers; i++)
        if (!backup_path(path, sizeof path, j->work, pg_leftovers[i]))
            unlink(path);
    char audio[BACKUP_PATH_MAX];
    DIR *d = backup_path(audio, sizeof audio, j->work, "audio") ? NULL : opendir(audio);
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (!backup_path(path, sizeof path, audio, de->d_name))
            unlink(path);
    if (d) {
        closedir(d);
        rmdir(audio);
    }
    if (j->work[0])
        rmdir(j->work);
    if (j->tmp[0])
        unlink(j->tmp);
}

int backup_create(const struct backup_opts *o, struct backup_result *r, char *why, size_t why_size)
{
    memset(r, 0, sizeof *r);
    *why = 0;
    struct job j = {.o = o, .why = why, .why_size = why_size};
    char inst[33], probe[BACKUP_PATH_MAX];
    if (strlen(o->to_dir) > BACKUP_PATH_MAX / 2 || strlen(o->data_dir) > BACKUP_PATH_MAX / 2) {
        snprintf(why, why_size, "the data or backup directory's path is too long");
        return OBR_ELIMIT;
    }
    bool is_pg = o->database_url && *o->database_url;
    backup_path(probe, sizeof probe, o->data_dir, "obrady.db");
    if (!is_pg && access(probe, R_OK)) {
        snprintf(why, why_size, "%s holds no obrady database (%s)", o->data_dir, strerror(errno));
        return OBR_ENOTFOUND;
    }
    if (mkdir(o->to_dir, 0700) && errno != EEXIST) {
        snprintf(why, why_size, "cannot create %s: %s", o->to_dir, strerror(errno));
        return OBR_EIO;
    }
    int rc = backup_installation_id(o->data_dir, inst);
    if (rc) {
        snprintf(why, why_size, "cannot read %s/secret.key: %s", o->data_dir, obr_strerror(rc));
        return rc;
    }
    int64_t now_ms = clock_now_ms();
    backup_path(j.work, sizeof j.work, o->to_dir, ".obrady-backup-XXXXXX");
    if (!mkdtemp(j.work)) {
        j.work[0] = 0;
        snprintf(why, why_size, "cannot create a temp dir in %s: %s", o->to_dir, strerror(errno));
        return errno == ENOSPC ? OBR_EFULL : OBR_EIO;
    }
    if (backup_path(j.tmp, sizeof j.tmp, o->to_dir, strrchr(j.work, '/') + 1) ||
        strlen(j.tmp) + 6 > sizeof j.tmp) {
        rmdir(j.work);
        snprintf(why, why_size, "the path %s is too long", o->to_dir);
        return OBR_ELIMIT;
    }
    strcat(j.tmp, ".part");
    j.contents = json_array();
    j.logs = json_array();
    j.io = malloc(IO_BYTES);
    const char *db_entry = NULL;
    char snap[BACKUP_PATH_MAX];
    rc = (j.contents && j.logs && j.io) ? 0 : OBR_ENOMEM;
    rc = rc ? rc : backup_path(snap, sizeof snap, j.work, is_pg ? BACKUP_PG_ENTRY : "obrady.db");
    if (!rc && is_pg) {
        /* The logs' heads are read in the very snapshot pg_dump takes. */
        progress(&j, "snapshot", 0, 1);
        rc = backup_pg_snapshot(o->database_url, snap, j.work, j.logs, why, why_size);
        db_entry = BACKUP_PG_ENTRY;
    } else if (!rc &&
               (rc = backup_snapshot_db(o->data_dir, snap, &db_entry, o->progress, o->ctx))) {
        fail(&j, rc, "cannot take a snapshot of the database (%s): %s", obr_strerror(rc));
    }
    rc = rc || is_pg ? rc : record_logs(&j, snap);
    rc = rc ? rc : add_entry(&j, db_entry);
    rc = rc ? rc : add_entry(&j, "secret.key");
    /* The installation's board-signing key: a restored installation must sign
     * and print the same public key as before. Made at the first start. */
    char signing[BACKUP_PATH_MAX];
    if (!rc && !backup_path(signing, sizeof signing, o->data_dir, "signing.key") &&
        access(signing, F_OK) == 0)
        rc = add_entry(&j, "signing.key");
    /* On PostgreSQL the documents are in the database (store/files.h), so in
     * the dump; the node's DATA/files is only its cache. */
    rc = rc || is_pg ? rc : add_files(&j);
    rc = rc ? rc : add_audio(&j);
    json_t *header = rc ? NULL : make_header(&j, inst, now_ms);
    if (!rc && !header)
        rc = OBR_ENOMEM;
    rc = rc ? rc : write_backup(&j, header);
    json_decref(header);
    if (!rc) {
        progress(&j, "verifying", 0, j.total);
        struct backup_check_opts co = {.key = o->key};
        struct backup_check_result cr;
        rc = backup_check(j.tmp, &co, &cr, why, why_size);
        json_decref(cr.header);
        if (rc)
            snprintf(why + strlen(why), why_size - strlen(why), " (the new backup did not verify)");
    }
    if (!rc && (rc = publish(&j, now_ms, r)) == 0) {
        struct stat st;
        r->size_bytes = stat(r->path, &st) ? 0 : (uint64_t)st.st_size;
        r->content_bytes = j.total;
        r->n_files = (int)json_array_size(j.contents);
        r->n_logs = (int)json_array_size(j.logs);
        r->created_ms = now_ms;
    }
    if (rc && !*why)
        snprintf(why, why_size, "%s", obr_strerror(rc));
    cleanup(&j);
    json_decref(j.contents);
    json_decref(j.logs);
    free(j.io);
    return rc;
}
