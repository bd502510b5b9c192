/* router.c — matches method + path against the static route table. Path
 * parameters are parsed strictly here, so handlers only ever see well-formed
 * ids, integers and tokens. The table is small; a linear scan is enough:
 * each pattern is cut into segments once per table, the path once per
 * request, and each path segment checked once per kind (issue 16: the
 * matcher was 7 % of a meeting-state read). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "http/req_impl.h"
#include "util/diag.h"
#include "util/ids.h"

static bool is_int_segment(const char *s, size_t len)
{
    /* Decimal, no sign, no leading zero, at most 2^53 so JavaScript keeps it exact. */
    if (len == 0 || len > 16 || (s[0] == '0' && len > 1))
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    char tmp[17];
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    return strtoll(tmp, NULL, 10) <= (1LL << 53);
}

static bool is_token_segment(const char *s, size_t len)
{
    if (len < 16 || len > 86)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    return true;
}

static bool is_id_segment(const char *s, size_t len)
{
    char tmp[ID_SIZE];
    if (len != ID_LEN)
        return false;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    return id_is_valid(tmp);
}

#define MAX_SEGMENTS 16 /* no route has more; a longer path matches none */

enum seg_kind { SEG_LITERAL, SEG_ID, SEG_INT, SEG_TOKEN, N_KINDS };

struct segment {
    const char *at; /* in the pattern or the path */
    size_t len;
    enum seg_kind kind; /* patterns only */
    const char *name;   /* a parameter's name (patterns only) */
    size_t name_len;
};

/* A route table's patterns cut into segments once (router_match asks the
 * same table for every request). n < 0: a pattern that matches nothing. */
struct plan {
    int n;
    struct segment seg[MAX_SEGMENTS];
};

struct plans {
    struct plans *next;
    const struct route *routes;
    size_t n_routes;
    struct plan plan[];
};

static pthread_mutex_t plans_lock = PTHREAD_MUTEX_INITIALIZER;
static struct plans *_Atomic all_plans;

/* Cuts "/a/b/c" into its segments; the count, or -1 when s does not start
 * with '/' or has more than MAX_SEGMENTS. */
static int split(const char *s, struct segment seg[MAX_SEGMENTS])
{
    int n = 0;
    while (*s == '/') {
        if (n == MAX_SEGMENTS)
            return -1;
        s++;
        size_t len = strcspn(s, "/");
        seg[n++] = (struct segment){.at = s, .len = len, .kind = SEG_LITERAL};
        s += len;
    }
    return *s ? -1 : n;
}

static void plan_route(const char *pattern, struct plan *p)
{
    p->n = split(pattern, p->seg);
    for (int i = 0; i < p->n; i++) {
        struct segment *g = &p->seg[i];
        if (g->len <= 2 || g->at[0] != '{' || g->at[g->len - 1] != '}')
            continue;
        const char *name = g->at + 1;
        const char *colon = memchr(name, ':', g->len - 2);
        const char *kind = colon ? colon + 1 : "id";
        size_t kind_len = colon ? (size_t)(g->at + g->len - 1 - kind) : 2;
        g->kind = kind_len == 3 && !memcmp(kind, "int", 3)     ? SEG_INT
                  : kind_len == 5 && !memcmp(kind, "token", 5) ? SEG_TOKEN
                                                               : SEG_ID;
        g->name = name;
        g->name_len = colon ? (size_t)(colon - name) : g->len - 2;
    }
}

/* The plans of srv's route table, made on first use (never freed: one per
 * table for the life of the process). NULL when out of memory. */
static const struct plans *plans_of(const struct server *srv)
{
    for (struct plans *p = all_plans; p; p = p->next)
        if (p->routes == srv->routes && p->n_routes == srv->n_routes)
            return p;
    pthread_mutex_lock(&plans_lock);
    struct plans *p = all_plans;
    while (p && !(p->routes == srv->routes && p->n_routes == srv->n_routes))
        p = p->next;
    if (!p && (p = malloc(sizeof *p + srv->n_routes * sizeof p->plan[0]))) {
        p->routes = srv->routes;
        p->n_routes = srv->n_routes;
        for (size_t i = 0; i < srv->n_routes; i++)
            plan_route(srv->routes[i].pattern, &p->plan[i]);
        p->next = all_plans;
        all_plans = p;
    }
    pthread_mutex_unlock(&plans_lock);
    return p;
}

/* Whether the path segment is well-formed for kind, asked once per
 * segment and kind of a request (many routes share a prefix). */
static bool is_valid(const struct segment *s, enum seg_kind kind, signed char *memo)
{
    if (*memo < 0)
        *memo = kind == SEG_INT     ? is_int_segment(s->at, s->len)
                : kind == SEG_TOKEN ? is_token_segment(s->at, s->len)
                                    : is_id_segment(s->at, s->len);
    return *memo;
}

/* Matches the path's segments against a route's plan; on success records
 * params in rq (replacing any). */
static bool match(struct req *rq, const struct plan *plan, const struct segment *path, int n,
                  signed char memo[][N_KINDS])
{
    if (plan->n != n)
        return false;
    int n_found = 0;
    const struct segment *found[REQ_MAX_PARAMS];
    for (int i = 0; i < n; i++) {
        const struct segment *g = &plan->seg[i];
        if (g->kind == SEG_LITERAL) {
            if (g->len != path[i].len || memcmp(g->at, path[i].at, g->len))
                return false;
            continue;
        }
        if (!is_valid(&path[i], g->kind, &memo[i][g->kind]) || n_found == REQ_MAX_PARAMS)
            return false;
        found[n_found++] = g;
    }
    for (int i = 0; i < rq->n_params; i++)
        free(rq->params[i].value);
    rq->n_params = 0;
    for (int i = 0, k = 0; i < n; i++) {
        if (plan->seg[i].kind == SEG_LITERAL)
            continue;
        char *v = strndup(path[i].at, path[i].len);
        if (!v)
            return false;
        rq->params[k].name = found[k]->name;
        rq->params[k].name_len = found[k]->name_len;
        rq->params[k].value = v;
        rq->n_params = ++k;
    }
    return true;
}

/* Whether path starts with pattern's literal part (up to its first
 * parameter): match cannot succeed otherwise, and most routes differ from
 * the path within a few characters. */
static bool may_match(const char *p, const char *s)
{
    for (; *p && *p != '{'; p++, s++)
        if (*p != *s)
            return false;
    return true;
}

int router_match(struct req *rq, char *allow, size_t allow_size)
{
    const struct server *srv = rq->srv;
    bool is_head = !strcmp(rq->method, "HEAD");
    allow[0] = '\0';
    const struct plans *plans = plans_of(srv);
    struct segment path[MAX_SEGMENTS];
    int n = split(rq->path, path);
    signed char memo[MAX_SEGMENTS][N_KINDS];
    memset(memo, -1, sizeof memo);
    if (!plans || n < 0)
        return ERR_NOT_FOUND;
    for (size_t i = 0; i < srv->n_routes; i++) {
        const struct route *r = &srv->routes[i];
        if (!may_match(r->pattern, rq->path) || !match(rq, &plans->plan[i], path, n, memo))
            continue;
        if (!strcmp(r->method, rq->method) || (is_head && !strcmp(r->method, "GET"))) {
            rq->route = r;
            return 0;
        }
        size_t used = strlen(allow);
        if (!strstr(allow, r->method))
            snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "", r->method);
        if (!strcmp(r->method, "GET") && !strstr(allow, "HEAD")) {
            used = strlen(allow);
            snprintf(allow + used, allow_size - used, ", HEAD");
        }
    }
    return allow[0] ? ERR_METHOD_NOT_ALLOWED : ERR_NOT_FOUND;
}
