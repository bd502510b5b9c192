/* ratelimit.h — token buckets keyed by a short string (a client address, an
 * e-mail address). Each key refills at rate_per_s up to burst. The table is
 * bounded: when full, idle keys (full buckets) are forgotten first, and if
 * none is idle the request is refused rather than the memory grown. */
#ifndef OBR_RATELIMIT_H
#define OBR_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ratelimit;

struct ratelimit *ratelimit_new(double rate_per_s, double burst, size_t max_keys);
void ratelimit_free(struct ratelimit *rl);
/* Takes one token for key at now_ms. False when none is left; then
 * *retry_after_s (if not NULL) says when the next one will be. Thread-safe. */
bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms,
                    unsigned *retry_after_s);
/* The rate (tokens per second) and burst rl was made with. */
void ratelimit_params(const struct ratelimit *rl, double *rate_per_s, double *burst);

#endif
