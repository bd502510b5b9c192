/* public_html.c — see public_html.h. Pages follow one outline: breadcrumbs,
 * one h1, then h2 sections each labelled by its heading; tables have a
 * caption and header cells; links to files say what they are. */
#include "report/public_html.h"

#include <stdio.h>
#include <string.h>

#include "report/bip.h"
#include "util/buf.h"
#include "util/html.h"

static bool is_en(const char *lang)
{
    return lang && !strcmp(lang, "en");
}

/* The text in the page's language. */
#define T(pl, en) (is_en(lang) ? (en) : (pl))

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static long long num(const json_t *o, const char *key)
{
    return (long long)json_integer_value(json_object_get(o, key));
}

/* {pl, en} object → the text in lang. */
static const char *texts(const json_t *o, const char *lang)
{
    const char *s = str(o, is_en(lang) ? "en" : "pl");
    return s ? s : "";
}

static void section_begin(struct buf *b, const char *id, const char *heading)
{
    buf_printf(b, "<section aria-labelledby=\"%s\">\n<h2 id=\"%s\">", id, id);
    html_text(b, heading);
    buf_puts(b, "</h2>\n");
}

static void section_end(struct buf *b)
{
    buf_puts(b, "</section>\n");
}

/* "Nr I — Title" or just the title. */
static void meeting_name(struct buf *b, const json_t *m)
{
    const char *number = str(m, "number");
    if (number && *number)
        html_textf(b, "%s — %s", number, str(m, "title") ? str(m, "title") : "");
    else
        html_text(b, str(m, "title"));
}

static void local_time(char *out, size_t size, const json_t *m, const char *key)
{
    bip_local_time(out, size, str(m, key), str(json_object_get(m, "org"), "time_zone"));
}

static void breadcrumbs(struct buf *b, const char *lang, const json_t *meeting,
                        const char *last)
{
    buf_printf(b, "<nav class=\"breadcrumbs\" aria-label=\"%s\">\n<ol role=\"list\">\n<li>",
               T("Ścieżka", "Breadcrumbs"));
    html_link(b, "/public", NULL, T("Posiedzenia publiczne", "Public meetings"));
    buf_puts(b, "</li>\n");
    if (meeting) {
        struct buf href = BUF_INIT;
        buf_printf(&href, "/public/meetings/%s", str(meeting, "id") ? str(meeting, "id") : "");
        buf_puts(b, "<li>");
        if (last) {
            struct buf name = BUF_INIT;
            meeting_name(&name, meeting);
            /* meeting_name escaped already: write the anchor around it by hand. */
            buf_puts(b, "<a href=\"");
            html_text(b, buf_str(&href));
            buf_puts(b, "\">");
            buf_puts(b, buf_str(&name));
            buf_puts(b, "</a>");
            buf_free(&name);
        } else {
            buf_puts(b, "<span aria-current=\"page\">");
            meeting_name(b, meeting);
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

/* ---- home ---- */

static void meeting_cards(struct buf *b, const json_t *list, const char *lang, const char *none)
{
    if (!json_array_size(list)) {
        buf_puts(b, "<p>");
        html_text(b, none);
        buf_puts(b, "</p>\n");
        return;
    }
    buf_puts(b, "<ul class=\"cards public-meetings\" role=\"list\">\n");
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        char when[40], href[80];
        bip_local_time(when, sizeof when, str(m, "starts_at"), NULL);
        snprintf(href, sizeof href, "/public/meetings/%s", str(m, "id") ? str(m, "id") : "");
        buf_puts(b, "<li class=\"card\">\n<h3><a href=\"");
        html_text(b, href);
        buf_puts(b, "\">");
        meeting_name(b, m);
        buf_puts(b, "</a></h3>\n<p>");
        html_text(b, str(m, "body_name"));
        buf_puts(b, "<br>");
        html_text(b, str(m, "org_name"));
        buf_puts(b, "</p>\n<p><time datetime=\"");
        html_text(b, str(m, "starts_at"));
        buf_puts(b, "\">");
        html_text(b, when);
        buf_puts(b, "</time>");
        if (str(m, "place") && *str(m, "place")) {
            buf_puts(b, " · ");
            html_text(b, str(m, "place"));
        }
        buf_puts(b, "</p>\n<p><span class=\"badge\">");
        html_text(b, bip_status_word(str(m, "status"), lang));
        buf_puts(b, "</span></p>\n</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void stats_list(struct buf *b, const json_t *stats, const char *lang)
{
    static const struct {
        const char *key, *pl, *en;
    } ROWS[] = {
        {"users", "użytkowników", "users"},
        {"organisations", "organizacji", "organisations"},
        {"meetings", "posiedzeń", "meetings"},
        {"votes", "głosowań", "votes"},
        {"ballots", "oddanych głosów", "ballots cast"},
    };
    buf_puts(b, "<dl class=\"stats\">\n");
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        buf_printf(b, "<div class=\"stat\" data-stat=\"%s\"><dt>", ROWS[i].key);
        html_text(b, T(ROWS[i].pl, ROWS[i].en));
        buf_printf(b, "</dt><dd>%lld</dd></div>\n", num(stats, ROWS[i].key));
    }
    buf_puts(b, "</dl>\n");
}

void public_html_home(struct buf *b, const json_t *upcoming, const json_t *recent,
                      const json_t *stats, int recent_offset, bool has_more_recent,
                      const char *lang)
{
    const struct html_page page = {
        .lang = lang,
        .title = T("Posiedzenia publiczne — obrady", "Public meetings — obrady"),
        .alt_href = is_en(lang) ? "/public?lang=pl" : "/public?lang=en",
        .description = T("Nadchodzące posiedzenia, wyniki i imienne wykazy głosowań.",
                         "Upcoming meetings, results and named vote lists."),
    };
    html_page_begin(b, &page);
    html_el(b, "h1", NULL, T("Posiedzenia publiczne", "Public meetings"));
    html_el(b, "p", "class=\"lead\"",
            T("Posiedzenia jawne rad i organów kolegialnych: porządek obrad, dokumenty, wyniki "
              "i imienne wykazy głosowań.",
              "Public meetings of councils and collegial bodies: agendas, documents, results "
              "and named vote lists."));
    section_begin(b, "upcoming-heading", T("Nadchodzące posiedzenia", "Upcoming meetings"));
    meeting_cards(b, upcoming, lang, T("Brak zaplanowanych posiedzeń.", "No meetings planned."));
    section_end(b);
    section_begin(b, "recent-heading", T("Ostatnie posiedzenia", "Recent meetings"));
    meeting_cards(b, recent, lang, T("Brak zakończonych posiedzeń.", "No meetings held yet."));
    if (recent_offset > 0 || has_more_recent) {
        buf_puts(b, "<p class=\"pager\">");
        char href[64];
        if (recent_offset > 0) {
            snprintf(href, sizeof href, "/public?offset=%d&lang=%s",
                     recent_offset > 20 ? recent_offset - 20 : 0, is_en(lang) ? "en" : "pl");
            html_link(b, href, "rel=\"prev\"", T("Nowsze", "Newer"));
        }
        if (has_more_recent) {
            snprintf(href, sizeof href, "/public?offset=%d&lang=%s", recent_offset + 20,
                     is_en(lang) ? "en" : "pl");
            if (recent_offset > 0)
                buf_puts(b, " · ");
            html_link(b, href, "rel=\"next\"", T("Starsze", "Older"));
        }
        buf_puts(b, "</p>\n");
    }
    section_end(b);
    section_begin(b, "stats-heading", T("Statystyki", "Statistics"));
    stats_list(b, stats, lang);
    section_end(b);
    html_page_end(b, &page);
}

/* ---- a vote ---- */

static void count_tr(struct buf *b, const json_t *result, const char *key, const char *label)
{
    const json_t *v = json_object_get(result, key);
    if (!json_is_integer(v))
        return;
    buf_puts(b, "<tr><th scope=\"row\">");
    html_text(b, label);
    buf_printf(b, "</th><td>%lld</td></tr>\n", (long long)json_integer_value(v));
}

static void result_table(struct buf *b, const json_t *v, const char *lang, const char *caption)
{
    const json_t *r = json_object_get(v, "result");
    buf_puts(b, "<div class=\"table-wrap\"><table class=\"table result\">\n<caption>");
    html_text(b, caption);
    buf_puts(b, "</caption>\n<tbody>\n");
    count_tr(b, r, "yes", T("Za", "Yes"));
    count_tr(b, r, "no", T("Przeciw", "No"));
    count_tr(b, r, "abstain", T("Wstrzymało się", "Abstained"));
    count_tr(b, r, "blank", T("Głosy puste", "Blank ballots"));
    count_tr(b, r, "cast", T("Oddane głosy", "Ballots cast"));
    count_tr(b, r, "not_voted", T("Nie głosowało", "Did not vote"));
    count_tr(b, r, "eligible", T("Uprawnieni", "Eligible"));
    count_tr(b, r, "present", T("Obecni przy zamknięciu", "Present at closing"));
    count_tr(b, r, "quorum_required", T("Kworum", "Quorum"));
    buf_puts(b, "</tbody>\n</table></div>\n");
    const json_t *cands = json_object_get(r, "candidates");
    if (!json_array_size(cands))
        return;
    buf_puts(b, "<div class=\"table-wrap\"><table class=\"table candidates\">\n<caption>");
    html_text(b, T("Kandydaci", "Candidates"));
    buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">");
    html_text(b, T("Kandydat", "Candidate"));
    buf_puts(b, "</th><th scope=\"col\">");
    html_text(b, T("Głosy", "Votes"));
    buf_puts(b, "</th><th scope=\"col\">");
    html_text(b, T("Wybrany", "Elected"));
    buf_puts(b, "</th></tr></thead>\n<tbody>\n");
    size_t i;
    json_t *c;
    json_array_foreach(cands, i, c) {
        buf_puts(b, "<tr><th scope=\"row\">");
        html_text(b, str(c, "name"));
        buf_printf(b, "</th><td>%lld</td><td>", num(c, "votes"));
        html_text(b, json_is_true(json_object_get(c, "elected")) ? T("tak", "yes")
                                                                  : T("nie", "no"));
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

static void choice_html(struct buf *b, const json_t *v, const json_t *r, const char *lang)
{
    const char *method = str(v, "method");
    if (!method || strcmp(method, "election")) {
        const char *choice = str(r, "choice");
        buf_printf(b, "<span class=\"choice choice-%s\">", choice ? choice : "none");
        html_text(b, bip_choice_word(choice, lang));
        buf_puts(b, "</span>");
        return;
    }
    const json_t *cs = json_object_get(r, "choices");
    if (!json_is_array(cs)) {
        html_text(b, bip_choice_word(NULL, lang));
        return;
    }
    if (!json_array_size(cs))
        html_text(b, bip_blank_word(lang));
    size_t i;
    json_t *c;
    json_array_foreach(cs, i, c) {
        if (i)
            buf_puts(b, "; ");
        html_text(b, json_string_value(c));
    }
}

static void named_table(struct buf *b, const json_t *v, const char *lang, const char *caption)
{
    const json_t *named = json_object_get(v, "named");
    buf_puts(b, "<div class=\"table-wrap\"><table class=\"table named\">\n<caption>");
    html_text(b, caption);
    buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">");
    html_text(b, T("Lp.", "No."));
    buf_puts(b, "</th><th scope=\"col\">");
    html_text(b, T("Imię i nazwisko", "Name"));
    buf_puts(b, "</th><th scope=\"col\">");
    html_text(b, T("Głos", "Choice"));
    buf_puts(b, "</th></tr></thead>\n<tbody>\n");
    size_t i;
    json_t *r;
    json_array_foreach(named, i, r) {
        buf_printf(b, "<tr><td data-label=\"%s\">%zu</td><th scope=\"row\" data-label=\"%s\">",
                   T("Lp.", "No."), i + 1, T("Imię i nazwisko", "Name"));
        html_text(b, str(r, "name"));
        buf_printf(b, "</th><td data-label=\"%s\">", T("Głos", "Choice"));
        choice_html(b, v, r, lang);
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

static bool is_secret(const json_t *v)
{
    const char *kind = str(v, "kind");
    return kind && !strcmp(kind, "secret");
}

static void verify_note(struct buf *b, const json_t *v, const char *lang)
{
    const json_t *links = json_object_get(v, "links");
    buf_puts(b, "<p>");
    html_text(b, T("Głosowanie tajne: nikt, także system, nie wie, kto jak głosował; imienny "
                   "wykaz nie istnieje. Wynik może sprawdzić każdy: ",
                   "Secret vote: nobody, the system included, knows who voted how; there is no "
                   "named list. Anyone can check the result: "));
    html_link(b, str(links, "verify"), "class=\"verify-link\"",
              T("weryfikacja głosowania", "verify this vote"));
    buf_puts(b, ".</p>\n");
    const json_t *r = json_object_get(v, "result");
    const char *board = str(r, "board_hash");
    if (board) {
        buf_puts(b, "<p>");
        html_text(b, T("Skrót tablicy głosów (do weryfikacji): ",
                       "Hash of the bulletin board (to verify): "));
        buf_puts(b, "<code class=\"hash\">");
        html_text(b, board);
        buf_puts(b, "</code></p>\n");
    }
}

/* Verdict, rule, result table and named list of a vote (headings at level h). */
static void vote_body(struct buf *b, const json_t *v, const char *lang, int h, const char *id)
{
    const json_t *r = json_object_get(v, "result");
    const char *outcome = str(r, "outcome");
    buf_printf(b, "<p class=\"verdict outcome-%s\"><strong>", outcome ? outcome : "none");
    const char *verdict = texts(json_object_get(v, "verdict"), lang);
    html_text(b, *verdict ? verdict : bip_outcome_word(outcome, lang));
    buf_puts(b, "</strong></p>\n<p class=\"rule\">");
    html_text(b, texts(json_object_get(v, "rule_text"), lang));
    buf_puts(b, "</p>\n");
    result_table(b, v, lang, T("Wynik głosowania", "Result of the vote"));
    buf_printf(b, "<h%d id=\"%s\">", h, id);
    html_text(b, T("Imienny wykaz głosowania", "Named vote list"));
    buf_printf(b, "</h%d>\n", h);
    if (is_secret(v))
        verify_note(b, v, lang);
    else
        named_table(b, v, lang, T("Kto jak głosował", "Who voted how"));
}

static void vote_links(struct buf *b, const json_t *v, const char *lang)
{
    const json_t *l = json_object_get(v, "links");
    buf_puts(b, "<ul class=\"link-list downloads\" role=\"list\">\n<li>");
    html_link(b, str(l, "csv"), "type=\"text/csv\"",
              T("Wykaz imienny (CSV)", "Named list (CSV)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, str(l, "json"), "type=\"application/json\"",
              T("Wykaz imienny (JSON)", "Named list (JSON)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, str(l, "html"), NULL, T("Wykaz imienny (HTML dla BIP)", "Named list (HTML for BIP)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, str(l, "report_pdf"), "type=\"application/pdf\"",
              T("Raport z głosowania (PDF)", "Report of the vote (PDF)"));
    buf_puts(b, "</li>\n");
    if (str(l, "verify")) {
        buf_puts(b, "<li>");
        html_link(b, str(l, "verify"), NULL, T("Weryfikacja głosowania", "Verify the vote"));
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void vote_context(struct buf *b, const json_t *v, const json_t *meeting,
                         const char *lang)
{
    char when[40];
    local_time(when, sizeof when, meeting, "starts_at");
    buf_puts(b, "<p class=\"context\">");
    html_text(b, str(json_object_get(meeting, "org"), "name"));
    buf_puts(b, " · ");
    html_text(b, str(json_object_get(meeting, "body"), "name"));
    buf_puts(b, "<br>");
    meeting_name(b, meeting);
    buf_puts(b, " · ");
    html_text(b, when);
    buf_puts(b, "</p>\n<p>");
    html_text(b, T("Rodzaj: ", "Kind: "));
    html_text(b, bip_kind_word(str(v, "kind"), lang));
    char closed[40];
    bip_local_time(closed, sizeof closed, str(v, "closed_at"),
                   str(json_object_get(meeting, "org"), "time_zone"));
    if (closed[0]) {
        buf_puts(b, " · ");
        html_text(b, T("zamknięte ", "closed "));
        html_text(b, closed);
    }
    buf_puts(b, "</p>\n");
    const char *motion = str(v, "motion");
    if (motion && *motion) {
        buf_puts(b, "<blockquote class=\"motion\"><p>");
        html_text(b, motion);
        buf_puts(b, "</p></blockquote>\n");
    }
    if (str(v, "repeat_of")) {
        buf_puts(b, "<p>");
        html_text(b, T("Reasumpcja głosowania: ", "Repeat of the vote: "));
        char href[80];
        snprintf(href, sizeof href, "/public/votes/%s", str(v, "repeat_of"));
        html_link(b, href, NULL, T("głosowanie pierwotne", "the original vote"));
        if (str(v, "repeat_reason")) {
            buf_puts(b, " — ");
            html_text(b, str(v, "repeat_reason"));
        }
        buf_puts(b, "</p>\n");
    }
}

void public_html_vote(struct buf *b, const json_t *vote, const json_t *meeting,
                      bool is_named_only, const char *lang)
{
    struct buf title = BUF_INIT;
    buf_printf(&title, "%s — %s", str(vote, "title") ? str(vote, "title") : "",
               T("wyniki głosowania", "vote results"));
    const struct html_page page = {
        .lang = lang,
        .title = buf_str(&title),
        .alt_href = is_en(lang) ? "?lang=pl" : "?lang=en",
        .description = NULL,
    };
    html_page_begin(b, &page);
    if (!is_named_only)
        breadcrumbs(b, lang, meeting, str(vote, "title"));
    html_el(b, "h1", NULL, str(vote, "title"));
    vote_context(b, vote, meeting, lang);
    section_begin(b, "result-heading", T("Wynik", "Result"));
    vote_body(b, vote, lang, 3, "named-heading");
    section_end(b);
    section_begin(b, "downloads-heading", T("Do pobrania", "Downloads"));
    vote_links(b, vote, lang);
    section_end(b);
    html_page_end(b, &page);
    if (buf_failed(&title))
        b->failed = true;
    buf_free(&title);
}

/* ---- a meeting ---- */

static void documents_list(struct buf *b, const json_t *docs, const char *lang)
{
    if (!json_array_size(docs))
        return;
    buf_puts(b, "<ul class=\"link-list documents\" role=\"list\">\n");
    size_t i;
    json_t *d;
    json_array_foreach(docs, i, d) {
        buf_puts(b, "<li>");
        html_link(b, str(d, "url"), "download", str(d, "filename"));
        buf_printf(b, " <span class=\"muted\">(%lld kB)</span></li>\n",
                   (num(d, "size_bytes") + 1023) / 1024);
    }
    buf_puts(b, "</ul>\n");
}

static void agenda_section(struct buf *b, const json_t *x, const char *lang)
{
    section_begin(b, "agenda-heading", T("Porządek obrad", "Agenda"));
    const json_t *agenda = json_object_get(x, "agenda");
    if (!json_array_size(agenda))
        html_el(b, "p", NULL, T("Porządek obrad nie został jeszcze ustalony.",
                                "The agenda has not been set yet."));
    else
        buf_puts(b, "<ol class=\"agenda\">\n");
    size_t i;
    json_t *it;
    json_array_foreach(agenda, i, it) {
        buf_puts(b, "<li>");
        html_text(b, str(it, "title"));
        if (json_is_true(json_object_get(it, "is_amendment"))) {
            buf_puts(b, " <span class=\"badge\">");
            html_text(b, T("zmiana porządku", "amendment"));
            buf_puts(b, "</span>");
        }
        const char *desc = str(it, "description");
        if (desc && *desc) {
            buf_puts(b, "<p class=\"description\">");
            html_text(b, desc);
            buf_puts(b, "</p>");
        }
        documents_list(b, json_object_get(it, "documents"), lang);
        buf_puts(b, "</li>\n");
    }
    if (json_array_size(agenda))
        buf_puts(b, "</ol>\n");
    section_end(b);
    const json_t *docs = json_object_get(x, "documents");
    if (json_array_size(docs)) {
        section_begin(b, "documents-heading", T("Dokumenty", "Documents"));
        documents_list(b, docs, lang);
        section_end(b);
    }
}

/* The names in a disclosure widget (works without JavaScript). */
static void present_names(struct buf *b, const json_t *names, const char *lang)
{
    if (!json_array_size(names))
        return;
    buf_puts(b, "<details><summary>");
    html_textf(b, "%s (%zu)", T("lista", "list"), json_array_size(names));
    buf_puts(b, "</summary>\n<ul class=\"present-list\">");
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n) {
        buf_puts(b, "<li>");
        html_text(b, json_string_value(n));
        buf_puts(b, "</li>");
    }
    buf_puts(b, "</ul></details>");
}

static void attendance_section(struct buf *b, const json_t *x, const char *lang)
{
    const json_t *checks = json_object_get(x, "attendance");
    if (!json_array_size(checks))
        return;
    const char *tz = str(json_object_get(json_object_get(x, "meeting"), "org"), "time_zone");
    section_begin(b, "attendance-heading", T("Obecność", "Attendance"));
    buf_puts(b, "<div class=\"table-wrap\"><table class=\"table\">\n<caption>");
    html_text(b, T("Sprawdzenia obecności", "Attendance checks"));
    buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">");
    html_text(b, T("Zakończone", "Ended"));
    buf_puts(b, "</th><th scope=\"col\">");
    html_text(b, T("Obecni", "Present"));
    buf_puts(b, "</th><th scope=\"col\">");
    html_text(b, T("Kworum", "Quorum"));
    buf_puts(b, "</th><th scope=\"col\">");
    html_text(b, T("Kto był obecny", "Who was present"));
    buf_puts(b, "</th></tr></thead>\n<tbody>\n");
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c) {
        char when[40];
        bip_local_time(when, sizeof when, str(c, "ended_at"), tz);
        buf_puts(b, "<tr><td>");
        html_text(b, when[0] ? when : T("trwa", "in progress"));
        buf_printf(b, "</td><td>%lld</td><td>", num(c, "present_count"));
        html_textf(b, "%s (%lld)",
                   json_is_true(json_object_get(c, "has_quorum")) ? T("jest", "yes")
                                                                   : T("brak", "no"),
                   num(c, "required"));
        buf_puts(b, "</td><td>");
        present_names(b, json_object_get(c, "present"), lang);
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    section_end(b);
}

static void votes_section(struct buf *b, const json_t *x, const char *lang)
{
    section_begin(b, "votes-heading", T("Głosowania", "Votes"));
    const json_t *votes = json_object_get(x, "votes");
    if (!json_array_size(votes))
        html_el(b, "p", NULL, T("Nie było głosowań.", "No votes were held."));
    size_t i;
    json_t *v;
    json_array_foreach(votes, i, v) {
        char id[40], href[80];
        snprintf(id, sizeof id, "vote-%zu", i + 1);
        snprintf(href, sizeof href, "/public/votes/%s", str(v, "id") ? str(v, "id") : "");
        buf_printf(b, "<article class=\"vote\" aria-labelledby=\"%s\">\n<h3 id=\"%s\">", id, id);
        if (!strcmp(str(v, "status") ? str(v, "status") : "", "closed"))
            html_link(b, href, NULL, str(v, "title"));
        else
            html_text(b, str(v, "title"));
        buf_puts(b, "</h3>\n");
        if (strcmp(str(v, "status") ? str(v, "status") : "", "closed")) {
            html_el(b, "p", NULL, T("Głosowanie trwa.", "The vote is open."));
        } else {
            char nid[48];
            snprintf(nid, sizeof nid, "vote-%zu-named", i + 1);
            vote_body(b, v, lang, 4, nid);
        }
        buf_puts(b, "</article>\n");
    }
    section_end(b);
}

void public_html_meeting(struct buf *b, const json_t *x, const char *lang)
{
    const json_t *m = json_object_get(x, "meeting");
    struct buf title = BUF_INIT;
    meeting_name(&title, m); /* escaped; <title> gets it escaped once more below */
    struct buf plain = BUF_INIT;
    buf_printf(&plain, "%s — %s", str(m, "title") ? str(m, "title") : "",
               str(json_object_get(m, "body"), "name") ? str(json_object_get(m, "body"), "name")
                                                        : "");
    const struct html_page page = {
        .lang = lang,
        .title = buf_str(&plain),
        .alt_href = is_en(lang) ? "?lang=pl" : "?lang=en",
        .description = NULL,
    };
    html_page_begin(b, &page);
    breadcrumbs(b, lang, m, NULL);
    buf_puts(b, "<h1>");
    buf_puts(b, buf_str(&title));
    buf_puts(b, "</h1>\n");
    char when[40];
    local_time(when, sizeof when, m, "starts_at");
    buf_puts(b, "<p class=\"context\">");
    html_text(b, str(json_object_get(m, "org"), "name"));
    buf_puts(b, " · ");
    html_text(b, str(json_object_get(m, "body"), "name"));
    buf_puts(b, "<br><time datetime=\"");
    html_text(b, str(m, "starts_at"));
    buf_puts(b, "\">");
    html_text(b, when);
    buf_puts(b, "</time>");
    if (str(m, "place") && *str(m, "place")) {
        buf_puts(b, " · ");
        html_text(b, str(m, "place"));
    }
    buf_puts(b, " · ");
    html_text(b, bip_mode_word(str(m, "mode"), lang));
    buf_puts(b, " · <span class=\"badge\">");
    html_text(b, bip_status_word(str(m, "status"), lang));
    buf_puts(b, "</span></p>\n");
    if (!strcmp(str(m, "status") ? str(m, "status") : "", "in_progress")) {
        /* The live public view is the app's (it follows the log as it happens). */
        char href[80];
        snprintf(href, sizeof href, "/meetings/%s/public", str(m, "id") ? str(m, "id") : "");
        buf_puts(b, "<p>");
        html_link(b, href, "class=\"btn\"", T("Obrady na żywo", "Follow the meeting live"));
        buf_puts(b, "</p>\n");
    }
    agenda_section(b, x, lang);
    attendance_section(b, x, lang);
    votes_section(b, x, lang);
    section_begin(b, "downloads-heading", T("Do pobrania", "Downloads"));
    const json_t *l = json_object_get(x, "links");
    buf_puts(b, "<ul class=\"link-list downloads\" role=\"list\">\n<li>");
    html_link(b, str(l, "csv"), "type=\"text/csv\"",
              T("Całe posiedzenie (CSV)", "The whole meeting (CSV)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, str(l, "json"), "type=\"application/json\"",
              T("Całe posiedzenie (JSON)", "The whole meeting (JSON)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, str(l, "protocol_pdf"), "type=\"application/pdf\"",
              T("Protokół (PDF)", "Minutes (PDF)"));
    buf_puts(b, "</li>\n</ul>\n");
    section_end(b);
    html_page_end(b, &page);
    if (buf_failed(&title) || buf_failed(&plain))
        b->failed = true;
    buf_free(&title);
    buf_free(&plain);
}
