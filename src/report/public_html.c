/* public_html.c — see public_html.h. Pages follow one outline: breadcrumbs,
 * one h1, then h2 sections each labelled by its heading; tables have a
 * caption and header cells; links to files say what they are. This file
 * holds the home page and the meeting page; public_html_vote.c the vote. */
#include "report/public_html.h"

#include <stdio.h>
#include <string.h>

#include "report/bip.h"
#include "report/public_html_impl.h"
#include "util/buf.h"
#include "util/html.h"

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
    json_array_foreach (list, i, m) {
        char when[40], href[80];
        bip_local_time(when, sizeof when, ph_str(m, "starts_at"), NULL);
        snprintf(href, sizeof href, "/public/meetings/%s", ph_str(m, "id") ? ph_str(m, "id") : "");
        buf_puts(b, "<li class=\"card\">\n<h3><a href=\"");
        html_text(b, href);
        buf_puts(b, "\">");
        ph_meeting_name(b, m);
        buf_puts(b, "</a></h3>\n<p>");
        html_text(b, ph_str(m, "body_name"));
        buf_puts(b, "<br>");
        html_text(b, ph_str(m, "org_name"));
        buf_puts(b, "</p>\n<p><time datetime=\"");
        html_text(b, ph_str(m, "starts_at"));
        buf_puts(b, "\">");
        html_text(b, when);
        buf_puts(b, "</time>");
        if (ph_str(m, "place") && *ph_str(m, "place")) {
            buf_puts(b, " · ");
            html_text(b, ph_str(m, "place"));
        }
        buf_puts(b, "</p>\n<p><span class=\"badge\">");
        html_text(b, bip_status_word(ph_str(m, "status"), lang));
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
        buf_printf(b, "</dt><dd>%lld</dd></div>\n", ph_num(stats, ROWS[i].key));
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
        .alt_href = ph_is_en(lang) ? "/public?lang=pl" : "/public?lang=en",
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
    ph_section_begin(b, "upcoming-heading", T("Nadchodzące posiedzenia", "Upcoming meetings"));
    meeting_cards(b, upcoming, lang, T("Brak zaplanowanych posiedzeń.", "No meetings planned."));
    ph_section_end(b);
    ph_section_begin(b, "recent-heading", T("Ostatnie posiedzenia", "Recent meetings"));
    meeting_cards(b, recent, lang, T("Brak zakończonych posiedzeń.", "No meetings held yet."));
    if (recent_offset > 0 || has_more_recent) {
        buf_puts(b, "<p class=\"pager\">");
        char href[64];
        if (recent_offset > 0) {
            snprintf(href, sizeof href, "/public?offset=%d&lang=%s",
                     recent_offset > 20 ? recent_offset - 20 : 0, ph_is_en(lang) ? "en" : "pl");
            html_link(b, href, "rel=\"prev\"", T("Nowsze", "Newer"));
        }
        if (has_more_recent) {
            snprintf(href, sizeof href, "/public?offset=%d&lang=%s", recent_offset + 20,
                     ph_is_en(lang) ? "en" : "pl");
            if (recent_offset > 0)
                buf_puts(b, " · ");
            html_link(b, href, "rel=\"next\"", T("Starsze", "Older"));
        }
        buf_puts(b, "</p>\n");
    }
    ph_section_end(b);
    ph_section_begin(b, "stats-heading", T("Statystyki", "Statistics"));
    stats_list(b, stats, lang);
    ph_section_end(b);
    html_page_end(b, &page);
}

/* ---- a meeting ---- */

static void documents_list(struct buf *b, const json_t *docs, const char *lang)
{
    if (!json_array_size(docs))
        return;
    buf_puts(b, "<ul class=\"link-list documents\" role=\"list\">\n");
    size_t i;
    json_t *d;
    json_array_foreach (docs, i, d) {
        buf_puts(b, "<li>");
        html_link(b, ph_str(d, "url"), "download", ph_str(d, "filename"));
        buf_printf(b, " <span class=\"muted\">(%lld kB)</span></li>\n",
                   (ph_num(d, "size_bytes") + 1023) / 1024);
    }
    buf_puts(b, "</ul>\n");
}

static void agenda_section(struct buf *b, const json_t *x, const char *lang)
{
    ph_section_begin(b, "agenda-heading", T("Porządek obrad", "Agenda"));
    const json_t *agenda = json_object_get(x, "agenda");
    if (!json_array_size(agenda))
        html_el(
            b, "p", NULL,
            T("Porządek obrad nie został jeszcze ustalony.", "The agenda has not been set yet."));
    else
        buf_puts(b, "<ol class=\"agenda\">\n");
    size_t i;
    json_t *it;
    json_array_foreach (agenda, i, it) {
        buf_puts(b, "<li>");
        html_text(b, ph_str(it, "title"));
        if (json_is_true(json_object_get(it, "is_amendment"))) {
            buf_puts(b, " <span class=\"badge\">");
            html_text(b, T("zmiana porządku", "amendment"));
            buf_puts(b, "</span>");
        }
        const char *desc = ph_str(it, "description");
        if (desc && *desc) {
            buf_puts(b, "<p class=\"description\">");
            html_text(b, desc);
            buf_puts(b, "</p>");
        }
        documents_list(b, json_object_get(it, "documents"), lang);
        const char *listen = ph_str(it, "listen_url"), *at = ph_str(it, "listen_at");
        if (listen && at) { /* #14: the recording from where this item was taken up */
            char label[96];
            snprintf(label, sizeof label, "%s (%s)", T("Posłuchaj nagrania od tego punktu", "Listen to the recording from this item"), at);
            buf_puts(b, "<p class=\"listen-from\">");
            html_link(b, listen, "data-listen-from=\"item\"", label);
            buf_puts(b, "</p>");
        }
        buf_puts(b, "</li>\n");
    }
    if (json_array_size(agenda))
        buf_puts(b, "</ol>\n");
    ph_section_end(b);
    const json_t *docs = json_object_get(x, "documents");
    if (json_array_size(docs)) {
        ph_section_begin(b, "documents-heading", T("Dokumenty", "Documents"));
        documents_list(b, docs, lang);
        ph_section_end(b);
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
    json_array_foreach (names, i, n) {
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
    const char *tz = ph_str(json_object_get(json_object_get(x, "meeting"), "org"), "time_zone");
    ph_section_begin(b, "attendance-heading", T("Obecność", "Attendance"));
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
    json_array_foreach (checks, i, c) {
        char when[40];
        bip_local_time(when, sizeof when, ph_str(c, "ended_at"), tz);
        buf_puts(b, "<tr><td>");
        html_text(b, when[0] ? when : T("trwa", "in progress"));
        buf_printf(b, "</td><td>%lld</td><td>", ph_num(c, "present_count"));
        html_textf(b, "%s (%lld)",
                   json_is_true(json_object_get(c, "has_quorum")) ? T("jest", "yes")
                                                                  : T("brak", "no"),
                   ph_num(c, "required"));
        buf_puts(b, "</td><td>");
        present_names(b, json_object_get(c, "present"), lang);
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
    ph_section_end(b);
}

static void votes_section(struct buf *b, const json_t *x, const char *lang)
{
    ph_section_begin(b, "votes-heading", T("Głosowania", "Votes"));
    const json_t *votes = json_object_get(x, "votes");
    if (!json_array_size(votes))
        html_el(b, "p", NULL, T("Nie było głosowań.", "No votes were held."));
    size_t i;
    json_t *v;
    json_array_foreach (votes, i, v) {
        char id[40], href[80];
        snprintf(id, sizeof id, "vote-%zu", i + 1);
        snprintf(href, sizeof href, "/public/votes/%s", ph_str(v, "id") ? ph_str(v, "id") : "");
        buf_printf(b, "<article class=\"vote\" aria-labelledby=\"%s\">\n<h3 id=\"%s\">", id, id);
        json_t *number = json_object_get(v, "number"); /* in the order of opening */
        if (json_is_integer(number))
            buf_printf(b, "%s %lld: ", T("Głosowanie nr", "Vote no."),
                       (long long)json_integer_value(number));
        if (!strcmp(ph_str(v, "status") ? ph_str(v, "status") : "", "closed"))
            html_link(b, href, NULL, ph_str(v, "title"));
        else
            html_text(b, ph_str(v, "title"));
        buf_puts(b, "</h3>\n");
        if (strcmp(ph_str(v, "status") ? ph_str(v, "status") : "", "closed")) {
            bool is_counting = !strcmp(ph_str(v, "status") ? ph_str(v, "status") : "", "counting");
            html_el(b, "p", NULL,
                    is_counting ? T("Głosowanie zamknięte; trwa liczenie głosów przez komisję "
                                    "skrutacyjną.",
                                    "The vote is closed; the scrutiny committee is counting.")
                                : T("Głosowanie trwa.", "The vote is open."));
        } else {
            char nid[48];
            snprintf(nid, sizeof nid, "vote-%zu-named", i + 1);
            ph_vote_body(b, v, lang, 4, nid);
        }
        buf_puts(b, "</article>\n");
    }
    ph_section_end(b);
}

void public_html_meeting(struct buf *b, const json_t *x, const char *lang)
{
    const json_t *m = json_object_get(x, "meeting");
    struct buf title = BUF_INIT;
    ph_meeting_name(&title, m); /* escaped; <title> gets it escaped once more below */
    struct buf plain = BUF_INIT;
    buf_printf(&plain, "%s — %s", ph_str(m, "title") ? ph_str(m, "title") : "",
               ph_str(json_object_get(m, "body"), "name")
                   ? ph_str(json_object_get(m, "body"), "name")
                   : "");
    const struct html_page page = {
        .lang = lang,
        .title = buf_str(&plain),
        .alt_href = ph_is_en(lang) ? "?lang=pl" : "?lang=en",
        .description = NULL,
    };
    html_page_begin(b, &page);
    ph_breadcrumbs(b, lang, m, NULL);
    buf_puts(b, "<h1>");
    buf_puts(b, buf_str(&title));
    buf_puts(b, "</h1>\n");
    char when[40];
    ph_local_time(when, sizeof when, m, "starts_at");
    buf_puts(b, "<p class=\"context\">");
    html_text(b, ph_str(json_object_get(m, "org"), "name"));
    buf_puts(b, " · ");
    html_text(b, ph_str(json_object_get(m, "body"), "name"));
    buf_puts(b, "<br><time datetime=\"");
    html_text(b, ph_str(m, "starts_at"));
    buf_puts(b, "\">");
    html_text(b, when);
    buf_puts(b, "</time>");
    if (ph_str(m, "place") && *ph_str(m, "place")) {
        buf_puts(b, " · ");
        html_text(b, ph_str(m, "place"));
    }
    buf_puts(b, " · ");
    html_text(b, bip_mode_word(ph_str(m, "mode"), lang));
    buf_puts(b, " · <span class=\"badge\">");
    html_text(b, bip_status_word(ph_str(m, "status"), lang));
    buf_puts(b, "</span></p>\n");
    if (!strcmp(ph_str(m, "status") ? ph_str(m, "status") : "", "in_progress")) {
        /* The live public view is the app's (it follows the log as it happens). */
        char href[80];
        snprintf(href, sizeof href, "/meetings/%s/public", ph_str(m, "id") ? ph_str(m, "id") : "");
        buf_puts(b, "<p>");
        html_link(b, href, "class=\"btn\"", T("Obrady na żywo", "Follow the meeting live"));
        buf_puts(b, "</p>\n");
    }
    const char *broadcast = ph_str(m, "broadcast_url");
    if (broadcast && (!strncmp(broadcast, "https://", 8) || !strncmp(broadcast, "http://", 7))) {
        buf_puts(b, "<p>");
        html_link(b, broadcast, "class=\"btn\" rel=\"noopener noreferrer\" data-link=\"broadcast\"",
                  T("Oglądaj transmisję", "Watch the broadcast"));
        buf_puts(b, "</p>\n");
    }
    agenda_section(b, x, lang);
    attendance_section(b, x, lang);
    votes_section(b, x, lang);
    ph_section_begin(b, "downloads-heading", T("Do pobrania", "Downloads"));
    const json_t *l = json_object_get(x, "links");
    buf_puts(b, "<ul class=\"link-list downloads\" role=\"list\">\n<li>");
    html_link(b, ph_str(l, "csv"), "type=\"text/csv\"",
              T("Całe posiedzenie (CSV)", "The whole meeting (CSV)"));
    buf_puts(b, "</li>\n<li>");
    struct buf xlsx = BUF_INIT;
    buf_printf(&xlsx, "/api/meetings/%s/export.xlsx%s", ph_str(m, "id") ? ph_str(m, "id") : "",
               ph_is_en(lang) ? "?lang=en" : "");
    html_link(b, buf_str(&xlsx), "type=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"",
              T("Całe posiedzenie z listą obecności (Excel)", "The whole meeting with attendance (Excel)"));
    buf_free(&xlsx);
    buf_puts(b, "</li>\n<li>");
    html_link(b, ph_str(l, "json"), "type=\"application/json\"",
              T("Całe posiedzenie (JSON)", "The whole meeting (JSON)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, ph_str(l, "protocol_pdf"), "type=\"application/pdf\"",
              T("Protokół (PDF)", "Minutes (PDF)"));
    buf_puts(b, "</li>\n</ul>\n");
    ph_section_end(b);
    html_page_end(b, &page);
    if (buf_failed(&title) || buf_failed(&plain))
        b->failed = true;
    buf_free(&title);
    buf_free(&plain);
}
