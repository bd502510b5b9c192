/* clock.h — time as obrady reads it: wall-clock milliseconds since the epoch
 * for records, monotonic milliseconds for durations and timeouts. */
#ifndef OBR_CLOCK_H
#define OBR_CLOCK_H

#include <stddef.h>
#include <stdint.h>

int64_t clock_now_ms(void);
int64_t clock_mono_ms(void);
/* Writes ms as RFC 3339 UTC with milliseconds ("2026-11-23T08:57:24.123Z"). */
void clock_format_rfc3339(int64_t ms, char *out, size_t size);

/* Parses RFC 3339 ("2026-12-01T17:00:00+01:00", "...Z", optional fraction)
 * into ms since the epoch; 0 or -1 when malformed. */
int clock_parse_rfc3339(const char *s, int64_t *ms);

#endif
