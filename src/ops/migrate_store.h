/* migrate_store.h — `obrady migrate-store`: copies an installation's SQLite
 * store into an empty PostgreSQL database and checks on arrival that every
 * event log's head hash equals the source's. */
#ifndef OBR_MIGRATE_STORE_H
#define OBR_MIGRATE_STORE_H

/* The command's entry: argv after "migrate-store"; returns the exit status. */
int migrate_store_main(int argc, char **argv);

#endif
