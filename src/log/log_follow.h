/* log_follow.h — feeds this node's hub with events other nodes committed
 * (PostgreSQL). It is the "e" handler of the node's LISTEN connection
 * (store/pg_listen.h): on a note "e <log id> <first> <last>" for a topic
 * that has subscribers (and not tagged as this node's own, which its syncer
 * publishes, log_sync.h) it reads the store from the seq after the last one
 * the hub published and publishes them in seq order; hub_publish ignores
 * what this node already published itself, so nothing arrives twice and a
 * gap is read from the store, never skipped. After every (re)connect it
 * catches up each topic with subscribers to the log's durable head. */
#ifndef OBR_LOG_FOLLOW_H
#define OBR_LOG_FOLLOW_H

#include <stdint.h>

struct hub;
struct db_pool;
struct pg_listen;
struct log_follow;

/* url: the store's (for the sync that makes a catch-up read durable). */
struct log_follow *log_follow_new(struct hub *hub, struct db_pool *pool, const char *url);
/* Registers the "e" handler; before pg_listen_start. */
int log_follow_attach(struct log_follow *f, struct pg_listen *l);
/* After pg_listen_free. Accepts NULL. */
void log_follow_free(struct log_follow *f);
/* Events published to the hub by the follower since start (for /metrics). */
uint64_t log_follow_count(struct log_follow *f);

#endif
