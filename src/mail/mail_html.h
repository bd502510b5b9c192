/* mail_html.h — the HTML frame every message of obrady shares: inline styles
 * only (mail clients drop style sheets), one narrow readable column. */
#ifndef OBR_MAIL_HTML_H
#define OBR_MAIL_HTML_H

#include <stdbool.h>

struct buf;

/* Opens the document: doctype, lang, body and the content column. */
void mail_html_head(struct buf *h, bool english);

#endif
