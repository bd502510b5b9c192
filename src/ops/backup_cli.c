/* backup_cli.c — the backup commands (see backup_cli.h): flags and config
 * into struct backup_opts / backup_check_opts, results printed for a person.
 * Header text printed from a backup is hostile: control characters are
 * replaced before printing. */
#include "ops/backup_cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "ops/backup.h"
#include "ops/config.h"
#include "util/err.h"

static const char USAGE[] =
    "usage: obrady backup keygen FILE\n"
    "       obrady backup create [--data DIR] [--database URL] [--to DIR] [--key FILE]\n"
    "                            [--config FILE]\n"
    "       obrady backup list [--to DIR] [--config FILE]\n"
    "       obrady backup verify FILE [--key FILE] [--config FILE]\n"
    "       obrady backup restore FILE --data NEWDIR [--database URL] [--key FILE]\n"
    "                             [--config FILE]\n"
    "\n"
    "  keygen   writes a new 32-byte backup key (mode 0600); keep a copy elsewhere\n"
    "  create   one encrypted file with the whole installation, taken while it runs\n"
    "  list     the backups in backup_dir (or --to DIR), oldest first\n"
    "  verify   authenticates every chunk and checks every file and meeting log inside\n"
    "  restore  verifies, then restores into a new or empty directory\n"
    "\n"
    "--key defaults to backup_key_file, --to to backup_dir (see README.md, settings).\n"
    "With a postgresql:// database (--database, `database`, OBRADY_DATABASE) create\n"
    "takes a pg_dump of it, and restore loads one into an empty PostgreSQL database\n"
    "(NEWDIR gets the installation's keys).\n";

struct flags {
    struct config cfg;
    const char *file, *key_file;
    bool has_data;
};

static const char *printable(const char *s)
{
    static char buf[300];
    size_t i = 0;
    for (; s && s[i] && i + 1 < sizeof buf; i++)
        buf[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    buf[i] = 0;
    return buf;
}

static int parse(int argc, char **argv, struct flags *fl)
{
    memset(fl, 0, sizeof *fl);
    config_defaults(&fl->cfg);
    char err[512];
    for (int i = 0; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--config") &&
            config_load_file(&fl->cfg, argv[i + 1], err, sizeof err)) {
            fprintf(stderr, "obrady: %s\n", err);
            return -1;
        }
    config_apply_env(&fl->cfg);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *key = !strcmp(a, "--data")       ? "data"
                          : !strcmp(a, "--to")       ? "backup_dir"
                          : !strcmp(a, "--database") ? "database"
                                                     : NULL;
        if ((key || !strcmp(a, "--key") || !strcmp(a, "--config")) && i + 1 < argc) {
            if (key && config_set(&fl->cfg, key, argv[i + 1])) {
                fprintf(stderr, "obrady: bad value for %s\n", a);
                return -1;
            }
            if (!strcmp(a, "--key"))
                fl->key_file = argv[i + 1];
            fl->has_data |= !strcmp(a, "--data");
            i++;
        } else if (a[0] != '-' && !fl->file) {
            fl->file = a;
        } else {
            fprintf(stderr, "obrady: unexpected '%s'\n%s", a, USAGE);
            return -1;
        }
    }
    if (!fl->key_file)
        fl->key_file = fl->cfg.backup_key_file;
    return 0;
}

/* backup_dir, or DATA/backups when unset. */
void backup_cli_dir(const struct config *c, char *out, size_t size)
{
    if (c->backup_dir[0])
        snprintf(out, size, "%s", c->backup_dir);
    else
        snprintf(out, size, "%s/backups", c->data_dir);
}

static int load_key(const struct flags *fl, unsigned char key[BACKUP_KEY_BYTES])
{
    char why[BACKUP_WHY_MAX];
    if (bk_key_load(fl->key_file, key, why, sizeof why)) {
        fprintf(stderr, "obrady: %s\n", why);
        return -1;
    }
    return 0;
}

static int cmd_create(struct flags *fl, const char *version)
{
    unsigned char key[BACKUP_KEY_BYTES];
    if (load_key(fl, key))
        return 1;
    char dir[CONFIG_PATH_MAX + 16], why[BACKUP_WHY_MAX];
    backup_cli_dir(&fl->cfg, dir, sizeof dir);
    struct backup_opts o = {
        .data_dir = fl->cfg.data_dir, .database_url = fl->cfg.database, .to_dir = dir,
        .key = key, .version = version};
    struct backup_result r;
    int rc = backup_create(&o, &r, why, sizeof why);
    sodium_memzero(key, sizeof key);
    if (rc) {
        fprintf(stderr, "obrady: backup failed: %s\n", why);
        return 1;
    }
    printf("backup %s: %llu bytes (%llu of content), %d files, %d logs; verified\n", r.path,
           (unsigned long long)r.size_bytes, (unsigned long long)r.content_bytes, r.n_files,
           r.n_logs);
    return 0;
}

static int cmd_list(struct flags *fl)
{
    char dir[CONFIG_PATH_MAX + 16];
    backup_cli_dir(&fl->cfg, dir, sizeof dir);
    json_t *list = backup_list_json(dir);
    size_t i;
    json_t *e;
    printf("%zu backups in %s\n", json_array_size(list), dir);
    json_array_foreach (list, i, e) {
        const char *err = json_string_value(json_object_get(e, "error"));
        printf("%s  %12lld bytes  ", printable(json_string_value(json_object_get(e, "name"))),
               (long long)json_integer_value(json_object_get(e, "size")));
        if (err)
            printf("unreadable: %s\n", printable(err));
        else
            printf("%s  %lld files, %lld logs\n",
                   printable(json_string_value(json_object_get(e, "created"))),
                   (long long)json_integer_value(json_object_get(e, "files")),
                   (long long)json_integer_value(json_object_get(e, "logs")));
    }
    json_decref(list);
    return 0;
}

static void print_contents(const struct backup_check_result *r)
{
    json_t *h = r->header;
    printf("created:      %s\n", printable(json_string_value(json_object_get(h, "created"))));
    printf("installation: %s\n", printable(json_string_value(json_object_get(h, "installation"))));
    printf("obrady:       %s\n",
           printable(json_string_value(json_object_get(h, "obrady_version"))));
    printf("chunks:       %llu authenticated\n", (unsigned long long)r->chunks);
    printf("content:      %llu bytes in %d files\n", (unsigned long long)r->content_bytes,
           r->n_files);
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(h, "contents"), i, e) {
        printf("  %12lld  %s  %s\n", (long long)json_integer_value(json_object_get(e, "size")),
               json_string_value(json_object_get(e, "sha256")),
               printable(json_string_value(json_object_get(e, "path"))));
    }
    printf("logs:         %d, %lld events, every hash chain whole and its head as recorded\n",
           r->n_logs, (long long)r->n_events);
}

static int cmd_check(struct flags *fl, bool is_restore)
{
    if (!fl->file || (is_restore && !fl->has_data)) {
        fputs(USAGE, stderr);
        return 2;
    }
    unsigned char key[BACKUP_KEY_BYTES];
    if (load_key(fl, key))
        return 1;
    struct backup_check_opts o = {
        .key = key, .is_checking_logs = true, .restore_to = is_restore ? fl->cfg.data_dir : NULL,
        .restore_database = is_restore ? fl->cfg.database : NULL};
    struct backup_check_result r;
    char why[BACKUP_WHY_MAX];
    int rc = backup_check(fl->file, &o, &r, why, sizeof why);
    sodium_memzero(key, sizeof key);
    if (rc) {
        fprintf(stderr, "obrady: %s: REFUSED: %s\n", fl->file, why);
        json_decref(r.header);
        return 1;
    }
    print_contents(&r);
    if (is_restore && fl->cfg.database[0])
        printf("restored into the PostgreSQL database and %s; start it with: obrady serve "
               "--data %s --database URL\n",
               fl->cfg.data_dir, fl->cfg.data_dir);
    else if (is_restore)
        printf("restored into %s; start it with: obrady serve --data %s\n", fl->cfg.data_dir,
               fl->cfg.data_dir);
    else
        printf("ok: %s verified\n", fl->file);
    json_decref(r.header);
    return 0;
}

static int cmd_keygen(struct flags *fl)
{
    if (!fl->file) {
        fputs(USAGE, stderr);
        return 2;
    }
    char why[BACKUP_WHY_MAX];
    if (bk_keygen(fl->file, why, sizeof why)) {
        fprintf(stderr, "obrady: %s\n", why);
        return 1;
    }
    printf("wrote a new backup key to %s (mode 0600).\n"
           "Keep a copy of this key somewhere else (a password manager, a safe, another\n"
           "machine): without it no backup can be restored, and it is never inside one.\n"
           "Set backup_key_file = %s in the config file.\n",
           fl->file, fl->file);
    return 0;
}

int backup_cli_main(int argc, char **argv, const char *version)
{
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h") ||
        !strcmp(argv[0], "help")) {
        fputs(USAGE, argc < 1 ? stderr : stdout);
        return argc < 1 ? 2 : 0;
    }
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(USAGE, stdout);
            return 0;
        }
    struct flags fl;
    if (parse(argc - 1, argv + 1, &fl))
        return 2;
    const char *cmd = argv[0];
    if (!strcmp(cmd, "keygen"))
        return cmd_keygen(&fl);
    if (!strcmp(cmd, "create"))
        return fl.file ? (fputs(USAGE, stderr), 2) : cmd_create(&fl, version);
    if (!strcmp(cmd, "list"))
        return cmd_list(&fl);
    if (!strcmp(cmd, "verify"))
        return cmd_check(&fl, false);
    if (!strcmp(cmd, "restore"))
        return cmd_check(&fl, true);
    fprintf(stderr, "obrady: unknown backup command '%s'\n%s", cmd, USAGE);
    return 2;
}
