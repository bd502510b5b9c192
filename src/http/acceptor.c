/* acceptor.c — one thread accepts the listening socket's connections and
 * hands each to libmicrohttpd with MHD_add_connection, which gives it to
 * the worker (socket number modulo the pool) with room. Left to MHD 0.9.75,
 * every worker polls the listening socket, all wake for each connection,
 * and the first takes up to eleven in a row: 64 connections opened at once
 * landed on about six of sixteen workers (issue 16: bench variance). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/req_impl.h"
#include "util/diag.h"

/* Connections taken per wake-up before polling again (the stop fd too). */
#define ACCEPT_BATCH 64

/* Accepting fails (out of file descriptors, memory): wait instead of
 * spinning, and say so once per episode. */
static void back_off(bool *is_reported)
{
    if (!*is_reported)
        diag(DIAG_WARN, "http: cannot accept connections: %s; retrying", strerror(errno));
    *is_reported = true;
    struct timespec ts = {0, 20 * 1000000L};
    nanosleep(&ts, NULL);
}

static void *accept_main(void *arg)
{
    struct server *srv = arg;
    struct pollfd p[2] = {{.fd = srv->listen_fd, .events = POLLIN},
                          {.fd = srv->acceptor_wake, .events = POLLIN}};
    bool is_reported = false;
    for (;;) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            diag(DIAG_ERROR, "http: the acceptor stopped: %s", strerror(errno));
            return NULL;
        }
        if (p[1].revents)
            return NULL;
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            struct sockaddr_storage ss;
            socklen_t len = sizeof ss;
            int fd = accept4(srv->listen_fd, (struct sockaddr *)&ss, &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                /* EAGAIN: all taken; a connection gone before it was taken:
                 * poll again; anything else (EMFILE, ENFILE, ENOMEM...) would
                 * spin on a socket that stays readable. */
                if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
                    errno != ECONNABORTED && errno != EPROTO)
                    back_off(&is_reported);
                break;
            }
            is_reported = false;
            /* Refused (limits) or not: MHD closes the socket when it cannot serve it. */
            MHD_add_connection(srv->daemon, fd, (struct sockaddr *)&ss, len);
        }
    }
}

int http_acceptor_start(struct server *srv)
{
    int fl = fcntl(srv->listen_fd, F_GETFL);
    if (fl < 0 || fcntl(srv->listen_fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    srv->acceptor_wake = eventfd(0, EFD_CLOEXEC);
    if (srv->acceptor_wake < 0)
        return -1;
    if (pthread_create(&srv->acceptor, NULL, accept_main, srv)) {
        close(srv->acceptor_wake);
        srv->acceptor_wake = -1;
        return -1;
    }
    pthread_setname_np(srv->acceptor, "http-accept");
    return 0;
}

void http_acceptor_stop(struct server *srv)
{
    if (srv->acceptor_wake < 0)
        return;
    uint64_t one = 1;
    ssize_t w = write(srv->acceptor_wake, &one, sizeof one);
    (void)w;
    pthread_join(srv->acceptor, NULL);
    close(srv->acceptor_wake);
    srv->acceptor_wake = -1;
    close(srv->listen_fd); /* new connections are refused from here on */
    srv->listen_fd = -1;
}
