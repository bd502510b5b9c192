/* db_pg.c — the store API of db.h on PostgreSQL through libpq. Statements
 * are prepared by name once per connection ("q<slot>", the slot of their
 * struct db_query), on first execution, with the types of that execution's
 * values (integers as int8, blobs as bytea, text left for the server to
 * infer), so the portable SQL of the repositories needs no casts. Results
 * come as text; bytea columns are decoded on demand. Writing transactions
 * take the writer key, a transaction-scoped advisory lock: exclusively
 * (db_begin_write), or shared plus one exclusive key per log appended to
 * (db_begin_log_write, db_lock_log), so logs of different meetings are
 * written side by side by every node. The schema is in db_pg_migrate.c,
 * the group commit's sync in db_pg_sync.c. */
#include "store/db.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/db_pg_impl.h"
#include "util/diag.h"

/* Type OIDs from the server's catalog (pg_type.h is a server header). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
/* The writer key ("obrw"): exclusive for db_begin_write, shared for log
 * transactions. Per-log keys are hashtextextended(log id, 0), 64 bits. */
#define WRITE_LOCK_KEY "1868722807"
/* Placeholders above this are refused (PostgreSQL's own limit is 65535). */
#define MAX_PLACEHOLDER 32766

struct db_stmt {
    const struct db_backend *be; /* &db_pg_backend; first, as db.c reads it */
    struct db *db;
    const struct db_query *q;
    char name[24];
    int nparams;           /* the highest $n in the SQL */
    char **values;         /* [nparams], malloc'd copies; NULL binds SQL NULL */
    int *lengths, *formats;
    Oid *types;            /* of the current bindings; used when preparing */
    bool is_prepared;      /* on this connection since its last reset */
    bool is_borrowed;      /* between db_prepare and db_stmt_done */
    bool is_directory_write; /* writes users, members, meeting_participants or bodies */
    PGresult *res;         /* of the execution being stepped; NULL before it */
    int row;               /* the current row of res */
    unsigned char **decoded; /* [ncols] bytea of the current row, decoded, malloc'd */
    size_t *decoded_len;
    int ncols;
};

/* ---- errors ---- */

/* Copies the first line of msg, without the "ERROR:" noise, into out. */
static void first_line(const char *msg, char *out, size_t size)
{
    if (!msg)
        msg = "";
    size_t n = strcspn(msg, "\n");
    if (n >= size)
        n = size - 1;
    memcpy(out, msg, n);
    out[n] = '\0';
}

static bool is_connection_state(const char *state)
{
    return state && (!strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
                     !strcmp(state, "57P02") || !strcmp(state, "57P03"));
}

int db_pg_map_error(struct db *db, const PGresult *res, const char *what)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    char msg[512];
    first_line(res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn), msg, sizeof msg);
    int err = OBR_EDB;
    enum diag_level level = DIAG_ERROR;
    if (PQstatus(db->conn) == CONNECTION_BAD || is_connection_state(state)) {
        db->is_lost = true;
        err = OBR_EBUSY;
        level = DIAG_WARN;
    } else if (!state) {
        err = OBR_EDB;
    } else if (!strcmp(state, "23505")) {
        err = OBR_EEXISTS;
        level = DIAG_DEBUG; /* often the expected answer ("already taken") */
    } else if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")) {
        err = OBR_EBUSY;
        level = DIAG_WARN;
    } else if (!strcmp(state, "53100")) {
        err = OBR_EFULL;
    } else if (!strcmp(state, "53200")) {
        err = OBR_ENOMEM;
    } else if (!strncmp(state, "54", 2)) {
        err = OBR_ELIMIT;
    }
    diag(level, "db: %s: %s (postgresql %s)", what, msg, state ? state : "connection");
    return err;
}

int db_pg_exec_what(struct db *db, const char *sql, const char *what)
{
    PGresult *res = PQexec(db->conn, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int err = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : db_pg_map_error(db, res, what);
    PQclear(res);
    return err;
}

/* ---- connections ---- */

static void on_notice(void *arg, const char *message)
{
    char line[512];
    first_line(message, line, sizeof line);
    diag(DIAG_DEBUG, "db: postgresql says: %s", line);
}

/* What every session of ours runs with: durable commits, UTC, UTF-8. */
static int configure(struct db *db)
{
    PQsetNoticeProcessor(db->conn, on_notice, NULL);
    if (PQsetClientEncoding(db->conn, "UTF8") != 0)
        return db_pg_map_error(db, NULL, "client_encoding");
    return db_pg_exec_what(db,
                           "SET synchronous_commit = on; SET TIME ZONE 'UTC'; "
                           "SET client_min_messages = warning",
                           "session settings");
}

static void stmt_clear_result(struct db_stmt *s)
{
    for (int i = 0; i < s->ncols; i++)
        free(s->decoded[i]);
    free(s->decoded);
    free(s->decoded_len);
    s->decoded = NULL;
    s->decoded_len = NULL;
    s->ncols = 0;
    PQclear(s->res);
    s->res = NULL;
    s->row = -1;
}

static void stmt_clear_bindings(struct db_stmt *s)
{
    for (int i = 0; i < s->nparams; i++) {
        free(s->values[i]);
        s->values[i] = NULL;
        s->lengths[i] = 0;
        s->formats[i] = 0;
        s->types[i] = 0;
    }
}

static void stmt_free(struct db_stmt *s)
{
    if (!s)
        return;
    stmt_clear_result(s);
    stmt_clear_bindings(s);
    free(s->values);
    free(s->lengths);
    free(s->formats);
    free(s->types);
    free(s);
}

/* Between transactions an idle connection has nothing to read unless the
 * server said goodbye (a restart sends an error, then closes): reading it
 * now finds a dead connection before a statement is sent on it, so a
 * PostgreSQL restart costs no request a 503 once it is back. */
static void notice_closed(struct db *db)
{
    struct pollfd p = {.fd = PQsocket(db->conn), .events = POLLIN};
    for (int i = 0; i < 4 && p.fd >= 0 && poll(&p, 1, 0) == 1; i++) {
        if (!PQconsumeInput(db->conn))
            break;
        PGnotify *n;
        while ((n = PQnotifies(db->conn)))
            PQfreemem(n);
    }
    if (PQstatus(db->conn) != CONNECTION_OK)
        db->is_lost = true;
}

/* Before a statement: a lost connection is reset, outside a transaction only
 * (the transaction died with it). Statements prepared on it are gone. */
static int ensure_connected(struct db *db)
{
    if (!db->is_lost && PQtransactionStatus(db->conn) == PQTRANS_IDLE)
        notice_closed(db);
    if (!db->is_lost && PQstatus(db->conn) == CONNECTION_OK)
        return 0;
    if (PQtransactionStatus(db->conn) == PQTRANS_INTRANS ||
        PQtransactionStatus(db->conn) == PQTRANS_INERROR)
        return OBR_EBUSY;
    PQreset(db->conn);
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char msg[256];
        first_line(PQerrorMessage(db->conn), msg, sizeof msg);
        diag(DIAG_WARN, "db: the database is unreachable: %s", msg);
        return OBR_EBUSY;
    }
    for (int i = 0; i < db->cache_len; i++)
        if (db->cache[i])
            db->cache[i]->is_prepared = false;
    db->is_lost = false;
    db->is_read_tx = false;
    db->has_directory_change = false;
    diag(DIAG_INFO, "db: reconnected to the database");
    return configure(db);
}

static int pg_open(const struct db_config *cfg, struct db **out)
{
    *out = NULL;
    struct db *db = calloc(1, sizeof *db);
    if (!db)
        return OBR_ENOMEM;
    db->be = &db_pg_backend;
    db->url = strdup(cfg->url);
    if (!db->url) {
        free(db);
        return OBR_ENOMEM;
    }
    /* The URL's own settings come after ours, so they win. */
    const char *keys[] = {"connect_timeout", "application_name", "dbname", NULL};
    const char *values[] = {"10", "obrady", cfg->url, NULL};
    db->conn = PQconnectdbParams(keys, values, 1);
    if (!db->conn) {
        free(db->url);
        free(db);
        db_set_error("out of memory");
        return OBR_ENOMEM;
    }
    if (PQstatus(db->conn) != CONNECTION_OK) {
        char msg[512];
        first_line(PQerrorMessage(db->conn), msg, sizeof msg);
        /* A bad URL or password is for the operator: never the URL itself,
         * which may hold the password. */
        db_set_error("cannot connect to PostgreSQL: %s", msg);
        diag(DIAG_DEBUG, "db: cannot connect to PostgreSQL: %s", msg);
        PQfinish(db->conn);
        free(db->url);
        free(db);
        return OBR_EIO;
    }
    int err = configure(db);
    if (err) {
        db_set_error("PostgreSQL refused the session settings");
        PQfinish(db->conn);
        free(db->url);
        free(db);
        return err;
    }
    *out = db;
    return 0;
}

static void pg_close(struct db *db)
{
    for (int i = 0; i < db->cache_len; i++)
        stmt_free(db->cache[i]);
    free(db->cache);
    PQfinish(db->conn); /* an open transaction is rolled back by the server */
    free(db->url);
    free(db);
}

/* ---- statements ---- */

static struct db_stmt *stmt_new(struct db *db, struct db_query *q, int slot)
{
    int nparams = db_pg_count_params(q->sql, MAX_PLACEHOLDER);
    if (nparams < 0) {
        OBR_BUG("query %s has a placeholder above $%d", q->name, MAX_PLACEHOLDER);
        return NULL;
    }
    struct db_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->be = &db_pg_backend;
    s->db = db;
    s->q = q;
    s->row = -1;
    s->nparams = nparams;
    s->is_directory_write = db_pg_writes_directory(q->sql);
    snprintf(s->name, sizeof s->name, "q%d", slot);
    size_t n = nparams ? (size_t)nparams : 1;
    s->values = calloc(n, sizeof *s->values);
    s->lengths = calloc(n, sizeof *s->lengths);
    s->formats = calloc(n, sizeof *s->formats);
    s->types = calloc(n, sizeof *s->types);
    if (!s->values || !s->lengths || !s->formats || !s->types) {
        stmt_free(s);
        return NULL;
    }
    return s;
}

static struct db_stmt *pg_prepare(struct db *db, struct db_query *q)
{
    int slot = db_query_slot(q);
    if (slot >= db->cache_len) {
        int len = db->cache_len ? db->cache_len : 16;
        while (len <= slot)
            len *= 2;
        struct db_stmt **cache = realloc(db->cache, (size_t)len * sizeof *cache);
        if (!cache) {
            diag(DIAG_ERROR, "db: query %s: out of memory", q->name);
            return NULL;
        }
        memset(cache + db->cache_len, 0, (size_t)(len - db->cache_len) * sizeof *cache);
        db->cache = cache;
        db->cache_len = len;
    }
    struct db_stmt *s = db->cache[slot];
    if (!s) {
        s = stmt_new(db, q, slot);
        if (!s) {
            diag(DIAG_ERROR, "db: query %s: cannot be prepared", q->name);
            return NULL;
        }
        db->cache[slot] = s;
    } else {
        if (s->is_borrowed)
            OBR_BUG("query %s prepared again before db_stmt_done", q->name);
        stmt_clear_result(s);
        stmt_clear_bindings(s);
    }
    s->is_borrowed = true;
    return s;
}

static void pg_stmt_done(struct db_stmt *s)
{
    stmt_clear_result(s);
    stmt_clear_bindings(s);
    s->is_borrowed = false;
}

/* Stores a copy of len bytes of v as the value of $n. */
static int bind(struct db_stmt *s, int n, const void *v, size_t len, int format, Oid type)
{
    if (n < 1 || n > s->nparams) {
        OBR_BUG("query %s has no placeholder $%d", s->q->name, n);
        return OBR_EINVAL;
    }
    if (len > 0x3fffffff)
        return OBR_ELIMIT;
    char *copy = NULL;
    if (v) {
        copy = malloc(len + 1);
        if (!copy)
            return OBR_ENOMEM;
        memcpy(copy, v, len);
        copy[len] = '\0';
    }
    free(s->values[n - 1]);
    s->values[n - 1] = copy;
    s->lengths[n - 1] = (int)len;
    s->formats[n - 1] = format;
    s->types[n - 1] = type;
    if (s->res)
        stmt_clear_result(s); /* binding anew starts a new execution, as in SQLite */
    return 0;
}

static int pg_bind_text(struct db_stmt *s, int n, const char *v)
{
    return bind(s, n, v, v ? strlen(v) : 0, 0, 0);
}

static int pg_bind_textn(struct db_stmt *s, int n, const char *v, size_t len)
{
    if (v && memchr(v, '\0', len))
        return OBR_EINVAL; /* PostgreSQL text holds no NUL */
    return bind(s, n, v, len, 0, 0);
}

static int pg_bind_int(struct db_stmt *s, int n, int64_t v)
{
    char text[24];
    int len = snprintf(text, sizeof text, "%lld", (long long)v);
    return bind(s, n, text, (size_t)len, 0, OID_INT8);
}

static int pg_bind_blob(struct db_stmt *s, int n, const void *v, size_t len)
{
    if (!v && len > 0) {
        OBR_BUG("query %s: NULL blob of %zu bytes for $%d", s->q->name, len, n);
        return OBR_EINVAL;
    }
    return bind(s, n, v ? v : "", len, 1, OID_BYTEA);
}

static int pg_bind_null(struct db_stmt *s, int n)
{
    return bind(s, n, NULL, 0, 0, 0);
}

/* Rows changed, when the command was an INSERT, UPDATE or DELETE. */
static void note_changes(struct db_stmt *s)
{
    const char *tag = PQcmdStatus(s->res);
    if (strncmp(tag, "INSERT", 6) && strncmp(tag, "UPDATE", 6) && strncmp(tag, "DELETE", 6))
        return;
    s->db->changes = strtoll(PQcmdTuples(s->res), NULL, 10);
    if (s->is_directory_write && s->db->changes > 0) {
        if (PQtransactionStatus(s->db->conn) == PQTRANS_IDLE)
            db_directory_bump();
        else
            s->db->has_directory_change = true;
    }
}

static int execute(struct db_stmt *s)
{
    struct db *db = s->db;
    int err = ensure_connected(db);
    if (err)
        return err;
    if (!s->is_prepared) {
        PGresult *res = PQprepare(db->conn, s->name, s->q->sql, s->nparams, s->types);
        bool ok = res && PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok)
            err = db_pg_map_error(db, res, s->q->name);
        PQclear(res);
        if (!ok)
            return err;
        s->is_prepared = true;
    }
    s->res = PQexecPrepared(db->conn, s->name, s->nparams, (const char *const *)s->values,
                            s->lengths, s->formats, 0);
    ExecStatusType st = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        err = db_pg_map_error(db, s->res, s->q->name);
        PQclear(s->res);
        s->res = NULL;
        return err;
    }
    s->ncols = PQnfields(s->res);
    s->decoded = calloc(s->ncols ? (size_t)s->ncols : 1, sizeof *s->decoded);
    s->decoded_len = calloc(s->ncols ? (size_t)s->ncols : 1, sizeof *s->decoded_len);
    if (!s->decoded || !s->decoded_len) {
        stmt_clear_result(s);
        return OBR_ENOMEM;
    }
    note_changes(s);
    return 0;
}

static void clear_decoded(struct db_stmt *s)
{
    for (int i = 0; i < s->ncols; i++) {
        free(s->decoded[i]);
        s->decoded[i] = NULL;
        s->decoded_len[i] = 0;
    }
}

static int pg_step(struct db_stmt *s)
{
    if (!s->res) {
        int err = execute(s);
        if (err)
            return err;
    } else {
        clear_decoded(s);
    }
    if (s->row + 1 < PQntuples(s->res)) {
        s->row++;
        return DB_ROW;
    }
    s->row = PQntuples(s->res);
    return DB_DONE;
}

static int pg_run(struct db_stmt *s)
{
    int rc = pg_step(s);
    pg_stmt_done(s);
    return rc < 0 ? rc : 0;
}

/* False (logged) when col is not a column of s's current row. */
static bool col_ok(struct db_stmt *s, int col)
{
    if (!s->res || s->row < 0 || s->row >= PQntuples(s->res))
        return false;
    if (col < 0 || col >= s->ncols) {
        OBR_BUG("query %s has no column %d", s->q->name, col);
        return false;
    }
    return true;
}

/* The bytes of a bytea column of the current row, decoded once per row and
 * kept with a NUL after them, so the same copy serves db_col_text. */
static const unsigned char *bytea_of(struct db_stmt *s, int col, size_t *len)
{
    if (!s->decoded[col]) {
        size_t n = 0;
        unsigned char *raw =
            PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, col), &n);
        if (!raw)
            return NULL;
        unsigned char *copy = malloc(n + 1);
        if (copy) {
            memcpy(copy, raw, n);
            copy[n] = '\0';
        }
        PQfreemem(raw);
        if (!copy)
            return NULL;
        s->decoded[col] = copy;
        s->decoded_len[col] = n;
    }
    *len = s->decoded_len[col];
    return s->decoded[col];
}

static bool pg_col_is_null(struct db_stmt *s, int col)
{
    return !col_ok(s, col) || PQgetisnull(s->res, s->row, col);
}

static const void *pg_col_blob(struct db_stmt *s, int col, size_t *len)
{
    *len = 0;
    if (pg_col_is_null(s, col))
        return NULL;
    if (PQftype(s->res, col) == OID_BYTEA)
        return bytea_of(s, col, len);
    *len = (size_t)PQgetlength(s->res, s->row, col);
    return PQgetvalue(s->res, s->row, col);
}

static const char *pg_col_text(struct db_stmt *s, int col)
{
    if (pg_col_is_null(s, col))
        return NULL;
    if (PQftype(s->res, col) == OID_BYTEA) { /* a blob read as text, as SQLite allows */
        size_t len = 0;
        return (const char *)bytea_of(s, col, &len);
    }
    return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_int(struct db_stmt *s, int col)
{
    if (pg_col_is_null(s, col))
        return 0;
    const char *v = PQgetvalue(s->res, s->row, col);
    if (PQftype(s->res, col) == OID_BOOL)
        return v[0] == 't';
    return strtoll(v, NULL, 10);
}

static int64_t pg_changes(struct db *db)
{
    return db->changes;
}

static int pg_exec(struct db *db, const char *sql)
{
    int err = ensure_connected(db);
    return err ? err : db_pg_exec_what(db, sql, "db_exec");
}

static int pg_ping(struct db *db)
{
    return pg_exec(db, "SELECT 1");
}

/* ---- transactions ---- */

static bool pg_in_transaction(struct db *db)
{
    PGTransactionStatusType t = PQtransactionStatus(db->conn);
    return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

static int begin(struct db *db, const char *sql, const char *what, bool is_read)
{
    if (pg_in_transaction(db)) {
        OBR_BUG("%s inside a transaction (transactions do not nest)", what);
        return OBR_EINVAL;
    }
    int err = ensure_connected(db);
    if (!err)
        err = db_pg_exec_what(db, sql, what);
    if (err) {
        if (pg_in_transaction(db))
            db_pg_exec_what(db, "ROLLBACK", "db_rollback");
        return err;
    }
    db->is_read_tx = is_read;
    db->has_directory_change = false;
    return 0;
}

static int pg_begin(struct db *db)
{
    return begin(db, "BEGIN ISOLATION LEVEL REPEATABLE READ", "db_begin", true);
}

static int pg_begin_write(struct db *db)
{
    return begin(db, "BEGIN; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")", "db_begin_write",
                 false);
}

static int pg_begin_log_write(struct db *db)
{
    return begin(db, "BEGIN; SELECT pg_advisory_xact_lock_shared(" WRITE_LOCK_KEY ")",
                 "db_begin_log_write", false);
}

/* Waits for log_id's key, held until COMMIT/ROLLBACK; taking it twice in one
 * transaction is harmless (advisory locks count). */
static int pg_lock_log(struct db *db, const char *log_id)
{
    if (PQtransactionStatus(db->conn) != PQTRANS_INTRANS) {
        OBR_BUG("db_lock_log outside a write transaction");
        return OBR_EINVAL;
    }
    const char *values[1] = {log_id};
    PGresult *res = PQexecParams(db->conn, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
                                 1, NULL, values, NULL, NULL, 0);
    int err = res && PQresultStatus(res) == PGRES_TUPLES_OK ? 0
                                                            : db_pg_map_error(db, res, "db_lock_log");
    PQclear(res);
    return err;
}

static int pg_rollback(struct db *db)
{
    if (!pg_in_transaction(db))
        return 0;
    db->is_read_tx = false;
    db->has_directory_change = false;
    return db_pg_exec_what(db, "ROLLBACK", "db_rollback");
}

static int pg_commit(struct db *db)
{
    if (!pg_in_transaction(db)) {
        OBR_BUG("db_commit outside a transaction");
        return OBR_EINVAL;
    }
    /* COMMIT of a failed transaction "succeeds" by rolling back. */
    if (PQtransactionStatus(db->conn) == PQTRANS_INERROR) {
        pg_rollback(db);
        diag(DIAG_ERROR, "db: db_commit after a failed statement; rolled back");
        return OBR_EDB;
    }
    /* Deferred (group commit): this COMMIT does not wait for the WAL flush,
     * so the writer lock is free sooner; db_pg_sync_url makes it durable
     * before anyone is told. */
    int err = db_pg_exec_what(
        db, db->is_deferred ? "SET LOCAL synchronous_commit TO off; COMMIT" : "COMMIT",
        "db_commit");
    if (!err && db->is_deferred)
        db->needs_sync = true;
    if (!err && db->has_directory_change)
        db_directory_bump();
    db->is_read_tx = false;
    db->has_directory_change = false;
    return err;
}

static bool pg_sees_latest_commits(struct db *db)
{
    return !(db->is_read_tx && pg_in_transaction(db));
}

static int pg_set_deferred_sync(struct db *db, bool is_deferred)
{
    db->is_deferred = is_deferred;
    return 0;
}

/* The URL to sync after a deferred COMMIT; NULL when every commit so far
 * waited for its own flush. */
static char *pg_sync_path_of(struct db *db)
{
    if (!db->needs_sync)
        return NULL;
    db->needs_sync = false;
    return strdup(db->url);
}

const struct db_backend db_pg_backend = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .migrate = db_pg_migrate,
    .schema_version = db_pg_schema_version,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .stmt_done = pg_stmt_done,
    .bind_text = pg_bind_text,
    .bind_textn = pg_bind_textn,
    .bind_int = pg_bind_int,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .run = pg_run,
    .col_text = pg_col_text,
    .col_int = pg_col_int,
    .col_blob = pg_col_blob,
    .col_is_null = pg_col_is_null,
    .changes = pg_changes,
    .begin = pg_begin,
    .begin_write = pg_begin_write,
    .begin_log_write = pg_begin_log_write,
    .lock_log = pg_lock_log,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_transaction = pg_in_transaction,
    .sees_latest_commits = pg_sees_latest_commits,
    .set_deferred_sync = pg_set_deferred_sync,
    .sync_path_of = pg_sync_path_of,
    .ping = pg_ping,
};
