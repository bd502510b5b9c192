/* health.c — /healthz for load balancers and /metrics for Prometheus. */
#include "api/app.h"

#include <string.h>

#include "api/handlers.h"
#include "api/meeting_cache.h"
#include "http/server.h"
#include "log/hub.h"
#include "mail/mail.h"
#include "ops/metrics.h"
#include "store/db.h"
#include "store/pg_listen.h"
#include "util/clock.h"
#include "util/buf.h"

/* A LISTEN connection away for longer than this takes the node out of a load
 * balancer's rotation: its streams would miss other nodes' events. Shorter
 * gaps (a reconnect) do not, and are caught up on reconnecting. */
#define LISTEN_GRACE_MS 10000

void api_healthz(struct req *rq)
{
    struct db *db = req_db(rq);
    struct app *app = req_app(rq);
    bool is_db_ok = db && db_ping(db) == 0;
    json_t *listen = NULL;
    bool is_listen_ok = true;
    if (app && app->listen) {
        int64_t since;
        uint64_t reconnects;
        const char *state = pg_listen_state(app->listen, &since, &reconnects);
        is_listen_ok = !strcmp(state, "up") || clock_now_ms() - since < LISTEN_GRACE_MS;
        listen = json_pack("{s:s, s:I, s:I}", "state", state, "since_ms", (json_int_t)since,
                           "reconnects", (json_int_t)reconnects);
    }
    bool is_ok = is_db_ok && is_listen_ok;
    json_t *body = json_pack("{s:s, s:s, s:s}", "status", is_ok ? "ok" : "unavailable", "database",
                             is_db_ok ? "ok" : "unavailable", "backend",
                             db ? db_backend_name(db) : "unknown");
    if (body && listen)
        json_object_set_new(body, "listen", listen);
    else
        json_decref(listen);
    reply_header(rq, "Cache-Control", "no-store");
    if (!is_ok)
        reply_header(rq, "Retry-After", "2");
    reply_json(rq, is_ok ? 200 : 503, body);
}

void api_metrics(struct req *rq)
{
    struct hub *hub = req_hub(rq);
    struct metrics_gauges g = {
        .sse_streams_open = hub_subscriber_count(hub),
        .hub_ring_bytes = hub_ring_bytes(hub),
        .events_appended = hub_published_count(hub),
        .requests_in_flight = req_server_active(rq),
        .outbox_pending = -1,
        .outbox_failed = -1,
    };
    struct meeting_cache_stats mc;
    meeting_cache_stats(&mc);
    g.meeting_cache_entries = (uint64_t)mc.entries;
    g.meeting_cache_live = (uint64_t)mc.live;
    g.meeting_cache_bytes = mc.bytes;
    struct db *db = req_db(rq);
    if (db && outbox_counts(db, &g.outbox_pending, &g.outbox_failed))
        g.outbox_pending = g.outbox_failed = -1;
    struct buf b = BUF_INIT;
    metrics_render(&b, &g);
    size_t len = b.len;
    char *text = buf_take(&b);
    if (!text) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_header(rq, "Cache-Control", "no-store");
    reply_bytes(rq, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}
