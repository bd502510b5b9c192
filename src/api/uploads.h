/* uploads.h — a file sent as the raw request body (uploads.c), shared by
 * meeting documents (documents.c) and interpellation attachments
 * (interp_files.c): a body sink streams it to DATA/files/tmp while hashing
 * it, upload_finish decides its type from its content and places it as
 * DATA/files/<sha256> (on PostgreSQL also in the store, store/files.h),
 * upload_serve sends such a file back. */
#ifndef OBR_API_UPLOADS_H
#define OBR_API_UPLOADS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/req.h"
#include "store/documents.h"

struct upload_file {
    char filename[NAME_SIZE];
    char content_type[DOC_TYPE_SIZE]; /* the sniffed type, as served */
    int64_t size_bytes;
    char sha256[DOC_SHA256_HEX + 1];
};

/* Whether the sender may upload here, checked before a byte is stored (the
 * handler checks again and gives the reason). */
typedef bool (*upload_allowed_fn)(struct req *rq);

/* The body sink of an upload route: the first call asks is_allowed; when
 * refused, the bytes are drained. */
int upload_sink(struct req *rq, const char *data, size_t len, upload_allowed_fn is_allowed);
/* After the handler's own checks: the X-Filename name, the sink's errors, an
 * empty body, the type; then hashes and places the file into f. Replies
 * (400/413/415/422/507...) and returns -1 on failure. */
int upload_finish(struct req *rq, struct upload_file *f);
/* Sends the stored file f (Content-Disposition: attachment; Cache-Control as
 * given); owner names the row for diagnostics. */
void upload_serve(struct req *rq, const struct upload_file *f, const char *owner,
                  const char *cache_control);

#endif
