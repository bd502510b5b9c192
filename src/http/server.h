/* server.h — the HTTP server: libmicrohttpd with epoll and an internal thread
 * pool, suspend/resume for event streams, limits on connections, memory and
 * idle time, optional TLS, and a graceful stop. main.c starts one. */
#ifndef OBR_HTTP_SERVER_H
#define OBR_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "http/req.h"

struct db_pool;
struct cidr_list;
struct hub;
struct server;

struct server_config {
    const char *host;              /* "127.0.0.1", "::", "0.0.0.0" */
    unsigned port;                 /* 0: any free port */
    const char *web_dir;           /* static files */
    const char *tls_cert_file;     /* PEM; both set → HTTPS */
    const char *tls_key_file;
    const char *public_origin;     /* e.g. "https://obrady.example.pl"; NULL: from Host */
    unsigned threads;              /* 0: number of cores */
    unsigned max_connections;      /* 0: open-file limit minus a reserve */
    unsigned per_ip_connections;   /* 0: 1000 (a council room behind one NAT) */
    unsigned connection_memory_kib; /* 0: 16 */
    unsigned idle_timeout_s;       /* 0: 120; event streams use their own */
    const struct cidr_list *trusted_proxies; /* copied; NULL: none */
};

/* Starts listening. On failure returns NULL and writes the reason into err. */
struct server *server_start(const struct server_config *cfg, const struct route *routes,
                            size_t n_routes, struct db_pool *pool, struct hub *hub, void *app,
                            char *err, size_t err_size);
unsigned server_port(const struct server *srv);
bool server_is_tls(const struct server *srv);
/* Stops accepting connections at once (in-flight requests go on). */
void server_quiesce(struct server *srv);
/* Ends event streams, waits up to grace_ms for in-flight requests, stops the
 * daemon and frees srv. The pool and hub stay the caller's. */
void server_stop(struct server *srv, unsigned grace_ms);
/* Replaces the peers whose X-Forwarded-For/-Proto are believed (thread-safe). */
void server_set_trusted_proxies(struct server *srv, const struct cidr_list *list);
/* In-flight requests including open streams, for /metrics and shutdown. */
unsigned server_active_requests(const struct server *srv);

#endif
