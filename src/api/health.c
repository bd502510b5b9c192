/* health.c — /healthz for load balancers and /metrics for Prometheus. */
#include "api/app.h"
#include "api/handlers.h"
#include "http/server.h"
#include "log/hub.h"
#include "mail/mail.h"
#include "ops/metrics.h"
#include "store/db.h"
#include "util/buf.h"

void api_healthz(struct req *rq)
{
    struct db *db = req_db(rq);
    bool is_ok = db && db_ping(db) == 0;
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, is_ok ? 200 : 503, json_pack("{s:s}", "status", is_ok ? "ok" : "unavailable"));
}

void api_metrics(struct req *rq)
{
    struct hub *hub = req_hub(rq);
    struct metrics_gauges g = {
        .sse_streams_open = hub_subscriber_count(hub),
        .events_appended = hub_published_count(hub),
        .requests_in_flight = req_server_active(rq),
        .outbox_pending = -1,
        .outbox_failed = -1,
    };
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
