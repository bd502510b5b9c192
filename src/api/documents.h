/* documents.h — the documents of a meeting over HTTP (documents.c): upload as
 * a raw body streamed to disk by a body sink, download with
 * Content-Disposition, soft removal. */
#ifndef OBR_API_DOCUMENTS_H
#define OBR_API_DOCUMENTS_H

#include <stddef.h>

#include "http/req.h"

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

#endif
