/* metrics.c — request counters by (method, route, status), a latency
 * histogram per route, and simple counters and gauges (see metrics.h). */
#include "ops/metrics.h"
#include "ops/backup_job.h"

#include <pthread.h>
#include <string.h>

#include "util/buf.h"

#define MAX_SERIES 512
#define MAX_ROUTES 256

static const double bucket_s[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                  0.1,   0.25,   0.5,   1,    2.5,   5, 10};
#define N_BUCKETS (sizeof bucket_s / sizeof bucket_s[0])

struct series {
    const char *method, *route;
    unsigned status;
    uint64_t count;
};

struct route_hist {
    const char *route;
    uint64_t counts[N_BUCKETS + 1];
    double sum_s;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* guards series, hists and their counts */
static struct series series[MAX_SERIES];
static int n_series;
static struct route_hist hists[MAX_ROUTES];
static int n_hists;
/* atomics */
static uint64_t client_errors, ballots, mail_failures, deadlines_run;
static uint64_t sms_counts[3]; /* by enum metrics_sms */
static int64_t scheduler_lag_ms;

static struct route_hist *hist_of(const char *route)
{
    int i = 0;
    while (i < n_hists && strcmp(hists[i].route, route))
        i++;
    if (i == n_hists) {
        if (n_hists == MAX_ROUTES)
            return NULL;
        hists[i] = (struct route_hist){.route = route};
        n_hists++;
    }
    return &hists[i];
}

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
    struct route_hist *h = hist_of(route);
    if (h) {
        h->counts[b]++;
        h->sum_s += s;
    }
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

void metrics_event_published(const char *type)
{
    if (!strcmp(type, "vote.ballot"))
        __atomic_add_fetch(&ballots, 1, __ATOMIC_RELAXED);
}

void metrics_mail_failure(void)
{
    __atomic_add_fetch(&mail_failures, 1, __ATOMIC_RELAXED);
}

void metrics_sms(enum metrics_sms outcome)
{
    if ((unsigned)outcome < 3)
        __atomic_add_fetch(&sms_counts[outcome], 1, __ATOMIC_RELAXED);
}

void metrics_deadline_run(int64_t lag_ms)
{
    __atomic_add_fetch(&deadlines_run, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&scheduler_lag_ms, lag_ms < 0 ? 0 : lag_ms, __ATOMIC_RELAXED);
}

static void render_histograms(struct buf *out)
{
    buf_puts(out, "# HELP obrady_http_request_duration_seconds Time to answer a request, by route.\n"
                  "# TYPE obrady_http_request_duration_seconds histogram\n");
    for (int i = 0; i < n_hists; i++) {
        const struct route_hist *h = &hists[i];
        uint64_t cumulative = 0;
        for (size_t b = 0; b < N_BUCKETS; b++) {
            cumulative += h->counts[b];
            buf_printf(out,
                       "obrady_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                       h->route, bucket_s[b], (unsigned long long)cumulative);
        }
        cumulative += h->counts[N_BUCKETS];
        buf_printf(out,
                   "obrady_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                   "obrady_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                   "obrady_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                   h->route, (unsigned long long)cumulative, h->route, h->sum_s, h->route,
                   (unsigned long long)cumulative);
    }
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
    render_histograms(out);
    pthread_mutex_unlock(&lock);
    buf_printf(out,
               "# HELP obrady_http_requests_in_flight Requests and streams being served.\n"
               "# TYPE obrady_http_requests_in_flight gauge\n"
               "obrady_http_requests_in_flight %llu\n"
               "# HELP obrady_sse_streams_open Open server-sent event streams.\n"
               "# TYPE obrady_sse_streams_open gauge\n"
               "obrady_sse_streams_open %llu\n"
               "# HELP obrady_hub_ring_bytes Memory of the recent events kept for live streams.\n"
               "# TYPE obrady_hub_ring_bytes gauge\n"
               "obrady_hub_ring_bytes %llu\n"
               "# HELP obrady_meeting_cache_meetings Folded meeting states kept in memory.\n"
               "# TYPE obrady_meeting_cache_meetings gauge\n"
               "obrady_meeting_cache_meetings %llu\n"
               "# HELP obrady_meeting_cache_live Started meetings among them (all kept).\n"
               "# TYPE obrady_meeting_cache_live gauge\n"
               "obrady_meeting_cache_live %llu\n"
               "# HELP obrady_meeting_cache_bytes Estimated memory of the folded meeting states kept.\n"
               "# TYPE obrady_meeting_cache_bytes gauge\n"
               "obrady_meeting_cache_bytes %llu\n"
               "# HELP obrady_events_appended_total Events appended to meeting logs.\n"
               "# TYPE obrady_events_appended_total counter\n"
               "obrady_events_appended_total %llu\n"
               "# HELP obrady_client_errors_total Errors reported by browsers.\n"
               "# TYPE obrady_client_errors_total counter\n"
               "obrady_client_errors_total %llu\n",
               (unsigned long long)g->requests_in_flight, (unsigned long long)g->sse_streams_open,
               (unsigned long long)g->hub_ring_bytes,
               (unsigned long long)g->meeting_cache_entries,
               (unsigned long long)g->meeting_cache_live,
               (unsigned long long)g->meeting_cache_bytes,
               (unsigned long long)g->events_appended, (unsigned long long)metrics_client_errors());
    buf_printf(out,
               "# HELP obrady_ballots_total Ballots cast (open and secret, changes included).\n"
               "# TYPE obrady_ballots_total counter\n"
               "obrady_ballots_total %llu\n"
               "# HELP obrady_outbox_pending Messages waiting in the mail outbox.\n"
               "# TYPE obrady_outbox_pending gauge\n"
               "obrady_outbox_pending %lld\n"
               "# HELP obrady_outbox_failed Messages the outbox gave up on.\n"
               "# TYPE obrady_outbox_failed gauge\n"
               "obrady_outbox_failed %lld\n"
               "# HELP obrady_mail_attempt_failures_total Delivery attempts that failed.\n"
               "# TYPE obrady_mail_attempt_failures_total counter\n"
               "obrady_mail_attempt_failures_total %llu\n"
               "# HELP obrady_scheduler_deadlines_total Deadlines the scheduler ran.\n"
               "# TYPE obrady_scheduler_deadlines_total counter\n"
               "obrady_scheduler_deadlines_total %llu\n"
               "# HELP obrady_scheduler_lag_seconds How late the last deadline ran.\n"
               "# TYPE obrady_scheduler_lag_seconds gauge\n"
               "obrady_scheduler_lag_seconds %.3f\n",
               (unsigned long long)__atomic_load_n(&ballots, __ATOMIC_RELAXED),
               (long long)g->outbox_pending, (long long)g->outbox_failed,
               (unsigned long long)__atomic_load_n(&mail_failures, __ATOMIC_RELAXED),
               (unsigned long long)__atomic_load_n(&deadlines_run, __ATOMIC_RELAXED),
               (double)__atomic_load_n(&scheduler_lag_ms, __ATOMIC_RELAXED) / 1000.0);
    buf_printf(out,
               "# HELP obrady_sms_sent_total SMS the gateway accepted.\n"
               "# TYPE obrady_sms_sent_total counter\n"
               "obrady_sms_sent_total %llu\n"
               "# HELP obrady_sms_retries_total SMS attempts that failed and will be retried.\n"
               "# TYPE obrady_sms_retries_total counter\n"
               "obrady_sms_retries_total %llu\n"
               "# HELP obrady_sms_failed_total SMS given up after their last attempt.\n"
               "# TYPE obrady_sms_failed_total counter\n"
               "obrady_sms_failed_total %llu\n",
               (unsigned long long)__atomic_load_n(&sms_counts[METRICS_SMS_SENT], __ATOMIC_RELAXED),
               (unsigned long long)__atomic_load_n(&sms_counts[METRICS_SMS_RETRIED], __ATOMIC_RELAXED),
               (unsigned long long)__atomic_load_n(&sms_counts[METRICS_SMS_FAILED], __ATOMIC_RELAXED));
    backup_job_metrics(out);
}
