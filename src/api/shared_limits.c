/* shared_limits.c — see shared_limits.h. The shared bucket uses the generic
 * cell rate algorithm (store/jobs.h): one token every 1000/rate ms, burst at
 * once, the same allowance as the in-memory token bucket. */
#include "api/shared_limits.h"

#include <stdio.h>
#include <string.h>

#include "store/jobs.h"
#include "util/clock.h"

static bool is_shared(struct db *db)
{
    return db && !strcmp(db_backend_name(db), "postgresql");
}

bool shared_limit_take(struct db *db, struct ratelimit *rl, const char *name, const char *key,
                       unsigned *retry_after_s)
{
    int64_t now = clock_now_ms();
    if (is_shared(db)) {
        double rate, burst;
        ratelimit_params(rl, &rate, &burst);
        char k[384];
        int len = snprintf(k, sizeof k, "%s:%s", name, key);
        int64_t interval = rate > 0 ? (int64_t)(1000.0 / rate + 0.5) : 1000;
        int64_t retry_ms = 0;
        int rc = len > 0 && (size_t)len < sizeof k
                     ? rate_buckets_take(db, k, now, interval < 1 ? 1 : interval,
                                         burst < 1 ? 1 : (int)burst, &retry_ms)
                     : -1;
        if (rc == 1)
            return true;
        if (rc == 0) {
            if (retry_after_s)
                *retry_after_s = (unsigned)((retry_ms + 999) / 1000);
            return false;
        }
        /* the store did not answer: this node's memory decides */
    }
    return ratelimit_take(rl, key, now, retry_after_s);
}

void shared_limits_sweep(struct db *db)
{
    if (is_shared(db))
        rate_buckets_sweep(db, clock_now_ms());
}
