/* backup_job.c — see backup_job.h. The thread sleeps on a condition until
 * the next run (computed with mktime in the process's time zone, so a DST
 * change moves it correctly) or a request; status fields are guarded by
 * `lock` and read by the API and /metrics threads. Of several nodes on one
 * database, the one that takes the day's lease (job_leases "backup:<slot>")
 * runs the scheduled backup and archiving; the others retry every ten
 * minutes and take over only if the holder's lease ran out unfinished. */
#include "ops/backup_job.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mail/mail.h"
#include "ops/backup.h"
#include "store/db.h"
#include "store/jobs.h"
#include "store/directory.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"

extern char **environ;

#define TEXT 1024
#define SLOT_LEASE_MS (60 * 60 * 1000LL)         /* one run must finish within */
#define SLOT_DONE_MS (2 * 24 * 60 * 60 * 1000LL) /* a finished slot stays taken */
#define SLOT_RETRY_MS (10 * 60 * 1000LL)
#define SLOT_GIVE_UP_MS (20 * 60 * 60 * 1000LL)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards S */
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static pthread_t thread;

static struct {
    bool is_started, is_stopping, is_requested, is_running;
    char data_dir[TEXT], database_url[1024], dir[TEXT], key_file[TEXT], command[TEXT], version[32];
    unsigned time_min, keep;
    void (*after)(void *ctx);
    void *after_ctx;
    struct db_pool *pool;
    struct mail_config mail;
    char mail_transport[16], mail_dir[TEXT], mail_from[256], smtp_url[256], smtp_user[128],
        smtp_password[256];
    /* status */
    char phase[16];
    uint64_t done, total;
    int64_t slot_ms; /* the scheduled run being attempted, 0 when none */
    int64_t started_ms, next_run_ms, last_success_ms, last_failure_ms, last_duration_ms;
    uint64_t last_size, successes, failures;
    char last_file[TEXT], last_error[BACKUP_WHY_MAX + 64];
} S;

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static int64_t next_run_after(int64_t now_ms, unsigned min)
{
    time_t now = (time_t)(now_ms / 1000);
    for (int day = 0; day < 3; day++) {
        struct tm tm;
        localtime_r(&now, &tm);
        tm.tm_mday += day;
        tm.tm_hour = (int)(min / 60), tm.tm_min = (int)(min % 60), tm.tm_sec = 0;
        tm.tm_isdst = -1;
        time_t at = mktime(&tm);
        if (at > now)
            return (int64_t)at * 1000;
    }
    return now_ms + 86400000;
}

static void on_progress(void *ctx, const char *phase, uint64_t done, uint64_t total)
{
    pthread_mutex_lock(&lock);
    copy(S.phase, sizeof S.phase, phase);
    S.done = done, S.total = total;
    pthread_mutex_unlock(&lock);
}

/* Deletes this installation's oldest backups beyond keep; called only after
 * a new backup verified. Backups of other installations, or ones whose
 * header cannot be read, are never deleted. */
static void rotate(const char *installation)
{
    json_t *list = backup_list_json(S.dir);
    size_t i, n = 0;
    json_t *e;
    json_array_foreach (list, i, e) {
        const char *inst = json_string_value(json_object_get(e, "installation"));
        n += inst && !strcmp(inst, installation);
    }
    json_array_foreach (list, i, e) {
        if (n <= S.keep)
            break;
        const char *inst = json_string_value(json_object_get(e, "installation"));
        if (!inst || strcmp(inst, installation))
            continue;
        const char *path = json_string_value(json_object_get(e, "path"));
        if (unlink(path))
            diag(DIAG_WARN, "backup: cannot remove the old backup %s: %s", path, strerror(errno));
        else
            diag(DIAG_INFO, "backup: removed the old backup %s (keeping %u)", path, S.keep);
        n--;
    }
    json_decref(list);
}

/* Runs backup_command with OBRADY_BACKUP_FILE set; its exit status. */
static int run_hook(const char *file, char *why, size_t why_size)
{
    if (!S.command[0])
        return 0;
    /* Its own environment (setenv would race with other threads' getenv). */
    size_t n = 0;
    while (environ[n])
        n++;
    char **envp = calloc(n + 2, sizeof *envp);
    char *var = NULL;
    if (!envp || asprintf(&var, "OBRADY_BACKUP_FILE=%s", file) < 0) {
        free(envp);
        snprintf(why, why_size, "the backup was made but backup_command could not run: no memory");
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "OBRADY_BACKUP_FILE=", 19))
            envp[k++] = environ[i];
    envp[k++] = var;
    char *argv[] = {"sh", "-c", S.command, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, envp);
    free(var);
    free(envp);
    int status = 0;
    if (rc || waitpid(pid, &status, 0) < 0) {
        snprintf(why, why_size, "the backup was made but backup_command could not run: %s",
                 strerror(rc ? rc : errno));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        snprintf(why, why_size, "the backup was made but backup_command failed (exit %d)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return -1;
    }
    return 0;
}

static void mail_admins(const char *why)
{
    struct db *db = S.pool ? db_pool_get(S.pool) : NULL;
    json_t *admins = db ? users_instance_admins_json(db) : NULL;
    struct buf text = BUF_INIT;
    buf_printf(&text,
               "Kopia zapasowa obrady nie powiodła się / The obrady backup failed.\n\n%s\n\n"
               "Katalog kopii / backup directory: %s\n"
               "Ostatnia udana kopia / last good backup: %s\n\n"
               "Sprawdź miejsce na dysku i klucz kopii (backup_key_file), potem uruchom\n"
               "'obrady backup create' albo 'Zrób kopię teraz' na stronie administratora.\n"
               "Check the disk space and the backup key (backup_key_file), then run\n"
               "'obrady backup create' or 'Back up now' on the admin page.\n",
               why, S.dir, S.last_file[0] ? S.last_file : "-");
    size_t i;
    json_t *a;
    json_array_foreach (admins, i, a) {
        struct mail_message m = {.to_addr = json_string_value(json_object_get(a, "email")),
                                 .to_name = json_string_value(json_object_get(a, "name")),
                                 .subject =
                                     "obrady: kopia zapasowa nie powiodła się / backup failed",
                                 .text = buf_str(&text)};
        if (outbox_enqueue(db, &S.mail, &m, false, NULL))
            diag(DIAG_ERROR, "backup: cannot queue the failure mail");
    }
    if (json_array_size(admins))
        outbox_nudge(NULL);
    json_decref(admins);
    buf_free(&text);
}

static void run_once(void)
{
    int64_t t0 = clock_now_ms();
    char why[BACKUP_WHY_MAX + 64] = "";
    unsigned char key[BACKUP_KEY_BYTES];
    struct backup_result r = {0};
    int rc = bk_key_load(S.key_file, key, why, sizeof why);
    if (!rc) {
        struct backup_opts o = {.data_dir = S.data_dir,
                                .database_url = S.database_url,
                                .to_dir = S.dir,
                                .key = key,
                                .version = S.version,
                                .progress = on_progress};
        rc = backup_create(&o, &r, why, sizeof why);
        sodium_memzero(key, sizeof key);
    }
    if (!rc) {
        char inst[33];
        if (!backup_installation_id(S.data_dir, inst))
            rotate(inst);
        rc = run_hook(r.path, why, sizeof why);
    }
    int64_t t1 = clock_now_ms();
    pthread_mutex_lock(&lock);
    S.last_duration_ms = t1 - t0;
    if (r.path[0]) {
        S.last_success_ms = r.created_ms;
        S.last_size = r.size_bytes;
        copy(S.last_file, sizeof S.last_file, r.path);
        S.successes++;
    }
    if (rc) {
        S.last_failure_ms = t1;
        S.failures++;
        copy(S.last_error, sizeof S.last_error, why);
    } else {
        S.last_error[0] = 0;
    }
    pthread_mutex_unlock(&lock);
    if (rc) {
        diag(DIAG_ERROR, "backup FAILED: %s", why);
        mail_admins(why);
    } else {
        diag(DIAG_INFO, "backup %s: %llu bytes, verified, in %lld ms", r.path,
             (unsigned long long)r.size_bytes, (long long)(t1 - t0));
    }
}

/* The lease of a scheduled slot: 1 this node runs it, 0 another node has
 * it (or finished it); a store that cannot answer lets this node run it (a
 * backup twice is better than none). Called without `lock`. */
static int slot_take(int64_t slot_ms, int64_t lease_ms)
{
    struct db *db = S.pool ? db_pool_get(S.pool) : NULL;
    if (!db)
        return 1;
    char name[48];
    snprintf(name, sizeof name, "backup:%lld", (long long)slot_ms);
    int rc = job_lease_take(db, name, node_id(), clock_now_ms(), lease_ms);
    return rc < 0 ? 1 : rc;
}

/* With `lock` held: whether the due run goes ahead on this node, else when
 * to look again. Requested runs always do. */
static bool slot_is_mine(int64_t now)
{
    if (S.is_requested)
        return true;
    if (!S.slot_ms)
        S.slot_ms = S.next_run_ms;
    int64_t slot = S.slot_ms;
    pthread_mutex_unlock(&lock);
    int taken = slot_take(slot, SLOT_LEASE_MS);
    pthread_mutex_lock(&lock);
    if (taken)
        return true;
    if (now - slot > SLOT_GIVE_UP_MS) {
        S.slot_ms = 0;
        S.next_run_ms = next_run_after(now, S.time_min);
    } else {
        S.next_run_ms = now + SLOT_RETRY_MS;
    }
    return false;
}

static void *job_main(void *arg)
{
    backup_lower_priority();
    pthread_mutex_lock(&lock);
    while (!S.is_stopping) {
        int64_t now = clock_now_ms();
        bool is_enabled = S.key_file[0] != 0;
        if ((S.is_requested || now >= S.next_run_ms) && !slot_is_mine(now))
            continue;
        if (S.is_requested || now >= S.next_run_ms) {
            bool is_scheduled = !S.is_requested;
            int64_t slot = S.slot_ms;
            S.is_requested = false;
            S.is_running = is_enabled;
            S.started_ms = now;
            S.done = S.total = 0;
            copy(S.phase, sizeof S.phase, "starting");
            pthread_mutex_unlock(&lock);
            if (is_enabled)
                run_once();
            if (S.after)
                S.after(S.after_ctx);
            if (is_scheduled && slot)
                slot_take(slot, slot + SLOT_DONE_MS - clock_now_ms()); /* finished */
            pthread_mutex_lock(&lock);
            if (is_scheduled)
                S.slot_ms = 0;
            S.is_running = false;
            S.phase[0] = 0;
            S.next_run_ms = next_run_after(clock_now_ms(), S.time_min);
            continue;
        }
        int64_t wait_ms = S.next_run_ms - now;
        if (wait_ms > 60000)
            wait_ms = 60000; /* a clock change is noticed within a minute */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += wait_ms / 1000;
        ts.tv_nsec += (long)(wait_ms % 1000) * 1000000;
        if (ts.tv_nsec >= 1000000000)
            ts.tv_sec++, ts.tv_nsec -= 1000000000;
        if (!S.is_stopping && !S.is_requested)
            pthread_cond_timedwait(&cond, &lock, &ts);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

/* After a restart the age of the newest backup already on disk counts. */
static void find_last_backup(void)
{
    char inst[33];
    json_t *list = backup_installation_id(S.data_dir, inst) ? NULL : backup_list_json(S.dir);
    size_t i;
    json_t *e;
    json_array_foreach (list, i, e) {
        const char *id = json_string_value(json_object_get(e, "installation"));
        if (id && !strcmp(id, inst)) {
            S.last_success_ms = json_integer_value(json_object_get(e, "created_ms"));
            S.last_size = (uint64_t)json_integer_value(json_object_get(e, "size"));
            copy(S.last_file, sizeof S.last_file, json_string_value(json_object_get(e, "path")));
        }
    }
    json_decref(list);
}

int backup_job_start(const struct backup_job_config *c, struct db_pool *pool,
                     const struct mail_config *mail)
{
    pthread_mutex_lock(&lock);
    if (S.is_started) {
        pthread_mutex_unlock(&lock);
        return 0;
    }
    copy(S.data_dir, sizeof S.data_dir, c->data_dir);
    copy(S.database_url, sizeof S.database_url, c->database_url ? c->database_url : "");
    copy(S.dir, sizeof S.dir, c->dir);
    copy(S.key_file, sizeof S.key_file, c->key_file);
    copy(S.command, sizeof S.command, c->command);
    copy(S.version, sizeof S.version, c->version);
    S.time_min = c->time_min;
    S.after = c->after, S.after_ctx = c->after_ctx;
    S.keep = c->keep ? c->keep : 10;
    S.pool = pool;
    copy(S.mail_transport, sizeof S.mail_transport, mail->transport);
    copy(S.mail_dir, sizeof S.mail_dir, mail->dir);
    copy(S.mail_from, sizeof S.mail_from, mail->from);
    copy(S.smtp_url, sizeof S.smtp_url, mail->smtp_url);
    copy(S.smtp_user, sizeof S.smtp_user, mail->smtp_user);
    copy(S.smtp_password, sizeof S.smtp_password, mail->smtp_password);
    S.mail = *mail;
    S.mail.transport = S.mail_transport, S.mail.dir = S.mail_dir, S.mail.from = S.mail_from;
    S.mail.smtp_url = S.smtp_url, S.mail.smtp_user = S.smtp_user;
    S.mail.smtp_password = S.smtp_password;
    S.next_run_ms = next_run_after(clock_now_ms(), S.time_min);
    S.is_stopping = false;
    find_last_backup();
    int rc = pthread_create(&thread, NULL, job_main, NULL);
    S.is_started = rc == 0;
    pthread_mutex_unlock(&lock);
    if (!S.key_file[0])
        diag(DIAG_WARN, "backups are off: set backup_key_file (see 'obrady backup keygen')");
    return rc ? OBR_EIO : 0;
}

void backup_job_stop(void)
{
    pthread_mutex_lock(&lock);
    bool is_started = S.is_started;
    S.is_stopping = true;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    if (is_started)
        pthread_join(thread, NULL);
    pthread_mutex_lock(&lock);
    S.is_started = false;
    pthread_mutex_unlock(&lock);
}

int backup_job_request(void)
{
    pthread_mutex_lock(&lock);
    int rc = !S.key_file[0] ? OBR_ENOTFOUND : (S.is_running || S.is_requested) ? OBR_ECONFLICT : 0;
    if (!rc) {
        S.is_requested = true;
        pthread_cond_signal(&cond);
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

static json_t *ms_or_null(int64_t ms)
{
    return ms ? json_integer((json_int_t)ms) : json_null();
}

json_t *backup_job_status_json(void)
{
    pthread_mutex_lock(&lock);
    char at[8];
    snprintf(at, sizeof at, "%02u:%02u", S.time_min / 60 % 24, S.time_min % 60);
    json_t *o =
        json_pack("{s:b,s:s,s:s,s:i,s:b,s:b,s:o,s:o,s:o,s:I,s:s,s:s,s:I,s:I,s:I}", "enabled",
                  S.key_file[0] != 0, "dir", S.dir, "time", at, "keep", (int)S.keep, "running",
                  S.is_running || S.is_requested, "has_command", S.command[0] != 0, "next_run_ms",
                  ms_or_null(S.key_file[0] ? S.next_run_ms : 0), "last_success_ms",
                  ms_or_null(S.last_success_ms), "last_failure_ms", ms_or_null(S.last_failure_ms),
                  "last_size", (json_int_t)S.last_size, "last_file", S.last_file, "last_error",
                  S.last_error, "successes", (json_int_t)S.successes, "failures",
                  (json_int_t)S.failures, "last_duration_ms", (json_int_t)S.last_duration_ms);
    if (o && S.is_running)
        json_object_set_new(o, "progress",
                            json_pack("{s:s,s:I,s:I,s:I}", "phase", S.phase, "done",
                                      (json_int_t)S.done, "total", (json_int_t)S.total,
                                      "started_ms", (json_int_t)S.started_ms));
    char dir[TEXT];
    copy(dir, sizeof dir, S.dir);
    pthread_mutex_unlock(&lock);
    if (o)
        json_object_set_new(o, "backups", backup_list_json(dir));
    return o;
}

void backup_job_metrics(struct buf *out)
{
    pthread_mutex_lock(&lock);
    int64_t now = clock_now_ms();
    buf_printf(out,
               "# HELP obrady_backup_enabled Whether daily backups are configured.\n"
               "# TYPE obrady_backup_enabled gauge\n"
               "obrady_backup_enabled %d\n"
               "# HELP obrady_backup_last_success_timestamp_seconds When the last verified "
               "backup was made (0: never since start).\n"
               "# TYPE obrady_backup_last_success_timestamp_seconds gauge\n"
               "obrady_backup_last_success_timestamp_seconds %lld\n"
               "# HELP obrady_backup_last_failure_timestamp_seconds When a backup last failed "
               "(0: never since start).\n"
               "# TYPE obrady_backup_last_failure_timestamp_seconds gauge\n"
               "obrady_backup_last_failure_timestamp_seconds %lld\n"
               "# HELP obrady_backup_age_seconds Age of the last verified backup (-1: none).\n"
               "# TYPE obrady_backup_age_seconds gauge\n"
               "obrady_backup_age_seconds %lld\n"
               "# HELP obrady_backup_last_size_bytes Size of the last backup file.\n"
               "# TYPE obrady_backup_last_size_bytes gauge\n"
               "obrady_backup_last_size_bytes %llu\n"
               "# HELP obrady_backup_failures_total Backups that failed.\n"
               "# TYPE obrady_backup_failures_total counter\n"
               "obrady_backup_failures_total %llu\n"
               "# HELP obrady_backup_successes_total Backups made and verified.\n"
               "# TYPE obrady_backup_successes_total counter\n"
               "obrady_backup_successes_total %llu\n",
               S.key_file[0] != 0, (long long)(S.last_success_ms / 1000),
               (long long)(S.last_failure_ms / 1000),
               S.last_success_ms ? (long long)((now - S.last_success_ms) / 1000) : -1LL,
               (unsigned long long)S.last_size, (unsigned long long)S.failures,
               (unsigned long long)S.successes);
    pthread_mutex_unlock(&lock);
}
