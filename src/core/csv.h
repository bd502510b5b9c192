/* csv.h — RFC 4180 reader for the member lists people export from Excel or
 * LibreOffice. Tolerates what those programs write (a UTF-8 BOM, CRLF, ';' as
 * the delimiter in Polish locales, rows of empty cells) and refuses the rest
 * with the line it happened on, so the user can fix the file. */
#ifndef OBR_CSV_H
#define OBR_CSV_H

#include <stddef.h>

#define CSV_MAX_ROWS 5001 /* a header and 5000 data rows (blank rows not counted) */
#define CSV_MAX_FIELDS 32 /* per row */
#define CSV_MAX_FIELD_BYTES 1000

struct csv_row {
    int line;      /* 1-based line where the row starts (rows may span lines) */
    int n_fields;  /* >= 1; rows may differ in length */
    char **fields; /* NUL-terminated UTF-8, unquoted and unescaped */
};

struct csv_doc {
    struct csv_row *rows; /* blank rows left out */
    int n_rows;
    char delimiter; /* ',', ';' or '\t' */
};

/* Parses data[0..len) into *out (free with csv_free).
 * - A leading UTF-8 BOM is skipped. Lines end with CRLF, LF or a lone CR.
 * - The delimiter is the one of ';', '\t', ',' that occurs most often outside
 *   quotes on the first line (ties in that order); ',' if none does.
 * - A field starting with '"' is quoted: "" is a quote, delimiters and line
 *   breaks are kept (a line break becomes "\n"), and after the closing quote
 *   only a delimiter or the end of the line may follow. A '"' elsewhere in an
 *   unquoted field is kept literally.
 * - Rows whose fields are all empty or only spaces and tabs (blank lines, the
 *   ";;;" lines spreadsheets write for formatted empty rows) are skipped.
 * On failure *out is NULL, *err_line the 1-based line and *err_msg a static
 * English sentence (csv_message_pl translates it); returns OBR_EINVAL for
 * malformed input (invalid UTF-8, NUL bytes, quoting), OBR_ELIMIT for a limit
 * above, OBR_ENOMEM. err_line and err_msg may be NULL. */
int csv_parse(const char *data, size_t len, struct csv_doc **out, int *err_line,
              const char **err_msg);

/* Frees a document from csv_parse; accepts NULL. */
void csv_free(struct csv_doc *doc);

/* The Polish text of an error message csv_parse returned; msg itself if unknown. */
const char *csv_message_pl(const char *msg);

#endif
