/* public_html_parts.c — the pieces every public page shares (see
 * public_html_impl.h). */
#include <stdio.h>
#include <string.h>

#include "report/bip.h"
#include "report/public_html.h"
#include "report/public_html_impl.h"
#include "util/buf.h"
#include "util/html.h"

bool ph_is_en(const char *lang)
{
    return lang && !strcmp(lang, "en");
}

const char *ph_str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

long long ph_num(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* {pl, en} object → the text in lang. */
const char *ph_texts(const json_t *o, const char *lang)
{
    const char *s = ph_str(o, ph_is_en(lang) ? "en" : "pl");
    return s ? s : "";
}

void ph_section_begin(struct buf *b, const char *id, const char *heading)
{
    buf_printf(b, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">", id, id);
    html_text(b, heading);
    buf_puts(b, "</h2>\n");
}

void ph_section_end(struct buf *b)
{
    buf_puts(b, "</section>\n");
}

/* "Nr I — Title" or just the title. */
void ph_meeting_name(struct buf *b, const json_t *m)
{
    const char *number = ph_str(m, "number");
    if (number && *number)
        html_textf(b, "%s — %s", number, ph_str(m, "title") ? ph_str(m, "title") : "");
    else
        html_text(b, ph_str(m, "title"));
}

void ph_local_time(char *out, size_t size, const json_t *m, const char *key)
{
    bip_local_time(out, size, ph_str(m, key), ph_str(json_object_get(m, "org"), "time_zone"));
}

void ph_breadcrumbs(struct buf *b, const char *lang, const json_t *meeting, const char *last)
{
    buf_printf(b, "<nav class=\"breadcrumbs\" aria-label=\"%s\">\n<ol role=\"list\">\n<li>",
               T("Ścieżka", "Breadcrumbs"));
    html_link(b, "/public", NULL, T("Posiedzenia publiczne", "Public meetings"));
    buf_puts(b, "</li>\n");
    if (meeting) {
        struct buf href = BUF_INIT;
        buf_printf(&href, "/public/meetings/%s",
                   ph_str(meeting, "id") ? ph_str(meeting, "id") : "");
        buf_puts(b, "<li>");
        if (last) {
            struct buf name = BUF_INIT;
            ph_meeting_name(&name, meeting);
            /* meeting_name escaped already: write the anchor around it by hand. */
            buf_puts(b, "<a href=\"");
            html_text(b, buf_str(&href));
            buf_puts(b, "\">");
            buf_puts(b, buf_str(&name));
            buf_puts(b, "</a>");
            buf_free(&name);
        } else {
            buf_puts(b, "<span aria-current=\"page\">");
            ph_meeting_name(b, meeting);
            buf_puts(b, "</span>");
        }
        buf_puts(b, "</li>\n");
        buf_free(&href);
    }
    if (last) {
        buf_puts(b, "<li><span aria-current=\"page\">");
        html_text(b, last);
        buf_puts(b, "</span></li>\n");
    }
    buf_puts(b, "</ol>\n</nav>\n");
}
