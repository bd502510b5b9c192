/* log_follow.c — other nodes' events into this node's hub (log_follow.h).
 * Runs on the LISTEN thread, reading the store through that thread's pool
 * connection. Events are read in batches and never beyond the seq the note
 * (or, after a reconnect, the head read before a sync) vouches for, so only
 * durable events are published. */
#include "log/log_follow.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log/eventlog.h"
#include "log/hub.h"
#include "log/log_sync.h"
#include "store/db.h"
#include "store/pg_listen.h"
#include "util/diag.h"
#include "util/err.h"

#define READ_BATCH 64
#define ID_MAX 64

struct log_follow {
    struct hub *hub;
    struct db_pool *pool;
    char *url;
    uint64_t published; /* atomic */
};

struct log_follow *log_follow_new(struct hub *hub, struct db_pool *pool, const char *url)
{
    struct log_follow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->hub = hub;
    f->pool = pool;
    f->url = strdup(url);
    if (!f->url) {
        free(f);
        return NULL;
    }
    return f;
}

void log_follow_free(struct log_follow *f)
{
    if (!f)
        return;
    free(f->url);
    free(f);
}

uint64_t log_follow_count(struct log_follow *f)
{
    return f ? __atomic_load_n(&f->published, __ATOMIC_RELAXED) : 0;
}

/* Publishes id's events from the one after the hub's last (on a topic with
 * nothing published yet: from first) up to upto. */
static int follow(struct log_follow *f, struct db *db, const char *id, int64_t first, int64_t upto)
{
    int64_t last;
    if (!hub_topic_last(f->hub, id, &last) || last >= upto)
        return 0;
    int64_t from = last ? last + 1 : first;
    while (from <= upto) {
        struct event *evs[READ_BATCH];
        int n = 0;
        int64_t want = upto - from + 1 < READ_BATCH ? upto - from + 1 : READ_BATCH;
        int rc = log_read(db, id, from, evs, (int)want, &n);
        if (rc)
            return rc;
        for (int i = 0; i < n; i++) {
            hub_publish(f->hub, evs[i]);
            __atomic_add_fetch(&f->published, 1, __ATOMIC_RELAXED);
            from = evs[i]->seq + 1;
            event_unref(evs[i]);
        }
        if (n < want)
            break; /* the log ends before upto: nothing more to read */
    }
    return 0;
}

static bool parse_seq(const char *s, char **end, int64_t *out)
{
    if (*s < '1' || *s > '9')
        return false;
    errno = 0;
    long long v = strtoll(s, end, 10);
    if (errno || v <= 0)
        return false;
    *out = v;
    return true;
}

/* "<log id> <first> <last>[ <node tag>]" */
static int on_note(const char *rest, void *ctx)
{
    struct log_follow *f = ctx;
    size_t id_len = strcspn(rest, " ");
    if (id_len == 0 || id_len > ID_MAX || rest[id_len] != ' ')
        return 0; /* not ours to mend: a malformed note is dropped */
    char id[ID_MAX + 1];
    memcpy(id, rest, id_len);
    id[id_len] = '\0';
    char *end;
    int64_t first, last;
    if (!parse_seq(rest + id_len + 1, &end, &first) || *end != ' ' ||
        !parse_seq(end + 1, &end, &last) || (*end && *end != ' ') || first > last)
        return 0;
    if (*end && !strcmp(end + 1, log_sync_node_tag()))
        return 0; /* written and published by this node */
    int64_t known;
    if (!hub_topic_last(f->hub, id, &known) || known >= last)
        return 0; /* nobody here follows it, or this node published it already */
    struct db *db = db_pool_get(f->pool);
    return db ? follow(f, db, id, first, last) : OBR_EBUSY;
}

/* After a (re)connect: notes sent while deaf are lost, so every topic with
 * subscribers is brought up to its log's head. The heads are read first and
 * then made durable by a sync, so nothing published can still be lost. A
 * topic with nothing published yet gets its head only: its subscribers read
 * the store themselves and fetch from the hub after it. */
static int on_connected(void *ctx)
{
    struct log_follow *f = ctx;
    size_t n = 0;
    char **ids = hub_topic_ids(f->hub, &n);
    if (!ids)
        return OBR_ENOMEM;
    int64_t *heads = calloc(n ? n : 1, sizeof *heads);
    struct db *db = db_pool_get(f->pool);
    int rc = !heads ? OBR_ENOMEM : !db ? OBR_EBUSY : 0;
    for (size_t i = 0; !rc && i < n; i++) {
        char hash[EVENT_HASH_HEX + 1];
        rc = log_head(db, ids[i], &heads[i], hash);
    }
    if (!rc && n)
        rc = db_sync_path(f->url);
    for (size_t i = 0; !rc && i < n; i++)
        if (heads[i] > 0)
            rc = follow(f, db, ids[i], heads[i], heads[i]);
    if (rc)
        diag(DIAG_WARN, "log_follow: catching up failed (%s); trying again", obr_strerror(rc));
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    free(heads);
    return rc;
}

int log_follow_attach(struct log_follow *f, struct pg_listen *l)
{
    struct pg_listen_handler h = {.kind = 'e', .on_note = on_note, .on_connected = on_connected,
                                  .ctx = f};
    return pg_listen_add(l, &h);
}
