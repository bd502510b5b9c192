/* db_pg_migrate.c — the PostgreSQL schema: the migrations of
 * src/store/migrations/postgres/ (embedded as db_pg_migrations), applied in
 * order, each in its own transaction, under a session advisory lock so that
 * nodes starting together apply each one once. */
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>

#include "store/db_pg_impl.h"
#include "store/migrations.h"
#include "util/clock.h"
#include "util/diag.h"

/* The advisory lock held while migrating ("obrm"). */
#define MIGRATE_LOCK_KEY "1868722797"

/* Runs a query that answers one integer (a boolean reads as 0/1). */
static int query_int(struct db *db, const char *sql, int64_t *out)
{
    PGresult *res = PQexec(db->conn, sql);
    int err = 0;
    if (!res || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1)
        err = db_pg_map_error(db, res, "schema version");
    else if (PQgetisnull(res, 0, 0))
        *out = 0;
    else
        *out = PQgetvalue(res, 0, 0)[0] == 't' ? 1 : strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return err;
}

int db_pg_schema_version(struct db *db, int *version)
{
    *version = 0;
    int64_t has_table = 0, v = 0;
    int err = query_int(db, "SELECT to_regclass('schema_migrations') IS NOT NULL", &has_table);
    if (!err && has_table)
        err = query_int(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &v);
    if (!err)
        *version = (int)v;
    return err;
}

static int apply(struct db *db, const struct db_migration *m)
{
    int err = db_pg_exec_what(db, "BEGIN", "migration");
    if (!err)
        err = db_pg_exec_what(db, m->sql, m->name);
    if (!err) {
        char version[16], when[24];
        snprintf(version, sizeof version, "%d", m->version);
        snprintf(when, sizeof when, "%lld", (long long)clock_now_ms());
        const char *values[] = {version, m->name, when};
        PGresult *res = PQexecParams(db->conn,
                                     "INSERT INTO schema_migrations (version, name, applied_at_ms)"
                                     " VALUES ($1, $2, $3)",
                                     3, NULL, values, NULL, NULL, 0);
        if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
            err = db_pg_map_error(db, res, "record migration");
        PQclear(res);
    }
    if (!err)
        err = db_pg_exec_what(db, "COMMIT", "migration");
    if (err) {
        db_pg_exec_what(db, "ROLLBACK", "migration");
        diag(DIAG_ERROR, "db: migration %d %s failed: %s", m->version, m->name,
             obr_strerror(err));
        db_set_error("migration %d %s failed", m->version, m->name);
        return err;
    }
    diag(DIAG_INFO, "applied migration %d %s", m->version, m->name);
    return 0;
}

static int migrate_locked(struct db *db)
{
    int err = db_pg_exec_what(db,
                              "CREATE TABLE IF NOT EXISTS schema_migrations ("
                              " version INTEGER PRIMARY KEY,"
                              " name TEXT NOT NULL,"
                              " applied_at_ms BIGINT NOT NULL)",
                              "schema_migrations");
    int version = 0;
    if (!err)
        err = db_pg_schema_version(db, &version);
    if (err)
        return err;
    int known = db_pg_migrations_count > 0 ? db_pg_migrations[db_pg_migrations_count - 1].version
                                           : 0;
    if (version > known) {
        /* A newer binary migrated this database; running on it could corrupt it. */
        diag(DIAG_ERROR, "db: schema version %d is newer than this program's %d", version, known);
        db_set_error("the database's schema version %d is newer than this program's %d; "
                     "run a newer obrady",
                     version, known);
        return OBR_ECONFLICT;
    }
    for (int i = 0; i < db_pg_migrations_count && !err; i++)
        if (db_pg_migrations[i].version > version)
            err = apply(db, &db_pg_migrations[i]);
    if (!err)
        err = db_pg_exec_what(db,
                              "CREATE TABLE IF NOT EXISTS " DB_PG_SYNC_TABLE
                              " (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
                              " INSERT INTO " DB_PG_SYNC_TABLE " VALUES (1, 0)"
                              " ON CONFLICT (id) DO NOTHING",
                              DB_PG_SYNC_TABLE);
    return err;
}

int db_pg_migrate(struct db *db)
{
    if (db_in_transaction(db)) {
        OBR_BUG("db_migrate inside a transaction");
        return OBR_EINVAL;
    }
    int err = db_pg_exec_what(db, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "migrate lock");
    if (err)
        return err;
    err = migrate_locked(db);
    int unlock = db_pg_exec_what(db, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")",
                                 "migrate unlock");
    return err ? err : unlock;
}
