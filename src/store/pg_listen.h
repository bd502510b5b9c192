/* pg_listen.h — one dedicated LISTEN connection per node (PostgreSQL only).
 * A thread holds it, hands every notification on channel PG_LISTEN_CHANNEL to
 * the handler of its kind (the payload's first character; "e" is the event
 * log's, log_follow.c) and, when the connection drops, reconnects with
 * backoff (0.1 s doubling to 5 s) and calls every handler's on_connected so
 * it can catch up on what it missed while deaf. A handler that fails asks
 * for that catch-up again one second later.
 *
 * Payload kinds: "e <log id> <first seq> <last seq>[ <node tag>]" (events
 * committed and durable, sent by the group commit's sync; the tag names the
 * node that published them itself, log/log_sync.h). Other modules may add a kind
 * (say, cache invalidation) with pg_listen_add before pg_listen_start and
 * send with pg_listen_notify; on_connected should then drop what it cached,
 * since notes sent while the connection was down are lost. */
#ifndef OBR_PG_LISTEN_H
#define OBR_PG_LISTEN_H

#include <stdbool.h>
#include <stdint.h>

#define PG_LISTEN_CHANNEL "obrady"
#define PG_LISTEN_MAX_KINDS 8

struct db;
struct pg_listen;

struct pg_listen_handler {
    char kind;
    /* payload after "<kind> "; 0, or an error to have on_connected retried */
    int (*on_note)(const char *rest, void *ctx);
    /* after every (re)connect, LISTEN already active; may be NULL */
    int (*on_connected)(void *ctx);
    void *ctx;
};

struct pg_listen *pg_listen_new(const char *url);
/* Before pg_listen_start only; OBR_ELIMIT past PG_LISTEN_MAX_KINDS. */
int pg_listen_add(struct pg_listen *l, const struct pg_listen_handler *h);
int pg_listen_start(struct pg_listen *l);
/* Stops the thread (if started), closes the connection, frees. Accepts NULL. */
void pg_listen_free(struct pg_listen *l);

/* For /healthz: "up" (listening), "connecting" (first try) or "down"
 * (reconnecting); *since_ms the wall-clock time of the last change;
 * *reconnects how many times it connected again after a drop. */
const char *pg_listen_state(struct pg_listen *l, int64_t *since_ms, uint64_t *reconnects);

/* Sends "<kind> <rest>" to every node on db's connection: inside a
 * transaction it is delivered at COMMIT, never on ROLLBACK. Does nothing on
 * SQLite (one process: nobody else to tell). */
int pg_listen_notify(struct db *db, char kind, const char *rest);

#endif
