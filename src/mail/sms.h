/* sms.h — SMS notices through a pluggable HTTP gateway (sms_gateway.c) and
 * the worker that delivers the SMS outbox (sms_outbox.c, rows in store/sms.h)
 * with retries, like the mail outbox. The gateway is configured by a URL, an
 * Authorization header value (never logged) and a body template in which
 * {number} and {text} are replaced, escaped for the content type (JSON string
 * contents for a JSON type, percent-encoding otherwise) — enough for SMSAPI,
 * SerwerSMS and similar. Without a URL SMS is off and nothing is queued. */
#ifndef OBR_MAIL_SMS_H
#define OBR_MAIL_SMS_H

#include <stdbool.h>
#include <stddef.h>

struct db_pool;

struct sms_config {
    const char *url;           /* http(s)://…; "" or NULL: SMS off */
    const char *auth_header;   /* the Authorization value, e.g. "Bearer …"; may be "" */
    const char *body_template; /* e.g. "to={number}&message={text}&format=json" */
    const char *content_type;  /* e.g. "application/x-www-form-urlencoded" */
    unsigned max_attempts;     /* 0: 10 */
    unsigned retry_s;          /* the first retry's wait; doubles, at most 1 h; 0: 30 */
};

/* Renders the request body: template with {number} and {text} replaced.
 * Malloc'd, NULL on OOM. */
char *sms_render_body(const char *tpl, const char *content_type, const char *number,
                      const char *text);
/* Posts one SMS: 0 on a 2xx answer, else OBR_EIO with a reason in err that
 * names neither the number nor the authorization. Blocks up to 30 s. */
int sms_gateway_send(const struct sms_config *cfg, const char *number, const char *text, char *err,
                     size_t err_size);

/* True once sms_start ran with a URL: handlers queue SMS only then. */
bool sms_is_enabled(void);
/* Starts the worker (cfg is copied); with no URL it does nothing and
 * returns 0. OBR_EINVAL for a URL that is not http(s), OBR_EIO, OBR_ENOMEM. */
int sms_start(struct db_pool *pool, const struct sms_config *cfg);
/* Wakes the worker (after a commit that queued SMS). Any thread. */
void sms_nudge(void);
void sms_stop(void);

#endif
