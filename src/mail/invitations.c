/* invitations.c — the invitation, reminder and change mails of a meeting and
 * the words of its calendar event (see invitations.h). The three mails share
 * one body: an opening that differs, then the meeting's details, the agenda
 * and the personal link, rendered to plain text and HTML from the same words.
 * The HTML frame repeats the one of templates.c so every obrady mail looks alike. */
#include "mail/invitations.h"
#include "mail/mail_html.h"

#include <string.h>

#include "mail/ics.h"
#include "util/buf.h"
#include "util/err.h"

struct words {
    const char *hello_named, *hello; /* "%s" is the name */
    const char *subj_invitation, *subj_reminder, *subj_changed;
    const char *intro_invitation, *intro_changed, *now_changed;
    const char *l_body, *l_meeting, *l_when, *l_place, *l_mode, *l_video;
    const char *no;       /* before a meeting number */
    const char *meeting;  /* in the calendar summary */
    const char *modes[3]; /* by enum invitation_mode */
    const char *agenda, *no_items, *documents;
    const char *access, *access_hint, *calendar;
    const char *regards, *footer;
    const char *const *months, *const *weekdays;
    const char *when_fmt; /* weekday, day, month, year, hour, minute, zone */
};

static const char *const pl_months[] = {"stycznia", "lutego",       "marca",     "kwietnia",
                                        "maja",     "czerwca",      "lipca",     "sierpnia",
                                        "września", "października", "listopada", "grudnia"};
static const char *const pl_weekdays[] = {"poniedziałek", "wtorek", "środa",    "czwartek",
                                          "piątek",       "sobota", "niedziela"};
static const char *const en_months[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
static const char *const en_weekdays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                          "Friday", "Saturday", "Sunday"};

static const struct words pl = {
    /* Formal, and right for anyone: the vocative of a name needs the
     * person's gender, which we do not keep. */
    .hello_named = "Szanowna Pani / Szanowny Panie,",
    .hello = "Szanowna Pani / Szanowny Panie,",
    .subj_invitation = "Zawiadomienie o posiedzeniu",
    .subj_reminder = "Przypomnienie: posiedzenie",
    .subj_changed = "Zmiana w posiedzeniu",
    .intro_invitation = "Uprzejmie zawiadamiamy o zwołaniu posiedzenia.",
    .intro_changed = "Zmieniły się ustalenia dotyczące posiedzenia:",
    .now_changed = "Aktualne informacje o posiedzeniu:",
    .l_body = "Organ",
    .l_meeting = "Posiedzenie",
    .l_when = "Termin",
    .l_place = "Miejsce",
    .l_mode = "Forma",
    .l_video = "Wideokonferencja / transmisja",
    .no = "nr",
    .meeting = "posiedzenie",
    .modes = {"stacjonarna — posiedzenie odbywa się w miejscu podanym powyżej.",
              "zdalna — posiedzenie odbywa się przy użyciu środków komunikacji elektronicznej. "
              "Obraz i dźwięk: wideokonferencja lub transmisja podana niżej; sprawdzenie "
              "obecności, zgłoszenia do głosu, czat i głosowania: system obrady, przez osobisty "
              "link do posiedzenia.",
              "hybrydowa — można uczestniczyć w miejscu posiedzenia albo zdalnie "
              "(wideokonferencja lub transmisja podana niżej). W obu przypadkach sprawdzenie "
              "obecności, zgłoszenia do głosu i głosowania odbywają się w systemie obrady, przez "
              "osobisty link do posiedzenia."},
    .agenda = "Porządek obrad",
    .no_items = "(porządek obrad nie zawiera jeszcze punktów)",
    .documents = "Materiały",
    .access = "Link do posiedzenia (osobisty, nie przekazuj go innym)",
    .access_hint = "Link otwiera logowanie na to posiedzenie; zalogujesz się kodem wysłanym "
                   "na Twój adres e-mail. Tam potwierdzisz obecność i oddasz głos.",
    .calendar = "Do wiadomości dołączono zaproszenie do kalendarza (plik .ics).",
    .regards = "Z poważaniem",
    .footer = "Wiadomość wysłana automatycznie przez obrady — prosimy na nią nie odpowiadać.",
    .months = pl_months,
    .weekdays = pl_weekdays,
    .when_fmt = "%s, %d %s %d r., godz. %02d:%02d %s",
};

static const struct words en = {
    .hello_named = "Dear %s,",
    .hello = "Dear Sir or Madam,",
    .subj_invitation = "Notice of meeting",
    .subj_reminder = "Reminder: meeting",
    .subj_changed = "Change to the meeting",
    .intro_invitation = "You are invited to the meeting below.",
    .intro_changed = "The arrangements for the meeting have changed:",
    .now_changed = "The meeting as it now stands:",
    .l_body = "Body",
    .l_meeting = "Meeting",
    .l_when = "Date",
    .l_place = "Place",
    .l_mode = "Form",
    .l_video = "Video meeting / broadcast",
    .no = "no.",
    .meeting = "meeting",
    .modes = {"in person — the meeting takes place at the place given above.",
              "remote — the meeting is held by electronic means. Sound and picture: the video "
              "meeting or broadcast given below; attendance, requests to speak, chat and voting: "
              "obrady, through your personal link to the meeting.",
              "hybrid — you may attend at the place or remotely (the video meeting or broadcast "
              "given below). Either way, attendance, requests to speak and voting happen in "
              "obrady, through your personal link to the meeting."},
    .agenda = "Agenda",
    .no_items = "(the agenda has no items yet)",
    .documents = "Documents",
    .access = "Your link to the meeting (personal, do not pass it on)",
    .access_hint = "The link opens the sign-in page of this meeting; you sign in with a code "
                   "sent to your e-mail address. There you confirm your attendance and vote.",
    .calendar = "A calendar invitation (.ics file) is attached.",
    .regards = "Kind regards,",
    .footer = "This message was sent automatically by obrady — please do not reply to it.",
    .months = en_months,
    .weekdays = en_weekdays,
    .when_fmt = "%s, %d %s %d, %02d:%02d %s",
};

/* ---- time: Europe/Warsaw without the TZ database ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* 0 = Monday; 1970-01-01 was a Thursday. */
static int weekday_of(int64_t days)
{
    return (int)(((days % 7) + 7 + 3) % 7);
}

/* The EU switch instant of a year: the last Sunday of month at 01:00 UTC. */
static int64_t eu_switch_ms(int year, int month)
{
    int64_t last = days_from_civil(year, month + 1, 1) - 1; /* month is 3 or 10 */
    int64_t sunday = last - (weekday_of(last) + 1) % 7;
    return sunday * 86400000 + 3600000;
}

static void fill_local(int64_t local_ms, struct invitation_local_time *out)
{
    int64_t days = floor_div(local_ms, 86400000);
    int64_t min_of_day = (local_ms - days * 86400000) / 60000;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(min_of_day / 60);
    out->minute = (int)(min_of_day % 60);
    out->weekday = weekday_of(days);
}

bool invitation_local_time(int64_t utc_ms, const char *zone, struct invitation_local_time *out)
{
    bool is_warsaw = !zone || strcmp(zone, "Europe/Warsaw") == 0;
    if (!is_warsaw) {
        out->offset_min = 0;
        out->abbr = "UTC";
        fill_local(utc_ms, out);
        return false;
    }
    int y, m, d;
    civil_from_days(floor_div(utc_ms, 86400000), &y, &m, &d);
    bool is_summer = utc_ms >= eu_switch_ms(y, 3) && utc_ms < eu_switch_ms(y, 10);
    out->offset_min = is_summer ? 120 : 60;
    out->abbr = is_summer ? "CEST" : "CET";
    fill_local(utc_ms + (int64_t)out->offset_min * 60000, out);
    return true;
}

/* ---- small pieces ---- */

static bool is_en(const char *lang)
{
    return lang && strcmp(lang, "en") == 0;
}

static bool is_web_url(const char *url)
{
    return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
           !strpbrk(url, " \t\r\n\"<>");
}

static bool has(const char *s)
{
    return s && s[0];
}

static int check(const struct invitation *inv)
{
    if (!inv || !has(inv->body_name) || !is_web_url(inv->access_url) ||
        (inv->n_items && !inv->items))
        return OBR_EINVAL;
    for (size_t i = 0; i < inv->n_items; i++)
        if (!inv->items[i].title || (inv->items[i].n_documents && !inv->items[i].documents))
            return OBR_EINVAL;
    return 0;
}

static void put_when(struct buf *b, const struct words *w, const struct invitation *inv)
{
    struct invitation_local_time t;
    invitation_local_time(inv->starts_at_ms, inv->time_zone, &t);
    buf_printf(b, w->when_fmt, w->weekdays[t.weekday], t.day, w->months[t.month - 1], t.year,
               t.hour, t.minute, t.abbr);
}

/* "12.03.2026, godz. 10:00" / "12 March 2026, 10:00 CET" for subjects. */
static void put_when_short(struct buf *b, bool english, const struct invitation *inv)
{
    struct invitation_local_time t;
    invitation_local_time(inv->starts_at_ms, inv->time_zone, &t);
    if (english)
        buf_printf(b, "%d %s %d, %02d:%02d %s", t.day, en_months[t.month - 1], t.year, t.hour,
                   t.minute, t.abbr);
    else
        buf_printf(b, "%02d.%02d.%d, godz. %02d:%02d", t.day, t.month, t.year, t.hour, t.minute);
    if (!english && strcmp(t.abbr, "UTC") == 0)
        buf_puts(b, " UTC");
}

/* "nr 12 — Posiedzenie zwyczajne", "nr 12" or the title; false when neither. */
static bool put_meeting_label(struct buf *b, const struct words *w, const struct invitation *inv)
{
    if (has(inv->number))
        buf_printf(b, "%s %s%s", w->no, inv->number, has(inv->title) ? " — " : "");
    if (has(inv->title))
        buf_puts(b, inv->title);
    return has(inv->number) || has(inv->title);
}

/* "Zawiadomienie o posiedzeniu nr 12 — Rada Wydziału Fizyki, 12.03.2026, godz. 10:00";
 * without the number when head does not end with the word it belongs to. */
static void put_subject(struct buf *s, const char *head, bool has_number, bool english,
                        const struct words *w, const struct invitation *inv)
{
    buf_puts(s, head);
    if (has_number && has(inv->number))
        buf_printf(s, " %s %s", w->no, inv->number);
    buf_printf(s, " — %s, ", inv->body_name);
    put_when_short(s, english, inv);
}

/* HTML text with line breaks as <br>. */
static void put_html_lines(struct buf *h, const char *s)
{
    for (; *s; s++) {
        if (*s == '\r' && s[1] == '\n')
            continue;
        if (*s == '\n' || *s == '\r') {
            buf_puts(h, "<br>\n");
        } else {
            char one[2] = {*s, '\0'};
            buf_put_html(h, one);
        }
    }
}

/* Plain text with every line after the first indented by indent. */
static void put_text_indented(struct buf *t, const char *s, const char *indent)
{
    for (; *s; s++) {
        if (*s == '\r' && s[1] == '\n')
            continue;
        if (*s == '\n' || *s == '\r') {
            buf_putc(t, '\n');
            buf_puts(t, indent);
        } else {
            buf_putc(t, *s);
        }
    }
}

static void put_link_html(struct buf *h, const char *url, const char *label)
{
    buf_puts(h, "<a href=\"");
    buf_put_html(h, url);
    buf_puts(h, "\" style=\"color:#0b57d0\">");
    buf_put_html(h, label);
    buf_puts(h, "</a>");
}

/* ---- the shared frame and body ---- */


static void put_greeting(struct buf *t, struct buf *h, const struct words *w, const char *name)
{
    buf_puts(h, "<p>");
    if (has(name) && strstr(w->hello_named, "%s")) { /* a greeting may omit the name */
        buf_printf(t, w->hello_named, name);
        const char *at = strstr(w->hello_named, "%s");
        buf_append(h, w->hello_named, (size_t)(at - w->hello_named));
        buf_put_html(h, name);
        buf_puts(h, at + 2);
    } else {
        buf_puts(t, w->hello);
        buf_puts(h, w->hello);
    }
    buf_puts(t, "\n\n");
    buf_puts(h, "</p>\n");
}

static void put_paragraph(struct buf *t, struct buf *h, const char *s)
{
    buf_printf(t, "%s\n\n", s);
    buf_puts(h, "<p>");
    buf_put_html(h, s);
    buf_puts(h, "</p>\n");
}

static void row_start(struct buf *t, struct buf *h, const char *label)
{
    buf_printf(t, "%s: ", label);
    buf_puts(h, "<tr><th style=\"text-align:left;vertical-align:top;padding:4px 12px 4px 0;"
                "white-space:nowrap\">");
    buf_put_html(h, label);
    buf_puts(h, "</th><td style=\"padding:4px 0\">");
}

static void row_end(struct buf *t, struct buf *h)
{
    buf_putc(t, '\n');
    buf_puts(h, "</td></tr>\n");
}

static void row(struct buf *t, struct buf *h, const char *label, const char *value)
{
    row_start(t, h, label);
    buf_puts(t, value);
    buf_put_html(h, value);
    row_end(t, h);
}

static void put_details(struct buf *t, struct buf *h, const struct words *w,
                        const struct invitation *inv)
{
    struct buf scratch = BUF_INIT;
    buf_puts(h, "<table style=\"border-collapse:collapse;margin:16px 0\">\n");
    row(t, h, w->l_body, inv->body_name);
    if (put_meeting_label(&scratch, w, inv))
        row(t, h, w->l_meeting, buf_str(&scratch));
    buf_reset(&scratch);
    put_when(&scratch, w, inv);
    row_start(t, h, w->l_when);
    buf_puts(t, buf_str(&scratch));
    buf_puts(h, "<strong>");
    buf_put_html(h, buf_str(&scratch));
    buf_puts(h, "</strong>");
    row_end(t, h);
    if (has(inv->place))
        row(t, h, w->l_place, inv->place);
    unsigned mode = (unsigned)inv->mode <= INVITATION_HYBRID ? (unsigned)inv->mode : 0;
    row(t, h, w->l_mode, w->modes[mode]);
    if (is_web_url(inv->broadcast_url)) {
        row_start(t, h, w->l_video);
        buf_puts(t, inv->broadcast_url);
        put_link_html(h, inv->broadcast_url, inv->broadcast_url);
        row_end(t, h);
    }
    buf_puts(h, "</table>\n");
    buf_putc(t, '\n');
    if (buf_failed(&scratch))
        t->failed = true;
    buf_free(&scratch);
}

static void put_item(struct buf *t, struct buf *h, const struct words *w, size_t n,
                     const struct invitation_item *it)
{
    buf_printf(t, "%zu. ", n);
    put_text_indented(t, it->title, "   ");
    buf_putc(t, '\n');
    buf_puts(h, "<li style=\"margin-bottom:8px\"><strong>");
    put_html_lines(h, it->title);
    buf_puts(h, "</strong>");
    if (has(it->description)) {
        buf_puts(t, "   ");
        put_text_indented(t, it->description, "   ");
        buf_putc(t, '\n');
        buf_puts(h, "<br>\n");
        put_html_lines(h, it->description);
    }
    if (it->n_documents) {
        buf_printf(t, "   %s:\n", w->documents);
        buf_puts(h, "<br>\n");
        buf_put_html(h, w->documents);
        buf_puts(h, ":\n<ul style=\"margin:4px 0\">\n");
    }
    for (size_t i = 0; i < it->n_documents; i++) {
        const struct invitation_document *d = &it->documents[i];
        const char *name = d->name ? d->name : "";
        bool has_url = is_web_url(d->url);
        buf_printf(t, "   - %s%s%s\n", name, has_url ? ": " : "", has_url ? d->url : "");
        buf_puts(h, "<li>");
        if (has_url)
            put_link_html(h, d->url, has(name) ? name : d->url);
        else
            buf_put_html(h, name);
        buf_puts(h, "</li>\n");
    }
    if (it->n_documents)
        buf_puts(h, "</ul>");
    buf_puts(h, "</li>\n");
}

static void put_agenda(struct buf *t, struct buf *h, const struct words *w,
                       const struct invitation *inv)
{
    buf_printf(t, "%s:\n\n", w->agenda);
    buf_puts(h, "<h2 style=\"font-size:18px;margin:24px 0 8px\">");
    buf_put_html(h, w->agenda);
    buf_puts(h, "</h2>\n");
    if (!inv->n_items) {
        put_paragraph(t, h, w->no_items);
        return;
    }
    buf_puts(h, "<ol style=\"padding-left:24px\">\n");
    for (size_t i = 0; i < inv->n_items; i++)
        put_item(t, h, w, i + 1, &inv->items[i]);
    buf_puts(h, "</ol>\n");
    buf_putc(t, '\n');
}

static void put_access(struct buf *t, struct buf *h, const struct words *w,
                       const struct invitation *inv)
{
    buf_printf(t, "%s:\n%s\n%s\n\n", w->access, inv->access_url, w->access_hint);
    buf_puts(h, "<p style=\"margin:24px 0 8px\"><strong>");
    buf_put_html(h, w->access);
    buf_puts(h, ":</strong></p>\n<p style=\"margin:0 0 8px\"><a href=\"");
    buf_put_html(h, inv->access_url);
    buf_puts(h, "\" style=\"display:inline-block;padding:12px 20px;background:#0b57d0;"
                "color:#ffffff;text-decoration:none;border-radius:6px;word-break:break-all\">");
    buf_put_html(h, inv->access_url);
    buf_puts(h, "</a></p>\n<p style=\"font-size:14px;color:#5b6470\">");
    buf_put_html(h, w->access_hint);
    buf_puts(h, "</p>\n");
}

static void put_closing(struct buf *t, struct buf *h, const struct words *w,
                        const struct invitation *inv)
{
    if (inv->has_calendar)
        put_paragraph(t, h, w->calendar);
    const char *sender = has(inv->org_name) ? inv->org_name : inv->body_name;
    buf_printf(t, "%s\n%s\n\n-- \n%s\n", w->regards, sender, w->footer);
    buf_puts(h, "<p>");
    buf_put_html(h, w->regards);
    buf_puts(h, "<br>\n");
    buf_put_html(h, sender);
    buf_puts(h, "</p>\n<p style=\"margin-top:32px;font-size:13px;color:#5b6470\">");
    buf_put_html(h, w->footer);
    buf_puts(h, "</p>\n</div>\n</body>\n</html>\n");
}

static int result(const struct buf *s, const struct buf *t, const struct buf *h)
{
    return buf_failed(s) || buf_failed(t) || buf_failed(h) ? OBR_ENOMEM : 0;
}

/* The body every meeting mail shares, after its own opening paragraphs. */
static void put_meeting(struct buf *t, struct buf *h, const struct words *w,
                        const struct invitation *inv)
{
    put_details(t, h, w, inv);
    put_agenda(t, h, w, inv);
    put_access(t, h, w, inv);
    put_closing(t, h, w, inv);
}

/* ---- the templates ---- */

int mail_tpl_invitation(struct buf *subject, struct buf *text, struct buf *html,
                        const struct invitation *inv, const char *lang)
{
    int rc = check(inv);
    if (rc)
        return rc;
    bool english = is_en(lang);
    const struct words *w = english ? &en : &pl;
    put_subject(subject, w->subj_invitation, true, english, w, inv);
    mail_html_head(html, english);
    put_greeting(text, html, w, inv->recipient_name);
    put_paragraph(text, html, w->intro_invitation);
    put_meeting(text, html, w, inv);
    return result(subject, text, html);
}

/* "za 1 dzień", "za 5 dni", "dzisiaj" / "in 1 day", "in 5 days", "today":
 * in Polish only 1 takes the singular; every other count takes "dni". */
static void put_in_days(struct buf *b, bool english, int days)
{
    if (days <= 0)
        buf_puts(b, english ? "today" : "dzisiaj");
    else if (english)
        buf_printf(b, "in %d day%s", days, days == 1 ? "" : "s");
    else
        buf_printf(b, "za %d %s", days, days == 1 ? "dzień" : "dni");
}

int mail_tpl_reminder(struct buf *subject, struct buf *text, struct buf *html,
                      const struct invitation *inv, const char *lang, int days_before)
{
    int rc = check(inv);
    if (rc)
        return rc;
    bool english = is_en(lang);
    const struct words *w = english ? &en : &pl;
    struct buf head = BUF_INIT, intro = BUF_INIT;
    buf_printf(&head, "%s ", w->subj_reminder);
    put_in_days(&head, english, days_before);
    put_subject(subject, buf_str(&head), false, english, w, inv);

    buf_puts(&intro, english ? "This is a reminder of the meeting, which takes place "
                             : "Przypominamy o posiedzeniu, które odbędzie się ");
    put_in_days(&intro, english, days_before);
    buf_putc(&intro, '.');
    mail_html_head(html, english);
    put_greeting(text, html, w, inv->recipient_name);
    put_paragraph(text, html, buf_str(&intro));
    put_meeting(text, html, w, inv);
    rc = buf_failed(&head) || buf_failed(&intro) ? OBR_ENOMEM : result(subject, text, html);
    buf_free(&head);
    buf_free(&intro);
    return rc;
}

int mail_tpl_meeting_changed(struct buf *subject, struct buf *text, struct buf *html,
                             const struct invitation *inv, const char *lang,
                             const char *const *changes, size_t n_changes)
{
    int rc = check(inv);
    if (rc)
        return rc;
    if (n_changes && !changes)
        return OBR_EINVAL;
    bool english = is_en(lang);
    const struct words *w = english ? &en : &pl;
    put_subject(subject, w->subj_changed, true, english, w, inv);
    mail_html_head(html, english);
    put_greeting(text, html, w, inv->recipient_name);
    buf_printf(text, "%s\n\n", w->intro_changed);
    buf_puts(html, "<p>");
    buf_put_html(html, w->intro_changed);
    buf_puts(html, "</p>\n<ul>\n");
    for (size_t i = 0; i < n_changes; i++) {
        const char *c = changes[i] ? changes[i] : "";
        buf_puts(text, "  - ");
        put_text_indented(text, c, "    ");
        buf_putc(text, '\n');
        buf_puts(html, "<li><strong>");
        put_html_lines(html, c);
        buf_puts(html, "</strong></li>\n");
    }
    buf_puts(html, "</ul>\n");
    buf_putc(text, '\n');
    put_paragraph(text, html, w->now_changed);
    put_meeting(text, html, w, inv);
    return result(subject, text, html);
}

/* ---- the calendar event ---- */

int mail_tpl_invitation_ics(struct ics_event *ev, struct buf *summary, struct buf *description,
                            const struct invitation *inv, const char *lang)
{
    int rc = check(inv);
    if (rc || !ev)
        return rc ? rc : OBR_EINVAL;
    const struct words *w = is_en(lang) ? &en : &pl;

    buf_puts(summary, inv->body_name);
    if (has(inv->number))
        buf_printf(summary, " — %s %s %s", w->meeting, w->no, inv->number);
    if (has(inv->title))
        buf_printf(summary, ": %s", inv->title);

    buf_printf(description, "%s:\n", w->agenda);
    if (!inv->n_items)
        buf_printf(description, "%s\n", w->no_items);
    for (size_t i = 0; i < inv->n_items; i++) {
        buf_printf(description, "%zu. ", i + 1);
        /* one line per item: a title's own line breaks would break the numbering */
        for (const char *p = inv->items[i].title; *p; p++)
            buf_putc(description, *p == '\n' || *p == '\r' ? ' ' : *p);
        buf_putc(description, '\n');
    }
    buf_printf(description, "\n%s:\n%s\n", w->access, inv->access_url);
    if (is_web_url(inv->broadcast_url))
        buf_printf(description, "\n%s: %s\n", w->l_video, inv->broadcast_url);
    if (buf_failed(summary) || buf_failed(description))
        return OBR_ENOMEM;

    bool has_video = is_web_url(inv->broadcast_url);
    const char *location = has(inv->place) ? inv->place : has_video ? inv->broadcast_url : NULL;
    if (inv->mode == INVITATION_REMOTE && has_video)
        location = inv->broadcast_url;
    ev->summary = buf_str(summary);
    ev->description = buf_str(description);
    ev->location = location;
    ev->url = inv->access_url;
    ev->start_ms = inv->starts_at_ms;
    ev->attendee_name = inv->recipient_name;
    return 0;
}
