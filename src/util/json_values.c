/* json_values.c — see json_values.h. */
#include "util/json_values.h"
#include "util/clock.h"

json_t *json_str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

json_t *json_ms_or_null(int64_t ms)
{
    return ms ? json_integer(ms) : json_null();
}

json_t *json_time_or_null(int64_t ms)
{
    if (!ms)
        return json_null();
    char t[40];
    clock_format_rfc3339(ms, t, sizeof t);
    return json_string(t);
}
