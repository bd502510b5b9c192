/* documents.h — the documents of a meeting over HTTP (documents.c): upload as
 * a raw body streamed to disk by a body sink, download with
 * Content-Disposition, soft removal. */
#ifndef OBR_API_DOCUMENTS_H
#define OBR_API_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "store/documents.h"

#define DOC_MAX_BYTES (20u * 1024 * 1024)

/* The body sink of POST /api/meetings/{id}/documents (route body_max
 * DOC_MAX_BYTES): streams the file to DATA/files/tmp while hashing it. */
int api_document_sink(struct req *rq, const char *data, size_t len);
/* POST /api/meetings/{id}/documents?item={item}&draft_resolution=1 */
void api_documents_upload(struct req *rq);
/* GET /api/documents/{id} */
void api_document_get(struct req *rq);
/* DELETE /api/meetings/{id}/documents/{doc} */
void api_document_remove(struct req *rq);

/* ---- the same upload for other files (a proxy's authorisation) ---- */

struct upload_file {
    char filename[NAME_SIZE];
    char content_type[DOC_TYPE_SIZE];
    char sha256[DOC_SHA256_HEX + 1];
    int64_t size_bytes;
};
/* A body sink as api_document_sink, asking is_allowed(rq) before a byte is
 * kept (the handler checks again and gives the reason). */
int api_upload_sink(struct req *rq, const char *data, size_t len, bool (*is_allowed)(struct req *rq));
/* In the handler: the upload's name (X-Filename), type (from its content)
 * and hash, the bytes placed as DATA/files/<sha256> (and in the store on
 * PostgreSQL); replies with the refusal and returns -1 when it is not one. */
int api_upload_take(struct req *rq, struct upload_file *out);
/* Replies with the stored file sha256 as an attachment named filename;
 * what names it in the log when it cannot be read. */
void api_send_file(struct req *rq, const char *sha256, const char *filename,
                   const char *content_type, const char *what);

#endif
