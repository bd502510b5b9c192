/* test_http.c — the HTTP layer in-process: the real server (server_start) on
 * 127.0.0.1 with the real route table, a temporary SQLite store and web dir,
 * spoken to with libcurl. Covers JSON bodies through the spec parser, body
 * limits (declared and chunked), Origin checks, rate limiting, the router's
 * 404/405/HEAD, static files and the security headers on every response.
 * Event streams are in test_sse_http.c. */
#include "testutil.h"

#include "http_fixture.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <strings.h>
#include <sys/stat.h>

#include "api/app.h"
#include "http/server.h"
#include "log/hub.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/ids.h"
#include "util/ratelimit.h"

#define INDEX_HTML "<!doctype html><title>obrady</title><p>Zażółć</p>\n"
#define A_CSS "body { color: black; }\n"

struct fixture {
    char *dir;
    char web[600];
    struct db_pool *pool;
    struct hub *hub;
    struct app app;
    struct server *srv;
    char base[64]; /* "http://127.0.0.1:PORT" */
};

struct resp {
    long status;
    struct buf body;
    struct buf headers;
    CURLcode rc;
};

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    http_fixture_open(&f->dir, &f->pool, &f->hub, 0);

    snprintf(f->web, sizeof f->web, "%s/web", f->dir);
    assert_int_equal(mkdir(f->web, 0700), 0);
    write_file(f->web, "index.html", INDEX_HTML);
    write_file(f->web, "a.css", A_CSS);
    write_file(f->web, ".hidden", "secret\n");
    write_file(f->web, "notes.xyz", "unknown type\n");

    f->srv = http_fixture_start(&f->app, f->dir, f->web, f->pool, f->hub);
    snprintf(f->base, sizeof f->base, "http://127.0.0.1:%u", server_port(f->srv));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    http_fixture_stop(f->srv, f->pool, f->hub, &f->app, f->dir);
    free(f);
    return 0;
}

/* ---- curl helpers ---- */

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
    buf_append(userdata, data, size * n);
    return size * n;
}

struct upload {
    size_t left;
};

static size_t read_x(char *out, size_t size, size_t n, void *userdata)
{
    struct upload *u = userdata;
    size_t k = size * n < u->left ? size * n : u->left;
    memset(out, 'x', k);
    u->left -= k;
    return k;
}

struct request {
    const char *method; /* default GET */
    const char *path;
    const char *headers[8]; /* NULL-terminated */
    const char *body;       /* sent with Content-Length */
    size_t body_len;        /* 0: strlen(body) */
    size_t chunked_len;     /* > 0: that many bytes sent chunked, no Content-Length */
};

static void resp_free(struct resp *r)
{
    buf_free(&r->body);
    buf_free(&r->headers);
}

/* Performs one request; r must be freed with resp_free. */
static void http(struct fixture *f, const struct request *q, struct resp *r)
{
    memset(r, 0, sizeof *r);
    CURL *c = curl_easy_init();
    assert_non_null(c);
    char url[2600];
    snprintf(url, sizeof url, "%s%s", f->base, q->path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r->headers);
    const char *method = q->method ? q->method : "GET";
    struct upload up = {q->chunked_len};
    if (!strcmp(method, "HEAD"))
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else if (q->chunked_len) {
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, read_x);
        curl_easy_setopt(c, CURLOPT_READDATA, &up);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    } else if (q->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE,
                         (long)(q->body_len ? q->body_len : strlen(q->body)));
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    } else if (strcmp(method, "GET"))
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
    if (q->chunked_len)
        hl = curl_slist_append(hl, "Transfer-Encoding: chunked");
    for (int i = 0; q->headers[i]; i++)
        hl = curl_slist_append(hl, q->headers[i]);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    r->rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    if (r->rc != CURLE_OK)
        fail_msg("%s %s: %s", method, q->path, curl_easy_strerror(r->rc));
}

/* The value of response header name, or NULL; copied into out. */
static const char *header(const struct resp *r, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);
    for (const char *line = buf_str(&r->headers); *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > nl && line[nl] == ':' && !strncasecmp(line, name, nl)) {
            const char *v = line + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(out, size, "%.*s", (int)(line + len - v), v);
            return out;
        }
        line += len + (end ? 2 : 0);
    }
    return NULL;
}

static void assert_header(const struct resp *r, const char *name, const char *want)
{
    char v[512];
    if (!header(r, name, v, sizeof v))
        fail_msg("no %s header in:\n%s", name, buf_str(&r->headers));
    if (strcmp(v, want))
        fail_msg("%s is '%s', expected '%s'", name, v, want);
}

static void assert_security_headers(const struct resp *r)
{
    assert_header(r, "Content-Security-Policy",
                  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' "
                  "data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri "
                  "'none'; form-action 'self'; frame-ancestors 'none'");
    assert_header(r, "X-Content-Type-Options", "nosniff");
    assert_header(r, "Referrer-Policy", "no-referrer");
    assert_header(r, "X-Frame-Options", "DENY");
}

/* Asserts the response is a JSON error with this status, code and field (NULL: none). */
static void assert_error(const struct resp *r, long status, const char *code, const char *field)
{
    if (r->status != status)
        fail_msg("status %ld, expected %ld; body %s", r->status, status, buf_str(&r->body));
    assert_header(r, "Content-Type", "application/json");
    json_error_t jerr;
    json_t *j = json_loads(buf_str(&r->body), 0, &jerr);
    if (!j)
        fail_msg("error body is not JSON: %s", buf_str(&r->body));
    json_t *e = json_object_get(j, "error");
    const char *got_code = json_string_value(json_object_get(e, "code"));
    const char *got_field = json_string_value(json_object_get(e, "field"));
    bool ok = got_code && !strcmp(got_code, code) && json_is_string(json_object_get(e, "message"));
    ok = ok && (field ? got_field && !strcmp(got_field, field) : !got_field);
    if (!ok) {
        char *text = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        fail_msg("expected %s (field %s), got %s", code, field ? field : "none", text);
    }
    json_decref(j);
    assert_security_headers(r);
}

/* POSTs body to /api/client-errors as application/json. */
static void post_client_error(struct fixture *f, const char *body, size_t len, struct resp *r)
{
    struct request q = {.method = "POST",
                        .path = "/api/client-errors",
                        .headers = {"Content-Type: application/json"},
                        .body = body,
                        .body_len = len};
    http(f, &q, r);
}

/* ---- JSON route through the spec parser ---- */

static void test_client_error_good_body_is_204(void **state)
{
    struct fixture *f = *state;
    struct resp r;
    post_client_error(f,
                      "{\"message\":\"TypeError: x is undefined\",\"page\":\"/m/1\","
                      "\"source\":\"app.js\",\"line\":12,\"column\":3,\"stack\":\"a\\nb\"}",
                      0, &r);
    assert_int_equal(r.status, 204);
    assert_int_equal(r.body.len, 0);
    assert_security_headers(&r);
    resp_free(&r);
    /* Optional fields may be left out or null. */
    post_client_error(f, "{\"message\":\"x\",\"page\":null,\"line\":null}", 0, &r);
    assert_int_equal(r.status, 204);
    resp_free(&r);
}

static void test_client_error_own_origin_is_accepted(void **state)
{
    struct fixture *f = *state;
    char origin[100];
    snprintf(origin, sizeof origin, "Origin: %s", f->base);
    struct request q = {.method = "POST",
                        .path = "/api/client-errors",
                        .headers = {"Content-Type: application/json; charset=utf-8", origin},
                        .body = "{\"message\":\"ok\"}"};
    struct resp r;
    http(f, &q, &r);
    assert_int_equal(r.status, 204);
    resp_free(&r);
}

struct bad_body {
    const char *body;
    long status;
    const char *code, *field;
};

static void test_client_error_bad_bodies(void **state)
{
    static const struct bad_body cases[] = {
        {"{\"message\":", 400, "malformed_json", NULL},
        {"", 400, "malformed_json", NULL},
        {"{\"message\":\"a\"} trailing", 400, "malformed_json", NULL},
        {"{\"message\":\"a\",\"message\":\"b\"}", 400, "malformed_json", NULL},
        {"[{\"message\":\"a\"}]", 400, "not_an_object", NULL},
        {"{\"message\":\"\xC3\x28\"}", 400, "invalid_utf8", NULL},
        {"{\"message\":\"\xED\xA0\x80\"}", 400, "invalid_utf8", NULL},
        {"{\"message\":\"a\",\"colour\":1}", 422, "unknown_field", "colour"},
        {"{\"message\":5}", 422, "wrong_type", "message"},
        {"{\"message\":\"a\",\"line\":\"12\"}", 422, "wrong_type", "line"},
        {"{\"message\":\"a\",\"line\":1.5}", 422, "wrong_type", "line"},
        {"{\"message\":\"a\",\"page\":\"a\\nb\"}", 422, "wrong_type", "page"},
        {"{}", 422, "missing_field", "message"},
        {"{\"message\":null}", 422, "wrong_type", "message"}, /* null is not a string */
        {"{\"message\":\"\"}", 422, "out_of_range", "message"},
        {"{\"message\":\"a\",\"line\":-1}", 422, "out_of_range", "line"},
    };
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resp r;
        post_client_error(f, cases[i].body, strlen(cases[i].body), &r);
        if (r.status != cases[i].status)
            fail_msg("body %s: status %ld, expected %ld (%s)", cases[i].body, r.status,
                     cases[i].status, buf_str(&r.body));
        assert_error(&r, cases[i].status, cases[i].code, cases[i].field);
        resp_free(&r);
    }
}

static void test_client_error_scalar_body_is_not_an_object(void **state)
{
    /* A bare string or number is valid JSON (RFC 8259), just not an object. */
    static const char *bodies[] = {"\"message\"", "5", "null", "true"};
    struct fixture *f = *state;
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct resp r;
        post_client_error(f, bodies[i], strlen(bodies[i]), &r);
        assert_error(&r, 400, "not_an_object", NULL);
        resp_free(&r);
    }
}

static void test_client_error_without_content_type_is_415(void **state)
{
    struct fixture *f = *state;
    struct request q = {.method = "POST",
                        .path = "/api/client-errors",
                        .headers = {"Content-Type:"},
                        .body = "{\"message\":\"a\"}"};
    struct resp r;
    http(f, &q, &r);
    assert_error(&r, 415, "unsupported_media_type", NULL);
    resp_free(&r);
    q.headers[0] = "Content-Type: text/plain";
    http(f, &q, &r);
    assert_error(&r, 415, "unsupported_media_type", NULL);
    resp_free(&r);
}

static void test_client_error_chunked_body_over_limit_is_413(void **state)
{
    struct fixture *f = *state;
    struct request q = {.method = "POST",
                        .path = "/api/client-errors",
                        .headers = {"Content-Type: application/json"},
                        .chunked_len = 8 * 1024 + 1};
    struct resp r;
    http(f, &q, &r);
    assert_error(&r, 413, "body_too_large", NULL);
    resp_free(&r);
}

static void test_client_error_declared_body_over_limit_is_413(void **state)
{
    struct fixture *f = *state;
    size_t n = 8 * 1024 + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'x', n);
    struct resp r;
    post_client_error(f, big, n, &r);
    free(big);
    assert_error(&r, 413, "body_too_large", NULL);
    resp_free(&r);
}

static void test_client_error_foreign_origin_is_403(void **state)
{
    struct fixture *f = *state;
    struct request q = {.method = "POST",
                        .path = "/api/client-errors",
                        .headers = {"Content-Type: application/json",
                                    "Origin: http://evil.example"},
                        .body = "{\"message\":\"a\"}"};
    struct resp r;
    http(f, &q, &r);
    assert_error(&r, 403, "origin_mismatch", NULL);
    resp_free(&r);
}

static void test_client_error_rate_limited_after_burst(void **state)
{
    struct fixture *f = *state;
    struct resp r;
    for (int i = 0; i < 10; i++) {
        post_client_error(f, "{\"message\":\"burst\"}", 0, &r);
        if (r.status != 204)
            fail_msg("request %d of the burst: %ld", i + 1, r.status);
        resp_free(&r);
    }
    post_client_error(f, "{\"message\":\"one too many\"}", 0, &r);
    assert_error(&r, 429, "rate_limited", NULL);
    char v[32];
    assert_non_null(header(&r, "Retry-After", v, sizeof v));
    assert_true(atoi(v) >= 1);
    resp_free(&r);
}

/* ---- router ---- */

static void test_wrong_method_is_405_with_allow(void **state)
{
    struct fixture *f = *state;
    struct request q = {.method = "DELETE", .path = "/healthz"};
    struct resp r;
    http(f, &q, &r);
    assert_error(&r, 405, "method_not_allowed", NULL);
    assert_header(&r, "Allow", "GET, HEAD");
    resp_free(&r);
    q = (struct request){.method = "GET", .path = "/api/client-errors"};
    http(f, &q, &r);
    assert_error(&r, 405, "method_not_allowed", NULL);
    assert_header(&r, "Allow", "POST");
    resp_free(&r);
}

static void test_unknown_api_path_is_404_json(void **state)
{
    struct fixture *f = *state;
    static const char *paths[] = {"/api/unknown", "/api/", "/api/meetings", "/api/x.html"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct request q = {.path = paths[i]};
        struct resp r;
        http(f, &q, &r);
        assert_error(&r, 404, "not_found", NULL);
        resp_free(&r);
    }
}

static void test_malformed_id_segment_is_404(void **state)
{
    struct fixture *f = *state;
    static const char *paths[] = {
        "/api/meetings/NOTANIDNOTANIDNOTANI/events", /* uppercase */
        "/api/meetings/0123456789abcdefghj/events",  /* 19 chars */
        "/api/meetings/0123456789abcdefghjkm/events", /* 21 chars */
        "/api/meetings/0123456789abcdefghju/events",  /* u is not in the alphabet */
        "/api/meetings//events",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct request q = {.path = paths[i]};
        struct resp r;
        http(f, &q, &r);
        assert_error(&r, 404, "not_found", NULL);
        resp_free(&r);
    }
}

/* The router cuts paths into segments (issue 16): a trailing or doubled
 * slash, a path longer than any route, a token too short or with a bad
 * character match nothing, while a well-formed token still reaches its
 * route (405 with Allow for another method). */
static void test_router_segments(void **state)
{
    struct fixture *f = *state;
    static const char *none[] = {
        "/api/meetings/0123456789abcdefghjk/events/",
        "/api//meetings/0123456789abcdefghjk/events",
        "/api/access/short",
        "/api/access/aaaaaaaaaaaaaaaaaaaa.aaaa",
        "/api/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u",
        "/api/me/",
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        struct request q = {.path = none[i]};
        struct resp r;
        http(f, &q, &r);
        if (r.status != 404)
            fail_msg("%s: %ld", none[i], r.status);
        resp_free(&r);
    }
    /* A well-formed token reaches its handler (which knows no such token). */
    struct request q = {.path = "/api/access/aaaaaaaaaaaaaaaaaaaaaaaa"};
    struct resp r;
    http(f, &q, &r);
    assert_int_not_equal(r.status, 405);
    resp_free(&r);
    q = (struct request){.method = "DELETE", .path = "/api/access/aaaaaaaaaaaaaaaaaaaaaaaa"};
    http(f, &q, &r);
    assert_error(&r, 405, "method_not_allowed", NULL);
    assert_header(&r, "Allow", "GET, HEAD");
    resp_free(&r);
}

static void test_head_of_get_route(void **state)
{
    struct fixture *f = *state;
    struct request q = {.method = "HEAD", .path = "/healthz"};
    struct resp r;
    http(f, &q, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body.len, 0);
    assert_header(&r, "Content-Type", "application/json");
    assert_security_headers(&r);
    resp_free(&r);
    q.method = NULL;
    http(f, &q, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(buf_str(&r.body), "{\"status\":\"ok\",\"database\":\"ok\",\"backend\":\"sqlite\"}");
    resp_free(&r);
}

static void test_get_with_body_on_bodyless_route_is_413(void **state)
{
    struct fixture *f = *state;
    struct request q = {.method = "GET", .path = "/healthz", .body = "{}"};
    struct resp r;
    http(f, &q, &r);
    assert_error(&r, 413, "body_too_large", NULL);
    resp_free(&r);
}

/* ---- static files ---- */

static void test_root_serves_index_with_etag_revalidation(void **state)
{
    struct fixture *f = *state;
    struct request q = {.path = "/"};
    struct resp r;
    http(f, &q, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(buf_str(&r.body), INDEX_HTML);
    assert_header(&r, "Content-Type", "text/html; charset=utf-8");
    assert_header(&r, "Cache-Control", "no-cache");
    assert_security_headers(&r);
    char etag[128], inm[160];
    assert_non_null(header(&r, "ETag", etag, sizeof etag));
    resp_free(&r);

    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    q.headers[0] = inm;
    http(f, &q, &r);
    assert_int_equal(r.status, 304);
    assert_int_equal(r.body.len, 0);
    assert_header(&r, "ETag", etag);
    assert_security_headers(&r);
    resp_free(&r);

    q.headers[0] = "If-None-Match: \"stale\"";
    http(f, &q, &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

static void test_static_css_has_its_type(void **state)
{
    struct fixture *f = *state;
    struct request q = {.path = "/a.css"};
    struct resp r;
    http(f, &q, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(buf_str(&r.body), A_CSS);
    assert_header(&r, "Content-Type", "text/css; charset=utf-8");
    resp_free(&r);
    q.method = "HEAD";
    http(f, &q, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body.len, 0);
    assert_header(&r, "Content-Length", "23");
    resp_free(&r);
}

static void test_client_route_serves_index(void **state)
{
    struct fixture *f = *state;
    static const char *paths[] = {"/x/y", "/meetings", "/m/0123456789abcdefghjk/vote"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct request q = {.path = paths[i]};
        struct resp r;
        http(f, &q, &r);
        if (r.status != 200)
            fail_msg("%s: %ld", paths[i], r.status);
        assert_string_equal(buf_str(&r.body), INDEX_HTML);
        assert_header(&r, "Content-Type", "text/html; charset=utf-8");
        resp_free(&r);
    }
}

static void test_unsafe_or_unknown_static_paths_are_404(void **state)
{
    struct fixture *f = *state;
    static const char *paths[] = {"/../etc/passwd", "/..", "/a/../a.css", "/.hidden",
                                  "/x/.hidden",     "/notes.xyz", "/missing.js", "/a%20b.css",
                                  "//a.css"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct request q = {.path = paths[i]};
        struct resp r;
        http(f, &q, &r);
        if (r.status != 404)
            fail_msg("%s: %ld, expected 404; body %.80s", paths[i], r.status, buf_str(&r.body));
        assert_error(&r, 404, "not_found", NULL);
        resp_free(&r);
    }
}

static void test_static_path_with_encoded_nul_is_404(void **state)
{
    /* MHD decodes %00; the path must not be cut there and serve /a.css. */
    struct fixture *f = *state;
    static const char *paths[] = {"/a.css%00.html", "/a.css%00", "/healthz%00x"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct request q = {.path = paths[i]};
        struct resp r;
        http(f, &q, &r);
        if (r.status != 404)
            fail_msg("%s: %ld, expected 404; body %.80s", paths[i], r.status, buf_str(&r.body));
        resp_free(&r);
    }
}

static void test_static_refuses_post(void **state)
{
    struct fixture *f = *state;
    struct request q = {.method = "POST",
                        .path = "/index.html",
                        .headers = {"Content-Type: application/json"},
                        .body = "{}"};
    struct resp r;
    http(f, &q, &r);
    assert_true(r.status == 404 || r.status == 405);
    assert_security_headers(&r);
    resp_free(&r);
}

int main(void)
{
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT))
        return 1;
    diag_set_level(DIAG_ERROR);
    diag_init_from_env();
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_client_error_good_body_is_204),
        T(test_client_error_own_origin_is_accepted),
        T(test_client_error_bad_bodies),
        T(test_client_error_scalar_body_is_not_an_object),
        T(test_client_error_without_content_type_is_415),
        T(test_client_error_chunked_body_over_limit_is_413),
        T(test_client_error_declared_body_over_limit_is_413),
        T(test_client_error_foreign_origin_is_403),
        T(test_client_error_rate_limited_after_burst),
        T(test_wrong_method_is_405_with_allow),
        T(test_unknown_api_path_is_404_json),
        T(test_malformed_id_segment_is_404),
        T(test_router_segments),
        T(test_head_of_get_route),
        T(test_get_with_body_on_bodyless_route_is_413),
        T(test_root_serves_index_with_etag_revalidation),
        T(test_static_css_has_its_type),
        T(test_client_route_serves_index),
        T(test_unsafe_or_unknown_static_paths_are_404),
        T(test_static_path_with_encoded_nul_is_404),
        T(test_static_refuses_post),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
