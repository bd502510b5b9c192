/* db_access.h — the access generation (store_generations 'access', bumped
 * by triggers) known on SQLite without reading it while nothing but this
 * process wrote since it was last read (issue 16). SQLite counts every
 * commit, by any process, in the write-ahead log's shared index (iChange,
 * https://www.sqlite.org/walformat.html); this process notes, under the
 * writer lock, which commits were its own and whether they changed the
 * generation. Any other commit (another process, a commit not seen by the
 * hooks) moves the counter past what is known, and the generation is read
 * again. PostgreSQL and stores without a shared index always read it. */
#ifndef OBR_STORE_DB_ACCESS_H
#define OBR_STORE_DB_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

struct db;

/* The state a read of the generation starts from (db_access_known). */
struct db_access_mark {
    uint32_t change; /* the shared commit counter before the read */
    bool is_set;     /* false: nothing to learn from the read */
};

/* True with *gen when the generation is known for the store's latest
 * commit; else false and *mark to pass to db_access_learn after reading
 * the generation (outside a transaction) on db. */
bool db_access_known(struct db *db, uint64_t *gen, struct db_access_mark *mark);
/* Keeps gen, read on db since mark, when no commit came in between. */
void db_access_learn(struct db *db, const struct db_access_mark *mark, uint64_t gen);

/* The hooks (SQLite only; db_sqlite_hooks.c calls them on each connection). */
void db_access_attach(struct db *db);     /* after open: maps the index, installs the commit hook */
void db_access_detach(struct db *db);     /* before close */
void db_access_row(struct db *db, const char *table); /* a row of table changed */
void db_access_committed(struct db *db);  /* the WAL hook: a commit is complete */
void db_access_rolled_back(struct db *db);

struct db_access_stats {
    uint64_t known, read; /* db_access_known true / false */
};
void db_access_stats(struct db_access_stats *out);

#endif
