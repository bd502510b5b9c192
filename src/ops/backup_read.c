/* backup_read.c — `obrady backup verify` and `backup restore`: one pass over
 * a backup that authenticates every chunk, checks every entry's size and
 * SHA-256 against the header and, when asked (always for a restore), every
 * log's hash chain and head in the database inside. A restore writes into a
 * hidden sibling directory and renames it into place only when all of that
 * held, so a refused backup never leaves a half-restored installation. */
#include "ops/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log/eventlog.h"
#include "ops/backup_pg.h"
#include "store/db.h"
#include "util/err.h"

#define IO_BYTES (256u << 10)

struct reading {
    struct bk_reader *rd;
    const char *dir; /* where entries are written; NULL: nowhere */
    bool is_restore;
    unsigned char *io;
    char *why;
    size_t why_size;
};

static bool is_sha_hex(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

/* Reads one entry of size bytes, hashing it and writing it under r->dir. */
static int read_entry(struct reading *r, const char *name, uint64_t size, const char *sha)
{
    int fd = -1;
    char path[BACKUP_PATH_MAX];
    bool is_db = !strcmp(name, "obrady.db") || !strcmp(name, BACKUP_PG_ENTRY);
    if (r->dir && (r->is_restore || is_db)) {
        char sub[BACKUP_PATH_MAX];
        if (backup_path(path, sizeof path, r->dir, name) ||
            backup_path(sub, sizeof sub, r->dir, "files")) {
            snprintf(r->why, r->why_size, "the path %s is too long", r->dir);
            return OBR_ELIMIT;
        }
        if (!strncmp(name, "files/", 6))
            mkdir(sub, 0700);
        if (!strncmp(name, "audio/", 6) && !backup_path(sub, sizeof sub, r->dir, "audio"))
            mkdir(sub, 0750);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            snprintf(r->why, r->why_size, "cannot create %s: %s", path, strerror(errno));
            return errno == ENOSPC ? OBR_EFULL : OBR_EIO;
        }
    }
    struct sha256_ctx h;
    sha256_init(&h);
    uint64_t left = size;
    int rc = 0;
    while (left && !rc) {
        size_t want = left < IO_BYTES ? (size_t)left : IO_BYTES, got = 0;
        if ((rc = bk_read(r->rd, r->io, want, &got, r->why, r->why_size)))
            break;
        if (got < want) {
            snprintf(r->why, r->why_size, "%s: the content ends %llu bytes early", name,
                     (unsigned long long)(left - got));
            rc = OBR_ECORRUPT;
        }
        sha256_update(&h, got, r->io);
        if (fd >= 0 && write(fd, r->io, got) != (ssize_t)got) {
            snprintf(r->why, r->why_size, "cannot write %s: %s", path, strerror(errno));
            rc = errno == ENOSPC ? OBR_EFULL : OBR_EIO;
        }
        left -= got;
    }
    if (fd >= 0 && (fsync(fd) || close(fd)) && !rc) {
        snprintf(r->why, r->why_size, "cannot write %s: %s", path, strerror(errno));
        rc = OBR_EIO;
    }
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_digest(&h, sizeof d, d);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    if (!rc && strcmp(hex, sha)) {
        snprintf(r->why, r->why_size, "%s: its SHA-256 differs from the header's", name);
        rc = OBR_ECORRUPT;
    }
    return rc;
}

static int read_contents(struct reading *r, json_t *header, struct backup_check_result *res)
{
    json_t *contents = json_object_get(header, "contents");
    if (!json_is_array(contents) || json_array_size(contents) == 0) {
        snprintf(r->why, r->why_size, "header damaged: no contents list");
        return OBR_ECORRUPT;
    }
    size_t i;
    json_t *e;
    json_array_foreach (contents, i, e) {
        const char *name = json_string_value(json_object_get(e, "path"));
        const char *sha = json_string_value(json_object_get(e, "sha256"));
        json_t *size = json_object_get(e, "size");
        if (!name || !backup_entry_name_ok(name) || !is_sha_hex(sha) || !json_is_integer(size) ||
            json_integer_value(size) < 0) {
            snprintf(r->why, r->why_size, "header damaged: content entry %zu is not valid", i);
            return OBR_ECORRUPT;
        }
        for (size_t k = 0; k < i; k++)
            if (!strcmp(name,
                        json_string_value(json_object_get(json_array_get(contents, k), "path")))) {
                snprintf(r->why, r->why_size, "header damaged: %s listed twice", name);
                return OBR_ECORRUPT;
            }
        int rc = read_entry(r, name, (uint64_t)json_integer_value(size), sha);
        if (rc)
            return rc;
        res->content_bytes += (uint64_t)json_integer_value(size);
        res->n_files++;
    }
    size_t got = 0;
    unsigned char extra;
    int rc = bk_read(r->rd, &extra, 1, &got, r->why, r->why_size);
    if (!rc && got) {
        snprintf(r->why, r->why_size, "the content is longer than the header says");
        rc = OBR_ECORRUPT;
    }
    return rc;
}

/* Logs are independent: they are recomputed by a few threads, each with
 * its own connection, taking the next log as they finish one. */
struct verify_pool {
    const char *db_file;
    json_t *logs;
    size_t next; /* atomic */
    struct log_verify_result *res;
    int *rcs;
};

static void *verify_worker(void *arg)
{
    struct verify_pool *p = arg;
    struct db_config dc = {.sqlite_path = p->db_file};
    struct db *db = NULL;
    int open_rc = db_open(&dc, &db);
    for (;;) {
        size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
        if (i >= json_array_size(p->logs))
            break;
        const char *id = json_string_value(json_object_get(json_array_get(p->logs, i), "meeting"));
        p->rcs[i] = open_rc ? open_rc : id ? log_verify(db, id, &p->res[i]) : OBR_ECORRUPT;
    }
    db_close(db);
    return NULL;
}

static int verify_all(const char *db_file, json_t *logs, struct log_verify_result *res, int *rcs)
{
    struct verify_pool p = {.db_file = db_file, .logs = logs, .res = res, .rcs = rcs};
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int n = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
    pthread_t t[8];
    int started = 0;
    for (; started < n - 1; started++)
        if (pthread_create(&t[started], NULL, verify_worker, &p))
            break;
    verify_worker(&p);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    return 0;
}

/* Every log in the restored database verifies, and the set of logs, their
 * lengths and heads are exactly the header's. */
static int check_logs(struct reading *r, json_t *header, struct backup_check_result *res)
{
    char path[BACKUP_PATH_MAX];
    if (backup_path(path, sizeof path, r->dir, "obrady.db"))
        return OBR_ELIMIT;
    struct db_config dc = {.sqlite_path = path};
    struct db *db = NULL;
    int rc = db_open(&dc, &db);
    json_t *ids = rc ? NULL : log_list_json(db);
    db_close(db);
    json_t *logs = json_object_get(header, "logs");
    size_t n = json_array_size(logs);
    if (!rc && !ids)
        rc = OBR_EDB;
    if (!rc && json_array_size(ids) != n) {
        snprintf(r->why, r->why_size, "the database holds %zu logs, the header lists %zu",
                 json_array_size(ids), n);
        rc = OBR_ECORRUPT;
    }
    json_decref(ids);
    struct log_verify_result *v = rc ? NULL : calloc(n ? n : 1, sizeof *v);
    int *rcs = rc ? NULL : calloc(n ? n : 1, sizeof *rcs);
    if (!rc && (!v || !rcs))
        rc = OBR_ENOMEM;
    if (!rc)
        verify_all(path, logs, v, rcs);
    for (size_t i = 0; !rc && i < n; i++) {
        json_t *l = json_array_get(logs, i);
        const char *id = json_string_value(json_object_get(l, "meeting"));
        const char *head = json_string_value(json_object_get(l, "head"));
        if (!id || !head || rcs[i]) {
            snprintf(r->why, r->why_size, "log entry %zu of the header cannot be checked: %s", i,
                     obr_strerror(rcs[i] ? rcs[i] : OBR_ECORRUPT));
            rc = rcs[i] ? rcs[i] : OBR_ECORRUPT;
        } else if (v[i].bad_seq) {
            snprintf(r->why, r->why_size, "log %s is broken at seq %lld: %s", id,
                     (long long)v[i].bad_seq, v[i].why);
            rc = OBR_ECORRUPT;
        } else if (strcmp(v[i].head, head) ||
                   v[i].events != json_integer_value(json_object_get(l, "events"))) {
            snprintf(r->why, r->why_size,
                     "log %s: head %s after %lld events, the header "
                     "says %s",
                     id, v[i].head, (long long)v[i].events, head);
            rc = OBR_ECORRUPT;
        } else {
            res->n_events += v[i].events;
            res->n_logs++;
        }
    }
    free(v);
    free(rcs);
    if (rc && !*r->why)
        snprintf(r->why, r->why_size, "cannot read the database inside: %s", obr_strerror(rc));
    return rc;
}

static void remove_tree(const char *dir)
{
    char sub[BACKUP_PATH_MAX], path[BACKUP_PATH_MAX + 300];
    static const char *const subs[] = {"files", "audio"};
    for (size_t k = 0; k < 2; k++) {
        DIR *d = backup_path(sub, sizeof sub, dir, subs[k]) ? NULL : opendir(sub);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            if (!backup_path(path, sizeof path, sub, de->d_name))
                unlink(path);
        }
        if (d)
            closedir(d);
        rmdir(sub);
    }
    static const char *const names[] = {"obrady.db", "obrady.db-wal", "obrady.db-shm",
                                        "obrady.db-journal", "secret.key",
                                        "signing.key", BACKUP_PG_ENTRY,
                                        "pg-tool.log", "events.sql"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        if (!backup_path(path, sizeof path, dir, names[i]))
            unlink(path);
    }
    rmdir(dir);
}

static bool has_entry(json_t *header, const char *name)
{
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(header, "contents"), i, e)
        if (json_is_string(json_object_get(e, "path")) &&
            !strcmp(json_string_value(json_object_get(e, "path")), name))
            return true;
    return false;
}

/* 0 when target is absent or an empty directory. */
static int target_free(const char *target, char *why, size_t why_size)
{
    DIR *d = opendir(target);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        snprintf(why, why_size, "%s: %s", target, strerror(errno));
        return errno == ENOTDIR ? OBR_EEXISTS : OBR_EIO;
    }
    struct dirent *de;
    bool is_empty = true;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            is_empty = false;
    closedir(d);
    if (!is_empty) {
        snprintf(why, why_size, "%s is not empty: restore only into a new or empty directory",
                 target);
        return OBR_EEXISTS;
    }
    return 0;
}

/* A hidden work directory inside parent, or beside base when parent is NULL. */
static int make_work_dir(const char *parent, const char *base, char *out, size_t size, char *why,
                         size_t why_size)
{
    char copy[BACKUP_PATH_MAX];
    snprintf(copy, sizeof copy, "%s", base);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = 0;
    snprintf(out, size, "%s/.obrady-check-XXXXXX", parent ? parent : dirname(copy));
    if (!mkdtemp(out)) {
        snprintf(why, why_size, "cannot create a work directory %s: %s", out, strerror(errno));
        out[0] = 0;
        return errno == ENOSPC ? OBR_EFULL : OBR_EIO;
    }
    return 0;
}

int backup_check(const char *path, const struct backup_check_opts *o,
                 struct backup_check_result *res, char *why, size_t why_size)
{
    memset(res, 0, sizeof *res);
    *why = 0;
    int rc = o->restore_to ? target_free(o->restore_to, why, why_size) : 0;
    bool is_to_pg = o->restore_database && *o->restore_database;
    if (!rc && o->restore_to && is_to_pg)
        rc = backup_pg_target_empty(o->restore_database, why, why_size);
    if (rc)
        return rc;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "cannot open %s: %s", path, strerror(errno));
        return errno == ENOENT ? OBR_ENOTFOUND : OBR_EIO;
    }
    struct reading r = {.why = why, .why_size = why_size, .is_restore = o->restore_to != NULL};
    char work[BACKUP_PATH_MAX] = "";
    r.rd = bk_reader_new(f, o->key, why, why_size);
    if (!r.rd) {
        fclose(f);
        return strncmp(why, "wrong key", 9) ? OBR_ECORRUPT : OBR_EINVAL;
    }
    res->header = json_incref(bk_reader_header(r.rd));
    if (o->restore_to && is_to_pg != has_entry(res->header, BACKUP_PG_ENTRY)) {
        snprintf(why, why_size, is_to_pg
                     ? "this backup holds a SQLite store: restore it without --database"
                     : "this backup holds a PostgreSQL dump: restore it with --database "
                       "postgresql://… naming an empty database");
        bk_reader_free(r.rd);
        fclose(f);
        return OBR_EINVAL;
    }
    bool is_checking = o->is_checking_logs || o->restore_to;
    if (is_checking)
        rc = o->restore_to ? make_work_dir(NULL, o->restore_to, work, sizeof work, why, why_size)
                           : make_work_dir(o->tmp_dir, path, work, sizeof work, why, why_size);
    r.dir = work[0] ? work : NULL;
    r.io = malloc(IO_BYTES);
    rc = rc ? rc : r.io ? read_contents(&r, res->header, res) : OBR_ENOMEM;
    res->chunks = bk_reader_chunks(r.rd);
    bk_reader_free(r.rd);
    fclose(f);
    free(r.io);
    /* A PostgreSQL dump: its event log is rebuilt in a scratch SQLite file
     * (work/obrady.db), where the same chain check runs; a restore then
     * loads the dump into the empty target database and checks it there. */
    char dump[BACKUP_PATH_MAX], scratch[BACKUP_PATH_MAX];
    bool is_pg = !rc && has_entry(res->header, BACKUP_PG_ENTRY);
    if (is_pg && is_checking && !(rc = backup_path(dump, sizeof dump, work, BACKUP_PG_ENTRY)) &&
        !(rc = backup_path(scratch, sizeof scratch, work, "obrady.db")))
        rc = backup_pg_events_to_sqlite(dump, scratch, work, why, why_size);
    if (!rc && is_checking)
        rc = check_logs(&r, res->header, res);
    if (!rc && is_pg && o->restore_to) {
        rc = backup_pg_restore(o->restore_database, dump, work,
                               json_object_get(res->header, "logs"), why, why_size);
        unlink(scratch);
        unlink(dump);
    }
    if (!rc && o->restore_to) {
        rmdir(o->restore_to); /* empty (checked above) or absent */
        if (rename(work, o->restore_to)) {
            snprintf(why, why_size, "cannot move the restored data to %s: %s", o->restore_to,
                     strerror(errno));
            rc = OBR_EIO;
        } else {
            work[0] = 0;
        }
    }
    if (work[0])
        remove_tree(work);
    if (rc && !*why)
        snprintf(why, why_size, "%s", obr_strerror(rc));
    return rc;
}
