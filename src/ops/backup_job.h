/* backup_job.h — the daily backup of a running server: one thread that
 * makes a backup at backup_time (the installation's local time) or when an
 * instance admin asks, keeps the newest backup_keep backups of this
 * installation (deleting older ones only after the new one verified), runs
 * backup_command after a success, and on a failure logs, counts it in
 * /metrics and mails the instance admins; then it runs the `after` hook
 * (archiving). Its state is process-wide. */
#ifndef OBR_BACKUP_JOB_H
#define OBR_BACKUP_JOB_H

#include <jansson.h>
#include <stdint.h>

struct buf;
struct db_pool;
struct mail_config;

struct backup_job_config {
    const char *data_dir;
    const char *database_url; /* "" or NULL: SQLite in data_dir */
    const char *dir;      /* where backups go */
    const char *key_file; /* "" : scheduled backups are off */
    const char *command;  /* "" : none */
    unsigned time_min;    /* minutes after local midnight */
    unsigned keep;
    const char *version;
    /* Run on the job's thread after every daily run (and "back up now"),
     * whether or not backups are on: the archiving of meetings past their
     * retention period (api/archive.h). May be NULL. */
    void (*after)(void *ctx);
    void *after_ctx;
};

/* Copies cfg and mail and starts the thread. 0 or an OBR_E code. */
int backup_job_start(const struct backup_job_config *cfg, struct db_pool *pool,
                     const struct mail_config *mail);
/* Lets a backup in progress finish, then joins the thread. */
void backup_job_stop(void);
/* Asks for a backup now ("back up now"). 0, OBR_ECONFLICT when one is
 * already running, OBR_ENOTFOUND when backups are off (no key configured). */
int backup_job_request(void);
/* The status for the admin page: a new object (see docs/api.md). */
json_t *backup_job_status_json(void);
/* Appends the backup metrics in the Prometheus text format. */
void backup_job_metrics(struct buf *out);

#endif
