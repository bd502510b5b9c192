/* client_errors.c — browsers report their own failures (a script error on a
 * member's phone) so operators see them in the log and in /metrics. The text
 * is logged on one line, clipped; it is never shown to other users. */
#include <stdio.h>

#include "api/app.h"
#include "api/handlers.h"
#include "ops/metrics.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/ratelimit.h"

void api_client_errors(struct req *rq)
{
    const char *message = NULL, *page = NULL, *source = NULL, *stack = NULL;
    int64_t line = 0, column = 0;
    const struct jfield spec[] = {
        {"message", JF_TEXT, true, 1, 1000, &message, NULL},
        {"page", JF_STRING, false, 0, 300, &page, NULL},
        {"source", JF_STRING, false, 0, 300, &source, NULL},
        {"line", JF_INT, false, 0, 10000000, &line, NULL},
        {"column", JF_INT, false, 0, 10000000, &column, NULL},
        {"stack", JF_TEXT, false, 0, 4000, &stack, NULL},
        {NULL},
    };
    if (req_parse_json(rq, spec) < 0)
        return;
    struct app *app = req_app(rq);
    unsigned retry_s;
    if (!ratelimit_take(app->client_error_limit, req_client_ip(rq), clock_now_ms(), &retry_s)) {
        char v[16];
        snprintf(v, sizeof v, "%u", retry_s);
        reply_header(rq, "Retry-After", v);
        reply_error(rq, ERR_RATE_LIMITED, NULL);
        return;
    }
    metrics_client_error();
    diag(DIAG_WARN, "client error from %s on %.300s at %.300s:%lld:%lld: %.300s",
         req_client_ip(rq), page ? page : "?", source ? source : "?", (long long)line,
         (long long)column, message);
    reply_empty(rq, 204);
}
