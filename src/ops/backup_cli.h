/* backup_cli.h — `obrady backup keygen|create|list|verify|restore`. */
#ifndef OBR_BACKUP_CLI_H
#define OBR_BACKUP_CLI_H

#include <stddef.h>

/* argv holds the arguments after "backup". Returns the exit code: 0 done,
 * 1 failed (the reason on stderr), 2 usage. */
int backup_cli_main(int argc, char **argv, const char *version);

struct config;
/* backup_dir, or DATA/backups when it is not set. */
void backup_cli_dir(const struct config *c, char *out, size_t size);

#endif
