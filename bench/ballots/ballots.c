/* ballots.c — sustained-request load generator over keep-alive HTTP/1.1
 * (bench/ballots/run drives it). CONNS connections on one epoll, each with
 * one request in flight at a time, as a browser sends a ballot and waits for
 * the answer. Target obrady: POST /api/votes/VOTE/ballots with a fresh
 * ballot_id each time, connection i voting for voter i % VOTERS (their
 * cookie); an answer counts as acknowledged when it is 201 (the server
 * answers only after the ballot's transaction is durably committed).
 * Target static: POST /ballot to a server answering a fixed 200 (the HTTP
 * ceiling). Counts requests answered in the measuring window (after one
 * second of warm-up) and prints one line of JSON:
 *   {conns, seconds, answered, acked, errors, per_s, p50_ms, p90_ms, p99_ms, max_ms,
 *    first_error}
 * Target get: GET PATH with connection i signed in as voter i % VOTERS;
 * acknowledged = 200 (the reads beside the ballots: meeting state, vote).
 * Usage: ballots obrady|static PORT SECONDS CONNS [VOTE_ID VOTERS_FILE]
 *        ballots get PORT SECONDS CONNS PATH VOTERS_FILE */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1024
#define MAX_VOTERS 4096
#define MAX_SAMPLES 4000000
#define IN_CAP (1 << 20) /* a meeting state of 200 people is ~40 KB */

struct conn {
    int fd;
    int voter;
    int64_t sent_at;
    char *in; /* IN_CAP bytes */
    int in_len;
    long n;
};

static bool is_obrady, is_get;
static int port;
static char vote_id[64];
static char get_path[512];
static char cookies[MAX_VOTERS][128];
static int n_voters;
static int salt;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(2);
}

static int open_conn(int ep, int idx)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        die("socket");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in src = {.sin_family = AF_INET};
    src.sin_addr.s_addr = htonl(0x7f000002u + (uint32_t)(idx % 32));
    if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0)
        die("bind");
    struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    dst.sin_addr.s_addr = htonl(0x7f000001u);
    if (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0)
        die("connect");
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)idx};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
        die("epoll_ctl");
    return fd;
}

static void send_one(struct conn *c, int idx)
{
    static const char *const choices[] = {"yes", "no", "abstain"};
    char body[160], req[1024];
    int bn = snprintf(body, sizeof body, "{\"ballot_id\":\"b%dx%dx%ld\",\"choice\":\"%s\"}", salt,
                      idx, c->n, choices[c->n % 3]);
    int n;
    if (is_get)
        n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nCookie: obrady_session=%s\r\n\r\n",
                     get_path, port, cookies[c->voter]);
    else if (is_obrady)
        n = snprintf(req, sizeof req,
                     "POST /api/votes/%s/ballots HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     "Origin: http://127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                     "Cookie: obrady_session=%s\r\nContent-Length: %d\r\n\r\n%s",
                     vote_id, port, port, cookies[c->voter], bn, body);
    else
        n = snprintf(req, sizeof req,
                     "POST /ballot HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                     "Content-Length: %d\r\n\r\n%s",
                     port, bn, body);
    c->n++;
    c->sent_at = now_ns();
    if (write(c->fd, req, (size_t)n) != n)
        die("write");
}

/* A complete response at the start of c->in: its total length, or 0. */
static int complete_response(struct conn *c, int *status)
{
    c->in[c->in_len] = '\0';
    char *end = strstr(c->in, "\r\n\r\n");
    if (!end)
        return 0;
    char *cl = strcasestr(c->in, "content-length:");
    if (!cl || cl > end)
        die("response without Content-Length");
    int total = (int)(end + 4 - c->in) + atoi(cl + 15);
    if (c->in_len < total)
        return 0;
    *status = atoi(c->in + 9);
    return total;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: ballots obrady|static PORT SECONDS CONNS [VOTE_ID VOTERS_FILE]\n");
        return 2;
    }
    is_get = !strcmp(argv[1], "get");
    is_obrady = is_get || !strcmp(argv[1], "obrady");
    port = atoi(argv[2]);
    double seconds = atof(argv[3]);
    int n_conns = atoi(argv[4]);
    if (n_conns < 1 || n_conns > MAX_CONNS || seconds <= 0)
        return 2;
    if (is_obrady) {
        if (argc < 7)
            return 2;
        snprintf(is_get ? get_path : vote_id, is_get ? sizeof get_path : sizeof vote_id, "%s",
                 argv[5]);
        FILE *f = fopen(argv[6], "r");
        if (!f)
            die(argv[6]);
        while (n_voters < MAX_VOTERS && fscanf(f, "%127s", cookies[n_voters]) == 1)
            n_voters++;
        fclose(f);
        if (!n_voters)
            return 2;
    }
    salt = (int)(now_ns() % 1000000);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    static struct conn conns[MAX_CONNS];
    for (int i = 0; i < n_conns; i++) {
        conns[i].fd = open_conn(ep, i);
        conns[i].in = malloc(IN_CAP);
        if (!conns[i].in)
            die("malloc");
        conns[i].voter = n_voters ? i % n_voters : 0;
    }
    int64_t *lat = malloc(MAX_SAMPLES * sizeof *lat);
    size_t n_lat = 0;
    long answered = 0, acked = 0, errors = 0;
    char first_error[300] = "";
    int64_t t0 = now_ns(), warm = t0 + 1000000000;
    int64_t stop = warm + (int64_t)(seconds * 1e9);
    for (int i = 0; i < n_conns; i++)
        send_one(&conns[i], i);
    struct epoll_event evs[256];
    int64_t t = now_ns();
    while (t < stop) {
        int k = epoll_wait(ep, evs, 256, 100);
        for (int e = 0; e < k; e++) {
            int idx = (int)evs[e].data.u32;
            struct conn *c = &conns[idx];
            ssize_t r = read(c->fd, c->in + c->in_len, IN_CAP - 1 - (size_t)c->in_len);
            if (r <= 0)
                die("connection closed by the server");
            c->in_len += (int)r;
            int status, len;
            while ((len = complete_response(c, &status)) > 0) {
                int64_t done = now_ns();
                if (c->sent_at >= warm && done < stop) {
                    answered++;
                    bool is_ok = is_obrady && !is_get ? status == 201 : status == 200;
                    if (is_ok)
                        acked++;
                    else {
                        errors++;
                        if (!first_error[0])
                            snprintf(first_error, sizeof first_error, "%d %.200s", status,
                                     strstr(c->in, "\r\n\r\n") + 4);
                    }
                    if (n_lat < MAX_SAMPLES)
                        lat[n_lat++] = done - c->sent_at;
                }
                memmove(c->in, c->in + len, (size_t)(c->in_len - len));
                c->in_len -= len;
                send_one(c, idx);
            }
        }
        t = now_ns();
    }
    qsort(lat, n_lat, sizeof *lat, cmp_i64);
#define PCT(p) (n_lat ? (double)lat[(size_t)((p) * (double)(n_lat - 1))] / 1e6 : -1.0)
    for (char *p = first_error; *p; p++)
        if (*p == '"' || *p == '\\' || *p < ' ')
            *p = '\'';
    printf("{\"conns\":%d,\"seconds\":%.1f,\"answered\":%ld,\"acked\":%ld,\"errors\":%ld,"
           "\"per_s\":%.0f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,"
           "\"first_error\":\"%s\"}\n",
           n_conns, seconds, answered, acked, errors, (double)acked / seconds, PCT(0.5),
           PCT(0.9), PCT(0.99), PCT(1.0), first_error);
    for (int i = 0; i < n_conns; i++) {
        close(conns[i].fd);
        free(conns[i].in);
    }
    free(lat);
    return 0;
}
