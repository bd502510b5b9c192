/* limits.c — defaults and parsing of the limits in limits.h. The defaults are
 * sized for a 100-member meeting: a person chats at most 12 times a minute,
 * presses buttons 30 times a minute, and the whole meeting writes at most
 * 1 200 participant events a minute (12 per member), well above a lively
 * session and far below the ~38 000 a minute one script managed. */
#include "util/limits.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void limits_defaults(struct limits *l)
{
    *l = (struct limits){
        .access_link_grace_days = 7,
        .access_link_max_age_days = 90,
        .chat_per_user_min = 12,
        .actions_per_user_min = 30,
        .meeting_writes_per_min = 1200,
        .meeting_log_budget_kib = 65536,
    };
}

static int set_uint(unsigned *dst, const char *v, unsigned min, unsigned max)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || end == v || *end || v[0] == '-' || n < min || n > max)
        return -1;
    *dst = (unsigned)n;
    return 0;
}

int limits_set(struct limits *l, const char *key, const char *v)
{
    static const struct {
        const char *key;
        size_t offset;
        unsigned min, max;
    } keys[] = {
        {"access_link_grace_days", offsetof(struct limits, access_link_grace_days), 0, 3650},
        {"access_link_max_age_days", offsetof(struct limits, access_link_max_age_days), 1, 3650},
        {"chat_per_user_min", offsetof(struct limits, chat_per_user_min), 1, 100000},
        {"actions_per_user_min", offsetof(struct limits, actions_per_user_min), 1, 100000},
        {"meeting_writes_per_min", offsetof(struct limits, meeting_writes_per_min), 1, 10000000},
        {"meeting_log_budget_kib", offsetof(struct limits, meeting_log_budget_kib), 1, 100000000},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (!strcmp(key, keys[i].key))
            return set_uint((unsigned *)((char *)l + keys[i].offset), v, keys[i].min, keys[i].max);
    return 1;
}
