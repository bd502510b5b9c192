/* metrics.c — request counters by (method, route, status), one latency
 * histogram, and simple counters (see metrics.h). */
#include "ops/metrics.h"
#include "ops/backup_job.h"

#include <pthread.h>
#include <string.h>

#include "util/buf.h"

#define MAX_SERIES 512

static const double bucket_s[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                  0.1,   0.25,   0.5,   1,    2.5,   5, 10};
#define N_BUCKETS (sizeof bucket_s / sizeof bucket_s[0])

struct series {
    const char *method, *route;
    unsigned status;
    uint64_t count;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards series, n_series, histogram */
static struct series series[MAX_SERIES];
static int n_series;
static uint64_t hist_counts[N_BUCKETS + 1];
static double hist_sum_s;
static uint64_t client_errors; /* atomic */

static const char *method_label(const char *m)
{
    static const char *known[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (!strcmp(m, known[i]))
            return known[i];
    return "OTHER";
}

void metrics_http_request(const char *method, const char *route, unsigned status,
                          int64_t duration_us)
{
    const char *m = method_label(method);
    double s = (double)duration_us / 1e6;
    pthread_mutex_lock(&lock);
    int i = 0;
    while (i < n_series && !(series[i].status == status && series[i].method == m &&
                             !strcmp(series[i].route, route)))
        i++;
    if (i == n_series && n_series < MAX_SERIES) {
        series[i] = (struct series){m, route, status, 0};
        n_series++;
    }
    if (i < n_series)
        series[i].count++;
    size_t b = 0;
    while (b < N_BUCKETS && s > bucket_s[b])
        b++;
    hist_counts[b]++;
    hist_sum_s += s;
    pthread_mutex_unlock(&lock);
}

void metrics_client_error(void)
{
    __atomic_add_fetch(&client_errors, 1, __ATOMIC_RELAXED);
}

uint64_t metrics_client_errors(void)
{
    return __atomic_load_n(&client_errors, __ATOMIC_RELAXED);
}

void metrics_render(struct buf *out, const struct metrics_gauges *g)
{
    buf_puts(out, "# HELP obrady_http_requests_total HTTP requests answered.\n"
                  "# TYPE obrady_http_requests_total counter\n");
    pthread_mutex_lock(&lock);
    for (int i = 0; i < n_series; i++)
        buf_printf(out, "obrady_http_requests_total{method=\"%s\",route=\"%s\",status=\"%u\"} %llu\n",
                   series[i].method, series[i].route, series[i].status,
                   (unsigned long long)series[i].count);
    buf_puts(out, "# HELP obrady_http_request_duration_seconds Time to answer a request.\n"
                  "# TYPE obrady_http_request_duration_seconds histogram\n");
    uint64_t cumulative = 0;
    for (size_t b = 0; b < N_BUCKETS; b++) {
        cumulative += hist_counts[b];
        buf_printf(out, "obrady_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                   bucket_s[b], (unsigned long long)cumulative);
    }
    cumulative += hist_counts[N_BUCKETS];
    buf_printf(out, "obrady_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
               (unsigned long long)cumulative);
    buf_printf(out, "obrady_http_request_duration_seconds_sum %.6f\n", hist_sum_s);
    buf_printf(out, "obrady_http_request_duration_seconds_count %llu\n",
               (unsigned long long)cumulative);
    pthread_mutex_unlock(&lock);
    buf_printf(out,
               "# HELP obrady_http_requests_in_flight Requests and streams being served.\n"
               "# TYPE obrady_http_requests_in_flight gauge\n"
               "obrady_http_requests_in_flight %llu\n"
               "# HELP obrady_sse_streams_open Open server-sent event streams.\n"
               "# TYPE obrady_sse_streams_open gauge\n"
               "obrady_sse_streams_open %llu\n"
               "# HELP obrady_events_appended_total Events appended to meeting logs.\n"
               "# TYPE obrady_events_appended_total counter\n"
               "obrady_events_appended_total %llu\n"
               "# HELP obrady_client_errors_total Errors reported by browsers.\n"
               "# TYPE obrady_client_errors_total counter\n"
               "obrady_client_errors_total %llu\n",
               (unsigned long long)g->requests_in_flight, (unsigned long long)g->sse_streams_open,
               (unsigned long long)g->events_appended, (unsigned long long)metrics_client_errors());
    backup_job_metrics(out);
}
