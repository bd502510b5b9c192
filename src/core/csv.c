/* csv.c — a single-pass RFC 4180 reader. Field text goes into one buffer
 * sized up front (unescaped text never outgrows its input), so fields are
 * recorded as offsets while parsing and turned into pointers at the end. */
#include "core/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/utf8.h"

#define MSG_UTF8 "invalid UTF-8 text (save the file as \"CSV UTF-8\")"
#define MSG_NUL "NUL byte in the file"
#define MSG_UNTERMINATED "quoted field is never closed"
#define MSG_AFTER_QUOTE "unexpected character after a closing quote"
#define MSG_ROWS "too many rows (limit 5000 data rows)"
#define MSG_FIELDS "too many fields in a row (limit 32)"
#define MSG_FIELD_LONG "field longer than 1000 bytes"
#define MSG_NOMEM "out of memory"

static const struct {
    const char *en, *pl;
} messages[] = {
    {MSG_UTF8, "nieprawidłowy tekst UTF-8 (zapisz plik jako „CSV UTF-8”)"},
    {MSG_NUL, "bajt NUL w pliku"},
    {MSG_UNTERMINATED, "pole w cudzysłowie nie zostało zamknięte"},
    {MSG_AFTER_QUOTE, "nieoczekiwany znak po zamykającym cudzysłowie"},
    {MSG_ROWS, "za dużo wierszy (limit 5000 wierszy danych)"},
    {MSG_FIELDS, "za dużo pól w wierszu (limit 32)"},
    {MSG_FIELD_LONG, "pole dłuższe niż 1000 bajtów"},
    {MSG_NOMEM, "brak pamięci"},
};

const char *csv_message_pl(const char *msg)
{
    for (size_t i = 0; msg && i < sizeof messages / sizeof messages[0]; i++)
        if (strcmp(msg, messages[i].en) == 0)
            return messages[i].pl;
    return msg;
}

struct row_tmp {
    int line;
    size_t first; /* index into field_off */
    int n;
};

struct parser {
    const char *p;
    size_t len, i;
    int line;
    char delim;
    char *text; /* capacity len + number of fields, see csv_parse */
    size_t text_len;
    size_t *field_off;
    size_t n_fields, cap_fields;
    struct row_tmp *rows;
    size_t n_rows, cap_rows;
    int err_line;
    const char *err_msg;
};

struct doc_impl {
    struct csv_doc doc; /* first, so a csv_doc * is a doc_impl * */
    char *text;
    char **fields;
};

static int fail(struct parser *ps, int line, const char *msg, int rc)
{
    ps->err_line = line;
    ps->err_msg = msg;
    return rc;
}

/* Consumes the line break at ps->i (CRLF, LF or CR) if there is one. */
static bool eat_newline(struct parser *ps)
{
    if (ps->i >= ps->len)
        return false;
    if (ps->p[ps->i] == '\r') {
        ps->i++;
        if (ps->i < ps->len && ps->p[ps->i] == '\n')
            ps->i++;
    } else if (ps->p[ps->i] == '\n') {
        ps->i++;
    } else {
        return false;
    }
    ps->line++;
    return true;
}

/* Checks every physical line is valid UTF-8 without NUL bytes, so the error
 * names the exact line even inside a multi-line quoted field. Line breaks are
 * counted as the parser counts them. */
static int check_text(struct parser *ps)
{
    size_t start = ps->i;
    int line = 1;
    for (size_t i = start; i <= ps->len; i++) {
        if (i < ps->len && ps->p[i] != '\n' && ps->p[i] != '\r') {
            if (ps->p[i] == '\0')
                return fail(ps, line, MSG_NUL, OBR_EINVAL);
            continue;
        }
        if (!utf8_is_valid(ps->p + start, i - start))
            return fail(ps, line, MSG_UTF8, OBR_EINVAL);
        if (i < ps->len && ps->p[i] == '\r' && i + 1 < ps->len && ps->p[i + 1] == '\n')
            i++;
        start = i + 1;
        line++;
    }
    return 0;
}

static char detect_delimiter(const char *p, size_t len)
{
    size_t semi = 0, tab = 0, comma = 0;
    bool in_quotes = false;
    /* Leading blank lines do not count as the header line. */
    size_t i = 0;
    while (i < len && (p[i] == '\r' || p[i] == '\n'))
        i++;
    for (; i < len; i++) {
        char c = p[i];
        if (c == '"')
            in_quotes = !in_quotes; /* "" toggles twice: still right */
        else if (in_quotes)
            continue;
        else if (c == '\n' || c == '\r')
            break;
        else if (c == ';')
            semi++;
        else if (c == '\t')
            tab++;
        else if (c == ',')
            comma++;
    }
    if (semi == 0 && tab == 0 && comma == 0)
        return ',';
    if (semi >= tab && semi >= comma)
        return ';';
    return tab >= comma ? '\t' : ',';
}

static int push_field(struct parser *ps, size_t off)
{
    if (ps->n_fields == ps->cap_fields) {
        size_t cap = ps->cap_fields ? ps->cap_fields * 2 : 64;
        size_t *n = realloc(ps->field_off, cap * sizeof *n);
        if (!n)
            return fail(ps, ps->line, MSG_NOMEM, OBR_ENOMEM);
        ps->field_off = n;
        ps->cap_fields = cap;
    }
    ps->field_off[ps->n_fields++] = off;
    return 0;
}

static int push_row(struct parser *ps, int line, size_t first, int n)
{
    if (ps->n_rows == CSV_MAX_ROWS)
        return fail(ps, line, MSG_ROWS, OBR_ELIMIT);
    if (ps->n_rows == ps->cap_rows) {
        size_t cap = ps->cap_rows ? ps->cap_rows * 2 : 32;
        struct row_tmp *r = realloc(ps->rows, cap * sizeof *r);
        if (!r)
            return fail(ps, line, MSG_NOMEM, OBR_ENOMEM);
        ps->rows = r;
        ps->cap_rows = cap;
    }
    ps->rows[ps->n_rows++] = (struct row_tmp){line, first, n};
    return 0;
}

/* Reads one field at ps->i into the text buffer; stops before the delimiter
 * or line break that ends it. */
static int read_field(struct parser *ps)
{
    const char *p = ps->p;
    int start_line = ps->line;
    size_t start = ps->text_len;
    if (ps->i < ps->len && p[ps->i] == '"') {
        ps->i++;
        for (;;) {
            if (ps->i >= ps->len)
                return fail(ps, start_line, MSG_UNTERMINATED, OBR_EINVAL);
            char c = p[ps->i];
            if (c == '"') {
                if (ps->i + 1 < ps->len && p[ps->i + 1] == '"') {
                    ps->text[ps->text_len++] = '"';
                    ps->i += 2;
                    continue;
                }
                ps->i++;
                break;
            }
            if (c == '\r' || c == '\n') {
                eat_newline(ps);
                ps->text[ps->text_len++] = '\n';
                continue;
            }
            ps->text[ps->text_len++] = c;
            ps->i++;
        }
        if (ps->i < ps->len && p[ps->i] != ps->delim && p[ps->i] != '\r' && p[ps->i] != '\n')
            return fail(ps, ps->line, MSG_AFTER_QUOTE, OBR_EINVAL);
    } else {
        while (ps->i < ps->len && p[ps->i] != ps->delim && p[ps->i] != '\r' && p[ps->i] != '\n')
            ps->text[ps->text_len++] = p[ps->i++];
    }
    if (ps->text_len - start > CSV_MAX_FIELD_BYTES)
        return fail(ps, start_line, MSG_FIELD_LONG, OBR_ELIMIT);
    ps->text[ps->text_len++] = '\0';
    return push_field(ps, start);
}

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

static int parse_rows(struct parser *ps)
{
    while (ps->i < ps->len) {
        int line = ps->line;
        size_t first = ps->n_fields, text_mark = ps->text_len;
        int n = 0;
        for (;;) {
            if (n == CSV_MAX_FIELDS)
                return fail(ps, line, MSG_FIELDS, OBR_ELIMIT);
            int rc = read_field(ps);
            if (rc != 0)
                return rc;
            n++;
            if (ps->i < ps->len && ps->p[ps->i] == ps->delim) {
                ps->i++;
                continue;
            }
            eat_newline(ps);
            break;
        }
        bool is_blank_row = true;
        for (size_t k = first; k < ps->n_fields && is_blank_row; k++)
            is_blank_row = is_blank(ps->text + ps->field_off[k]);
        if (is_blank_row) {
            ps->n_fields = first;
            ps->text_len = text_mark;
            continue;
        }
        int rc = push_row(ps, line, first, n);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* Turns the offsets into the public document; takes ownership of ps->text. */
static int build_doc(struct parser *ps, struct csv_doc **out)
{
    struct doc_impl *d = calloc(1, sizeof *d);
    if (!d)
        return OBR_ENOMEM;
    d->doc.delimiter = ps->delim;
    d->text = ps->text;
    ps->text = NULL;
    if (ps->n_rows > 0) {
        d->fields = malloc(ps->n_fields * sizeof *d->fields);
        d->doc.rows = malloc(ps->n_rows * sizeof *d->doc.rows);
        if (!d->fields || !d->doc.rows) {
            csv_free(&d->doc);
            return OBR_ENOMEM;
        }
        for (size_t k = 0; k < ps->n_fields; k++)
            d->fields[k] = d->text + ps->field_off[k];
        for (size_t r = 0; r < ps->n_rows; r++)
            d->doc.rows[r] =
                (struct csv_row){ps->rows[r].line, ps->rows[r].n, d->fields + ps->rows[r].first};
    }
    d->doc.n_rows = (int)ps->n_rows;
    *out = &d->doc;
    return 0;
}

int csv_parse(const char *data, size_t len, struct csv_doc **out, int *err_line,
              const char **err_msg)
{
    if (err_line)
        *err_line = 0;
    if (err_msg)
        *err_msg = NULL;
    if (!out || (!data && len > 0))
        return OBR_EINVAL;
    *out = NULL;
    struct parser ps = {.p = data, .len = len, .line = 1};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        ps.i = 3;
    int rc = check_text(&ps);
    if (rc == 0) {
        ps.delim = detect_delimiter(data + ps.i, len - ps.i);
        /* Each field adds at most one NUL beyond its input bytes, and there are
         * at most len + 1 fields, so 2 * len + 2 bytes always suffice. */
        ps.text = malloc(2 * len + 2);
        rc = ps.text ? parse_rows(&ps) : fail(&ps, 1, MSG_NOMEM, OBR_ENOMEM);
    }
    if (rc == 0) {
        rc = build_doc(&ps, out);
        if (rc != 0)
            fail(&ps, 1, MSG_NOMEM, rc);
    }
    if (rc != 0) {
        if (err_line)
            *err_line = ps.err_line;
        if (err_msg)
            *err_msg = ps.err_msg;
    }
    free(ps.text);
    free(ps.field_off);
    free(ps.rows);
    return rc;
}

void csv_free(struct csv_doc *doc)
{
    if (!doc)
        return;
    struct doc_impl *d = (struct doc_impl *)doc;
    free(d->doc.rows);
    free(d->fields);
    free(d->text);
    free(d);
}
