/* http_fixture.h — the real server (server_start) on a free port of
 * 127.0.0.1, as main.c starts it, for the unit tests that speak HTTP to it
 * in-process (test_http, test_sse_http, test_sse_direct). */
#ifndef OBR_HTTP_FIXTURE_H
#define OBR_HTTP_FIXTURE_H

#include "api/app.h"
#include "http/server.h"
#include "log/eventlog.h"
#include "log/hub.h"
#include "util/ratelimit.h"

/* A fresh data directory, its store and a hub of ring_size events a
 * meeting (0: the default). */
static inline void http_fixture_open(char **dir, struct db_pool **pool, struct hub **hub,
                                     size_t ring_size)
{
    *dir = testutil_tmpdir();
    assert_non_null(*dir);
    *pool = testutil_open_pool(*dir);
    *hub = hub_new(ring_size);
    assert_non_null(*hub);
}

/* Starts it over pool and hub with data in data_dir, serving web_dir; the
 * client-error limit as main.c builds it: 10 at once, then one a second. */
static inline struct server *http_fixture_start(struct app *app, const char *data_dir,
                                                const char *web_dir, struct db_pool *pool,
                                                struct hub *hub)
{
    app->data_dir = data_dir;
    app->version = "test";
    app->client_error_limit = ratelimit_new(1.0, 10, 10000);
    assert_non_null(app->client_error_limit);
    struct server_config sc = {.host = "127.0.0.1", .port = 0, .web_dir = web_dir, .threads = 2};
    char err[256];
    struct server *srv = server_start(&sc, api_routes, api_routes_count, pool, hub, app, err,
                                      sizeof err);
    if (!srv)
        fail_msg("server_start: %s", err);
    return srv;
}

/* Stops it and frees what http_fixture_start and the test's set-up made,
 * the data directory included. */
static inline void http_fixture_stop(struct server *srv, struct db_pool *pool, struct hub *hub,
                                     struct app *app, char *dir)
{
    server_stop(srv, 2000);
    db_pool_close(pool);
    hub_free(hub);
    ratelimit_free(app->client_error_limit);
    testutil_rmdir(dir);
}

/* Appends one event "test.thing" with payload {"n":n} (and "pad": pad_bytes
 * of text when pad_bytes > 0) to log_id; returns its seq. */
static inline int64_t http_fixture_append(struct db_pool *pool, struct hub *hub, const char *log_id,
                                          int n, enum event_visibility vis, size_t pad_bytes)
{
    struct db *db = db_pool_get(pool);
    assert_non_null(db);
    json_t *payload = json_pack("{s:i}", "n", n);
    if (pad_bytes) {
        char *pad = malloc(pad_bytes + 1);
        assert_non_null(pad);
        memset(pad, 'p', pad_bytes);
        pad[pad_bytes] = '\0';
        json_object_set_new(payload, "pad", json_string(pad));
        free(pad);
    }
    int64_t seq = 0;
    int rc = log_append_one(db, hub, log_id, "system", "test.thing", payload, vis, &seq);
    json_decref(payload);
    assert_int_equal(rc, 0);
    return seq;
}

#endif
