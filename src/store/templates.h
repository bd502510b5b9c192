/* templates.h — a body's meeting templates in the store (templates_repo.c,
 * migration 0015): a named standard agenda and the settings a new meeting
 * starts with. The API (api/templates.c) validates; this only stores. */
#ifndef OBR_STORE_TEMPLATES_H
#define OBR_STORE_TEMPLATES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/directory.h"

struct db;

struct meeting_template {
    char id[ID_SIZE];
    char body_id[ID_SIZE];
    char name[NAME_SIZE];
    json_t *agenda; /* [{title, description}] (owned) */
    char mode[16];
    char place[NAME_SIZE];
    bool is_public;
    int reminder_days;
    char broadcast_url[501];
    int64_t created_ms;
};

/* Drops what t owns. */
void template_clear(struct meeting_template *t);
/* Inserts t (fills id and created_ms); OBR_EEXISTS when the body has a
 * template of that name. */
int templates_create(struct db *db, struct meeting_template *t);
/* OBR_ENOTFOUND or 0; out must be template_clear'ed. */
int templates_get(struct db *db, const char *id, struct meeting_template *out);
/* OBR_ENOTFOUND when there is no such template. */
int templates_remove(struct db *db, const char *id);
/* The body's templates by name, each as template_to_json; NULL on error. */
json_t *templates_list_json(struct db *db, const char *body_id);
/* {id, body_id, name, agenda, mode, place, is_public, reminder_days, broadcast_url, created_at}. */
json_t *template_to_json(const struct meeting_template *t);

#endif
