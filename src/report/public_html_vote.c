/* public_html_vote.c — the page of one vote and the parts of a vote the
 * meeting page repeats: result, rule in words, named list, or for a secret
 * vote the counts and the way to verify it (see public_html.h). */
#include <stdio.h>
#include <string.h>

#include "report/bip.h"
#include "report/public_html.h"
#include "report/public_html_impl.h"
#include "report/report_text.h"
#include "util/buf.h"
#include "util/html.h"

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
    json_array_foreach (cands, i, c) {
        buf_puts(b, "<tr><th scope=\"row\">");
        html_text(b, ph_str(c, "name"));
        buf_printf(b, "</th><td>%lld</td><td>", ph_num(c, "votes"));
        html_text(b,
                  json_is_true(json_object_get(c, "elected")) ? T("tak", "yes") : T("nie", "no"));
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

static void choice_html(struct buf *b, const json_t *v, const json_t *r, const char *lang)
{
    const char *method = ph_str(v, "method");
    if (!method || strcmp(method, "election")) {
        const char *choice = ph_str(r, "choice");
        bool is_absent = !choice && json_is_true(json_object_get(r, "absent"));
        buf_printf(b, "<span class=\"choice choice-%s\">",
                   choice ? choice : is_absent ? "absent" : "none");
        html_text(b, choice ? bip_choice_word(choice, lang) : bip_no_ballot_word(r, lang));
        buf_puts(b, "</span>");
        return;
    }
    const json_t *cs = json_object_get(r, "choices");
    if (!json_is_array(cs)) {
        html_text(b, bip_no_ballot_word(r, lang));
        return;
    }
    if (!json_array_size(cs))
        html_text(b, bip_blank_word(lang));
    size_t i;
    json_t *c;
    json_array_foreach (cs, i, c) {
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
    /* A body with weights: each voter's weight, frozen at the opening. */
    bool has_weights = json_is_object(json_object_get(json_object_get(v, "result"), "weighted"));
    if (has_weights) {
        buf_puts(b, "</th><th scope=\"col\">");
        html_text(b, T("Waga", "Weight"));
    }
    buf_puts(b, "</th></tr></thead>\n<tbody>\n");
    size_t i;
    json_t *r;
    json_array_foreach (named, i, r) {
        buf_printf(b, "<tr><td data-label=\"%s\">%zu</td><th scope=\"row\" data-label=\"%s\">",
                   T("Lp.", "No."), i + 1, T("Imię i nazwisko", "Name"));
        html_text(b, ph_str(r, "name"));
        if (ph_str(r, "cast_by_name")) { /* a proxy holder cast it */
            html_text(b, report_proxy_words(ph_is_en(lang)));
            html_text(b, ph_str(r, "cast_by_name"));
        }
        buf_printf(b, "</th><td data-label=\"%s\">", T("Głos", "Choice"));
        choice_html(b, v, r, lang);
        if (json_is_true(json_object_get(r, "by_hand"))) /* roll call by hand */
            html_text(b, T(" (ręcznie)", " (by hand)"));
        if (has_weights) {
            buf_printf(b, "</td><td data-label=\"%s\">", T("Waga", "Weight"));
            html_text(b, ph_str(r, "weight") ? ph_str(r, "weight") : "");
        }
        buf_puts(b, "</td></tr>\n");
    }
    buf_puts(b, "</tbody>\n</table></div>\n");
}

static bool is_secret(const json_t *v)
{
    const char *kind = ph_str(v, "kind");
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
    html_link(b, ph_str(links, "verify"), "class=\"verify-link\"",
              T("weryfikacja głosowania", "verify this vote"));
    buf_puts(b, ".</p>\n");
    const json_t *r = json_object_get(v, "result");
    const char *board = ph_str(r, "board_hash");
    if (board) {
        buf_puts(b, "<p>");
        html_text(b, T("Skrót tablicy głosów (do weryfikacji): ",
                       "Hash of the bulletin board (to verify): "));
        buf_puts(b, "<code class=\"hash\">");
        html_text(b, board);
        buf_puts(b, "</code></p>\n");
    }
}

/* A body with weights: the shares per answer in words and which count
 * decided (both counts are shown; the rule says which one decides). */
static void weights_html(struct buf *b, const json_t *r, const char *lang)
{
    const json_t *w = json_object_get(r, "weighted");
    if (!json_is_object(w))
        return;
    const char *on = ph_str(r, "decided_on");
    buf_puts(b, "<p class=\"weighted\">");
    html_text(b, ph_texts(json_object_get(w, "text"), lang));
    html_text(b, on && !strcmp(on, "weights")
                     ? T(". Rozstrzygnięto według udziałów (wag).", ". Decided on shares (weights).")
                     : T(". Rozstrzygnięto według liczby osób; udziały podano informacyjnie.",
                         ". Decided on heads; the shares are given for information."));
    buf_puts(b, "</p>\n");
}

/* Verdict, rule, result table and named list of a vote (headings at level h). */
void ph_vote_body(struct buf *b, const json_t *v, const char *lang, int h, const char *id)
{
    const json_t *r = json_object_get(v, "result");
    const char *outcome = ph_str(r, "outcome");
    buf_printf(b, "<p class=\"verdict outcome-%s\"><strong>", outcome ? outcome : "none");
    const char *verdict = ph_texts(json_object_get(v, "verdict"), lang);
    html_text(b, *verdict ? verdict : bip_outcome_word(outcome, lang));
    buf_puts(b, "</strong></p>\n<p class=\"rule\">");
    html_text(b, ph_texts(json_object_get(v, "rule_text"), lang));
    buf_puts(b, "</p>\n");
    result_table(b, v, lang, T("Wynik głosowania", "Result of the vote"));
    weights_html(b, r, lang);
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
    html_link(b, ph_str(l, "csv"), "type=\"text/csv\"",
              T("Wykaz imienny (CSV)", "Named list (CSV)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, ph_str(l, "json"), "type=\"application/json\"",
              T("Wykaz imienny (JSON)", "Named list (JSON)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, ph_str(l, "html"), NULL,
              T("Wykaz imienny (HTML dla BIP)", "Named list (HTML for BIP)"));
    buf_puts(b, "</li>\n<li>");
    html_link(b, ph_str(l, "report_pdf"), "type=\"application/pdf\"",
              T("Raport z głosowania (PDF)", "Report of the vote (PDF)"));
    buf_puts(b, "</li>\n");
    if (ph_str(l, "verify")) {
        buf_puts(b, "<li>");
        html_link(b, ph_str(l, "verify"), NULL, T("Weryfikacja głosowania", "Verify the vote"));
        buf_puts(b, "</li>\n");
    }
    buf_puts(b, "</ul>\n");
}

static void vote_context(struct buf *b, const json_t *v, const json_t *meeting, const char *lang)
{
    char when[40];
    ph_local_time(when, sizeof when, meeting, "starts_at");
    buf_puts(b, "<p class=\"context\">");
    html_text(b, ph_str(json_object_get(meeting, "org"), "name"));
    buf_puts(b, " · ");
    html_text(b, ph_str(json_object_get(meeting, "body"), "name"));
    buf_puts(b, "<br>");
    ph_meeting_name(b, meeting);
    buf_puts(b, " · ");
    html_text(b, when);
    buf_puts(b, "</p>\n<p>");
    html_text(b, T("Rodzaj: ", "Kind: "));
    html_text(b, bip_kind_word(ph_str(v, "kind"), lang));
    char closed[40];
    bip_local_time(closed, sizeof closed, ph_str(v, "closed_at"),
                   ph_str(json_object_get(meeting, "org"), "time_zone"));
    if (closed[0]) {
        buf_puts(b, " · ");
        html_text(b, T("zamknięte ", "closed "));
        html_text(b, closed);
    }
    buf_puts(b, "</p>\n");
    const char *motion = ph_str(v, "motion");
    if (motion && *motion) {
        buf_puts(b, "<blockquote class=\"motion\"><p>");
        html_text(b, motion);
        buf_puts(b, "</p></blockquote>\n");
    }
    if (ph_str(v, "repeat_of")) {
        buf_puts(b, "<p>");
        html_text(b, T("Reasumpcja głosowania: ", "Repeat of the vote: "));
        char href[80];
        snprintf(href, sizeof href, "/public/votes/%s", ph_str(v, "repeat_of"));
        html_link(b, href, NULL, T("głosowanie pierwotne", "the original vote"));
        if (ph_str(v, "repeat_reason")) {
            buf_puts(b, " — ");
            html_text(b, ph_str(v, "repeat_reason"));
        }
        buf_puts(b, "</p>\n");
    }
}

void public_html_vote(struct buf *b, const json_t *vote, const json_t *meeting, bool is_named_only,
                      const char *lang)
{
    struct buf title = BUF_INIT;
    buf_printf(&title, "%s — %s", ph_str(vote, "title") ? ph_str(vote, "title") : "",
               T("wyniki głosowania", "vote results"));
    const struct html_page page = {
        .lang = lang,
        .title = buf_str(&title),
        .alt_href = ph_is_en(lang) ? "?lang=pl" : "?lang=en",
        .description = NULL,
    };
    html_page_begin(b, &page);
    if (!is_named_only)
        ph_breadcrumbs(b, lang, meeting, ph_str(vote, "title"));
    html_el(b, "h1", NULL, ph_str(vote, "title"));
    vote_context(b, vote, meeting, lang);
    ph_section_begin(b, "result-heading", T("Wynik", "Result"));
    ph_vote_body(b, vote, lang, 3, "named-heading");
    ph_section_end(b);
    ph_section_begin(b, "downloads-heading", T("Do pobrania", "Downloads"));
    vote_links(b, vote, lang);
    ph_section_end(b);
    html_page_end(b, &page);
    if (buf_failed(&title))
        b->failed = true;
    buf_free(&title);
}
