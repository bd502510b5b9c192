/* interp_files.h — attachments of interpellations in the store
 * (interp_files_repo.c, migration 0025): the member's filing and the office's
 * answer each carry files named by SHA-256 like meeting documents (the bytes:
 * DATA/files/<sha256>, on PostgreSQL also store/files.h). */
#ifndef OBR_STORE_INTERP_FILES_H
#define OBR_STORE_INTERP_FILES_H

#include <jansson.h>
#include <stdint.h>

#include "store/directory.h"
#include "store/documents.h"

struct db;

#define INTERP_FILES_MAX 20 /* per part of one interpellation */

struct interp_file {
    char id[ID_SIZE];
    char interp_id[ID_SIZE];
    char part[8]; /* filing | answer */
    char filename[NAME_SIZE];
    char content_type[DOC_TYPE_SIZE];
    int64_t size_bytes;
    char sha256[DOC_SHA256_HEX + 1];
    int64_t added_ms;
    char added_by[ID_SIZE];
};

/* Inserts f (fills id and added_ms). */
int interp_files_add(struct db *db, struct interp_file *f);
/* OBR_ENOTFOUND or 0. */
int interp_files_get(struct db *db, const char *id, struct interp_file *out);
/* OBR_ENOTFOUND when gone already. */
int interp_files_remove(struct db *db, const char *id);
/* How many files the part of interp_id has, into *n. */
int interp_files_count(struct db *db, const char *interp_id, const char *part, int *n);
/* The attachments of the body's interpellations, oldest first, as an object
 * interp_id -> [{id, part, filename, content_type, size_bytes, added_at}];
 * NULL on error. */
json_t *interp_files_by_body_json(struct db *db, const char *body_id);

#endif
