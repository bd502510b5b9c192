/* migrate_store.c — `obrady migrate-store --data DIR --to postgresql://…`.
 * Both stores are brought to the current schema, the target must be empty,
 * then every table is copied row by row in one PostgreSQL transaction, in
 * an order that satisfies the foreign keys, with the columns the target
 * declares (their types say how each value is read and bound). The copy is
 * committed only when every log (meetings, organisations, the instance) has
 * the same head seq and hash on both sides. SQL is built here only from the
 * fixed table list and the target's own catalogue, never from input. */
#include "ops/migrate_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/eventlog.h"
#include "store/db.h"
#include "store/files.h"
#include "util/buf.h"

/* Every table of the schema, parents before children; order: how rows are
 * read, so that a row's parent (votes.repeat_of) and the ballots' order of
 * arrival (rowid) survive. */
static const struct {
    const char *name, *order;
} tables[] = {
    {"users", "id"},           {"voter_keys", "user_id"},
    {"orgs", "id"},
    {"org_staff", "org_id, user_id"},
    {"bodies", "id"},          {"members", "id"},
    {"login_codes", "email"},  {"sessions", "id"},
    {"totp_recovery_codes", "user_id, code_hash"},
    {"access_links", "token_hash"},
    {"outbox", "id"},          {"meetings", "id"},
    {"agenda_items", "id"},    {"documents", "id"},
    {"file_blobs", "sha256"},  {"file_chunks", "sha256, n"},
    {"report_files", "report_id"},
    {"meeting_participants", "meeting_id, user_id"},
    {"deadlines", "id"},       {"votes", "created_ms, id"},
    {"ballots", "rowid"},      {"vote_elections", "vote_id"},
    {"secret_voters", "vote_id, user_id"},
    {"secret_ballots", "vote_id, tracker"},
    {"vote_trustees", "vote_id, idx"},
    {"trustee_shares", "vote_id, from_idx, to_idx"},
    {"vote_electorate", "vote_id, user_id"},
    {"hand_ballots", "vote_id, ballot_id"},
    {"ballots_current", "vote_id, user_id"},
    {"vote_weights", "vote_id, user_id"},
    {"vote_confirmations", "vote_id, user_id"},
    {"meeting_templates", "id"},
    {"interpellations", "id"},  {"interp_files", "id"},
    {"job_leases", "name"},    {"rate_buckets", "key"},
    {"sms_prefs", "user_id"},  {"sms_outbox", "id"},
    {"proxies", "id"},         {"proxy_ballots", "vote_id, ballot_id"},
    {"events", "meeting_id, seq"},
};
#define N_TABLES (sizeof tables / sizeof tables[0])
#define MAX_COLS 64

static const char USAGE[] =
    "usage: obrady migrate-store --data DIR --to postgresql://USER:PASSWORD@HOST:PORT/DB\n"
    "\n"
    "Copies the SQLite store of DIR (DIR/obrady.db) into an empty PostgreSQL\n"
    "database and checks that every log's head hash arrived unchanged. Stop the\n"
    "server first; afterwards run it with --database (the documents of DIR/files\n"
    "are copied into the database; secret.key and signing.key stay in DIR and\n"
    "every node needs a copy).\n";

DB_QUERY(q_tables, "migrate_tables",
         "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
         " AND table_type = 'BASE TABLE'"
         " AND table_name NOT IN ('schema_migrations', 'wal_sync', 'store_generations')");
DB_QUERY(q_columns, "migrate_columns",
         "SELECT column_name, data_type FROM information_schema.columns"
         " WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position");
DB_QUERY(q_logs, "migrate_logs", "SELECT DISTINCT meeting_id FROM events ORDER BY meeting_id");

enum col_kind { COL_TEXT, COL_INT, COL_BLOB };

/* Queries made at run time (a count and a copy pair per table); kept until
 * both connections are closed, since their statements stay in the
 * connections' caches. */
struct dyn {
    struct db_query q[3 * N_TABLES];
    char *sql[3 * N_TABLES];
    int n;
};

static struct db_query *dyn_query(struct dyn *d, char *sql)
{
    if (!sql || d->n == (int)(sizeof d->q / sizeof d->q[0])) {
        free(sql);
        return NULL;
    }
    d->sql[d->n] = sql;
    d->q[d->n] = (struct db_query){"migrate_copy", sql, -1};
    return &d->q[d->n++];
}

static bool is_known(const char *name)
{
    for (size_t i = 0; i < N_TABLES; i++)
        if (!strcmp(tables[i].name, name))
            return true;
    return false;
}

/* The target's tables must be exactly ours: a table this list misses would
 * be left behind silently. */
static int check_tables(struct db *to)
{
    struct db_stmt *s = db_prepare(to, &q_tables);
    int rc, n = 0, err = 0;
    while ((rc = db_step(s)) == DB_ROW) {
        n++;
        if (!is_known(db_col_text(s, 0))) {
            fprintf(stderr, "obrady: migrate-store does not know the table %s\n",
                    db_col_text(s, 0));
            err = OBR_ECONFLICT;
        }
    }
    db_stmt_done(s);
    if (rc < 0)
        return rc;
    if (!err && n != (int)N_TABLES) {
        fprintf(stderr, "obrady: the target has %d tables, migrate-store copies %zu\n", n,
                N_TABLES);
        err = OBR_ECONFLICT;
    }
    return err;
}

/* Copies one table; *rows gets the count. */
static int copy_table(struct db *from, struct db *to, struct dyn *d, size_t t, long *rows)
{
    char names[MAX_COLS][64];
    enum col_kind kinds[MAX_COLS];
    int ncols = 0, rc;
    struct db_stmt *s = db_prepare(to, &q_columns);
    db_bind_text(s, 1, tables[t].name);
    while ((rc = db_step(s)) == DB_ROW && ncols < MAX_COLS) {
        snprintf(names[ncols], sizeof names[ncols], "%s", db_col_text(s, 0));
        const char *type = db_col_text(s, 1);
        kinds[ncols++] = !strcmp(type, "bytea")                                 ? COL_BLOB
                         : !strcmp(type, "bigint") || !strcmp(type, "integer") ? COL_INT
                                                                                : COL_TEXT;
    }
    db_stmt_done(s);
    if (rc < 0)
        return rc;
    struct buf sel = BUF_INIT, ins = BUF_INIT, vals = BUF_INIT;
    buf_printf(&sel, "SELECT ");
    buf_printf(&ins, "INSERT INTO %s (", tables[t].name);
    for (int c = 0; c < ncols; c++) {
        buf_printf(&sel, "%s%s", c ? ", " : "", names[c]);
        buf_printf(&ins, "%s%s", c ? ", " : "", names[c]);
        buf_printf(&vals, "%s$%d", c ? ", " : "", c + 1);
    }
    buf_printf(&sel, " FROM %s ORDER BY %s", tables[t].name, tables[t].order);
    char *v = buf_take(&vals);
    buf_printf(&ins, ") VALUES (%s)", v ? v : "");
    free(v);
    struct db_query *qs = dyn_query(d, buf_take(&sel));
    struct db_query *qi = dyn_query(d, buf_take(&ins));
    if (!qs || !qi)
        return OBR_ENOMEM;
    struct db_stmt *r = db_prepare(from, qs);
    int err = 0;
    *rows = 0;
    while (!err && (rc = db_step(r)) == DB_ROW) {
        struct db_stmt *w = db_prepare(to, qi);
        for (int c = 0; c < ncols && !err; c++) {
            size_t len = 0;
            if (db_col_is_null(r, c))
                err = db_bind_null(w, c + 1);
            else if (kinds[c] == COL_INT)
                err = db_bind_int(w, c + 1, db_col_int(r, c));
            else if (kinds[c] == COL_BLOB) {
                const void *b = db_col_blob(r, c, &len);
                err = db_bind_blob(w, c + 1, b, len);
            } else
                err = db_bind_text(w, c + 1, db_col_text(r, c));
        }
        err = err ? (db_stmt_done(w), err) : db_run(w);
        (*rows)++;
    }
    db_stmt_done(r);
    return err ? err : rc < 0 ? rc : 0;
}

/* Every log's head on both sides; the number of logs in *n. */
static int check_heads(struct db *from, struct db *to, long *n)
{
    struct db_stmt *s = db_prepare(from, &q_logs);
    int rc, err = 0;
    *n = 0;
    while (!err && (rc = db_step(s)) == DB_ROW) {
        const char *id = db_col_text(s, 0);
        int64_t seq_a = 0, seq_b = 0;
        char head_a[EVENT_HASH_HEX + 1] = "", head_b[EVENT_HASH_HEX + 1] = "";
        err = log_head(from, id, &seq_a, head_a);
        if (!err)
            err = log_head(to, id, &seq_b, head_b);
        if (!err && (seq_a != seq_b || strcmp(head_a, head_b))) {
            fprintf(stderr, "obrady: log %s arrived different: #%lld %s, source #%lld %s\n", id,
                    (long long)seq_b, head_b, (long long)seq_a, head_a);
            err = OBR_ECORRUPT;
        }
        (*n)++;
    }
    db_stmt_done(s);
    return err ? err : rc < 0 ? rc : 0;
}

static int copy_all(struct db *from, struct db *to, struct dyn *d, const char *data_dir)
{
    int err = check_tables(to);
    for (size_t t = 0; t < N_TABLES && !err; t++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tables[t].name);
        struct db_query *q = dyn_query(d, strdup(sql));
        struct db_stmt *s = q ? db_prepare(to, q) : NULL;
        int rc = db_step(s);
        if (rc == DB_ROW && db_col_int(s, 0) > 0) {
            fprintf(stderr, "obrady: the target database is not empty (table %s has rows)\n",
                    tables[t].name);
            err = OBR_ECONFLICT;
        } else if (rc < 0) {
            err = rc;
        }
        db_stmt_done(s);
    }
    if (!err)
        err = db_begin_write(to);
    long total = 0;
    for (size_t t = 0; t < N_TABLES && !err; t++) {
        long rows = 0;
        err = copy_table(from, to, d, t, &rows);
        if (err)
            fprintf(stderr, "obrady: copying %s failed: %s\n", tables[t].name, obr_strerror(err));
        total += rows;
    }
    /* New ballots must sort after the copied ones. */
    if (!err)
        err = db_exec(to, "SELECT setval(pg_get_serial_sequence('ballots', 'rowid'),"
                          " COALESCE((SELECT MAX(rowid) FROM ballots), 0) + 1, false)");
    /* The documents' bytes (DATA/files) go into the database with the rows:
     * on PostgreSQL every node serves them from there. */
    long files = 0, missing = 0;
    if (!err)
        err = files_import_local(to, data_dir, &files, &missing);
    if (missing)
        fprintf(stderr, "obrady: warning: %ld document files are missing from %s/files\n",
                missing, data_dir);
    long logs = 0;
    if (!err)
        err = check_heads(from, to, &logs);
    if (!err)
        err = db_commit(to);
    if (err) {
        db_rollback(to);
        return err;
    }
    printf("copied %ld rows of %zu tables and %ld files; %ld logs, every head hash equal\n",
           total, N_TABLES, files, logs);
    return 0;
}

static int open_migrated(const struct db_config *dc, const char *what, struct db **out)
{
    int rc = db_open(dc, out);
    if (!rc)
        rc = db_migrate(*out);
    if (rc) {
        fprintf(stderr, "obrady: cannot use %s: %s\n", what,
                *db_last_error() ? db_last_error() : obr_strerror(rc));
        db_close(*out);
        *out = NULL;
    }
    return rc;
}

int migrate_store_main(int argc, char **argv)
{
    const char *data = NULL, *to_url = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(USAGE, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
            data = argv[++i];
        } else if (!strcmp(argv[i], "--to") && i + 1 < argc) {
            to_url = argv[++i];
        } else {
            fprintf(stderr, "obrady: unexpected '%s'\n%s", argv[i], USAGE);
            return 2;
        }
    }
    if (!data || !to_url || !db_url_is_postgres(to_url)) {
        fputs(USAGE, stderr);
        return 2;
    }
    char path[1024];
    snprintf(path, sizeof path, "%s/obrady.db", data);
    struct db_config from_cfg = {.sqlite_path = path}, to_cfg = {.url = to_url};
    struct db *from = NULL, *to = NULL;
    if (open_migrated(&from_cfg, path, &from))
        return 1;
    if (open_migrated(&to_cfg, "the PostgreSQL database", &to)) {
        db_close(from);
        return 1;
    }
    struct dyn *d = calloc(1, sizeof *d);
    int err = d ? copy_all(from, to, d, data) : OBR_ENOMEM;
    db_close(from);
    db_close(to);
    for (int i = 0; d && i < d->n; i++)
        free(d->sql[i]);
    free(d);
    if (err)
        fprintf(stderr, "obrady: nothing was copied (%s)\n", obr_strerror(err));
    return err ? 1 : 0;
}
