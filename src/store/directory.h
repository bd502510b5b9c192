/* directory.h — users, organisations, staff, bodies and members in the store.
 * Handlers call these; the SQL stays in users_repo.c, orgs_repo.c and
 * members_repo.c. Lists come back as JSON ready for the API (caller
 * json_decrefs); single records as structs. Text sizes: names ≤ 200
 * characters (≤ 800 bytes), e-mail ≤ 254 bytes. */
#ifndef OBR_DIRECTORY_H
#define OBR_DIRECTORY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/ids.h"

struct db;

#define NAME_SIZE 801
#define EMAIL_SIZE 255

struct user {
    char id[ID_SIZE];
    char email[EMAIL_SIZE];
    char name[NAME_SIZE];
    char lang[3];
    bool is_instance_admin;
    bool is_totp_enabled;
    char totp_secret[40]; /* base32; "" when none */
    int64_t totp_last_step;
};

int users_get(struct db *db, const char *id, struct user *out);
int users_get_by_email(struct db *db, const char *email, struct user *out);
/* Creates a user; OBR_EEXISTS when the e-mail is taken. */
int users_create(struct db *db, const char *email, const char *name, const char *lang,
                 bool is_instance_admin, struct user *out);
/* Returns the user with this e-mail, creating it with name when absent. */
int users_ensure(struct db *db, const char *email, const char *name, const char *lang,
                 struct user *out);
int users_update_profile(struct db *db, const char *id, const char *name, const char *lang);
int users_set_instance_admin(struct db *db, const char *id, bool is_admin);
/* Sets the secret and whether it is enabled; the replay guard (last used
 * step) is left alone: enabling must not make the enabling code usable again. */
int users_set_totp(struct db *db, const char *id, const char *secret, bool is_enabled);
int users_set_totp_last_step(struct db *db, const char *id, int64_t step);
int64_t users_count(struct db *db);
/* The instance administrators, [{email, name, lang}] (a new array), NULL on error. */
json_t *users_instance_admins_json(struct db *db);

struct org {
    char id[ID_SIZE];
    char name[NAME_SIZE];
    char time_zone[64];
    char default_lang[3];
    char email_domains[1024]; /* JSON array text */
    int retention_days;
    int retention_months; /* closed meetings are archived after this many months */
};

int orgs_create(struct db *db, struct org *o); /* fills o->id */
int orgs_get(struct db *db, const char *id, struct org *out);
int orgs_update(struct db *db, const struct org *o);
/* All organisations (instance admin) or those where user_id is staff or a member. */
json_t *orgs_list_json(struct db *db, const char *user_id, bool is_all);
json_t *org_to_json(const struct org *o);

enum staff_role { STAFF_NONE = 0, STAFF_OPERATOR = 1, STAFF_ADMIN = 2 };
int staff_set(struct db *db, const char *org_id, const char *user_id, enum staff_role role);
/* The same; shown_name (NULL/"" = the account's) is kept from the first add. */
int staff_set_named(struct db *db, const char *org_id, const char *user_id,
                    enum staff_role role, const char *shown_name);
/* #18: the name an office of org_id may see for account u that it adds as
 * typed: "" when u is already tied to org_id (member or staff) or its stored
 * name is the typed one, else the typed name — never the account's. */
void org_shown_name(struct db *db, const char *org_id, const struct user *u, const char *typed,
                    char *out, size_t size);
int staff_remove(struct db *db, const char *org_id, const char *user_id);
enum staff_role staff_role_of(struct db *db, const char *org_id, const char *user_id);
json_t *staff_list_json(struct db *db, const char *org_id);
/* The organisations where user_id is staff, with the role. */
json_t *staff_of_user_json(struct db *db, const char *user_id);

struct body {
    char id[ID_SIZE];
    char org_id[ID_SIZE];
    char name[NAME_SIZE];
    char kind[32];
    int statutory_size;
    char quorum_rule[32];
    int vote_duration_s;
    bool confirm_results; /* the scrutiny committee confirms before results are announced */
    char help_phone[41]; /* the office's number during sessions; "" = none */
    int attendance_min_s; /* shortest attendance check without an override (10..3600) */
    int audio_kbps;       /* the console's default audio bitrate (16..64) */
    bool uses_weights;    /* members have weights (shares); results show both counts */
};

#define BODY_ATTENDANCE_MIN_DEFAULT_S 120 /* eSesja: the stream lags behind the room */
#define BODY_AUDIO_KBPS_DEFAULT 32

int bodies_create(struct db *db, struct body *b); /* fills b->id */
int bodies_get(struct db *db, const char *id, struct body *out);
int bodies_update(struct db *db, const struct body *b);
json_t *bodies_list_json(struct db *db, const char *org_id);
json_t *body_to_json(const struct body *b);

struct member {
    char id[ID_SIZE];
    char body_id[ID_SIZE];
    char user_id[ID_SIZE];
    char email[EMAIL_SIZE];
    char name[NAME_SIZE];
    char role[16];        /* chair | vice_chair | member | secretary */
    char groups[1024];    /* JSON array text */
    bool is_external;
    char active_from[11]; /* YYYY-MM-DD or "" */
    char active_to[11];
    char shown_name[NAME_SIZE]; /* on add: the name this office typed for an account with no
                                   tie to its organisation ("" = the account's own) */
    int64_t weight_micro;       /* the member's weight in millionths (core/vote_weights.h);
                                   0 on add means the default, 1 */
};

/* Adds user_id to the body; OBR_EEXISTS when already a member. */
int members_add(struct db *db, struct member *m); /* fills m->id */
int members_get(struct db *db, const char *id, struct member *out);
int members_get_by_user(struct db *db, const char *body_id, const char *user_id,
                        struct member *out);
int members_update(struct db *db, const struct member *m);
int members_remove(struct db *db, const char *id);
bool members_has_email(struct db *db, const char *body_id, const char *email);
json_t *members_list_json(struct db *db, const char *body_id);
json_t *member_to_json(const struct member *m);
/* The bodies user_id belongs to, with the organisation's name and the role. */
json_t *members_bodies_of_user_json(struct db *db, const char *user_id);

#endif
