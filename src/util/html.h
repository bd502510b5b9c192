/* html.h — a small writer for server-rendered HTML (public pages, BIP
 * exports) on top of struct buf. Text and attribute values always go through
 * buf_put_html; markup that the caller passes as a literal (tag names,
 * attribute names, class lists) is trusted and written as it is. Nothing here
 * emits inline scripts or styles: the CSP forbids both. */
#ifndef OBR_HTML_H
#define OBR_HTML_H

#include <stdbool.h>

struct buf;

/* Escaped text (element content or a quoted attribute value). NULL writes nothing. */
void html_text(struct buf *b, const char *s);
/* printf into a scratch buffer, then html_text the result. */
void html_textf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* <tag attrs>escaped text</tag>; attrs is trusted markup (may be NULL or ""). */
void html_el(struct buf *b, const char *tag, const char *attrs, const char *text);
/* <a href="escaped href" attrs>escaped text</a>. Only relative ("/...",
 * "?...", "#...") and http(s) URLs are written as links; anything else (a
 * "javascript:" URL) becomes plain text. */
void html_link(struct buf *b, const char *href, const char *attrs, const char *text);

/* The page frame shared by the public pages: doctype, <html lang>, head with
 * title and the style sheets, skip link, header with the brand and the
 * language switch (a link to alt_href, in the other language), then <main>.
 * lang is "pl" or "en". */
struct html_page {
    const char *lang;
    const char *title;       /* text of <title> */
    const char *alt_href;    /* the same page in the other language */
    const char *description; /* meta description, may be NULL */
};
void html_page_begin(struct buf *b, const struct html_page *p);
/* Closes <main>, writes the footer and closes the document. */
void html_page_end(struct buf *b, const struct html_page *p);

/* Appends s percent-encoded for a URL query value or path segment
 * (unreserved characters kept). */
void html_url_part(struct buf *b, const char *s);

#endif
