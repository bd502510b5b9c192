/* test_ics.c — the iCalendar invitation (mail/ics.c). No iCalendar library
 * is at hand (Python has none installed), so the checker below is strict on
 * its own: CRLF only, every physical line ≤ 75 octets and valid UTF-8 by
 * itself, folding undone exactly, BEGIN/END balanced, and every required
 * property present exactly once in its component. */
#include "testutil.h"

#include <stdbool.h>

#include "mail/ics.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

/* 2026-03-12 09:00:00Z, 2 h, stamped 2026-03-01 12:34:56.789Z */
#define START_MS 1773306000000LL
#define END_MS (START_MS + 2 * 3600 * 1000LL)
#define STAMP_MS 1772368496789LL

static struct ics_event base_event(void)
{
    return (struct ics_event){
        .uid = "k3x9m2p7q8r4s5t6v1w0@obrady",
        .sequence = 0,
        .start_ms = START_MS,
        .end_ms = END_MS,
        .stamp_ms = STAMP_MS,
        .summary = "Rada Wydziału Fizyki — posiedzenie nr 12",
        .location = "Sala 101, ul. Pl. Maksa Borna 9, Wrocław",
        .description = "Porządek obrad:\n1. Otwarcie\n2. Sprawy bieżące",
        .url = "https://obrady.uczelnia.example/m/abc?k=1",
        .organizer_name = "Uniwersytet Wrocławski",
        .organizer_email = "no-reply@uczelnia.example",
        .attendee_name = "Jan Kowalski",
        .attendee_email = "jan.kowalski@uczelnia.example",
    };
}

/* ---- the checker ---- */

struct prop_count {
    char comp[32], name[32];
    int n;
};

struct checked {
    struct buf unfolded; /* logical lines, each ended by "\n" */
    struct prop_count counts[64];
    size_t n_counts;
};

static void count(struct checked *c, const char *comp, const char *name)
{
    for (size_t i = 0; i < c->n_counts; i++)
        if (strcmp(c->counts[i].comp, comp) == 0 && strcmp(c->counts[i].name, name) == 0) {
            c->counts[i].n++;
            return;
        }
    assert_true(c->n_counts < 64);
    struct prop_count *p = &c->counts[c->n_counts++];
    snprintf(p->comp, sizeof p->comp, "%s", comp);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->n = 1;
}

static int count_of(const struct checked *c, const char *comp, const char *name)
{
    for (size_t i = 0; i < c->n_counts; i++)
        if (strcmp(c->counts[i].comp, comp) == 0 && strcmp(c->counts[i].name, name) == 0)
            return c->counts[i].n;
    return 0;
}

/* Checks the octets and the structure of s; fills c (free with checked_free). */
static void check_ics(const char *s, size_t len, struct checked *c)
{
    memset(c, 0, sizeof *c);
    assert_int_equal(strlen(s), len);
    assert_true(len >= 2 && s[len - 2] == '\r' && s[len - 1] == '\n');
    assert_true(s[0] != ' ' && s[0] != '\t');
    /* physical lines */
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            fail_msg("bare LF at offset %zu", i);
        if (s[i] != '\r')
            continue;
        if (i + 1 >= len || s[i + 1] != '\n')
            fail_msg("bare CR at offset %zu", i);
        size_t n = i - start;
        if (n > 75)
            fail_msg("line of %zu octets at offset %zu", n, start);
        if (!utf8_is_valid(s + start, n))
            fail_msg("line at offset %zu is not UTF-8 by itself (a character was split)", start);
        for (size_t k = start; k < i; k++)
            if ((unsigned char)s[k] < 0x20 && s[k] != '\t')
                fail_msg("control character at offset %zu", k);
        bool is_continuation = s[start] == ' ' || s[start] == '\t';
        if (is_continuation) {
            assert_true(c->unfolded.len > 0); /* drop the "\n" of the line it continues */
            c->unfolded.len--;
            buf_append(&c->unfolded, s + start + 1, n - 1);
        } else {
            buf_append(&c->unfolded, s + start, n);
        }
        buf_putc(&c->unfolded, '\n');
        start = i + 2;
        i++;
    }
    assert_int_equal(start, len);

    /* logical lines: BEGIN/END balance and property counts */
    char stack[8][32];
    int depth = 0;
    bool is_closed = false;
    const char *line = c->unfolded.p;
    while (*line) {
        const char *eol = strchr(line, '\n');
        size_t n = (size_t)(eol - line);
        size_t name_len = strcspn(line, ":;");
        assert_true(name_len > 0 && name_len < n && name_len < 32);
        char name[32];
        memcpy(name, line, name_len);
        name[name_len] = '\0';
        for (size_t k = 0; k < name_len; k++)
            assert_true((name[k] >= 'A' && name[k] <= 'Z') || name[k] == '-' ||
                        (name[k] >= '0' && name[k] <= '9'));
        assert_false(is_closed); /* nothing after the final END */
        if (strcmp(name, "BEGIN") == 0 || strcmp(name, "END") == 0) {
            assert_true(line[name_len] == ':');
            char value[32];
            size_t vn = n - name_len - 1;
            assert_true(vn > 0 && vn < 32);
            memcpy(value, line + name_len + 1, vn);
            value[vn] = '\0';
            if (name[0] == 'B') {
                if (depth == 0)
                    assert_string_equal(value, "VCALENDAR");
                assert_true(depth < 8);
                snprintf(stack[depth++], 32, "%s", value);
                count(c, depth > 1 ? stack[depth - 2] : "", value);
            } else {
                assert_true(depth > 0);
                assert_string_equal(stack[depth - 1], value);
                is_closed = --depth == 0;
            }
        } else {
            assert_true(depth > 0);
            count(c, stack[depth - 1], name);
        }
        line = eol + 1;
    }
    assert_true(is_closed);

    static const char *const cal_once[] = {"VERSION", "PRODID", "METHOD", "VEVENT"};
    static const char *const event_once[] = {"UID",     "SEQUENCE",  "DTSTAMP",  "DTSTART", "DTEND",
                                             "SUMMARY", "ORGANIZER", "ATTENDEE", "STATUS"};
    for (size_t i = 0; i < sizeof cal_once / sizeof cal_once[0]; i++)
        if (count_of(c, "VCALENDAR", cal_once[i]) != 1)
            fail_msg("VCALENDAR has %s %d times", cal_once[i],
                     count_of(c, "VCALENDAR", cal_once[i]));
    for (size_t i = 0; i < sizeof event_once / sizeof event_once[0]; i++)
        if (count_of(c, "VEVENT", event_once[i]) != 1)
            fail_msg("VEVENT has %s %d times", event_once[i], count_of(c, "VEVENT", event_once[i]));
    /* no property may appear twice in the event */
    for (size_t i = 0; i < c->n_counts; i++)
        if (strcmp(c->counts[i].comp, "VEVENT") == 0 && c->counts[i].n != 1)
            fail_msg("VEVENT has %s %d times", c->counts[i].name, c->counts[i].n);
}

static void checked_free(struct checked *c)
{
    buf_free(&c->unfolded);
}

/* The whole unfolded logical line of a property (name and parameters
 * included), or NULL. Points into c. */
static const char *logical_line(const struct checked *c, const char *name, size_t *n)
{
    size_t nl = strlen(name);
    for (const char *l = c->unfolded.p; *l;) {
        const char *eol = strchr(l, '\n');
        if (strncmp(l, name, nl) == 0 && (l[nl] == ':' || l[nl] == ';')) {
            *n = (size_t)(eol - l);
            return l;
        }
        l = eol + 1;
    }
    return NULL;
}

/* The value of a property without parameters, TEXT-unescaped; caller frees. */
static char *text_value(const struct checked *c, const char *name)
{
    size_t n;
    const char *l = logical_line(c, name, &n);
    if (!l)
        fail_msg("no %s", name);
    size_t nl = strlen(name);
    assert_true(l[nl] == ':');
    struct buf v = BUF_INIT;
    for (size_t i = nl + 1; i < n; i++) {
        if (l[i] == '\\') {
            i++;
            assert_true(i < n);
            char e = l[i];
            assert_true(e == '\\' || e == ';' || e == ',' || e == 'n' || e == 'N');
            buf_putc(&v, e == 'n' || e == 'N' ? '\n' : e);
        } else {
            /* unescaped TEXT must not hold these */
            assert_true(l[i] != ';' && l[i] != ',');
            buf_putc(&v, l[i]);
        }
    }
    return buf_take(&v);
}

static bool has_line(const struct checked *c, const char *whole)
{
    size_t wl = strlen(whole);
    for (const char *l = c->unfolded.p; *l;) {
        const char *eol = strchr(l, '\n');
        if ((size_t)(eol - l) == wl && strncmp(l, whole, wl) == 0)
            return true;
        l = eol + 1;
    }
    return false;
}

static char *build_checked(const struct ics_event *e, struct checked *c)
{
    size_t len = 0;
    char *s = ics_build(e, &len);
    assert_non_null(s);
    check_ics(s, len, c);
    return s;
}

/* ---- tests ---- */

static void test_request_has_structure_and_values(void **state)
{
    struct ics_event e = base_event();
    struct checked c;
    char *s = build_checked(&e, &c);
    assert_true(strncmp(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
    assert_true(has_line(&c, "METHOD:REQUEST"));
    assert_true(has_line(&c, "PRODID:-//obrady//obrady//PL"));
    assert_true(has_line(&c, "UID:k3x9m2p7q8r4s5t6v1w0@obrady"));
    assert_true(has_line(&c, "SEQUENCE:0"));
    assert_true(has_line(&c, "DTSTAMP:20260301T123456Z"));
    assert_true(has_line(&c, "DTSTART:20260312T090000Z"));
    assert_true(has_line(&c, "DTEND:20260312T110000Z"));
    assert_true(has_line(&c, "STATUS:CONFIRMED"));
    assert_true(has_line(&c, "URL:https://obrady.uczelnia.example/m/abc?k=1"));
    assert_true(has_line(&c, "ORGANIZER;CN=\"Uniwersytet Wrocławski\":mailto:"
                             "no-reply@uczelnia.example"));
    size_t n;
    const char *att = logical_line(&c, "ATTENDEE", &n);
    assert_non_null(att);
    char *a = strndup(att, n);
    assert_non_null(strstr(a, ";CN=\"Jan Kowalski\""));
    assert_non_null(strstr(a, ";RSVP=FALSE"));
    assert_non_null(strstr(a, ":mailto:jan.kowalski@uczelnia.example"));
    free(a);
    char *loc = text_value(&c, "LOCATION");
    assert_string_equal(loc, e.location);
    char *desc = text_value(&c, "DESCRIPTION");
    assert_string_equal(desc, e.description);
    char *sum = text_value(&c, "SUMMARY");
    assert_string_equal(sum, e.summary);
    free(loc);
    free(desc);
    free(sum);
    checked_free(&c);
    free(s);
}

static void test_cancel_sets_method_and_status(void **state)
{
    struct ics_event e = base_event();
    e.is_cancelled = true;
    e.sequence = 3;
    struct checked c;
    char *s = build_checked(&e, &c);
    assert_true(has_line(&c, "METHOD:CANCEL"));
    assert_true(has_line(&c, "STATUS:CANCELLED"));
    assert_true(has_line(&c, "SEQUENCE:3"));
    assert_true(has_line(&c, "UID:k3x9m2p7q8r4s5t6v1w0@obrady"));
    assert_string_equal(ics_content_type(true), "text/calendar; charset=utf-8; method=CANCEL");
    assert_string_equal(ics_content_type(false), "text/calendar; charset=utf-8; method=REQUEST");
    checked_free(&c);
    free(s);
}

static void test_text_escaping_round_trips(void **state)
{
    struct ics_event e = base_event();
    e.summary = "Uchwała; wniosek, poprawka \\ nr 7";
    e.description = "linia 1\nlinia 2\r\nlinia 3\rkoniec;,\\n dosłownie";
    e.location = "Sala \"Duża\": parter";
    struct checked c;
    char *s = build_checked(&e, &c);
    assert_true(has_line(&c, "SUMMARY:Uchwała\\; wniosek\\, poprawka \\\\ nr 7"));
    char *sum = text_value(&c, "SUMMARY");
    assert_string_equal(sum, e.summary);
    char *desc = text_value(&c, "DESCRIPTION");
    assert_string_equal(desc, "linia 1\nlinia 2\nlinia 3\nkoniec;,\\n dosłownie");
    char *loc = text_value(&c, "LOCATION");
    assert_string_equal(loc, e.location); /* a colon and quotes need no escape in TEXT */
    free(sum);
    free(desc);
    free(loc);
    checked_free(&c);
    free(s);
}

static void test_control_characters_are_dropped(void **state)
{
    struct ics_event e = base_event();
    e.summary = "a\x01"
                "b\x7f"
                "c\td";
    struct checked c;
    char *s = build_checked(&e, &c);
    assert_true(has_line(&c, "SUMMARY:abc\td"));
    checked_free(&c);
    free(s);
}

static void test_common_names_are_quoted_with_caret_escapes(void **state)
{
    struct ics_event e = base_event();
    e.organizer_name = "Rada \"Wydziału\", sekcja ^A; obsługa";
    e.attendee_name = "Kowalski,\nJan";
    struct checked c;
    char *s = build_checked(&e, &c);
    assert_true(has_line(&c, "ORGANIZER;CN=\"Rada ^'Wydziału^', sekcja ^^A; obsługa\":mailto:"
                             "no-reply@uczelnia.example"));
    size_t n;
    const char *att = logical_line(&c, "ATTENDEE", &n);
    assert_true(strncmp(att, "ATTENDEE;CN=\"Kowalski,^nJan\";", 29) == 0);
    checked_free(&c);
    free(s);
}

static void test_long_polish_description_folds_at_75_octets(void **state)
{
    struct buf d = BUF_INIT;
    for (int i = 0; i < 40; i++)
        buf_printf(&d, "%d. Zażółć gęślą jaźń — ąęśćźżółń ĄĘŚĆŹŻÓŁŃ „cudzysłów” € 𝄞; ", i);
    struct ics_event e = base_event();
    e.description = d.p;
    struct checked c;
    char *s = build_checked(&e, &c); /* ≤ 75 octets, no split character: checked there */
    int folds = 0;
    for (const char *p = strstr(s, "\r\n "); p; p = strstr(p + 3, "\r\n "))
        folds++;
    assert_true(folds > 40);
    char *back = text_value(&c, "DESCRIPTION");
    assert_string_equal(back, d.p);
    free(back);
    checked_free(&c);
    free(s);
    buf_free(&d);
}

/* Every alignment of 1- to 4-octet characters against the fold points. */
static void test_folding_never_splits_a_character_at_any_offset(void **state)
{
    const char *chars[] = {"a", "ż", "€", "𝄞"};
    for (size_t ci = 0; ci < 4; ci++) {
        for (int pad = 0; pad < 8; pad++) {
            struct buf t = BUF_INIT;
            for (int i = 0; i < pad; i++)
                buf_putc(&t, 'x');
            for (int i = 0; i < 120; i++)
                buf_puts(&t, chars[ci]);
            struct ics_event e = base_event();
            e.summary = t.p;
            struct checked c;
            char *s = build_checked(&e, &c);
            char *back = text_value(&c, "SUMMARY");
            assert_string_equal(back, t.p);
            free(back);
            checked_free(&c);
            free(s);
            buf_free(&t);
        }
    }
}

static void test_line_of_exactly_75_octets_is_not_folded(void **state)
{
    char summary[76];
    memset(summary, 'x', sizeof summary);
    summary[75 - 8] = '\0'; /* "SUMMARY:" + 67 = 75 */
    struct ics_event e = base_event();
    e.summary = summary;
    size_t len;
    char *s = ics_build(&e, &len);
    assert_non_null(s);
    char want[100];
    snprintf(want, sizeof want, "\r\nSUMMARY:%s\r\nLOCATION", summary);
    assert_non_null(strstr(s, want));
    free(s);
    summary[67] = 'x';
    summary[68] = '\0'; /* 76: folds, and the continuation holds one octet */
    s = ics_build(&e, &len);
    assert_non_null(s);
    snprintf(want, sizeof want, "\r\nSUMMARY:%.67s\r\n x\r\nLOCATION", summary);
    assert_non_null(strstr(s, want));
    free(s);
}

static void test_url_only_when_http(void **state)
{
    const char *bad[] = {"javascript:alert(1)", "ftp://x.example/", "https://a b.example/",
                         "https://x.example/\"onmouseover"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ics_event e = base_event();
        e.url = bad[i];
        struct checked c;
        char *s = build_checked(&e, &c);
        assert_int_equal(count_of(&c, "VEVENT", "URL"), 0);
        checked_free(&c);
        free(s);
    }
}

static void test_optional_fields_may_be_absent(void **state)
{
    struct ics_event e = base_event();
    e.location = NULL;
    e.description = "";
    e.url = NULL;
    e.organizer_name = NULL;
    e.attendee_name = "";
    struct checked c;
    char *s = build_checked(&e, &c);
    assert_int_equal(count_of(&c, "VEVENT", "LOCATION"), 0);
    assert_int_equal(count_of(&c, "VEVENT", "DESCRIPTION"), 0);
    assert_true(has_line(&c, "ORGANIZER:mailto:no-reply@uczelnia.example"));
    checked_free(&c);
    free(s);
}

static void test_invalid_events_are_refused(void **state)
{
    struct ics_event e;
    size_t len = 0;
    assert_null(ics_build(NULL, &len));
#define REFUSED(field, value)                                                                      \
    do {                                                                                           \
        e = base_event();                                                                          \
        e.field = value;                                                                           \
        assert_null(ics_build(&e, &len));                                                          \
    } while (0)
    REFUSED(uid, NULL);
    REFUSED(uid, "");
    REFUSED(summary, NULL);
    REFUSED(sequence, -1);
    REFUSED(end_ms, START_MS);
    REFUSED(organizer_email, NULL);
    REFUSED(organizer_email, "no-reply");
    REFUSED(attendee_email, "Jan <jan@x.example>");
    REFUSED(attendee_email, "jan@x.example\r\nATTENDEE:mailto:evil@x.example");
    REFUSED(attendee_email, "a@b@c.example");
    REFUSED(attendee_email, "jan@x.example?cc=evil@y.example");
    REFUSED(description, "\xc5 broken UTF-8");
    REFUSED(attendee_name, "\xff");
#undef REFUSED
}

static void test_meeting_uid_is_stable(void **state)
{
    char uid[64];
    assert_int_equal(ics_meeting_uid("k3x9m2p7q8r4s5t6v1w0", uid, sizeof uid), 0);
    assert_string_equal(uid, "k3x9m2p7q8r4s5t6v1w0@obrady");
    char small[10];
    assert_int_equal(ics_meeting_uid("k3x9m2p7q8r4s5t6v1w0", small, sizeof small), OBR_EINVAL);
    assert_int_equal(ics_meeting_uid("", uid, sizeof uid), OBR_EINVAL);
}

static void test_times_before_epoch_and_milliseconds_floor(void **state)
{
    struct ics_event e = base_event();
    e.start_ms = 951782399999LL; /* 2000-02-28T23:59:59.999Z */
    e.end_ms = 951782400000LL;   /* 2000-02-29T00:00:00Z (leap day) */
    e.stamp_ms = -1;             /* 1969-12-31T23:59:59Z */
    struct checked c;
    char *s = build_checked(&e, &c);
    assert_true(has_line(&c, "DTSTART:20000228T235959Z"));
    assert_true(has_line(&c, "DTEND:20000229T000000Z"));
    assert_true(has_line(&c, "DTSTAMP:19691231T235959Z"));
    checked_free(&c);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_has_structure_and_values),
        cmocka_unit_test(test_cancel_sets_method_and_status),
        cmocka_unit_test(test_text_escaping_round_trips),
        cmocka_unit_test(test_control_characters_are_dropped),
        cmocka_unit_test(test_common_names_are_quoted_with_caret_escapes),
        cmocka_unit_test(test_long_polish_description_folds_at_75_octets),
        cmocka_unit_test(test_folding_never_splits_a_character_at_any_offset),
        cmocka_unit_test(test_line_of_exactly_75_octets_is_not_folded),
        cmocka_unit_test(test_url_only_when_http),
        cmocka_unit_test(test_optional_fields_may_be_absent),
        cmocka_unit_test(test_invalid_events_are_refused),
        cmocka_unit_test(test_meeting_uid_is_stable),
        cmocka_unit_test(test_times_before_epoch_and_milliseconds_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
