/* upload_check.c — what an uploaded file may be (upload_check.h): its type
 * decided from its first bytes and agreeing with its name's extension and the
 * declared Content-Type; safe file names; Content-Disposition for a download.
 * Shared by meeting documents and interpellation attachments (uploads.c). */
#include "api/upload_check.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "store/directory.h"
#include "store/documents.h"
#include "util/utf8.h"

/* ---- what an upload may be ---- */

enum sniffed {
    SNIFF_NONE,
    SNIFF_PDF,
    SNIFF_PNG,
    SNIFF_JPEG,
    SNIFF_OLE,
    SNIFF_RTF,
    SNIFF_OOXML,
    SNIFF_ODF,
    SNIFF_TEXT
};

struct file_type {
    enum sniffed sniffed;
    const char *ext;          /* lower-case extension of the name */
    const char *content_type; /* stored and served */
    const char *declared[4];  /* other types a browser may declare for it */
};

/* Declared types are compared without parameters; "" and
 * application/octet-stream (the browser does not know) agree with any type. */
static const struct file_type TYPES[] = {
    {SNIFF_PDF, "pdf", "application/pdf", {"application/x-pdf"}},
    {SNIFF_PNG, "png", "image/png", {NULL}},
    {SNIFF_JPEG, "jpg", "image/jpeg", {"image/pjpeg"}},
    {SNIFF_JPEG, "jpeg", "image/jpeg", {"image/pjpeg"}},
    {SNIFF_OLE, "doc", "application/msword", {NULL}},
    {SNIFF_OLE, "xls", "application/vnd.ms-excel", {NULL}},
    {SNIFF_OLE, "ppt", "application/vnd.ms-powerpoint", {NULL}},
    {SNIFF_RTF, "rtf", "application/rtf", {"text/rtf", "application/msword"}},
    {SNIFF_OOXML,
     "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     {NULL}},
    {SNIFF_OOXML,
     "xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
     {NULL}},
    {SNIFF_OOXML,
     "pptx",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     {NULL}},
    {SNIFF_ODF, "odt", "application/vnd.oasis.opendocument.text", {NULL}},
    {SNIFF_ODF, "ods", "application/vnd.oasis.opendocument.spreadsheet", {NULL}},
    {SNIFF_ODF, "odp", "application/vnd.oasis.opendocument.presentation", {NULL}},
    {SNIFF_TEXT, "txt", "text/plain; charset=utf-8", {NULL}},
    {SNIFF_TEXT, "csv", "text/csv; charset=utf-8", {"text/plain", "application/vnd.ms-excel"}},
};
#define N_TYPES (sizeof TYPES / sizeof TYPES[0])

void upload_text_feed(struct text_check *t, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n && t->is_text; i++) {
        unsigned char b = p[i];
        if (t->need) {
            if (b < t->lo || b > t->hi)
                t->is_text = false;
            t->need--;
            t->lo = 0x80;
            t->hi = 0xBF;
            continue;
        }
        t->lo = 0x80;
        t->hi = 0xBF;
        if (b < 0x80)
            t->is_text =
                (b >= 0x20 && b != 0x7F) || b == '\t' || b == '\n' || b == '\r' || b == '\f';
        else if (b >= 0xC2 && b <= 0xDF)
            t->need = 1;
        else if (b == 0xE0)
            t->need = 2, t->lo = 0xA0;
        else if (b == 0xED)
            t->need = 2, t->hi = 0x9F; /* no surrogates */
        else if (b >= 0xE1 && b <= 0xEF)
            t->need = 2;
        else if (b == 0xF0)
            t->need = 3, t->lo = 0x90;
        else if (b >= 0xF1 && b <= 0xF3)
            t->need = 3;
        else if (b == 0xF4)
            t->need = 3, t->hi = 0x8F;
        else
            t->is_text = false;
    }
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

/* For a ZIP whose first entry is the stored "mimetype" of an OpenDocument
 * file, copies that type into out and returns true. */
static bool zip_odf_mimetype(const unsigned char *h, size_t n, char *out, size_t size)
{
    if (n < 30)
        return false;
    uint32_t method = le16(h + 8), csize = le32(h + 18), name_len = le16(h + 26),
             extra_len = le16(h + 28);
    if (method != 0 || name_len != 8 || memcmp(h + 30, "mimetype", 8) || csize >= size)
        return false;
    size_t at = 30 + name_len + extra_len;
    if (at + csize > n)
        return false;
    memcpy(out, h + at, csize);
    out[csize] = '\0';
    return true;
}

/* The type of a file from its first bytes; for OpenDocument also its
 * mimetype entry (odf_type). */
static enum sniffed sniff(const unsigned char *h, size_t n, bool is_text, char *odf_type,
                          size_t odf_size)
{
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    odf_type[0] = '\0';
    if (n >= 5 && !memcmp(h, "%PDF-", 5))
        return SNIFF_PDF;
    if (n >= 8 && !memcmp(h, png, 8))
        return SNIFF_PNG;
    if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
        return SNIFF_JPEG;
    if (n >= 8 && !memcmp(h, ole, 8))
        return SNIFF_OLE;
    if (n >= 5 && !memcmp(h, "{\\rtf", 5))
        return SNIFF_RTF;
    if (n >= 4 && !memcmp(h, "PK\x03\x04", 4))
        return zip_odf_mimetype(h, n, odf_type, odf_size) ? SNIFF_ODF : SNIFF_OOXML;
    return is_text && n > 0 ? SNIFF_TEXT : SNIFF_NONE;
}

/* The lower-case extension of name ("" when none), into out. */
static void extension_of(const char *name, char *out, size_t size)
{
    const char *dot = strrchr(name, '.');
    size_t i = 0;
    if (dot)
        for (const char *p = dot + 1; *p && i + 1 < size; p++)
            out[i++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    out[i] = '\0';
}

static bool declared_agrees(const struct file_type *t, const char *declared)
{
    if (!declared)
        return true;
    size_t n = strcspn(declared, ";");
    while (n && (declared[n - 1] == ' ' || declared[n - 1] == '\t'))
        n--;
    if (n == 0 || (n == 24 && !strncasecmp(declared, "application/octet-stream", n)))
        return true;
    size_t base = strcspn(t->content_type, ";");
    if (n == base && !strncasecmp(declared, t->content_type, n))
        return true;
    for (int i = 0; i < 4 && t->declared[i]; i++)
        if (strlen(t->declared[i]) == n && !strncasecmp(declared, t->declared[i], n))
            return true;
    return false;
}

const char *upload_type_of(const unsigned char *head, size_t n, bool is_text, const char *filename,
                           const char *declared, const char **bad_field)
{
    char ext[16], odf_type[DOC_TYPE_SIZE];
    extension_of(filename, ext, sizeof ext);
    enum sniffed s = sniff(head, n, is_text, odf_type, sizeof odf_type);
    const struct file_type *t = NULL;
    for (size_t i = 0; i < N_TYPES && !t; i++)
        if (TYPES[i].sniffed == s && !strcmp(TYPES[i].ext, ext))
            t = &TYPES[i];
    if (s == SNIFF_NONE || !t || (s == SNIFF_ODF && strcmp(odf_type, t->content_type))) {
        *bad_field = s == SNIFF_NONE ? "file" : "filename";
        return NULL;
    }
    if (!declared_agrees(t, declared)) {
        *bad_field = "content_type";
        return NULL;
    }
    return t->content_type;
}

/* ---- file names ---- */

static int hex_value(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes %XX escapes of a header value into out; false on a bad escape, a
 * NUL, or no room. */
static bool percent_decode(const char *in, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        int c = (unsigned char)*p;
        if (c == '%') {
            int hi = hex_value(p[1]), lo = hi < 0 ? -1 : hex_value(p[2]);
            if (lo < 0)
                return false;
            c = hi * 16 + lo;
            p += 2;
        }
        if (c == 0 || o + 1 >= size)
            return false;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return true;
}

/* Names that are safe to show and to offer for saving: UTF-8 text of 1..200
 * characters, no path separator, no control or bidirectional-override
 * character, not hidden (leading dot) and not only dots. */
static bool filename_is_safe(const char *name)
{
    size_t len = strlen(name);
    if (!len || !utf8_is_text(name, len, false) || utf8_length(name, len) > UPLOAD_NAME_MAX_CHARS)
        return false;
    if (strpbrk(name, "/\\") || name[0] == '.')
        return false;
    /* U+202A..U+202E and U+2066..U+2069 reorder what the reader sees:
     * "invoice<RLO>fdp.exe" shows as "invoiceexe.pdf". In UTF-8 they are
     * E2 80 AA..AE and E2 81 A6..A9. */
    const unsigned char *u = (const unsigned char *)name;
    for (size_t i = 0; i + 2 < len; i++)
        if (u[i] == 0xE2 && ((u[i + 1] == 0x80 && u[i + 2] >= 0xAA && u[i + 2] <= 0xAE) ||
                             (u[i + 1] == 0x81 && u[i + 2] >= 0xA6 && u[i + 2] <= 0xA9)))
            return false;
    return true;
}

bool upload_name_decode(const char *header, char *out, size_t size)
{
    return percent_decode(header, out, size) && filename_is_safe(out);
}

/* Content-Disposition for name (RFC 6266): an ASCII fallback with every
 * other character as "_", and the exact name as RFC 5987 UTF-8. */
void upload_content_disposition(const char *name, char *out, size_t size)
{
    static const char attr[] = "!#$&+-.^_`|~";
    char ascii[UPLOAD_NAME_MAX_CHARS + 1], enc[NAME_SIZE * 3];
    size_t a = 0, e = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p & 0xC0) != 0x80 && a < UPLOAD_NAME_MAX_CHARS)
            ascii[a++] = *p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\' ? (char)*p : '_';
        if (e + 4 > sizeof enc)
            break;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr(attr, *p))
            enc[e++] = (char)*p;
        else
            e += (size_t)snprintf(enc + e, 4, "%%%02X", *p);
    }
    ascii[a] = '\0';
    enc[e] = '\0';
    snprintf(out, size, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
}
