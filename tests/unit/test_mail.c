/* test_mail.c — building messages (mime.c) and the templates (templates.c).
 * Messages are checked twice: by their octets here (CRLF, line lengths,
 * headers) and by Python's email package, which must decode the subject,
 * names, bodies and attachments back to exactly what went in. The outbox and
 * the transports are in test_outbox.c. */
#include "mail_testutil.h"

#include <sodium.h>

#include "mail/mail.h"
#include "util/buf.h"
#include "util/ids.h"

#define FROM "obrady <no-reply@uczelnia.example>"

static const char polish_subject[] =
    "Zaproszenie na posiedzenie Rady Wydziału Fizyki — głosowanie tajne w sprawie "
    "nadania stopnia doktora habilitowanego: zażółć gęślą jaźń";

static char *build(const struct mail_message *m, size_t *len)
{
    char *msg = mime_build(m, FROM, len);
    assert_non_null(msg);
    assert_int_equal(strlen(msg), *len);
    assert_mail_lines(msg, *len);
    return msg;
}

static const char *headers_end(const char *msg)
{
    const char *e = strstr(msg, "\r\n\r\n");
    assert_non_null(e);
    return e;
}

/* A header line (with its name) is present among the top-level headers. */
static void assert_header(const char *msg, const char *prefix)
{
    const char *e = headers_end(msg);
    const char *h = strncmp(msg, prefix, strlen(prefix)) == 0 ? msg : NULL;
    if (!h) {
        char needle[128];
        snprintf(needle, sizeof needle, "\r\n%s", prefix);
        h = strstr(msg, needle);
    }
    if (!h || h > e)
        fail_msg("header '%s' missing", prefix);
}

/* ---- structure ---- */

static void test_plain_message_has_every_header(void **state)
{
    struct mail_message m = {.to_addr = "jan.kowalski@uczelnia.example",
                             .to_name = "Jan Kowalski",
                             .subject = "Posiedzenie 12",
                             .text = "Dzień dobry.\nDo zobaczenia.\n"};
    size_t len;
    char *msg = build(&m, &len);
    assert_header(msg, "From: obrady <no-reply@uczelnia.example>\r\n");
    assert_header(msg, "To: Jan Kowalski <jan.kowalski@uczelnia.example>\r\n");
    assert_header(msg, "Subject: Posiedzenie 12\r\n");
    assert_header(msg, "Date: ");
    assert_header(msg, "Message-ID: <");
    assert_header(msg, "MIME-Version: 1.0\r\n");
    assert_header(msg, "Content-Type: text/plain; charset=utf-8\r\n");
    assert_header(msg, "Content-Transfer-Encoding: quoted-printable\r\n");
    assert_non_null(strstr(msg, "@uczelnia.example>\r\n"));

    json_t *j = mail_py_parse(msg, len);
    assert_string_equal(jstr(j, "subject"), "Posiedzenie 12");
    assert_string_equal(jstr(j, "to_addr"), "jan.kowalski@uczelnia.example");
    assert_string_equal(jstr(j, "to_name"), "Jan Kowalski");
    json_t *parts = json_object_get(j, "parts");
    assert_int_equal(json_array_size(parts), 1);
    assert_string_equal(jstr(json_array_get(parts, 0), "text"), "Dzień dobry.\nDo zobaczenia.\n");
    json_decref(j);
    free(msg);
}

static void test_polish_subject_and_name_decode_back(void **state)
{
    struct mail_message m = {.to_addr = "zofia@uczelnia.example",
                             .to_name = "prof. dr hab. Zofia Łęcka-Żółtowska",
                             .subject = polish_subject,
                             .text = "x"};
    size_t len;
    char *msg = build(&m, &len);
    assert_header(msg, "Subject: =?UTF-8?B?");
    assert_header(msg, "To: =?UTF-8?B?");
    /* folded into several encoded-words, none longer than 75 characters */
    int words = 0;
    for (const char *w = strstr(msg, "=?UTF-8?B?"); w && w < headers_end(msg);
         w = strstr(w, "=?UTF-8?B?")) {
        const char *end = strstr(w + 10, "?=");
        assert_non_null(end);
        assert_true(end + 2 - w <= 75);
        words++;
        w = end + 2;
    }
    assert_true(words >= 4);
    json_t *j = mail_py_parse(msg, len);
    assert_string_equal(jstr(j, "subject"), polish_subject);
    assert_string_equal(jstr(j, "to_name"), "prof. dr hab. Zofia Łęcka-Żółtowska");
    json_decref(j);
    free(msg);
}

static void test_ascii_names_with_specials_are_quoted(void **state)
{
    struct mail_message m = {.to_addr = "a@b.example",
                             .to_name = "Kowalski, Jan \"JK\"",
                             .subject = "=?not an encoded word?=",
                             .text = "x"};
    size_t len;
    char *msg = build(&m, &len);
    json_t *j = mail_py_parse(msg, len);
    assert_string_equal(jstr(j, "to_name"), "Kowalski, Jan \"JK\"");
    assert_string_equal(jstr(j, "subject"), "=?not an encoded word?=");
    json_decref(j);
    free(msg);
}

/* The To header's encoded-words, decoded and joined (they split on whole
 * characters, so joining them gives the name back). */
static void decode_to_words(const char *msg, char *out, size_t size)
{
    const char *p = strstr(msg, "\r\nTo: ");
    const char *end = strstr(p, "<");
    size_t n = 0;
    while ((p = strstr(p, "=?UTF-8?B?")) && p < end) {
        p += 10;
        const char *q = strstr(p, "?=");
        size_t got = 0;
        assert_int_equal(sodium_base642bin((unsigned char *)out + n, size - n - 1, p,
                                           (size_t)(q - p), NULL, &got, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        n += got;
        p = q + 2;
    }
    out[n] = '\0';
}

/* Found by tests/fuzz/fuzz_mime.c: a short name made of quotes (or
 * backslashes) doubled when quoted and overran the 78-octet line; such a
 * name is now sent as encoded-words. */
static void test_names_full_of_quotes_keep_lines_short(void **state)
{
    const char *names[] = {"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"",
                           "\"Ala\" \"ma\" \"kota\" \"i\" \"psa\" \"oraz\" \"rybki\" \"w\" \"stawie\"",
                           "a\\b\\c\\d\\e\\f\\g\\h\\i\\j\\k\\l\\m\\n\\o\\p\\q\\r\\s\\t\\u\\v\\w\\x\\y\\z\\"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        struct mail_message m = {.to_addr = "a@b.example", .to_name = names[k], .subject = "s",
                                 .text = "x"};
        size_t len;
        char *msg = build(&m, &len); /* checks every line's length */
        char name[256];
        decode_to_words(msg, name, sizeof name);
        assert_string_equal(name, names[k]);
        free(msg);
    }
}

static void test_long_lines_are_wrapped_and_decode_exactly(void **state)
{
    struct buf t = BUF_INIT;
    for (int i = 0; i < 60; i++)
        buf_puts(&t, "Zażółć gęślą jaźń = 100% ");
    buf_puts(&t, "\n.kropka na początku\nFrom here\ntrailing space   \n\ttab\r\nend");
    struct buf subj = BUF_INIT;
    for (int i = 0; i < 20; i++)
        buf_puts(&subj, "word ");
    buf_puts(&subj, "end");
    const char *html = "<p>Ala &amp; kot</p>";
    struct mail_message m = {
        .to_addr = "a@b.example", .subject = subj.p, .text = t.p, .html = html};
    size_t len;
    char *msg = build(&m, &len);
    assert_null(strstr(msg, "\r\n.kropka"));   /* a leading dot is encoded */
    assert_null(strstr(msg, "\r\nFrom here")); /* so is a leading "From " */
    json_t *j = mail_py_parse(msg, len);
    assert_string_equal(jstr(j, "subject"), subj.p);
    json_t *parts = json_object_get(j, "parts");
    assert_int_equal(json_array_size(parts), 2);
    /* Python turns CRLF into LF, as we wrote the text with a mix of both */
    struct buf want = BUF_INIT;
    for (const char *p = t.p; *p; p++)
        if (!(p[0] == '\r' && p[1] == '\n'))
            buf_putc(&want, *p);
    assert_string_equal(jstr(json_array_get(parts, 0), "text"), want.p);
    assert_string_equal(jstr(json_array_get(parts, 0), "type"), "text/plain");
    assert_string_equal(jstr(json_array_get(parts, 1), "text"), html);
    assert_string_equal(jstr(json_array_get(parts, 1), "type"), "text/html");
    json_t *types = json_object_get(j, "types");
    assert_string_equal(json_string_value(json_array_get(types, 0)), "multipart/alternative");
    json_decref(j);
    buf_free(&want);
    buf_free(&t);
    buf_free(&subj);
    free(msg);
}

static void test_attachments_round_trip(void **state)
{
    unsigned char bin[3001];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)(i * 7 + 3);
    const char *ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";
    const char *long_name =
        "Protokół posiedzenia Rady Wydziału nr 12 — wersja ostateczna, podpisana "
        "przez przewodniczącą (kopia).pdf";
    struct mail_attachment at[] = {
        {.filename = long_name, .content_type = "application/pdf", .data = bin, .len = sizeof bin},
        {.filename = "agenda.txt",
         .content_type = "text/plain; charset=utf-8",
         .data = "A\n",
         .len = 2},
        {.data = ics, .len = strlen(ics), .is_inline_calendar = true},
        {.filename = "pusty \"plik\".bin", .data = "", .len = 0},
    };
    struct mail_message m = {.to_addr = "a@b.example",
                             .subject = "Zaproszenie",
                             .text = "tekst",
                             .html = "<p>html</p>",
                             .attachments = at,
                             .n_attachments = 4};
    size_t len;
    char *msg = build(&m, &len);
    json_t *j = mail_py_parse(msg, len);

    json_t *types = json_object_get(j, "types");
    const char *want_types[] = {"multipart/mixed", "multipart/alternative",   "text/plain",
                                "text/html",       "text/calendar",           "application/pdf",
                                "text/plain",      "application/octet-stream"};
    assert_int_equal(json_array_size(types), 8);
    for (size_t i = 0; i < 8; i++)
        assert_string_equal(json_string_value(json_array_get(types, i)), want_types[i]);

    json_t *parts = json_object_get(j, "parts");
    char hex[2 * sizeof bin + 1];
    hex_encode(hex, bin, sizeof bin);
    json_t *cal = json_array_get(parts, 2), *pdf = json_array_get(parts, 3);
    assert_string_equal(jstr(cal, "method"), "REQUEST");
    assert_string_equal(jstr(cal, "text"), "BEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR\n");
    assert_string_equal(jstr(pdf, "filename"), long_name);
    assert_string_equal(jstr(pdf, "hex"), hex);
    assert_string_equal(jstr(json_array_get(parts, 4), "filename"), "agenda.txt");
    assert_string_equal(jstr(json_array_get(parts, 4), "text"), "A\n");
    assert_string_equal(jstr(json_array_get(parts, 5), "filename"), "pusty \"plik\".bin");
    assert_string_equal(jstr(json_array_get(parts, 5), "hex"), "");
    json_decref(j);
    free(msg);
}

static void test_boundaries_are_random_and_absent_from_content(void **state)
{
    struct mail_attachment at = {.filename = "a.bin", .data = "=_obrady_", .len = 9};
    struct mail_message m = {.to_addr = "a@b.example",
                             .subject = "s",
                             .text = "=_obrady_ x",
                             .html = "=_obrady_",
                             .attachments = &at,
                             .n_attachments = 1};
    size_t l1, l2;
    char *a = build(&m, &l1), *b = build(&m, &l2);
    const char *ba = strstr(a, "boundary=\""), *bb = strstr(b, "boundary=\"");
    assert_non_null(ba);
    assert_non_null(bb);
    assert_memory_not_equal(ba, bb, 40);
    /* the boundary marker never appears literally: "=" is always encoded */
    char needle[64];
    snprintf(needle, sizeof needle, "=_obrady_ x");
    assert_null(strstr(a, needle));
    json_t *j = mail_py_parse(a, l1);
    assert_int_equal(json_array_size(json_object_get(j, "parts")), 3);
    json_decref(j);
    free(a);
    free(b);
}

/* ---- refusals ---- */

static void test_header_injection_is_refused(void **state)
{
    struct mail_message good = {
        .to_addr = "a@b.example", .to_name = "A", .subject = "s", .text = "t"};
    size_t len;
    char *ok = mime_build(&good, FROM, &len);
    assert_non_null(ok);
    free(ok);

    struct mail_message m = good;
    m.subject = "Hi\r\nBcc: victim@example.com";
    assert_null(mime_build(&m, FROM, &len));
    m = good, m.subject = "Hi\nBcc: x@y.z";
    assert_null(mime_build(&m, FROM, &len));
    m = good, m.subject = "Hi\rthere";
    assert_null(mime_build(&m, FROM, &len));
    m = good, m.to_name = "A\r\nBcc: x@y.z";
    assert_null(mime_build(&m, FROM, &len));
    m = good, m.to_addr = "a@b.example\r\nBcc: x@y.z";
    assert_null(mime_build(&m, FROM, &len));
    m = good, m.to_addr = "a@b.example>, <x@y.z";
    assert_null(mime_build(&m, FROM, &len));
    assert_null(mime_build(&good, "obrady <a@b.example>\r\nBcc: x@y.z", &len));

    struct mail_attachment at = {.filename = "a\r\nContent-Type: text/html", .data = "x", .len = 1};
    m = good, m.attachments = &at, m.n_attachments = 1;
    assert_null(mime_build(&m, FROM, &len));
    at.filename = "a.txt", at.content_type = "text/plain\r\nX-Evil: 1";
    assert_null(mime_build(&m, FROM, &len));
}

static void test_bad_addresses_and_text_are_refused(void **state)
{
    struct mail_message good = {.to_addr = "a@b.example", .subject = "s", .text = "t"};
    size_t len;
    const char *bad_addrs[] = {"",
                               "ab.example",
                               "@b.example",
                               "a@",
                               "a b@c.example",
                               "a@b@c.example",
                               "ą@b.example",
                               "a@b_c.example"};
    for (size_t i = 0; i < sizeof bad_addrs / sizeof *bad_addrs; i++) {
        struct mail_message m = good;
        m.to_addr = bad_addrs[i];
        if (mime_build(&m, FROM, &len))
            fail_msg("accepted bad address '%s'", bad_addrs[i]);
    }
    struct mail_message m = good;
    m.subject = "\xc5"; /* cut UTF-8 */
    assert_null(mime_build(&m, FROM, &len));
    m = good, m.text = NULL;
    assert_null(mime_build(&m, FROM, &len));
    assert_null(mime_build(&good, "no address here", &len));
}

static void test_address_of_mailbox(void **state)
{
    char out[64];
    assert_int_equal(mail_address_of("obrady <no-reply@localhost>", out, sizeof out), 0);
    assert_string_equal(out, "no-reply@localhost");
    assert_int_equal(mail_address_of("  a@b.example ", out, sizeof out), 0);
    assert_string_equal(out, "a@b.example");
    assert_int_equal(mail_address_of("\"Rada, UW\" <rada@uw.example>", out, sizeof out), 0);
    assert_string_equal(out, "rada@uw.example");
    assert_int_not_equal(mail_address_of("x <a@b.example> trailing", out, sizeof out), 0);
    assert_int_not_equal(mail_address_of("a@b.example", out, 5), 0);
}

static void test_utf8_from_name_is_encoded(void **state)
{
    struct mail_message m = {.to_addr = "a@b.example", .subject = "s", .text = "t"};
    size_t len;
    char *msg = mime_build(&m, "Obrady — Uniwersytet Łódzki <obrady@uni.lodz.example>", &len);
    assert_non_null(msg);
    assert_mail_lines(msg, len);
    json_t *j = mail_py_parse(msg, len);
    assert_string_equal(jstr(j, "from"), "Obrady — Uniwersytet Łódzki <obrady@uni.lodz.example>");
    assert_non_null(strstr(jstr(j, "message_id"), "@uni.lodz.example>"));
    json_decref(j);
    free(msg);
}

/* ---- templates ---- */

struct rendered {
    struct buf subject, text, html;
};

static void render_signin(struct rendered *r, const char *lang, const char *name, int minutes,
                          const char *url)
{
    memset(r, 0, sizeof *r);
    assert_int_equal(
        mail_tpl_signin_code(&r->subject, &r->text, &r->html, lang, name, "123456", minutes, url),
        0);
}

static void rendered_free(struct rendered *r)
{
    buf_free(&r->subject);
    buf_free(&r->text);
    buf_free(&r->html);
}

static void test_signin_code_polish(void **state)
{
    struct rendered r;
    render_signin(&r, "pl", "Anna Nowak", 10, "https://obrady.example/login");
    /* The code never in the subject (lock screens); a formal greeting. */
    assert_string_equal(r.subject.p, "Twój kod logowania do obrady");
    assert_non_null(strstr(r.text.p, "Szanowna Pani / Szanowny Panie,\n"));
    assert_non_null(strstr(r.text.p, "    123456\n"));
    assert_non_null(strstr(r.text.p, "ważny przez 10 minut."));
    assert_non_null(strstr(r.text.p, "zignoruj tę wiadomość"));
    assert_non_null(strstr(r.text.p, "Nie przekazuj tego kodu nikomu"));
    assert_non_null(strstr(r.text.p, "Nie przekazuj tego kodu nikomu"));
    assert_non_null(strstr(r.text.p, "https://obrady.example/login"));
    assert_non_null(strstr(r.html.p, "<html lang=\"pl\">"));
    assert_non_null(strstr(r.html.p, "font-size:36px"));
    assert_non_null(strstr(r.html.p, ">123456</p>"));
    assert_non_null(strstr(r.html.p, "href=\"https://obrady.example/login\""));
    rendered_free(&r);
}

static void test_signin_code_english(void **state)
{
    struct rendered r;
    render_signin(&r, "en", NULL, 1, NULL);
    assert_string_equal(r.subject.p, "Your obrady sign-in code");
    assert_true(strncmp(r.text.p, "Dear Sir or Madam,\n\n", 20) == 0);
    assert_non_null(strstr(r.text.p, "valid for 1 minute."));
    assert_non_null(strstr(r.text.p, "did not ask for this code, ignore"));
    assert_non_null(strstr(r.text.p, "Never share this code with anyone"));
    assert_null(strstr(r.text.p, "sign-in page")); /* no url, no link line */
    assert_non_null(strstr(r.html.p, "<html lang=\"en\">"));
    rendered_free(&r);
}

static void test_signin_minutes_in_polish_grammar(void **state)
{
    static const struct {
        int n;
        const char *want;
    } cases[] = {{1, "1 minutę."},  {2, "2 minuty."},   {4, "4 minuty."}, {5, "5 minut."},
                 {12, "12 minut."}, {22, "22 minuty."}, {15, "15 minut."}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct rendered r;
        render_signin(&r, "pl", NULL, cases[i].n, NULL);
        if (!strstr(r.text.p, cases[i].want))
            fail_msg("no '%s' in the text", cases[i].want);
        rendered_free(&r);
    }
}

static void test_signin_html_escapes_and_drops_unsafe_links(void **state)
{
    struct rendered r;
    render_signin(&r, "en", "<script>alert(1)</script> & \"Kot\"", 10, "javascript:alert(1)");
    assert_null(strstr(r.html.p, "<script>"));
    assert_non_null(
        strstr(r.html.p, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Kot&quot;"));
    assert_null(strstr(r.html.p, "javascript:"));
    assert_null(strstr(r.text.p, "javascript:"));
    rendered_free(&r);
    render_signin(&r, "xx", "<script>alert(1)</script>", 10, "javascript:alert(1)");
    assert_null(strstr(r.html.p, "<script>"));
    assert_null(strstr(r.html.p, "javascript:"));
    assert_non_null(strstr(r.subject.p, "Twój kod")); /* unknown language: Polish */
    rendered_free(&r);
}

static void test_signin_message_builds_and_decodes(void **state)
{
    struct rendered r;
    render_signin(&r, "pl", "Łukasz Żak", 10, "https://obrady.example/login?x=1&y=2");
    assert_non_null(strstr(r.html.p, "login?x=1&amp;y=2"));
    struct mail_message m = {.to_addr = "lukasz@uczelnia.example",
                             .to_name = "Łukasz Żak",
                             .subject = r.subject.p,
                             .text = r.text.p,
                             .html = r.html.p};
    size_t len;
    char *msg = build(&m, &len);
    json_t *j = mail_py_parse(msg, len);
    assert_string_equal(jstr(j, "subject"), r.subject.p);
    json_t *parts = json_object_get(j, "parts");
    assert_string_equal(jstr(json_array_get(parts, 0), "text"), r.text.p);
    assert_string_equal(jstr(json_array_get(parts, 1), "text"), r.html.p);
    json_decref(j);
    free(msg);
    rendered_free(&r);
}

static void test_notice_paragraphs_and_link(void **state)
{
    struct buf t = BUF_INIT, h = BUF_INIT;
    assert_int_equal(mail_tpl_notice(&t, &h, "en", "Ann", "First <para>.\nSame para.\n\nSecond.",
                                     "Open the meeting", "https://obrady.example/m/abc"),
                     0);
    assert_non_null(strstr(t.p, "Dear Ann,\n\nFirst <para>.\nSame para.\n\nSecond.\n\n"));
    assert_non_null(strstr(t.p, "Open the meeting: https://obrady.example/m/abc"));
    assert_non_null(strstr(h.p, "<p>First &lt;para&gt;.<br>\nSame para.</p>\n<p>Second.</p>"));
    assert_non_null(strstr(h.p, "<a href=\"https://obrady.example/m/abc\""));
    buf_free(&t);
    buf_free(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_message_has_every_header),
        cmocka_unit_test(test_polish_subject_and_name_decode_back),
        cmocka_unit_test(test_ascii_names_with_specials_are_quoted),
        cmocka_unit_test(test_long_lines_are_wrapped_and_decode_exactly),
        cmocka_unit_test(test_names_full_of_quotes_keep_lines_short),
        cmocka_unit_test(test_attachments_round_trip),
        cmocka_unit_test(test_boundaries_are_random_and_absent_from_content),
        cmocka_unit_test(test_header_injection_is_refused),
        cmocka_unit_test(test_bad_addresses_and_text_are_refused),
        cmocka_unit_test(test_address_of_mailbox),
        cmocka_unit_test(test_utf8_from_name_is_encoded),
        cmocka_unit_test(test_signin_code_polish),
        cmocka_unit_test(test_signin_code_english),
        cmocka_unit_test(test_signin_minutes_in_polish_grammar),
        cmocka_unit_test(test_signin_html_escapes_and_drops_unsafe_links),
        cmocka_unit_test(test_signin_message_builds_and_decodes),
        cmocka_unit_test(test_notice_paragraphs_and_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
