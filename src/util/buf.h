/* buf.h — the growable byte string used everywhere text is built.
 * A buf always keeps a NUL after its content, so p can be passed as a C
 * string. Allocation failure is sticky: once set, appends do nothing and
 * buf_failed() says so, letting callers check once at the end. */
#ifndef OBR_BUF_H
#define OBR_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *p;     /* content + NUL; NULL until the first append */
    size_t len;  /* bytes of content, excluding the NUL */
    size_t cap;  /* bytes allocated */
    bool failed; /* an allocation failed; content is truncated */
};

#define BUF_INIT {NULL, 0, 0, false}

/* Room for extra more bytes (and the NUL) at p + len; false once failed. */
bool buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends s with &<>"' replaced by entities, for HTML text and attributes. */
void buf_put_html(struct buf *b, const char *s);
void buf_reset(struct buf *b);
/* Hands the content to the caller (who frees it) and empties b. NULL if failed. */
char *buf_take(struct buf *b);
void buf_free(struct buf *b);
static inline bool buf_failed(const struct buf *b)
{
    return b->failed;
}
static inline const char *buf_str(const struct buf *b)
{
    return b->p ? b->p : "";
}

#endif
