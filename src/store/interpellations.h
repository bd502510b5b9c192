/* interpellations.h — members' interpellations and questions in the store
 * (interpellations_repo.c, migration 0016). The API (api/interpellations.c)
 * checks who may do what and validates; dates are "YYYY-MM-DD" text. */
#ifndef OBR_STORE_INTERPELLATIONS_H
#define OBR_STORE_INTERPELLATIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/directory.h"

struct db;

#define INTERP_TEXT_SIZE                                                                           \
    20001 /* bytes of a text or answer, with its NUL (API: 10 000 characters) */

struct interpellation {
    char id[ID_SIZE];
    char body_id[ID_SIZE];
    char kind[16];   /* interpellation | question */
    char number[41]; /* "" until registered */
    char author_id[ID_SIZE];
    char author_name[NAME_SIZE];
    char subject[NAME_SIZE];
    char text[INTERP_TEXT_SIZE];
    int64_t filed_ms;
    char received_on[11], due_on[11]; /* "" until registered */
    char registered_by[NAME_SIZE];
    char answer[INTERP_TEXT_SIZE]; /* "" until answered */
    char answered_on[11];
    char answered_by[NAME_SIZE];
};

/* Inserts it as filed (fills id and filed_ms). */
int interp_create(struct db *db, struct interpellation *it);
/* OBR_ENOTFOUND or 0. */
int interp_get(struct db *db, const char *id, struct interpellation *out);
/* Registers a filed one: OBR_ECONFLICT when already registered,
 * OBR_EEXISTS when the body has that number. */
int interp_register(struct db *db, const char *id, const char *number, const char *received_on,
                    const char *due_on, const char *by);
/* Records the answer of a registered one (again: replaces it); OBR_ECONFLICT when not registered.
 */
int interp_answer(struct db *db, const char *id, const char *answer, const char *answered_on,
                  const char *by);
/* The body's interpellations, newest filed first, each as interp_to_json
 * (with today for "overdue"); only registered ones when is_registered_only.
 * NULL on error. */
json_t *interp_list_json(struct db *db, const char *body_id, bool is_registered_only,
                         const char *today);
/* {id, body_id, kind, number|null, author {id, name}, subject, text, filed_at,
 *  received_on|null, due_on|null, registered_by|null, answer|null,
 *  answered_on|null, answered_by|null, status: filed|registered|answered,
 *  is_overdue}: overdue when registered, unanswered and today > due_on. */
json_t *interp_to_json(const struct interpellation *it, const char *today);

#endif
