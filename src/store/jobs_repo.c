/* jobs_repo.c — see jobs.h. Every statement is one atomic conditional write,
 * so two nodes racing for the same lease or bucket serialize on its row
 * (PostgreSQL re-checks the WHERE of a conditional UPDATE against the row a
 * concurrent transaction committed). */
#include "store/jobs.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/db_util.h"

DB_QUERY(q_lease_take, "job_lease_take",
         "INSERT INTO job_leases (name, holder, until_ms) VALUES ($1, $2, $3) "
         "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms "
         "WHERE job_leases.until_ms <= $4 OR job_leases.holder = excluded.holder");
DB_QUERY(q_lease_release, "job_lease_release",
         "DELETE FROM job_leases WHERE name = $1 AND holder = $2");
/* $2 now, $3 interval, $4 interval * burst: the new arrival time is
 * max(tat, now) + interval, allowed while it is at most now + interval*burst. */
DB_QUERY(q_bucket_take, "rate_buckets_take",
         "INSERT INTO rate_buckets (key, tat_ms) VALUES ($1, $2 + $3) "
         "ON CONFLICT (key) DO UPDATE SET tat_ms = "
         "(CASE WHEN rate_buckets.tat_ms > $2 THEN rate_buckets.tat_ms ELSE $2 END) + $3 "
         "WHERE (CASE WHEN rate_buckets.tat_ms > $2 THEN rate_buckets.tat_ms ELSE $2 END) + $3 "
         "<= $2 + $4 RETURNING tat_ms");
DB_QUERY(q_bucket_get, "rate_buckets_get", "SELECT tat_ms FROM rate_buckets WHERE key = $1");
DB_QUERY(q_bucket_sweep, "rate_buckets_sweep", "DELETE FROM rate_buckets WHERE tat_ms <= $1");
DB_QUERY(q_generation, "store_directory_generation",
         "SELECT value FROM store_generations WHERE name = 'directory'");
DB_QUERY(q_access_generation, "store_access_generation",
         "SELECT value FROM store_generations WHERE name = 'access'");

static pthread_once_t node_once = PTHREAD_ONCE_INIT;
static char node[NODE_ID_SIZE];

static void node_init(void)
{
    char host[40] = "";
    if (gethostname(host, sizeof host - 1))
        snprintf(host, sizeof host, "node");
    for (char *p = host; *p; p++) /* keep it one plain token */
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '.'))
            *p = '_';
    snprintf(node, sizeof node, "%s-%ld-%08x", host, (long)getpid(), randombytes_random());
}

const char *node_id(void)
{
    pthread_once(&node_once, node_init);
    return node;
}

int job_lease_take(struct db *db, const char *name, const char *holder, int64_t now_ms,
                   int64_t lease_ms)
{
    struct db_stmt *s = db_prepare(db, &q_lease_take);
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, holder);
    db_bind_int(s, 3, now_ms + lease_ms);
    db_bind_int(s, 4, now_ms);
    return db_run_take(db, s);
}

int job_lease_release(struct db *db, const char *name, const char *holder)
{
    struct db_stmt *s = db_prepare(db, &q_lease_release);
    db_bind_text(s, 1, name);
    db_bind_text(s, 2, holder);
    return db_run(s);
}

int rate_buckets_take(struct db *db, const char *key, int64_t now_ms, int64_t interval_ms,
                      int burst, int64_t *retry_ms)
{
    *retry_ms = 0;
    struct db_stmt *s = db_prepare(db, &q_bucket_take);
    db_bind_text(s, 1, key);
    db_bind_int(s, 2, now_ms);
    db_bind_int(s, 3, interval_ms);
    db_bind_int(s, 4, interval_ms * (burst > 0 ? burst : 1));
    int rc = db_step(s);
    db_stmt_done(s);
    if (rc == DB_ROW)
        return 1;
    if (rc < 0)
        return rc;
    s = db_prepare(db, &q_bucket_get);
    db_bind_text(s, 1, key);
    rc = db_step(s);
    int64_t tat = rc == DB_ROW ? db_col_int(s, 0) : now_ms;
    db_stmt_done(s);
    if (rc < 0)
        return rc;
    /* allowed again once tat + interval <= now + interval * burst */
    int64_t wait = tat + interval_ms - interval_ms * (burst > 0 ? burst : 1) - now_ms;
    *retry_ms = wait > 0 ? wait : 1;
    return 0;
}

int rate_buckets_sweep(struct db *db, int64_t now_ms)
{
    struct db_stmt *s = db_prepare(db, &q_bucket_sweep);
    db_bind_int(s, 1, now_ms);
    return db_run(s);
}

int store_directory_generation(struct db *db, uint64_t *out)
{
    if (strcmp(db_backend_name(db), "postgresql")) {
        *out = db_directory_generation();
        return 0;
    }
    struct db_stmt *s = db_prepare(db, &q_generation);
    int rc = db_step(s);
    if (rc == DB_ROW)
        *out = (uint64_t)db_col_int(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : OBR_ENOTFOUND;
}

int store_access_generation(struct db *db, uint64_t *out)
{
    struct db_stmt *s = db_prepare(db, &q_access_generation);
    int rc = db_step(s);
    if (rc == DB_ROW)
        *out = (uint64_t)db_col_int(s, 0);
    db_stmt_done(s);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : OBR_ENOTFOUND;
}
