/* archive_cli.c — `obrady archive run` (bundles every closed meeting past its
 * organisation's retention period, or one named meeting, into archive_dir)
 * and `obrady archive verify BUNDLE`. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "api/app.h"
#include "api/archive.h"
#include "api/votes.h"
#include "ops/archive_verify.h"
#include "ops/config.h"
#include "ops/secrets.h"
#include "ops/signing_key.h"
#include "report/report.h"
#include "store/db.h"
#include "util/err.h"

static const char USAGE[] =
    "usage: obrady archive run [--data DIR] [--to DIR] [--config FILE] [--meeting ID]\n"
    "                          [--public-origin URL]\n"
    "       obrady archive verify BUNDLE.zip\n"
    "\n"
    "  run     archives every closed meeting whose organisation's retention period\n"
    "          (retention_months) has passed: a bundle in archive_dir (--to; default\n"
    "          DATA/archive), then the meeting becomes \"archived\" (its access links\n"
    "          deleted, a meeting.archived event); --meeting ID only writes the bundle\n"
    "          of one closed meeting and changes nothing; --public-origin (or\n"
    "          public_origin in the config file) is the server's public address,\n"
    "          e.g. https://obrady.example.pl, so the links in the bundle (the\n"
    "          protocol's recording links, the public pages) are absolute\n"
    "  verify  checks a bundle: every file against SHA256SUMS and the manifest,\n"
    "          the log's hash chain and head, every secret vote's board\n";

static int cmd_verify(const char *path)
{
    struct archive_summary s;
    char why[512];
    if (archive_verify(path, &s, why, sizeof why)) {
        fprintf(stderr, "obrady: %s: FAILED: %s\n", path, why);
        return 1;
    }
    printf("ok: %s\nmeeting %s: %d files as listed, log of %lld events whole (head %s), "
           "%d secret-vote boards verified\n",
           path, s.meeting, s.n_files, (long long)s.n_events, s.head, s.n_boards);
    return 0;
}

/* "" or http(s)://HOST[:PORT] with no path, query or space (a trailing "/"
 * is dropped from origin first). */
static bool origin_is_valid(char *origin)
{
    size_t n = strlen(origin);
    while (n && origin[n - 1] == '/')
        origin[--n] = '\0';
    if (!n)
        return true;
    const char *host = !strncmp(origin, "https://", 8)  ? origin + 8
                       : !strncmp(origin, "http://", 7) ? origin + 7
                                                        : NULL;
    return host && *host && !strpbrk(host, "/?#@ \t\\\"<>");
}

static int archive_one(struct db *db, const struct config *c, const char *dir, const char *id)
{
    char path[ARCHIVE_PATH_MAX], why[512];
    int rc = archive_meeting(db, c->data_dir, c->public_origin, id, dir, path, why, sizeof why);
    if (rc == OBR_EEXISTS)
        printf("kept %s (exists)\n", path);
    else if (rc)
        fprintf(stderr, "obrady: meeting %s: %s\n", id, why);
    else
        printf("archived %s\n", path);
    return rc == OBR_EEXISTS ? 0 : rc;
}

int archive_cli_main(int argc, char **argv)
{
    if (argc < 1 || !strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
        fputs(USAGE, argc < 1 ? stderr : stdout);
        return argc < 1 ? 2 : 0;
    }
    if (!strcmp(argv[0], "verify")) {
        if (argc != 2) {
            fputs(USAGE, stderr);
            return 2;
        }
        return cmd_verify(argv[1]);
    }
    if (strcmp(argv[0], "run")) {
        fprintf(stderr, "obrady: unknown archive command '%s'\n%s", argv[0], USAGE);
        return 2;
    }
    struct config c;
    config_defaults(&c);
    const char *meeting = NULL;
    char err[512];
    for (int i = 1; i + 1 < argc; i++)
        if (!strcmp(argv[i], "--config") && config_load_file(&c, argv[i + 1], err, sizeof err)) {
            fprintf(stderr, "obrady: %s\n", err);
            return 2;
        }
    config_apply_env(&c);
    for (int i = 1; i < argc; i++) {
        const char *key = !strcmp(argv[i], "--data")            ? "data"
                          : !strcmp(argv[i], "--to")            ? "archive_dir"
                          : !strcmp(argv[i], "--public-origin") ? "public_origin"
                                                                : NULL;
        if (i + 1 >= argc ||
            (!key && strcmp(argv[i], "--meeting") && strcmp(argv[i], "--config"))) {
            fprintf(stderr, "obrady: unexpected '%s'\n%s", argv[i], USAGE);
            return 2;
        }
        if (key && config_set(&c, key, argv[i + 1])) {
            fprintf(stderr, "obrady: bad value for %s\n", argv[i]);
            return 2;
        }
        if (!strcmp(argv[i], "--meeting"))
            meeting = argv[i + 1];
        i++;
    }
    if (!origin_is_valid(c.public_origin)) {
        fprintf(stderr, "obrady: the public origin must be http(s)://HOST[:PORT] without a path\n");
        return 2;
    }
    if (!c.public_origin[0])
        fprintf(stderr, "obrady: warning: no public_origin (--public-origin URL): the links in "
                        "the bundles will be relative\n");
    report_set_public_url(c.public_origin);
    char dir[CONFIG_PATH_MAX + 16], db_file[CONFIG_PATH_MAX + 16];
    if (c.archive_dir[0])
        snprintf(dir, sizeof dir, "%s", c.archive_dir);
    else
        snprintf(dir, sizeof dir, "%s/archive", c.data_dir);
    snprintf(db_file, sizeof db_file, "%s/obrady.db", c.data_dir);
    /* The store the server uses: PostgreSQL when `database` is set. */
    struct db_config dc = {.sqlite_path = db_file, .url = c.database[0] ? c.database : NULL};
    struct db *db;
    if (db_open(&dc, &db)) {
        fprintf(stderr, "obrady: cannot open %s\n", dc.url ? "the PostgreSQL database" : db_file);
        return 1;
    }
    /* v2 boards in a bundle are signed with the installation's key, as the
     * server would publish them. */
    static struct app app;
    app.data_dir = c.data_dir;
    if (secrets_load(c.data_dir, app.secret_key) ||
        signing_key_load(c.data_dir, app.secret_key, app.sign_sk)) {
        fprintf(stderr, "obrady: cannot read the keys in %s\n", c.data_dir);
        db_close(db);
        return 1;
    }
    votes_set_app(&app);
    int failed = 0;
    if (meeting) {
        failed = archive_one(db, &c, dir, meeting) != 0;
    } else {
        int n = 0;
        failed = archive_due_run(db, NULL, c.data_dir, c.public_origin, dir, &n) != 0;
        printf("%d meetings archived into %s\n", n, dir);
    }
    db_close(db);
    return failed ? 1 : 0;
}
