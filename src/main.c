/* main.c — the obrady command line: serve, log verify, and help for each.
 * Commands parse their flags here and call into the modules; nothing here
 * knows SQL or HTTP details. */
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api/app.h"
#include "api/signin_queue.h"
#include "api/write_limits.h"
#include "crypto/seal.h"
#include "http/server.h"
#include "mail/mail.h"
#include "mail/sms.h"
#include "ops/demo.h"
#include "ops/scheduler.h"
#include "api/meeting_flow.h"
#include "api/proceedings.h"
#include "api/votes.h"
#include "api/meeting_cache.h"
#include "api/principal_cache.h"
#include "api/report_mail.h"
#include "api/interp.h"
#include "ops/secrets.h"
#include "ops/signing_key.h"
#include "report/report.h"
#include "ops/verify_cli.h"
#include "ops/migrate_store.h"
#include "ops/verify_log.h"
#include "ops/backup_cli.h"
#include "ops/backup_job.h"
#include "api/archive.h"
#include "store/files.h"
#include "store/directory.h"
#include "log/eventlog.h"
#include "log/hub.h"
#include "log/log_follow.h"
#include "ops/config.h"
#include "store/db.h"
#include "store/json_col_cache.h"
#include "store/pg_listen.h"
#include "store/migrations.h"
#include "util/cidr.h"
#include "util/diag.h"
#include "util/ratelimit.h"
#include "util/sdnotify.h"
#include "util/utf8.h"
#include "core/email.h"

#define OBRADY_VERSION "0.1.0"

static const char USAGE[] =
    "obrady " OBRADY_VERSION " — remote and hybrid meetings and votes of collegial bodies\n"
    "\n"
    "usage: obrady COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  serve         run the server\n"
    "  user add      add a user (--admin: an instance administrator)\n"
    "  log verify    check a meeting log's hash chain\n"
    "  log export    print a meeting log as JSON (for obrady verify --log)\n"
    "  verify        check a secret vote's bulletin board (BOARD.json)\n"
    "  backup        keygen, create, list, verify or restore encrypted backups\n"
    "  archive       run (bundle meetings past retention) or verify an archive bundle\n"
    "  migrate-store copy a SQLite installation into an empty PostgreSQL database\n"
    "\n"
    "Run 'obrady COMMAND --help' for the options of a command.\n";

static const char SERVE_USAGE[] =
    "usage: obrady serve [--listen HOST:PORT] [--data DIR] [--database URL] [--config FILE]\n"
    "                    [--web DIR] [--demo|--demo-bare]\n"
    "\n"
    "  --listen HOST:PORT  address to listen on (env OBRADY_LISTEN; default 127.0.0.1:8080;\n"
    "                      port 0 picks a free one)\n"
    "  --data DIR          where the database, mail and files live (env OBRADY_DATA;\n"
    "                      default ./var)\n"
    "  --database URL      postgresql://USER:PASSWORD@HOST:PORT/DB to keep the store in\n"
    "                      PostgreSQL (env OBRADY_DATABASE; default: SQLite in DIR)\n"
    "  --config FILE       settings file, 'key = value' lines (see README.md)\n"
    "  --web DIR           the front end's files (default ./web)\n"
    "  --demo              make demonstration data available (with two meetings)\n"
    "  --demo-bare         the demonstration organisation and people only\n";

static const char LOG_USAGE[] = "usage: obrady log verify|export MEETING_ID [--data DIR]\n"
                                "\n"
                                "verify: recomputes every hash of the meeting's event log. Exits 0\n"
                                "and prints the head hash when the chain is whole; exits 1 naming\n"
                                "the first broken event otherwise.\n"
                                "export: prints the whole log as a JSON array of events, which\n"
                                "`obrady verify BOARD --log LOG` checks a secret vote's board against.\n";

static const char USER_USAGE[] =
    "usage: obrady user add [--admin] EMAIL [--name NAME] [--data DIR]\n"
    "\n"
    "Adds a user who can then sign in with a code sent to EMAIL. With --admin\n"
    "the user administers the whole installation (creates organisations); an\n"
    "existing user is made an administrator.\n";

static bool is_help(const char *a)
{
    return !strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help");
}

static int make_dir(const char *base, const char *sub)
{
    char path[CONFIG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s%s%s", base, sub ? "/" : "", sub ? sub : "");
    if (mkdir(path, 0700) && errno != EEXIST) {
        fprintf(stderr, "obrady: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void db_path(char *out, size_t size, const char *data_dir)
{
    snprintf(out, size, "%s/obrady.db", data_dir);
}

/* The store the settings name: PostgreSQL at cfg->database, or SQLite in
 * the data dir (path is filled in either way). */
static struct db_config store_config(const struct config *cfg, char *path, size_t size)
{
    db_path(path, size, cfg->data_dir);
    struct db_config dc = {.sqlite_path = path, .url = cfg->database[0] ? cfg->database : NULL};
    return dc;
}

/* Opens the configured database and brings its schema up to date; on failure
 * says why in one line. */
static int open_store(const struct config *cfg, struct db **out)
{
    char path[CONFIG_PATH_MAX + 16];
    struct db_config dc = store_config(cfg, path, sizeof path);
    const char *what = dc.url ? "the PostgreSQL database" : path;
    int rc = db_open(&dc, out);
    if (rc) {
        fprintf(stderr, "obrady: cannot open %s: %s\n", what,
                *db_last_error() ? db_last_error() : obr_strerror(rc));
        return rc;
    }
    rc = db_migrate(*out);
    int found = 0;
    int known = db_migrations_count ? db_migrations[db_migrations_count - 1].version : 0;
    if (rc == OBR_ECONFLICT && !db_schema_version(*out, &found) && found > known) {
        fprintf(stderr,
                "obrady: %s was made by a newer obrady (schema version %d; this obrady %s "
                "knows up to %d). Refusing to start: run the newer version, or restore a "
                "backup made by this one.\n",
                what, found, OBRADY_VERSION, known);
        db_close(*out);
        *out = NULL;
    } else if (rc) {
        fprintf(stderr, "obrady: cannot migrate %s: %s\n", what,
                *db_last_error() ? db_last_error() : obr_strerror(rc));
        db_close(*out);
        *out = NULL;
    }
    return rc;
}

static int append_instance_event(struct db_pool *pool, struct hub *hub, const char *type)
{
    struct db *db = db_pool_get(pool);
    json_t *payload = json_pack("{s:s}", "version", OBRADY_VERSION);
    int rc = db ? log_append_one(db, hub, INSTANCE_LOG, "system", type, payload, EVENT_PUBLIC,
                                 NULL)
                : OBR_EDB;
    json_decref(payload);
    if (rc)
        diag(DIAG_ERROR, "cannot record %s: %s", type, obr_strerror(rc));
    return rc;
}

static void free_limits(struct app *app)
{
    ratelimit_free(app->client_error_limit);
    ratelimit_free(app->code_per_ip);
    ratelimit_free(app->code_per_email);
    ratelimit_free(app->session_per_ip);
}

static int parse_serve_flags(int argc, char **argv, struct config *cfg)
{
    const char *config_file = NULL;
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config_file = argv[i + 1];
    char err[512];
    if (config_file && config_load_file(cfg, config_file, err, sizeof err)) {
        fprintf(stderr, "obrady: %s\n", err);
        return -1;
    }
    config_apply_env(cfg);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *key = !strcmp(a, "--listen")     ? "listen"
                          : !strcmp(a, "--data")     ? "data"
                          : !strcmp(a, "--database") ? "database"
                          : !strcmp(a, "--web")   ? "web_dir"
                                                  : NULL;
        if (key || !strcmp(a, "--config")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "obrady: %s needs a value\n%s", a, SERVE_USAGE);
                return -1;
            }
            if (key && config_set(cfg, key, argv[i + 1])) {
                fprintf(stderr, "obrady: bad value for %s%s\n", a,
                        !strcmp(key, "database") ? " (a postgresql:// URL expected)" : "");
                return -1;
            }
            i++;
        } else if (!strcmp(a, "--demo")) {
            cfg->demo = true;
        } else if (!strcmp(a, "--demo-bare")) {
            cfg->demo = cfg->is_demo_bare = true;
        } else {
            fprintf(stderr, "obrady: unknown option %s\n%s", a, SERVE_USAGE);
            return -1;
        }
    }
    return 0;
}

/* What the daily archiving needs on the backup job's thread. */
struct archiving {
    struct db_pool *pool;
    struct hub *hub;
    const struct app *app;
    char dir[CONFIG_PATH_MAX + 16];
};

static void run_archiving(void *ctx)
{
    struct archiving *a = ctx;
    struct db *db = db_pool_get(a->pool);
    int n = 0;
    if (db && archive_due_run(db, a->hub, a->app->data_dir, a->app->public_url, a->dir, &n))
        diag(DIAG_ERROR, "archive: some meetings were not archived (see above)");
    else if (n)
        diag(DIAG_INFO, "archive: %d meetings archived into %s", n, a->dir);
}

/* Settings that take effect at once, at start and on SIGHUP (reload). */
static void apply_live_settings(const struct config *cfg, struct server *srv)
{
    enum diag_level level = DIAG_INFO;
    if (!diag_level_parse(cfg->log_level, &level))
        diag_set_level(level);
    diag_set_json(!strcmp(cfg->log_format, "json"));
    struct cidr_list proxies;
    cidr_list_parse(cfg->trusted_proxies, &proxies); /* checked by config_set */
    if (srv)
        server_set_trusted_proxies(srv, &proxies);
}

/* SIGHUP: re-reads the config file and applies what can change safely while
 * serving — log_level, log_format and trusted_proxies. Everything else
 * (listen, data, mail, TLS, limits) needs a restart; a file that no longer
 * parses changes nothing. */
static void reload_settings(int argc, char **argv, struct server *srv)
{
    struct config fresh;
    config_defaults(&fresh);
    if (parse_serve_flags(argc, argv, &fresh)) {
        diag(DIAG_ERROR, "reload: the config file has errors; nothing changed");
        return;
    }
    apply_live_settings(&fresh, srv);
    diag(DIAG_INFO, "reload: log_level %s, log_format %s, trusted_proxies \"%s\"",
         fresh.log_level, fresh.log_format, fresh.trusted_proxies);
}

/* On PostgreSQL, documents that a node kept on its own disk before files
 * moved into the database (store/files.h) are stored there once. */
static void import_local_files(struct db *db, const char *data_dir)
{
    long imported = 0, missing = 0;
    if (!files_in_db(db))
        return;
    int rc = files_import_local(db, data_dir, &imported, &missing);
    if (rc)
        diag(DIAG_WARN, "files: storing this node's document files in the database: %s",
             obr_strerror(rc));
    else if (imported)
        diag(DIAG_INFO, "files: %ld document files of %s/files stored in the database",
             imported, data_dir);
}

static int cmd_serve(int argc, char **argv)
{
    if (argc > 0 && is_help(argv[0])) {
        fputs(SERVE_USAGE, stdout);
        return 0;
    }
    struct config cfg;
    config_defaults(&cfg);
    if (parse_serve_flags(argc, argv, &cfg))
        return 2;
    apply_live_settings(&cfg, NULL);
    struct cidr_list proxies;
    cidr_list_parse(cfg.trusted_proxies, &proxies);
    char host[128];
    unsigned port;
    if (config_split_listen(cfg.listen, host, sizeof host, &port)) {
        fprintf(stderr, "obrady: bad listen address '%s' (expected HOST:PORT)\n", cfg.listen);
        return 2;
    }
    if (make_dir(cfg.data_dir, NULL) || make_dir(cfg.data_dir, "mail") ||
        make_dir(cfg.data_dir, "files"))
        return 1;

    /* Signals are taken by sigwait below; every thread inherits the mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct db *db;
    if (open_store(&cfg, &db))
        return 1;
    import_local_files(db, cfg.data_dir);
    db_close(db);
    char path[CONFIG_PATH_MAX + 16], mail_dir[CONFIG_PATH_MAX + 16];
    struct db_config dc = store_config(&cfg, path, sizeof path);
    snprintf(mail_dir, sizeof mail_dir, "%s/mail", cfg.data_dir);
    struct db_pool *pool = NULL;
    struct hub *hub = hub_new(0);
    if (hub)
        hub_set_limits(hub, (size_t)cfg.hub_topic_kib * 1024, (size_t)cfg.hub_memory_mib << 20, 0);
    meeting_cache_set_memory((size_t)cfg.meeting_cache_mib << 20);
    struct app app = {
        .data_dir = cfg.data_dir,
        .version = OBRADY_VERSION,
        .mail = {.transport = cfg.mail_transport, .dir = mail_dir, .from = cfg.mail_from,
                 .smtp_url = cfg.smtp_url, .smtp_user = cfg.smtp_user,
                 .smtp_password = cfg.smtp_password, .smtp_require_starttls = cfg.smtp_starttls},
        .is_code_echo = !strcmp(cfg.mail_transport, "file"),
        .client_error_limit = ratelimit_new(1.0, 10, 10000),
        /* A council room signs in from one address: generous per address of the
         * room, strict per mailbox, and 5 tries per code does the rest. */
        .code_per_ip = ratelimit_new(2.0, 600, 10000),
        .code_per_email = ratelimit_new(1.0 / 60, 3, 100000),
        .session_per_ip = ratelimit_new(5.0, 600, 10000),
        .limits = cfg.limits,
    };
    int rc = secrets_load(cfg.data_dir, app.secret_key);
    if (rc) {
        fprintf(stderr, "obrady: cannot read or create %s/secret.key: %s\n", cfg.data_dir,
                obr_strerror(rc));
        return 1;
    }
    rc = signing_key_load(cfg.data_dir, app.secret_key, app.sign_sk);
    if (rc) {
        fprintf(stderr, "obrady: cannot read or create %s/signing.key: %s\n", cfg.data_dir,
                obr_strerror(rc));
        return 1;
    }
    report_set_installation_key(app.sign_sk + 32);
    rc = seal_key_load(cfg.trustee_key_file, app.secret_key, app.trustee_key);
    if (!rc)
        votes_set_app(&app);
    if (rc) {
        fprintf(stderr, "obrady: trustee_key_file %s: %s (64 hex digits expected)\n",
                cfg.trustee_key_file, obr_strerror(rc));
        return 1;
    }
    if (!hub || write_limits_init(&app.limits) || !app.client_error_limit || !app.code_per_ip || !app.code_per_email ||
        !app.session_per_ip || db_pool_open(&dc, &pool)) {
        fprintf(stderr, "obrady: out of memory\n");
        return 1;
    }
    /* PostgreSQL: other nodes' events reach our hub through LISTEN. */
    struct log_follow *follow = dc.url ? log_follow_new(hub, pool, dc.url) : NULL;
    app.listen = dc.url ? pg_listen_new(dc.url) : NULL;
    if (dc.url && (!follow || !app.listen || log_follow_attach(follow, app.listen) ||
                   pg_listen_start(app.listen))) {
        fprintf(stderr, "obrady: cannot start the LISTEN connection's thread\n");
        return 1;
    }
    struct outbox *outbox = NULL;
    rc = outbox_start(pool, &app.mail, &outbox);
    if (rc) {
        fprintf(stderr, "obrady: the mail settings are not usable (%s)\n", obr_strerror(rc));
        return 1;
    }
    struct sms_config smsc = {.url = cfg.sms_url, .auth_header = cfg.sms_authorization,
                              .body_template = cfg.sms_body_template,
                              .content_type = cfg.sms_content_type,
                              .max_attempts = cfg.sms_max_attempts, .retry_s = cfg.sms_retry_s};
    if ((rc = sms_start(pool, &smsc)) != 0) {
        fprintf(stderr, "obrady: the SMS settings are not usable (%s)\n", obr_strerror(rc));
        return 1;
    }
    if (signin_queue_start(pool, &app)) {
        fprintf(stderr, "obrady: cannot start the sign-in worker\n");
        return 1;
    }
    /* Set before the server starts: handlers read app.archive_dir. */
    static struct archiving archiving;
    if (cfg.archive_dir[0])
        snprintf(archiving.dir, sizeof archiving.dir, "%s", cfg.archive_dir);
    else
        snprintf(archiving.dir, sizeof archiving.dir, "%s/archive", cfg.data_dir);
    app.archive_dir = archiving.dir;
    struct server_config sc = {
        .host = host,
        .port = port,
        .web_dir = cfg.web_dir,
        .tls_cert_file = cfg.tls_cert[0] ? cfg.tls_cert : NULL,
        .tls_key_file = cfg.tls_key[0] ? cfg.tls_key : NULL,
        .public_origin = cfg.public_origin[0] ? cfg.public_origin : NULL,
        .threads = cfg.threads,
        .max_connections = cfg.max_connections,
        .per_ip_connections = cfg.per_ip_connections,
        .connection_memory_kib = cfg.connection_memory_kib,
        .idle_timeout_s = cfg.idle_timeout_s,
        .trusted_proxies = &proxies,
    };
    char err[512];
    struct server *srv = server_start(&sc, api_routes, api_routes_count, pool, hub, &app, err,
                                      sizeof err);
    if (!srv) {
        fprintf(stderr, "obrady: %s\n", err);
        sms_stop();
        outbox_stop(outbox);
        db_pool_close(pool);
        hub_free(hub);
        free_limits(&app);
        return 1;
    }
    const char *shown = strchr(host, ':') ? "[%s]" : "%s";
    char shown_host[140];
    snprintf(shown_host, sizeof shown_host, shown, host);
    if (cfg.public_origin[0])
        snprintf(app.public_url, sizeof app.public_url, "%s", cfg.public_origin);
    else
        snprintf(app.public_url, sizeof app.public_url, "%s://%s:%u",
                 server_is_tls(srv) ? "https" : "http", shown_host, server_port(srv));
    report_set_public_url(app.public_url);
    append_instance_event(pool, hub, "server.started");
    /* After the server: deadlines that passed while we were down run now. */
    proceedings_register_deadlines();
    votes_register_deadlines();
    meeting_flow_register_deadlines();
    report_mail_register_deadlines();
    interp_register_deadlines();
    if (scheduler_start(pool, hub, &app))
        diag(DIAG_ERROR, "the scheduler did not start: deadlines will not run");
    char backup_dir[CONFIG_PATH_MAX + 16];
    backup_cli_dir(&cfg, backup_dir, sizeof backup_dir);
    archiving.pool = pool, archiving.hub = hub, archiving.app = &app;
    struct backup_job_config bj = {.data_dir = cfg.data_dir, .database_url = cfg.database,
                                   .dir = backup_dir,
                                   .key_file = cfg.backup_key_file, .command = cfg.backup_command,
                                   .time_min = cfg.backup_time_min, .keep = cfg.backup_keep,
                                   .version = OBRADY_VERSION, .after = run_archiving,
                                   .after_ctx = &archiving};
    if (backup_job_start(&bj, pool, &app.mail))
        diag(DIAG_ERROR, "the backup job did not start: no daily backups");
    if (cfg.demo && db_pool_get(pool)) {
        /* The demo talks to us on our own address (a wildcard one via loopback). */
        char base[200];
        bool is_any = !strcmp(host, "0.0.0.0") || !strcmp(host, "::");
        const char *local = !is_any ? shown_host : strchr(host, ':') ? "[::1]" : "127.0.0.1";
        snprintf(base, sizeof base, "%s://%s:%u", server_is_tls(srv) ? "https" : "http", local,
                 server_port(srv));
        demo_seed(db_pool_get(pool), app.secret_key, cfg.is_demo_bare ? NULL : base,
                  app.public_url, stdout);
    }
    fprintf(stderr, "obrady listening on %s://%s:%u\n", server_is_tls(srv) ? "https" : "http",
            shown_host, server_port(srv));
    fflush(stderr);
    sdnotify("READY=1");

    int sig = 0;
    while (!sigwait(&sigs, &sig) && sig == SIGHUP)
        reload_settings(argc, argv, srv);
    diag(DIAG_INFO, "received %s; stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    sdnotify("STOPPING=1");
    server_quiesce(srv);
    append_instance_event(pool, hub, "server.stopping");
    server_stop(srv, 10000);
    scheduler_stop();
    backup_job_stop();
    meeting_cache_reset(0);
    pcache_reset();
    votes_free_caches();
    json_col_cache_reset();
    signin_queue_stop();
    sms_stop();
    outbox_stop(outbox);
    write_limits_free();
    pg_listen_free(app.listen);
    log_follow_free(follow);
    db_pool_close(pool);
    hub_free(hub);
    free_limits(&app);
    fprintf(stderr, "obrady stopped\n");
    return 0;
}

static int cmd_log(int argc, char **argv)
{
    if (argc < 1 || is_help(argv[0])) {
        fputs(LOG_USAGE, argc < 1 ? stderr : stdout);
        return argc < 1 ? 2 : 0;
    }
    bool is_export = !strcmp(argv[0], "export");
    if (strcmp(argv[0], "verify") && !is_export) {
        fprintf(stderr, "obrady: unknown log command '%s'\n%s", argv[0], LOG_USAGE);
        return 2;
    }
    const char *meeting = NULL;
    struct config cfg;
    config_defaults(&cfg);
    config_apply_env(&cfg);
    for (int i = 1; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(LOG_USAGE, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
            config_set(&cfg, "data", argv[++i]);
        } else if (argv[i][0] != '-' && !meeting) {
            meeting = argv[i];
        } else {
            fprintf(stderr, "obrady: unexpected '%s'\n%s", argv[i], LOG_USAGE);
            return 2;
        }
    }
    if (!meeting) {
        fputs(LOG_USAGE, stderr);
        return 2;
    }
    struct db *db;
    if (open_store(&cfg, &db))
        return 1;
    if (is_export) {
        json_t *log = verify_log_export(db, meeting);
        db_close(db);
        int bad = !log || json_dumpf(log, stdout, JSON_COMPACT) || fputc('\n', stdout) == EOF;
        json_decref(log);
        if (bad)
            fprintf(stderr, "obrady: cannot read the log of %s\n", meeting);
        return bad;
    }
    struct log_verify_result r;
    int rc = log_verify(db, meeting, &r);
    db_close(db);
    if (rc) {
        fprintf(stderr, "obrady: cannot read the log: %s\n", obr_strerror(rc));
        return 1;
    }
    if (r.events == 0 && !r.bad_seq) {
        printf("no such log: %s\n", meeting);
        return 1;
    }
    if (r.bad_seq) {
        printf("broken at seq %lld: %s\n", (long long)r.bad_seq, r.why ? r.why : "?");
        return 1;
    }
    printf("ok: %lld events, head %s\n", (long long)r.events, r.head);
    return 0;
}

static int cmd_user(int argc, char **argv)
{
    if (argc < 1 || is_help(argv[0]) || strcmp(argv[0], "add")) {
        bool is_asked = argc >= 1 && is_help(argv[0]);
        fputs(USER_USAGE, is_asked ? stdout : stderr);
        return is_asked ? 0 : 2;
    }
    const char *email_in = NULL, *name = NULL;
    bool is_admin = false;
    struct config cfg;
    config_defaults(&cfg);
    config_apply_env(&cfg);
    for (int i = 1; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(USER_USAGE, stdout);
            return 0;
        } else if (!strcmp(argv[i], "--admin")) {
            is_admin = true;
        } else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
            name = argv[++i];
        } else if (!strcmp(argv[i], "--data") && i + 1 < argc) {
            config_set(&cfg, "data", argv[++i]);
        } else if (argv[i][0] != '-' && !email_in) {
            email_in = argv[i];
        } else {
            fprintf(stderr, "obrady: unexpected '%s'\n%s", argv[i], USER_USAGE);
            return 2;
        }
    }
    char email[EMAIL_SIZE];
    if (!email_in || email_normalize(email_in, email, sizeof email) || !email_is_valid(email)) {
        fprintf(stderr, "obrady: give a valid e-mail address\n%s", USER_USAGE);
        return 2;
    }
    if (name && (!*name || strlen(name) > 200 || !utf8_is_text(name, strlen(name), false))) {
        fprintf(stderr, "obrady: the name must be 1 to 200 characters of text\n");
        return 2;
    }
    if (make_dir(cfg.data_dir, NULL))
        return 1;
    struct db *db;
    if (open_store(&cfg, &db))
        return 1;
    struct user u;
    int rc = users_ensure(db, email, name ? name : email, "pl", &u);
    if (!rc && is_admin && !u.is_instance_admin)
        rc = users_set_instance_admin(db, u.id, true);
    db_close(db);
    if (rc) {
        fprintf(stderr, "obrady: cannot add %s: %s\n", email, obr_strerror(rc));
        return 1;
    }
    printf("%s %s%s\n", u.email, is_admin ? "is an instance administrator" : "can sign in",
           "; the sign-in code is sent by e-mail");
    return 0;
}

int main(int argc, char **argv)
{
    diag_init_from_env();
    if (sodium_init() < 0) {
        fprintf(stderr, "obrady: libsodium failed to initialise\n");
        return 1;
    }
    if (argc < 2) {
        fputs(USAGE, stderr);
        return 2;
    }
    if (is_help(argv[1]) || !strcmp(argv[1], "--version")) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "serve"))
        return cmd_serve(argc - 2, argv + 2);
    if (!strcmp(argv[1], "user"))
        return cmd_user(argc - 2, argv + 2);
    if (!strcmp(argv[1], "log"))
        return cmd_log(argc - 2, argv + 2);
    if (!strcmp(argv[1], "verify"))
        return verify_cli_main(argc - 2, argv + 2);
    if (!strcmp(argv[1], "backup"))
        return backup_cli_main(argc - 2, argv + 2, OBRADY_VERSION);
    if (!strcmp(argv[1], "archive"))
        return archive_cli_main(argc - 2, argv + 2);
    if (!strcmp(argv[1], "migrate-store"))
        return migrate_store_main(argc - 2, argv + 2);
    fprintf(stderr, "obrady: unknown command '%s'\n\n%s", argv[1], USAGE);
    return 2;
}
