/* config.c — settings from defaults, file, environment and flags (see config.h). */
#include "ops/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cidr.h"

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    snprintf(c->data_dir, sizeof c->data_dir, "./var");
    snprintf(c->web_dir, sizeof c->web_dir, "./web");
    snprintf(c->log_level, sizeof c->log_level, "info");
    snprintf(c->log_format, sizeof c->log_format, "text");
    snprintf(c->mail_transport, sizeof c->mail_transport, "file");
    snprintf(c->mail_from, sizeof c->mail_from, "obrady <no-reply@localhost>");
    c->smtp_starttls = true;
    limits_defaults(&c->limits);
    c->backup_time_min = 2 * 60 + 30;
    c->backup_keep = 10;
    c->hub_topic_kib = 256;
    c->hub_memory_mib = 64;
    c->meeting_cache_mib = 256; /* MEETING_CACHE_DEFAULT_MIB */
}

/* "HH:MM", 00:00 to 23:59. */
static int set_time_of_day(unsigned *dst, const char *v)
{
    if (strlen(v) != 5 || v[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (v[i] < '0' || v[i] > '9'))
            return -1;
    unsigned h = (unsigned)(v[0] - '0') * 10 + (unsigned)(v[1] - '0');
    unsigned m = (unsigned)(v[3] - '0') * 10 + (unsigned)(v[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    *dst = h * 60 + m;
    return 0;
}

static int set_text(char *dst, size_t size, const char *v)
{
    if (strlen(v) >= size)
        return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int set_uint(unsigned *dst, const char *v, unsigned max)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || end == v || *end || n > max || v[0] == '-')
        return -1;
    *dst = (unsigned)n;
    return 0;
}

/* 1..max; a refused value leaves *dst as it was. */
static int set_positive(unsigned *dst, const char *v, unsigned max)
{
    unsigned n;
    if (set_uint(&n, v, max) || !n)
        return -1;
    *dst = n;
    return 0;
}

int config_set(struct config *c, const char *key, const char *v)
{
    if (!strcmp(key, "listen"))
        return set_text(c->listen, sizeof c->listen, v);
    if (!strcmp(key, "data"))
        return set_text(c->data_dir, sizeof c->data_dir, v);
    if (!strcmp(key, "database")) {
        if (*v && strncmp(v, "postgresql://", 13) && strncmp(v, "postgres://", 11))
            return -1;
        return set_text(c->database, sizeof c->database, v);
    }
    if (!strcmp(key, "web_dir"))
        return set_text(c->web_dir, sizeof c->web_dir, v);
    if (!strcmp(key, "tls_cert"))
        return set_text(c->tls_cert, sizeof c->tls_cert, v);
    if (!strcmp(key, "tls_key"))
        return set_text(c->tls_key, sizeof c->tls_key, v);
    if (!strcmp(key, "public_origin"))
        return set_text(c->public_origin, sizeof c->public_origin, v);
    if (!strcmp(key, "log_level")) {
        if (strcmp(v, "debug") && strcmp(v, "info") && strcmp(v, "warn") && strcmp(v, "error"))
            return -1;
        return set_text(c->log_level, sizeof c->log_level, v);
    }
    if (!strcmp(key, "log_format")) {
        if (strcmp(v, "text") && strcmp(v, "json"))
            return -1;
        return set_text(c->log_format, sizeof c->log_format, v);
    }
    if (!strcmp(key, "trusted_proxies")) {
        struct cidr_list l;
        if (cidr_list_parse(v, &l))
            return -1;
        return set_text(c->trusted_proxies, sizeof c->trusted_proxies, v);
    }
    if (!strcmp(key, "mail_transport")) {
        if (strcmp(v, "file") && strcmp(v, "smtp"))
            return -1;
        return set_text(c->mail_transport, sizeof c->mail_transport, v);
    }
    if (!strcmp(key, "mail_from"))
        return set_text(c->mail_from, sizeof c->mail_from, v);
    if (!strcmp(key, "trustee_key_file"))
        return set_text(c->trustee_key_file, sizeof c->trustee_key_file, v);
    if (!strcmp(key, "smtp_url"))
        return set_text(c->smtp_url, sizeof c->smtp_url, v);
    if (!strcmp(key, "smtp_user"))
        return set_text(c->smtp_user, sizeof c->smtp_user, v);
    if (!strcmp(key, "smtp_password"))
        return set_text(c->smtp_password, sizeof c->smtp_password, v);
    if (!strcmp(key, "smtp_starttls")) {
        if (strcmp(v, "yes") && strcmp(v, "no"))
            return -1;
        c->smtp_starttls = !strcmp(v, "yes");
        return 0;
    }
    if (!strcmp(key, "sms_url")) {
        if (*v && strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
            return -1;
        return set_text(c->sms_url, sizeof c->sms_url, v);
    }
    if (!strcmp(key, "sms_authorization"))
        return set_text(c->sms_authorization, sizeof c->sms_authorization, v);
    if (!strcmp(key, "sms_body_template"))
        return set_text(c->sms_body_template, sizeof c->sms_body_template, v);
    if (!strcmp(key, "sms_content_type"))
        return set_text(c->sms_content_type, sizeof c->sms_content_type, v);
    if (!strcmp(key, "sms_max_attempts"))
        return set_uint(&c->sms_max_attempts, v, 100);
    if (!strcmp(key, "sms_retry_s"))
        return set_positive(&c->sms_retry_s, v, 3600);
    if (!strcmp(key, "backup_key_file"))
        return set_text(c->backup_key_file, sizeof c->backup_key_file, v);
    if (!strcmp(key, "backup_dir"))
        return set_text(c->backup_dir, sizeof c->backup_dir, v);
    if (!strcmp(key, "backup_time"))
        return set_time_of_day(&c->backup_time_min, v);
    if (!strcmp(key, "backup_keep"))
        return set_positive(&c->backup_keep, v, 1000);
    if (!strcmp(key, "backup_command"))
        return set_text(c->backup_command, sizeof c->backup_command, v);
    if (!strcmp(key, "archive_dir"))
        return set_text(c->archive_dir, sizeof c->archive_dir, v);
    if (!strcmp(key, "threads"))
        return set_uint(&c->threads, v, 256);
    if (!strcmp(key, "max_connections"))
        return set_uint(&c->max_connections, v, 1000000);
    if (!strcmp(key, "per_ip_connections"))
        return set_uint(&c->per_ip_connections, v, 1000000);
    if (!strcmp(key, "connection_memory_kib"))
        return set_uint(&c->connection_memory_kib, v, 1024);
    if (!strcmp(key, "idle_timeout_s"))
        return set_uint(&c->idle_timeout_s, v, 86400);
    if (!strcmp(key, "hub_topic_kib"))
        return set_positive(&c->hub_topic_kib, v, 1048576);
    if (!strcmp(key, "hub_memory_mib"))
        return set_positive(&c->hub_memory_mib, v, 65536);
    if (!strcmp(key, "meeting_cache_mib"))
        return set_positive(&c->meeting_cache_mib, v, 65536);
    int lrc = limits_set(&c->limits, key, v);
    return lrc == 1 ? -1 : lrc;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int config_load_file(struct config *c, const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int n = 0, rc = 0;
    while (fgets(line, sizeof line, f)) {
        n++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, err_size, "%s:%d: expected key = value", path, n);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        if (config_set(c, key, value)) {
            snprintf(err, err_size, "%s:%d: unknown key or bad value for '%s'", path, n, key);
            rc = -1;
            break;
        }
    }
    fclose(f);
    return rc;
}

void config_apply_env(struct config *c)
{
    const char *v;
    if ((v = getenv("OBRADY_LISTEN")) && *v)
        set_text(c->listen, sizeof c->listen, v);
    if ((v = getenv("OBRADY_DATA")) && *v)
        set_text(c->data_dir, sizeof c->data_dir, v);
    if ((v = getenv("OBRADY_DATABASE")) && *v)
        set_text(c->database, sizeof c->database, v);
    if ((v = getenv("OBRADY_LOG")) && *v)
        config_set(c, "log_level", v); /* an unknown level keeps the file's */
}

int config_split_listen(const char *listen, char *host, size_t host_size, unsigned *port)
{
    const char *colon;
    const char *h = listen;
    size_t hlen;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':')
            return -1;
        h = listen + 1;
        hlen = (size_t)(close - h);
        colon = close + 1;
    } else {
        colon = strrchr(listen, ':');
        if (!colon)
            return -1;
        hlen = (size_t)(colon - listen);
    }
    if (hlen == 0 || hlen >= host_size)
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    return set_uint(port, colon + 1, 65535);
}
