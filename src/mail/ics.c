/* ics.c — builds the iCalendar invitation of a meeting (see ics.h).
 * Each content line is first written whole into a scratch buf, escaped, and
 * only then folded into the output, so escaping and folding stay separate
 * and the 75-octet rule is enforced in one place. */
#include "mail/ics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

#define ICS_LINE_MAX 75 /* octets, excluding CRLF (RFC 5545 §3.1) */

/* Appends line[0..n) to out as one folded content line: at most 75 octets on
 * the first physical line, and a space plus at most 74 on each continuation,
 * cutting only before the first octet of a UTF-8 character. */
static void put_folded(struct buf *out, const char *line, size_t n)
{
    size_t pos = 0, limit = ICS_LINE_MAX;
    for (;;) {
        size_t cut = n - pos;
        if (cut > limit) {
            cut = limit;
            while (cut > 0 && ((unsigned char)line[pos + cut] & 0xC0) == 0x80)
                cut--;
        }
        buf_append(out, line + pos, cut);
        buf_puts(out, "\r\n");
        pos += cut;
        if (pos >= n)
            return;
        buf_putc(out, ' ');
        limit = ICS_LINE_MAX - 1;
    }
}

/* A TEXT value (§3.3.11): backslash, semicolon and comma escaped, any line
 * break (LF, CR or CRLF) as \n, other control characters dropped (TEXT
 * cannot hold them; HTAB can stay). */
static void put_text(struct buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else if (c == '\r' || c == '\n') {
            buf_puts(b, "\\n");
            if (c == '\r' && s[1] == '\n')
                s++;
        } else if (c >= 0x20 && c != 0x7f) {
            buf_putc(b, (char)c);
        } else if (c == '\t') {
            buf_putc(b, '\t');
        }
    }
}

/* A quoted parameter value with RFC 6868 escapes: ^^ for ^, ^' for a double
 * quote, ^n for a line break; other control characters dropped. */
static void put_param_quoted(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '^') {
            buf_puts(b, "^^");
        } else if (c == '"') {
            buf_puts(b, "^'");
        } else if (c == '\r' || c == '\n') {
            buf_puts(b, "^n");
            if (c == '\r' && s[1] == '\n')
                s++;
        } else if (c >= 0x20 && c != 0x7f) {
            buf_putc(b, (char)c);
        }
    }
    buf_putc(b, '"');
}

static bool is_text(const char *s)
{
    return !s || utf8_is_valid(s, strlen(s));
}

/* A bare address usable in a mailto: URI: one @, a non-empty local part of
 * RFC 5322 atext and dots, a domain of letters, digits, dots and hyphens.
 * Stricter than RFC 5322 on purpose: no quoting, nothing a URI must encode. */
static bool is_address(const char *s)
{
    if (!s)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const char *p = s; p < at; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr(".!$&'*+-/=^_`{|}~", *p)))
            return false;
    for (const char *p = at + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-'))
            return false;
    return true;
}

/* An http(s) URL of printable ASCII without spaces, quotes or angle brackets. */
static bool is_web_url(const char *url)
{
    if (!url || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
            return false;
    return true;
}

/* Civil date from days since 1970-01-01 (H. Hinnant's algorithm, proleptic
 * Gregorian), so DTSTAMP/DTSTART need neither gmtime nor the TZ variable. */
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

/* DATE-TIME in UTC form, "20260312T090000Z"; milliseconds are dropped (floor). */
static void put_utc(struct buf *b, int64_t ms)
{
    int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    int64_t sod = s - days * 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    buf_printf(b, "%04d%02d%02dT%02d%02d%02dZ", y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60),
               (int)(sod % 60));
}

/* Ends the content line in scratch: folds it into out and empties scratch. */
static void emit(struct buf *out, struct buf *line)
{
    if (buf_failed(line)) {
        out->failed = true;
        return;
    }
    put_folded(out, buf_str(line), line->len);
    line->len = 0;
    if (line->p)
        line->p[0] = '\0';
}

static void emit_text(struct buf *out, struct buf *line, const char *name, const char *value)
{
    if (!value)
        return;
    buf_printf(line, "%s:", name);
    put_text(line, value);
    emit(out, line);
}

static void emit_person(struct buf *out, struct buf *line, const char *prop, const char *name,
                        const char *email, bool is_attendee)
{
    buf_puts(line, prop);
    if (name && name[0]) {
        buf_puts(line, ";CN=");
        put_param_quoted(line, name);
    }
    if (is_attendee)
        buf_puts(line, ";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE");
    buf_printf(line, ":mailto:%s", email);
    emit(out, line);
}

char *ics_build(const struct ics_event *e, size_t *len)
{
    if (!e || !e->uid || !e->uid[0] || !e->summary || e->sequence < 0 || e->end_ms <= e->start_ms ||
        !is_address(e->organizer_email) || !is_address(e->attendee_email))
        return NULL;
    const char *texts[] = {e->uid, e->summary,        e->location,     e->description,
                           e->url, e->organizer_name, e->attendee_name};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (!is_text(texts[i]))
            return NULL;

    struct buf out = BUF_INIT, line = BUF_INIT;
    const char *method = e->is_cancelled ? "CANCEL" : "REQUEST";
    buf_printf(&out,
               "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//obrady//obrady//PL\r\n"
               "CALSCALE:GREGORIAN\r\nMETHOD:%s\r\nBEGIN:VEVENT\r\n",
               method);
    emit_text(&out, &line, "UID", e->uid);
    buf_printf(&line, "SEQUENCE:%d", e->sequence);
    emit(&out, &line);
    buf_puts(&line, "DTSTAMP:");
    put_utc(&line, e->stamp_ms);
    emit(&out, &line);
    buf_puts(&line, "DTSTART:");
    put_utc(&line, e->start_ms);
    emit(&out, &line);
    buf_puts(&line, "DTEND:");
    put_utc(&line, e->end_ms);
    emit(&out, &line);
    emit_text(&out, &line, "SUMMARY", e->summary);
    if (e->location && e->location[0])
        emit_text(&out, &line, "LOCATION", e->location);
    if (e->description && e->description[0])
        emit_text(&out, &line, "DESCRIPTION", e->description);
    if (is_web_url(e->url)) {
        /* a URI value, not TEXT: written as it is */
        buf_printf(&line, "URL:%s", e->url);
        emit(&out, &line);
    }
    emit_person(&out, &line, "ORGANIZER", e->organizer_name, e->organizer_email, false);
    emit_person(&out, &line, "ATTENDEE", e->attendee_name, e->attendee_email, true);
    buf_printf(&out, "STATUS:%s\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
               e->is_cancelled ? "CANCELLED" : "CONFIRMED");
    buf_free(&line);

    size_t n = out.len;
    char *s = buf_take(&out);
    if (s && len)
        *len = n;
    buf_free(&out);
    return s;
}

int ics_meeting_uid(const char *meeting_id, char *out, size_t size)
{
    if (!meeting_id || !meeting_id[0] || !out)
        return OBR_EINVAL;
    int n = snprintf(out, size, "%s@obrady", meeting_id);
    return n < 0 || (size_t)n >= size ? OBR_EINVAL : 0;
}

const char *ics_content_type(bool is_cancelled)
{
    return is_cancelled ? "text/calendar; charset=utf-8; method=CANCEL"
                        : "text/calendar; charset=utf-8; method=REQUEST";
}
