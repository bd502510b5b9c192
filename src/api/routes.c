/* routes.c — every route of the API in one table: method, pattern, handler,
 * body limit, flags. Reading it is reading the API's surface. */
#include "api/app.h"

const struct route api_routes[] = {
    {"GET", "/healthz", api_healthz, 0, 0},
    {"GET", "/metrics", api_metrics, 0, 0},
    {"GET", "/api/live", api_live, 0, 0},
    {"GET", "/api/meetings/{id}/events", api_meeting_events, 0, 0},
    {"POST", "/api/client-errors", api_client_errors, 8 * 1024, 0},
};
const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
