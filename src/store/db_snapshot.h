/* db_snapshot.h — a consistent copy of the live SQLite database while the
 * server keeps writing (the backup's snapshot step, ops/backup_snapshot.c).
 * The copy holds one read transaction from start to end, so it is one
 * point in time; in WAL mode that never blocks writers. */
#ifndef OBR_DB_SNAPSHOT_H
#define OBR_DB_SNAPSHOT_H

/* Copies the database at src_path into a new file dst_path (must not exist)
 * with SQLite's online backup API, pages_per_step pages at a time, yielding
 * between steps. progress (may be NULL) gets pages copied and the total.
 * 0, OBR_EFULL when the disk fills, OBR_EIO / OBR_EDB otherwise; on failure
 * dst_path is removed. */
int db_snapshot_sqlite(const char *src_path, const char *dst_path, int pages_per_step,
                       void (*progress)(void *ctx, int done, int total), void *ctx);

#endif
