/* req_impl.h — the inside of struct req and struct server, shared by the
 * files of the http module only (server.c, req.c, router.c, sse.c,
 * static.c). Handlers use req.h. */
#ifndef OBR_HTTP_REQ_IMPL_H
#define OBR_HTTP_REQ_IMPL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/req.h"
#include "http/server.h"
#include "util/buf.h"
#include "util/cidr.h"

#define REQ_MAX_PARAMS 8
#define REQ_MAX_HEADERS 16
#define REQ_URL_MAX 2048       /* longer: 414 */
#define REQ_HEADERS_MAX 8192   /* all header lines together; more: 431 */

struct arena_block;
struct sse_stream;

struct server {
    struct MHD_Daemon *daemon;
    const struct route *routes;
    size_t n_routes;
    struct db_pool *pool;
    struct hub *hub;
    void *app;
    char *web_dir;
    char *public_origin;
    bool is_tls;
    unsigned port;
    int listen_fd;
    bool is_quiesced;
    unsigned active; /* atomic: requests begun and not completed */
    char *tls_cert, *tls_key;
    pthread_rwlock_t proxies_lock; /* guards proxies (replaced on reload) */
    struct cidr_list proxies;      /* trusted_proxies */
};

struct req_param {
    const char *name; /* points into the route pattern */
    size_t name_len;
    char *value;
};

struct req {
    bool is_begun;     /* the access handler has seen this request */
    size_t uri_len;    /* the raw request target, query included */
    bool has_nul;      /* the raw target holds an encoded NUL (%00) */
    struct server *srv;
    struct MHD_Connection *conn;
    const char *method;
    bool is_http10; /* the request line said HTTP/1.0 (sse.c frames its body by it) */
    char *path;
    const struct route *route;
    struct req_param params[REQ_MAX_PARAMS];
    int n_params;
    int64_t start_us;
    struct arena_block *arena;
    char client_ip[64]; /* filled by req_client_ip (proxy.c) */
    bool is_proxy_resolved; /* client_ip and is_forwarded_tls are set */
    bool is_forwarded_tls;  /* a trusted proxy says the client spoke HTTPS */

    struct buf body;
    bool has_body_error;
    uint64_t body_seen; /* bytes of body received so far */
    int sink_error; /* an api_err from the route's body sink, 0 if none */
    void *state;
    void (*state_free)(void *);
    json_t *json; /* the parsed body; owns the strings handed to handlers */

    /* the reply */
    bool has_reply;
    unsigned status;
    const char *content_type;
    char *data;
    size_t data_len;
    int fd;
    uint64_t fd_size;
    uint64_t fd_offset; /* reply_fd_range: where the bytes sent begin */
    char *hdr_names[REQ_MAX_HEADERS];
    char *hdr_values[REQ_MAX_HEADERS];
    int n_headers;
    struct sse_stream *sse;
    struct MHD_Response *stream; /* a live stream made by its reply_* (audio_stream.c) */
    bool is_held; /* reply waits for its log commit to be durable (server.c) */
    int sync_rc;  /* that sync's result */
};

/* Forgets the reply made so far, so another can be made (req.c). */
void req_drop_reply(struct req *rq);

/* router.c: finds the route for method + path, filling rq->route and params.
 * Returns 0, or ERR_NOT_FOUND / ERR_METHOD_NOT_ALLOWED (then allow holds the
 * permitted methods, comma-separated). */
int router_match(struct req *rq, char *allow, size_t allow_size);

/* sse.c */
struct MHD_Response *sse_response(struct req *rq);
/* Starts / stops the thread that wakes every stream every interval_ms for a heartbeat. */
int sse_heartbeat_start(struct hub *hub, unsigned interval_ms);
void sse_heartbeat_stop(void);

/* static.c: serves GET/HEAD of a file under the web dir. */
void static_serve(struct req *rq);

/* compress.c: whether an Accept-Encoding list accepts coding (q > 0; an
 * explicit entry wins over "*"); gzip of an in-memory JSON or HTML reply of
 * 1 KiB or more when the client accepts it (sets Content-Encoding and Vary). */
bool http_accepts_coding(const char *accept_encoding, const char *coding);
void http_maybe_gzip(struct req *rq);

/* req.c */
void req_free(struct req *rq);
struct MHD_Response *req_build_response(struct req *rq);

#endif
