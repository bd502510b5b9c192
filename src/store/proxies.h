/* proxies.h — proxies (pełnomocnictwa) in the store (proxies_repo.c,
 * migration 0024): member holder_id votes for member grantor_id in a body,
 * for one meeting or a range of days, with the authorisation document named
 * by its SHA-256 like a meeting's documents (store/files.h). Ballots a
 * holder cast are rows of ballots under the grantor's id; proxy_ballots says
 * who cast them. The rules (no chains, no overlaps) are in api/proxies.c. */
#ifndef OBR_STORE_PROXIES_H
#define OBR_STORE_PROXIES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/directory.h"
#include "store/documents.h"

struct db;

#define PROXY_DAY_SIZE 11 /* YYYY-MM-DD */
#define PROXIES_MAX 1000  /* active proxies of one body read at once */

struct proxy {
    char id[ID_SIZE];
    char body_id[ID_SIZE];
    char grantor_id[ID_SIZE];
    char holder_id[ID_SIZE];
    char meeting_id[ID_SIZE]; /* "" for a range of days */
    char valid_from[PROXY_DAY_SIZE], valid_until[PROXY_DAY_SIZE];
    char filename[NAME_SIZE];
    char content_type[DOC_TYPE_SIZE];
    char sha256[DOC_SHA256_HEX + 1];
    int64_t size_bytes;
    char created_by[ID_SIZE];
    char created_by_name[NAME_SIZE];
    int64_t created_ms;
    char revoked_by_name[NAME_SIZE]; /* "" while in force */
    int64_t revoked_ms;              /* 0 while in force */
};

/* Inserts p; fills p->id. */
int proxies_add(struct db *db, struct proxy *p);
/* OBR_ENOTFOUND when unknown. */
int proxies_get(struct db *db, const char *id, struct proxy *out);
/* Marks p revoked now by (by, by_name); OBR_ENOTFOUND when unknown or
 * already revoked. */
int proxies_revoke(struct db *db, const char *id, const char *by, const char *by_name,
                   int64_t at_ms);
/* The body's proxies not revoked (at most PROXIES_MAX) into a new array
 * *out (caller frees) of *n. */
int proxies_active(struct db *db, const char *body_id, struct proxy **out, size_t *n);
/* Every proxy of the body, newest first, revoked ones too, as JSON rows
 * with the members' names (grantor_name, holder_name). Caller json_decrefs. */
json_t *proxies_list_json(struct db *db, const char *body_id);
/* {id, body_id, grantor_id, holder_id, meeting_id|null, valid_from,
 * valid_until, document {filename, content_type, size_bytes},
 * created_by_name, created_at, revoked_at|null, revoked_by_name|null}. */
json_t *proxy_to_json(const struct proxy *p);

/* Records that ballot_id of vote_id (user_id's) was cast by the holder. */
int proxy_ballots_add(struct db *db, const char *vote_id, const char *ballot_id,
                      const char *user_id, const char *cast_by, const char *cast_by_name,
                      const char *proxy_id, int64_t cast_ms);
/* {grantor user id: {cast_by, cast_by_name}} for the counted ballots of
 * vote_id that a proxy holder cast. Caller json_decrefs; NULL on error. */
json_t *proxy_ballots_counted_json(struct db *db, const char *vote_id);

#endif
