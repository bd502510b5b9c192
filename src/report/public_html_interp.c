/* public_html_interp.c — the public register of a body's interpellations and
 * questions as a server-rendered page (works without JavaScript): a search
 * form (GET ?q=), then each registered one with its number, kind, member,
 * day of receipt, day due, the text and the answer with the links to their
 * attachments, and the CSV/JSON links
 * for BIP. Input: the JSON of GET /api/public/bodies/{id}/interpellations. */
#include <stdio.h>
#include <string.h>

#include "report/public_html.h"
#include "report/public_html_impl.h"
#include "util/buf.h"
#include "util/html.h"

static void field_row(struct buf *b, const char *label, const char *value)
{
    if (!value || !*value)
        return;
    buf_puts(b, "<dt>");
    html_text(b, label);
    buf_puts(b, "</dt><dd>");
    html_text(b, value);
    buf_puts(b, "</dd>");
}

/* The attachments of one part ("filing" or "answer") as a list of links. */
static void files_list(struct buf *b, const json_t *x, const char *part, const char *lang)
{
    const json_t *files = json_object_get(x, "attachments");
    size_t i, n = 0;
    json_t *f;
    json_array_foreach (files, i, f)
        n += !strcmp(ph_str(f, "part") ? ph_str(f, "part") : "", part);
    if (!n)
        return;
    buf_puts(b, "<p>");
    html_text(b, !strcmp(part, "answer") ? T("Załączniki odpowiedzi:", "Attachments of the answer:")
                                         : T("Załączniki:", "Attachments:"));
    buf_puts(b, "</p>\n<ul class=\"link-list\" data-attachments=\"");
    buf_puts(b, part);
    buf_puts(b, "\">\n");
    json_array_foreach (files, i, f) {
        if (strcmp(ph_str(f, "part") ? ph_str(f, "part") : "", part) || !ph_str(f, "url"))
            continue;
        buf_puts(b, "<li>");
        html_link(b, ph_str(f, "url"), NULL, ph_str(f, "filename") ? ph_str(f, "filename") : "");
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void entry(struct buf *b, const json_t *x, const char *lang)
{
    bool is_q = !strcmp(ph_str(x, "kind") ? ph_str(x, "kind") : "", "question");
    buf_puts(b, "<li class=\"card\" data-interpellation>\n<h2>");
    html_text(b, ph_str(x, "number"));
    buf_puts(b, " — ");
    html_text(b, is_q ? T("Zapytanie", "Question") : T("Interpelacja", "Interpellation"));
    buf_puts(b, ": ");
    html_text(b, ph_str(x, "subject"));
    buf_puts(b, "</h2>\n<dl class=\"facts\">");
    field_row(b, T("Składający", "Filed by"), ph_str(json_object_get(x, "author"), "name"));
    field_row(b, T("Data wpływu", "Received"), ph_str(x, "received_on"));
    field_row(b, T("Termin odpowiedzi", "Answer due"), ph_str(x, "due_on"));
    field_row(b, T("Data odpowiedzi", "Answered"), ph_str(x, "answered_on"));
    buf_puts(b, "</dl>\n<details><summary>");
    html_text(b, T("Treść", "Text"));
    buf_puts(b, "</summary><p class=\"description\">");
    html_text(b, ph_str(x, "text"));
    buf_puts(b, "</p></details>\n");
    files_list(b, x, "filing", lang);
    if (ph_str(x, "answer")) {
        buf_puts(b, "<details><summary>");
        html_text(b, T("Odpowiedź", "Answer"));
        buf_puts(b, "</summary><p class=\"description\">");
        html_text(b, ph_str(x, "answer"));
        buf_puts(b, "</p></details>\n");
        files_list(b, x, "answer", lang);
    } else {
        buf_puts(b, "<p><span class=\"badge\">");
        html_text(b, T("bez odpowiedzi", "not answered yet"));
        buf_puts(b, "</span></p>\n");
        files_list(b, x, "answer", lang);
    }
    buf_puts(b, "</li>\n");
}

void public_html_interpellations(struct buf *b, const json_t *x, const char *q, const char *lang)
{
    const json_t *body = json_object_get(x, "body");
    const char *id = ph_str(body, "id") ? ph_str(body, "id") : "";
    struct buf title = BUF_INIT, alt = BUF_INIT, base = BUF_INIT;
    buf_printf(&title, "%s — %s", T("Interpelacje i zapytania", "Interpellations and questions"),
               ph_str(body, "name") ? ph_str(body, "name") : "");
    buf_printf(&base, "/api/public/bodies/%s/interpellations", id);
    buf_puts(&alt, ph_is_en(lang) ? "?lang=pl" : "?lang=en");
    if (q && *q) {
        buf_puts(&alt, "&q=");
        html_url_part(&alt, q);
    }
    const struct html_page page = {
        .lang = lang, .title = buf_str(&title), .alt_href = buf_str(&alt), .description = NULL};
    html_page_begin(b, &page);
    buf_puts(b, "<h1>");
    html_text(b, buf_str(&title));
    buf_puts(b, "</h1>\n<p>");
    html_text(b, T("Rejestr interpelacji i zapytań radnych do burmistrza (art. 24 ustawy o "
                   "samorządzie gminnym). Odpowiedź należy się w ciągu 14 dni od wpływu.",
                   "The register of members' interpellations and questions to the mayor (art. "
                   "24 of the municipal act). The answer is due within 14 days of receipt."));
    buf_puts(b, "</p>\n<form class=\"form\" method=\"get\" role=\"search\">\n");
    if (ph_is_en(lang))
        buf_puts(b, "<input type=\"hidden\" name=\"lang\" value=\"en\">\n");
    buf_puts(b, "<div class=\"field\"><label class=\"field-label\" for=\"q\">");
    html_text(
        b, T("Szukaj (numer, przedmiot, treść, radny)", "Search (number, subject, text, member)"));
    buf_puts(b, "</label><input type=\"search\" id=\"q\" name=\"q\" maxlength=\"200\" value=\"");
    html_text(b, q ? q : "");
    buf_puts(b, "\"></div>\n<div class=\"actions\"><button type=\"submit\" class=\"btn\">");
    html_text(b, T("Szukaj", "Search"));
    buf_puts(b, "</button></div>\n</form>\n");
    const json_t *list = json_object_get(x, "interpellations");
    buf_puts(b, "<p role=\"status\">");
    html_textf(b, T("Pozycji: %zu", "Entries: %zu"), json_array_size(list));
    buf_puts(b, "</p>\n");
    if (json_array_size(list)) {
        buf_puts(b, "<ul class=\"cards\" role=\"list\">\n");
        size_t i;
        json_t *e;
        json_array_foreach (list, i, e)
            entry(b, e, lang);
        buf_puts(b, "</ul>\n");
    }
    ph_section_begin(b, "downloads-heading", T("Do pobrania", "Downloads"));
    buf_puts(b, "<ul class=\"link-list downloads\" role=\"list\">\n<li>");
    struct buf csv = BUF_INIT;
    buf_printf(&csv, "%s.csv%s", buf_str(&base), ph_is_en(lang) ? "?lang=en" : "");
    html_link(b, buf_str(&csv), "type=\"text/csv\"", T("Rejestr (CSV)", "The register (CSV)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, buf_str(&base), "type=\"application/json\"",
              T("Rejestr (JSON)", "The register (JSON)"));
    buf_puts(b, "</li>\n</ul>\n");
    ph_section_end(b);
    html_page_end(b, &page);
    if (buf_failed(&title) || buf_failed(&alt) || buf_failed(&base) || buf_failed(&csv))
        b->failed = true;
    buf_free(&csv);
    buf_free(&title);
    buf_free(&alt);
    buf_free(&base);
}
