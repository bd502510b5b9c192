/* migrations.h — the schema migrations compiled into the binary (generated
 * from src/store/migrations/{sqlite,postgres}/NNNN_name.sql by
 * scripts/embed-migrations.sh), in ascending version order. Both backends
 * carry the same versions (checked by the Makefile). */
#ifndef OBR_MIGRATIONS_H
#define OBR_MIGRATIONS_H

struct db_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct db_migration db_migrations[];
extern const int db_migrations_count;
extern const struct db_migration db_pg_migrations[];
extern const int db_pg_migrations_count;

#endif
