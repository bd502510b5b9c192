/* proxy.c — who the client is behind a reverse proxy. X-Forwarded-For and
 * X-Forwarded-Proto are believed only when the peer is in trusted_proxies;
 * then the client is the rightmost X-Forwarded-For entry that is not itself
 * a trusted proxy (entries further left are whatever the client claimed). */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/req_impl.h"

void server_set_trusted_proxies(struct server *srv, const struct cidr_list *list)
{
    pthread_rwlock_wrlock(&srv->proxies_lock);
    srv->proxies = *list;
    pthread_rwlock_unlock(&srv->proxies_lock);
}

static bool is_trusted(struct server *srv, const unsigned char a[16])
{
    pthread_rwlock_rdlock(&srv->proxies_lock);
    bool yes = cidr_list_match(&srv->proxies, a);
    pthread_rwlock_unlock(&srv->proxies_lock);
    return yes;
}

static void addr_text(const unsigned char a[16], char *out, size_t size)
{
    static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(a, v4_mapped, 12))
        inet_ntop(AF_INET, a + 12, out, (socklen_t)size);
    else
        inet_ntop(AF_INET6, a, out, (socklen_t)size);
}

static bool peer_addr(struct req *rq, unsigned char out[16])
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return false;
    if (ci->client_addr->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const void *)ci->client_addr;
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &s4->sin_addr, 4);
        return true;
    }
    if (ci->client_addr->sa_family == AF_INET6) {
        memcpy(out, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, 16);
        return true;
    }
    return false;
}

/* Walks X-Forwarded-For from the right while the hops are trusted; writes
 * the client's address into client (left as the peer's when nothing better). */
static void walk_forwarded_for(struct req *rq, const char *xff, unsigned char client[16])
{
    size_t end = strlen(xff);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t a = start, b = end;
        while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
            a++;
        while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
            b--;
        unsigned char hop[16];
        if (!cidr_addr_parse(xff + a, b - a, hop))
            return; /* garbage: keep the last address a trusted hop vouched for */
        memcpy(client, hop, 16);
        if (!is_trusted(rq->srv, hop))
            return;
        end = start ? start - 1 : 0;
    }
}

static void resolve(struct req *rq)
{
    if (rq->is_proxy_resolved)
        return;
    rq->is_proxy_resolved = true;
    unsigned char peer[16];
    if (!peer_addr(rq, peer)) {
        snprintf(rq->client_ip, sizeof rq->client_ip, "unknown");
        return;
    }
    unsigned char client[16];
    memcpy(client, peer, 16);
    if (is_trusted(rq->srv, peer)) {
        const char *xff = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-For");
        if (xff)
            walk_forwarded_for(rq, xff, client);
        const char *proto =
            MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
        rq->is_forwarded_tls = proto && !strcasecmp(proto, "https");
    }
    addr_text(client, rq->client_ip, sizeof rq->client_ip);
}

const char *req_client_ip(struct req *rq)
{
    resolve(rq);
    return rq->client_ip;
}

bool req_is_tls(struct req *rq)
{
    if (rq->srv->is_tls)
        return true;
    resolve(rq);
    return rq->is_forwarded_tls;
}
