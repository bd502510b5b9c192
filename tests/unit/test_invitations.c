/* test_invitations.c — the invitation, reminder and change mails and the
 * calendar words of a meeting (mail/invitations.c): Warsaw time across both
 * DST switches, Polish plurals, escaping, links, every agenda item present,
 * and the whole invitation assembled as the caller will (text + HTML + inline
 * .ics) and decoded back by Python's email package. */
#include "mail_testutil.h"

#include <stdbool.h>

#include "mail/ics.h"
#include "mail/invitations.h"
#include "mail/mail.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

#define MS(y, mo, d, h, mi) utc_ms(y, mo, d, h, mi)

/* 2026-03-12T09:00Z: Thursday 10:00 CET */
#define START_MS 1773306000000LL
#define ACCESS "https://obrady.uczelnia.example/m/k3x9m2p7q8r4s5t6v1w0/a/Zq4vR8tY2wX6"

static int64_t utc_ms(int y, int mo, int d, int h, int mi)
{
    /* days from civil, as an independent check of the code under test */
    int yy = mo <= 2 ? y - 1 : y;
    int era = yy / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (mo > 2 ? mo - 3 : mo + 9) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    return ((days * 24 + h) * 60 + mi) * 60000LL;
}

static const struct invitation_document docs1[] = {
    {.name = "Projekt uchwały nr 12/2026 — zażółć.pdf",
     .url = "https://obrady.uczelnia.example/d/1?x=1&y=2"},
    {.name = "Opinia komisji.docx", .url = "https://obrady.uczelnia.example/d/2"},
};
static const struct invitation_document docs3[] = {
    {.name = "Sprawozdanie finansowe.odt", .url = "https://obrady.uczelnia.example/d/3"},
};

static const struct invitation_item items[] = {
    {.title = "Otwarcie posiedzenia i stwierdzenie kworum"},
    {.title = "Podjęcie uchwały w sprawie zmian w regulaminie studiów",
     .description = "Zażółć gęślą jaźń.\nReferuje: prodziekan ds. studenckich.",
     .documents = docs1,
     .n_documents = 2},
    {.title = "Sprawozdanie z wykonania budżetu", .documents = docs3, .n_documents = 1},
    {.title = "Wolne wnioski i zamknięcie posiedzenia"},
};

static struct invitation base(void)
{
    return (struct invitation){
        .org_name = "Uniwersytet Wrocławski, Wydział Fizyki i Astronomii",
        .body_name = "Rada Wydziału Fizyki i Astronomii",
        .number = "12",
        .title = "Posiedzenie zwyczajne",
        .starts_at_ms = START_MS,
        .time_zone = "Europe/Warsaw",
        .place = "Sala 447, pl. Maksa Borna 9, Wrocław",
        .mode = INVITATION_HYBRID,
        .broadcast_url = "https://teams.microsoft.example/l/meetup-join/abc",
        .items = items,
        .n_items = 4,
        .access_url = ACCESS,
        .recipient_name = "prof. dr hab. Zofia Łęcka",
        .has_calendar = true,
    };
}

struct rendered {
    struct buf subject, text, html;
};

static void rendered_free(struct rendered *r)
{
    buf_free(&r->subject);
    buf_free(&r->text);
    buf_free(&r->html);
}

static void render_invitation(struct rendered *r, const struct invitation *inv, const char *lang)
{
    *r = (struct rendered){BUF_INIT, BUF_INIT, BUF_INIT};
    assert_int_equal(mail_tpl_invitation(&r->subject, &r->text, &r->html, inv, lang), 0);
    assert_true(utf8_is_valid(r->subject.p, r->subject.len));
    assert_true(utf8_is_valid(r->text.p, r->text.len));
    assert_true(utf8_is_valid(r->html.p, r->html.len));
}

#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        if (!strstr((hay), (needle)))                                                              \
            fail_msg("missing \"%s\" in:\n%s", (needle), (hay));                                   \
    } while (0)

static int occurrences(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- time ---- */

static void test_warsaw_time_across_dst_switches(void **state)
{
    const struct {
        int64_t utc;
        int hour, minute, day, offset_min;
        const char *abbr;
    } cases[] = {
        /* spring forward: last Sunday of March 2026 is the 29th, 01:00Z */
        {MS(2026, 3, 29, 0, 30), 1, 30, 29, 60, "CET"},
        {MS(2026, 3, 29, 0, 59), 1, 59, 29, 60, "CET"},
        {MS(2026, 3, 29, 1, 0), 3, 0, 29, 120, "CEST"},
        {MS(2026, 3, 29, 1, 30), 3, 30, 29, 120, "CEST"},
        /* fall back: last Sunday of October 2026 is the 25th, 01:00Z */
        {MS(2026, 10, 25, 0, 30), 2, 30, 25, 120, "CEST"},
        {MS(2026, 10, 25, 0, 59), 2, 59, 25, 120, "CEST"},
        {MS(2026, 10, 25, 1, 0), 2, 0, 25, 60, "CET"},
        {MS(2026, 10, 25, 1, 30), 2, 30, 25, 60, "CET"},
        /* the last Sunday is the 31st: 2024 (March 31 and October 27), 2027 (October 31) */
        {MS(2024, 3, 31, 0, 59), 1, 59, 31, 60, "CET"},
        {MS(2024, 3, 31, 1, 0), 3, 0, 31, 120, "CEST"},
        {MS(2027, 10, 31, 0, 59), 2, 59, 31, 120, "CEST"},
        {MS(2027, 10, 31, 1, 0), 2, 0, 31, 60, "CET"},
        /* midwinter and midsummer; a UTC evening that is the next local day */
        {MS(2026, 1, 15, 12, 0), 13, 0, 15, 60, "CET"},
        {MS(2026, 7, 15, 12, 0), 14, 0, 15, 120, "CEST"},
        {MS(2026, 12, 31, 23, 30), 0, 30, 1, 60, "CET"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct invitation_local_time t;
        assert_true(invitation_local_time(cases[i].utc, "Europe/Warsaw", &t));
        if (t.hour != cases[i].hour || t.minute != cases[i].minute || t.day != cases[i].day ||
            t.offset_min != cases[i].offset_min || strcmp(t.abbr, cases[i].abbr) != 0)
            fail_msg("case %zu: got day %d %02d:%02d %s (%+d min)", i, t.day, t.hour, t.minute,
                     t.abbr, t.offset_min);
    }
    struct invitation_local_time t;
    assert_true(invitation_local_time(MS(2026, 12, 31, 23, 30), NULL, &t)); /* NULL: Warsaw */
    assert_int_equal(t.year, 2027);
    assert_int_equal(t.month, 1);
    assert_int_equal(t.weekday, 4); /* 2027-01-01 is a Friday */
}

static void test_dst_shows_in_rendered_invitation(void **state)
{
    const struct {
        int64_t utc;
        const char *want;
    } cases[] = {
        {MS(2026, 3, 29, 0, 30), "niedziela, 29 marca 2026 r., godz. 01:30 CET"},
        {MS(2026, 3, 29, 1, 30), "niedziela, 29 marca 2026 r., godz. 03:30 CEST"},
        {MS(2026, 10, 25, 0, 30), "niedziela, 25 października 2026 r., godz. 02:30 CEST"},
        {MS(2026, 10, 25, 1, 30), "niedziela, 25 października 2026 r., godz. 02:30 CET"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct invitation inv = base();
        inv.starts_at_ms = cases[i].utc;
        struct rendered r;
        render_invitation(&r, &inv, "pl");
        assert_contains(r.text.p, cases[i].want);
        assert_contains(r.html.p, cases[i].want);
        rendered_free(&r);
    }
}

static void test_unknown_zone_falls_back_to_utc(void **state)
{
    struct invitation_local_time t;
    assert_false(invitation_local_time(START_MS, "Europe/London", &t));
    assert_int_equal(t.hour, 9);
    assert_int_equal(t.offset_min, 0);
    assert_string_equal(t.abbr, "UTC");
    struct invitation inv = base();
    inv.time_zone = "America/New_York";
    struct rendered r;
    render_invitation(&r, &inv, "pl");
    assert_contains(r.text.p, "czwartek, 12 marca 2026 r., godz. 09:00 UTC");
    assert_contains(r.subject.p, "12.03.2026, godz. 09:00 UTC");
    rendered_free(&r);
}

/* ---- the invitation ---- */

static void test_polish_invitation_reads_formally_with_diacritics(void **state)
{
    struct invitation inv = base();
    struct rendered r;
    render_invitation(&r, &inv, "pl");
    assert_string_equal(r.subject.p, "Zawiadomienie o posiedzeniu nr 12 — Rada Wydziału Fizyki i "
                                     "Astronomii, 12.03.2026, godz. 10:00");
    assert_contains(r.text.p, "Szanowna Pani / Szanowny Panie,\n");
    assert_contains(r.text.p, "Uprzejmie zawiadamiamy o zwołaniu posiedzenia.");
    assert_contains(r.text.p, "Organ: Rada Wydziału Fizyki i Astronomii\n");
    assert_contains(r.text.p, "Posiedzenie: nr 12 — Posiedzenie zwyczajne\n");
    assert_contains(r.text.p, "Termin: czwartek, 12 marca 2026 r., godz. 10:00 CET\n");
    assert_contains(r.text.p, "Miejsce: Sala 447, pl. Maksa Borna 9, Wrocław\n");
    assert_contains(r.text.p, "Forma: hybrydowa");
    assert_contains(r.text.p, "Wideokonferencja / transmisja: "
                              "https://teams.microsoft.example/l/meetup-join/abc\n");
    assert_contains(r.text.p, "Porządek obrad:\n");
    assert_contains(r.text.p, "Link do posiedzenia (osobisty, nie przekazuj go innym):\n" ACCESS);
    assert_contains(r.text.p, "zaproszenie do kalendarza (plik .ics)");
    assert_contains(r.text.p, "Z poważaniem\nUniwersytet Wrocławski, Wydział Fizyki i Astronomii");
    assert_contains(r.text.p, "Zażółć gęślą jaźń.");
    assert_contains(r.html.p, "<html lang=\"pl\">");
    assert_contains(r.html.p, "Zażółć gęślą jaźń.");
    assert_contains(r.html.p, "Porządek obrad");
    assert_contains(r.html.p, "Link do posiedzenia (osobisty, nie przekazuj go innym)");
    assert_contains(r.html.p, "<a href=\"" ACCESS "\"");
    rendered_free(&r);
}

static void test_every_agenda_item_is_present_in_order(void **state)
{
    struct invitation inv = base();
    struct rendered r;
    render_invitation(&r, &inv, "pl");
    const char *prev_t = r.text.p, *prev_h = r.html.p;
    for (size_t i = 0; i < inv.n_items; i++) {
        char numbered[256];
        snprintf(numbered, sizeof numbered, "%zu. %s\n", i + 1, items[i].title);
        const char *t = strstr(r.text.p, numbered);
        if (!t)
            fail_msg("item %zu missing from the text", i + 1);
        assert_true(t > prev_t);
        prev_t = t;
        const char *h = strstr(r.html.p, items[i].title);
        assert_non_null(h);
        assert_true(h > prev_h);
        prev_h = h;
        for (size_t k = 0; k < items[i].n_documents; k++) {
            const struct invitation_document *d = &items[i].documents[k];
            char line[256];
            snprintf(line, sizeof line, "   - %s: %s\n", d->name, d->url);
            assert_contains(r.text.p, line);
            assert_contains(r.html.p, d->name);
        }
    }
    assert_contains(r.text.p, "   Zażółć gęślą jaźń.\n   Referuje: prodziekan ds. studenckich.\n");
    assert_contains(r.text.p, "   Materiały:\n");
    /* the & of a download link is escaped inside the href */
    assert_contains(r.html.p, "href=\"https://obrady.uczelnia.example/d/1?x=1&amp;y=2\"");
    assert_int_equal(occurrences(r.html.p, "<li style=\"margin-bottom:8px\">"), 4);
    assert_int_equal(occurrences(r.html.p, "<ol"), 1);
    rendered_free(&r);
}

static void test_empty_agenda_says_so(void **state)
{
    struct invitation inv = base();
    inv.items = NULL;
    inv.n_items = 0;
    struct rendered r;
    render_invitation(&r, &inv, "pl");
    assert_contains(r.text.p, "(porządek obrad nie zawiera jeszcze punktów)");
    assert_null(strstr(r.html.p, "<ol"));
    rendered_free(&r);
}

static void test_script_in_title_is_escaped(void **state)
{
    static const struct invitation_document bad_doc[] = {
        {.name = "<img src=x onerror=alert(1)>.pdf", .url = "https://x.example/d\"><script>"}};
    static const struct invitation_item bad_items[] = {
        {.title = "<script>alert('punkt')</script>",
         .description = "<b>pogrubione</b> & \"cytat\"",
         .documents = bad_doc,
         .n_documents = 1},
    };
    struct invitation inv = base();
    inv.title = "<script>alert(1)</script>";
    inv.body_name = "Rada <i>Wydziału</i>";
    inv.recipient_name = "Jan \"<b>\" Kowalski";
    inv.place = "Sala <u>1</u> & 2";
    inv.items = bad_items;
    inv.n_items = 1;
    struct rendered r;
    render_invitation(&r, &inv, "pl");
    assert_null(strstr(r.html.p, "<script"));
    assert_null(strstr(r.html.p, "<img"));
    assert_null(strstr(r.html.p, "<i>"));
    assert_null(strstr(r.html.p, "<b>"));
    assert_null(strstr(r.html.p, "<u>"));
    assert_contains(r.html.p, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert_contains(r.html.p, "&lt;script&gt;alert(&#39;punkt&#39;)&lt;/script&gt;");
    assert_contains(r.html.p, "Sala &lt;u&gt;1&lt;/u&gt; &amp; 2");
    /* a link with a quote is not written at all; the name is, escaped */
    assert_null(strstr(r.html.p, "https://x.example/d"));
    assert_contains(r.html.p, "&lt;img src=x onerror=alert(1)&gt;.pdf");
    /* the plain text keeps the words as they are */
    assert_contains(r.text.p, "<script>alert(1)</script>");
    rendered_free(&r);
    /* The Polish greeting names nobody; the English one names the recipient, escaped. */
    struct rendered e;
    render_invitation(&e, &inv, "en");
    assert_null(strstr(e.html.p, "<b>"));
    assert_contains(e.html.p, "Dear Jan &quot;&lt;b&gt;&quot; Kowalski,");
    rendered_free(&e);
}

static void test_links_are_written_only_when_http(void **state)
{
    static const struct invitation_document js_doc[] = {
        {.name = "Załącznik.pdf", .url = "javascript:alert(1)"}};
    static const struct invitation_item js_items[] = {
        {.title = "Punkt", .documents = js_doc, .n_documents = 1}};
    struct invitation inv = base();
    inv.items = js_items;
    inv.n_items = 1;
    inv.broadcast_url = "data:text/html,<h1>x</h1>";
    struct rendered r;
    render_invitation(&r, &inv, "pl");
    assert_null(strstr(r.html.p, "javascript:"));
    assert_null(strstr(r.text.p, "javascript:"));
    assert_null(strstr(r.html.p, "data:"));
    assert_null(strstr(r.text.p, "Wideokonferencja / transmisja:"));
    assert_contains(r.text.p, "   - Załącznik.pdf\n");
    assert_contains(r.html.p, "<li>Załącznik.pdf</li>");
    assert_int_equal(occurrences(r.html.p, "<a href="), 1); /* the access link only */
    rendered_free(&r);
}

static void test_modes_are_explained(void **state)
{
    static const struct {
        enum invitation_mode mode;
        const char *pl, *en;
    } cases[] = {
        {INVITATION_IN_PERSON, "Forma: stacjonarna", "Form: in person"},
        {INVITATION_REMOTE, "Forma: zdalna", "Form: remote"},
        {INVITATION_HYBRID, "Forma: hybrydowa", "Form: hybrid"},
    };
    for (size_t i = 0; i < 3; i++) {
        struct invitation inv = base();
        inv.mode = cases[i].mode;
        struct rendered r;
        render_invitation(&r, &inv, "pl");
        assert_contains(r.text.p, cases[i].pl);
        rendered_free(&r);
        render_invitation(&r, &inv, "en");
        assert_contains(r.text.p, cases[i].en);
        rendered_free(&r);
    }
}

static void test_english_invitation(void **state)
{
    struct invitation inv = base();
    inv.recipient_name = NULL;
    inv.has_calendar = false;
    struct rendered r;
    render_invitation(&r, &inv, "en");
    assert_string_equal(r.subject.p, "Notice of meeting no. 12 — Rada Wydziału Fizyki i "
                                     "Astronomii, 12 March 2026, 10:00 CET");
    assert_contains(r.text.p, "Dear Sir or Madam,\n");
    assert_contains(r.text.p, "Date: Thursday, 12 March 2026, 10:00 CET\n");
    assert_contains(r.text.p, "Agenda:\n");
    assert_contains(r.text.p, "Documents:\n");
    assert_contains(r.text.p, "Your link to the meeting (personal, do not pass it on):\n" ACCESS);
    assert_null(strstr(r.text.p, ".ics"));
    assert_contains(r.html.p, "<html lang=\"en\">");
    rendered_free(&r);
}

static void test_invalid_invitations_are_refused(void **state)
{
    struct buf s = BUF_INIT, t = BUF_INIT, h = BUF_INIT;
    static const struct invitation_item untitled[] = {{.title = NULL}};
    struct invitation inv = base();
    inv.body_name = NULL;
    assert_int_equal(mail_tpl_invitation(&s, &t, &h, &inv, "pl"), OBR_EINVAL);
    inv = base();
    inv.access_url = "javascript:alert(1)";
    assert_int_equal(mail_tpl_invitation(&s, &t, &h, &inv, "pl"), OBR_EINVAL);
    inv = base();
    inv.access_url = NULL;
    assert_int_equal(mail_tpl_reminder(&s, &t, &h, &inv, "pl", 7), OBR_EINVAL);
    inv = base();
    inv.items = untitled;
    inv.n_items = 1;
    assert_int_equal(mail_tpl_meeting_changed(&s, &t, &h, &inv, "pl", NULL, 0), OBR_EINVAL);
    inv = base();
    assert_int_equal(mail_tpl_meeting_changed(&s, &t, &h, &inv, "pl", NULL, 2), OBR_EINVAL);
    assert_int_equal(s.len + t.len + h.len, 0); /* nothing written on refusal */
    buf_free(&s);
    buf_free(&t);
    buf_free(&h);
}

/* ---- reminder and change ---- */

static void test_reminder_uses_polish_plural_of_days(void **state)
{
    static const struct {
        int days;
        const char *pl, *en;
    } cases[] = {
        {1, "Przypomnienie: posiedzenie za 1 dzień — ", "Reminder: meeting in 1 day — "},
        {2, "Przypomnienie: posiedzenie za 2 dni — ", "Reminder: meeting in 2 days — "},
        {5, "Przypomnienie: posiedzenie za 5 dni — ", "Reminder: meeting in 5 days — "},
        {7, "Przypomnienie: posiedzenie za 7 dni — ", "Reminder: meeting in 7 days — "},
        {21, "Przypomnienie: posiedzenie za 21 dni — ", "Reminder: meeting in 21 days — "},
        {0, "Przypomnienie: posiedzenie dzisiaj — ", "Reminder: meeting today — "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct invitation inv = base();
        struct buf s = BUF_INIT, t = BUF_INIT, h = BUF_INIT;
        assert_int_equal(mail_tpl_reminder(&s, &t, &h, &inv, "pl", cases[i].days), 0);
        if (strncmp(s.p, cases[i].pl, strlen(cases[i].pl)) != 0)
            fail_msg("days %d: subject \"%s\"", cases[i].days, s.p);
        assert_contains(t.p, "Przypominamy o posiedzeniu, które odbędzie się ");
        assert_contains(t.p, "Porządek obrad:\n");
        assert_contains(t.p, ACCESS);
        buf_reset(&s);
        buf_reset(&t);
        buf_reset(&h);
        assert_int_equal(mail_tpl_reminder(&s, &t, &h, &inv, "en", cases[i].days), 0);
        if (strncmp(s.p, cases[i].en, strlen(cases[i].en)) != 0)
            fail_msg("days %d: subject \"%s\"", cases[i].days, s.p);
        buf_free(&s);
        buf_free(&t);
        buf_free(&h);
    }
}

static void test_change_notice_lists_changes_then_details(void **state)
{
    const char *changes[] = {"Termin: piątek, 13 marca 2026 r., godz. 12:00 CET",
                             "Dodano punkt <4>: \"Wolne wnioski\" & zamknięcie"};
    struct invitation inv = base();
    struct buf s = BUF_INIT, t = BUF_INIT, h = BUF_INIT;
    assert_int_equal(mail_tpl_meeting_changed(&s, &t, &h, &inv, "pl", changes, 2), 0);
    assert_true(strncmp(s.p, "Zmiana w posiedzeniu nr 12 — ", 30) == 0);
    const char *intro = strstr(t.p, "Zmieniły się ustalenia dotyczące posiedzenia:");
    const char *c1 = strstr(t.p, "  - Termin: piątek, 13 marca 2026 r., godz. 12:00 CET\n");
    const char *c2 = strstr(t.p, "  - Dodano punkt <4>: \"Wolne wnioski\" & zamknięcie\n");
    const char *now = strstr(t.p, "Aktualne informacje o posiedzeniu:");
    const char *agenda = strstr(t.p, "Porządek obrad:");
    assert_true(intro && c1 && c2 && now && agenda);
    assert_true(intro < c1 && c1 < c2 && c2 < now && now < agenda);
    assert_contains(h.p, "Dodano punkt &lt;4&gt;: &quot;Wolne wnioski&quot; &amp; zamknięcie");
    buf_free(&s);
    buf_free(&t);
    buf_free(&h);
}

/* ---- the calendar and the whole mail ---- */

static void test_ics_words_and_location_by_mode(void **state)
{
    struct invitation inv = base();
    struct ics_event ev = {0};
    struct buf sum = BUF_INIT, desc = BUF_INIT;
    assert_int_equal(mail_tpl_invitation_ics(&ev, &sum, &desc, &inv, "pl"), 0);
    assert_string_equal(ev.summary,
                        "Rada Wydziału Fizyki i Astronomii — posiedzenie nr 12: Posiedzenie "
                        "zwyczajne");
    assert_contains(ev.description, "Porządek obrad:\n1. Otwarcie posiedzenia i stwierdzenie "
                                    "kworum\n2. Podjęcie uchwały");
    assert_contains(ev.description, "4. Wolne wnioski i zamknięcie posiedzenia\n");
    assert_contains(ev.description,
                    "Link do posiedzenia (osobisty, nie przekazuj go innym):\n" ACCESS "\n");
    assert_string_equal(ev.location, inv.place); /* hybrid: the room */
    assert_string_equal(ev.url, ACCESS);
    assert_int_equal(ev.start_ms, START_MS);
    assert_string_equal(ev.attendee_name, inv.recipient_name);
    buf_free(&sum);
    buf_free(&desc);

    inv.mode = INVITATION_REMOTE;
    assert_int_equal(mail_tpl_invitation_ics(&ev, &sum, &desc, &inv, "pl"), 0);
    assert_string_equal(ev.location, inv.broadcast_url);
    buf_free(&sum);
    buf_free(&desc);
}

static void test_full_invitation_mail_decodes_with_inline_calendar(void **state)
{
    struct invitation inv = base();
    struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT, sum = BUF_INIT,
               desc = BUF_INIT;
    assert_int_equal(mail_tpl_invitation(&subject, &text, &html, &inv, "pl"), 0);

    char uid[64];
    assert_int_equal(ics_meeting_uid("k3x9m2p7q8r4s5t6v1w0", uid, sizeof uid), 0);
    struct ics_event ev = {
        .uid = uid,
        .sequence = 0,
        .end_ms = START_MS + 3 * 3600 * 1000LL,
        .stamp_ms = START_MS - 8 * 86400 * 1000LL,
        .organizer_name = inv.org_name,
        .organizer_email = "no-reply@uczelnia.example",
        .attendee_email = "zofia.lecka@uczelnia.example",
    };
    assert_int_equal(mail_tpl_invitation_ics(&ev, &sum, &desc, &inv, "pl"), 0);
    size_t ics_len;
    char *ics = ics_build(&ev, &ics_len);
    assert_non_null(ics);

    struct mail_attachment cal = {.content_type = ics_content_type(false),
                                  .data = ics,
                                  .len = ics_len,
                                  .is_inline_calendar = true};
    struct mail_message m = {.to_addr = "zofia.lecka@uczelnia.example",
                             .to_name = inv.recipient_name,
                             .subject = subject.p,
                             .text = text.p,
                             .html = html.p,
                             .attachments = &cal,
                             .n_attachments = 1};
    size_t len;
    char *msg = mime_build(&m, "Uniwersytet Wrocławski <no-reply@uczelnia.example>", &len);
    assert_non_null(msg);
    assert_mail_lines(msg, len);
    json_t *j = mail_py_parse(msg, len);
    assert_string_equal(jstr(j, "subject"), subject.p);
    json_t *parts = json_object_get(j, "parts");
    assert_int_equal(json_array_size(parts), 3);
    assert_string_equal(jstr(json_array_get(parts, 0), "text"), text.p);
    assert_string_equal(jstr(json_array_get(parts, 1), "text"), html.p);
    json_t *c = json_array_get(parts, 2);
    assert_string_equal(jstr(c, "type"), "text/calendar");
    assert_string_equal(jstr(c, "method"), "REQUEST");
    /* the calendar's octets arrive unchanged (Python shows CRLF as LF) */
    struct buf want = BUF_INIT;
    for (const char *p = ics; *p; p++)
        if (*p != '\r')
            buf_putc(&want, *p);
    assert_string_equal(jstr(c, "text"), want.p);
    assert_contains(want.p, "UID:k3x9m2p7q8r4s5t6v1w0@obrady\n");
    assert_contains(want.p, "DTSTART:20260312T090000Z\n");
    assert_contains(want.p, "DTEND:20260312T120000Z\n");
    assert_contains(want.p, "ATTENDEE;CN=\"prof. dr hab. Zofia Łęcka\";");

    json_decref(j);
    buf_free(&want);
    free(msg);
    free(ics);
    buf_free(&subject);
    buf_free(&text);
    buf_free(&html);
    buf_free(&sum);
    buf_free(&desc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warsaw_time_across_dst_switches),
        cmocka_unit_test(test_dst_shows_in_rendered_invitation),
        cmocka_unit_test(test_unknown_zone_falls_back_to_utc),
        cmocka_unit_test(test_polish_invitation_reads_formally_with_diacritics),
        cmocka_unit_test(test_every_agenda_item_is_present_in_order),
        cmocka_unit_test(test_empty_agenda_says_so),
        cmocka_unit_test(test_script_in_title_is_escaped),
        cmocka_unit_test(test_links_are_written_only_when_http),
        cmocka_unit_test(test_modes_are_explained),
        cmocka_unit_test(test_english_invitation),
        cmocka_unit_test(test_invalid_invitations_are_refused),
        cmocka_unit_test(test_reminder_uses_polish_plural_of_days),
        cmocka_unit_test(test_change_notice_lists_changes_then_details),
        cmocka_unit_test(test_ics_words_and_location_by_mode),
        cmocka_unit_test(test_full_invitation_mail_decodes_with_inline_calendar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
