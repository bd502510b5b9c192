/* db_pool.c — one store connection per thread, opened on first use and closed
 * when the thread exits. Written only against the public API of db.h
 * (db_open/db_close), so every backend (SQLite, PostgreSQL) shares
 * it unchanged; the pool keeps its connections in its own list and never
 * looks inside a struct db. */
#include "store/db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

/* One connection the pool opened. This thread's entry is the value of
 * pool->key; every entry is also on pool->conns. */
struct pooled {
    struct db *db;
    struct db_pool *pool;
    struct pooled *next;
};

/* Ownership: the list owns every entry and its connection. Whoever unlinks an
 * entry (under pool->lock) closes it, and nobody else: the thread-exit
 * destructor when a thread ends, or db_pool_close for the entries still listed
 * (the main thread's, and those of threads still alive). db_pool_close deletes
 * the key first, so no destructor can run for this pool afterwards and nothing
 * is closed twice. */
struct db_pool {
    struct db_config cfg; /* a copy; cfg.sqlite_path and cfg.url point to path and url */
    char *path;
    char *url;
    pthread_key_t key;    /* this thread's struct pooled *, borrowed from conns */
    pthread_mutex_t lock; /* guards conns and writer */
    struct pooled *conns;
    struct db *writer; /* db_pool_writer's connection, opened on first use */
};

static void unlink_locked(struct db_pool *pool, struct pooled *entry)
{
    for (struct pooled **p = &pool->conns; *p; p = &(*p)->next) {
        if (*p == entry) {
            *p = entry->next;
            return;
        }
    }
    OBR_BUG("pooled connection missing from its pool");
}

static void close_entry(struct pooled *entry)
{
    db_close(entry->db);
    free(entry);
}

/* Runs on a thread that is exiting, with that thread's entry. */
static void thread_exit_destructor(void *v)
{
    struct pooled *entry = v;
    struct db_pool *pool = entry->pool;
    pthread_mutex_lock(&pool->lock);
    unlink_locked(pool, entry);
    pthread_mutex_unlock(&pool->lock);
    close_entry(entry);
}

int db_pool_open(const struct db_config *cfg, struct db_pool **out)
{
    *out = NULL;
    if (!cfg || (!cfg->sqlite_path && !cfg->url)) {
        OBR_BUG("db_pool_open without a path or URL");
        return OBR_EINVAL;
    }
    struct db_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return OBR_ENOMEM;
    /* Connections open long after the caller's config may be gone. */
    pool->path = cfg->sqlite_path ? strdup(cfg->sqlite_path) : NULL;
    pool->url = cfg->url ? strdup(cfg->url) : NULL;
    if ((cfg->sqlite_path && !pool->path) || (cfg->url && !pool->url)) {
        free(pool->path);
        free(pool->url);
        free(pool);
        return OBR_ENOMEM;
    }
    pool->cfg = *cfg;
    pool->cfg.sqlite_path = pool->path;
    pool->cfg.url = pool->url;
    if (pthread_key_create(&pool->key, thread_exit_destructor) != 0) {
        free(pool->path);
        free(pool->url);
        free(pool);
        return OBR_ENOMEM;
    }
    pthread_mutex_init(&pool->lock, NULL);
    *out = pool;
    return 0;
}

struct db *db_pool_get(struct db_pool *pool)
{
    if (!pool)
        return NULL;
    struct pooled *entry = pthread_getspecific(pool->key);
    if (entry)
        return entry->db;
    entry = calloc(1, sizeof *entry);
    if (!entry) {
        diag(DIAG_ERROR, "db: pool: out of memory");
        return NULL;
    }
    entry->pool = pool;
    if (db_open(&pool->cfg, &entry->db) != 0) {
        free(entry); /* logged by db_open */
        return NULL;
    }
    if (pthread_setspecific(pool->key, entry) != 0) {
        diag(DIAG_ERROR, "db: pool: cannot keep this thread's connection");
        close_entry(entry);
        return NULL;
    }
    pthread_mutex_lock(&pool->lock);
    entry->next = pool->conns;
    pool->conns = entry;
    pthread_mutex_unlock(&pool->lock);
    return entry->db;
}

struct db *db_pool_writer(struct db_pool *pool)
{
    if (!pool)
        return NULL;
    pthread_mutex_lock(&pool->lock);
    if (!pool->writer && db_open(&pool->cfg, &pool->writer) != 0)
        pool->writer = NULL; /* logged by db_open; tried again next time */
    struct db *db = pool->writer;
    pthread_mutex_unlock(&pool->lock);
    return db;
}

void db_pool_close(struct db_pool *pool)
{
    if (!pool)
        return;
    pthread_key_delete(pool->key);
    pthread_mutex_lock(&pool->lock);
    struct pooled *entry = pool->conns;
    pool->conns = NULL;
    struct db *writer = pool->writer;
    pool->writer = NULL;
    pthread_mutex_unlock(&pool->lock);
    db_close(writer);
    while (entry) {
        struct pooled *next = entry->next;
        close_entry(entry);
        entry = next;
    }
    pthread_mutex_destroy(&pool->lock);
    free(pool->path);
    free(pool->url);
    free(pool);
}
