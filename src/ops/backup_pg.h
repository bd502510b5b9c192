/* backup_pg.h — the PostgreSQL side of backups (backup_pg.c): the snapshot is
 * `pg_dump --format=custom` of one exported snapshot, in which the logs'
 * heads are read too; verify rebuilds the event log from the dump (via
 * `pg_restore`) into a scratch SQLite file so the usual chain check runs
 * on it; restore loads the dump into an empty PostgreSQL database and checks
 * every log there. The connection's settings (password included) reach
 * pg_dump and pg_restore through their environment, never their arguments. */
#ifndef OBR_BACKUP_PG_H
#define OBR_BACKUP_PG_H

#include <jansson.h>
#include <stddef.h>

#define BACKUP_PG_ENTRY "obrady.pgdump"

/* Dumps the database at url into dst and appends every log of that same
 * snapshot to logs as {meeting, events, head}. work: a directory for
 * pg_dump's messages. */
int backup_pg_snapshot(const char *url, const char *dst, const char *work, json_t *logs,
                       char *why, size_t why_size);
/* Writes the events of dump into a new SQLite store at sqlite_path. */
int backup_pg_events_to_sqlite(const char *dump, const char *sqlite_path, const char *work,
                               char *why, size_t why_size);
/* 0 when url's database has no tables; OBR_EEXISTS (why says so) otherwise. */
int backup_pg_target_empty(const char *url, char *why, size_t why_size);
/* Loads dump into url's (empty) database in one transaction, then checks
 * that every log in header_logs verifies there with the recorded length and
 * head, and that the database holds no other log. */
int backup_pg_restore(const char *url, const char *dump, const char *work, json_t *header_logs,
                      char *why, size_t why_size);

#endif
