/* router.c — matches method + path against the static route table. Path
 * parameters are parsed strictly here, so handlers only ever see well-formed
 * ids, integers and tokens. The table is small; a linear scan is enough. */
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

/* Matches path against pattern; on success records params in rq (replacing any). */
static bool match(struct req *rq, const char *pattern, const char *path)
{
    struct {
        const char *name, *value;
        size_t name_len, value_len;
    } found[REQ_MAX_PARAMS];
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return false;
        p++, s++;
        size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
        if (plen > 2 && p[0] == '{' && p[plen - 1] == '}') {
            const char *name = p + 1;
            const char *colon = memchr(name, ':', plen - 2);
            const char *kind = colon ? colon + 1 : "id";
            size_t kind_len = colon ? (size_t)(p + plen - 1 - kind) : 2;
            bool ok;
            if (kind_len == 3 && !memcmp(kind, "int", 3))
                ok = is_int_segment(s, slen);
            else if (kind_len == 5 && !memcmp(kind, "token", 5))
                ok = is_token_segment(s, slen);
            else
                ok = is_id_segment(s, slen);
            if (!ok || n == REQ_MAX_PARAMS)
                return false;
            found[n].name = name;
            found[n].name_len = colon ? (size_t)(colon - name) : plen - 2;
            found[n].value = s;
            found[n].value_len = slen;
            n++;
        } else if (plen != slen || memcmp(p, s, plen)) {
            return false;
        }
        p += plen, s += slen;
    }
    if (*p || *s)
        return false;
    for (int i = 0; i < rq->n_params; i++)
        free(rq->params[i].value);
    rq->n_params = 0;
    for (int i = 0; i < n; i++) {
        char *v = strndup(found[i].value, found[i].value_len);
        if (!v)
            return false;
        rq->params[i].name = found[i].name;
        rq->params[i].name_len = found[i].name_len;
        rq->params[i].value = v;
        rq->n_params = i + 1;
    }
    return true;
}

/* Whether path starts with pattern's literal part (up to its first
 * parameter): match cannot succeed otherwise, and most routes differ from
 * the path within a few characters, so the scan costs little per route. */
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
    for (size_t i = 0; i < srv->n_routes; i++) {
        const struct route *r = &srv->routes[i];
        if (!may_match(r->pattern, rq->path) || !match(rq, r->pattern, rq->path))
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
