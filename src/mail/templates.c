/* templates.c — the texts of obrady's mails, Polish first and English second
 * (see mail.h). Each template renders a plain-text and an HTML body from the
 * same words; everything a caller passes is escaped in the HTML, and links are
 * written only when they are http(s). Meeting letters are in invitations.c. */
#include "mail/mail.h"
#include "mail/mail_html.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

struct words {
    const char *hello_named; /* "%s" is the name */
    const char *hello;
    const char *footer;
};

static const struct words pl = {
    /* Formal, and right for anyone: the vocative of a name needs the
     * person's gender, which we do not keep. */
    .hello_named = "Szanowna Pani / Szanowny Panie,",
    .hello = "Szanowna Pani / Szanowny Panie,",
    .footer = "Wiadomość wysłana automatycznie przez obrady — prosimy na nią nie odpowiadać.",
};
static const struct words en = {
    .hello_named = "Dear %s,",
    .hello = "Dear Sir or Madam,",
    .footer = "This message was sent automatically by obrady — please do not reply to it.",
};

static bool is_en(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

static bool is_web_url(const char *url)
{
    return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
           !strpbrk(url, " \t\r\n\"<>");
}

/* "10 minut", "3 minuty", "1 minutę" (the accusative after "przez"). */
static void put_minutes_pl(struct buf *b, int n)
{
    int last = n % 10, last2 = n % 100;
    const char *w = n == 1                                                      ? "minutę"
                    : (last >= 2 && last <= 4 && !(last2 >= 12 && last2 <= 14)) ? "minuty"
                                                                                : "minut";
    buf_printf(b, "%d %s", n, w);
}

static void put_minutes(struct buf *b, bool english, int n)
{
    if (english)
        buf_printf(b, "%d minute%s", n, n == 1 ? "" : "s");
    else
        put_minutes_pl(b, n);
}


static void put_html_tail(struct buf *h, const struct words *w)
{
    buf_puts(h, "<p style=\"margin-top:32px;font-size:13px;color:#5b6470\">");
    buf_put_html(h, w->footer);
    buf_puts(h, "</p>\n</div>\n</body>\n</html>\n");
}

static void put_greeting(struct buf *t, struct buf *h, const struct words *w, const char *name)
{
    bool has_name = name && name[0] && strstr(w->hello_named, "%s"); /* a greeting may omit it */
    if (has_name)
        buf_printf(t, w->hello_named, name);
    else
        buf_puts(t, w->hello);
    buf_puts(t, "\n\n");
    buf_puts(h, "<p>");
    if (has_name) {
        const char *at = strstr(w->hello_named, "%s");
        buf_append(h, w->hello_named, (size_t)(at - w->hello_named));
        buf_put_html(h, name);
        buf_puts(h, at + 2);
    } else {
        buf_puts(h, w->hello);
    }
    buf_puts(h, "</p>\n");
}

static void put_link(struct buf *t, struct buf *h, const char *label, const char *url)
{
    buf_printf(t, "%s%s%s\n\n", label ? label : "", label ? ": " : "", url);
    buf_puts(h, "<p><a href=\"");
    buf_put_html(h, url);
    buf_puts(h, "\" style=\"color:#0b57d0\">");
    buf_put_html(h, label ? label : url);
    buf_puts(h, "</a></p>\n");
}

static int result(struct buf *a, struct buf *b, struct buf *c)
{
    return buf_failed(a) || buf_failed(b) || (c && buf_failed(c)) ? OBR_ENOMEM : 0;
}

int mail_tpl_signin_code(struct buf *subject, struct buf *text, struct buf *html, const char *lang,
                         const char *name, const char *code, int valid_minutes, const char *url)
{
    if (!code)
        return OBR_EINVAL;
    bool english = is_en(lang);
    const struct words *w = english ? &en : &pl;
    const char *intro =
        english ? "Your sign-in code for obrady is:" : "Twój kod logowania do obrady to:";
    const char *valid = english ? "The code is valid for " : "Kod jest ważny przez ";
    const char *enter = english ? "Enter it on the sign-in page" : "Wpisz go na stronie logowania";
    const char *secret =
        english ? "Never share this code with anyone, including people who say they are "
                  "administrators: nobody from obrady will ever ask you for it."
                : "Nie przekazuj tego kodu nikomu, także osobom podającym się za "
                  "administratorów: nikt z obsługi obrady nigdy o niego nie poprosi.";
    const char *ignore =
        english ? "If you did not ask for this code, ignore this message: without the code "
                  "nobody can sign in as you."
                : "Jeśli to nie Ty prosisz o kod, zignoruj tę wiadomość: bez kodu nikt nie "
                  "zaloguje się na Twoje konto.";

    /* Never the code itself: subjects show on lock screens and in lists. */
    buf_puts(subject, english ? "Your obrady sign-in code" : "Twój kod logowania do obrady");

    mail_html_head(html, english);
    put_greeting(text, html, w, name);
    buf_printf(text, "%s\n\n    %s\n\n%s", intro, code, valid);
    put_minutes(text, english, valid_minutes);
    buf_puts(text, ".\n\n");
    bool has_url = is_web_url(url);
    if (has_url)
        buf_printf(text, "%s: %s\n\n", enter, url);
    buf_printf(text, "%s\n\n%s\n\n-- \n%s\n", secret, ignore, w->footer);

    buf_puts(html, "<p>");
    buf_put_html(html, intro);
    buf_puts(html, "</p>\n<p style=\"font-family:'Courier New',Courier,monospace;font-size:36px;"
                   "font-weight:bold;letter-spacing:8px;margin:16px 0;padding:12px 16px;"
                   "background:#eef2f7;border-radius:6px;text-align:center\">");
    buf_put_html(html, code);
    buf_puts(html, "</p>\n<p>");
    buf_put_html(html, valid);
    buf_puts(html, "<strong>");
    put_minutes(html, english, valid_minutes);
    buf_puts(html, "</strong>.</p>\n");
    if (has_url) {
        buf_puts(html, "<p>");
        buf_put_html(html, enter);
        buf_puts(html, ": <a href=\"");
        buf_put_html(html, url);
        buf_puts(html, "\" style=\"color:#0b57d0\">");
        buf_put_html(html, url);
        buf_puts(html, "</a></p>\n");
    }
    buf_puts(html, "<p><strong>");
    buf_put_html(html, secret);
    buf_puts(html, "</strong></p>\n<p>");
    buf_put_html(html, ignore);
    buf_puts(html, "</p>\n");
    put_html_tail(html, w);
    return result(subject, text, html);
}

int mail_tpl_notice(struct buf *text, struct buf *html, const char *lang, const char *name,
                    const char *body, const char *link_label, const char *url)
{
    bool english = is_en(lang);
    const struct words *w = english ? &en : &pl;
    mail_html_head(html, english);
    put_greeting(text, html, w, name);

    /* paragraphs: split on blank lines; single newlines become <br> */
    const char *p = body ? body : "";
    buf_puts(text, p);
    buf_puts(text, "\n\n");
    while (*p) {
        while (*p == '\n' || *p == '\r')
            p++;
        if (!*p)
            break;
        const char *end = strstr(p, "\n\n");
        const char *crlf = strstr(p, "\r\n\r\n");
        if (!end || (crlf && crlf < end))
            end = crlf;
        size_t n = end ? (size_t)(end - p) : strlen(p);
        buf_puts(html, "<p>");
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '\n') {
                buf_puts(html, "<br>\n");
            } else if (p[i] != '\r') {
                char one[2] = {p[i], '\0'};
                buf_put_html(html, one);
            }
        }
        buf_puts(html, "</p>\n");
        p += n;
    }

    if (is_web_url(url))
        put_link(text, html, link_label, url);
    buf_printf(text, "-- \n%s\n", w->footer);
    put_html_tail(html, w);
    return result(text, html, NULL);
}
