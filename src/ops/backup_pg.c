/* backup_pg.c — backups of a PostgreSQL installation (see backup_pg.h).
 * The dump and the logs' heads come from one exported snapshot: the heads
 * in the header are exactly those inside the dump, whatever was written
 * meanwhile. pg_dump and pg_restore are Debian's postgresql-client. */
#include "ops/backup_pg.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log/eventlog.h"
#include "ops/backup.h"
#include "store/db.h"
#include "store/db_util.h"
#include "util/err.h"

DB_QUERY(q_export, "backup_pg_export", "SELECT pg_export_snapshot()");
DB_QUERY(q_tables, "backup_pg_tables",
         "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()");
DB_QUERY(q_event_put, "backup_pg_event_put",
         "INSERT INTO events (meeting_id, seq, ts_ms, actor, type, payload, visibility, "
         "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");

/* Runs argv with url's connection settings in the environment (libpq's own
 * variables: PGHOST, PGPASSWORD, …), stdout to out_path (or /dev/null) and
 * stderr to work/pg-tool.log, whose first line goes into why on failure. */
static int run_tool(const char *url, char *const argv[], const char *out_path, const char *work,
                    char *why, size_t why_size)
{
    char *err = NULL;
    PQconninfoOption *opts = PQconninfoParse(url, &err);
    if (!opts) {
        snprintf(why, why_size, "the database URL does not parse");
        PQfreemem(err);
        return OBR_EINVAL;
    }
    char log_path[BACKUP_PATH_MAX];
    if (backup_path(log_path, sizeof log_path, work, "pg-tool.log")) {
        PQconninfoFree(opts);
        return OBR_ELIMIT;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        for (PQconninfoOption *o = opts; o->keyword; o++)
            if (o->envvar && o->val && *o->val)
                setenv(o->envvar, o->val, 1);
        int out = open(out_path ? out_path : "/dev/null",
                       out_path ? O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY, 0600);
        int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out < 0 || log < 0 || dup2(out, 1) < 0 || dup2(log, 2) < 0)
            _exit(126);
        execvp(argv[0], argv);
        dprintf(2, "cannot run %s: %s (install postgresql-client)\n", argv[0], strerror(errno));
        _exit(127);
    }
    PQconninfoFree(opts);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        snprintf(why, why_size, "cannot run %s: %s", argv[0], strerror(errno));
        return OBR_EIO;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        unlink(log_path);
        return 0;
    }
    char line[400] = "";
    FILE *f = fopen(log_path, "r");
    if (f) {
        if (!fgets(line, sizeof line, f))
            line[0] = 0;
        fclose(f);
    }
    line[strcspn(line, "\n")] = 0;
    unlink(log_path);
    snprintf(why, why_size, "%s failed: %s", argv[0], line[0] ? line : "no message");
    return strstr(line, "No space left") ? OBR_EFULL : OBR_EIO;
}

static int open_url(const char *url, struct db **db, char *why, size_t why_size)
{
    struct db_config dc = {.url = url};
    int rc = db_open(&dc, db);
    if (rc)
        snprintf(why, why_size, "cannot open the PostgreSQL database: %s",
                 *db_last_error() ? db_last_error() : obr_strerror(rc));
    return rc;
}

/* Every log of the store db with its length and head, appended to logs. */
static int list_heads(struct db *db, json_t *logs)
{
    json_t *ids = log_list_json(db);
    if (!ids)
        return OBR_EDB;
    size_t i;
    json_t *v;
    int rc = 0;
    json_array_foreach (ids, i, v) {
        int64_t seq;
        char head[EVENT_HASH_HEX + 1];
        if ((rc = log_head(db, json_string_value(v), &seq, head)))
            break;
        json_array_append_new(logs, json_pack("{s:s,s:I,s:s}", "meeting", json_string_value(v),
                                              "events", (json_int_t)seq, "head", head));
    }
    json_decref(ids);
    return rc;
}

int backup_pg_snapshot(const char *url, const char *dst, const char *work, json_t *logs,
                       char *why, size_t why_size)
{
    struct db *db = NULL;
    int rc = open_url(url, &db, why, why_size);
    if (rc)
        return rc;
    char snapshot[128] = "";
    rc = db_begin(db); /* REPEATABLE READ: the snapshot pg_dump shares */
    struct db_stmt *s = rc ? NULL : db_prepare(db, &q_export);
    if (!rc && (rc = db_step_one(s)) == DB_ROW) {
        db_col_copy(s, 0, snapshot, sizeof snapshot);
        rc = 0;
    }
    db_stmt_done(s);
    if (!rc && (rc = list_heads(db, logs)))
        snprintf(why, why_size, "cannot read the logs' heads: %s", obr_strerror(rc));
    if (!rc) {
        char snap_arg[160], file_arg[BACKUP_PATH_MAX + 16];
        snprintf(snap_arg, sizeof snap_arg, "--snapshot=%s", snapshot);
        snprintf(file_arg, sizeof file_arg, "--file=%s", dst);
        char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                        "--compress=0", snap_arg, file_arg, NULL};
        rc = run_tool(url, argv, NULL, work, why, why_size);
    }
    db_rollback(db); /* the snapshot must stay exported until pg_dump has it */
    db_close(db);
    if (rc && !*why)
        snprintf(why, why_size, "cannot take a snapshot of the database: %s", obr_strerror(rc));
    return rc;
}

/* Undoes COPY's text escapes in place; NULL (\N) gives NULL. */
static char *copy_field(char *f)
{
    if (!strcmp(f, "\\N"))
        return NULL;
    char *o = f;
    for (char *p = f; *p; p++) {
        if (*p != '\\' || !p[1]) {
            *o++ = *p;
            continue;
        }
        p++;
        *o++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 'b' ? '\b'
             : *p == 'f' ? '\f' : *p == 'v' ? '\v' : *p;
    }
    *o = 0;
    return f;
}

static const char *const EVENT_COLS[] = {"meeting_id", "seq",        "ts_ms",
                                         "actor",      "type",       "payload",
                                         "visibility", "prev_hash",  "hash"};
#define N_EVENT_COLS 9

/* Maps the columns of "COPY public.events (a, b, …) FROM stdin;" to ours. */
static int map_columns(const char *header, int map[N_EVENT_COLS])
{
    const char *open = strchr(header, '('), *close = open ? strchr(open, ')') : NULL;
    if (!close)
        return OBR_ECORRUPT;
    int n = 0;
    for (int i = 0; i < N_EVENT_COLS; i++)
        map[i] = -1;
    for (const char *p = open + 1; p < close && n < 32; n++) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, ",)");
        for (int i = 0; i < N_EVENT_COLS; i++)
            if (strlen(EVENT_COLS[i]) == len && !strncmp(p, EVENT_COLS[i], len))
                map[i] = n;
        p += len + (p[len] == ',');
    }
    for (int i = 0; i < N_EVENT_COLS; i++)
        if (map[i] < 0)
            return OBR_ECORRUPT;
    return 0;
}

static int load_events(FILE *in, struct db *db, char *why, size_t why_size)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int map[N_EVENT_COLS], rc = OBR_ECORRUPT;
    bool is_in_copy = false;
    while ((len = getline(&line, &cap, in)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = 0;
        if (!is_in_copy) {
            if (!strncmp(line, "COPY ", 5) && strstr(line, "events (")) {
                if ((rc = map_columns(line, map)))
                    break;
                is_in_copy = true;
            }
            continue;
        }
        if (!strcmp(line, "\\.")) {
            rc = 0;
            break;
        }
        char *fields[32];
        int n = 0;
        for (char *p = line; n < 32;) {
            fields[n++] = p;
            char *tab = strchr(p, '\t');
            if (!tab)
                break;
            *tab = 0;
            p = tab + 1;
        }
        struct db_stmt *s = db_prepare(db, &q_event_put);
        for (int i = 0; i < N_EVENT_COLS; i++) {
            const char *v = map[i] < n ? copy_field(fields[map[i]]) : NULL;
            if (i == 1 || i == 2 || i == 6)
                db_bind_int(s, i + 1, v ? strtoll(v, NULL, 10) : 0);
            else
                db_bind_text(s, i + 1, v);
        }
        if ((rc = db_run(s)))
            break;
        rc = OBR_ECORRUPT; /* until the end marker */
    }
    free(line);
    if (rc)
        snprintf(why, why_size, "the dump's event log cannot be read (%s)", obr_strerror(rc));
    return rc;
}

int backup_pg_events_to_sqlite(const char *dump, const char *sqlite_path, const char *work,
                               char *why, size_t why_size)
{
    char sql[BACKUP_PATH_MAX];
    if (backup_path(sql, sizeof sql, work, "events.sql"))
        return OBR_ELIMIT;
    char file_arg[BACKUP_PATH_MAX + 16];
    snprintf(file_arg, sizeof file_arg, "--file=%s", sql);
    char *argv[] = {"pg_restore", "--data-only", "--table=events", file_arg, (char *)dump, NULL};
    /* pg_restore writing a file needs no database: an empty URL. */
    int rc = run_tool("", argv, NULL, work, why, why_size);
    FILE *in = rc ? NULL : fopen(sql, "r");
    if (!rc && !in)
        rc = OBR_EIO;
    struct db_config dc = {.sqlite_path = sqlite_path, .synchronous_normal = true};
    struct db *db = NULL;
    if (!rc && !(rc = db_open(&dc, &db)) && !(rc = db_migrate(db)) && !(rc = db_begin_write(db))) {
        rc = load_events(in, db, why, why_size);
        rc = rc ? (db_rollback(db), rc) : db_commit(db);
    }
    db_close(db);
    if (in)
        fclose(in);
    unlink(sql);
    if (rc && !*why)
        snprintf(why, why_size, "cannot rebuild the event log of the dump: %s", obr_strerror(rc));
    return rc;
}

int backup_pg_target_empty(const char *url, char *why, size_t why_size)
{
    struct db *db = NULL;
    int rc = open_url(url, &db, why, why_size);
    if (rc)
        return rc;
    struct db_stmt *s = db_prepare(db, &q_tables);
    rc = db_step_one(s);
    if (rc == DB_ROW) {
        int64_t n = db_col_int(s, 0);
        rc = 0;
        if (n > 0) {
            snprintf(why, why_size,
                     "the target database is not empty (%lld tables): restore only into an "
                     "empty database",
                     (long long)n);
            rc = OBR_EEXISTS;
        }
    }
    db_stmt_done(s);
    db_close(db);
    return rc;
}

int backup_pg_restore(const char *url, const char *dump, const char *work, json_t *header_logs,
                      char *why, size_t why_size)
{
    int rc = backup_pg_target_empty(url, why, why_size);
    if (rc)
        return rc;
    char *argv[] = {"pg_restore", "--no-owner", "--no-privileges", "--single-transaction",
                    "--exit-on-error", "--dbname=postgresql://", (char *)dump, NULL};
    if ((rc = run_tool(url, argv, NULL, work, why, why_size)))
        return rc;
    struct db *db = NULL;
    if ((rc = open_url(url, &db, why, why_size)))
        return rc;
    json_t *ids = log_list_json(db);
    if (!ids || json_array_size(ids) != json_array_size(header_logs)) {
        snprintf(why, why_size, "the restored database holds %zu logs, the header lists %zu",
                 json_array_size(ids), json_array_size(header_logs));
        rc = OBR_ECORRUPT;
    }
    size_t i;
    json_t *l;
    json_array_foreach (rc ? NULL : header_logs, i, l) {
        const char *id = json_string_value(json_object_get(l, "meeting"));
        const char *head = json_string_value(json_object_get(l, "head"));
        struct log_verify_result v = {0};
        rc = id && head ? log_verify(db, id, &v) : OBR_ECORRUPT;
        if (!rc && (v.bad_seq || strcmp(v.head, head) ||
                    v.events != json_integer_value(json_object_get(l, "events")))) {
            snprintf(why, why_size, "log %s in the restored database: head %s after %lld events, "
                     "the header says %s", id, v.head, (long long)v.events, head);
            rc = OBR_ECORRUPT;
        }
        if (rc)
            break;
    }
    json_decref(ids);
    db_close(db);
    return rc;
}
