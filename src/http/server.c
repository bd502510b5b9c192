/* server.c — the libmicrohttpd daemon and the life of one request: the first
 * call checks limits and finds the route, later calls collect the body within
 * the route's limit, the final call runs the handler and queues the reply,
 * and the completion callback logs, counts and frees. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/req_impl.h"
#include "http/sse_impl.h"
#include "log/eventlog.h"
#include "log/hub.h"
#include "media/audio_channel.h"
#include "ops/metrics.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/err.h"

#define SSE_HEARTBEAT_MS 15000
/* How much of a body beyond its route's limit is read and thrown away so the
 * client, still sending, reads our 413 instead of a reset connection (a reply
 * queued before the body makes MHD close while the client writes: EPIPE).
 * A body declared larger than limit + this is answered at once. */
#define BODY_DRAIN_MAX ((uint64_t)16 << 20)

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The Origin a browser sends for pages we served ourselves. */
static bool is_own_origin(struct req *rq, const char *origin)
{
    if (rq->srv->public_origin)
        return !strcmp(origin, rq->srv->public_origin);
    const char *host = req_header(rq, "Host");
    if (!host)
        return false;
    const char *scheme = req_is_tls(rq) ? "https://" : "http://";
    size_t sl = strlen(scheme);
    return !strncmp(origin, scheme, sl) && !strcmp(origin + sl, host);
}

static size_t header_bytes(struct MHD_Connection *conn)
{
    size_t total = 0;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
    if (ci)
        total = ci->header_size;
    return total;
}

static bool has_body(struct MHD_Connection *conn, uint64_t *declared)
{
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
    *declared = cl ? strtoull(cl, NULL, 10) : 0;
    return (cl && *declared > 0) || te;
}

/* First call: everything that can be decided from the request line and headers. */
static void begin_request(struct req *rq)
{
    char allow[64];
    uint64_t declared;
    bool is_static = false;
    if (rq->has_nul) {
        /* No path or parameter of ours holds a NUL: such a target names nothing. */
        reply_error(rq, ERR_NOT_FOUND, NULL);
        return;
    }
    if (rq->uri_len > REQ_URL_MAX) {
        reply_error(rq, ERR_URI_TOO_LONG, NULL);
        return;
    }
    if (header_bytes(rq->conn) > REQ_HEADERS_MAX) {
        reply_error(rq, ERR_HEADERS_TOO_LARGE, NULL);
        return;
    }
    int m = router_match(rq, allow, sizeof allow);
    if (m == ERR_NOT_FOUND && strncmp(rq->path, "/api/", 5) &&
        (!strcmp(rq->method, "GET") || !strcmp(rq->method, "HEAD")))
        is_static = true;
    else if (m == ERR_METHOD_NOT_ALLOWED) {
        reply_header(rq, "Allow", allow);
        reply_error(rq, ERR_METHOD_NOT_ALLOWED, NULL);
        return;
    } else if (m) {
        reply_error(rq, m, NULL);
        return;
    }
    size_t body_max = rq->route ? rq->route->body_max : 0;
    if ((has_body(rq->conn, &declared) && body_max == 0) || declared > body_max) {
        /* A client that waits for "100 Continue" sends nothing yet: answer now. */
        const char *expect = req_header(rq, "Expect");
        if (declared > body_max + BODY_DRAIN_MAX || (expect && !strcasecmp(expect, "100-continue")))
            reply_error(rq, ERR_BODY_TOO_LARGE, NULL);
        else
            rq->has_body_error = true; /* drained, answered on the final call */
        return;
    }
    if (req_is_state_changing(rq)) {
        const char *origin = req_header(rq, "Origin");
        if (origin && !is_own_origin(rq, origin)) {
            reply_error(rq, ERR_ORIGIN_MISMATCH, NULL);
            return;
        }
    }
    if (is_static)
        rq->route = NULL;
}

static enum MHD_Result queue_reply(struct req *rq)
{
    if (!rq->has_reply) {
        OBR_BUG("no reply from %s %s", rq->method, req_route(rq));
        reply_error(rq, ERR_INTERNAL, NULL);
    }
    struct MHD_Response *r = req_build_response(rq);
    if (!r)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(rq->conn, rq->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Called by the log's syncer thread once the transactions of a held
 * request are durable (or failed to sync). */
static void on_durable(void *ctx, int rc)
{
    struct req *rq = ctx;
    rq->sync_rc = rc;
    MHD_resume_connection(rq->conn);
}

void req_hold(struct req *rq, void (*finish)(struct req *rq, void *ctx), void *ctx)
{
    /* On the handler's thread, inside on_access: MHD allows the suspension
     * there, and the resume cannot come before it. */
    MHD_suspend_connection(rq->conn);
    rq->is_held = true;
    rq->sync_rc = 0;
    rq->hold_finish = finish;
    rq->hold_ctx = ctx;
}

void req_resume(void *rq, int rc)
{
    on_durable(rq, rc);
}

/* Runs the route's handler with its log commits deferred: the reply to a
 * request that committed is held, with the connection suspended, until the
 * commit is durable (group commit, log/eventlog.h), so this thread goes on
 * serving others meanwhile instead of waiting in an fsync. A handler that
 * held its request itself (req_hold) is answered by req_resume. */
static void run_handler(struct req *rq)
{
    log_defer_begin();
    rq->route->handler(rq);
    if (!log_defer_is_pending()) {
        log_defer_end(NULL, NULL);
        return;
    }
    if (rq->is_held) { /* req_hold's contract: nothing deferred after it */
        OBR_BUG("%s committed on its own thread after req_hold", req_route(rq));
        log_defer_end(NULL, NULL);
        return;
    }
    /* Suspended before the callback can exist, so it never resumes a
     * connection that is not suspended. */
    MHD_suspend_connection(rq->conn);
    rq->is_held = true;
    int rc = log_defer_end(on_durable, rq);
    if (rc != 1) { /* already durable, or failed: resume at once */
        rq->sync_rc = rc;
        MHD_resume_connection(rq->conn);
    }
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    struct req *rq = *con_cls;
    if (!rq)
        return MHD_NO; /* on_uri always makes one */
    if (!rq->is_begun) {
        rq->is_begun = true;
        rq->conn = conn;
        rq->method = method;
        rq->is_http10 = version && !strcmp(version, MHD_HTTP_VERSION_1_0);
        rq->path = strdup(url);
        if (!rq->path)
            return MHD_NO;
        begin_request(rq);
        /* An early error is sent at once; MHD then skips the body and closes. */
        return rq->has_reply ? queue_reply(rq) : MHD_YES;
    }
    if (*upload_data_size) {
        size_t max = rq->route ? rq->route->body_max : 0;
        if (rq->has_body_error) {
            rq->body_seen += *upload_data_size;
            if (rq->body_seen > max + BODY_DRAIN_MAX)
                return MHD_NO; /* drained enough: close */
        } else if (!rq->sink_error) {
            rq->body_seen += *upload_data_size;
            if (rq->body_seen > max)
                rq->has_body_error = true; /* remembered; answered on the final call */
            else if (rq->route->body_sink)
                rq->sink_error = rq->route->body_sink(rq, upload_data, *upload_data_size);
            else
                buf_append(&rq->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->is_held) {
        /* Resumed by on_durable (req_resume): the handler's reply may go
         * now, or req_hold's finish makes it first. */
        rq->is_held = false;
        if (rq->hold_finish) {
            void (*finish)(struct req *, void *) = rq->hold_finish;
            rq->hold_finish = NULL;
            finish(rq, rq->hold_ctx);
        }
        if (rq->sync_rc) {
            /* Not durable: the commit or its sync failed (a ballot batch
             * lost after its part ran, or a full disk: 507 as elsewhere). */
            req_drop_reply(rq);
            reply_error(rq, rq->sync_rc == OBR_EFULL ? ERR_INSUFFICIENT_STORAGE : ERR_UNAVAILABLE,
                        NULL);
        }
        return queue_reply(rq);
    }
    if (rq->has_reply)
        return MHD_YES; /* already queued on the first call */
    if (rq->has_body_error)
        reply_error(rq, ERR_BODY_TOO_LARGE, NULL);
    else if (rq->sink_error)
        reply_error(rq, rq->sink_error, NULL);
    else if (buf_failed(&rq->body))
        reply_error(rq, ERR_UNAVAILABLE, NULL);
    else if (!rq->route)
        static_serve(rq);
    else
        run_handler(rq);
    if (rq->is_held)
        return MHD_YES; /* answered by on_durable */
    return queue_reply(rq);
}

/* Called by MHD with the raw request target before anything else: the one
 * place that sees the query string's length and encoded NULs, which MHD's
 * decoding would hide. Its result becomes the request's *con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *srv = cls;
    struct req *rq = calloc(1, sizeof *rq);
    if (!rq)
        return NULL;
    rq->srv = srv;
    rq->fd = -1;
    rq->start_us = now_us();
    rq->uri_len = strlen(uri);
    rq->has_nul = strstr(uri, "%00") != NULL;
    __atomic_add_fetch(&srv->active, 1, __ATOMIC_RELAXED);
    return rq;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct req *rq = *con_cls;
    if (!rq)
        return;
    if (!rq->is_begun) {
        /* MHD refused the request itself (e.g. headers beyond its memory). */
        req_free(rq);
        *con_cls = NULL;
        __atomic_sub_fetch(&srv->active, 1, __ATOMIC_RELAXED);
        return;
    }
    int64_t us = now_us() - rq->start_us;
    const char *route = rq->route ? rq->route->pattern : rq->has_reply && rq->status < 400 ? "static" : "unmatched";
    bool is_secret_path = rq->route && (rq->route->flags & ROUTE_LOG_PATTERN);
    unsigned status = rq->has_reply ? rq->status : 0;
    diag_request(rq->method, is_secret_path ? route : rq->path, status, (double)us / 1000.0,
                 req_client_ip(rq), toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    metrics_http_request(rq->method, route, status, us);
    req_free(rq);
    *con_cls = NULL;
    __atomic_sub_fetch(&srv->active, 1, __ATOMIC_RELAXED);
}

/* Counts MHD's connections beside the event streams the writers hold
 * (sse_writer.c), refusing one that would go past the limits. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    const union MHD_ConnectionInfo *fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    sse_writer_note_connection(fd ? fd->connect_fd : -1, addr ? addr->client_addr : NULL,
                               toe == MHD_CONNECTION_NOTIFY_STARTED);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    diag(DIAG_WARN, "http: %s", line);
}

static int open_listener(const char *host, unsigned port, unsigned *bound_port, char *err,
                         size_t err_size)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV};
    struct addrinfo *ai;
    char service[8];
    snprintf(service, sizeof service, "%u", port);
    int rc = getaddrinfo(host, service, &hints, &ai);
    if (rc) {
        snprintf(err, err_size, "cannot use listen address %s: %s", host, gai_strerror(rc));
        return -1;
    }
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1024)) {
        snprintf(err, err_size, "cannot listen on %s:%u: %s", host, port, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return -1;
    }
    freeaddrinfo(ai);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &len);
    *bound_port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                 : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 20))
        buf_append(&b, chunk, n);
    fclose(f);
    return buf_take(&b);
}

/* Raises the soft open-file limit to the hard one; returns the new soft limit. */
static rlim_t raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl))
        return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl))
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur;
}

struct server *server_start(const struct server_config *cfg, const struct route *routes,
                            size_t n_routes, struct db_pool *pool, struct hub *hub, void *app,
                            char *err, size_t err_size)
{
    struct server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    pthread_rwlock_init(&srv->proxies_lock, NULL);
    if (cfg->trusted_proxies)
        srv->proxies = *cfg->trusted_proxies;
    srv->routes = routes;
    srv->n_routes = n_routes;
    srv->pool = pool;
    srv->hub = hub;
    srv->app = app;
    srv->web_dir = strdup(cfg->web_dir ? cfg->web_dir : "web");
    srv->public_origin = cfg->public_origin ? strdup(cfg->public_origin) : NULL;
    srv->is_tls = cfg->tls_cert_file && cfg->tls_key_file;
    if (!srv->is_tls && (cfg->tls_cert_file || cfg->tls_key_file)) {
        snprintf(err, err_size, "TLS needs both tls_cert and tls_key");
        goto fail;
    }
    if (srv->is_tls) {
        srv->tls_cert = read_file(cfg->tls_cert_file);
        srv->tls_key = read_file(cfg->tls_key_file);
        if (!srv->tls_cert || !srv->tls_key) {
            snprintf(err, err_size, "cannot read TLS certificate %s or key %s",
                     cfg->tls_cert_file, cfg->tls_key_file);
            goto fail;
        }
    }
    srv->listen_fd = open_listener(cfg->host ? cfg->host : "127.0.0.1", cfg->port, &srv->port,
                                   err, err_size);
    if (srv->listen_fd < 0)
        goto fail;

    rlim_t nofile = raise_nofile();
    /* More workers than cores by default: libmicrohttpd 0.9.75 walks every
     * suspended connection of a worker each time it resumes some, so with
     * thousands of event streams per worker a vote reaching a meeting costs
     * a walk over all the others (bench/README.md, fan-out). Sixteen workers
     * cut the p99 at 18 000 streams from ~250 ms to ~65 ms on 2 cores. */
    unsigned cores = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = cfg->threads ? cfg->threads : cores > 16 ? cores : 16;
    if (threads < 1)
        threads = 1;
    unsigned max_conn = cfg->max_connections;
    if (!max_conn)
        max_conn = nofile > 256 ? (unsigned)(nofile - 128) : 128;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (srv->is_tls)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, srv->tls_cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, srv->tls_key},
        {MHD_OPTION_END, 0, NULL},
    };
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_access, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
        MHD_OPTION_LISTEN_SOCKET, srv->listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, max_conn,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        cfg->per_ip_connections ? cfg->per_ip_connections : 1000,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(cfg->connection_memory_kib ? cfg->connection_memory_kib : 16) * 1024,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout_s ? cfg->idle_timeout_s : 120,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv,
        MHD_OPTION_ARRAY, srv->is_tls ? tls_opts : &tls_opts[2], MHD_OPTION_END);
    if (!srv->daemon) {
        snprintf(err, err_size, "the HTTP daemon did not start (see the lines above)");
        close(srv->listen_fd);
        goto fail;
    }
    if (sse_heartbeat_start(hub, SSE_HEARTBEAT_MS)) {
        snprintf(err, err_size, "cannot start the heartbeat thread");
        MHD_stop_daemon(srv->daemon);
        goto fail;
    }
    if (sse_writer_start(0, cfg->per_ip_connections ? cfg->per_ip_connections : 1000, max_conn)) {
        snprintf(err, err_size, "cannot start the event stream writers");
        sse_heartbeat_stop();
        MHD_stop_daemon(srv->daemon);
        goto fail;
    }
    diag_queue_start(); /* request lines in batches; unqueued if it cannot start */
    diag(DIAG_INFO, "http: %u threads, %u connections max, open-file limit %llu", threads,
         max_conn, (unsigned long long)nofile);
    return srv;
fail:
    pthread_rwlock_destroy(&srv->proxies_lock);
    free(srv->web_dir);
    free(srv->public_origin);
    free(srv->tls_cert);
    free(srv->tls_key);
    free(srv);
    return NULL;
}

unsigned server_port(const struct server *srv)
{
    return srv->port;
}

bool server_is_tls(const struct server *srv)
{
    return srv->is_tls;
}

unsigned server_active_requests(const struct server *srv)
{
    /* An event stream held by the writer is a request still being answered. */
    return __atomic_load_n(&srv->active, __ATOMIC_RELAXED) + sse_writer_stream_count();
}

void server_quiesce(struct server *srv)
{
    if (srv->is_quiesced)
        return;
    srv->is_quiesced = true;
    MHD_socket fd = MHD_quiesce_daemon(srv->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
}

void server_stop(struct server *srv, unsigned grace_ms)
{
    if (!srv)
        return;
    server_quiesce(srv);
    sse_heartbeat_stop();
    /* Streams deliver what is queued, then end; requests in flight finish. */
    hub_wake_all(srv->hub, HUB_WAKE_SHUTDOWN);
    audio_close_all_listeners(); /* live audio streams end the same way */
    int64_t deadline = clock_mono_ms() + grace_ms;
    while (server_active_requests(srv) > 0 && clock_mono_ms() < deadline) {
        hub_wake_all(srv->hub, HUB_WAKE_SHUTDOWN);
        usleep(20000);
    }
    if (server_active_requests(srv) > 0)
        diag(DIAG_WARN, "http: %u requests still open at shutdown", server_active_requests(srv));
    sse_writer_stop(); /* gives back what it still owns before MHD frees it */
    MHD_stop_daemon(srv->daemon);
    diag_queue_stop();
    pthread_rwlock_destroy(&srv->proxies_lock);
    free(srv->web_dir);
    free(srv->public_origin);
    free(srv->tls_cert);
    free(srv->tls_key);
    free(srv);
}
