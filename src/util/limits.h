/* limits.h — the configurable limits that keep one participant or one link
 * from costing everyone else (issue 18): access-link lifetimes, per-user and
 * per-meeting rates of what participants write to a meeting's log, and the
 * log's size budget. Plain data: config.c sets it, handlers read it. */
#ifndef OBR_LIMITS_H
#define OBR_LIMITS_H

struct limits {
    unsigned access_link_grace_days;   /* a link works this long after the meeting closes */
    unsigned access_link_max_age_days; /* and never longer than this after it was made */
    unsigned chat_per_user_min;        /* chat messages one person may post per minute */
    unsigned actions_per_user_min;     /* floor, presence, attendance, ballots per minute */
    unsigned meeting_writes_per_min;   /* all participants' writes to one meeting's log */
    unsigned meeting_log_budget_kib;   /* staff are alerted when a log grows past this */
};

void limits_defaults(struct limits *l);
/* Sets key to v: 0 done, -1 a bad value, 1 not a key of these limits. */
int limits_set(struct limits *l, const char *key, const char *v);

#endif
