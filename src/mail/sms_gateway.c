/* sms_gateway.c — one SMS as one HTTP POST to the configured gateway (see
 * sms.h): the body template filled in, the Authorization header attached;
 * neither the header nor the number ever reaches the log or an error text. */
#include "mail/sms.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

static void put_escaped(struct buf *b, const char *s, bool is_json)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char one[8];
        if (is_json) {
            if (*p == '"' || *p == '\\')
                snprintf(one, sizeof one, "\\%c", *p);
            else if (*p < 0x20)
                snprintf(one, sizeof one, "\\u%04x", *p);
            else
                one[0] = (char)*p, one[1] = 0;
        } else if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                   (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
            one[0] = (char)*p, one[1] = 0;
        } else {
            one[0] = '%', one[1] = hex[*p >> 4], one[2] = hex[*p & 15], one[3] = 0;
        }
        buf_puts(b, one);
    }
}

char *sms_render_body(const char *tpl, const char *content_type, const char *number,
                      const char *text)
{
    bool is_json = content_type && strstr(content_type, "json");
    struct buf b = BUF_INIT;
    for (const char *p = tpl; *p;) {
        if (!strncmp(p, "{number}", 8)) {
            put_escaped(&b, number, is_json);
            p += 8;
        } else if (!strncmp(p, "{text}", 6)) {
            put_escaped(&b, text, is_json);
            p += 6;
        } else {
            buf_putc(&b, *p);
            p++;
        }
    }
    char *out = buf_failed(&b) ? NULL : strdup(buf_str(&b));
    buf_free(&b);
    return out;
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p, (void)ctx;
    return size * n;
}

int sms_gateway_send(const struct sms_config *cfg, const char *number, const char *text, char *err,
                     size_t err_size)
{
    char *body = sms_render_body(cfg->body_template, cfg->content_type, number, text);
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char line[600];
    snprintf(line, sizeof line, "Content-Type: %s", cfg->content_type);
    h = curl_slist_append(h, line);
    if (h && cfg->auth_header && cfg->auth_header[0]) {
        snprintf(line, sizeof line, "Authorization: %s", cfg->auth_header);
        struct curl_slist *h2 = curl_slist_append(h, line);
        h = h2 ? h2 : (curl_slist_free_all(h), NULL);
    }
    explicit_bzero(line, sizeof line);
    if (!body || !c || !h) {
        free(body);
        curl_easy_cleanup(c);
        curl_slist_free_all(h);
        snprintf(err, err_size, "sms: out of memory");
        return OBR_ENOMEM;
    }
    curl_easy_setopt(c, CURLOPT_URL, cfg->url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    /* The list holds the authorization: wipe it before it is freed. */
    for (struct curl_slist *p = h; p; p = p->next)
        explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(h);
    free(body);
    if (rc != CURLE_OK) {
        snprintf(err, err_size, "sms gateway: %s", curl_easy_strerror(rc));
        return OBR_EIO;
    }
    if (status < 200 || status > 299) {
        snprintf(err, err_size, "sms gateway: HTTP %ld", status);
        return OBR_EIO;
    }
    return 0;
}
