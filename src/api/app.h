/* app.h — what the API handlers share: configuration and long-lived services,
 * reached from a request with req_app(rq). main.c builds one at start. */
#ifndef OBR_API_APP_H
#define OBR_API_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "crypto/tokens.h"
#include "http/req.h"
#include "mail/mail.h"
#include "util/limits.h"

struct ratelimit;
struct pg_listen;

#define INSTANCE_LOG "instance" /* the log of the installation itself (/api/live) */

struct app {
    const char *data_dir;
    const char *archive_dir; /* archive bundles (api/archive.h) */
    const char *version;
    char public_url[256];  /* how mails link back to us, e.g. "https://obrady.example.pl" */
    unsigned char secret_key[TOKEN_KEY_BYTES]; /* keys the hashes of tokens and codes */
    unsigned char trustee_key[32]; /* seals server trustee secrets (crypto/seal.h) */
    unsigned char sign_sk[64];     /* signs secret-vote boards (ops/signing_key.h) */
    struct mail_config mail;
    bool is_code_echo;     /* mail goes to files: print sign-in codes on stdout */
    struct ratelimit *client_error_limit; /* per client address */
    struct ratelimit *code_per_ip;        /* sign-in code requests */
    struct ratelimit *code_per_email;
    struct ratelimit *session_per_ip;     /* sign-in attempts */
    struct limits limits;                 /* rates, link lifetimes, log budget */
    struct pg_listen *listen;             /* PostgreSQL: the LISTEN connection; else NULL */
};

/* Shared JSON shapes. Caller json_decrefs. */
struct user;
json_t *api_user_json(const struct user *u);

/* The route table of the whole API. */
extern const struct route api_routes[];
extern const size_t api_routes_count;

#endif
