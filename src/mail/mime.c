/* mime.c — builds complete RFC 5322 / MIME messages from a struct mail_message
 * (see mail.h). Everything a header carries is checked before it is written:
 * a CR or LF in any value refuses the whole message, so no caller can inject
 * headers. Every line written ends in CRLF and stays within 78 octets. */
#include "mail/mail.h"

#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"
#include "util/ids.h"

#include <sodium.h>
#include <time.h>

#define LINE_MAX_OCTETS 78
/* Raw bytes per encoded-word: 42 bytes are 56 base64 characters, so a word is
 * 68 characters and "Subject: " plus one word stays within 78. */
#define EW_CHUNK 42
#define ADDR_MAX 254

/* ---- checks ---- */

/* A header value may hold no control characters at all (CR and LF above all). */
static bool has_ctl(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

static bool is_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t n;
        unsigned min;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 1, min = 0x80, c &= 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 2, min = 0x800, c &= 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 3, min = 0x10000, c &= 0x07;
        } else {
            return false;
        }
        p++;
        for (size_t i = 0; i < n; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return false;
            c = c << 6 | (*p & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return false;
    }
    return true;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* A text header value: UTF-8 without control characters. */
static bool header_text_ok(const char *s)
{
    return s && !has_ctl(s) && is_utf8(s);
}

static bool addr_ok(const char *a, size_t n)
{
    if (n == 0 || n > ADDR_MAX)
        return false;
    const char *at = NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)a[i];
        if (c <= 0x20 || c >= 0x7f || strchr("<>()[]\\,;:\"", c))
            return false;
        if (c == '@') {
            if (at)
                return false;
            at = a + i;
        }
    }
    if (!at || at == a || at == a + n - 1)
        return false;
    for (const char *d = at + 1; d < a + n; d++)
        if (!(*d == '-' || *d == '.' || (*d >= '0' && *d <= '9') || (*d >= 'a' && *d <= 'z') ||
              (*d >= 'A' && *d <= 'Z')))
            return false;
    return true;
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

/* Splits "Name <addr>" / "\"Name\" <addr>" / "addr" into borrowed ranges. */
static int split_mailbox(const char *mb, const char **ns, size_t *nn, const char **as, size_t *an)
{
    if (!mb || has_ctl(mb) || !is_utf8(mb))
        return OBR_EINVAL;
    const char *lt = strrchr(mb, '<');
    const char *s = mb, *e = mb + strlen(mb);
    if (lt) {
        const char *gt = strchr(lt, '>');
        if (!gt)
            return OBR_EINVAL;
        const char *rest = gt + 1, *rend = e;
        trim(&rest, &rend);
        if (rest != rend)
            return OBR_EINVAL;
        *as = lt + 1, *an = (size_t)(gt - lt - 1);
        e = lt;
        trim(&s, &e);
        if (e - s >= 2 && *s == '"' && e[-1] == '"')
            s++, e--;
        *ns = s, *nn = (size_t)(e - s);
    } else {
        trim(&s, &e);
        *as = s, *an = (size_t)(e - s);
        *ns = NULL, *nn = 0;
    }
    return addr_ok(*as, *an) ? 0 : OBR_EINVAL;
}

int mail_address_of(const char *mailbox, char *out, size_t size)
{
    const char *ns, *as;
    size_t nn, an;
    if (split_mailbox(mailbox, &ns, &nn, &as, &an) || an >= size)
        return OBR_EINVAL;
    memcpy(out, as, an);
    out[an] = '\0';
    return 0;
}

/* ---- encoders ---- */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void put_b64(struct buf *b, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = {b64chars[v >> 18 & 63], b64chars[v >> 12 & 63],
                     i + 1 < n ? b64chars[v >> 6 & 63] : '=', i + 2 < n ? b64chars[v & 63] : '='};
        buf_append(b, q, 4);
    }
}

/* Base64 body: 76 characters (57 bytes) a line, CRLF between lines. */
static void put_b64_lines(struct buf *b, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i += 57) {
        if (i)
            buf_puts(b, "\r\n");
        put_b64(b, p + i, n - i < 57 ? n - i : 57);
    }
}

/* Quoted-printable (RFC 2045 6.7): "\n" and "\r\n" become hard CRLF breaks;
 * soft breaks keep every line within 76 characters; whitespace before a break
 * is encoded, and so is a line-leading "." or "F" (SMTP and mbox safety). */
static void put_qp(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\n' || (*p == '\r' && p[1] == '\n')) {
            if (*p == '\r')
                p++;
            buf_puts(b, "\r\n");
            col = 0;
            continue;
        }
        bool at_eol = !p[1] || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
        bool literal =
            (*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !at_eol);
        if (col == 0 && (*p == '.' || *p == 'F'))
            literal = false;
        size_t w = literal ? 1 : 3;
        if (col + w > 75) {
            buf_puts(b, "=\r\n");
            col = 0;
            if (*p == '.' || *p == 'F')
                literal = false, w = 3;
        }
        if (literal) {
            buf_putc(b, (char)*p);
        } else {
            char e[3] = {'=', hex[*p >> 4], hex[*p & 15]};
            buf_append(b, e, 3);
        }
        col += w;
    }
}

/* ---- headers with folding ---- */

struct hdr {
    struct buf *b;
    size_t col;
    bool is_first;
};

static void hdr_start(struct hdr *h, struct buf *b, const char *name)
{
    h->b = b;
    buf_puts(b, name);
    buf_puts(b, ": ");
    h->col = strlen(name) + 2;
    h->is_first = true;
}

/* Appends one unbreakable token, separated from the previous one by a space
 * or, when the line would grow past 78 octets, by a fold (CRLF SP). */
static void hdr_token(struct hdr *h, const char *t, size_t n)
{
    if (!h->is_first) {
        if (h->col + 1 + n > LINE_MAX_OCTETS) {
            buf_puts(h->b, "\r\n ");
            h->col = 1;
        } else {
            buf_putc(h->b, ' ');
            h->col++;
        }
    }
    buf_append(h->b, t, n);
    h->col += n;
    h->is_first = false;
}

static void hdr_end(struct hdr *h)
{
    buf_puts(h->b, "\r\n");
}

/* Length of the longest prefix of s (at most max bytes) ending on a UTF-8
 * character boundary. */
static size_t utf8_prefix(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    return k ? k : max;
}

/* s as RFC 2047 B encoded-words, each a token of at most 68 characters. */
static void hdr_encoded_words(struct hdr *h, const char *s, size_t n)
{
    while (n > 0) {
        size_t k = utf8_prefix(s, n, EW_CHUNK);
        /* End a word after a space when one is near: decoders that wrongly
         * keep the fold between words (Python's address parser does) then
         * show a double space rather than a word split in two. */
        for (size_t i = k; k < n && i > EW_CHUNK / 2; i--) {
            if (s[i - 1] == ' ') {
                k = i;
                break;
            }
        }
        struct buf w = BUF_INIT;
        buf_puts(&w, "=?UTF-8?B?");
        put_b64(&w, (const unsigned char *)s, k);
        buf_puts(&w, "?=");
        if (buf_failed(&w))
            h->b->failed = true;
        else
            hdr_token(h, w.p, w.len);
        buf_free(&w);
        s += k, n -= k;
    }
}

/* Unstructured text (Subject): plain words when that is lossless, else
 * encoded-words throughout. */
static void hdr_text(struct hdr *h, const char *s, size_t n)
{
    bool plain = n > 0 && s[0] != ' ' && s[n - 1] != ' ';
    for (size_t i = 0; plain && i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || c == '\t' || (c == ' ' && s[i + 1] == ' ') ||
            (c == '=' && i + 1 < n && s[i + 1] == '?'))
            plain = false;
    }
    if (!plain) {
        hdr_encoded_words(h, s, n);
        return;
    }
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        if (j - i > LINE_MAX_OCTETS - 10) {
            hdr_encoded_words(h, s, n); /* a word too long to fold: encode all */
            return;
        }
        i = j + 1;
    }
    for (i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        hdr_token(h, s + i, j - i);
        i = j + 1;
    }
}

/* A display name: an atom phrase, a quoted string, or encoded-words. */
static void hdr_phrase(struct hdr *h, const char *s, size_t n)
{
    bool is_atoms = n > 0, is_quotable = n > 0;
    size_t quoted_len = n; /* with its backslashes: it must fit one line */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        quoted_len += c == '"' || c == '\\';
        if (c >= 0x80)
            is_atoms = is_quotable = false;
        else if (!(c == ' ' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                   (c >= 'A' && c <= 'Z') || strchr("!#$%&'*+-/=?^_`{|}~", c)))
            is_atoms = false;
    }
    is_quotable = is_quotable && quoted_len <= 60;
    if (is_atoms && n <= 60 && !memmem(s, n, "  ", 2) && s[0] != ' ' && s[n - 1] != ' ' &&
        !memmem(s, n, "=?", 2)) {
        hdr_text(h, s, n);
    } else if (is_quotable) {
        struct buf q = BUF_INIT;
        buf_putc(&q, '"');
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '"' || s[i] == '\\')
                buf_putc(&q, '\\');
            buf_putc(&q, s[i]);
        }
        buf_putc(&q, '"');
        if (buf_failed(&q))
            h->b->failed = true;
        else
            hdr_token(h, q.p, q.len);
        buf_free(&q);
    } else {
        hdr_encoded_words(h, s, n);
    }
}

static void put_mailbox(struct buf *b, const char *field, const char *name, size_t nn,
                        const char *addr, size_t an)
{
    struct hdr h;
    hdr_start(&h, b, field);
    if (name && nn)
        hdr_phrase(&h, name, nn);
    struct buf a = BUF_INIT;
    buf_putc(&a, '<');
    buf_append(&a, addr, an);
    buf_putc(&a, '>');
    if (buf_failed(&a))
        b->failed = true;
    else
        hdr_token(&h, a.p, a.len);
    buf_free(&a);
    hdr_end(&h);
}

/* A MIME parameter on its own folded line: name="value" when the value is
 * short printable ASCII, else RFC 2231 name*=utf-8''%XX.. split into
 * name*0*, name*1*, ... sections of at most 50 characters. */
static void put_param(struct buf *b, const char *pname, const char *v)
{
    size_t n = strlen(v);
    bool simple = n > 0 && n <= 60;
    for (size_t i = 0; simple && i < n; i++)
        if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] >= 0x7f || v[i] == '"' ||
            v[i] == '\\')
            simple = false;
    if (simple) {
        buf_printf(b, ";\r\n %s=\"%s\"", pname, v);
        return;
    }
    static const char hex[] = "0123456789ABCDEF";
    struct buf enc = BUF_INIT;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p && strchr("!#$&+-.^_`|~", *p))) {
            buf_putc(&enc, (char)*p);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            buf_append(&enc, e, 3);
        }
    }
    if (buf_failed(&enc)) {
        b->failed = true;
        buf_free(&enc);
        return;
    }
    if (enc.len <= 50) { /* " filename*=utf-8''" + 50 + ";" fits in 78 */
        buf_printf(b, ";\r\n %s*=utf-8''%s", pname, enc.p);
    } else {
        size_t i = 0;
        for (int sec = 0; i < enc.len; sec++) {
            size_t k = enc.len - i < 50 ? enc.len - i : 50;
            if (i + k < enc.len && enc.p[i + k - 1] == '%')
                k -= 1;
            else if (i + k < enc.len && enc.p[i + k - 2] == '%')
                k -= 2;
            buf_printf(b, ";\r\n %s*%d*=%s%.*s", pname, sec, sec == 0 ? "utf-8''" : "", (int)k,
                       enc.p + i);
            i += k;
        }
    }
    buf_free(&enc);
}

/* ---- structure ---- */

static void new_boundary(char out[40])
{
    unsigned char r[12];
    randombytes_buf(r, sizeof r);
    memcpy(out, "=_obrady_", 9);
    hex_encode(out + 9, r, sizeof r); /* "=_" can occur in neither QP nor base64 */
}

static void put_text_part(struct buf *b, const char *subtype, const char *body)
{
    buf_printf(b,
               "Content-Type: text/%s; charset=utf-8\r\n"
               "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
               subtype);
    put_qp(b, body);
}

static void put_calendar_part(struct buf *b, const struct mail_attachment *a)
{
    buf_printf(b, "Content-Type: %s\r\nContent-Transfer-Encoding: base64\r\n\r\n",
               a->content_type ? a->content_type : "text/calendar; charset=utf-8; method=REQUEST");
    put_b64_lines(b, a->data, a->len);
}

static void put_attachment_part(struct buf *b, const struct mail_attachment *a)
{
    const char *fname = a->filename && a->filename[0] ? a->filename : "attachment";
    buf_printf(b, "Content-Type: %s",
               a->content_type ? a->content_type : "application/octet-stream");
    put_param(b, "name", fname);
    buf_puts(b, "\r\nContent-Disposition: attachment");
    put_param(b, "filename", fname);
    buf_puts(b, "\r\nContent-Transfer-Encoding: base64\r\n\r\n");
    put_b64_lines(b, a->data, a->len);
}

static bool is_alternative(const struct mail_message *m)
{
    if (m->html)
        return true;
    for (size_t i = 0; i < m->n_attachments; i++)
        if (m->attachments[i].is_inline_calendar)
            return true;
    return false;
}

/* The message's readable entity: text/plain alone, or multipart/alternative
 * of text, HTML and inline calendars (plainest first, as RFC 2046 orders). */
static void put_main(struct buf *b, const struct mail_message *m)
{
    if (!is_alternative(m)) {
        put_text_part(b, "plain", m->text);
        return;
    }
    char bd[40];
    new_boundary(bd);
    buf_printf(b, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", bd);
    buf_printf(b, "--%s\r\n", bd);
    put_text_part(b, "plain", m->text);
    if (m->html) {
        buf_printf(b, "\r\n--%s\r\n", bd);
        put_text_part(b, "html", m->html);
    }
    for (size_t i = 0; i < m->n_attachments; i++) {
        if (!m->attachments[i].is_inline_calendar)
            continue;
        buf_printf(b, "\r\n--%s\r\n", bd);
        put_calendar_part(b, &m->attachments[i]);
    }
    buf_printf(b, "\r\n--%s--", bd);
}

static void put_date(struct buf *b)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(clock_now_ms() / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
               months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static bool message_ok(const struct mail_message *m)
{
    if (!m || !m->to_addr || !addr_ok(m->to_addr, strlen(m->to_addr)) || !m->text)
        return false;
    if (!header_text_ok(m->subject) || (m->to_name && !header_text_ok(m->to_name)))
        return false;
    if (m->n_attachments && !m->attachments)
        return false;
    for (size_t i = 0; i < m->n_attachments; i++) {
        const struct mail_attachment *a = &m->attachments[i];
        if (a->len && !a->data)
            return false;
        if (a->content_type && (has_ctl(a->content_type) || !is_ascii(a->content_type) ||
                                !strchr(a->content_type, '/')))
            return false;
        if (!a->is_inline_calendar && a->filename && !header_text_ok(a->filename))
            return false;
    }
    return true;
}

char *mime_build(const struct mail_message *m, const char *from, size_t *len_out)
{
    const char *fname, *faddr;
    size_t fnn, fan;
    if (!message_ok(m) || split_mailbox(from, &fname, &fnn, &faddr, &fan))
        return NULL;

    struct buf b = BUF_INIT;
    put_mailbox(&b, "From", fname, fnn, faddr, fan);
    put_mailbox(&b, "To", m->to_name, m->to_name ? strlen(m->to_name) : 0, m->to_addr,
                strlen(m->to_addr));
    struct hdr h;
    hdr_start(&h, &b, "Subject");
    hdr_text(&h, m->subject, strlen(m->subject));
    hdr_end(&h);
    put_date(&b);
    char mid[ID_SIZE];
    id_new(mid);
    const char *domain = (const char *)memchr(faddr, '@', fan) + 1;
    buf_printf(&b, "Message-ID: <%s@%.*s>\r\n", mid, (int)(fan - (size_t)(domain - faddr)), domain);
    buf_puts(&b, "MIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n");

    bool has_files = false;
    for (size_t i = 0; i < m->n_attachments; i++)
        if (!m->attachments[i].is_inline_calendar)
            has_files = true;
    if (!has_files) {
        put_main(&b, m);
    } else {
        char bd[40];
        new_boundary(bd);
        buf_printf(&b, "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", bd);
        buf_printf(&b, "--%s\r\n", bd);
        put_main(&b, m);
        for (size_t i = 0; i < m->n_attachments; i++) {
            if (m->attachments[i].is_inline_calendar)
                continue;
            buf_printf(&b, "\r\n--%s\r\n", bd);
            put_attachment_part(&b, &m->attachments[i]);
        }
        buf_printf(&b, "\r\n--%s--", bd);
    }
    if (b.len < 2 || memcmp(b.p + b.len - 2, "\r\n", 2) != 0)
        buf_puts(&b, "\r\n");

    size_t len = b.len;
    char *out = buf_take(&b);
    if (out && len_out)
        *len_out = len;
    return out;
}
