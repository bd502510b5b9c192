/* app.h — what the API handlers share: configuration and long-lived services,
 * reached from a request with req_app(rq). main.c builds one at start. */
#ifndef OBR_API_APP_H
#define OBR_API_APP_H

#include <stddef.h>

#include "http/req.h"

struct ratelimit;

#define INSTANCE_LOG "instance" /* the log of the installation itself (/api/live) */

struct app {
    const char *data_dir;
    const char *version;
    struct ratelimit *client_error_limit; /* per client address */
};

/* The route table of the whole API. */
extern const struct route api_routes[];
extern const size_t api_routes_count;

/* Handlers, grouped by file. */
void api_healthz(struct req *rq);
void api_metrics(struct req *rq);
void api_live(struct req *rq);
void api_meeting_events(struct req *rq);
void api_client_errors(struct req *rq);

#endif
