/* upload_check.h — what an uploaded file may be (upload_check.c): the type
 * from its content, the name's extension and the declared type together;
 * safe names; the download's Content-Disposition. Used by uploads.c. */
#ifndef OBR_API_UPLOAD_CHECK_H
#define OBR_API_UPLOAD_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#define UPLOAD_NAME_MAX_CHARS 200
#define UPLOAD_HEAD_BYTES 4096 /* enough of the start of a file to decide its type */

/* Streaming check that a file is UTF-8 text: well-formed UTF-8 without
 * control characters other than tab, newline, form feed and carriage return
 * (binaries — an ELF, a renamed .exe — fail on their first NUL). */
struct text_check {
    bool is_text;
    int need;             /* continuation bytes still expected */
    unsigned char lo, hi; /* bounds of the next continuation byte */
};
void upload_text_feed(struct text_check *t, const unsigned char *p, size_t n);

/* The stored type of a file whose first n bytes are head, or NULL when the
 * content, filename's extension and declared Content-Type (may be NULL) do not
 * agree on an accepted type; then *bad_field names "file", "filename" or
 * "content_type". */
const char *upload_type_of(const unsigned char *head, size_t n, bool is_text, const char *filename,
                           const char *declared, const char **bad_field);
/* Decodes the percent-encoded X-Filename into out: false when malformed or
 * not a safe name (UTF-8 text of 1..200 characters, no path separator, no
 * control or bidirectional-override character, no leading dot). */
bool upload_name_decode(const char *header, char *out, size_t size);
/* Content-Disposition: attachment for name (RFC 6266 and 5987). */
void upload_content_disposition(const char *name, char *out, size_t size);

#endif
