/* config.h — the server's settings: built-in defaults, then the config file
 * (`key = value` lines, `#` comments), then environment variables
 * (OBRADY_LISTEN, OBRADY_DATA, OBRADY_DATABASE, OBRADY_LOG), then command-line flags. */
#ifndef OBR_CONFIG_H
#define OBR_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/limits.h"

#define CONFIG_PATH_MAX 512

struct config {
    char listen[128]; /* HOST:PORT, [v6]:PORT */
    char data_dir[CONFIG_PATH_MAX];
    char database[1024]; /* "" (SQLite in data_dir) or a postgresql:// URL */
    char web_dir[CONFIG_PATH_MAX];
    char tls_cert[CONFIG_PATH_MAX];
    char tls_key[CONFIG_PATH_MAX];
    char public_origin[256];
    char log_level[16];     /* debug | info | warn | error */
    char log_format[8];     /* text | json */
    char trusted_proxies[1024]; /* CIDR list whose X-Forwarded-* headers are believed */
    char mail_transport[8]; /* file | smtp */
    char mail_from[256];
    char smtp_url[256];
    char smtp_user[128];
    char smtp_password[256];
    char sms_url[512];             /* the SMS gateway; "" = SMS off (mail/sms.h) */
    char sms_authorization[512];   /* the Authorization header's value; never logged */
    char sms_body_template[1024];  /* {number} and {text} are replaced */
    char sms_content_type[128];
    unsigned sms_max_attempts, sms_retry_s;
    bool smtp_starttls;     /* smtp://: require STARTTLS */
    char trustee_key_file[CONFIG_PATH_MAX]; /* seals server trustee keys; "" derives one */
    /* Backups (ops/backup*.c, docs/operations.md). */
    char backup_key_file[CONFIG_PATH_MAX]; /* "" : no scheduled backups */
    char backup_dir[CONFIG_PATH_MAX];      /* "" : DATA/backups (better: another disk) */
    unsigned backup_time_min;              /* minutes after local midnight (02:30) */
    unsigned backup_keep;                  /* newest backups kept (10) */
    char backup_command[CONFIG_PATH_MAX];  /* run by /bin/sh after a backup; "" none */
    char archive_dir[CONFIG_PATH_MAX];     /* "" : DATA/archive (api/archive.h) */
    unsigned threads, max_connections, per_ip_connections, connection_memory_kib,
        idle_timeout_s;
    unsigned hub_topic_kib, hub_memory_mib; /* bounds of the live events kept (log/hub.h) */
    unsigned meeting_cache_mib; /* bound on the folded states kept (api/meeting_cache.h) */
    bool demo;
    struct limits limits; /* rates, link lifetimes, log budget (util/limits.h) */
    bool is_demo_bare; /* --demo-bare: the demo's people without its meetings */
};

void config_defaults(struct config *c);
/* Reads a config file; on failure writes "file:line: reason" into err. */
int config_load_file(struct config *c, const char *path, char *err, size_t err_size);
void config_apply_env(struct config *c);
/* Sets one key; -1 for an unknown key or bad value. */
int config_set(struct config *c, const char *key, const char *value);
/* Splits "host:port" or "[v6]:port". */
int config_split_listen(const char *listen, char *host, size_t host_size, unsigned *port);

#endif
