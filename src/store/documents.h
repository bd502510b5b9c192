/* documents.h — the documents of a meeting in the store (documents_repo.c).
 * A row names the file by its SHA-256: the bytes are DATA/files/<sha256>,
 * shared by every row with the same content (on PostgreSQL they are in the
 * store, store/files.h, and DATA/files is each node's cache). Removal is soft: the row stays
 * (the log refers to it) but is no longer listed or served. */
#ifndef OBR_STORE_DOCUMENTS_H
#define OBR_STORE_DOCUMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/directory.h"

struct db;

#define DOC_SHA256_HEX 64
#define DOC_TYPE_SIZE 128

struct document {
    char id[ID_SIZE];
    char meeting_id[ID_SIZE];
    char item_id[ID_SIZE]; /* "" when the document belongs to the meeting, not an item */
    char filename[NAME_SIZE];
    char content_type[DOC_TYPE_SIZE]; /* the sniffed type, as served */
    int64_t size_bytes;
    char sha256[DOC_SHA256_HEX + 1];
    bool is_draft_resolution;
};

/* Inserts d; fills d->id. */
int documents_add(struct db *db, struct document *d);
/* OBR_ENOTFOUND for an unknown or removed document. */
int documents_get(struct db *db, const char *id, struct document *out);
/* Soft removal; OBR_ENOTFOUND when unknown or already removed. */
int documents_remove(struct db *db, const char *id);
/* The meeting's documents not removed, oldest first, each as document_to_json.
 * Caller json_decrefs. */
json_t *documents_list_json(struct db *db, const char *meeting_id);
/* {id, meeting_id, item_id|null, filename, content_type, size_bytes, sha256,
 * is_draft_resolution}. Caller json_decrefs. */
json_t *document_to_json(const struct document *d);

#endif
