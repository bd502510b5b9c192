/* metrics.h — process-wide counters rendered at /metrics in the Prometheus
 * text format. Recording is cheap and thread-safe; labels come only from our
 * own route patterns (never from client input), so cardinality is bounded. */
#ifndef OBR_METRICS_H
#define OBR_METRICS_H

#include <stdint.h>

struct buf;

/* method and route must be static strings (route patterns, "static", "unmatched"). */
void metrics_http_request(const char *method, const char *route, unsigned status,
                          int64_t duration_us);
void metrics_client_error(void);
uint64_t metrics_client_errors(void);

/* Gauges supplied by their owners at render time. */
struct metrics_gauges {
    uint64_t sse_streams_open;
    uint64_t events_appended;
    uint64_t requests_in_flight;
};
void metrics_render(struct buf *out, const struct metrics_gauges *g);

#endif
