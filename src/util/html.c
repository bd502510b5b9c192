/* html.c — see html.h. */
#include "util/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

void html_text(struct buf *b, const char *s)
{
    if (s)
        buf_put_html(b, s);
}

void html_textf(struct buf *b, const char *fmt, ...)
{
    struct buf tmp = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&tmp, fmt, ap);
    va_end(ap);
    if (buf_failed(&tmp))
        b->failed = true;
    else
        buf_put_html(b, buf_str(&tmp));
    buf_free(&tmp);
}

void html_el(struct buf *b, const char *tag, const char *attrs, const char *text)
{
    buf_printf(b, "<%s%s%s>", tag, attrs && *attrs ? " " : "", attrs ? attrs : "");
    html_text(b, text);
    buf_printf(b, "</%s>", tag);
}

static bool is_safe_href(const char *href)
{
    return href[0] == '/' || href[0] == '?' || href[0] == '#' ||
           !strncasecmp(href, "https://", 8) || !strncasecmp(href, "http://", 7);
}

void html_link(struct buf *b, const char *href, const char *attrs, const char *text)
{
    if (!href || !is_safe_href(href)) {
        html_text(b, text);
        return;
    }
    buf_puts(b, "<a href=\"");
    buf_put_html(b, href);
    buf_printf(b, "\"%s%s>", attrs && *attrs ? " " : "", attrs ? attrs : "");
    html_text(b, text);
    buf_puts(b, "</a>");
}

void html_url_part(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~')
            buf_putc(b, (char)c);
        else
            buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
}

void html_page_begin(struct buf *b, const struct html_page *p)
{
    bool is_en = p->lang && !strcmp(p->lang, "en");
    buf_printf(b,
               "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>",
               is_en ? "en" : "pl");
    html_text(b, p->title);
    buf_puts(b, "</title>\n");
    if (p->description) {
        buf_puts(b, "<meta name=\"description\" content=\"");
        html_text(b, p->description);
        buf_puts(b, "\">\n");
    }
    buf_puts(b, "<meta name=\"color-scheme\" content=\"light\">\n"
                "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n"
                "<link rel=\"stylesheet\" href=\"/css/base.css\">\n"
                "<link rel=\"stylesheet\" href=\"/css/components.css\">\n"
                "<link rel=\"stylesheet\" href=\"/css/public.css\">\n"
                "</head>\n<body>\n");
    html_link(b, "#main", "class=\"skip-link\"", is_en ? "Skip to content" : "Przejdź do treści");
    buf_puts(b, "\n<header class=\"site-header\">\n<div class=\"header-inner\">\n"
                "<div class=\"header-bar\">\n");
    buf_puts(b,
             "<a class=\"brand\" href=\"/public\"><span class=\"brand-name\">obrady</span></a>\n");
    buf_printf(b, "<nav class=\"public-nav\" aria-label=\"%s\">\n<ul role=\"list\">\n<li>",
               is_en ? "Public pages" : "Strony publiczne");
    html_link(b, "/public", NULL, is_en ? "Meetings" : "Posiedzenia");
    buf_puts(b, "</li>\n<li>");
    html_link(b, "/", NULL, is_en ? "Home page" : "Strona główna");
    buf_puts(b, "</li>\n<li>");
    /* The switch is written in the language it leads to. */
    html_link(b, p->alt_href, is_en ? "lang=\"pl\" hreflang=\"pl\"" : "lang=\"en\" hreflang=\"en\"",
              is_en ? "Polski" : "English");
    buf_puts(
        b, "</li>\n</ul>\n</nav>\n</div>\n</div>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
}

void html_page_end(struct buf *b, const struct html_page *p)
{
    bool is_en = p->lang && !strcmp(p->lang, "en");
    buf_puts(b, "</main>\n<footer class=\"site-footer\">\n<p>");
    html_text(b, is_en ? "obrady — remote and hybrid meetings and votes of collegial bodies. "
                         "Published under the duty to publish named vote lists (BIP)."
                       : "obrady — zdalne i hybrydowe posiedzenia oraz głosowania organów "
                         "kolegialnych. Publikacja imiennych wykazów głosowań (BIP).");
    buf_puts(b, "</p>\n</footer>\n</body>\n</html>\n");
}
