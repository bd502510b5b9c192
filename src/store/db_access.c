/* db_access.c — see db_access.h. One watch per database file of this
 * process (its connections share SQLite's mapping of the "-shm" index):
 * the generation last read and the commit counter it holds at. A commit
 * of this process moves the watch one step when the counter, read under
 * the writer lock before it, was the watch's; a commit that changed
 * store_generations, or any other commit, leaves the watch behind. */
#include "store/db_access.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/db_sqlite_impl.h"

#define WAL_INDEX_VERSION 3007000u /* WalIndexHdr.iVersion */

struct watch {
    struct watch *next;
    char *path;
    int refs;                         /* attached connections (guarded by watches_lock) */
    const volatile uint32_t *index;   /* region 0 of the -shm file, or NULL */
    pthread_mutex_t lock;             /* guards the three below */
    bool is_valid;
    uint32_t change;                  /* the commit counter gen holds at */
    uint64_t gen;
};

struct db_access_conn {
    struct watch *w;
    uint32_t pre;         /* the counter before this connection's commit */
    bool has_pre, has_gen_change;
};

static pthread_mutex_t watches_lock = PTHREAD_MUTEX_INITIALIZER;
static struct watch *watches;
static atomic_uint_fast64_t n_known, n_read;

/* The shared commit counter (WalIndexHdr.iChange), read as SQLite's
 * readers do: the first copy, a barrier, the second, equal and
 * initialised; false while a writer is between the two copies. */
static bool read_change(const struct watch *w, uint32_t *out)
{
    /* Set once under watches_lock by the first connection that mapped it. */
    const uint32_t *h = (const uint32_t *)__atomic_load_n(&w->index, __ATOMIC_ACQUIRE);
    if (!h)
        return false;
    uint32_t version = __atomic_load_n(&h[0], __ATOMIC_RELAXED);
    uint32_t first = __atomic_load_n(&h[2], __ATOMIC_RELAXED);
    uint8_t is_init = __atomic_load_n((const uint8_t *)h + 12, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    uint32_t second = __atomic_load_n(&h[12 + 2], __ATOMIC_RELAXED);
    uint32_t version2 = __atomic_load_n(&h[12], __ATOMIC_RELAXED);
    if (version != WAL_INDEX_VERSION || version2 != WAL_INDEX_VERSION || !is_init ||
        first != second)
        return false;
    *out = first;
    return true;
}

static struct db_access_conn *conn_of(struct db *db)
{
    return db && db->be == &db_sqlite_backend ? db->access : NULL;
}

/* The commit hook: this connection holds the writer lock, so the counter
 * is the latest and stays put until the commit. */
static int on_commit(void *ctx)
{
    struct db_access_conn *a = ctx;
    a->has_pre = read_change(a->w, &a->pre);
    return 0;
}

static const volatile uint32_t *map_index(sqlite3 *conn)
{
    sqlite3_file *f = NULL;
    if (sqlite3_file_control(conn, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
        !f->pMethods || f->pMethods->iVersion < 2 || !f->pMethods->xShmMap)
        return NULL;
    volatile void *p = NULL;
    /* Region 0 exists once the connection has read the WAL (the journal
     * mode pragmas did); not extended, only looked up. */
    if (f->pMethods->xShmMap(f, 0, 32768, 0, &p) != SQLITE_OK)
        return NULL;
    return p;
}

void db_access_attach(struct db *db)
{
    if (!db || db->be != &db_sqlite_backend || db->access)
        return;
    const char *path = sqlite3_db_filename(db->conn, "main");
    if (!path || !*path) /* in memory: no other process */
        return;
    struct db_access_conn *a = calloc(1, sizeof *a);
    if (!a)
        return;
    pthread_mutex_lock(&watches_lock);
    struct watch *w = watches;
    while (w && strcmp(w->path, path))
        w = w->next;
    if (!w && (w = calloc(1, sizeof *w)) && !(w->path = strdup(path))) {
        free(w);
        w = NULL;
    }
    if (w && !w->refs) {
        pthread_mutex_init(&w->lock, NULL);
        w->next = watches;
        watches = w;
    }
    if (w) {
        w->refs++;
        if (!w->index)
            __atomic_store_n(&w->index, map_index(db->conn), __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&watches_lock);
    if (!w) {
        free(a);
        return;
    }
    a->w = w;
    db->access = a;
    sqlite3_commit_hook(db->conn, on_commit, a);
}

void db_access_detach(struct db *db)
{
    struct db_access_conn *a = conn_of(db);
    if (!a)
        return;
    sqlite3_commit_hook(db->conn, NULL, NULL);
    db->access = NULL;
    pthread_mutex_lock(&watches_lock);
    struct watch *w = a->w;
    if (--w->refs == 0) { /* the last connection: SQLite unmaps the index */
        struct watch **pp = &watches;
        while (*pp != w)
            pp = &(*pp)->next;
        *pp = w->next;
        pthread_mutex_destroy(&w->lock);
        free(w->path);
        free(w);
    }
    pthread_mutex_unlock(&watches_lock);
    free(a);
}

void db_access_row(struct db *db, const char *table)
{
    struct db_access_conn *a = conn_of(db);
    if (a && !strcmp(table, "store_generations"))
        a->has_gen_change = true;
}

void db_access_committed(struct db *db)
{
    struct db_access_conn *a = conn_of(db);
    if (!a)
        return;
    struct watch *w = a->w;
    pthread_mutex_lock(&w->lock);
    if (a->has_gen_change)
        w->is_valid = false;
    else if (a->has_pre && w->is_valid && w->change == a->pre)
        w->change = a->pre + 1; /* ours, and the generation stayed */
    pthread_mutex_unlock(&w->lock);
    a->has_pre = a->has_gen_change = false;
}

void db_access_rolled_back(struct db *db)
{
    struct db_access_conn *a = conn_of(db);
    if (a)
        a->has_pre = a->has_gen_change = false;
}

bool db_access_known(struct db *db, uint64_t *gen, struct db_access_mark *mark)
{
    mark->is_set = false;
    struct db_access_conn *a = conn_of(db);
    /* A read transaction left open would read an older snapshot. */
    if (!a || sqlite3_txn_state(db->conn, NULL) != SQLITE_TXN_NONE ||
        !read_change(a->w, &mark->change)) {
        atomic_fetch_add(&n_read, 1);
        return false;
    }
    struct watch *w = a->w;
    pthread_mutex_lock(&w->lock);
    bool is_known = w->is_valid && w->change == mark->change;
    if (is_known)
        *gen = w->gen;
    pthread_mutex_unlock(&w->lock);
    atomic_fetch_add(is_known ? &n_known : &n_read, 1);
    mark->is_set = !is_known;
    return is_known;
}

void db_access_learn(struct db *db, const struct db_access_mark *mark, uint64_t gen)
{
    struct db_access_conn *a = conn_of(db);
    uint32_t now;
    /* The read began after mark; with no commit since, it read that state. */
    if (!a || !mark->is_set || !read_change(a->w, &now) || now != mark->change)
        return;
    struct watch *w = a->w;
    pthread_mutex_lock(&w->lock);
    w->is_valid = true;
    w->change = now;
    w->gen = gen;
    pthread_mutex_unlock(&w->lock);
}

void db_access_stats(struct db_access_stats *out)
{
    out->known = atomic_load(&n_known);
    out->read = atomic_load(&n_read);
}
