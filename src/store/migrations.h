/* migrations.h — the schema migrations compiled into the binary (generated
 * from src/store/migrations/sqlite/NNNN_name.sql by scripts/embed-migrations.sh),
 * in ascending version order. */
#ifndef OBR_MIGRATIONS_H
#define OBR_MIGRATIONS_H

struct db_migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct db_migration db_migrations[];
extern const int db_migrations_count;

#endif
