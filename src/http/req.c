/* req.c — request accessors, the per-request arena, JSON bodies parsed by a
 * spec, and the replies handlers make (see req.h). Every response leaves
 * through req_build_response, which adds the security headers. */
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/req_impl.h"
#include "http/jspec.h"
#include "http/json_out.h"
#include "log/hub.h"
#include "store/db.h"
#include "util/diag.h"
#include "util/ids.h"
#include "util/utf8.h"

struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    _Alignas(16) char data[];
};

void *req_alloc(struct req *rq, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    struct arena_block *b = rq->arena;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > 4000 ? size : 4000;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = rq->arena;
        rq->arena = b;
    }
    void *p = b->data + b->used;
    b->used += size;
    return p;
}

char *req_strdup(struct req *rq, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = req_alloc(rq, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void req_set_state(struct req *rq, void *state, void (*free_fn)(void *))
{
    rq->state = state;
    rq->state_free = free_fn;
}

void *req_state(struct req *rq)
{
    return rq->state;
}

void req_drop_reply(struct req *rq)
{
    free(rq->data);
    rq->data = NULL;
    rq->data_len = 0;
    if (rq->fd >= 0)
        close(rq->fd);
    rq->fd = -1;
    if (rq->stream)
        MHD_destroy_response(rq->stream);
    rq->stream = NULL;
    for (int i = 0; i < rq->n_headers; i++) {
        free(rq->hdr_names[i]);
        free(rq->hdr_values[i]);
    }
    rq->n_headers = 0;
    rq->has_reply = false;
}

void req_free(struct req *rq)
{
    if (!rq)
        return;
    if (rq->state_free)
        rq->state_free(rq->state);
    while (rq->arena) {
        struct arena_block *next = rq->arena->next;
        free(rq->arena);
        rq->arena = next;
    }
    buf_free(&rq->body);
    json_decref(rq->json);
    free(rq->path);
    for (int i = 0; i < rq->n_params; i++)
        free(rq->params[i].value);
    free(rq->data);
    if (rq->fd >= 0)
        close(rq->fd);
    if (rq->stream)
        MHD_destroy_response(rq->stream); /* its free callback releases the stream */
    for (int i = 0; i < rq->n_headers; i++) {
        free(rq->hdr_names[i]);
        free(rq->hdr_values[i]);
    }
    free(rq);
}

const char *req_method(struct req *rq)
{
    return rq->method;
}

const char *req_path(struct req *rq)
{
    return rq->path;
}

const char *req_route(struct req *rq)
{
    return rq->route ? rq->route->pattern : NULL;
}

const char *req_header(struct req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(struct req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

bool req_is_state_changing(struct req *rq)
{
    return strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD") && strcmp(rq->method, "OPTIONS");
}

const char *req_query(struct req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_param(struct req *rq, const char *name)
{
    size_t len = strlen(name);
    for (int i = 0; i < rq->n_params; i++)
        if (rq->params[i].name_len == len && !memcmp(rq->params[i].name, name, len))
            return rq->params[i].value;
    OBR_BUG("route %s has no parameter %s", req_route(rq), name);
    return "";
}

int64_t req_param_int(struct req *rq, const char *name)
{
    return strtoll(req_param(rq, name), NULL, 10);
}

/* The q-value of language lang ("pl") in an Accept-Language list; 0 if absent. */
static double language_weight(const char *al, const char *lang)
{
    double best = 0;
    size_t n = strlen(lang);
    while (*al) {
        while (*al == ' ' || *al == ',')
            al++;
        const char *tag = al;
        size_t tag_len = strcspn(al, ";,");
        al += tag_len;
        double q = 1.0;
        if (*al == ';') {
            const char *qs = strstr(al, "q=");
            const char *next = strchr(al, ',');
            if (qs && (!next || qs < next))
                q = strtod(qs + 2, NULL);
            al = next ? next : al + strlen(al);
        }
        while (tag_len && tag[tag_len - 1] == ' ')
            tag_len--;
        bool is_match = tag_len >= n && !strncasecmp(tag, lang, n) &&
                        (tag_len == n || tag[n] == '-');
        if (is_match && q > best)
            best = q;
    }
    return best;
}

bool req_prefers_polish(struct req *rq)
{
    const char *al = req_header(rq, "Accept-Language");
    if (!al)
        return false;
    double pl = language_weight(al, "pl");
    return pl > 0 && pl >= language_weight(al, "en");
}

const char *req_body(struct req *rq, size_t *len)
{
    if (len)
        *len = rq->body.len;
    return buf_str(&rq->body);
}

struct db *req_db(struct req *rq)
{
    return db_pool_get(rq->srv->pool);
}

struct hub *req_hub(struct req *rq)
{
    return rq->srv->hub;
}

void *req_app(struct req *rq)
{
    return rq->srv->app;
}

unsigned req_server_active(struct req *rq)
{
    return server_active_requests(rq->srv);
}

/* ---- JSON by spec ---- */

static bool is_json_content_type(const char *ct)
{
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    if (strncasecmp(ct, "application/json", 16))
        return false;
    ct += 16;
    while (*ct == ' ')
        ct++;
    return *ct == '\0' || *ct == ';';
}

int req_parse_json(struct req *rq, const struct jfield *spec)
{
    if (!is_json_content_type(req_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE))) {
        reply_error(rq, ERR_UNSUPPORTED_MEDIA_TYPE, NULL);
        return -1;
    }
    struct jspec_error e;
    json_decref(rq->json);
    rq->json = NULL;
    if (jspec_parse(buf_str(&rq->body), rq->body.len, spec, &rq->json, &e) < 0) {
        reply_error(rq, e.err, e.field == e.key ? req_strdup(rq, e.key) : e.field);
        return -1;
    }
    return 0;
}

int req_parse_json_optional(struct req *rq, const struct jfield *spec)
{
    return rq->body.len ? req_parse_json(rq, spec) : 0;
}

/* ---- replies ---- */

static bool begin_reply(struct req *rq)
{
    if (rq->has_reply) {
        OBR_BUG("second reply to %s %s", rq->method, rq->path);
        return false;
    }
    rq->has_reply = true;
    return true;
}

void reply_bytes(struct req *rq, unsigned status, const char *content_type, char *data,
                 size_t len)
{
    if (!begin_reply(rq)) {
        free(data);
        return;
    }
    rq->status = status;
    rq->content_type = content_type;
    rq->data = data;
    rq->data_len = len;
}

void reply_coded(struct req *rq, unsigned status, const char *content_type, const char *coding,
                 char *data, size_t len)
{
    if (coding) { /* plain: http_maybe_gzip adds Vary (and codes nothing it need not) */
        reply_header(rq, "Vary", "Accept-Encoding");
        reply_header(rq, "Content-Encoding", coding);
    }
    reply_bytes(rq, status, content_type, data, len);
}

void reply_json(struct req *rq, unsigned status, json_t *body)
{
    size_t len = 0;
    char *text = body ? json_out_dump(body, &len) : NULL;
    json_decref(body);
    if (!text) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_bytes(rq, status, "application/json", text, len);
}

void reply_empty(struct req *rq, unsigned status)
{
    reply_bytes(rq, status, NULL, NULL, 0);
}

/* Whether a reply header called name has been set. */
static bool has_reply_header(const struct req *rq, const char *name)
{
    for (int i = 0; i < rq->n_headers; i++)
        if (!strcasecmp(rq->hdr_names[i], name))
            return true;
    return false;
}

void reply_error(struct req *rq, enum api_err err, const char *field)
{
    const struct api_err_info *info = api_err_info(err);
    /* 503 is what a busy or unreachable store gives (OBR_EBUSY): say when to
     * come back, so clients and load balancers retry instead of giving up. */
    if (info->status == 503 && !has_reply_header(rq, "Retry-After"))
        reply_header(rq, "Retry-After", "2");
    json_t *e = json_pack("{s:s, s:s}", "code", info->code, "message",
                          req_prefers_polish(rq) ? info->message_pl : info->message_en);
    if (e && field)
        json_object_set_new(e, "field", json_string(field));
    reply_json(rq, info->status, json_pack("{s:o}", "error", e));
}

void reply_obr_error(struct req *rq, int obr_err)
{
    if (rq->has_reply)
        return;
    reply_error(rq, api_err_from_obr(obr_err), NULL);
}

void reply_fd_range(struct req *rq, unsigned status, const char *content_type, int fd,
                    uint64_t offset, uint64_t size)
{
    if (!begin_reply(rq)) {
        close(fd);
        return;
    }
    rq->status = status;
    rq->content_type = content_type;
    rq->fd = fd;
    rq->fd_size = size;
    rq->fd_offset = offset;
}

void reply_fd(struct req *rq, unsigned status, const char *content_type, int fd, uint64_t size)
{
    reply_fd_range(rq, status, content_type, fd, 0, size);
}

void reply_header(struct req *rq, const char *name, const char *value)
{
    if (rq->n_headers == REQ_MAX_HEADERS) {
        OBR_BUG("too many reply headers on %s", rq->path);
        return;
    }
    char *n = strdup(name), *v = strdup(value);
    if (!n || !v) {
        free(n);
        free(v);
        return;
    }
    rq->hdr_names[rq->n_headers] = n;
    rq->hdr_values[rq->n_headers] = v;
    rq->n_headers++;
}

/* Every answer's security headers, static files and API alike: the one
 * place to change them. */
static void add_security_headers(struct req *rq, struct MHD_Response *r)
{
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Permissions-Policy",
                            "camera=(), microphone=(self), geolocation=(), payment=(), usb=(), "
                            "serial=(), bluetooth=(), display-capture=()");
    /* Behind a proxy, the proxy sends HSTS (docs/nginx-site.conf): one header. */
    if (rq->srv->is_tls)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
}

struct MHD_Response *req_build_response(struct req *rq)
{
    struct MHD_Response *r;
    if (rq->sse) {
        r = sse_response(rq);
    } else if (rq->stream) {
        r = rq->stream;
        rq->stream = NULL;
    } else if (rq->fd >= 0) {
        r = MHD_create_response_from_fd_at_offset64(rq->fd_size, rq->fd, rq->fd_offset);
        if (r)
            rq->fd = -1; /* MHD closes it */
    } else {
        http_maybe_gzip(rq);
        r = MHD_create_response_from_buffer(rq->data_len, rq->data, MHD_RESPMEM_MUST_FREE);
        if (r)
            rq->data = NULL;
    }
    if (!r)
        return NULL;
    if (rq->content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rq->content_type);
    bool has_cache_control = false;
    for (int i = 0; i < rq->n_headers; i++) {
        MHD_add_response_header(r, rq->hdr_names[i], rq->hdr_values[i]);
        has_cache_control |= !strcasecmp(rq->hdr_names[i], "Cache-Control");
    }
    /* API answers carry personal data unless a handler says otherwise: no
     * cache (the browser's or a proxy's) keeps them (ASVS 8.2.1). */
    if (rq->route && !has_cache_control)
        MHD_add_response_header(r, "Cache-Control", "no-store");
    add_security_headers(rq, r);
    return r;
}
