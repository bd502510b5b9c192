/* transport_smtp.c — the production transport: one SMTP(S) conversation per
 * message through libcurl's easy interface, on the outbox worker. The
 * envelope sender is the bare address of cfg->from; libcurl dot-stuffs the
 * message. Error texts name the curl failure and the server's reply code,
 * never the server's reply text (it may quote the recipient) nor the URL
 * (it may carry credentials). */
#include "mail/mail.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "util/err.h"

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int mail_global_init(void)
{
    pthread_once(&global_once, global_init);
    if (global_rc != CURLE_OK) {
        diag(DIAG_ERROR, "mail: curl_global_init failed: %s", curl_easy_strerror(global_rc));
        return OBR_EIO;
    }
    return 0;
}

struct reader {
    const char *p;
    size_t left;
};

static size_t read_cb(char *out, size_t size, size_t nmemb, void *arg)
{
    struct reader *r = arg;
    size_t n = size * nmemb;
    if (n > r->left)
        n = r->left;
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

static bool is_smtp_url(const char *url)
{
    return url && (strncmp(url, "smtp://", 7) == 0 || strncmp(url, "smtps://", 8) == 0);
}

int mail_transport_smtp_send(const struct mail_config *cfg, const char *to_addr, const void *msg,
                             size_t len, char *err, size_t err_size)
{
    char from[256], rcpt[260], envelope_from[260];
    if (!is_smtp_url(cfg->smtp_url) || mail_address_of(cfg->from, from, sizeof from) != 0) {
        snprintf(err, err_size, "smtp: bad smtp_url or from in the configuration");
        return OBR_EINVAL;
    }
    if (mail_address_of(to_addr, rcpt + 1, sizeof rcpt - 2) != 0) {
        snprintf(err, err_size, "smtp: bad recipient address");
        return OBR_EINVAL;
    }
    rcpt[0] = '<';
    strcat(rcpt, ">");
    snprintf(envelope_from, sizeof envelope_from, "<%s>", from);
    if (mail_global_init() != 0) {
        snprintf(err, err_size, "smtp: libcurl did not initialise");
        return OBR_EIO;
    }

    CURL *c = curl_easy_init();
    struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
    if (!c || !rcpts) {
        curl_easy_cleanup(c);
        curl_slist_free_all(rcpts);
        snprintf(err, err_size, "smtp: out of memory");
        return OBR_ENOMEM;
    }
    struct reader r = {msg, len};
    curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, envelope_from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &r);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
    /* smtps:// is TLS from the start; for smtp:// STARTTLS is demanded or tried */
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     (long)(cfg->smtp_require_starttls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (cfg->smtp_user && cfg->smtp_user[0]) {
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password ? cfg->smtp_password : "");
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L); /* we run on a worker thread */

    CURLcode rc = curl_easy_perform(c);
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    curl_easy_cleanup(c);
    curl_slist_free_all(rcpts);
    if (rc == CURLE_OK)
        return 0;
    if (reply > 0)
        snprintf(err, err_size, "smtp %ld: %s", reply, curl_easy_strerror(rc));
    else
        snprintf(err, err_size, "smtp: %s", curl_easy_strerror(rc));
    return OBR_EIO;
}
