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
/* Called by the hub for every event it fans out (counts ballots). */
void metrics_event_published(const char *type);
/* A mail delivery attempt failed (it will be retried or given up). */
void metrics_mail_failure(void);
/* An SMS attempt's outcome: sent, failed and to be retried, or given up. */
enum metrics_sms { METRICS_SMS_SENT, METRICS_SMS_RETRIED, METRICS_SMS_FAILED };
void metrics_sms(enum metrics_sms outcome);
/* The scheduler ran a deadline lag_ms after it was due. */
void metrics_deadline_run(int64_t lag_ms);

/* Gauges supplied by their owners at render time. */
struct metrics_gauges {
    uint64_t sse_streams_open;
    uint64_t hub_ring_bytes; /* memory of the live events the hub keeps */
    uint64_t meeting_cache_entries, meeting_cache_live, meeting_cache_bytes; /* api/meeting_cache.h */
    uint64_t events_appended;
    uint64_t requests_in_flight;
    int64_t outbox_pending, outbox_failed; /* -1: unknown (database unavailable) */
};
void metrics_render(struct buf *out, const struct metrics_gauges *g);

#endif
